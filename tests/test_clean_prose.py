"""Not an article (issue 18): a body that is not prose, or cannot be English, is refused with a
reason; articles, short ones included, still pass."""

from __future__ import annotations

import random

import pytest

from rashomon.clean import clean
from rashomon.errors import InputError, LanguageError
from rashomon.model import RawDocument


def _raw(text: str) -> RawDocument:
    return RawDocument(source="in.txt", source_key="in.txt", text=text)


def _random_code_points(seed: int, size: int) -> str:
    chooser = random.Random(seed)
    return "".join(chr(chooser.randint(0x00A0, 0x2FFFF)) for _ in range(size)).replace(
        "\ud800", "x")


def _random_words(seed: int, count: int) -> str:
    chooser = random.Random(seed)
    letters = "bcdfghjklmnpqrstvwxz"
    return " ".join("".join(chooser.choice(letters) for _ in range(chooser.randint(3, 9)))
                    for _ in range(count)) + "."


_CODE = "\n".join([
    "def reopen(port):",
    "    if port.closed and not port.flooded:",
    "        port.schedule = {'ferry': [7, 9, 13]};",
    "        return port.reopen(now=True);",
    "    raise ValueError(port)",
] * 6)


@pytest.mark.parametrize(("text", "reason"), [
    (". . . . . . . . . . . . . . . .", "not an article: no words"),
    # a line this short and bare is dropped as furniture before the prose check sees it
    ("— — — ! ! ? ? ... *** ### 12 34 56 78", "nothing is left"),
    ("a . . . . b . . . . c . . . . d . . . . e . . . .", "not an article: too short"),
    ("ab . . . . cd . . . . ef . . . . gh . . . . ij . . . .", "not an article: not prose"),
    (_CODE, "not an article: reads as code"),
    ("{" + ", ".join(f'"key{n}": [{n}, {n + 1}]' for n in range(40)) + "}",
     "not an article: not prose"),
])
def test_clean_body_that_is_not_prose_is_refused(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        clean(_raw(text))


@pytest.mark.parametrize("seed", range(12))
def test_clean_random_code_points_are_refused(seed: int) -> None:
    with pytest.raises(InputError) as caught:
        clean(_raw(_random_code_points(seed, 300)))
    # refused as no article, or as a language that is not English: never analysed as English
    assert isinstance(caught.value, LanguageError) or "not an article" in caught.value.reason or (
        "nothing is left" in caught.value.reason)


@pytest.mark.parametrize("seed", range(4))
def test_clean_random_latin_words_are_refused(seed: int) -> None:
    with pytest.raises(InputError, match="no recognisable language|not English"):
        clean(_raw(_random_words(seed, 40)))


@pytest.mark.parametrize("text", [
    "Ferry service resumes after the strike.",
    "Ferry resumes.",
    "The harbour minister said on Thursday that the ferry would run again next week.",
    "VELMORA (Ostwire) - Police closed the Kestrel Point terminal on Friday after a barge "
    "struck the pier, a spokesman said. \"Nobody was hurt,\" he told reporters.",
    # a style sheet pasted into an article leaves it an article
    "\n".join(["The minister said the ferry would run again on Monday.",
               ".gallery {", "  width: 100%;", "  margin: 0;", "}",
               "Residents welcomed the news, the mayor's office said.",
               "The strike had lasted three weeks, officials said."]),
])
def test_clean_articles_pass_the_prose_check(text: str) -> None:
    assert clean(_raw(text)).text
