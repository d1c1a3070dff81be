"""The reports (JSON + schema, Markdown, terminal) on a small analysis built by hand, no models.

Two invented outlets report an invented crane collapse; the spans are found in the text with
str.find, so they are right by construction and a renderer that shifts or clips them shows.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import io
import json
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt  # rich's own dependency, so always installed with rashomon
from rich.console import Console

import rashomon
import rashomon.render as render
from rashomon import model
from rashomon.model import (
    ATTRIBUTION_KINDS,
    RELATION_KINDS,
    STANCES,
    Analysis,
    Attribution,
    Claim,
    Document,
    Entity,
    Mention,
    Relation,
    Span,
    Speaker,
    Story,
    TimelineEntry,
    document_id,
)
from rashomon.render import dumps, load_schema, print_report, to_json, to_markdown, validate
from rashomon.render.schema import ReportSchemaError

WITNESS_QUOTE = "We saw it sway for an hour before it fell"
VARGA_A = "The crane failed because of a worn cable, and nobody was hurt,"
VARGA_B = "The crane failed because of a badly worn cable,"
BRANDT = "the port of ignoring repeated warnings"
FURNITURE = "Subscribe to the Courier for 1 cent\n"

Report = dict[str, Any]


def _document(source: str, text: str, **fields: Any) -> Document:
    raw_text = fields.pop("raw_text", text)
    return Document(id=document_id(source, text), source=source, source_key=source, text=text,
                    raw_text=raw_text, **fields)


def _span(document: Document, words: str, after: str = "") -> Span:
    """The span of `words` in the document (first occurrence after `after`)."""
    start = document.text.find(words, document.text.find(after) if after else 0)
    assert start >= 0, f"{words!r} is not in the text"
    return document.span(start, start + len(words))


def courier_document() -> Document:
    text = (
        "Crane Collapses at Port Ellery\n\n"
        "PORT ELLERY – A loading crane collapsed at the Port Ellery container terminal on "
        "Thursday, halting work on two berths.\n"
        f"“{VARGA_A}” harbor master Ines Varga said in a radio interview.\n"
        f"Dock workers' union head Tomas Brandt accused {BRANDT}.\n"
    )
    return _document(
        "https://ellery-courier.example/crane", text, raw_text=text + FURNITURE,
        url="https://ellery-courier.example/crane", title="Crane Collapses at Port Ellery",
        outlet="Ellery Courier", published="2026-03-13", removed=((len(text), len(text) + 35),),
    )


def ledger_document(witness_quote: str, title: str) -> Document:
    text = (
        f"{title}\n\n"
        "Harbor master Ines Varga said the terminal would stay closed until Monday.\n"
        f"\"{VARGA_B}\" Varga wrote on Mastodon.\n"
        f"Another witness was blunt: \"{witness_quote}\"\n"
    )
    return _document("ledger/crane.html", text, title=title, outlet="Tidewater Ledger")


def _varga(document: Document, words: str, after: str = "") -> Speaker:
    return Speaker(_span(document, words, after), words, name="Ines Varga", entity="e-varga")


def courier_attributions(a: Document) -> tuple[Attribution, ...]:
    brandt = "Dock workers' union head Tomas Brandt"
    return (
        Attribution("att-a1", a.id, _varga(a, "harbor master Ines Varga"), _span(a, "said"),
                    _span(a, VARGA_A), "direct", "assertion", medium="radio interview"),
        Attribution("att-a2", a.id, Speaker(_span(a, brandt), brandt, name="Tomas Brandt"),
                    _span(a, "accused"), _span(a, BRANDT), "indirect", "accusation"),
    )


def ledger_attributions(b: Document, witness_quote: str) -> tuple[Attribution, ...]:
    closed = "the terminal would stay closed until Monday"
    witness = Speaker(None, "another witness", uncertain=True, anonymous=True)
    return (
        Attribution("att-b1", b.id, _varga(b, "Varga", after=VARGA_B), _span(b, "wrote"),
                    _span(b, VARGA_B), "direct", "assertion", medium="Mastodon"),
        Attribution("att-b2", b.id, _varga(b, "Harbor master Ines Varga"), _span(b, "said"),
                    _span(b, closed), "indirect", "assertion"),
        Attribution("att-b3", b.id, witness, None, _span(b, witness_quote), "direct", "assertion"),
    )


def build_analysis(witness_quote: str = WITNESS_QUOTE,
                   ledger_title: str = "Port Ellery Crane Falls, Terminal Shut") -> Analysis:
    a, b = courier_document(), ledger_document(witness_quote, ledger_title)
    variant = Relation(
        "r-variant", "quote_variant", ("att-a1", "att-b1"),
        (_span(a, VARGA_A), _span(b, VARGA_B)), 0.91,
        "Ellery Courier and Tidewater Ledger quote the same words of Ines Varga differently.",
        diff=(("equal", "The crane failed because of a"), ("insert", "badly"),
              ("equal", "worn cable,"), ("delete", "and nobody was hurt,")),
    )
    medium = Relation(
        "r-medium", "medium_divergence", ("att-a1", "att-b1"),
        (_span(a, VARGA_A), _span(b, VARGA_B)), 0.91,
        "Ellery Courier says Ines Varga said this via radio interview, Tidewater Ledger via "
        "Mastodon.",
    )
    collapse = "A loading crane collapsed at the Port Ellery container terminal on Thursday"
    return Analysis(
        documents=(a, b),
        stories=(Story("s-crane", (a.id, b.id), "Crane collapse at Port Ellery"),),
        entities=(Entity("e-varga", "Ines Varga", "PERSON",
                         aliases=("Varga", "harbor master Ines Varga"),
                         mentions=((a.id, 1), (b.id, 2))),),
        mentions=(Mention(_span(a, "Ines Varga"), "Ines Varga", "PERSON",
                          role="harbor master", entity="e-varga"),),
        attributions=courier_attributions(a) + ledger_attributions(b, witness_quote),
        claims=(Claim("c-1", a.id, _span(a, VARGA_A), "att-a1"),
                Claim("c-2", a.id, _span(a, collapse))),
        relations=(variant, medium),
        timeline=(
            TimelineEntry("2026-03-12", _span(a, "on Thursday"), "crane collapse at Port Ellery",
                          event_id="ev-collapse", inferred=True),
            TimelineEntry("2026-03-13/2026-03-16", _span(b, "until Monday"), "terminal closed"),
        ),
    )


@pytest.fixture
def analysis() -> Analysis:
    return build_analysis()


@pytest.fixture
def report(analysis: Analysis) -> Report:
    return to_json(analysis)


def terminal_text(analysis: Analysis) -> str:
    console = Console(record=True, width=100, file=io.StringIO())
    print_report(analysis, console)
    return console.export_text()


def flat(text: str) -> str:
    """Terminal output without box drawing and line breaks, so wrapped text reads whole again."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


# --- API and schema ---------------------------------------------------------------------------

def test_render_exports_are_sorted_and_exist() -> None:
    expected = ["dumps", "load_schema", "print_report", "to_html", "to_json", "to_markdown",
                "validate"]
    assert render.__all__ == expected
    assert all(callable(getattr(render, name)) for name in render.__all__)


def test_render_imports_no_finder_grammar_or_validator() -> None:
    """Writing a stored report as JSON or HTML needs none of the relation finders
    (`rashomon.align` but its sources.py), the timeline's date grammar, jsonschema or the
    terminal's tables: a report process paid a second for loading them."""
    code = ("import sys; from rashomon import render; render.dumps, render.to_html; "
            "print(' '.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, env=os.environ).stdout.split())
    assert {"rashomon.align.sources", "rashomon.render.html"} <= loaded
    heavy = {"rashomon.align.story", "rashomon.align.index", "rashomon.align.quotes",
             "rashomon.timeline", "rashomon.timeline.grammar", "jsonschema", "rich.table"}
    assert not heavy & loaded
    from rashomon import align  # the package's names are still there, imported when asked for

    assert align.align_story.__module__ == "rashomon.align.story"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        align.nothing  # noqa: B018


def test_render_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_render_schema_enums_match_the_model() -> None:
    definitions = load_schema()["$defs"]
    attribution = definitions["attribution"]["properties"]
    assert tuple(attribution["stance"]["enum"]) == STANCES
    assert tuple(attribution["kind"]["enum"]) == ATTRIBUTION_KINDS
    assert tuple(definitions["relation"]["properties"]["kind"]["enum"]) == RELATION_KINDS


def test_render_load_schema_returns_a_fresh_copy() -> None:
    load_schema()["required"].clear()
    with pytest.raises(ReportSchemaError):
        validate({})


# --- JSON -------------------------------------------------------------------------------------

def test_render_json_validates_against_the_schema(report: Report, analysis: Analysis) -> None:
    validate(report)  # the dict itself: tuples where lists belong would fail here
    assert json.loads(dumps(analysis)) == report
    validate(json.loads(dumps(analysis)))


def test_render_json_has_the_contract_fields(report: Report, analysis: Analysis) -> None:
    assert {"rashomon", "documents", "stories", "entities", "attributions", "claims",
            "relations", "timeline"} <= report.keys()
    assert report["rashomon"] == {"version": rashomon.__version__}
    courier, ledger = report["documents"]
    assert courier["source"] == "https://ellery-courier.example/crane"
    assert (courier["outlet"], courier["published"]) == ("Ellery Courier", "2026-03-13")
    assert ledger["published"] is None and ledger["source"] == "ledger/crane.html"
    assert courier["removed"] == [{"start": len(courier["text"]),
                                   "end": len(courier["text"]) + 35, "text": FURNITURE[:35]}]
    assert report["stories"] == [{"id": "s-crane", "title": "Crane collapse at Port Ellery",
                                  "documents": [courier["id"], ledger["id"]]}]
    assert report["entities"][0]["mentions"] == {courier["id"]: 1, ledger["id"]: 2}
    assert report["entities"][0]["aliases"] == ["Varga", "harbor master Ines Varga"]


def test_render_json_attribution_shape(report: Report) -> None:
    first, *_, witness = report["attributions"]
    assert first["speaker"]["name"] == "Ines Varga" and first["speaker"]["entity"] == "e-varga"
    assert (first["kind"], first["stance"], first["medium"]) == ("direct", "assertion",
                                                               "radio interview")
    assert first["cue"]["text"] == "said"
    assert witness["cue"] is None
    assert witness["speaker"] == {"text": "another witness", "name": None, "entity": None,
                                  "uncertain": True, "reason": None, "anonymous": True,
                                  "start": None, "end": None}


def test_render_json_relations_carry_their_diff(report: Report) -> None:
    variant, medium = report["relations"]
    assert variant["members"] == ["att-a1", "att-b1"]
    assert {"op": "insert", "text": "badly"} in variant["diff"]
    assert medium["diff"] == []


def _spans(report: Report) -> list[tuple[str, dict[str, Any]]]:
    """Every (document id, span) in a report."""
    found: list[tuple[str, dict[str, Any]]] = []
    for attribution in report["attributions"]:
        parts = [attribution["content"], attribution["cue"], attribution["speaker"]]
        found += [(attribution["document"], p) for p in parts if p and p["start"] is not None]
    found += [(claim["document"], claim) for claim in report["claims"]]
    found += [(m["document"], m) for m in report["mentions"]]
    found += [(e["document"], e) for r in report["relations"] for e in r["evidence"]]
    found += [(entry["document"], entry) for entry in report["timeline"]]
    return found


def test_render_json_offsets_slice_back_to_the_quoted_text(report: Report) -> None:
    texts = {d["id"]: d["text"] for d in report["documents"]}
    spans = _spans(report)
    assert len(spans) == 22  # 13 in attributions, 2 claims, 1 mention, 4 evidence, 2 dates
    for doc_id, span in spans:
        assert texts[doc_id][span["start"]:span["end"]] == span["text"]
    contents = [a["content"]["text"] for a in report["attributions"]]
    assert contents == [VARGA_A, BRANDT, VARGA_B, "the terminal would stay closed until Monday",
                        WITNESS_QUOTE]
    assert [t["text"] for t in report["timeline"]] == ["on Thursday", "until Monday"]


def _shift_content(analysis: Analysis, end: int) -> Analysis:
    first = analysis.attributions[0]
    moved = dataclasses.replace(first, content=Span(first.doc, first.content.start, end))
    return dataclasses.replace(analysis, attributions=(moved, *analysis.attributions[1:]))


def test_render_json_refuses_a_span_outside_its_document(analysis: Analysis) -> None:
    with pytest.raises(ValueError, match="att-a1.*outside document"):
        to_json(_shift_content(analysis, 10_000))


def _with_score(analysis: Analysis, score: float) -> Analysis:
    relations = (dataclasses.replace(analysis.relations[0], score=score), *analysis.relations[1:])
    return dataclasses.replace(analysis, relations=relations)


@pytest.mark.parametrize("score", [0.8, 0.0, 1e-4, 2.5e-05, 3e16, float("nan")])
def test_render_dumps_writes_what_json_dumps_writes(analysis: Analysis, score: float) -> None:
    """`dumps` writes with orjson when orjson's text is the same, and with `json` (which spells
    2.5e-05 and NaN its own way) otherwise: the text never depends on which one wrote it."""
    changed = _with_score(analysis, score)
    assert dumps(changed) == json.dumps(to_json(changed), ensure_ascii=False, indent=2)


def test_render_dumps_checks_every_float_field_of_the_model() -> None:
    # `dumps` asks the model's float fields (not the whole report, for speed) whether orjson
    # spells them as `json` does; a float field added to the model must be added there too
    floats = {(name, field) for name, cls in vars(model).items()
              if isinstance(cls, type) and dataclasses.is_dataclass(cls)
              for field, hint in typing.get_type_hints(cls).items() if "float" in str(hint)}
    assert floats == {("Claim", "numbers"), ("Relation", "score"), ("Voice", "share")}


def test_render_dumps_keeps_every_character_as_json_dumps_does() -> None:
    text = "Ünïcode “quotes” 😀 \u2028 tab\t nul\x00 del\x7f \\ \" </script>"
    document = _document("odd.txt", text, title="\x1b[31m red")
    analysis = Analysis(documents=(document,))
    assert dumps(analysis) == json.dumps(to_json(analysis), ensure_ascii=False, indent=2)
    lone = dataclasses.replace(document, text="half a pair \ud800", raw_text="half a pair \ud800")
    with_lone = Analysis(documents=(lone,))
    assert dumps(with_lone) == json.dumps(to_json(with_lone), ensure_ascii=False, indent=2)


def test_render_json_refuses_a_document_the_analysis_lacks(analysis: Analysis) -> None:
    with pytest.raises(ValueError, match="not in the analysis"):
        to_json(dataclasses.replace(analysis, documents=analysis.documents[:1]))


# --- validation -------------------------------------------------------------------------------

def _set(path: str, value: Any) -> Callable[[Report], None]:
    """A change to a report: set the value at a dotted path (numbers index lists)."""

    def change(report: Report) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = report
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _drop(key: str) -> Callable[[Report], None]:
    return lambda report: report.pop(key)


def _drop_speaker_flag(report: Report) -> None:
    del report["attributions"][0]["speaker"]["anonymous"]


BROKEN = {
    "missing timeline": (_drop("timeline"), "$: 'timeline' is a required property"),
    "missing documents": (_drop("documents"), "'documents' is a required property"),
    "unknown stance": (_set("attributions.0.stance", "maybe"), "$.attributions[0].stance"),
    "unknown kind": (_set("attributions.1.kind", "rumour"), "$.attributions[1].kind"),
    "unknown relation": (_set("relations.0.kind", "agreement"), "$.relations[0].kind"),
    "date in words": (_set("documents.0.published", "13 March 2026"), "$.documents[0].published"),
    "month 13": (_set("documents.1.published", "2026-13-01"), "$.documents[1].published"),
    "timeline in words": (_set("timeline.0.date", "Thursday"), "$.timeline[0].date"),
    "offset as text": (_set("claims.0.start", "12"), "$.claims[0].start"),
    "negative offset": (_set("timeline.1.end", -1), "$.timeline[1].end"),
    "cue as text": (_set("attributions.0.cue", "said"), "$.attributions[0].cue"),
    "missing speaker flag": (_drop_speaker_flag, "$.attributions[0].speaker"),
    "mentions as list": (_set("entities.0.mentions", [1, 2]), "$.entities[0].mentions"),
    "bad diff op": (_set("relations.0.diff.1.op", "replace"), "$.relations[0].diff[1].op"),
}


@pytest.mark.parametrize("change, where", BROKEN.values(), ids=BROKEN.keys())
def test_render_validate_rejects_a_broken_report(
    report: Report, change: Callable[[Report], None], where: str
) -> None:
    broken = copy.deepcopy(report)
    change(broken)
    with pytest.raises(ReportSchemaError) as failure:
        validate(broken)
    assert where in str(failure.value)
    assert isinstance(failure.value, ValueError)


@pytest.mark.parametrize("date", ["2026-03", "2026-03-12", "2026-03-12/2026-03-16",
                                  "2026-03/2026-04"])
def test_render_validate_accepts_days_months_and_intervals(report: Report, date: str) -> None:
    report["timeline"][0]["date"] = date
    validate(report)


def test_render_validate_message_stays_short_for_a_long_bad_value(report: Report) -> None:
    report["attributions"][0]["stance"] = "x" * 50_000
    with pytest.raises(ReportSchemaError) as failure:
        validate(report)
    assert len(str(failure.value)) < 400


# --- Markdown ---------------------------------------------------------------------------------

def test_render_markdown_groups_quotes_by_speaker_then_outlet(analysis: Analysis) -> None:
    markdown = to_markdown(analysis)
    varga = markdown.index("#### Ines Varga")
    courier = markdown.index("**Ellery Courier**", varga)
    ledger = markdown.index("**Tidewater Ledger**", varga)
    brandt = markdown.index("#### Tomas Brandt")
    assert varga < courier < ledger < brandt  # most quoted first, outlets in story order
    quote = markdown.index("The crane failed because of a worn cable, and nobody was hurt")
    assert courier < quote < ledger
    assert "said · assertion · via radio interview · direct" in markdown
    assert "#### another witness (unnamed source)" in markdown
    assert "speaker uncertain" in markdown


def test_render_uncertain_speaker_says_why_in_every_format(analysis: Analysis) -> None:
    reason = "two <b>men</b> named in the paragraph could be \u201che\u201d"
    attributions = tuple(
        dataclasses.replace(a, speaker=dataclasses.replace(a.speaker, reason=reason))
        if a.speaker.uncertain else a
        for a in analysis.attributions
    )
    doubted = dataclasses.replace(analysis, attributions=attributions)
    markdown = to_markdown(doubted)
    assert "speaker uncertain: two" in markdown and "named in the paragraph" in markdown
    assert "<b>" not in markdown  # the reason is text, never markup
    assert html.escape(f"speaker uncertain: {reason}", quote=False) in render.to_html(doubted)
    report = to_json(doubted)
    validate(report)
    reasons = {a["speaker"]["reason"] for a in report["attributions"]}
    assert reasons == {reason, None}  # the certain ones carry none


def test_render_timeline_shows_one_event_once_with_every_outlet_and_its_doubts(
    analysis: Analysis,
) -> None:
    courier, ledger = (e.span.doc for e in analysis.timeline)
    ledger_doc = analysis.document(ledger)
    told = TimelineEntry("2026-03-12", ledger_doc.span(0, 5), "crane fell", event_id="ev-collapse",
                         uncertain=True)
    joined = dataclasses.replace(analysis, timeline=(analysis.timeline[0], told))
    markdown = to_markdown(joined)
    (line,) = [row for row in markdown.splitlines() if row.startswith("- **2026-03-12**")]
    assert line.startswith("- **2026-03-12** (date inferred, uncertain): crane collapse")
    assert "Ellery Courier: “on Thursday”" in line and "Tidewater Ledger: “" in line
    buffer = io.StringIO()
    print_report(joined, Console(file=buffer, width=200, color_system=None))
    text = buffer.getvalue()
    assert text.count("2026-03-12 (date inferred, uncertain)") == 1
    assert "crane fell" not in text  # the event is named once, by its first outlet


def test_render_markdown_shows_documents_relations_entities_timeline(analysis: Analysis) -> None:
    markdown = to_markdown(analysis)
    assert markdown.startswith("# Rashomon report\n")
    assert "## Crane collapse at Port Ellery" in markdown
    assert "- **Ellery Courier**, 2026-03-13: Crane Collapses at Port Ellery" in markdown
    assert "- **Tidewater Ledger**, date unknown:" in markdown
    assert "**Quote variant** (score 0.91)" in markdown
    assert "~~and nobody was hurt,~~" in markdown and "**badly**" in markdown
    assert "- **Ines Varga** (PERSON), also: Varga; harbor master Ines Varga" in markdown
    assert "- **2026-03-12** (date inferred): crane collapse at Port Ellery" in markdown
    # paraphrase is not put in quote marks, a direct quote is
    assert "- the terminal would stay closed until Monday (said" in markdown
    assert f"- “{WITNESS_QUOTE}”" in markdown


def _html_text(rendered: str) -> str:
    """What a reader sees of rendered HTML: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


HOSTILE = [
    "<script>alert(1)</script>",
    "[click here](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "<https://evil.example>",
    "**loud** _sly_ `code`",
    "&lt;b&gt; is not a tag",
    "a | b \\ c ~~gone~~ #tag",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_render_markdown_escapes_hostile_quotes(hostile: str) -> None:
    markdown = to_markdown(build_analysis(witness_quote=hostile))
    rendered = MarkdownIt("commonmark").render(markdown)
    for made in ("<script", "<a ", "<img", "<code>", "<em>", "<del>"):
        assert made not in rendered
    assert "<strong>loud</strong>" not in rendered
    assert f"“{hostile}”" in _html_text(rendered)


def _retitled(analysis: Analysis, title: str) -> Analysis:
    story = dataclasses.replace(analysis.stories[0], title=title)
    return dataclasses.replace(analysis, stories=(story,))


def test_render_markdown_title_cannot_start_a_heading(analysis: Analysis) -> None:
    markdown = to_markdown(_retitled(analysis, "# Owned\n# Really ##"))
    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered.count("<h1>") == 1  # the report's own
    assert "<h2># Owned # Really ##</h2>" in rendered


# --- terminal ---------------------------------------------------------------------------------

def test_render_terminal_shows_quotes_by_speaker_and_outlet(analysis: Analysis) -> None:
    text = flat(terminal_text(analysis))
    assert "Crane collapse at Port Ellery" in text
    assert f"“{VARGA_A.rstrip(',')}”" in text
    assert "Ines Varga · 3 quotes" in text and "Tomas Brandt · 1 quote" in text
    assert text.index("Ines Varga · 3 quotes") < text.index("Ellery Courier “The crane")
    assert "said · assertion · via radio interview · direct" in text
    assert "quote variant" in text
    assert "because of a {+badly+} worn cable, [-and nobody was hurt,-]" in text
    assert "2026-03-12 (date inferred)" in text


@pytest.mark.parametrize("hostile", ["[bold]Danger[/bold]", "[link=https://x.example]x[/link]",
                                     ":fire: alarm", "[/] unbalanced", "ends in \\"])
def test_render_terminal_prints_markup_literally(hostile: str) -> None:
    text = flat(terminal_text(build_analysis(witness_quote=hostile)))
    assert f"“{hostile}”" in text


def test_render_terminal_prints_a_markup_title_literally(analysis: Analysis) -> None:
    title = "[red]Crane[/red] falls :boom:"
    assert title in flat(terminal_text(_retitled(analysis, title)))


def test_render_terminal_drops_escape_sequences() -> None:
    out = terminal_text(build_analysis(witness_quote="calm \x1b[2J\x1b[31mred\x07 words"))
    assert "\x1b" not in out and "\x07" not in out
    assert "“calm [2J[31mred words”" in flat(out)


# --- edge cases -------------------------------------------------------------------------------

def test_render_empty_analysis_renders_and_validates() -> None:
    empty = Analysis()
    report = to_json(empty)
    validate(report)
    assert all(report[key] == [] for key in ("documents", "stories", "entities", "attributions",
                                             "claims", "relations", "timeline"))
    assert "No documents were analysed." in to_markdown(empty)
    assert "No documents were analysed." in terminal_text(empty)


def test_render_documents_in_no_story_are_still_reported(analysis: Analysis) -> None:
    loose = dataclasses.replace(analysis, stories=())
    markdown = to_markdown(loose)
    assert "## Documents in no story" in markdown and VARGA_B.rstrip(",") in markdown
    assert "Documents in no story" in flat(terminal_text(loose))
    validate(to_json(loose))


# --- brief and framing ------------------------------------------------------------------------

def _with_brief(analysis: Analysis) -> Analysis:
    from rashomon.brief import build_briefs
    from rashomon.framing import build_framings

    return dataclasses.replace(analysis, briefs=build_briefs(analysis),
                               framings=build_framings(analysis))


def test_render_json_carries_briefs_and_framings(analysis: Analysis) -> None:
    full = _with_brief(analysis)
    report = to_json(full)
    validate(report)
    assert {"briefs", "framings"} <= set(load_schema()["required"])
    texts = {d["id"]: d["text"] for d in report["documents"]}
    sentences = [s for b in report["briefs"] for s in b["sentences"]]
    assert sentences and {b["story"] for b in report["briefs"]} == {"s-crane"}
    for sentence in sentences:
        assert sentence["citations"]
        for cited in sentence["citations"]:
            assert texts[cited["document"]][cited["start"]:cited["end"]] == cited["text"]
    assert {f["outlet"] for f in report["framings"]} == {"Ellery Courier", "Tidewater Ledger"}
    for framing in report["framings"]:
        assert sum(v["share"] for v in framing["voices"]) == pytest.approx(1.0)
    broken = copy.deepcopy(report)
    broken["briefs"][0]["sentences"][0]["citations"] = []
    with pytest.raises(ReportSchemaError, match="citations"):
        validate(broken)


def test_render_json_refuses_a_brief_citation_outside_its_document(analysis: Analysis) -> None:
    full = _with_brief(analysis)
    brief = full.briefs[0]
    sentence = dataclasses.replace(brief.sentences[0],
                                   citations=(Span(analysis.documents[0].id, 0, 10**6),))
    bad = dataclasses.replace(full, briefs=(dataclasses.replace(brief, sentences=(sentence,)),))
    with pytest.raises(ValueError, match="outside"):
        to_json(bad)


def test_render_markdown_shows_the_brief_first_and_the_framing_table(analysis: Analysis) -> None:
    markdown = to_markdown(_with_brief(analysis))
    assert markdown.index("### Brief") < markdown.index("### Documents")
    assert "**What is contested**" in markdown and "Wording differs" in markdown
    assert "| Speaker | Ellery Courier | Tidewater Ledger |" in markdown
    varga = next(line for line in markdown.splitlines() if line.startswith("| Ines Varga"))
    assert "said" in varga and "wrote" in varga and "%" in varga
    assert "*(sources: Ellery Courier " in markdown


def test_render_terminal_shows_the_brief_first_and_the_framing_table(analysis: Analysis) -> None:
    text = flat(terminal_text(_with_brief(analysis)))
    assert text.index("Brief") < text.index("document(s) from")
    assert "What is contested" in text and "sources: " in text
    assert "Framing: cue words and share of quoted words, by outlet" in text


def test_render_brief_and_framing_escape_a_hostile_outlet(analysis: Analysis) -> None:
    hostile = "<script>alert(1)</script> [bold]**Courier**[/bold] :fire:"
    documents = (dataclasses.replace(analysis.documents[0], outlet=hostile),
                 analysis.documents[1])
    full = _with_brief(dataclasses.replace(analysis, documents=documents))
    assert any(hostile in s.text for s in full.briefs[0].sentences)  # plain text, unescaped
    rendered = MarkdownIt("commonmark").render(to_markdown(full))
    assert "<script" not in rendered and "<strong>Courier</strong>" not in rendered
    assert hostile in flat(terminal_text(full))


def test_render_schema_brief_sections_and_stances_match_the_model() -> None:
    from rashomon.model import BRIEF_SECTIONS

    definitions = load_schema()["$defs"]
    assert tuple(definitions["brief_sentence"]["properties"]["section"]["enum"]) == BRIEF_SECTIONS
    voice_stances = definitions["voice"]["properties"]["stances"]["items"]["properties"]
    assert tuple(voice_stances["stance"]["enum"]) == STANCES
