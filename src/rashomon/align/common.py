"""What every relation finder of the package shares: relation ids, speakers, content words.

Speakers are compared by key (`surname_key`): the linked entity, else the last word of the name,
so that "Herman Van Rompuy" in one outlet and "Van Rompuy" in another are one speaker when one
of them is not linked.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Generic, TypeVar, cast

import numpy as np

from rashomon.claims import negation, parse_number
from rashomon.model import Analysis, Attribution
from rashomon.terms import STOP_WORDS, WORD, normal, stem

__all__ = [
    "LastStories", "PROPOSITION_STANCES", "STOP", "WordEcho", "content_words", "cosines_of",
    "lowercase_words",
    "negation_cue", "propositions", "relation_id", "same_speaker", "same_word", "same_word_key",
    "speaker_name", "surname_key",
]

# What a proposition can be: a directive ("urged Berg to spare") or a denial is not one.
PROPOSITION_STANCES = frozenset({"assertion", "distancing", "belief", "accusation", "concession"})
# The common stop words and those align has always skipped on top of them: more pronouns and
# quantifiers, indefinite people ("everyone", "nobody"), "former" of an epithet, "right now".
# Unchanged, because every word here moves the rarity weights and so the relations' scores.
STOP = STOP_WORDS | frozenset({
    "all", "any", "anybody", "anyone", "are", "being", "everybody", "everyone", "former", "him",
    "i", "me", "more", "most", "my", "never", "nobody", "none", "nor", "now", "one", "ones",
    "other", "our", "right", "say", "so", "some", "someone", "such", "them", "us", "very",
    "your",
})


_Found = TypeVar("_Found")
_NOT_KEPT = object()


class LastStories(Generic[_Found]):
    """What was found for the last few stories, by exactly what it was found from.

    The story-level stage asks for some of a story's findings more than once: ahead of the
    embedding (`story_stage._embed_ahead`), to know what to embed, then in the alignment. Those
    that need no vectors are found once and kept here. A story's key must hold everything the
    finding reads; what is kept is only read, never changed, by those who ask for it."""

    # a chunk of stories embedded ahead (`story_stage.EMBED_AHEAD_STORIES`) and some to spare
    SIZE = 128

    def __init__(self) -> None:
        self._found: dict[Hashable, object] = {}

    def get(self, key: Hashable, find: Callable[[], _Found]) -> _Found:
        # popped, not looked up then popped: two threads may share a stage's process
        kept = self._found.pop(key, _NOT_KEPT)
        if kept is not _NOT_KEPT:
            found = cast(_Found, kept)
        else:
            found = find()
            while len(self._found) >= self.SIZE:  # the one asked for least recently goes
                self._found.pop(next(iter(self._found), None), None)
        self._found[key] = found
        return found


def cosines_of(texts: Sequence[str], rows: Sequence[int],
               embed: Callable[[Sequence[str]], np.ndarray]) -> np.ndarray:
    """The cosines of every two texts, of those in `rows` only: the others are not embedded
    (their cosines are zero). The matrix keeps every text's row, so that each cosine is the
    product the matrix of every text would give, to the last bit (a smaller product may round
    apart): what is compared does not depend on what else was embedded."""
    if not rows:
        return np.zeros((len(texts), len(texts)), dtype=np.float32)
    found = np.asarray(embed([texts[row] for row in rows]))
    vectors = np.zeros((len(texts), found.shape[1]), dtype=found.dtype)
    vectors[list(rows)] = found
    similarity: np.ndarray = vectors @ vectors.T
    return similarity


def relation_id(kind: str, members: Sequence[str]) -> str:
    digest = hashlib.sha256("\x00".join([kind, *sorted(members)]).encode()).hexdigest()
    return f"r-{digest[:12]}"


def same_speaker(a: Attribution, b: Attribution) -> bool:
    """The same linked entity, or the same last name ("Van Rompuy", "Herman Van Rompuy")
    when one of them is not linked."""
    if a.speaker.entity and a.speaker.entity == b.speaker.entity:
        return True
    names = [(x.speaker.name or x.speaker.text).lower().split() for x in (a, b)]
    return all(names) and names[0][-1] == names[1][-1] and not (
        a.speaker.anonymous or b.speaker.anonymous)


def surname_key(attribution: Attribution) -> str | None:
    """The key two outlets' speakers are matched by when finding relations: the linked entity,
    else the last word of the name (None for an anonymous or nameless speaker, who matches no
    one). Looser than `rashomon.story_view.speaker_key`, which groups a story's voices for
    the brief, the framing and the reports and keeps full names apart."""
    speaker = attribution.speaker
    if speaker.entity:
        return speaker.entity
    if speaker.anonymous or not (speaker.name or speaker.text):
        return None
    name = (speaker.name or speaker.text).lower().split()
    return name[-1] if name else None


def speaker_name(attribution: Attribution) -> str:
    return attribution.speaker.name or attribution.speaker.text


def propositions(analysis: Analysis) -> list[Attribution]:
    return [a for a in analysis.attributions if a.stance in PROPOSITION_STANCES]


def content_words(text: str) -> list[str]:
    """Words that say what a clause is about; numbers ("40", "forty") are compared as numbers."""
    return [w for w in (normal(m) for m in WORD.findall(text))
            if len(w) > 2 and w not in STOP and parse_number(w) is None]


# "didn ’ t": a contraction some wires space out, which `claims.negation` does not read
_SPACED_NOT = re.compile(r"n\s+[’']\s*t\b|n[’']\s+t\b", re.IGNORECASE)
# Words that look negative and negate no statement: "*not only* killed ... but also", "*nothing
# but* green lights", "*no doubt*", "*not least*".
_AFFIRMING_AFTER = re.compile(r"\s+(?:only|just|merely|simply|least|doubt|but)\b", re.IGNORECASE)
# A refusal to speak negates no statement about the event: "said nothing", "would not comment",
# "did not immediately respond", "had nothing to say".
_SILENCE_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:say|said|comment|commented|speak|spoke|discuss|elaborate|respond|"
    r"answer|disclose|reveal|confirm|identify|release)\b|\s+to\s+(?:say|add)\b",
    re.IGNORECASE)
_SILENCE_BEFORE = re.compile(r"\b(?:said|say|says|saying|told|revealed|disclosed)\s+$",
                             re.IGNORECASE)


def negation_cue(text: str) -> re.Match[str] | None:
    """The first negation cue of a clause (`claims.negation`'s words, spaced contractions
    included) that negates a statement: not "not only … also", "nothing but", nor a refusal to
    speak ("said nothing", "would not comment")."""
    start = 0
    while True:
        found = [m for m in (negation(text[start:]), _SPACED_NOT.search(text[start:]))
                 if m is not None]
        if not found:
            return None
        first = min(found, key=lambda m: m.start())
        cue = re.compile(re.escape(first.group())).search(text, start + first.start())
        assert cue is not None
        after, before = text[cue.end():], text[: cue.start()]
        if not (_AFFIRMING_AFTER.match(after) or _SILENCE_AFTER.match(after)
                or (cue.group().lower() == "nothing" and _SILENCE_BEFORE.search(before))):
            return cue
        start = cue.end()


def lowercase_words(text: str) -> str:
    return " ".join(w for w in WORD.findall(text) if not w[:1].isupper())


_INFLECTION = re.compile(r"(?:'s|s|es|ed|d|ing)$")
# Endings that make a noun of a verb: "encircle" / "encirclement", "prosecute" / "prosecution".
_DERIVATION = re.compile(r"(?:ment|ion|ness)$")


def same_word(word: str, other: str) -> bool:
    """One word in two inflections or as its noun: "point" / "pointed", "weaken" / "weakened",
    "users" / "user", "encircled" / "encirclement"; not two words that share their first
    letters ("office" / "officers")."""
    (a, cut_a), (b, cut_b) = _word_base(word), _word_base(other)
    # "caused" -> "caus" is "cause": the "e" an ending took away
    return a == b or (cut_a and a + "e" == b) or (cut_b and b + "e" == a)


def same_word_key(word: str) -> str:
    """What two words that are the same word (`same_word`) share, not only they: their bases
    but for the "e"s they end with."""
    return _word_base(word)[0].rstrip("e")


# the same words are compared with many others: each is cut once
@functools.lru_cache(maxsize=1 << 16)
def _word_base(word: str) -> tuple[str, bool]:
    """The word without its ending (`_INFLECTION`, `_DERIVATION`), and whether one was cut."""
    lowered = word.lower().replace("’", "'")
    cut = _INFLECTION.sub("", lowered) if len(lowered) > 4 else lowered
    derived = _DERIVATION.sub("", cut)
    cut = derived if len(derived) >= 5 else cut
    return cut, cut != lowered


class WordEcho:
    """Single-word similarity with the embedding model, each word embedded once."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def prepare(self, words: set[str]) -> None:
        new = sorted(words - self._vectors.keys())
        if new:
            for word, vector in zip(new, self._embed(new)):
                self._vectors[word] = vector

    def best(self, words: Sequence[str], others: Sequence[str], *,
             strict: bool = False) -> tuple[float, str, str]:
        """The closest pair of words between two lists: (score, word, other). A shared stem is
        an echo; with `strict`, only the same word inflected ("weaken" / "weakened", not
        "office" / "officers"), other pairs being scored by their embeddings. A word not
        prepared yet is embedded now (a word's vector does not depend on its batch, so
        preparing only the pairs that get this far gives the same scores)."""
        if words and others:
            self.prepare({*words, *others})
        top = (0.0, "", "")
        for w in words:
            for o in others:
                same = same_word(w, o) if strict else stem(w) == stem(o)
                score = 1.0 if same else float(self._vectors[w] @ self._vectors[o])
                if score > top[0]:
                    top = (score, w, o)
        return top

    def echoing(self, words: Collection[str], others: Collection[str], *,
                least: float) -> dict[str, frozenset[str]]:
        """For each of `words`, those of `others` that `best(..., strict=True)` might score
        `least` or more against it: the same word inflected (`same_word`), or a cosine within
        float rounding of `least`. Every other is certainly below; `best` gives the exact
        score. Many pairs are told apart at once (one product, no word compared by hand with
        every other)."""
        self.prepare({*words, *others})
        listed, keyed = sorted(others), sorted(words)
        if not listed or not keyed:
            return {w: frozenset() for w in keyed}
        by_key: dict[str, list[str]] = {}
        for other in listed:
            by_key.setdefault(same_word_key(other), []).append(other)
        scores = (np.stack([self._vectors[w] for w in keyed])
                  @ np.stack([self._vectors[o] for o in listed]).T)
        found = {}
        for row, word in enumerate(keyed):
            close = {listed[c] for c in np.flatnonzero(scores[row] >= least - _ROUNDING)}
            close.update(o for o in by_key.get(same_word_key(word), ()) if same_word(word, o))
            found[word] = frozenset(close)
        return found


# What two float32 products of the same unit vectors, summed in another order, may differ by,
# and far more (a single-precision cosine is off by ~1e-7).
_ROUNDING = 1e-4
