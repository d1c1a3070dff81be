"""A trained noun-cue tagger: statements and positions a noun names, with who holds them.

"his call to ban the imports", "Silva's claim that the pier is safe", "union criticism of the
plan": PolNeAR's annotators mark the noun as the cue, the clause or object after it as the
content and the possessor (or the body named beside the noun, or the "from"/"by" phrase) as
the source. No verb says it, so the rules never see these; on PolNeAR's training part they
are the largest group of missed attributions no verb cue accounts for.

For every noun the rules left alone (not a cue of theirs, not inside the words naming one of
their speakers, not inside a quotation) that names its holder (a possessor, an organisation,
people or a nationality right before it, or a "from"/"by" phrase after it), this step builds
the contents it could name (each clause or prepositional phrase after it, the phrase with and
without its preposition), scores each with a logistic model over parse features, and proposes
the likeliest when the model trusts it. The label it was trained on asks the content and the
source both to match the gold (`bench/train_attribution_nouns.py`, PolNeAR train only), so
the score is the chance that the whole attribution is right: a noun without a holder the text
names is never proposed, and one whose holder is often not the source is not trusted.

Resolved like the verb tagger's candidates: speakers and media by the rules, not remembered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.attribution.context import Candidate, Context, inside_quote, subtree_bounds, within_paragraph
from rashomon.attribution.cues import CUES
from rashomon.attribution.finders.reported import char_bounds, clause_bounds, overlaps_direct_quote
from rashomon.attribution.tagger import (
    TaggerModel,
    covered,
    inside_a_quotation,
    read_cue_model,
    same_content,
    trusted_proposals,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "DEFAULT_NOUN_MODEL_PATH", "NounModel", "NounProposal", "load_noun_model", "noun_features",
    "noun_proposals", "propose_nouns",
]

DEFAULT_NOUN_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "attribution_nouns.json"

# Longer than this is a parse gone astray, not what a noun names.
_MAX_CONTENT_TOKENS = 60

# Who holds a view, named beside the noun: a people, a body, a person, a place's government.
_HOLDER_TYPES = frozenset({"NORP", "ORG", "PERSON", "GPE"})

# Prepositions after the noun that bring its holder ("criticism from rivals", "orders by X").
_HOLDER_PREPS = frozenset({"from", "by", "among"})

# Possessives that hold nothing: "its" is a thing's more often than a body's view.
_NO_HOLDER = frozenset({"its", "my", "your", "our"})

_VERB_CUE_LEMMAS = frozenset(c.lemma for c in CUES)


# The noun model has the verb tagger's shape: a logistic over candidate cues, and how it was
# trained (command, data's hash, held-out figures).
NounModel = TaggerModel


@cache
def load_noun_model(path: Path = DEFAULT_NOUN_MODEL_PATH) -> NounModel | None:
    """The shipped model, or None when the file is absent (no noun cues then)."""
    return read_cue_model(path)


@dataclass(frozen=True, slots=True)
class NounProposal:
    """What a noun would name, before the model says whether to trust it."""

    noun: Token
    holder: Token  # the head of the words naming the source
    holder_how: str  # poss:pron, poss:name, mod:NORP, prep:from ...
    content: tuple[int, int]  # character span
    cue: tuple[int, int]  # character span: the noun, and the preposition its content hangs on
    how: str  # acl, prep:of (the phrase), pobj:of (its object) ...


def noun_holder(noun: Token) -> tuple[Token, str] | None:
    """Who the noun says holds the view, and how the text names them; None when it does not."""
    for child in noun.lefts:
        if child.dep_ == "poss":
            if child.lower_ in _NO_HOLDER:
                return None
            return child, "poss:pron" if child.pos_ == "PRON" else "poss:name"
    for child in noun.lefts:
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in _HOLDER_TYPES:
            return child, "mod:" + child.ent_type_
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in _HOLDER_PREPS:
            holder = next((g for g in child.children if g.dep_ == "pobj"), None)
            if holder is not None:
                return holder, "prep:" + child.lower_
    return None


def _options(noun: Token) -> Iterator[tuple[str, tuple[int, int], Token | None]]:
    """Token bounds of what the noun might name, how they hang from it, and the preposition
    the cue takes with it (PolNeAR's "criticism of", "support for")."""
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp", "relcl") and child.pos_ in ("VERB", "AUX"):
            if child.dep_ == "relcl":
                continue  # "the claim he made": the noun is what he did, not a view's content
            yield child.dep_, clause_bounds(child), None
        elif child.dep_ == "prep" and child.lower_ not in _HOLDER_PREPS:
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                yield "prep:" + child.lower_, subtree_bounds(child), None
                yield "pobj:" + child.lower_, subtree_bounds(objects[0]), child


def noun_proposals(ctx: Context, noun: Token) -> list[NounProposal]:
    """The candidates a noun could give, one per distinct content span."""
    if noun.pos_ != "NOUN" or inside_quote(ctx, noun):
        return []
    holder = noun_holder(noun)
    if holder is None:
        return []
    found: dict[tuple[int, int], NounProposal] = {}
    for how, bounds, preposition in _options(noun):
        if bounds[1] - bounds[0] + 1 > _MAX_CONTENT_TOKENS:
            continue
        chars = char_bounds(ctx, *within_paragraph(ctx, noun, *bounds))
        if chars is None or chars in found or overlaps_direct_quote(ctx, *chars) \
                or inside_a_quotation(ctx, *chars):
            continue
        last = preposition or noun
        cue = (noun.idx, last.idx + len(last))
        found[chars] = NounProposal(noun, holder[0], holder[1], chars, cue, how)
    return list(found.values())


def noun_features(proposal: NounProposal) -> list[str]:
    """Named features of a proposal: strings, so the model file reads as what it weighs."""
    noun = proposal.noun
    lemma = noun.lemma_.lower()
    length = proposal.content[1] - proposal.content[0]
    size = "s" if length < 25 else "m" if length < 80 else "l"
    how_kind = proposal.how.split(":")[0]
    head = noun.head
    features = [
        "lemma=" + lemma, "tag=" + noun.tag_, "dep=" + noun.dep_,
        "how=" + proposal.how, "how_kind=" + how_kind, "lemma_how=" + lemma + "|" + proposal.how,
        "lemma_how_kind=" + lemma + "|" + how_kind, "size=" + size,
        "how_size=" + proposal.how + "|" + size,
        "holder=" + proposal.holder_how, "lemma_holder=" + lemma + "|" + proposal.holder_how,
        "holder_how=" + proposal.holder_how + "|" + how_kind,
        "head=" + ("ROOT" if head.i == noun.i else head.lemma_.lower()),
        "head_dep=" + noun.dep_ + "|" + head.pos_,
        "verb_cue=" + str(lemma in _VERB_CUE_LEMMAS),
    ]
    for child in noun.lefts:
        if child.dep_ in ("det", "amod", "compound"):
            features.append("left=" + child.dep_ + "|" + child.lower_)
    return features


def _best_proposals(ctx: Context, model: NounModel, taken: set[int]) -> Iterator[NounProposal]:
    """For each noun the rules did not use, its likeliest proposal when the model trusts it."""
    return trusted_proposals((t for t in ctx.parsed if t.i not in taken and t.pos_ == "NOUN"),
                             lambda noun: noun_proposals(ctx, noun), noun_features, model)


def propose_nouns(
    ctx: Context, candidates: Sequence[Candidate], model: NounModel
) -> list[Candidate]:
    """Candidates for the nouns the model trusts whose contents no candidate already holds."""
    taken, contents = covered(ctx, candidates)
    found = []
    for proposal in _best_proposals(ctx, model, taken):
        span = ctx.parsed.char_span(*proposal.content, alignment_mode="expand")
        words = {t.i for t in span if not t.is_punct} if span is not None else set()
        if not words or same_content(words, contents) or proposal.holder.i in words:
            continue
        noun = proposal.noun
        found.append(Candidate(
            proposal.content, "indirect", "assertion", proposal.cue, None, noun,
            proposal.holder, ctx.sentence_of(noun.idx),
        ))
        contents.append(words)
    return found
