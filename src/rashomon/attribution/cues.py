"""The cue lexicon: reporting words, their stance, and how their content hangs from them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.model import (
    Stance,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "ACCUSATION_PREPS",
    "BY_LEMMA",
    "CUES",
    "Cue",
    "HAND_CUES",
    "LEARNED_CUES_PATH",
    "RELATIVE_PRONOUNS",
    "SUBJECT_DEPS",
    "cue_for",
    "learned_cues",
    "lemma_forms",
    "use_cues",
]


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting word and what it says about the speaker's relation to the content.

    `takes_object`: the direct object can be the content ("denied the claim", "urged restraint").
    `quotes_only`: a cue only when it governs a quotation ("called it “a sham”", "described
    as"): on its own, "called" is a phone call as often as a statement.
    `continues`: the speaker goes on with the same statement ("added"), so the medium carries over.
    `takes_infinitive`: a to-clause can be the content ("vowed to veto the bill").
    `clause_only`: only a clause is the content ("acknowledged that ..."), never an object: the
    cues learned from PolNeAR (`learned_cues`) are verbs that take objects as deeds as often
    ("acknowledged the crowd"), and a deed must stay the outlet's own account.
    """

    lemma: str
    stance: Stance
    particle: str | None = None
    takes_object: bool = False
    quotes_only: bool = False
    continues: bool = False
    takes_infinitive: bool = False
    clause_only: bool = False


def _cues(
    stance: Stance, lemmas: str, *, takes_object: bool = False, quotes_only: bool = False,
    takes_infinitive: bool = False,
) -> tuple[Cue, ...]:
    return tuple(
        Cue(lemma, stance, takes_object=takes_object, quotes_only=quotes_only,
            takes_infinitive=takes_infinitive)
        for lemma in lemmas.split()
    )


def _phrasal(stance: Stance, phrases: str) -> tuple[Cue, ...]:
    """Verb + preposition cues whose object is the content: "called for", "pointed to"."""
    found = []
    for phrase in phrases.split(","):
        lemma, particle = phrase.split()
        found.append(Cue(lemma, stance, particle=particle, takes_object=True))
    return tuple(found)


HAND_CUES: tuple[Cue, ...] = (
    *_cues("assertion", "say state report explain tell write"),
    *_cues("assertion", "note post", takes_object=True),
    *_cues("assertion", "confirm announce affirm assert stress emphasize reiterate repeat",
           takes_object=True),
    *_cues("assertion", "warn caution declare reply"),
    Cue("tweet", "assertion", takes_object=True),
    Cue("add", "assertion", continues=True),
    Cue("continue", "assertion", continues=True, quotes_only=True),
    *_cues("assertion", "describe call speak term label", quotes_only=True),
    *_cues("distancing", "claim", takes_object=True),
    *_cues("distancing", "allege insist purport contend question"),
    *_cues("denial", "deny dismiss reject refute rebut contest dispute", takes_object=True),
    *_cues("accusation", "accuse charge blame", takes_object=True),
    *_cues("directive", "urge ask demand request order appeal", takes_object=True),
    Cue("call", "directive", particle="on", takes_object=True),
    *_cues("concession", "admit acknowledge concede", takes_object=True),
    Cue("grant", "concession"),
    *_cues("belief", "fear expect", takes_object=True),
    Cue("want", "belief"),  # "wants to end the strike"; "wants a recount" is seldom reported
    *_cues("belief", "think believe hope feel"),
    # Reporting and position-taking words that PolNeAR's annotators mark as cues (counted on its
    # training part: each is a cue in at least about half of its uses with a complement).
    *_cues("assertion", "suggest argue indicate conclude remark joke estimate signal assure "
           "imply observe recount testify respond answer"),
    *_cues("assertion", "show reveal recall predict", takes_object=True),
    Cue("find", "assertion"),  # "found that ...", not "voters find him appealing"
    *_cues("assertion", "cite mention discuss quote reference list tout praise express voice "
           "endorse highlight applaud echo", takes_object=True),
    *_cues("assertion", "vow promise pledge", takes_object=True, takes_infinitive=True),
    *_phrasal("assertion", "point to,point out,refer to,talk about,respond to,comment on,"
              "boast about,hint at,reply to,weigh in"),
    *_cues("accusation", "criticize criticise slam blast mock denounce decry condemn attack "
           "lambast rip chide scold", takes_object=True),
    *_phrasal("accusation", "rail against,lash out,hit out"),
    *_cues("denial", "oppose", takes_object=True),
    *_cues("denial", "refuse decline", takes_infinitive=True),
    *_cues("directive", "propose", takes_object=True, takes_infinitive=True),
    *_cues("directive", "threaten", takes_infinitive=True),
    *_phrasal("directive", "call for,push for,advocate for,press for,plead for"),
    *_cues("concession", "agree recognize", takes_infinitive=True),
    *_cues("belief", "worry wonder", takes_object=False),
    *_phrasal("belief", "worry about"),
)


LEARNED_CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "attribution_cues.json"


def learned_cues(path: Path = LEARNED_CUES_PATH) -> tuple[Cue, ...]:
    """The verbs PolNeAR's training part marks as cues when they take a clause, often and with
    high precision, that the lexicon above lacks (`bench/train_attribution_cues.py`): plain
    assertions, clause only. None when the file is absent."""
    if not path.is_file():
        return ()
    verbs = json.loads(path.read_text(encoding="utf-8"))["verbs"]
    return tuple(Cue(lemma, "assertion", clause_only=True) for lemma in sorted(verbs))


BY_LEMMA: dict[str, list[Cue]] = {}


def use_cues(cues: Iterable[Cue]) -> None:
    """Make `cues` the lexicon every finder reads (the trainer swaps learned lists in and out)."""
    BY_LEMMA.clear()
    for cue in cues:
        if cue.clause_only and any(e.particle is None for e in BY_LEMMA.get(cue.lemma, ())):
            continue  # the hand lexicon's entry wins ("boast about" leaves "boasted that")
        BY_LEMMA.setdefault(cue.lemma, []).append(cue)


CUES: tuple[Cue, ...] = (*HAND_CUES, *learned_cues())


use_cues(CUES)


# Accused of / charged with / blamed for: the prepositions that carry an accusation's content.
ACCUSATION_PREPS = frozenset({"of", "with", "for", "over", "by"})


SUBJECT_DEPS = frozenset({"nsubj", "csubj"})


RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})


_SUFFIXES = (("ing", "e"), ("ing", ""), ("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""),
             ("es", ""), ("s", ""))


def lemma_forms(token: Token) -> Iterator[str]:
    """The lemma, then guesses from the word itself: the small model lemmatises "hopes" as "hop"."""
    yield token.lemma_.lower()
    word = token.lower_
    yield word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            yield stem + replacement
            if len(stem) > 2 and stem[-1] == stem[-2]:  # admitted -> admit
                yield stem[:-1]


# Objects that make a cue's verb mean something other than speech: a disaster "claimed 660
# lives", a team "claimed the title". Lemmas as the small model gives them.
_NOT_SPEECH_OBJECTS: dict[str, frozenset[str]] = {
    "claim": frozenset({"life", "lives", "victim", "casualty", "title", "crown", "medal",
                        "trophy", "championship", "prize"}),
}


def _not_speech_sense(lemma: str, token: Token) -> bool:
    """Whether the verb's object gives it a sense that is not speech ("claimed 12 lives")."""
    objects = _NOT_SPEECH_OBJECTS.get(lemma)
    return objects is not None and any(
        child.dep_ == "dobj" and (child.lemma_.lower() in objects or child.lower_ in objects)
        for child in token.children)


def cue_for(token: Token) -> tuple[Cue, Token | None] | None:
    """The lexicon entry a verb token stands for, with its particle token ("called on")."""
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBG", "VBN", "VBP"):
        return None
    entries = next((BY_LEMMA[form] for form in lemma_forms(token) if form in BY_LEMMA), None)
    if not entries or _not_speech_sense(entries[0].lemma, token):
        return None
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    for entry in entries:
        if entry.particle is None:
            continue
        if following is not None and following.lower_ == entry.particle and following.head == token:
            return entry, following
    plain = [entry for entry in entries if entry.particle is None]
    return (plain[0], None) if plain else None
