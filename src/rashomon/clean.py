"""Cleaning: from an ingester's text to an article body, its metadata, and an offset map.

The raw text is cut into lines (hard-wrapped lines are joined back into one logical line) and
every line is judged on general features, never on strings of particular sites: its length,
whether it ends like a sentence, whether it opens with an imperative call to action, whether it
carries an @handle or a URL, its share of capitalised words, whether it repeats an earlier line,
and where it sits in the article. What goes:

* page furniture: calls to follow or join an account, keyboard prompts, share / subscribe /
  newsletter / cookie notices, "Read more:" and "Related:" labels, captions and photo credits,
  copyright lines, bylines and date lines (their content becomes metadata first), the page's
  own address printed above the article (also spaced out, "http: / / www. example. com / ...");
* the title line (it becomes `Document.title`) and its repeats;
* headline-like lines: short, no sentence punctuation, mostly capitalised (related-article
  headlines dropped into the body, and also section subheads, which are not sentences either);
* very short lines without sentence punctuation, such as a tag line under the title;
* later repeats of a line already kept.

A line that reads as a real sentence (ends with . ! ? or closing quotes after them, or carries
a reporting verb and a quote) is only ever dropped by the furniture rules, which need a strong
signal (an imperative call to action with an object such as "us", an @handle or a platform, a
key combination, a caption label).

A date line is a line that is only a date: anywhere in the page when the date opens it and
only a time or zone follows, and among the first lines also in the looser forms pages print
there ("Updated: 11 November 2031 20: 09 IST", "12: 52 p. m. EDT May 2, 2031", "Sat Nov 12
2031, 01: 19 hrs"), as long as every word besides the date is a label, weekday, month, clock
word or zone; a sentence that mentions a date carries other words and stays. Its date becomes
`published` unless the metadata gives one; a numeric date whose day and month could swap
("05/02/2031") gives none.

A dateline opening one of the first paragraphs ("Velmora/Dornach, June 3, 2026 – ...",
"LONDON (Reuters) - ...", "OSLO, Norway —") is cut from the body; its place, date and wire
agency become `dateline_place`, `published` and, when nothing better names it, `outlet`.

The cleaned text is made of raw slices, joined with "\\n" between lines of one raw paragraph and
"\\n\\n" where the raw text had a blank line, so every character that came from the raw text maps
back to it exactly through `Document.offsets`. `Document.removed` lists every raw span left out
(furniture, title, repeats, dateline prefix).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from rashomon.errors import InputError, LanguageError
from rashomon.model import Document, OffsetMap, RawDocument, document_id

__all__ = ["clean"]

# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# How many lines from the top of the page a date line in its looser forms may sit.
_TOP_LINES = 8
# Zero-width characters and the BOM are invisible padding from HTML conversion, not text.
_PADDING = r"[\s\u200b\u200c\u200d\u2060\ufeff]"
_LEADING_PADDING = re.compile(rf"^{_PADDING}+")
_TRAILING_PADDING = re.compile(rf"{_PADDING}+$")


@dataclass(frozen=True, slots=True)
class _Line:
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
    if _ends_like_sentence(previous):
        return False
    # "on May 2, 2031 at 10:15" under a headline starts in lower case but continues nothing.
    if _loose_date_line(following) is not None:
        return False
    if following[0].islower():
        return True
    if previous[-1] in ",;(–—-":
        return True
    return previous.rsplit(None, 1)[-1].lower() in _MINOR_WORDS


def _is_wrapped_block(texts: list[str]) -> bool:
    """A block typed with hard line breaks: most lines long and not ending a sentence."""
    inner = texts[:-1]
    if len(inner) < 2:
        return False
    # Capitalised lines are a list of headlines, not a wrapped paragraph.
    wrapped = sum(
        1
        for t in inner
        if len(t) >= 45 and not _ends_like_sentence(t) and _capital_ratio(t) < 0.5
    )
    return wrapped >= 0.6 * len(inner)


def _logical_lines(raw_text: str) -> list[_Line]:
    """Raw lines with hard-wrapped continuations joined back to the line they continue."""
    by_block: dict[int, list[tuple[int, int]]] = {}
    for start, end, block in _physical_lines(raw_text):
        by_block.setdefault(block, []).append((start, end))

    lines: list[_Line] = []
    for block, spans in by_block.items():
        texts = [raw_text[s:e] for s, e in spans]
        if _is_wrapped_block(texts):
            lines.append(_Line(tuple(spans), block, "\n".join(texts)))
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
) -> _Line:
    return _Line(tuple(spans[i] for i in group), block, "\n".join(texts[i] for i in group))


# ---------------------------------------------------------------------------------------------
# Line features
# ---------------------------------------------------------------------------------------------

# Words a title-case headline leaves in lower case; they do not count for the capital ratio.
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to up via vs vs."
    " with amid after before about against than off out".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_QUOTE_MARK = re.compile(r"[\"“”«»„]")
_REPORTING_VERB = re.compile(
    r"\b(?:say|says|said|tell|tells|told|write|writes|wrote|add|adds|added|state|states|stated"
    r"|claim|claims|claimed|announce|announces|announced|ask|asks|asked|urge|urges|urged"
    r"|warn|warns|warned|insist|insists|insisted|argue|argues|argued|note|notes|noted"
    r"|declare|declares|declared|explain|explains|explained|reply|replies|replied|post|posts"
    r"|posted|tweet|tweets|tweeted|report|reports|reported|stress|stresses|stressed|call|calls"
    r"|called|describe|describes|described|affirm|affirms|affirmed|confirm|confirms|confirmed"
    r"|deny|denies|denied|accuse|accuses|accused|charge|charges|charged|according\s+to)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[-–—•*·▪►]\s")
_LEAD_IN_END = re.compile(rf"[:,;(–—-][{re.escape(_CLOSERS)}]*$")


def _ends_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _is_attributed_quote(text: str) -> bool:
    """A quote with a reporting verb: the stuff the whole pipeline is about; never furniture."""
    return bool(_QUOTE_MARK.search(text)) and bool(_REPORTING_VERB.search(text))


def _is_sentence(text: str) -> bool:
    return _ends_like_sentence(text) or _is_attributed_quote(text)


def _word_count(text: str) -> int:
    return len(text.split())


def _capital_ratio(text: str) -> float:
    """Share of the significant words that start with a capital: ~1 for a title-case line."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _MINOR_WORDS]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def _normalised(text: str) -> str:
    """A key for spotting repeats: case, quote style, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


# ---------------------------------------------------------------------------------------------
# Furniture
# ---------------------------------------------------------------------------------------------

_HANDLE = re.compile(r"(?<![\w@])@(\w{2,})")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_CALL_TO_ACTION = re.compile(
    r"^\W*(?:please\s+)?(?:follow|join|subscribe|sign\s+up|share|like\s+us|download|click|tap"
    r"|listen|watch|read|see|visit|check\s+out|don[’']?t\s+miss|never\s+miss|register|donate"
    r"|support|stay\s+(?:up\s+to\s+date|tuned|informed|updated|connected)|keep\s+up|find\s+us"
    r"|connect\s+with|send\s+us|tell\s+us|contact\s+us|become\s+a|get\s+(?:the\s+latest|our"
    r"|breaking|alerts|updates))\b(?!-)"
    # "Support for the plan", "Share of the vote": the verb is a noun there, not an order.
    r"(?!\s+(?:for|of|among|in|from|at|by|is|was|has|had|are|were|prices?)\b)",
    re.IGNORECASE,
)
# What an imperative must aim at to be a call to action rather than a sentence of the story.
_CALL_OBJECT = re.compile(
    r"@\w|https?://|www\.|\b(?:us|our|here|newsletters?|channels?|podcasts?|app|updates?"
    r"|alerts|telegram|twitter|facebook|instagram|youtube|whatsapp|tiktok|linkedin|threads"
    r"|bluesky|x|notifications?|journalism|more|latest|this\s+(?:article|story|page|post))\b",
    re.IGNORECASE,
)
_KEYBOARD_PROMPT = re.compile(
    r"\b(?:ctrl|control|cmd|command|alt|shift|option)\s*\+\s*\w"
    r"|\bpress(?:ing)?\s+(?:the\s+)?(?:enter|return|esc|escape)\b"
    r"|\b(?:highlight|select)\s+(?:the\s+|a\s+|this\s+)?(?:text|passage|fragment)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\W*(?:read\s+(?:more|also|next)|related(?:\s+(?:articles?|stories|news|content|coverage"
    r"|reading|topics|links?))?|see\s+also|also\s+read|more\s+on\s+this(?:\s+story)?"
    r"|recommended(?:\s+for\s+you)?|further\s+reading|most\s+(?:read|popular)|trending"
    r"|top\s+stories|editor[’']?s\s+picks?|advertisement|sponsored(?:\s+content)?|tags?|topics"
    r"|watch|listen|video|live|breaking(?:\s+news)?)\s*(?:[:|»›>]|[–—-]\s|$)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\W*(?:(?:file\s+)?photo(?:graph)?s?|images?|pictures?|pic|video|illustration|caption"
    r"|credits?|graphic|source)(?:\s+credit)?\s*(?::|/|\||\bby\b)"
    r"|\([^()]*\b(?:photos?|images?|pictures?|credits?|illustration|file|video|via)\b[^()]*\)"
    r"[\s.]*$"
    r"|(?:^|[\s.])(?:photos?|images?|pictures?|credits?)(?:\s+credit)?\s*:\s*[^.!?]*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\s*(?:©\s*)?\d{4}|\ball\s+rights\s+reserved\b", re.IGNORECASE
)
# "Copyright Harbour Ledger" on its own; "Copyright lawyers said ..." is a sentence.
_COPYRIGHT_OPENING = re.compile(r"^\W*copyright\b", re.IGNORECASE)
_NOTICE = re.compile(
    r"\b(?:cookies?|newsletters?|subscribe|subscription|sign(?:\s|-)?up|sign\s+in|log\s*in"
    r"|privacy\s+policy|terms\s+of\s+(?:use|service)|notifications|ad\s*blocker|paywall"
    r"|your\s+inbox|share\s+this|this\s+(?:article|story|page)\s+(?:is|was)\s+(?:shared|sent))\b",
    re.IGNORECASE,
)
# ", the minister told residents." / "..., Brandt said.": an order the story reports, not one
# the page gives.
_ATTRIBUTION_TAIL = re.compile(
    r"[,”\"]\s+(?:[\w.’'\-]+\s+){0,5}?(?:said|says|told|tells|urged|urges|added|adds|wrote"
    r"|writes|warned|warns|insisted|insists|stressed|stresses|asked|asks|explained|explains)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you[’']re|you[’']ll)\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?i:by|written\s+by|words\s+by|author:)\s+"
    r"(?P<name>[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3})*)"
    r"(?:\s*(?:[,|•·]|\s[–—-])\s*.{0,60})?$"
)


def _is_reported(text: str) -> bool:
    """Whether a line reports what someone said, with no handle or link pointing off the page."""
    pointing = _HANDLE.search(text) or _URL.search(text)
    return not pointing and bool(_ATTRIBUTION_TAIL.search(text))


def _is_call_to_action(text: str) -> bool:
    if not _CALL_TO_ACTION.match(text) or _word_count(text) > 30 or _is_reported(text):
        return False
    opening = " ".join(text.split()[:12])
    return bool(_CALL_OBJECT.search(opening))


def _is_social_links(text: str) -> bool:
    """A line of handles, hashtags, URLs or e-mail addresses and little else."""
    if not (_HANDLE.search(text) or _URL.search(text)):
        return False
    rest = _URL.sub(" ", text)
    rest = re.sub(r"[@#][\w.]+|\S+@\S+", " ", rest)
    return len(_WORD.findall(rest)) <= 2


# A URL opening a line, also in the spaced-out form a tokenised corpus gives it
# ("http: / / www. example. com / news / ...").
_URL_OPENING = re.compile(r"^\W{0,2}(?:https?\s?:\s?/\s?/|www\s?\.\s?\w)", re.IGNORECASE)
# Three plain words in a row: prose, which a URL (even a spaced-out one) never carries.
_WORD_RUN = re.compile(r"(?:^|\s)[^\W\d_]+[,;]?\s+[^\W\d_]+[,;]?\s+[^\W\d_]+[.,;!?]?(?=\s|$)")


def _is_url_line(text: str) -> bool:
    """A line that is only an address: the page's own URL printed above the article."""
    if not _URL_OPENING.match(text) or _word_count(text) > 80:
        return False
    after_scheme = _URL_OPENING.sub("", text)
    return not _WORD_RUN.search(after_scheme)


def _is_notice(text: str) -> bool:
    """Cookie, newsletter, subscription and sharing notices addressed to the reader."""
    if not _NOTICE.search(text) or _word_count(text) > 40 or _is_reported(text):
        return False
    addressed = bool(_SECOND_PERSON.search(text)) or bool(_CALL_TO_ACTION.match(text))
    return addressed or not _ends_like_sentence(text)


def _is_copyright(text: str) -> bool:
    if _word_count(text) > 30:
        return False
    if _COPYRIGHT.search(text):
        return True
    return bool(_COPYRIGHT_OPENING.match(text)) and not _ends_like_sentence(text)


def _is_byline(text: str) -> bool:
    return _word_count(text) <= 12 and not _ends_like_sentence(text) and bool(_BYLINE.match(text))


def _furniture_reason(text: str, *, near_top: bool = False) -> str | None:
    """Why a line is page furniture, or None. Strong signals only: these can drop a sentence.

    `near_top`: the line is among the first few of the page, where a line that is only a date
    (with a time, a zone, a "Posted"/"Updated" label) is the article's date line.
    """
    if _is_attributed_quote(text):
        return None
    checks: tuple[tuple[str, bool], ...] = (
        ("keyboard prompt", _word_count(text) <= 40 and bool(_KEYBOARD_PROMPT.search(text))),
        ("call to action", _is_call_to_action(text)),
        ("label", _word_count(text) <= 30 and bool(_LABEL.match(text))),
        ("caption", _word_count(text) <= 40 and bool(_CAPTION.search(text))),
        ("copyright", _is_copyright(text)),
        ("notice", _is_notice(text)),
        ("social links", _is_social_links(text)),
        ("byline", _is_byline(text)),
        ("url", _is_url_line(text)),
        ("date line", _date_line(text, near_top=near_top) is not None),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None


def _is_headline_like(text: str) -> bool:
    """A short line that is no sentence: a related headline, a subhead, a tag line, a caption."""
    if _is_sentence(text) or _LEAD_IN_END.search(text):
        return False
    ratio = _capital_ratio(text)
    # A bullet in sentence case is a point of the story; in title case, a link to another one.
    if _BULLET.match(text) and ratio < 0.6:
        return False
    words = _word_count(text)
    return words <= 6 or (words <= 15 and ratio >= 0.6)


# ---------------------------------------------------------------------------------------------
# Dates and datelines
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+"
_DATE_FORMS = (
    re.compile(
        rf"(?:{_WEEKDAY})?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<year>\d{{4}}))?(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})"
        rf"(?:,?\s+(?P<year>\d{{4}}))?(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
)
_DATE_LABEL = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|date)\s*(?:on|at)?\s*:?\s*",
    re.IGNORECASE,
)
# What may follow the date on a date line: a time, a zone, a reading time.
_DATE_TAIL = re.compile(
    r"^[\s,|•·–—-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|(?-i:[A-Z]{2,4})"
    r"|[+-]\d{2}:?\d{2}|\d+\s+min(?:ute)?s?\s+read|[\s,|•·–—-])*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Dateline:
    place: str
    date: str | None  # YYYY-MM-DD, or None when the dateline gives no year
    agency: str | None
    end: int  # offset in the line where the body starts


def _iso_date(match: re.Match[str]) -> str | None:
    """YYYY-MM-DD from a date match, or None when there is no year or the date is impossible."""
    year, month_text, day = match.group("year"), match.group("month"), int(match.group("day"))
    if year is None:
        return None
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3].lower()]
    try:
        return datetime.date(int(year), month, day).isoformat()
    except ValueError:
        return None


def _date_at(text: str, pos: int) -> re.Match[str] | None:
    for form in _DATE_FORMS:
        match = form.match(text, pos)
        if match:
            return match
    return None


@dataclass(frozen=True, slots=True)
class _DateLine:
    date: str | None  # YYYY-MM-DD, or None when the line gives no year or an ambiguous date


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_LETTERS = re.compile(r"\b[^\W\d_]{4,12}\b")
_RESPELL_RATIO = 0.85


def _respelled_month(word: str) -> str | None:
    """The month a misspelled month word means ("Novemer", "Febuary"), or None.

    Only a close miss that keeps the month's first three letters: "Decision" and "Marsh" are
    words of their own, "Novemer" is a typo.
    """
    lower = word.lower()
    if lower in _MONTH_NAMES:
        return None
    for month in _MONTH_NAMES:
        if (len(month) >= 5 and lower[:3] == month[:3]
                and SequenceMatcher(None, lower, month).ratio() >= _RESPELL_RATIO):
            return month.capitalize()
    return None


def _respell_months(text: str) -> str:
    if _word_count(text) > _DATE_LINE_MAX_WORDS or not any(c.isdigit() for c in text):
        return text  # no date line: not worth a look at every word of every line
    return _LETTERS.sub(lambda m: _respelled_month(m.group()) or m.group(), text)


def _date_line(text: str, *, near_top: bool = False) -> _DateLine | None:
    """The date of a line that is only a date ("Published: 14 March 2025, 10:02 GMT").

    Anywhere in the page, the date must open the line (after a "Published:" label) and only a
    time or a zone may follow it. Among the first lines, where pages print their date line, the
    date may sit anywhere in the line as long as every other word belongs to a date line (or
    is one wire's name: "Ostwire Sep 18, 2031"). A month misspelled by a letter or two is read
    as the month: a line that is only a date is typed by hand.
    """
    text = _respell_months(text)
    strict = _strict_date_line(text)
    if strict is not None or not near_top:
        return strict
    return _loose_date_line(text)


def _strict_date_line(text: str) -> _DateLine | None:
    if _word_count(text) > 12:
        return None
    label = _DATE_LABEL.match(text)
    match = _date_at(text, label.end() if label else 0)
    if match is None or not _DATE_TAIL.match(text[match.end() :]):
        return None
    return _DateLine(_iso_date(match))


# Numbers with slashes, also spaced out ("05 / 02 / 2013"): month and day in an order that only
# the numbers themselves can tell.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?P<first>\d{1,2})\s?/\s?(?P<second>\d{1,2})\s?/\s?(?P<year>\d{4}|\d{2})"
    r"(?![\d/])"
)
# Every word a date line may carry besides its date: labels, weekdays, months (of a second
# date, "updated ..."), ordinal suffixes, clock words ("a. m.", "hrs"), reading times.
_DATE_LINE_WORDS = frozenset(
    "published publish posted updated update last first originally edited modified created"
    " story release released time date on at and of am pm a p m hrs hr h st nd rd th utc uk"
    " min mins minute minutes read"
    " mon monday tue tues tuesday wed weds wednesday thu thur thurs thursday fri friday"
    " sat saturday sun sunday"
    " jan january feb february mar march apr april may jun june jul july aug august"
    " sep sept september oct october nov november dec december".split()
)
# Time zones: "EDT", "GMT", "IST", "AKDT", "ET", "PT".
_ZONE = re.compile(r"[A-Z]{0,4}T")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
_DATE_LINE_MAX_WORDS = 24
_CLOCK = re.compile(r"\d{1,2}\s?[:.]\s?\d{2}")


def _loose_date_line(text: str) -> _DateLine | None:
    """A line made of a date and date-line words only, wherever in the line the date sits.

    A sentence that mentions a date carries other words (a subject, a verb), so it never
    passes; one unknown word is allowed, an acronym (a wire or a zone: "TNN", "HKT") or a
    capitalised name opening the line before the date (a wire's: "Ostwire Sep 18, 2031"),
    unless the whole line is in capitals, where every word looks like one.
    """
    if _word_count(text) > _DATE_LINE_MAX_WORDS or not any(c.isdigit() for c in text):
        return None
    found = _first_date(text)
    if found is None:
        return None
    match, date = found
    rest = text[: match.start()] + " " + text[match.end() :]
    unknown = [
        word
        for word in re.findall(r"[^\W\d_]+", rest)
        if word.casefold() not in _DATE_LINE_WORDS and not _ZONE.fullmatch(word)
    ]
    if not unknown:
        return _DateLine(date)
    if text.isupper() or len(unknown) != 1:
        return None
    # a wire or a zone in capitals ("TNN", "HKT"), or a wire's name opening the line before
    # its date and time ("Ostwire Sep 18, 2031, 02. 16PM IST"); without the time, "Born May
    # 2, 1981" atop a profile would pass for one
    word = unknown[0]
    stamped = word[0].isupper() and text.lstrip().startswith(word) and bool(
        _CLOCK.search(text, match.end()))
    if _ACRONYM.fullmatch(word) or stamped:
        return _DateLine(date)
    return None


def _first_date(text: str) -> tuple[re.Match[str], str | None] | None:
    """The earliest date in the text, with its ISO form when it has one."""
    best: tuple[re.Match[str], str | None] | None = None
    for form in _DATE_FORMS:
        match = form.search(text)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, _iso_date(match))
    numeric = _NUMERIC_DATE.search(text)
    if numeric and (best is None or numeric.start() < best[0].start()):
        best = (numeric, _numeric_iso_date(numeric))
    return best


def _numeric_iso_date(match: re.Match[str]) -> str | None:
    """YYYY-MM-DD from "11 / 30 / 2009" or "30/11/09"; None when day and month could swap.

    "05/02/2013" is May 2 in one country and 5 February in another: without a number above 12
    to tell them apart, the date is left unknown rather than guessed.
    """
    first, second = int(match.group("first")), int(match.group("second"))
    year = int(match.group("year"))
    if year < 100:
        # Two-digit years on news pages are this century's, save the late 1900s.
        year += 1900 if year >= 70 else 2000
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first or first == second:
        day, month = second, first
    else:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_PLACE_WORD = r"[A-Z][\w'’.\-]*"
_PLACE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:(?:\s+|\s*/\s*)(?:(?:de|da|del|la|le|al|el|am|upon|sur)\s+)?"
    rf"{_PLACE_WORD}){{0,3}}"
    rf"(?:,\s+(?!{_MONTH}\s)(?!{_WEEKDAY}){_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})?)"
)
_DATE_COMMA = re.compile(r",?\s*")
_AGENCY = re.compile(r"\s*\((?P<agency>[A-Za-z][\w&.'’ /\-]{0,30})\)")
_DATELINE_DASH = re.compile(r"\s*(?:[–—]|--?)\s+(?=[\"“‘'(]?[A-Z0-9])")


def _parse_dateline(text: str) -> _Dateline | None:
    """The dateline opening a paragraph, if any: place, date and agency, and where the body starts.

    A capitalised phrase followed by a dash counts only with a date, a wire agency in brackets
    or a place in capitals; otherwise "Meanwhile – " would pass for a place.
    """
    place = _PLACE.match(text)
    if place is None:
        return None
    pos = place.end()
    date_match = None
    comma = _DATE_COMMA.match(text, pos)
    if comma is not None:
        date_match = _date_at(text, comma.end())
        if date_match is not None:
            pos = date_match.end()
    agency = _AGENCY.match(text, pos)
    if agency is not None:
        pos = agency.end()
    dash = _DATELINE_DASH.match(text, pos)
    if dash is None:
        return None
    place_text = place.group("place")
    capitals = place_text.split(",")[0].replace("/", "").replace(" ", "")
    if date_match is None and agency is None and not capitals.isupper():
        return None
    return _Dateline(
        place=place_text,
        date=_iso_date(date_match) if date_match else None,
        agency=agency.group("agency").strip() if agency else None,
        end=dash.end(),
    )


# ---------------------------------------------------------------------------------------------
# Outlet names
# ---------------------------------------------------------------------------------------------

# Tails of a handle that say what kind of account it is, not whose.
_HANDLE_SUFFIXES = frozenset(
    "official news media tv online live hq en eng english intl global world web app channel"
    " team ua uk us".split()
)
# Masthead nouns: "veyrapost" is "veyra" + "post", "nytimes" is "ny" + "times".
_MASTHEAD_NOUNS = (
    "post", "times", "herald", "tribune", "journal", "gazette", "telegraph", "guardian",
    "independent", "express", "mail", "mirror", "observer", "chronicle", "review", "report",
    "press", "insider", "today", "voice", "wire", "monitor", "examiner", "standard", "globe",
    "record", "inquirer", "courier", "dispatch", "bulletin", "weekly", "ledger", "sentinel",
    "register", "beacon", "digest", "truth", "daily", "week",
)
_LEGAL_SUFFIX = re.compile(r"(?:[\s,]+(?:inc|ltd|llc|plc|limited|gmbh|s\.a|corp)\.?)+$", re.I)


def _split_masthead(word: str) -> list[str]:
    """Cut glued words at masthead nouns and account suffixes: "postofficial" -> post, official."""
    lower = word.lower()
    for tail in (*_MASTHEAD_NOUNS, *_HANDLE_SUFFIXES):
        if len(tail) >= 3 and lower.endswith(tail) and len(lower) >= len(tail) + 2:
            return [*_split_masthead(word[: -len(tail)]), word[-len(tail) :]]
    return [word]


def _outlet_from_handle(handle: str) -> str | None:
    """A readable outlet name from a social handle: "@Veyrapost_official" -> "Veyra Post"."""
    words: list[str] = []
    for part in re.split(r"[_.\-]+", handle):
        for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", part):
            words.extend(_split_masthead(word))
    while len(words) > 1 and words[-1].lower() in _HANDLE_SUFFIXES:
        words.pop()
    if not words or words[0].lower() in _HANDLE_SUFFIXES:
        return None
    return " ".join(_capitalise_word(w) for w in words)


def _capitalise_word(word: str) -> str:
    if len(word) <= 2 or (word.isupper() and len(word) > 1):
        return word.upper()
    return word[0].upper() + word[1:]


_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?"
    r"(?P<name>[A-Z][\w&'’\- ]*?(?:\.[a-z]{2,4})?)\s*(?:\d{4})?\s*(?:[.,;|]|\ball\s+rights|$)",
    re.IGNORECASE,
)


def _outlet_from_copyright(text: str) -> str | None:
    match = _COPYRIGHT_NAME.search(text)
    if match is None:
        return None
    name = _LEGAL_SUFFIX.sub("", match.group("name")).strip()
    if not name or not name[0].isupper() or _word_count(name) > 6:
        return None
    return name


# ---------------------------------------------------------------------------------------------
# Title, drops and metadata
# ---------------------------------------------------------------------------------------------


def _reads_as_headline(text: str) -> bool:
    """Whether a first line is a headline rather than the first sentence of the body."""
    words = _word_count(text)
    if words == 0 or words > 30:
        return False
    ratio = _capital_ratio(text)
    core = text.rstrip(_CLOSERS)
    if core.endswith(("?", "!")):
        return ratio >= 0.6
    if core.endswith((".", "…", ":", ",", ";")):
        return False
    return ratio >= 0.5 or words <= 18


def _find_title(lines: list[_Line], furniture: dict[int, str]) -> int | None:
    """The index of the title line, if the article opens with one.

    The title is the first line that is not furniture, when it reads as a headline. A one- or
    two-word line followed by another headline is a section kicker ("World", "Europe"): the
    headline after it is the title.
    """
    leading = [i for i in range(len(lines)) if i not in furniture]
    for position, index in enumerate(leading):
        text = lines[index].text
        if not _reads_as_headline(text) or _parse_dateline(text) is not None:
            return None
        following = leading[position + 1] if position + 1 < len(leading) else None
        is_kicker = (
            _word_count(text) <= 2
            and following is not None
            and _reads_as_headline(lines[following].text)
            and not _is_sentence(lines[following].text)
        )
        if not is_kicker:
            return index
    return None


def _edge_zone(lines: list[_Line], drops: dict[int, str]) -> tuple[int, int]:
    """Indices of the first and last line that read as sentences, among those still kept."""
    sentences = [i for i, line in enumerate(lines) if i not in drops and _is_sentence(line.text)]
    if not sentences:
        return len(lines), -1
    return sentences[0], sentences[-1]


# A line this long ending in a comma or colon is a sentence cut off (a page truncated mid-way),
# not a list of names.
_CUT_SENTENCE_WORDS = 10


def _is_edge_fragment(text: str) -> bool:
    if _is_sentence(text) or _word_count(text) > 40:
        return False
    if _word_count(text) >= _CUT_SENTENCE_WORDS and _LEAD_IN_END.search(text):
        return False
    return _capital_ratio(text) >= 0.5


def _drop_reasons(
    lines: list[_Line], furniture: dict[int, str], title_index: int | None, given_title: str | None
) -> dict[int, str]:
    """Why each dropped line goes; lines not in the result make up the body."""
    drops = dict(furniture)
    title_keys = {_normalised(t) for t in (given_title,) if t}
    if title_index is not None:
        drops[title_index] = "title"
        title_keys.add(_normalised(lines[title_index].text))
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if index in drops:
            continue
        key = _normalised(line.text)
        if key in title_keys:
            drops[index] = "title repeat"
        elif key in seen:
            drops[index] = "repeat"
        elif _is_headline_like(line.text):
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


def _evidence(lines: list[_Line], drops: dict[int, str]) -> _Evidence:
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
            handle = _HANDLE.search(text)
            handle_outlet = _outlet_from_handle(handle.group(1)) if handle else None
        elif reason == "copyright" and copyright_outlet is None:
            copyright_outlet = _outlet_from_copyright(text)
        elif reason == "byline" and author is None:
            match = _BYLINE.match(text)
            author = match.group("name").strip() if match else None
        elif reason == "date line" and published is None:
            date_line = _date_line(text, near_top=True)
            published = date_line.date if date_line else None
    # The copyright line spells the outlet's name; a handle only hints at it.
    return _Evidence(copyright_outlet or handle_outlet, author, published)


def _find_dateline(lines: list[_Line], kept: list[int]) -> tuple[int, _Dateline] | None:
    """A dateline opening one of the first paragraphs of the body (after a standfirst, say).

    One that is only a place in capitals ("VELMORA - ") counts only before the first full
    sentence: after it, "VNB - TV reports that ..." is a hyphenated name opening a sentence of
    the story, not a dateline. A date or a wire agency in brackets is evidence enough anywhere
    in the first paragraphs.
    """
    for position, index in enumerate(kept[:3]):
        dateline = _parse_dateline(lines[index].text)
        first_piece = lines[index].pieces[0]
        if dateline is None or dateline.end >= first_piece[1] - first_piece[0]:
            continue
        weak = dateline.date is None and dateline.agency is None
        if weak and any(_ends_like_sentence(lines[i].text) for i in kept[:position]):
            continue
        return index, dateline
    return None


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def _assemble(
    raw_text: str, lines: list[_Line], kept: list[int], cuts: dict[int, int]
) -> tuple[str, OffsetMap]:
    """The cleaned text from raw slices, and the map of its offsets back to the raw text.

    `cuts` moves the start of a kept line (a dateline prefix left out).
    """
    parts: list[str] = []
    segments: list[list[int]] = []
    length = 0
    previous: _Line | None = None
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


def _removed_spans(
    lines: list[_Line], drops: dict[int, str], cuts: dict[int, int]
) -> tuple[tuple[int, int], ...]:
    spans = [(lines[i].start, lines[i].end) for i in drops]
    spans.extend((lines[i].start, cut) for i, cut in cuts.items())
    return tuple(sorted(spans))


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------

# py3langid reads short English as Scots or Nigerian Pidgin now and then: all three are English.
_ENGLISH_LIKE = frozenset({"en", "sco", "pcm"})
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to is was that for with from he she it said has have had be are were this will"
    " not but his her their they after which who would been by at".split()
)
_MIN_WORDS_FOR_LANGUAGE = 8
_LANGUAGE_CONFIDENCE = 0.9
# English news prose runs at 25-40% of these words; French or Spanish at a few percent.
_ENGLISH_FUNCTION_SHARE = 0.12


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    """py3langid's identifier with probabilities that sum to one, loaded once (~0.7 s)."""
    # py3langid ships no type information.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _language(text: str) -> str:
    """The text's language code; "en" unless it is clearly another language.

    Short texts and names confuse the classifier, so another language is only returned when
    the text is long enough, the classifier is confident, and English function words are rare.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return "en"
    share = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS) / len(words)
    if share >= _ENGLISH_FUNCTION_SHARE:
        return "en"
    language, probability = _language_identifier().classify(text[:20_000])
    if language in _ENGLISH_LIKE or probability < _LANGUAGE_CONFIDENCE:
        return "en"
    return str(language)


# ---------------------------------------------------------------------------------------------
# Public
# ---------------------------------------------------------------------------------------------


def _check_body(source: str, text: str, *, has_lines: bool) -> str:
    """The body's language; raises when there is no body or it is not English."""
    if not text:
        if not has_lines:
            raise InputError(source, "the text is empty")
        raise InputError(source, "nothing is left after removing page furniture")
    language = _language(text)
    if language != "en":
        raise LanguageError(
            source, f"language is {language}, not English; the pipeline handles English only"
        )
    return language


def clean(raw: RawDocument) -> Document:
    """Turn an ingested text into a `Document`: article body, metadata and offset map.

    Metadata given in `raw` (title, outlet, published, author) wins over what the text says;
    what the text says fills what is missing. The outlet comes from a copyright line, else a
    follow/join line's @handle, else a wire agency in the dateline ("(Reuters)"): a wire
    dateline means the wire wrote the story, which is the best guess when nothing else names
    an outlet.

    Raises `InputError` when nothing is left after cleaning and `LanguageError` when the body
    is not English.
    """
    if raw.text is None:
        raise InputError(raw.source, "no text to clean (HTML must be turned into text first)")
    raw_text = raw.text
    lines = _logical_lines(raw_text)
    furniture = {
        i: reason
        for i, line in enumerate(lines)
        if (reason := _furniture_reason(line.text, near_top=i < _TOP_LINES))
    }
    title_index = _find_title(lines, furniture)
    drops = _drop_reasons(lines, furniture, title_index, raw.title)
    kept = [i for i in range(len(lines)) if i not in drops]
    evidence = _evidence(lines, drops)
    found = _find_dateline(lines, kept)
    dateline = found[1] if found else None
    cuts = {found[0]: lines[found[0]].start + found[1].end} if found else {}
    text, offsets = _assemble(raw_text, lines, kept, cuts)
    language = _check_body(raw.source, text, has_lines=bool(lines))

    title = lines[title_index].text.replace("\n", " ") if title_index is not None else None
    return Document(
        id=document_id(raw.source_key, text),
        source=raw.source,
        source_key=raw.source_key,
        text=text,
        raw_text=raw_text,
        title=raw.title or title,
        outlet=raw.outlet or evidence.outlet or (dateline.agency if dateline else None),
        published=raw.published or (dateline.date if dateline else None) or evidence.published,
        dateline_place=dateline.place if dateline else None,
        author=raw.author or evidence.author,
        url=raw.url,
        language=language,
        offsets=offsets,
        removed=_removed_spans(lines, drops, cuts),
    )
