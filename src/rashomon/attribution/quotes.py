"""Quote marks paired into quotations, without looking at the parse."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A stretch of text between a pair of quote marks.

    `open`/`close` are the offsets of the marks; `start`/`end` the quoted words (trimmed);
    `continued` says the quote runs on from the previous paragraph (its marks are open-ended).
    """

    open: int
    close: int
    start: int
    end: int
    continued: bool = False

    @property
    def outer_end(self) -> int:
        return self.close + 1


_CLOSER = {"“": "”", "‘": "’", '"': '"', "'": "'", "„": "“", "«": "»"}


_OPENING_CONTEXT = " \t\n([{—–-/"


def _is_opener(text: str, i: int) -> bool:
    """Whether the mark at `i` can open a quotation (an apostrophe cannot)."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    if mark in "“„«":
        return True
    if mark == '"':
        # author="Ana": a markup attribute's value left in the text, not a quotation.
        return not before.isalnum() and before != "="
    if mark in "‘'":
        # ‘90s and rock 'n' roll are elisions, not quotes; a quote opens before a word.
        return (before in _OPENING_CONTEXT or before in "\"“") and after.isalpha()
    return False


def _is_closer(text: str, i: int, mark: str, paragraph_end: int) -> bool:
    """Whether the mark at `i` closes the open quotation (not an apostrophe inside it)."""
    if text[i] != mark:
        return False
    if mark not in "’'":
        return True
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isalnum():  # Silva’s, don’t
        return False
    # soldiers’ lives: a plural possessive, when the quote closes later in the paragraph.
    plural_possessive = text[i - 1] == "s" and after == " " and text[i + 2 : i + 3].islower()
    return not (plural_possessive and text.find(mark, i + 1, paragraph_end) != -1)


def _opens_rather_than_closes(text: str, i: int) -> bool:
    """A straight mark between a space and a word opens a quote; it cannot close one."""
    if text[i] not in "\"'":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isspace() and after.isalnum()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


_DOUBLED_APOSTROPHES = re.compile(r"(?<!')''(?!')")


def _shadow_doubled_apostrophes(text: str) -> str:
    """Two apostrophes standing for a double quote mark (''Yes,'' he said): one `"` each.

    The shadow keeps every offset: an opening pair becomes ` "` (the mark next to the words it
    opens), a closing pair `" `.
    """
    if "''" not in text:
        return text
    chars = list(text)
    for match in _DOUBLED_APOSTROPHES.finditer(text):
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 2] if i + 2 < len(text) else " "
        opening = not after.isspace() and (before.isspace() or before in "([{—–-/")
        chars[i], chars[i + 1] = (" ", '"') if opening else ('"', " ")
    return "".join(chars)


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order; a quote never spans a paragraph break.

    A quote left open at the end of a paragraph is kept when the next paragraph opens with the
    same mark (the convention for a quote over several paragraphs); otherwise the stray mark is
    ignored rather than guessed at. Doubled apostrophes (''...'', as some archives print a
    double quote mark) pair like double quote marks; the quote's marks are then both
    apostrophes of each pair.
    """
    shadow = _shadow_doubled_apostrophes(text)
    quotes = _find_quotes(shadow)
    if shadow is text:
        return quotes
    widened = []
    for quote in quotes:
        opener, closer = quote.open, quote.close
        if text[opener] == "'" and opener > 0 and text[opener - 1] == "'":
            opener -= 1
        if text[closer] == "'" and text[closer + 1 : closer + 2] == "'":
            closer += 1
        widened.append(Quote(opener, closer, quote.start, quote.end, quote.continued))
    return widened


def _find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    i = 0
    continued = False
    while i < len(text):
        if text[i] not in _CLOSER or not _is_opener(text, i):
            i += 1
            continue
        opener, closer = i, _CLOSER[text[i]]
        paragraph_end = text.find("\n", opener)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        j = opener + 1
        while j < paragraph_end and not _is_closer(text, j, closer, paragraph_end):
            j += 1
        if j < paragraph_end and _opens_rather_than_closes(text, j):
            i = opener + 1  # 'said "yes and left. Later "no"': the first mark has no partner
            continue
        if j < paragraph_end:
            start, end = _trim(text, opener + 1, j)
            if end > start:
                quotes.append(Quote(opener, j, start, end, continued))
            continued = False
            i = j + 1
            continue
        next_start = paragraph_end
        while next_start < len(text) and text[next_start].isspace():
            next_start += 1
        if next_start < len(text) and text[next_start] == text[opener]:
            start, end = _trim(text, opener + 1, paragraph_end)
            if end > start:
                quotes.append(Quote(opener, paragraph_end - 1, start, end, continued))
            continued = True
            i = next_start
            continue
        continued = False
        i = opener + 1
    return quotes
