"""Words as the matching stages compare them: tokens, a common stop list, five-letter stems.

The stages that match text lexically (align's claim index and denials, the brief's facts, the
timeline's event links) each need the words of a clause that say what it is about. They share
the pieces here so that a fix to one reaches all of them:

- `words`: the word tokens of a text (`WORD`); an apostrophe inside a word keeps it whole
  ("didn't", "Brannik's", "O'Neill's");
- `LETTER_WORD`, `WORD_CHARS`, `TERM_TOKEN`: the other cuts of text into words some stages count with,
  defined here once (see each);
- `normal`: lower case with the typographic apostrophe as a plain one ("Brannik’s" ->
  "brannik's"), so that two outlets' typography does not split a word;
- `stem`: the first five letters of a `normal` word, without a possessive "'s" ("injured" and
  "injury" meet, "lights" and "lighting", "Kyiv's" and "Kyiv"): crude on purpose, it never needs
  a dictionary and errs towards joining forms of one word;
- `same_stem`: two words that share five letters, or the whole of a shorter word of four;
- `one_line`: a span's words on one line, runs of white space (line breaks included) as one
  space, as reports show them and as names and cues are compared;
- `STOP_WORDS`: function words every stage skips (articles, prepositions, pronouns,
  auxiliaries, negations, "said"). Each stage adds the few words its own rule needs on top;
  negations are stop words because each stage reads polarity separately.

The story grouping (`stories.py`) and the stance model (`stance.py`) keep spaCy's longer stop
list (`spacy_stop_words`): their features were measured (and the stance model trained) with it.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

__all__ = [
    "LETTER_WORD", "STEM_LETTERS", "STOP_WORDS", "TERM_TOKEN", "WORD", "WORD_CHARS", "normal",
    "one_line", "same_stem", "spacy_stop_words", "stem", "words",
]

# A word, with the parts an apostrophe joins ("didn't", "O'Neill's", "rock'n'roll").
WORD = re.compile(r"\w+(?:[’']\w+)*")
# A word that starts with a letter, with the hyphens and apostrophes inside it ("mother-in-law",
# "O'Neill's", "COVID-19"): no number, no "_", opens one. What the cleaner counts as a line's
# words (`clean.features`, `clean.language`, `clean.prose`) and the attribution finders as a
# quote's (`attribution.notspeech`).
LETTER_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# A run of word characters (letters, digits, "_"), cut at anything else, an apostrophe too
# ("didn't" -> "didn", "t"): the near-duplicate shingles (`dedup`) and the count of a quote's
# words (`attribution.finders.quoted`).
WORD_CHARS = re.compile(r"\w+")
# An ASCII word of two letters or more (hyphens and apostrophes inside: "cease-fire",
# "Kyiv's"), or a number with its separators ("1,200", "3.5"), or a lone digit: the terms the
# story grouping indexes (`stories.key_terms`) and a claim is looked up by (`check`).
TERM_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|\d[\d,.]*\d|\d")
STEM_LETTERS = 5

STOP_WORDS = frozenset("""
    a an the of in on at to for by with from and or but as about into over than then
    that this these those there it its is was were be been has have had will would could should
    can may might we you he she they his her their not no said says also
""".split())


def words(text: str) -> list[str]:
    """The word tokens of a text, as written."""
    return WORD.findall(text)


def one_line(text: str) -> str:
    """The text with each run of white space as one space, and none at its ends."""
    return " ".join(text.split())


def normal(word: str) -> str:
    """A word in lower case, its typographic apostrophe made plain."""
    return word.lower().replace("’", "'")


def stem(word: str) -> str:
    """A `normal` word's first `STEM_LETTERS` letters, without a possessive "'s"."""
    return word.removesuffix("'s")[:STEM_LETTERS]


def same_stem(word: str, other: str) -> bool:
    """A shared start of five letters, or of the whole of a shorter word ("hope", "hopeful")."""
    size = min(STEM_LETTERS, len(word), len(other))
    return size >= 4 and word[:size] == other[:size]


@lru_cache(maxsize=1)
def spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words, lower-cased.

    Read from spaCy's own file without importing the `spacy` package when this process has not
    imported it: that import brings thinc and torch, some 3 s, and a `/check` or a story's
    grouping needs nothing else of spaCy (the file defines one set and imports nothing).
    """
    if "spacy" in sys.modules:
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        import importlib.util
        from pathlib import Path

        package = importlib.util.find_spec("spacy")  # found, not imported
        if package is None or package.origin is None:
            raise ImportError("spaCy is not installed")
        path = Path(package.origin).parent / "lang" / "en" / "stop_words.py"
        spec = importlib.util.spec_from_file_location("_spacy_en_stop_words", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot read {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        STOP_WORDS = module.STOP_WORDS
    return frozenset(w.lower() for w in STOP_WORDS)
