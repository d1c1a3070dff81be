"""The Markdown report: one section per story, for reading or pasting into notes.

Article text comes from strangers. Every piece of it goes through `escape`, which puts it on one
line and backslash-escapes the characters that would make a link, an image, raw HTML, emphasis,
a code span or a heading, so that a quote reads as the words it is and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rashomon.dates import date_label
from rashomon.model import (
    Analysis,
    Attribution,
    BriefSentence,
    Document,
    Entity,
    Relation,
    TimelineEntry,
)
from rashomon.render._views import (
    SpeakerQuotes,
    brief_sections,
    citation,
    date_notes,
    framing_table,
    inline,
    kind_label,
    mention_count,
    omissions_left_out,
    outlet_name,
    outlet_names,
    quote_details,
    quote_text,
    quotes_by_speaker,
    report_views,
    shown_omissions,
    span_text,
    story_title,
    timeline_events,
)
from rashomon.story_view import StoryView

# A sentence of the brief may rest on many spans (a count cites every statement it counts):
# the Markdown shows where the first few lie; the JSON report lists them all.
_CITATIONS_SHOWN = 4

__all__ = ["escape", "to_markdown"]

# All ASCII punctuation, which CommonMark lets a backslash escape. `[` `]` stop links and
# images, `<` `>` raw HTML and autolinks, `&` entity references, `|` table cells, `~`
# strikethrough; `#` anywhere, not only in front, because a heading eats a trailing `#` run.
# Line-start markers (`-`, `1.`, `>`) need nothing more: escaped text never starts a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_DIFF_MARKUP = {"delete": "~~{}~~", "insert": "**{}**", "equal": "{}"}


def escape(text: str) -> str:
    """Untrusted text as one line of Markdown that renders as exactly these characters."""
    return _SPECIAL.sub(r"\\\1", inline(text))


def to_markdown(analysis: Analysis) -> str:
    """The report as Markdown: per story, the brief first, then documents, framing, quotes,
    relations, entities, timeline."""
    lines = ["# Rashomon report", ""]
    views = report_views(analysis)
    if not views:
        lines += ["No documents were analysed.", ""]
    for view in views:
        lines += _story(view)
    return "\n".join(lines).rstrip("\n") + "\n"


def _story(view: StoryView) -> list[str]:
    outlets = outlet_names(view)
    lines = [f"## {escape(story_title(view))}", ""]
    lines += [
        f"{len(view.documents)} document{'s' if len(view.documents) != 1 else ''} from "
        f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''}: "
        + ", ".join(escape(o) for o in outlets),
        "",
    ]
    lines += _brief(view)
    lines += _section("Documents", [_document(view, d) for d in view.documents])
    lines += _framing(view)
    lines += _quotes(view)
    lines += _section("Relations", [line for r in view.relations for line in _relation(view, r)])
    lines += _section("Entities", [_entity(view, e) for e in view.entities])
    lines += _section("Timeline", [_timeline_event(view, e) for e in timeline_events(view)])
    return lines


def _brief(view: StoryView) -> list[str]:
    """The brief, section by section; each sentence with where its citations lie."""
    body: list[str] = []
    for heading, sentences in brief_sections(view):
        body += [f"**{heading}**", ""]
        body += [_brief_sentence(view, s) for s in sentences]
        body.append("")
    return _section("Brief", body[:-1]) if body else []


def _brief_sentence(view: StoryView, sentence: BriefSentence) -> str:
    owner = f"brief of story {view.story_id}"
    places = [escape(citation(view, span, owner)) for span in sentence.citations]
    shown = "; ".join(places[:_CITATIONS_SHOWN])
    if len(places) > _CITATIONS_SHOWN:
        shown += f"; and {len(places) - _CITATIONS_SHOWN} more"
    return f"- {escape(sentence.text)} *(sources: {shown})*"


def _framing(view: StoryView) -> list[str]:
    """Speakers by outlet (cue words and share of quoted words), then each outlet's loaded
    terms and omissions."""
    table = framing_table(view)
    lines: list[str] = []
    if table is not None:
        lines += [
            ("Cue words each outlet uses for each speaker, and the speaker's share of the words "
             "the outlet quotes or paraphrases."),
            "",
            "| Speaker | " + " | ".join(escape(o) for o in table.outlets) + " |",
            "|---" * (len(table.outlets) + 1) + "|",
        ]
        lines += ["| " + " | ".join(escape(cell) for cell in (speaker, *cells)) + " |"
                  for speaker, cells in table.rows]
        lines.append("")
    for framing in view.framings:
        owner = f"framing of {framing.outlet}"
        parts = []
        if framing.loaded_terms:
            parts.append("loaded terms: " + "; ".join(
                f"“{escape(span_text(view, span, owner))}”" for _, span in framing.loaded_terms))
        if framing.omissions:
            counts = omissions_left_out(framing)
            parts.append("leaves out: " + "; ".join(
                escape(description) for description, _ in shown_omissions(framing)) + (
                f" (shown: {counts}; the JSON report lists all)" if counts is not None else ""))
        if parts:
            lines.append(f"- **{escape(framing.outlet)}**: " + ". ".join(parts))
    return _section("Framing", lines)


def _section(title: str, body: list[str]) -> list[str]:
    """A subsection, or nothing when there is nothing to put in it."""
    return [f"### {title}", "", *body, ""] if body else []


def _document(view: StoryView, document: Document) -> str:
    date = document.published or "date unknown"
    if document.published and document.published_inferred:
        date += " (inferred)"
    title = escape(document.title) if document.title else "untitled"
    return (f"- **{escape(outlet_name(view, document.id))}**, {escape(date)}: {title} "
            f"({escape(document.source)})")


def _quotes(view: StoryView) -> list[str]:
    groups = quotes_by_speaker(view)
    if not groups:
        return []
    lines = ["### Quotes", ""]
    for group in groups:
        lines += _speaker_quotes(view, group)
    return lines


def _speaker_quotes(view: StoryView, group: SpeakerQuotes) -> list[str]:
    lines = [f"#### {escape(group.speaker)}", ""]
    for outlet, attributions in group.by_outlet:
        lines += [f"**{escape(outlet)}**", ""]
        lines += [_quote(view, a) for a in attributions]
        lines.append("")
    return lines


def _quote(view: StoryView, attribution: Attribution) -> str:
    return f"- {escape(quote_text(view, attribution))} ({escape(quote_details(view, attribution))})"


def _relation(view: StoryView, relation: Relation) -> list[str]:
    owner = f"relation {relation.id}"
    lines = [
        f"- **{kind_label(relation.kind).capitalize()}** (score {relation.score:.2f}): "
        f"{escape(relation.explanation)}"
    ]
    for span in relation.evidence:
        lines.append(f"  - {escape(outlet_name(view, span.doc))}: “{escape(span_text(view, span, owner))}”")
    if relation.diff:
        lines.append(f"  - Word diff (~~removed~~, **added**): {_diff(relation)}")
    return lines


def _diff(relation: Relation) -> str:
    return " ".join(
        _DIFF_MARKUP.get(op, "{}").format(escape(words))
        for op, words in relation.diff
        if inline(words)
    )


def _entity(view: StoryView, entity: Entity) -> str:
    mentions, documents = mention_count(view, entity)
    line = f"- **{escape(entity.name)}** ({escape(entity.type)})"
    aliases = [escape(a) for a in entity.aliases if inline(a) and a != entity.name]
    if aliases:
        line += ", also: " + "; ".join(aliases)
    if mentions:
        line += (f", {mentions} mention{'s' if mentions != 1 else ''} in {documents} "
                 f"document{'s' if documents != 1 else ''}")
    return line


def _timeline_event(view: StoryView, entries: Sequence[TimelineEntry]) -> str:
    """One event, with every outlet that dates it and the words each dates it with."""
    dates = "; ".join(dict.fromkeys(escape(date_label(e.date)) for e in entries))
    told = "; ".join(
        f"{escape(outlet_name(view, e.span.doc))}: “{escape(span_text(view, e.span, f'timeline entry {e.date}'))}”"
        for e in entries)
    return f"- **{dates}**{date_notes(entries)}: {escape(entries[0].event)} ({told})"
