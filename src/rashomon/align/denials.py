"""A denial linked to the statement it denies.

A denial ("dismissed the mayor's claim", "denied flooding fears") is linked to the statement it
is about: one whose speaker it names or whose words its object echoes, of the kind it names (a
denied "claim" was "claimed"); a question ("asked whether") is not a statement, and a clause
hung on another ("..., citing X") is not what someone's "words" mean; proximity only breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.common import (
    STOP,
    WordEcho,
    content_words,
    propositions,
    relation_id,
    speaker_key,
    speaker_name,
)
from rashomon.model import Analysis, Attribution, Document, Relation
from rashomon.terms import WORD, normal, stem

__all__ = ["denial_links", "denial_relations"]

# Nouns that name a statement rather than its subject: "the Silva *claim*", "flooding *fears*".
_STATEMENT_NOUNS = frozenset({
    "claim", "claims", "fear", "fears", "words", "remark", "remarks", "statement", "statements",
    "report", "reports", "allegation", "allegations", "assertion", "assertions", "suggestion",
    "suggestions", "rumour", "rumours", "rumor", "rumors", "comments", "talk", "idea", "notion",
    "account", "version", "story", "charge", "charges", "accusation", "accusations",
})
# A denied phrase's topic words must be echoed more closely than a negated word: the denial has
# no clause around it to confirm the match.
_DENIAL_ECHO = 0.5
_DENIAL_KINDS = frozenset({"indirect", "according_to"})  # the content names what is denied
# Embedded questions ("questioned if Norvalia would ...", "asked whether") assert nothing.
_QUESTION_AFTER_CUE = re.compile(r"^\W*(?:if|whether)\b", re.IGNORECASE)
_SUBORDINATE = 0.15


def _denied_phrase(text: str) -> str:
    """What a denial names, without how it characterises it: "X's words as 'manipulation'"."""
    return re.split(r"\s+as\s+", text, maxsplit=1)[0]


def _named_speakers(denial: Attribution, analysis: Analysis, document: Document) -> set[str]:
    """Speakers a denied phrase names: entities of mentions inside it ("the former spy
    chief’s words") and capitalised words ("the Silva claim")."""
    named = {m.entity for m in analysis.mentions
             if m.entity and m.span.doc == denial.doc and denial.content.contains(m.span)}
    text = _denied_phrase(document.slice(denial.content))
    named |= {w.lower().removesuffix("'s") for w in
              (m.replace("’", "'") for m in WORD.findall(text)) if w[:1].isupper()}
    return named - STOP


def _names(attribution: Attribution) -> set[str]:
    words = {w.lower() for w in WORD.findall(speaker_name(attribution))}
    return words | ({attribution.speaker.entity} if attribution.speaker.entity else set())


def denial_links(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[tuple[Attribution, Attribution, float, str]]:
    """Each denial with the attribution it denies: (denial, target, score, why)."""
    docs = {d.id: d for d in analysis.documents}
    denials = [a for a in analysis.attributions
               if a.stance == "denial" and a.kind in _DENIAL_KINDS and a.doc in docs
               and not _refusal(a, docs[a.doc])]
    candidates = [a for a in propositions(analysis)
                  if a.doc in docs and not _asks(a, docs[a.doc])]
    if not denials or not candidates:
        return []
    echo = WordEcho(embed)
    words = {a.id: content_words(docs[a.doc].slice(a.content)) for a in candidates}
    words |= {a.id: content_words(_denied_phrase(docs[a.doc].slice(a.content)))
              for a in denials}
    echo.prepare({w for ws in words.values() for w in ws})
    order = {a.id: n for n, a in enumerate(analysis.attributions)}
    links = []
    for denial in denials:
        named = _named_speakers(denial, analysis, docs[denial.doc])
        mentioned = {normal(w) for m in analysis.mentions
                     if m.span.doc == denial.doc and denial.content.contains(m.span)
                     for w in WORD.findall(m.text)}
        topic = [w for w in words[denial.id] if w not in _STATEMENT_NOUNS and w not in named
                 and w.removesuffix("'s") not in {x.removesuffix("'s") for x in mentioned}]
        claim_like = bool({"claim", "claims", "allegation", "allegations", "assertion"}
                          & set(words[denial.id]))
        nouns = {stem(w) for w in words[denial.id] if w in _STATEMENT_NOUNS}
        best: tuple[float, Attribution, str] | None = None
        for target in candidates:
            if speaker_key(target) == speaker_key(denial) and speaker_key(target):
                continue
            same_doc = target.doc == denial.doc
            if same_doc and target.content.start >= denial.content.start:
                continue  # a denial answers what came before it
            # a name alone points at a speaker's statement only when the denial is of a
            # statement ("the Brannik claim"); "denied a Brandt offer" is not about his words
            by_name = bool(nouns) and bool(named & _names(target))
            word_score, word, other = echo.best(topic, words[target.id])
            if word_score < _DENIAL_ECHO:
                word_score = 0.0
            if not by_name and not word_score:
                continue
            score = (1.0 if by_name else 0.0) + word_score
            # what the denial calls the statement says how it was reported: a denied "claim"
            # is one the outlet reported with distance ("claimed"), denied "allegations" were
            # "alleged", a denied "report" was "reported"
            cue = stem(docs[target.doc].slice(target.cue).lower()) if target.cue else ""
            if (claim_like and target.stance == "distancing") or (cue and cue in nouns):
                score += 0.2
            # a denial of someone's words means what they stated, not a clause added to it
            # ("..., citing the challenge") or a fragment quoted inside it
            score -= _SUBORDINATE if _subordinate(target, candidates, docs) else 0.0
            if same_doc:  # the nearest earlier statement, by a small margin
                score += 0.1 + 0.1 / (1 + order[denial.id] - order[target.id])
            why = (f"it names {speaker_name(target)}" if by_name else "")
            if word_score:
                why += (" and " if why else "") + f"“{word}” echoes “{other}”"
            if best is None or score > best[0]:
                best = (score, target, why)
        if best is not None:
            links.append((denial, best[1], round(min(best[0] / 2.4, 1.0), 4), best[2]))
    return links


def _refusal(denial: Attribution, document: Document) -> bool:
    """"declined to say", "refused to deliberate": a refusal to act denies no statement."""
    cue = document.slice(denial.cue).lower() if denial.cue else ""
    content = document.slice(denial.content).lstrip(" \"“‘")
    return cue.startswith(("declin", "refus")) or content.lower().startswith("to ")


def _asks(attribution: Attribution, document: Document) -> bool:
    if attribution.cue is None or attribution.cue.end > attribution.content.start:
        return False
    return bool(_QUESTION_AFTER_CUE.match(
        document.text[attribution.cue.end : attribution.content.start + 1]))


def _subordinate(
    target: Attribution, candidates: Sequence[Attribution], docs: dict[str, Document]
) -> bool:
    """A participle cue ("citing", "adding", "noting") hangs on another statement, and a
    fragment lies inside a longer content of the same speaker."""
    if target.cue is not None and docs[target.doc].slice(target.cue).lower().endswith("ing"):
        return True
    return any(other is not target and other.doc == target.doc
               and speaker_key(other) == speaker_key(target)
               and other.content.contains(target.content) and other.content != target.content
               for other in candidates)


def denial_relations(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[Relation]:
    """A `denial` relation from each denial attribution to the statement it denies."""
    docs = {d.id: d for d in analysis.documents}
    relations = []
    for denial, target, score, why in denial_links(analysis, embed):
        members = (denial.id, target.id)
        denied = docs[denial.doc].slice(denial.content)
        cue = docs[denial.doc].slice(denial.cue) if denial.cue else "denied"
        where = "" if target.doc == denial.doc else f" (reported in {docs[target.doc].outlet_label})"
        relations.append(Relation(
            relation_id("denial", members), "denial", members,
            (denial.content, target.content), score,
            f"{speaker_name(denial)} {cue} {denied}, taken to be {speaker_name(target)}'s "
            f"statement “{docs[target.doc].slice(target.content)}”{where}: {why}.",
        ))
    return relations
