"""Line features: sentence endings, quote marks, reporting verbs, capitals, repeats."""

from __future__ import annotations

import re
import unicodedata

from rashomon.terms import LETTER_WORD

__all__ = [
    "BULLET",
    "CLOSERS",
    "LEAD_IN_END",
    "MINOR_WORDS",
    "capital_ratio",
    "ends_like_sentence",
    "is_attributed_quote",
    "is_sentence",
    "normalised",
    "word_count",
]

# Words a title-case headline leaves in lower case; they do not count for the capital ratio.
MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to up via vs vs."
    " with amid after before about against than off out".split()
)
CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…][{re.escape(CLOSERS)}]*$")
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
BULLET = re.compile(r"^[-–—•*·▪►]\s")
LEAD_IN_END = re.compile(rf"[:,;(–—-][{re.escape(CLOSERS)}]*$")


def ends_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def is_attributed_quote(text: str) -> bool:
    """A quote with a reporting verb: the stuff the whole pipeline is about; never furniture."""
    return bool(_QUOTE_MARK.search(text)) and bool(_REPORTING_VERB.search(text))


def is_sentence(text: str) -> bool:
    return ends_like_sentence(text) or is_attributed_quote(text)


def word_count(text: str) -> int:
    return len(text.split())


def capital_ratio(text: str) -> float:
    """Share of the significant words that start with a capital: ~1 for a title-case line."""
    words = [w for w in LETTER_WORD.findall(text) if w.lower() not in MINOR_WORDS]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def normalised(text: str) -> str:
    """A key for spotting repeats: case, quote style, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))
