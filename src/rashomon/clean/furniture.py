"""Furniture: the page around an article (calls to action, notices, captions, bylines...)."""

from __future__ import annotations

import re

from rashomon.clean.datelines import as_date_line
from rashomon.clean.features import (
    BULLET,
    LEAD_IN_END,
    capital_ratio,
    ends_like_sentence,
    is_attributed_quote,
    is_sentence,
    word_count,
)
from rashomon.terms import LETTER_WORD

__all__ = ["BYLINE", "HANDLE", "furniture_reason", "is_headline_like"]

HANDLE = re.compile(r"(?<![\w@])@(\w{2,})")
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
BYLINE = re.compile(
    r"^(?i:by|written\s+by|words\s+by|author:)\s+"
    r"(?P<name>[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3})*)"
    r"(?:\s*(?:[,|•·]|\s[–—-])\s*.{0,60})?$"
)


def _is_reported(text: str) -> bool:
    """Whether a line reports what someone said, with no handle or link pointing off the page."""
    pointing = HANDLE.search(text) or _URL.search(text)
    return not pointing and bool(_ATTRIBUTION_TAIL.search(text))


def _is_call_to_action(text: str) -> bool:
    if not _CALL_TO_ACTION.match(text) or word_count(text) > 30 or _is_reported(text):
        return False
    opening = " ".join(text.split()[:12])
    return bool(_CALL_OBJECT.search(opening))


def _is_social_links(text: str) -> bool:
    """A line of handles, hashtags, URLs or e-mail addresses and little else."""
    if not (HANDLE.search(text) or _URL.search(text)):
        return False
    rest = _URL.sub(" ", text)
    rest = re.sub(r"[@#][\w.]+|\S+@\S+", " ", rest)
    return len(LETTER_WORD.findall(rest)) <= 2


# A URL opening a line, also in the spaced-out form a tokenised corpus gives it
# ("http: / / www. example. com / news / ...").
_URL_OPENING = re.compile(r"^\W{0,2}(?:https?\s?:\s?/\s?/|www\s?\.\s?\w)", re.IGNORECASE)
# Three plain words in a row: prose, which a URL (even a spaced-out one) never carries.
_WORD_RUN = re.compile(r"(?:^|\s)[^\W\d_]+[,;]?\s+[^\W\d_]+[,;]?\s+[^\W\d_]+[.,;!?]?(?=\s|$)")


def _is_url_line(text: str) -> bool:
    """A line that is only an address: the page's own URL printed above the article."""
    if not _URL_OPENING.match(text) or word_count(text) > 80:
        return False
    after_scheme = _URL_OPENING.sub("", text)
    return not _WORD_RUN.search(after_scheme)


def _is_notice(text: str) -> bool:
    """Cookie, newsletter, subscription and sharing notices addressed to the reader."""
    if not _NOTICE.search(text) or word_count(text) > 40 or _is_reported(text):
        return False
    addressed = bool(_SECOND_PERSON.search(text)) or bool(_CALL_TO_ACTION.match(text))
    return addressed or not ends_like_sentence(text)


def _is_copyright(text: str) -> bool:
    if word_count(text) > 30:
        return False
    if _COPYRIGHT.search(text):
        return True
    return bool(_COPYRIGHT_OPENING.match(text)) and not ends_like_sentence(text)


def _is_byline(text: str) -> bool:
    return word_count(text) <= 12 and not ends_like_sentence(text) and bool(BYLINE.match(text))


def furniture_reason(text: str, *, near_top: bool = False) -> str | None:
    """Why a line is page furniture, or None. Strong signals only: these can drop a sentence.

    `near_top`: the line is among the first few of the page, where a line that is only a date
    (with a time, a zone, a "Posted"/"Updated" label) is the article's date line.
    """
    if is_attributed_quote(text):
        return None
    checks: tuple[tuple[str, bool], ...] = (
        ("keyboard prompt", word_count(text) <= 40 and bool(_KEYBOARD_PROMPT.search(text))),
        ("call to action", _is_call_to_action(text)),
        ("label", word_count(text) <= 30 and bool(_LABEL.match(text))),
        ("caption", word_count(text) <= 40 and bool(_CAPTION.search(text))),
        ("copyright", _is_copyright(text)),
        ("notice", _is_notice(text)),
        ("social links", _is_social_links(text)),
        ("byline", _is_byline(text)),
        ("url", _is_url_line(text)),
        ("date line", as_date_line(text, near_top=near_top) is not None),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None


def is_headline_like(text: str) -> bool:
    """A short line that is no sentence: a related headline, a subhead, a tag line, a caption."""
    if is_sentence(text) or LEAD_IN_END.search(text):
        return False
    ratio = capital_ratio(text)
    # A bullet in sentence case is a point of the story; in title case, a link to another one.
    if BULLET.match(text) and ratio < 0.6:
        return False
    words = word_count(text)
    return words <= 6 or (words <= 15 and ratio >= 0.6)
