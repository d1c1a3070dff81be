"""A trained cue tagger: the reporting verbs the lexicon does not list.

PolNeAR's annotators mark far more verbs as cues than any lexicon holds ("is defending his
tweets", "plans to cut taxes", "seems to doubt it", "signaled that ..."): the long tail is where
the rules lose recall. For every verb the rules left alone (not a cue of theirs, not inside the
words naming one of their speakers) this step builds the contents the verb could report (the
complement the rules would take, each clause after it and, for a person's verb, each object or
prepositional phrase), scores each with a logistic model over features of the parse (the word,
how it hangs in the sentence, what hangs from it, who its subject is, which complement) and
proposes the likeliest when the model trusts it: the verb as cue, its subject as the words
naming the speaker. The rules then resolve the speaker and medium as for their own candidates,
without remembering the tagger's, so their own attributions come out unchanged.

A place's or an institution's verb only gets a clause as content: "Velmora accepted the
proposal" is something done, and the outlet's account of it must stay the outlet's own claim
(claims.py turns every attribution's content into its speaker's claim).

The model was trained on PolNeAR's training part only (`bench/train_attribution.py`), with the
label "this verb is a gold cue and this content matches the gold content", so the score is the
chance that adding the candidate is right. Weights are a JSON map from feature to weight, with
the training command, the data's hash and the held-out figures inside; nothing is fetched at
run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rashomon.attribution.context import (
    PERSON_ROLES,
    Candidate,
    Context,
    inside_quote,
    subject_of,
    subtree_bounds,
    within_paragraph,
)
from rashomon.attribution.cues import Cue, cue_for
from rashomon.attribution.finders.reported import (
    char_bounds,
    clause_bounds,
    cue_complement,
    overlaps_direct_quote,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "DEFAULT_MODEL_PATH", "Logistic", "Proposal", "TaggerModel", "covered", "inside_a_quotation",
    "load_model", "propose", "read_cue_model", "same_content", "trusted_proposals",
    "verb_features", "verb_proposals",
]

P = TypeVar("P")  # what a model is asked to trust: a verb's or a noun's proposal

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "attribution_tagger.json"

# A proposal whose content runs past this many tokens is a parse gone astray, not a statement.
_MAX_CONTENT_TOKENS = 120


@dataclass(frozen=True, slots=True)
class Logistic:
    """Logistic weights over named features, and the score at or above which to say yes."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        total = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))

    def says_yes(self, features: Sequence[str]) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Logistic:
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   float(data["threshold"]))


@dataclass(frozen=True, slots=True)
class TaggerModel:
    """`cue`: which of the verbs the rules left alone to propose. `meta`: how it was trained
    (command, data and its hash, the figures on the held-out part of the training data)."""

    cue: Logistic
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"cue": self.cue.to_json(), "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaggerModel:
        return cls(Logistic.from_json(data["cue"]), dict(data.get("meta", {})))


def read_cue_model(path: Path) -> TaggerModel | None:
    """A file of cue weights (the tagger's, or the noun model's, which has its shape), or None
    when it is absent."""
    if not path.is_file():
        return None
    return TaggerModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def load_model(path: Path = DEFAULT_MODEL_PATH) -> TaggerModel | None:
    """The shipped model, or None when the file is absent (the rules then work alone)."""
    return read_cue_model(path)


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a verb would report, before the model says whether to trust it."""

    verb: Token
    subject: Token | None
    content: tuple[int, int]  # character span
    how: str  # which complement gave it: main (the rules' choice), ccomp, dobj, prep:about...


def _generic_entry(verb: Token) -> Cue:
    """The lexicon's entry when there is one (its stance), else a plain assertion."""
    hit = cue_for(verb)
    if hit is not None:
        entry = hit[0]
        return Cue(entry.lemma, entry.stance, takes_object=True, takes_infinitive=True)
    return Cue(verb.lemma_.lower(), "assertion", takes_object=True, takes_infinitive=True)


def _options(verb: Token, nominal: bool) -> Iterator[tuple[str, tuple[int, int]]]:
    """Token bounds of what the verb might report, each with how it hangs from the verb: first
    the complement the rules would take, then each clause, object and phrase on its own.

    `nominal`: whether a noun phrase may be the content. Only for a person's verb: "the mayor
    is defending his plan" takes a position, while "Norvalia accepted the proposal" or "the
    ministry disclosed details" is something done, which must stay the outlet's own claim."""
    main = cue_complement(verb, _generic_entry(verb), None)
    clauses = [c for c in verb.rights if c.dep_ in ("ccomp", "xcomp")]
    if main is not None and (nominal or any(main == clause_bounds(c) for c in clauses)):
        yield "main", main
    for child in verb.rights:
        if child.dep_ in ("ccomp", "xcomp"):
            yield child.dep_, clause_bounds(child)
        elif not nominal:
            continue
        elif child.dep_ in ("dobj", "dative"):
            yield "dobj", subtree_bounds(child)
        elif child.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in child.children):
            yield "prep:" + child.lower_, subtree_bounds(child)
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    yield "pobj:" + child.lower_, subtree_bounds(grandchild)


_PERSON_PRONOUNS = frozenset({"he", "she", "i", "we", "they", "who"})


def _is_person(subject: Token) -> bool:
    if subject.ent_type_:
        return subject.ent_type_ == "PERSON"
    if subject.pos_ == "PRON":
        return subject.lower_ in _PERSON_PRONOUNS
    return subject.lemma_.lower() in PERSON_ROLES


def inside_a_quotation(ctx: Context, start: int, end: int) -> bool:
    """The words lie within one quotation's marks. Quotations that are speech are the quote
    finder's; those it dropped are titles, names or scare quotes ("She read “The Long Tide”"),
    which a verb the lexicon lacks must not turn back into someone's words."""
    quote = ctx.quote_at(start)
    return quote is not None and end <= quote.outer_end


def verb_proposals(ctx: Context, verb: Token) -> list[Proposal]:
    """The candidates a verb could give, one per distinct content span; none when the verb
    is quoted, or its subject is "you", "it" or "there" (not someone holding a view)."""
    if verb.pos_ != "VERB" or inside_quote(ctx, verb):
        return []
    subject = subject_of(verb)
    if subject is None or subject.lower_ in ("you", "it", "there"):
        return []
    found: dict[tuple[int, int], Proposal] = {}
    for how, bounds in _options(verb, _is_person(subject)):
        if bounds[1] - bounds[0] + 1 > _MAX_CONTENT_TOKENS:
            continue
        chars = char_bounds(ctx, *within_paragraph(ctx, verb, *bounds))
        if chars is None or chars in found or overlaps_direct_quote(ctx, *chars) \
                or inside_a_quotation(ctx, *chars):
            continue
        found[chars] = Proposal(verb, subject, chars, how)
    return list(found.values())


def _subject_kind(subject: Token | None) -> str:
    if subject is None:
        return "none"
    if subject.ent_type_:
        return "ent:" + subject.ent_type_
    if subject.pos_ == "PRON":
        return "pron:" + subject.lower_
    if subject.lemma_.lower() in PERSON_ROLES:
        return "role"
    return "pos:" + subject.pos_


def verb_features(proposal: Proposal) -> list[str]:
    """Named features of a proposal: strings, so the model file reads as what it weighs."""
    verb, subject = proposal.verb, proposal.subject
    lemma = verb.lemma_.lower()
    length = proposal.content[1] - proposal.content[0]
    size = "s" if length < 25 else "m" if length < 80 else "l"
    subject_kind = _subject_kind(subject)
    is_root = verb.head.i == verb.i
    features = [
        "lemma=" + lemma, "word=" + verb.lower_, "tag=" + verb.tag_, "dep=" + verb.dep_,
        "how=" + proposal.how, "lemma_how=" + lemma + "|" + proposal.how,
        "how_kind=" + proposal.how.split(":")[0], "size=" + size,
        "how_size=" + proposal.how + "|" + size,
        "subject=" + subject_kind, "lemma_subject=" + lemma + "|" + subject_kind,
        "head=ROOT" if is_root else "head=" + verb.head.lemma_.lower(),
        "head_dep=" + verb.dep_ + "|" + verb.head.pos_,
        "lexicon=" + str(cue_for(verb) is not None),
        "head_cue=" + str(not is_root and cue_for(verb.head) is not None),
    ]
    for child in verb.children:
        features.append("child=" + child.dep_)
        if child.dep_ in ("prep", "aux", "neg", "prt", "advmod", "mark"):
            features.append("child=" + child.dep_ + "|" + child.lower_)
    first = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if first is not None:
        features.append("next=" + first.lower_)
        features.append("lemma_next=" + lemma + "|" + first.lower_)
    return features


def covered(ctx: Context, candidates: Sequence[Candidate]) -> tuple[set[int], list[set[int]]]:
    """Tokens the rules used (their cues, and the words naming their speakers: "an official
    who asked not to be named" is who speaks, not a statement), and their contents' tokens."""
    taken = {c.cue_token.i for c in candidates if c.cue_token is not None}
    for candidate in candidates:
        if candidate.subject is not None:
            taken.update(t.i for t in candidate.subject.subtree)
    contents = []
    for candidate in candidates:
        span = ctx.parsed.char_span(*candidate.content, alignment_mode="expand")
        if span is not None:
            contents.append({t.i for t in span if not t.is_punct})
    return taken, contents


def same_content(words: set[int], contents: list[set[int]]) -> bool:
    """At least half of the longer content's words are shared, as the benchmark matches spans."""
    return any(2 * len(words & other) >= max(len(words), len(other)) for other in contents if other)


def trusted_proposals(
    tokens: Iterable[Token], proposals_of: Callable[[Token], Sequence[P]],
    features_of: Callable[[P], list[str]], model: TaggerModel,
) -> Iterator[P]:
    """For each token, its likeliest proposal (the first of equals) when the model trusts it."""
    for token in tokens:
        scored = [(model.cue.probability(features_of(p)), n, p)
                  for n, p in enumerate(proposals_of(token))]
        if scored:
            probability, _, best = max(scored, key=lambda s: (s[0], -s[1]))
            if probability >= model.cue.threshold:
                yield best


def _best_proposals(
    ctx: Context, model: TaggerModel, taken: set[int]
) -> Iterator[Proposal]:
    """For each verb the rules did not use, its likeliest proposal when the model trusts it."""
    return trusted_proposals((t for t in ctx.parsed if t.i not in taken),
                             lambda verb: verb_proposals(ctx, verb), verb_features, model)


def propose(
    ctx: Context, candidates: Sequence[Candidate], model: TaggerModel
) -> list[Candidate]:
    """Candidates for the verbs the model trusts that the rules did not already attribute."""
    taken, contents = covered(ctx, candidates)
    found = []
    for proposal in _best_proposals(ctx, model, taken):
        span = ctx.parsed.char_span(*proposal.content, alignment_mode="expand")
        words = {t.i for t in span if not t.is_punct} if span is not None else set()
        if not words or same_content(words, contents):
            continue
        verb = proposal.verb
        entry = _generic_entry(verb)
        found.append(Candidate(
            proposal.content, "belief" if entry.stance == "belief" else "indirect", entry.stance,
            (verb.idx, verb.idx + len(verb)), None, verb, proposal.subject,
            ctx.sentence_of(verb.idx),
        ))
        contents.append(words)
    return found
