"""The article's shape: its title, the lines dropped and why, what they tell, its dateline."""

from __future__ import annotations

from dataclasses import dataclass

from rashomon.clean.datelines import Dateline, as_date_line, parse_dateline
from rashomon.clean.features import (
    CLOSERS,
    LEAD_IN_END,
    capital_ratio,
    ends_like_sentence,
    is_sentence,
    normalised,
    word_count,
)
from rashomon.clean.furniture import BYLINE, HANDLE, is_headline_like
from rashomon.clean.lines import Line
from rashomon.clean.masthead import outlet_from_copyright, outlet_from_handle

__all__ = ["drop_reasons", "find_dateline", "find_title", "read_evidence"]


def _reads_as_headline(text: str) -> bool:
    """Whether a first line is a headline rather than the first sentence of the body."""
    words = word_count(text)
    if words == 0 or words > 30:
        return False
    ratio = capital_ratio(text)
    core = text.rstrip(CLOSERS)
    if core.endswith(("?", "!")):
        return ratio >= 0.6
    if core.endswith((".", "…", ":", ",", ";")):
        return False
    return ratio >= 0.5 or words <= 18


def find_title(lines: list[Line], furniture: dict[int, str]) -> int | None:
    """The index of the title line, if the article opens with one.

    The title is the first line that is not furniture, when it reads as a headline. A one- or
    two-word line followed by another headline is a section kicker ("World", "Europe"): the
    headline after it is the title.
    """
    leading = [i for i in range(len(lines)) if i not in furniture]
    for position, index in enumerate(leading):
        text = lines[index].text
        if not _reads_as_headline(text) or parse_dateline(text) is not None:
            return None
        following = leading[position + 1] if position + 1 < len(leading) else None
        is_kicker = (
            word_count(text) <= 2
            and following is not None
            and _reads_as_headline(lines[following].text)
            and not is_sentence(lines[following].text)
        )
        if not is_kicker:
            return index
    return None


def _edge_zone(lines: list[Line], drops: dict[int, str]) -> tuple[int, int]:
    """Indices of the first and last line that read as sentences, among those still kept."""
    sentences = [i for i, line in enumerate(lines) if i not in drops and is_sentence(line.text)]
    if not sentences:
        return len(lines), -1
    return sentences[0], sentences[-1]


# A line this long ending in a comma or colon is a sentence cut off (a page truncated mid-way),
# not a list of names.
_CUT_SENTENCE_WORDS = 10


def _is_edge_fragment(text: str) -> bool:
    if is_sentence(text) or word_count(text) > 40:
        return False
    if word_count(text) >= _CUT_SENTENCE_WORDS and LEAD_IN_END.search(text):
        return False
    return capital_ratio(text) >= 0.5


def drop_reasons(
    lines: list[Line], furniture: dict[int, str], title_index: int | None, given_title: str | None
) -> dict[int, str]:
    """Why each dropped line goes; lines not in the result make up the body."""
    drops = dict(furniture)
    title_keys = {normalised(t) for t in (given_title,) if t}
    if title_index is not None:
        drops[title_index] = "title"
        title_keys.add(normalised(lines[title_index].text))
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if index in drops:
            continue
        key = normalised(line.text)
        if key in title_keys:
            drops[index] = "title repeat"
        elif key in seen:
            drops[index] = "repeat"
        elif is_headline_like(line.text):
            drops[index] = "headline"
        seen.add(key)
    first, last = _edge_zone(lines, drops)
    for index, line in enumerate(lines):
        # Before the first sentence or after the last one, a line that is no sentence and is
        # mostly names is the page around the article (tag lists, credits), whatever its
        # length; a sentence-case standfirst without its full stop stays.
        outside = index < first or index > last
        if index not in drops and outside and _is_edge_fragment(line.text):
            drops[index] = "edge fragment"
    return drops


@dataclass(frozen=True, slots=True)
class _Evidence:
    outlet: str | None = None
    author: str | None = None
    published: str | None = None


def read_evidence(lines: list[Line], drops: dict[int, str]) -> _Evidence:
    """Metadata read from furniture before it is dropped."""
    handle_outlet: str | None = None
    copyright_outlet: str | None = None
    author: str | None = None
    published: str | None = None
    for index, reason in sorted(drops.items()):
        text = lines[index].text
        # Only a call to follow or join names the page's own account; a bare handle on a line
        # is as likely an embedded post by someone in the story.
        if reason == "call to action" and handle_outlet is None:
            handle = HANDLE.search(text)
            handle_outlet = outlet_from_handle(handle.group(1)) if handle else None
        elif reason == "copyright" and copyright_outlet is None:
            copyright_outlet = outlet_from_copyright(text)
        elif reason == "byline" and author is None:
            match = BYLINE.match(text)
            author = match.group("name").strip() if match else None
        elif reason == "date line" and published is None:
            date_line = as_date_line(text, near_top=True)
            published = date_line.date if date_line else None
    # The copyright line spells the outlet's name; a handle only hints at it.
    return _Evidence(copyright_outlet or handle_outlet, author, published)


def find_dateline(lines: list[Line], kept: list[int]) -> tuple[int, Dateline] | None:
    """A dateline opening one of the first paragraphs of the body (after a standfirst, say).

    One that is only a place in capitals ("VELMORA - ") counts only before the first full
    sentence: after it, "VNB - TV reports that ..." is a hyphenated name opening a sentence of
    the story, not a dateline. A date or a wire agency in brackets is evidence enough anywhere
    in the first paragraphs.
    """
    for position, index in enumerate(kept[:3]):
        dateline = parse_dateline(lines[index].text)
        first_piece = lines[index].pieces[0]
        if dateline is None or dateline.end >= first_piece[1] - first_piece[0]:
            continue
        weak = dateline.date is None and dateline.agency is None
        if weak and any(ends_like_sentence(lines[i].text) for i in kept[:position]):
            continue
        return index, dateline
    return None


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------
