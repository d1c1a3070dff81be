"""Lines: the raw text cut into logical lines, hard-wrapped lines joined back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rashomon.clean.datelines import loose_date_line
from rashomon.clean.features import MINOR_WORDS, capital_ratio, ends_like_sentence

__all__ = ["Line", "TOP_LINES", "logical_lines"]

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# How many lines from the top of the page a date line in its looser forms may sit.
TOP_LINES = 8
# Zero-width characters and the BOM are invisible padding from HTML conversion, not text.
_PADDING = r"[\s\u200b\u200c\u200d\u2060\ufeff]"
_LEADING_PADDING = re.compile(rf"^{_PADDING}+")
_TRAILING_PADDING = re.compile(rf"{_PADDING}+$")


@dataclass(frozen=True, slots=True)
class Line:
    """A logical line: one raw line, or several when the raw text was hard-wrapped.

    `pieces` are the raw (start, end) of each physical line, stripped of outer whitespace;
    `block` counts the blank-line-separated paragraphs of the raw text.
    """

    pieces: tuple[tuple[int, int], ...]
    block: int
    text: str

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _physical_lines(raw_text: str) -> list[tuple[int, int, int]]:
    """Non-blank raw lines as (start, end, block), outer whitespace left out."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAK.finditer(raw_text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(raw_text)))

    lines: list[tuple[int, int, int]] = []
    block = 0
    for start, end in bounds:
        segment = raw_text[start:end]
        lead = _LEADING_PADDING.match(segment)
        left = start + (lead.end() if lead else 0)
        trail = _TRAILING_PADDING.search(segment)
        right = start + (trail.start() if trail else len(segment))
        if left >= right:
            if lines and lines[-1][2] == block:
                block += 1
            continue
        lines.append((left, right, block))
    return lines


def _continues(previous: str, following: str) -> bool:
    """Whether `following` carries on the sentence of `previous` (hard-wrapped text)."""
    if ends_like_sentence(previous):
        return False
    # "on May 2, 2031 at 10:15" under a headline starts in lower case but continues nothing.
    if loose_date_line(following) is not None:
        return False
    if following[0].islower():
        return True
    if previous[-1] in ",;(–—-":
        return True
    return previous.rsplit(None, 1)[-1].lower() in MINOR_WORDS


def _is_wrapped_block(texts: list[str]) -> bool:
    """A block typed with hard line breaks: most lines long and not ending a sentence."""
    inner = texts[:-1]
    if len(inner) < 2:
        return False
    # Capitalised lines are a list of headlines, not a wrapped paragraph.
    wrapped = sum(
        1
        for t in inner
        if len(t) >= 45 and not ends_like_sentence(t) and capital_ratio(t) < 0.5
    )
    return wrapped >= 0.6 * len(inner)


def logical_lines(raw_text: str) -> list[Line]:
    """Raw lines with hard-wrapped continuations joined back to the line they continue."""
    by_block: dict[int, list[tuple[int, int]]] = {}
    for start, end, block in _physical_lines(raw_text):
        by_block.setdefault(block, []).append((start, end))

    lines: list[Line] = []
    for block, spans in by_block.items():
        texts = [raw_text[s:e] for s, e in spans]
        if _is_wrapped_block(texts):
            lines.append(Line(tuple(spans), block, "\n".join(texts)))
            continue
        group = [0]
        for index in range(1, len(spans)):
            if _continues(texts[index - 1], texts[index]):
                group.append(index)
                continue
            lines.append(_make_line(spans, texts, group, block))
            group = [index]
        lines.append(_make_line(spans, texts, group, block))
    return lines


def _make_line(
    spans: list[tuple[int, int]], texts: list[str], group: list[int], block: int
) -> Line:
    return Line(tuple(spans[i] for i in group), block, "\n".join(texts[i] for i in group))
