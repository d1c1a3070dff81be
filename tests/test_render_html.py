"""The standalone HTML report: structure, citations that point at their exact words, no request
of any kind, hostile article text kept inert, the CLI writing it, and a real browser clicking it.

The hand-built analysis is an invented dam release at Sorrel Creek told by two invented outlets;
spans are found in the text with str.find, so they are right by construction and a renderer that
shifts or clips one shows.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from rashomon import render
from rashomon.brief import Fact
from rashomon.cli import cli
from rashomon.framing import framings_of
from rashomon.model import (
    Analysis,
    Attribution,
    Brief,
    BriefSentence,
    Claim,
    Document,
    Entity,
    Framing,
    Relation,
    Span,
    Speaker,
    Story,
    TimelineEntry,
    Voice,
    document_id,
)
from rashomon.render._views import FACT_OMISSION_PREFIX, omissions_by_kind
from rashomon.render.html import (
    CONTENT_SECURITY_POLICY,
    OMISSIONS_SHOWN,
    SCRIPT,
    STYLESHEET,
    article_fragment,
    element_id,
    omissions_fragment,
    page,
    story_fragment,
    to_html,
)
from rashomon.story_view import story_views

ROOT = Path(__file__).resolve().parent.parent
SILVA_A = "The water will not reach a single home"
SILVA_B = "The water will not reach any home."
FLOODED = "three houses on Mill Lane were flooded"
RELEASE = "Engineers opened two spillway gates at the Marrow Lake dam on Sunday"


# --- a small analysis built by hand -----------------------------------------------------------

def _document(source: str, text: str, **fields: Any) -> Document:
    return Document(id=document_id(source, text), source=source, source_key=source, text=text,
                    raw_text=text, **fields)


def _span(document: Document, words: str, after: str = "") -> Span:
    start = document.text.find(words, document.text.find(after) if after else 0)
    assert start >= 0, f"{words!r} is not in the text"
    return document.span(start, start + len(words))


def build_analysis(hostile: str = "", *, brief: bool = True) -> Analysis:
    """Two outlets on one dam release; `hostile` is put everywhere a stranger's words can go."""
    a = _document(
        "https://sorrel-gazette.example/dam",
        "Dam Gates Opened Above Sorrel Creek\n\n"
        f"SORREL CREEK 🌊 – {RELEASE}, flooding the lower fields.\r\n"
        f"“{SILVA_A},” district engineer Ana Silva said in a radio interview.\n"
        "Farmers' leader Teodor Brannik accused the district of ignoring warnings.\n"
        f"{hostile}\n",
        title=f"Dam Gates Opened Above Sorrel Creek {hostile}".strip(),
        outlet=f"Sorrel Gazette{hostile}", published="2026-04-13",
    )
    b = _document(
        "ledger/dam.txt",
        "Sorrel Creek Farms Flooded After Dam Release\n\n"
        f"District engineer Ana Silva wrote on Facebook: “{SILVA_B}”\n"
        f"Residents said {FLOODED} on Sunday.\n"
        "The self-styled farm spokesman Teodor Brannik denied that the district had warned "
        "anyone.\n",
        title="Sorrel Creek Farms Flooded After Dam Release", outlet="Marrow Valley Ledger",
    )
    silva = Speaker(_span(a, "Ana Silva"), "Ana Silva", name=f"Ana Silva{hostile}",
                    entity="e-silva")
    attributions = (
        Attribution("att-a1", a.id, silva, _span(a, "said"), _span(a, SILVA_A), "direct",
                    "assertion", medium="radio interview"),
        Attribution("att-b1", b.id, dataclasses.replace(silva, span=_span(b, "Ana Silva")),
                    _span(b, "wrote"), _span(b, SILVA_B), "direct", "assertion",
                    medium="Facebook"),
        Attribution("att-b2", b.id, Speaker(None, "Residents", anonymous=True), _span(b, "said"),
                    _span(b, FLOODED), "indirect", "assertion"),
    )
    contradiction = Relation(
        "r-contra", "contradiction", ("att-a1", "att-b2"),
        (_span(a, SILVA_A), _span(b, FLOODED)), 0.8,
        f"Ana Silva says no home is reached; residents say houses were flooded.{hostile}")
    variant = Relation(
        "r-variant", "quote_variant", ("att-a1", "att-b1"), (_span(a, SILVA_A), _span(b, SILVA_B)),
        0.9, "Two outlets quote Ana Silva differently.",
        diff=(("equal", "The water will not reach"), ("delete", "a single"),
              ("insert", "any"), ("equal", f"home{hostile}")))
    medium = Relation(
        "r-medium", "medium_divergence", ("att-a1", "att-b1"),
        (_span(a, SILVA_A), _span(b, SILVA_B)), 0.9, "Radio interview or Facebook.")
    corroboration = Relation(
        "r-corr", "corroboration", ("att-a1", "att-b1"),
        (_span(a, "Ana Silva"), _span(b, "Ana Silva")), 1.0, "Both outlets name Ana Silva.",
        independent=2)
    story = Story("s-dam", (a.id, b.id), f"Dam release at Sorrel Creek{hostile}")
    briefs = (Brief("s-dam", (
        BriefSentence("happened", f"Engineers opened two spillway gates.{hostile}",
                      (_span(a, RELEASE),)),
        BriefSentence("contested", "Ana Silva says the water will reach no home; residents say "
                      "three houses were flooded.",
                      (_span(a, SILVA_A), _span(a, "Ana Silva"), _span(b, FLOODED)),
                      relation="r-contra"),
    )),) if brief else ()
    framings = (
        Framing("s-dam", f"Sorrel Gazette{hostile}", (a.id,),
                voices=(Voice(f"Ana Silva{hostile}", "e-silva", (("said", 1),),
                              (("assertion", 1),), 8, 1.0, ("att-a1",)),)),
        Framing("s-dam", "Marrow Valley Ledger", (b.id,),
                voices=(Voice("Ana Silva", "e-silva", (("wrote", 1),), (("assertion", 1),), 7,
                              0.6, ("att-b1",)),
                        Voice("Residents", None, (("said", 1),), (("assertion", 1),), 6, 0.4,
                              ("att-b2",))),
                loaded_terms=(("self-styled", _span(b, "self-styled")),),
                omissions=()),
    )
    framings = (dataclasses.replace(framings[0], omissions=(
        ("houses flooded", _span(b, FLOODED)),)), framings[1])
    return Analysis(
        documents=(a, b), stories=(story,),
        entities=(Entity("e-silva", "Ana Silva", "PERSON",
                         aliases=("Silva", f"district engineer Ana Silva{hostile}"),
                         mentions=((a.id, 1), (b.id, 1))),),
        attributions=attributions,
        relations=(contradiction, variant, medium, corroboration),
        timeline=(
            TimelineEntry("2026-04-12", _span(a, "on Sunday"), "spillway gates opened",
                          event_id="ev-release"),
            TimelineEntry("2026-04-12", _span(b, "on Sunday"), "spillway gates opened",
                          event_id="ev-release", inferred=True),
        ),
        briefs=briefs, framings=framings,
    )


# --- a strict little HTML tree ----------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = dataclasses.field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_class(self, name: str) -> list[Node]:
        return [n for n in self.iter() if name in n.classes()]


class TreeBuilder(HTMLParser):
    """Builds a tree and fails on an end tag that does not close the open element: the
    report's own markup must be balanced, whatever the articles say."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.start_tags: list[tuple[str, dict[str, str]]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.start_tags.append((tag, attributes))
        node = Node(tag, attributes)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)
            self.depth = max(self.depth, len(self.stack))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    return builder


def citations(tree: Node) -> list[Node]:
    return [n for n in tree.iter() if n.tag == "a" and "cite" in n.classes()]


def offsets(link: Node) -> list[tuple[int, int]]:
    """The spans a citation link carries: its data-spans, else data-start and data-end."""
    first = (int(link.attrs["data-start"]), int(link.attrs["data-end"]))
    if "data-spans" not in link.attrs:
        return [first]
    spans = [(int(a), int(b)) for a, b in
             (pair.split("-") for pair in link.attrs["data-spans"].split(" "))]
    assert spans[0] == first
    return spans


def cited_words(tree: Node, link: Node) -> str:
    """The characters a citation link's (first) offsets pick out of the article it points at."""
    return all_cited_words(tree, link)[0]


def all_cited_words(tree: Node, link: Node) -> list[str]:
    target = link.attrs["href"].removeprefix("#")
    assert target == "doc-" + link.attrs["data-doc"]
    (article,) = [n for n in tree.iter() if n.attrs.get("id") == target]
    (text,) = article.find_class("article-text")
    return [text.text()[start:end] for start, end in offsets(link)]


@pytest.fixture
def analysis() -> Analysis:
    return build_analysis()


@pytest.fixture
def tree(analysis: Analysis) -> Node:
    return parse(to_html(analysis)).root


# --- API --------------------------------------------------------------------------------------

def test_render_html_exports() -> None:
    import rashomon.render.html as module

    assert render.to_html is to_html
    assert list(module.__all__) == sorted(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


def test_render_html_is_one_balanced_page_with_every_part(tree: Node) -> None:
    (story,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam"]
    sections = [n.attrs["id"].removeprefix("story-s-dam-") for n in story.children
                if isinstance(n, Node) and n.tag == "section"]
    assert sections == ["brief", "contested", "variants", "corroborated", "timeline", "outlets",
                        "quotes", "entities", "sources"]
    (corroborated,) = [n for n in story.iter() if n.attrs.get("id") == "story-s-dam-corroborated"]
    assert "(score 1.00, 2 independent outlets)" in corroborated.text()
    assert [n.tag for n in tree.iter()].count("h1") == 1
    (document_element,) = [n for n in tree.children if isinstance(n, Node)]
    assert document_element.tag == "html" and document_element.attrs["lang"] == "en"


def test_render_html_shows_contested_claims_side_by_side(tree: Node) -> None:
    (contested,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam-contested"]
    relations = [n for n in contested.iter() if n.tag == "article"]
    assert [r.attrs["id"] for r in relations] == ["rel-r-contra", "rel-r-medium"]
    sides = relations[0].find_class("side")
    assert len(sides) == 2
    assert "Sorrel Gazette" in sides[0].text() and "Ana Silva" in sides[0].text()
    assert "Marrow Valley Ledger" in sides[1].text() and "unnamed source" in sides[1].text()
    assert [cited_words(tree, link) for link in citations(relations[0])] == [SILVA_A, FLOODED]
    assert "via radio interview" in relations[1].text() and "via Facebook" in relations[1].text()


def test_render_html_shows_quote_variants_as_word_diffs(tree: Node) -> None:
    (variant,) = [n for n in tree.iter() if n.attrs.get("id") == "rel-r-variant"]
    deleted = [n.text() for n in variant.iter() if n.tag == "del"]
    inserted = [n.text() for n in variant.iter() if n.tag == "ins"]
    assert (deleted, inserted) == (["a single"], ["any"])
    diff = next(n for n in variant.iter() if "diff" in n.classes())
    assert " ".join(diff.text().split()) == ("Sorrel Gazette → Marrow Valley Ledger: The water "
                                             "will not reach a single any home")


def test_render_html_timeline_groups_entries_of_one_event(tree: Node) -> None:
    (timeline,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam-timeline"]
    rows = [n for n in timeline.iter() if n.tag == "tr"][1:]
    assert len(rows) == 1  # two outlets, one event
    assert "2026-04-12 (date inferred)" in rows[0].text()
    told = [" ".join(n.text().split()) for n in rows[0].find_class("told")]
    assert told == ["Sorrel Gazette: “on Sunday”", "Marrow Valley Ledger: “on Sunday”"]
    links = citations(rows[0])
    assert [cited_words(tree, link) for link in links] == ["on Sunday", "on Sunday"]
    assert links[0].attrs["data-doc"] != links[1].attrs["data-doc"]


def test_render_html_outlets_compare_voices_and_framing(tree: Node) -> None:
    (outlets,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam-outlets"]
    tables = [n for n in outlets.iter() if n.tag == "table"]
    assert len(tables) == 2
    header = [th.text() for th in tables[1].iter() if th.tag == "th"]
    assert header[:3] == ["Speaker", "Sorrel Gazette", "Marrow Valley Ledger"]
    rows = [n for n in tables[1].iter() if n.tag == "tr"][1:]
    cells = [[c.text().strip() for c in row.children if isinstance(c, Node)] for row in rows]
    assert cells[0] == ["Ana Silva", "100% · 8 wordssaid ×1assertion ×1",
                        "60% · 7 wordswrote ×1assertion ×1"]  # <br> between the lines
    assert "not quoted" in rows[1].text()  # the Gazette quotes no residents
    meters = [n.attrs["value"] for n in tables[1].iter() if n.tag == "meter"]
    assert meters == ["1.000", "0.600", "0.400"]
    loaded = [cited_words(tree, link) for link in citations(outlets)]
    assert loaded == [FLOODED, "self-styled"]  # the Gazette's omission, the Ledger's epithet


def _leaving_out_much(analysis: Analysis) -> Analysis:
    """The Gazette leaving out 12 speakers and 13 facts the Ledger carries, speakers first as
    `rashomon.framing` lists them: a large story's outlets each leave out hundreds."""
    flooded = _span(analysis.documents[1], FLOODED)
    speakers = [(f"Resident {i} is not quoted here; quoted by Marrow Valley Ledger", flooded)
                for i in range(12)]
    facts = [(f"{FACT_OMISSION_PREFIX} carried by Marrow Valley Ledger: “fact {i}”", flooded)
             for i in range(13)]
    gazette = dataclasses.replace(analysis.framings[0], omissions=(*speakers, *facts))
    return dataclasses.replace(analysis, framings=(gazette, *analysis.framings[1:]))


def _omission_items(tree: Node) -> list[str]:
    return [n.text() for n in tree.iter() if n.tag == "li" and "here; " in n.text()]


def test_markdown_and_terminal_reports_cut_omissions_as_the_page_does(
        analysis: Analysis) -> None:
    # the same cut in every report: a terminal listing 400 missing speakers an outlet is unread
    many = _leaving_out_much(analysis)
    markdown = render.to_markdown(many)
    console = Console(record=True, width=4000)
    render.print_report(many, console)
    terminal = console.export_text()
    for text in (markdown, terminal):
        assert "fact 9" in text and "fact 10" not in text, text
        assert "Resident 9" in text and "Resident 10" not in text, text
        assert "shown: 10 of 13 facts and 10 of 12 speakers; the JSON report lists all" in text
    assert "shown:" not in render.to_markdown(analysis)  # one omission: nothing is cut


def test_render_html_cuts_each_outlets_omissions_and_says_how_many_are_left_out(
        analysis: Analysis) -> None:
    many = _leaving_out_much(analysis)
    tree = parse(to_html(many)).root
    (outlets,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam-outlets"]
    items = _omission_items(outlets)
    assert len(items) == 2 * OMISSIONS_SHOWN == 20
    assert "fact 0" in items[0] and "fact 9" in items[9]  # the facts first, in their order
    assert "Resident 0" in items[10] and "Resident 9" in items[19]
    cited = [cited_words(tree, link) for link in citations(outlets)]
    assert cited == [FLOODED] * 20 + ["self-styled"]  # then the Ledger's loaded word
    assert ("Shown: 10 of 13 facts and 10 of 12 speakers. The JSON report lists all 25."
            in outlets.text())
    assert "Shown:" not in to_html(analysis)  # one omission: nothing is cut
    linked = parse(story_fragment(many, "s-dam", omissions_href=lambda o: f"/all?o={o}&x=<")).root
    (more,) = [n for n in linked.iter() if n.tag == "a" and n.text().startswith("All 25")]
    assert more.attrs["href"] == "/all?o=Sorrel Gazette&x=<"  # escaped in the markup


def test_render_html_omissions_fragment_lists_all_of_one_outlet(analysis: Analysis) -> None:
    many = _leaving_out_much(analysis)
    tree = parse(omissions_fragment(many, "s-dam", "Sorrel Gazette")).root
    items = _omission_items(tree)
    assert len(items) == 25 and "fact 0" in items[0] and "Resident 11" in items[-1]
    assert [cited_words(tree, link) for link in citations(tree)] == [FLOODED] * 25
    articles = [n.attrs["id"] for n in tree.iter() if "article" in n.classes()]
    assert articles == [element_id("doc", many.documents[1].id)]  # only the cited article
    with pytest.raises(ValueError, match="no outlet"):
        omissions_fragment(many, "s-dam", "Nowhere Times")


def test_render_html_tells_the_framings_two_kinds_of_omission_apart(analysis: Analysis) -> None:
    """The renderers sort omissions by the words `rashomon.framing` begins them with."""
    ledger = analysis.documents[1]
    claim = Claim("c-flood", ledger.id, _span(ledger, FLOODED))
    fact = Fact((claim,), (claim.span,), ("Marrow Valley Ledger", "Wire"), ())
    view = story_views(dataclasses.replace(analysis, claims=(claim,)))[0]
    gazette = next(f for f in framings_of(view, [fact])
                   if f.documents == (analysis.documents[0].id,))
    facts, speakers = omissions_by_kind(gazette)
    assert [span for _, span in facts] == [claim.span]
    assert [text.split(" is ")[0] for text, _ in speakers] == ["Residents (unnamed source)"]


def test_render_html_brief_sentences_cite_their_words(tree: Node, analysis: Analysis) -> None:
    (brief,) = [n for n in tree.iter() if n.attrs.get("id") == "story-s-dam-brief"]
    assert [n.text() for n in brief.iter() if n.tag == "h4"] == ["What happened",
                                                                 "What is contested"]
    paragraphs = [n for n in brief.iter() if n.tag == "p"]
    # one link per outlet, highlighting every span the sentence rests on in that article
    assert [[all_cited_words(tree, link) for link in citations(p)] for p in paragraphs] == [
        [[RELEASE]], [[SILVA_A, "Ana Silva"], [FLOODED]]]
    assert [link.text() for link in citations(paragraphs[1])] == ["Sorrel Gazette",
                                                                  "Marrow Valley Ledger"]
    compare = [n for n in paragraphs[1].iter() if n.tag == "a" and "cite" not in n.classes()]
    assert [n.attrs["href"] for n in compare] == ["#rel-r-contra"]


def test_render_html_no_brief_no_brief_section(analysis: Analysis) -> None:
    without = to_html(dataclasses.replace(analysis, briefs=()))
    assert 'id="story-s-dam-brief"' not in without and "What happened" not in without
    assert 'id="story-s-dam-contested"' in without


def test_render_html_every_citation_slices_to_its_span(tree: Node, analysis: Analysis) -> None:
    links = citations(tree)
    assert len(links) == 18
    texts = {d.id: d.text for d in analysis.documents}
    for link in links:
        words = all_cited_words(tree, link)
        text = texts[link.attrs["data-doc"]]
        assert all(words) and words == [text[start:end] for start, end in offsets(link)]
        assert " … ".join(" ".join(w.split()) for w in words) == link.attrs["title"]


def test_render_html_article_text_is_the_document_text(tree: Node, analysis: Analysis) -> None:
    # the Gazette's text holds an emoji (two UTF-16 units, one code point) and a CR LF
    for document in analysis.documents:
        (article,) = [n for n in tree.iter() if n.attrs.get("id") == f"doc-{document.id}"]
        (text,) = article.find_class("article-text")
        assert text.text() == document.text


def test_render_html_unsafe_characters_keep_their_place() -> None:
    text = "a\x00b\u202ec\U0001f600d\re\x1bf \u2067g\ud800h"
    shown = parse(article_fragment(_document("x.txt", text))).root.find_class("article-text")
    assert shown[0].text() == "a\ufffdb\ufffdc\U0001f600d\re\ufffdf \ufffdg\ufffdh"


def test_render_html_makes_no_request_of_any_kind(tree: Node) -> None:
    markup = to_html(build_analysis("https://tracker.example/p.png"))
    builder = parse(markup)
    for tag, attrs in builder.start_tags:
        assert "src" not in attrs and "srcset" not in attrs and "action" not in attrs
        assert tag not in {"img", "link", "iframe", "object", "embed", "base", "form", "svg"}
        assert attrs.get("href", "#").startswith("#"), (tag, attrs)
    for style in (n for n in builder.root.iter() if n.tag in ("style", "script")):
        assert "url(" not in style.text() and "@import" not in style.text()
        assert "http" not in style.text() and "fetch(" not in style.text()
    (csp,) = [n.attrs["content"] for n in builder.root.iter()
              if n.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp.startswith("default-src 'none';") and "base-uri 'none'" in csp


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_render_html_csp_allows_exactly_the_inline_style_and_script(tree: Node) -> None:
    (style,) = [n.text() for n in tree.iter() if n.tag == "style"]
    (script,) = [n.text() for n in tree.iter() if n.tag == "script"]
    assert (style, script) == (STYLESHEET, SCRIPT)
    assert f"style-src 'sha256-{_sha256(style)}'" in CONTENT_SECURITY_POLICY
    assert f"script-src 'sha256-{_sha256(script)}'" in CONTENT_SECURITY_POLICY


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "'><iframe src=//evil.example>",
    "\u202egnp.exe <b>bidi</b>",
    "<div>" * 10_000,
    "</section></main></body><script>alert(4)</script>",
    "<style>body{background:url(//evil.example/x)}</style>",
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h[:24])
def test_render_html_hostile_text_stays_inert_text(hostile: str) -> None:
    analysis = build_analysis(hostile)
    builder = parse(to_html(analysis))
    tags = [tag for tag, _ in builder.start_tags]
    # the hostile text adds not one element to the page
    assert sorted(tags) == sorted(tag for tag, _ in parse(to_html(build_analysis())).start_tags)
    assert tags.count("script") == 1 and not {"img", "svg", "iframe", "textarea"} & set(tags)
    for _, attrs in builder.start_tags:
        assert not [name for name in attrs if name.startswith("on")]
        assert attrs.get("href", "#").startswith("#")
    assert builder.depth < 30  # 10,000 nested tags in the text nest nothing
    article = next(n for n in builder.root.iter() if "article-text" in n.classes())
    assert hostile.replace("\u202e", "\ufffd") in article.text()  # the words, as words
    assert "\u202e" not in to_html(analysis)


def test_render_html_ids_that_are_not_safe_are_hashed(analysis: Analysis) -> None:
    odd = '"><script>x</script>'
    a = dataclasses.replace(analysis.documents[0], id=odd)
    moved = dataclasses.replace(
        analysis, documents=(a, analysis.documents[1]), stories=(Story(odd, (odd,)),),
        attributions=(), relations=(), briefs=(), framings=(),
        timeline=(TimelineEntry("2026-04-12", Span(odd, 0, 3), "x", event_id=odd),))
    builder = parse(to_html(moved))
    assert element_id("doc", odd).startswith("doc-_") and "<" not in element_id("doc", odd)
    (link,) = citations(builder.root)
    assert cited_words(builder.root, link) == "Dam"
    assert [tag for tag, _ in builder.start_tags].count("script") == 1


def test_render_html_refuses_a_citation_outside_its_document(analysis: Analysis) -> None:
    entry = dataclasses.replace(analysis.timeline[0],
                                span=Span(analysis.documents[0].id, 5, 10_000))
    with pytest.raises(ValueError, match="outside document"):
        to_html(dataclasses.replace(analysis, timeline=(entry,)))


def test_render_html_story_fragment_for_the_app(analysis: Analysis) -> None:
    fragment = story_fragment(analysis, "s-dam")
    assert "<html" not in fragment and "<script" not in fragment and "<head" not in fragment
    tree = parse(fragment).root
    assert all(cited_words(tree, link) for link in citations(tree))
    bare = story_fragment(analysis, "s-dam", sources=False)
    assert "article-text" not in bare and 'class="cite' in bare
    with pytest.raises(ValueError, match="s-missing.*s-dam"):
        story_fragment(analysis, "s-missing")
    loose = dataclasses.replace(analysis, stories=())
    assert "Documents in no story" in story_fragment(loose, None)


def test_render_html_page_wraps_a_body(analysis: Analysis) -> None:
    markup = page("<Sorrel> & co", "<p>body</p>")
    assert markup.startswith("<!DOCTYPE html>")
    assert "<title>&lt;Sorrel&gt; &amp; co</title>" in markup
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in markup


def test_render_html_empty_analysis() -> None:
    markup = to_html(Analysis())
    assert "No documents were analysed." in markup
    parse(markup)


# --- the command ------------------------------------------------------------------------------

def _invoke(args: list[str]) -> Any:
    """The command's result; a crash is raised as itself, not mistaken for exit code 1."""
    result = CliRunner().invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`rashomon analyze` on the three invented ferry articles, a hostile one and one over the
    size cap, writing HTML and printing JSON; run twice."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (folder / "huge.txt").write_text("<script>alert('huge')</script> " * 400, encoding="utf-8")
    out = folder / "out" / "report.html"
    inputs = [str(ROOT / "examples" / f"harbor-ferry-{n}.txt") for n in (1, 2, 3)]
    inputs += [str(folder / "hostile.txt"), str(folder / "huge.txt")]
    args = ["analyze", "--db", str(folder / "r.db"), *inputs, "--out", str(out), "--json", "-q",
            "--max-document-bytes", "8000"]
    first = _invoke(args)
    assert first.exit_code == 1, first.stderr  # the huge one refused, the others reported
    inode = os.stat(out).st_ino
    markup = out.read_text(encoding="utf-8")
    again = _invoke(args)
    assert again.exit_code == 1, again.stderr
    return {"out": out, "markup": markup, "inode": inode, "report": json.loads(first.stdout),
            "stderr": first.stderr}


HOSTILE_ARTICLE = """Kestrel Point Ferry Row Deepens <script>alert(1)</script>

Port Veyra, June 3, 2026 – Harbour master Celia Ondrecht said the terminal would stay closed until Friday.
"<img src=x onerror=alert(2)> Nobody was hurt on the ferry," Ondrecht told reporters.
Readers were urged to <a href="javascript:alert(3)">click here</a> for updates.
"""


@pytest.mark.slow
def test_render_html_cli_writes_the_report_atomically(cli_run: dict[str, Any]) -> None:
    out: Path = cli_run["out"]
    assert out.read_text(encoding="utf-8") == cli_run["markup"]  # the same analysis, the same page
    assert os.stat(out).st_ino != cli_run["inode"]  # replaced by a rename, never rewritten in place
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]  # no temporary left
    assert cli_run["markup"].endswith("</html>\n")


@pytest.mark.slow
def test_render_html_cli_report_cites_the_real_analysis(cli_run: dict[str, Any]) -> None:
    builder = parse(cli_run["markup"])
    tree = builder.root
    texts = {d["id"]: d["text"] for d in cli_run["report"]["documents"]}
    links = citations(tree)
    assert len(links) > 20
    for link in links:
        start, end = int(link.attrs["data-start"]), int(link.attrs["data-end"])
        assert cited_words(tree, link) == texts[link.attrs["data-doc"]][start:end]
    contested = next(n for n in tree.iter() if n.attrs.get("id", "").endswith("-contested"))
    medium = " ".join(contested.text().split())
    assert "via Facebook" in medium and "via Telegram" in medium
    variants = next(n for n in tree.iter() if n.attrs.get("id", "").endswith("-variants"))
    assert [n.text() for n in variants.iter() if n.tag == "ins"]


@pytest.mark.slow
def test_render_html_cli_hostile_article_inert_and_huge_one_refused(
    cli_run: dict[str, Any]
) -> None:
    builder = parse(cli_run["markup"])
    tags = [tag for tag, _ in builder.start_tags]
    assert tags.count("script") == 1 and "img" not in tags
    assert all(not name.startswith("on") for _, attrs in builder.start_tags for name in attrs)
    assert all(attrs.get("href", "#").startswith("#") for _, attrs in builder.start_tags)
    hostile = next(d for d in cli_run["report"]["documents"] if d["source"].endswith("hostile.txt"))
    (article,) = [n for n in builder.root.iter() if n.attrs.get("id") == f"doc-{hostile['id']}"]
    assert '<a href="javascript:alert(3)">' in article.text()  # shown as the words it is
    assert "huge.txt" in cli_run["stderr"] and "max_document_bytes" in cli_run["stderr"]
    assert not [d for d in cli_run["report"]["documents"] if d["source"].endswith("huge.txt")]
    assert "alert(&#x27;huge&#x27;)" not in cli_run["markup"]


def test_render_html_cli_refuses_other_suffixes(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", "x.txt", "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and ".html" in result.stderr


# --- a real browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield chromium
        chromium.close()


@pytest.mark.slow  # starts Chromium
def test_render_html_browser_click_highlights_exactly_the_cited_span(
    browser: Any, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    analysis = build_analysis(HOSTILE[1])
    texts = {d.id: d.text for d in analysis.documents}
    report.write_text(to_html(analysis), encoding="utf-8")
    context = browser.new_context()
    page_ = context.new_page()
    requests: list[str] = []
    alerts: list[str] = []
    errors: list[str] = []
    page_.on("request", lambda request: requests.append(request.url))

    def on_dialog(dialog: Any) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page_.on("dialog", on_dialog)
    page_.on("console", lambda message: errors.append(message.text))
    page_.goto(report.as_uri())
    try:
        links = page_.locator("a.cite")
        assert links.count() == 18
        for index in range(links.count()):
            link = links.nth(index)
            link.click()
            attrs = link.evaluate("a => Object.fromEntries([...a.attributes].map("
                                  "x => [x.name, x.value]))")
            expected = [texts[attrs["data-doc"]][start:end]
                        for start, end in sorted(offsets(Node("a", attrs)))]
            marks = page_.locator("mark").all_text_contents()  # the previous ones are gone
            assert marks == expected
            assert page_.evaluate("() => document.activeElement.tagName") == "MARK"
        # the styles applied (the CSP hash matches) and the script ran (a mark exists)
        assert page_.evaluate("() => getComputedStyle(document.body).maxWidth") != "none"
    except AssertionError as failure:
        shot = tmp_path / "failure.png"
        page_.screenshot(path=str(shot), full_page=True)
        raise AssertionError(f"{failure} (screenshot: {shot})") from failure
    finally:
        context.close()
    assert requests == [report.as_uri()] and alerts == [] and errors == []
