"""Language: English unless the body is clearly another language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rashomon.terms import LETTER_WORD

__all__ = ["ENGLISH_FUNCTION_WORDS", "detect_language"]

# py3langid reads short English as Scots or Nigerian Pidgin now and then: all three are English.
_ENGLISH_LIKE = frozenset({"en", "sco", "pcm"})
ENGLISH_FUNCTION_WORDS = frozenset(
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


def detect_language(text: str) -> str:
    """The text's language code; "en" unless it is clearly another language.

    Short texts and names confuse the classifier, so another language is only returned when
    the text is long enough, the classifier is confident, and English function words are rare.
    """
    words = [w.lower() for w in LETTER_WORD.findall(text)]
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return "en"
    share = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words)
    if share >= _ENGLISH_FUNCTION_SHARE:
        return "en"
    language, probability = _language_identifier().classify(text[:20_000])
    if language in _ENGLISH_LIKE or probability < _LANGUAGE_CONFIDENCE:
        return "en"
    return str(language)
