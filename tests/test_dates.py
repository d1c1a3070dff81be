"""The names of months and weekdays, once: `rashomon.dates` and the readers built on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rashomon import dates


def test_dates_month_numbers_cover_names_and_abbreviations() -> None:
    assert dates.MONTH_NUMBERS["january"] == dates.MONTH_NUMBERS["jan"] == 1
    assert dates.MONTH_NUMBERS["sept"] == dates.MONTH_NUMBERS["sep"] == 9
    assert dates.MONTH_NUMBERS["may"] == 5
    assert len(set(dates.MONTH_NUMBERS.values())) == 12
    assert dates.WEEKDAY_NUMBERS["monday"] == 0 and dates.WEEKDAY_NUMBERS["sunday"] == 6


@pytest.mark.parametrize(("text", "found"), [
    ("September 3", "September"),  # the full name, not its first three letters
    ("Sept. 3", "Sept"),
    ("Sep 3", "Sep"),
    ("May 3", "May"),
])
def test_dates_month_word_prefers_the_longest_form(text: str, found: str) -> None:
    match = re.match(dates.MONTH_WORD, text)
    assert match is not None and match.group() == found


def test_dates_weekday_short_reads_the_cuts_date_lines_print() -> None:
    short = re.compile(rf"{dates.WEEKDAY_SHORT}(?:day)?\b", re.IGNORECASE)
    for word in ("Tue", "Tues", "Wed", "Wednesday", "Thurs", "Sat", "SATURDAY", "sun"):
        assert short.fullmatch(word), word
    for word in ("Tu", "Th", "Weds", "Sundae"):
        assert not short.fullmatch(word), word


# Two names in a row, as an alternation or a word list spells them out.
_SPELLED_OUT = re.compile(r"january\W+february|monday\W+tuesday|\bjan\W+feb\b|tues\W+wednes",
                          re.IGNORECASE)


def test_dates_no_other_module_spells_out_the_names() -> None:
    """A month or weekday list written anywhere else would drift from this one."""
    source = Path(dates.__file__).parent
    others = [path.relative_to(source) for path in source.rglob("*.py")
              if path.name != "dates.py" and _SPELLED_OUT.search(path.read_text(encoding="utf-8"))]
    assert others == []
