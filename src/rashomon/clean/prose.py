"""Prose: whether a body is written language at all, and whether it can be English.

The language check (`language.detect_language`) answers "English" unless the text is clearly
another language, which is right for short English and for names, and wrong for what is no
language: random code points, a row of dots, source code, a binary file read as text. Those
would go on to be parsed into entities and quotes. So the body must first read as prose, on
general features only:

* it has at least two words, and most of its characters (besides spaces) are letters: a row of
  ". . . ." or of symbols is not;
* few of its characters are symbols beyond prose punctuation (# ^ ~ @ ...);
* few of its characters are the brackets, braces and operators code is written with, and few
  of its lines end in them (unless a good share of its lines end like sentences: a style sheet
  pasted into an article leaves it an article);
* to pass as English, most of its letters are Latin, and a body of some length carries some of
  English's commonest words (news prose runs at 25-40% of them; none in 30 words is no English).

The thresholds sit far from real articles: on the ECB+ articles of the topics used for tuning,
letters are at least 84% of the characters, code marks at most 2.4%, and every body of 30
words or more has at least 11% of the common words; on those, PolNeAR train, FNC-1's public
bodies and TimeBank (2,230 cleaned bodies) symbols are at most 4.2% (0.9% on PolNeAR dev,
checked afterwards).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from rashomon.clean.features import ends_like_sentence
from rashomon.clean.language import ENGLISH_FUNCTION_WORDS
from rashomon.terms import LETTER_WORD

__all__ = ["english_problem", "prose_problem"]

# A headline alone has more; what has fewer is a fragment the page around it left behind.
_MIN_WORDS = 2
_MIN_LETTER_SHARE = 0.5
# Punctuation prose is written with; any other mark (# ^ ~ { @ < =...) is a symbol. Real
# articles run to at most 4.2% symbols (tweets quoted with their @ and #), random keyboard
# text to about 18%.
_PROSE_PUNCTUATION = frozenset(".,;:!?'\"’‘“”«»()-–—…%$€£&/")
_MAX_SYMBOL_SHARE = 0.1
_CODE_MARKS = frozenset("{}[]();=<>|\\")
# Code runs at 15% and more; an article with a few leftover tags of its page at about 6%.
_MAX_CODE_SHARE = 0.1
_CODE_LINE_ENDINGS = (";", "{", "}")
_MIN_LINES_FOR_SHAPE = 3
_MAX_CODE_LINE_SHARE = 0.4
_MIN_SENTENCE_LINE_SHARE = 0.2
_MIN_LATIN_SHARE = 0.5
_MIN_WORDS_FOR_FUNCTION_SHARE = 30
_MIN_FUNCTION_SHARE = 0.03


def _letters(characters: list[str]) -> list[str]:
    return [c for c in characters if unicodedata.category(c).startswith("L")]


def prose_problem(text: str) -> str | None:
    """Why `text` is not written language (a short reason), or None when it reads as prose."""
    # each distinct character's count, its category looked up once: an article has a few
    # dozen distinct characters and thousands of characters
    counts = Counter(text)
    for character in [c for c in counts if c.isspace()]:
        del counts[character]
    characters = sum(counts.values())
    category = {c: unicodedata.category(c) for c in counts}
    letters = sum(n for c, n in counts.items() if category[c].startswith("L"))
    if not letters:
        return "no words, only symbols, digits or punctuation"
    words = [w for w in LETTER_WORD.findall(text) if sum(1 for c in w if c.isalpha()) >= 2]
    if len(words) < _MIN_WORDS:
        return f"too short to be an article ({len(words)} word{'' if len(words) == 1 else 's'})"
    share = letters / characters
    if share < _MIN_LETTER_SHARE:
        return f"not prose: only {share:.0%} of its characters are letters"
    symbols = sum(n for c, n in counts.items() if category[c][0] not in "LN"
                  and c not in _PROSE_PUNCTUATION) / characters
    if symbols >= _MAX_SYMBOL_SHARE:
        return f"not prose: {symbols:.0%} of its characters are symbols such as # ^ ~ {{"
    code = sum(n for c, n in counts.items() if c in _CODE_MARKS) / characters
    if code >= _MAX_CODE_SHARE:
        return f"reads as code or markup, not prose ({code:.0%} brackets and operators)"
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) >= _MIN_LINES_FOR_SHAPE:
        coded = sum(1 for line in lines if line.endswith(_CODE_LINE_ENDINGS)) / len(lines)
        # an article with a style sheet pasted into it is still an article: its sentences tell
        sentences = sum(1 for line in lines if ends_like_sentence(line)) / len(lines)
        if coded >= _MAX_CODE_LINE_SHARE and sentences < _MIN_SENTENCE_LINE_SHARE:
            return f"reads as code, not prose ({coded:.0%} of its lines end in code marks)"
    return None


def english_problem(text: str) -> str | None:
    """Why `text`, which no language model recognised, cannot be English; None when it can."""
    letters = _letters([c for c in text if not c.isspace()])
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if letters and latin / len(letters) < _MIN_LATIN_SHARE:
        return "no recognisable language (mixed or unknown scripts)"
    words = [w.lower() for w in LETTER_WORD.findall(text)]
    if len(words) >= _MIN_WORDS_FOR_FUNCTION_SHARE:
        share = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words)
        if share < _MIN_FUNCTION_SHARE:
            return f"no recognisable language (none of English's common words in {len(words)})"
    return None
