"""The terminal report, drawn with rich: one rule per story, then panels and tables.

Rich reads ``[...]`` in a string as markup and ``:name:`` as an emoji code, so text that comes
from articles (titles, quotes, names, dates, explanations) never reaches rich as a string: it is
wrapped in `Text`, which rich prints character for character. (`rich.markup.escape` would stop
the markup but not the emoji codes: ``:fire:`` in a quote would print as a flame.) Control
characters are stripped first (`inline`), so an article cannot send escape sequences to the
reader's terminal. Plain strings handed to rich here are our own words and numbers.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from rashomon.dates import date_label
from rashomon.model import Analysis, Relation
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

__all__ = ["print_report"]

# A sentence of the brief may rest on many spans: show where the first few lie (JSON has all).
_CITATIONS_SHOWN = 4
# Markers as well as colours (git's word-diff style): the diff must still read when the output
# is piped, printed, or seen by someone who cannot tell red from green.
_DIFF_STYLES = {
    "delete": ("[-{}-]", "red strike"),
    "insert": ("{{+{}+}}", "green bold"),
    "equal": ("{}", ""),
}


def print_report(analysis: Analysis, console: Console) -> None:
    """Print the report on `console`: per story, the brief first, then outlets, framing, quotes,
    relations, entities, timeline."""
    views = report_views(analysis)
    if not views:
        console.print("No documents were analysed.", style="dim")
    for view in views:
        _print_story(view, console)


def _literal(text: str, style: str = "") -> Text:
    """Untrusted text as one line that rich prints character for character."""
    return Text(inline(text), style=style)


def _print_story(view: StoryView, console: Console) -> None:
    console.print(Rule(_literal(story_title(view), "bold")))
    brief = _brief(view)
    if brief is not None:
        console.print(brief)
    console.print(_documents(view))
    framing = _framing(view)
    if framing is not None:
        console.print(framing)
    quotes = quotes_by_speaker(view)
    if quotes:
        console.print(Text("Quotes", style="bold underline"))
        for group in quotes:
            console.print(_speaker_panel(view, group))
    if view.relations:
        console.print(_relations(view))
    if view.entities:
        console.print(_entities(view))
    if view.timeline:
        console.print(_timeline(view))
    console.print()


def _brief(view: StoryView) -> Panel | None:
    """The brief, section by section, each sentence followed by where its sources lie."""
    sections = brief_sections(view)
    if not sections:
        return None
    owner = f"brief of story {view.story_id}"
    lines: list[RenderableType] = []
    for heading, sentences in sections:
        lines.append(Text(heading, style="bold"))
        for sentence in sentences:
            # hanging indents, so that a wrapped sentence still reads as one item
            lines.append(Padding(_literal(sentence.text), (0, 0, 0, 2)))
            places = [citation(view, span, owner) for span in sentence.citations]
            shown = "; ".join(places[:_CITATIONS_SHOWN])
            if len(places) > _CITATIONS_SHOWN:
                shown += f"; and {len(places) - _CITATIONS_SHOWN} more"
            lines.append(Padding(Text("sources: ", style="dim").append(_literal(shown, "dim")),
                                 (0, 0, 0, 4)))
    return Panel(Group(*lines), title=Text("Brief", style="bold"), title_align="left")


def _framing(view: StoryView) -> Group | None:
    """Speakers by outlet: cue words and share of quoted words; then loaded terms and
    omissions per outlet."""
    table = framing_table(view)
    parts: list[RenderableType] = []
    if table is not None:
        grid = Table(title="Framing: cue words and share of quoted words, by outlet",
                     title_justify="left", expand=True)
        grid.add_column("Speaker", style="bold", ratio=1)
        for outlet in table.outlets:
            grid.add_column(_literal(outlet, "cyan"), ratio=1)
        for speaker, cells in table.rows:
            grid.add_row(_literal(speaker), *(_literal(cell) for cell in cells))
        parts.append(grid)
    for framing in view.framings:
        owner = f"framing of {framing.outlet}"
        if framing.loaded_terms:
            terms = "; ".join(f"“{span_text(view, span, owner)}”" for _, span in framing.loaded_terms)
            parts.append(Text.assemble(_literal(framing.outlet, "cyan"), " loaded terms: ",
                                       _literal(terms)))
        if framing.omissions:
            missing = "; ".join(inline(description) for description, _ in shown_omissions(framing))
            counts = omissions_left_out(framing)
            if counts is not None:
                missing += f" (shown: {counts}; the JSON report lists all)"
            parts.append(Text.assemble(_literal(framing.outlet, "cyan"), " leaves out: ",
                                       _literal(missing, "dim")))
    return Group(*parts) if parts else None


def _documents(view: StoryView) -> Table:
    outlets = outlet_names(view)
    table = Table(
        title=f"{len(view.documents)} document(s) from {len(outlets)} outlet(s)",
        title_justify="left",
        expand=True,
    )
    table.add_column("Outlet", style="cyan", ratio=1)
    table.add_column("Published", no_wrap=True)
    table.add_column("Title", ratio=3)
    for document in view.documents:
        date = document.published or "unknown"
        if document.published and document.published_inferred:
            date += " (inferred)"
        table.add_row(
            _literal(outlet_name(view, document.id)),
            _literal(date),
            _literal(document.title or document.source),
        )
    return table


def _speaker_panel(view: StoryView, group: SpeakerQuotes) -> Panel:
    lines: list[RenderableType] = []
    for outlet, attributions in group.by_outlet:
        lines.append(_literal(outlet, "cyan bold"))
        for attribution in attributions:
            quote = Text("  ").append(_literal(quote_text(view, attribution)))
            lines.append(quote)
            lines.append(Text("    ").append(_literal(quote_details(view, attribution), "dim")))
    count = f" · {group.count} quote{'s' if group.count != 1 else ''}"
    title = Text.assemble(_literal(group.speaker, "bold"), count)
    return Panel(Group(*lines), title=title, title_align="left")


def _relations(view: StoryView) -> Table:
    table = Table(title="Relations across outlets", title_justify="left", expand=True,
                  show_lines=True)
    table.add_column("Kind", style="magenta", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("What differs", ratio=1)
    for relation in view.relations:
        table.add_row(kind_label(relation.kind), f"{relation.score:.2f}",
                      _relation_detail(view, relation))
    return table


def _relation_detail(view: StoryView, relation: Relation) -> Group:
    owner = f"relation {relation.id}"
    parts: list[RenderableType] = [_literal(relation.explanation)]
    for span in relation.evidence:
        parts.append(Text.assemble(_literal(outlet_name(view, span.doc), "cyan"), ": ",
                                   _literal(f"“{span_text(view, span, owner)}”")))
    if relation.diff:
        parts.append(Text("word diff: ", style="dim").append(_diff(relation)))
    return Group(*parts)


def _diff(relation: Relation) -> Text:
    text = Text()
    for op, words in relation.diff:
        if inline(words):
            marker, style = _DIFF_STYLES.get(op, _DIFF_STYLES["equal"])
            text.append(_literal(marker.format(words), style))
            text.append(" ")
    text.rstrip()
    return text


def _entities(view: StoryView) -> Table:
    table = Table(title="Entities", title_justify="left", expand=True)
    table.add_column("Name", style="bold", ratio=1)
    table.add_column("Type", no_wrap=True)
    table.add_column("Also called", ratio=2)
    table.add_column("Mentions", justify="right", no_wrap=True)
    for entity in view.entities:
        mentions, documents = mention_count(view, entity)
        aliases = "; ".join(inline(a) for a in entity.aliases if a != entity.name)
        table.add_row(_literal(entity.name), _literal(entity.type), _literal(aliases),
                      f"{mentions} in {documents} doc(s)" if mentions else "")
    return table


def _timeline(view: StoryView) -> Table:
    table = Table(title="Timeline", title_justify="left", expand=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Event", ratio=2)
    table.add_column("Source", ratio=1)
    for entries in timeline_events(view):
        date = "; ".join(dict.fromkeys(date_label(e.date) for e in entries)) + date_notes(entries)
        source = Text()
        for n, entry in enumerate(entries):
            words = span_text(view, entry.span, f"timeline entry {entry.date}")
            source.append_text(Text.assemble("\n" if n else "",
                                             _literal(outlet_name(view, entry.span.doc), "cyan"),
                                             ": ", _literal(f"“{words}”")))
        table.add_row(_literal(date), _literal(entries[0].event), source)
    return table
