"""Assembly: the cleaned text from raw slices, with its offset map back to the raw text."""

from __future__ import annotations

from rashomon.clean.lines import Line
from rashomon.model import OffsetMap

__all__ = ["assemble", "removed_spans"]


def assemble(
    raw_text: str, lines: list[Line], kept: list[int], cuts: dict[int, int]
) -> tuple[str, OffsetMap]:
    """The cleaned text from raw slices, and the map of its offsets back to the raw text.

    `cuts` moves the start of a kept line (a dateline prefix left out).
    """
    parts: list[str] = []
    segments: list[list[int]] = []
    length = 0
    previous: Line | None = None
    for index in kept:
        line = lines[index]
        pieces = list(line.pieces)
        if index in cuts:
            pieces[0] = (cuts[index], pieces[0][1])
        for number, (start, end) in enumerate(pieces):
            if number > 0:
                separator = "\n"
            elif previous is None:
                separator = ""
            else:
                separator = "\n\n" if line.block != previous.block else "\n"
            parts.append(separator)
            length += len(separator)
            last = segments[-1] if segments else None
            if (
                last is not None
                and last[0] + last[2] + len(separator) == length
                and raw_text[last[1] + last[2] : start] == separator
            ):
                # The raw text has exactly the separator here: one segment maps it too.
                last[2] += len(separator) + end - start
            else:
                segments.append([length, start, end - start])
            parts.append(raw_text[start:end])
            length += end - start
        previous = line
    return "".join(parts), OffsetMap(tuple((c, r, n) for c, r, n in segments))


def removed_spans(
    lines: list[Line], drops: dict[int, str], cuts: dict[int, int]
) -> tuple[tuple[int, int], ...]:
    spans = [(lines[i].start, lines[i].end) for i in drops]
    spans.extend((lines[i].start, cut) for i, cut in cuts.items())
    return tuple(sorted(spans))
