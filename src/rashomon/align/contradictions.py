"""Clauses of different documents that cannot both hold.

- Claims (`claim_contradictions`): clauses of the claim index about the same thing whose
  numbers for the same unit conflict ("40 injured" / "more than 100 injured"), whose dates never
  overlap, or whose predicates are opposed ("accepted" / "rejected").
- Negations (`contradiction_relations`): clauses of different speakers with opposite polarity,
  where a word under the negation ("no threat of *flooding*") is echoed by the other clause
  ("flooded").

Conservative on purpose: a wrong contradiction accuses someone; a missed one only leaves a gap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.agreement import numbers_agree
from rashomon.align.common import (
    STOP,
    WordEcho,
    content_words,
    lowercase_words,
    propositions,
    relation_id,
    same_speaker,
    speaker_key,
    speaker_name,
)
from rashomon.align.index import ClaimIndex, ClaimUnit, Rarity
from rashomon.align.quotes import Segment, quote_segments
from rashomon.claims import negation
from rashomon.model import Analysis, Document, Relation
from rashomon.terms import WORD, normal, stem

__all__ = ["claim_contradictions", "contradiction_relations"]

# --- contradictions between claims -------------------------------------------------------------

# Two clauses are about the same thing when they would corroborate each other but for the
# detail that differs: 0.5 × cosine + 0.5 × rare-stem overlap at least this.
_SAME_THING = 0.6
# Opposed predicates ("accepted" / "rejected", "rose" / "fell"): everything else shared, one or
# two words differ on each side, and negating one side's differing word moves its embedding
# towards the other clause by at least this much. On invented pairs, opposites moved by
# +0.02 to +0.06 and near-synonyms or unrelated verbs ("welcomed", "repaired", "discussed")
# by -0.10 to +0.015; MiniLM's margin is thin, so the other conditions stay strict.
_OPPOSITION_MARGIN = 0.02
_OPPOSITION_SIMILARITY = 0.7
_MAX_DIFFERING = 2


def _differing_word(unit: ClaimUnit, stems: frozenset[str]) -> re.Match[str] | None:
    """The first word of a clause whose stem is among `stems`."""
    for match in WORD.finditer(unit.text):
        word = normal(match.group())
        if stem(word) in stems and word not in STOP:
            return match
    return None


def _opposition_probe(
    a: ClaimUnit, b: ClaimUnit, cosine: float
) -> tuple[str, str, str, str] | None:
    """For clauses that may say opposite things of the same arguments: each with its differing
    word negated, and those words; None when they cannot (different arguments, negation)."""
    only_a, only_b = a.stems - b.stems, b.stems - a.stems
    if (a.negated or b.negated or cosine < _OPPOSITION_SIMILARITY or len(a.stems & b.stems) < 2
            or not 0 < len(only_a) <= _MAX_DIFFERING or not 0 < len(only_b) <= _MAX_DIFFERING):
        return None
    word_a, word_b = _differing_word(a, only_a), _differing_word(b, only_b)
    if word_a is None or word_b is None or word_a.group()[:1].isupper() or word_b.group()[
            :1].isupper():
        return None  # a name that differs ("India") is another subject, not a predicate
    return (f"{a.text[:word_a.start()]}not {a.text[word_a.start():]}",
            f"{b.text[:word_b.start()]}not {b.text[word_b.start():]}",
            word_a.group(), word_b.group())


def _opposed_pairs(
    index: ClaimIndex, embed: Callable[[Sequence[str]], np.ndarray]
) -> dict[tuple[int, int], tuple[str, str]]:
    """Neighbouring clauses whose predicates are opposed: (i, j) -> (word of i, word of j).

    Negating one side's differing word must move it towards the other clause (by
    `_OPPOSITION_MARGIN`); the negated forms of all candidates are embedded in one batch.
    """
    probes = {pair: probe for pair, cosine in index.neighbours.items()
              if (probe := _opposition_probe(index.units[pair[0]], index.units[pair[1]], cosine))}
    if not probes:
        return {}
    negated = embed([text for probe in probes.values() for text in probe[:2]])
    opposed = {}
    for n, ((i, j), probe) in enumerate(probes.items()):
        a, b = index.vectors[i], index.vectors[j]
        margin = max(float(negated[2 * n] @ b - a @ b), float(negated[2 * n + 1] @ a - a @ b))
        if margin >= _OPPOSITION_MARGIN:
            opposed[(i, j)] = (probe[2], probe[3])
    return opposed


def _dates_conflict(a: ClaimUnit, b: ClaimUnit, docs: dict[str, Document]) -> bool:
    """Each clause names one day, they differ, and both were resolved against a document date
    the article gave: a relative "on Saturday" in an undated article is too weak a date to
    accuse anyone with."""
    if len(a.dates) != 1 or len(b.dates) != 1:
        return False
    (day_a, _), (day_b, _) = a.dates[0], b.dates[0]
    dated = all(docs[u.claim.doc].published and not docs[u.claim.doc].published_inferred
                for u in (a, b))
    return dated and len(day_a) == len(day_b) == 10 and day_a != day_b


def _number_text(unit: ClaimUnit, docs: dict[str, Document]) -> str:
    return ", ".join(docs[s.doc].slice(s) for _, _, _, s in unit.numbers)


def _date_text(unit: ClaimUnit) -> str:
    return ", ".join(d for d, _ in unit.dates)


def claim_contradictions(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    index: ClaimIndex | None = None,
) -> list[Relation]:
    """Clauses of different documents about the same thing that cannot both hold: their
    numbers for the same unit conflict ("40 injured" / "more than 100 injured"), their dates
    never overlap, or their predicates are opposed ("accepted" / "rejected")."""
    docs = {d.id: d for d in analysis.documents}
    index = index or ClaimIndex.build(analysis, embed)
    units, rarity = index.units, index.rarity
    opposed = _opposed_pairs(index, embed)
    best: dict[tuple[str, str], tuple[float, ClaimUnit, ClaimUnit, str]] = {}
    for (i, j), cosine in index.neighbours.items():
        a, b = units[i], units[j]
        lexical = rarity.overlap(a.stems, b.stems)
        same = 0.5 * cosine + 0.5 * lexical
        if a.negated != b.negated or not lexical:
            continue
        why = ""
        if same >= _SAME_THING and numbers_agree(a, b) is False:
            why = f"the numbers differ ({_number_text(a, docs)} / {_number_text(b, docs)})"
        elif same >= _SAME_THING and _dates_conflict(a, b, docs):
            why = f"the dates differ ({_date_text(a)} / {_date_text(b)})"
        elif (i, j) in opposed:
            same = max(same, cosine)
            why = f"“{opposed[(i, j)][0]}” is opposed to “{opposed[(i, j)][1]}”"
        if not why:
            continue
        pair = (a.claim.id, b.claim.id)
        if pair not in best or same > best[pair][0]:
            best[pair] = (same, a, b, why)
    relations = []
    for score, a, b, why in best.values():
        members = (a.claim.id, b.claim.id)
        relations.append(Relation(
            relation_id("contradiction", members), "contradiction", members, (a.span, b.span),
            round(min(score, 1.0), 4),
            f"{docs[a.claim.doc].outlet_label}: “{a.text}”; {docs[b.claim.doc].outlet_label}: "
            f"“{b.text}”: about the same thing, but {why}.",
        ))
    return relations


# --- contradictions by negation -----------------------------------------------------------------

# A word under a negation must be echoed this closely (cosine of single-word embeddings, or the
# same first five letters) for two clauses to be about the same thing. MiniLM puts
# some near-synonym pairs as low as 0.42 and unrelated nouns such as "soldiers"/"officer" at
# 0.49, so words alone are weak:
# the clause pair must also be close as a whole (_CLAUSE_SIMILARITY). At 0.4 the bundled
# examples gave three false contradictions ("passengers" ~ "workers", "sail" ~ "barge's",
# "addressed" ~ "complained", all 0.4-0.5) against one more right pair on the seeds, so only
# near-synonyms and shared stems count until a trained model replaces this rule. On ECB+ news
# 0.6 still let "safety" ~ "dangerous" and "parole" ~ "prison" through: 0.7.
_WORD_ECHO = 0.7
_CLAUSE_SIMILARITY = 0.35
# On ECB+ news (topics 1, 3, 8 and 12: 108 articles) the rules above alone reported 43
# contradictions, nearly all wrong: "didn't *get* a fair trial" against "when they *get* on the
# jury", "no *telling*" against "*told* him", "no chance of *parole*" against "life without
# *parole*". More conditions: the negated word is not a light verb, the echoed word is not
# itself negated ("without parole"), and the clauses are about the same thing by the measure
# corroboration uses (0.5 × cosine + 0.5 × rare-stem overlap).
_SAME_NEGATED_THING = 0.45
_LIGHT_VERBS = frozenset({
    "get", "gets", "got", "getting", "make", "makes", "made", "take", "takes", "took", "do",
    "does", "did", "doing", "done", "go", "goes", "went", "gone", "come", "came", "give",
    "gave", "given", "show", "shown", "showed", "tell", "telling", "told", "know", "knew",
    "known", "see", "saw", "seen", "want", "need", "let", "put", "seem", "seems", "keep",
    "think", "thought", "mean", "means", "meant", "happen", "happened", "way", "thing",
})
_NEGATION_WINDOW = 1  # the negated thing: "not *changed*", "no threat of *flooding*"
# Nouns that say how likely something is, not what: skipped to reach the negated thing.
_HEDGE_NOUNS = frozenset({
    "threat", "threats", "risk", "risks", "danger", "sign", "signs", "chance", "chances",
    "possibility", "evidence", "question", "prospect", "indication", "likelihood", "fear",
    "fears", "need",
})
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|without|nor|neither|n[’']t)\W+(?:\w+\W+){0,2}$",
                             re.IGNORECASE)


def _negated_word(text: str, word: str) -> bool:
    """The word is itself under a negation in this clause: "without *parole*", "no *parole*"."""
    for match in re.finditer(r"\b" + re.escape(word) + r"\b", text.replace("’", "'"),
                             re.IGNORECASE):
        if _NEGATED_BEFORE.search(text[: match.start()]):
            return True
    return False


def contradiction_relations(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[Relation]:
    """Clauses of different speakers about the same thing with opposite polarity.

    Same thing: a content word just after the negation cue is echoed in the other clause and
    the two clauses are close as a whole. Conservative on purpose: a wrong contradiction
    accuses someone; a missed one only leaves a gap.
    """
    docs = {d.id: d for d in analysis.documents}
    segments = [s for a in propositions(analysis) if a.doc in docs
                for s in quote_segments(a, docs[a.doc]) if len(s.words) >= 3]
    # the whole-quote segment repeats its clauses: keep clauses only when there are several
    segments = [s for s in segments if not any(
        o is not s and o.attribution is s.attribution and s.span.contains(o.span)
        and o.span != s.span for o in segments)]
    negated = {id(s): negation(s.text) for s in segments}
    if not any(negated.values()) or all(negated.values()):
        return []
    vectors = embed([s.text for s in segments])
    similarity = vectors @ vectors.T
    echo = WordEcho(embed)
    # common words only: a shared place name ("in Dornach") says where, not what is negated
    # the negated thing; a light verb there ("did not *get*", "not *let*") names nothing
    scope = {id(s): [w for w in [w for w in content_words(lowercase_words(s.text[m.end():]))
                                 if w not in _HEDGE_NOUNS][:_NEGATION_WINDOW]
                     if w not in _LIGHT_VERBS]
             for s in segments if (m := negated[id(s)])}
    words = {id(s): content_words(s.text) for s in segments}
    stems = {id(s): frozenset(stem(w) for w in words[id(s)]) for s in segments}
    rarity = Rarity(list({s.attribution.id: stems[id(s)] for s in segments}.values()))
    echo.prepare({w for ws in [*scope.values(), *words.values()] for w in ws})
    best: dict[tuple[str, str], tuple[float, Segment, Segment, str, str]] = {}
    for i, a in enumerate(segments):
        for j, b in enumerate(segments):
            if not negated[id(a)] or negated[id(b)]:
                continue  # a: the negated clause, b: the affirmative one
            key_a, key_b = speaker_key(a.attribution), speaker_key(b.attribution)
            if not key_a or not key_b or same_speaker(a.attribution, b.attribution):
                continue
            clause = float(similarity[i, j])
            if clause < _CLAUSE_SIMILARITY:
                continue
            word_score, word, other = echo.best(scope[id(a)], words[id(b)])
            if word_score < _WORD_ECHO or _negated_word(b.text, other):
                continue  # "life without parole" agrees with "no chance of parole"
            # about the same thing: as for corroboration, the rarer shared words count most
            same = 0.5 * clause + 0.5 * rarity.overlap(stems[id(a)], stems[id(b)])
            if same < _SAME_NEGATED_THING:
                continue
            score = round((clause + word_score) / 2, 4)
            pair = (a.attribution.id, b.attribution.id)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, a, b, word, other)
    relations = []
    for score, a, b, word, other in best.values():
        members = (b.attribution.id, a.attribution.id)
        where_a, where_b = docs[a.attribution.doc].outlet_label, docs[b.attribution.doc].outlet_label
        relations.append(Relation(
            relation_id("contradiction", members), "contradiction", members,
            (b.span, a.span), score,
            f"{speaker_name(b.attribution)} ({where_b}): “{b.text}”; {speaker_name(a.attribution)} "
            f"({where_a}) negates it: “{a.text}” (“{word}” ~ “{other}”).",
        ))
    return relations
