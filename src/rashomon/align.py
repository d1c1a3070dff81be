"""Cross-source pairing of what different outlets report, within one story.

A first version (issue 5 deepens it): quotes are cut into clauses, every clause is embedded once,
and clauses of different documents of the same story are compared. A pair close in meaning is
one utterance rendered by two outlets; then the speakers, words and media are compared:

- same speaker, different words   -> quote_variant (with a word diff)
- same speaker, same words        -> corroboration (quoted identically)
- same words, different speakers  -> attribution_divergence (both may have said it)
- same utterance, different media -> medium_divergence

Then claims that clash (issue 5, first version):

- a denial ("dismissed the mayor's claim", "denied flooding fears") is linked to the
  attribution it denies: one whose speaker the denial names (a name or a mention resolved to
  that speaker inside the denied phrase) or whose words the denied phrase echoes, preferring
  the nearest earlier one in the same document                     -> denial
- clauses of different speakers with opposite polarity, where a word under the negation
  ("no threat of *flooding*") is echoed by the other clause ("flooded")
                                                                  -> contradiction

Work is blocked by story, so the cost grows with story size, never with the whole corpus.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rashomon.claims import negation
from rashomon.model import Analysis, Attribution, Document, Relation, Span

__all__ = [
    "Segment", "align_story", "contradiction_relations", "denial_relations", "quote_segments",
    "word_diff",
]

_QUOTE_KINDS = frozenset({"direct", "partial"})
# Sentence ends, and the clause joints where one quote often carries two statements
# ("we had good talks, and there is a good chance the war can end").
_SEGMENT_BREAK = re.compile(r"(?<=[.!?])\s+|,\s+(?:and|but)\s+|;\s+")
_WORD = re.compile(r"\w+(?:[’']\w+)?")
_MIN_SEGMENT_WORDS = 4
# Short fragments ("cautious optimism") carry too little for an embedding to mean much: they
# are paired only when their words are the same.
_SAME_WORDS = 1.0


@dataclass(frozen=True, slots=True)
class Segment:
    attribution: Attribution
    span: Span
    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.lower().replace("’", "'") for w in _WORD.findall(self.text))


def quote_segments(attribution: Attribution, document: Document) -> list[Segment]:
    """A quote's sentences and clauses, each a span of the document."""
    content = attribution.content
    text = document.slice(content)
    segments: list[Segment] = []
    start = 0
    for match in [*_SEGMENT_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip(" \"“”‘’,.;:!?")
        if stripped:
            offset = content.start + start + piece.index(stripped[0])
            span = Span(content.doc, offset, offset + len(stripped))
            segments.append(Segment(attribution, span, stripped))
        if match:
            start = match.end()
    whole = text.strip(" \"“”‘’,.;:!?")
    if len(segments) > 1 and whole:
        offset = content.start + text.index(whole[0])
        segments.append(Segment(attribution, Span(content.doc, offset, offset + len(whole)), whole))
    return segments


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff of two renderings: ("equal"|"delete"|"insert", words) runs."""
    left, right = a.split(), b.split()
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            ops.append(("equal" if tag == "equal" else "delete", " ".join(left[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            ops.append(("insert", " ".join(right[j1:j2])))
    return tuple(ops)


def _speaker_key(attribution: Attribution) -> str | None:
    speaker = attribution.speaker
    if speaker.entity:
        return speaker.entity
    if speaker.anonymous or not (speaker.name or speaker.text):
        return None
    name = (speaker.name or speaker.text).lower().split()
    return name[-1] if name else None


def _relation_id(kind: str, members: Sequence[str]) -> str:
    digest = hashlib.sha256("\x00".join([kind, *sorted(members)]).encode()).hexdigest()
    return f"r-{digest[:12]}"


def _pair_relations(
    a: Segment, b: Segment, score: float, docs: dict[str, Document]
) -> list[Relation]:
    """The relations one pair of matching segments supports."""
    att_a, att_b = a.attribution, b.attribution
    members = (att_a.id, att_b.id)
    evidence = (a.span, b.span)
    outlet_a, outlet_b = docs[att_a.doc].outlet_label, docs[att_b.doc].outlet_label
    key_a, key_b = _speaker_key(att_a), _speaker_key(att_b)
    name_a = att_a.speaker.name or att_a.speaker.text
    name_b = att_b.speaker.name or att_b.speaker.text
    same_words = a.words == b.words
    relations: list[Relation] = []
    if key_a and key_b and key_a != key_b:
        if same_words:
            relations.append(Relation(
                _relation_id("attribution_divergence", members), "attribution_divergence",
                members, evidence, score,
                f"The words “{a.text}” are {name_a}'s in {outlet_a} and {name_b}'s in "
                f"{outlet_b}; both may have said them, so neither outlet is called wrong.",
            ))
        return relations
    if same_words:
        relations.append(Relation(
            _relation_id("corroboration", members), "corroboration", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote {name_a or name_b} identically: “{a.text}”.",
        ))
    else:
        relations.append(Relation(
            _relation_id("quote_variant", members), "quote_variant", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote the same words of {name_a or name_b} differently "
            f"(similarity {score:.2f}).",
            diff=word_diff(a.text, b.text),
        ))
    if att_a.medium and att_b.medium and att_a.medium.lower() != att_b.medium.lower():
        relations.append(Relation(
            _relation_id("medium_divergence", members), "medium_divergence", members, evidence,
            score,
            f"{outlet_a} says {name_a or name_b} said this via {att_a.medium}, {outlet_b} via "
            f"{att_b.medium}: a difference to show, not an error to assert.",
        ))
    return relations


def align_story(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    threshold: float,
) -> list[Relation]:
    """Relations between quotes of different documents of the analysis's documents."""
    docs = {d.id: d for d in analysis.documents}
    segments = [
        segment
        for attribution in analysis.attributions
        if attribution.kind in _QUOTE_KINDS and attribution.doc in docs
        for segment in quote_segments(attribution, docs[attribution.doc])
    ]
    if len({s.attribution.doc for s in segments}) < 2:
        segments = []
    vectors = embed([s.text for s in segments])
    similarity = vectors @ vectors.T
    best: dict[tuple[str, str], tuple[float, Segment, Segment]] = {}
    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            b = segments[j]
            if a.attribution.doc == b.attribution.doc:
                continue
            short = min(len(a.words), len(b.words)) < _MIN_SEGMENT_WORDS
            score = _SAME_WORDS if a.words == b.words else float(similarity[i, j])
            if score < threshold or (short and a.words != b.words):
                continue
            pair = tuple(sorted((a.attribution.id, b.attribution.id)))
            first, second = (a, b) if pair[0] == a.attribution.id else (b, a)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, first, second)  # type: ignore[index]
    relations: dict[str, Relation] = {}
    for score, a, b in best.values():
        for relation in _pair_relations(a, b, round(score, 4), docs):
            relations.setdefault(relation.id, relation)
    for relation in [*denial_relations(analysis, embed), *contradiction_relations(analysis, embed)]:
        relations.setdefault(relation.id, relation)
    return sorted(relations.values(), key=lambda r: (r.kind, r.id))


# --- denials and contradictions -------------------------------------------------------------

# What a proposition can be: a directive ("urged Berg to spare") or a denial is not one.
_PROPOSITION_STANCES = frozenset({"assertion", "distancing", "belief", "accusation", "concession"})
# Nouns that name a statement rather than its subject: "the Silva *claim*", "flooding *fears*".
_STATEMENT_NOUNS = frozenset({
    "claim", "claims", "fear", "fears", "words", "remark", "remarks", "statement", "statements",
    "report", "reports", "allegation", "allegations", "assertion", "assertions", "suggestion",
    "suggestions", "rumour", "rumours", "rumor", "rumors", "comments", "talk", "idea", "notion",
    "account", "version", "story", "charge", "charges", "accusation", "accusations",
})
_STOP = frozenset({
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "and", "or", "but",
    "that", "this", "these", "those", "there", "their", "they", "them", "it", "its", "is", "are",
    "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "could",
    "should", "can", "may", "might", "our", "we", "us", "he", "she", "his", "her", "him", "i",
    "you", "your", "my", "me", "no", "not", "never", "none", "nor", "right", "now", "very",
    "any", "all", "also", "from", "as", "about", "into", "over", "than", "then", "so", "such",
    "former", "some", "other", "more", "most", "said", "says", "say",
    "one", "ones", "everyone", "anyone", "someone", "nobody", "everybody", "anybody",
})
# A word under a negation must be echoed this closely (cosine of single-word embeddings, or the
# same first five letters) for two clauses to be about the same thing. MiniLM puts
# some near-synonym pairs as low as 0.42 and unrelated nouns such as "soldiers"/"officer" at
# 0.49, so words alone are weak:
# the clause pair must also be close as a whole (_CLAUSE_SIMILARITY). At 0.4 the bundled
# examples gave three false contradictions ("passengers" ~ "workers", "sail" ~ "barge's",
# "addressed" ~ "complained", all 0.4-0.5) against one more right pair on the seeds, so only
# near-synonyms and shared stems count until a trained model replaces this rule.
_WORD_ECHO = 0.6
_CLAUSE_SIMILARITY = 0.35
_NEGATION_WINDOW = 1  # the negated thing: "not *changed*", "no threat of *flooding*"
# Nouns that say how likely something is, not what: skipped to reach the negated thing.
_HEDGE_NOUNS = frozenset({
    "threat", "threats", "risk", "risks", "danger", "sign", "signs", "chance", "chances",
    "possibility", "evidence", "question", "prospect", "indication", "likelihood", "fear",
    "fears", "need",
})
# A denied phrase's topic words must be echoed more closely than a negated word: the denial has
# no clause around it to confirm the match.
_DENIAL_ECHO = 0.5
_DENIAL_KINDS = frozenset({"indirect", "according_to"})  # the content names what is denied


def _content_words(text: str) -> list[str]:
    return [w for w in (m.lower().replace("’", "'") for m in _WORD.findall(text))
            if len(w) > 2 and w not in _STOP and not w.isdigit()]


def _lowercase_words(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text) if not w[:1].isupper())


def _denied_phrase(text: str) -> str:
    """What a denial names, without how it characterises it: "X's words as 'manipulation'"."""
    return re.split(r"\s+as\s+", text, maxsplit=1)[0]


def _stem(word: str) -> str:
    return word.removesuffix("'s")[:5]


class _WordEcho:
    """Single-word similarity with the embedding model, each word embedded once."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def prepare(self, words: set[str]) -> None:
        new = sorted(words - self._vectors.keys())
        if new:
            for word, vector in zip(new, self._embed(new)):
                self._vectors[word] = vector

    def best(self, words: Sequence[str], others: Sequence[str]) -> tuple[float, str, str]:
        """The closest pair of words between two lists: (score, word, other)."""
        top = (0.0, "", "")
        for w in words:
            for o in others:
                score = 1.0 if _stem(w) == _stem(o) else float(self._vectors[w] @ self._vectors[o])
                if score > top[0]:
                    top = (score, w, o)
        return top


def _name(attribution: Attribution) -> str:
    return attribution.speaker.name or attribution.speaker.text


def _named_speakers(denial: Attribution, analysis: Analysis, document: Document) -> set[str]:
    """Speakers a denied phrase names: entities of mentions inside it ("the former KGB
    officer’s words") and capitalised words ("the Silva claim")."""
    named = {m.entity for m in analysis.mentions
             if m.entity and m.span.doc == denial.doc and denial.content.contains(m.span)}
    text = _denied_phrase(document.slice(denial.content))
    named |= {w.lower().removesuffix("'s") for w in
              (m.replace("’", "'") for m in _WORD.findall(text)) if w[:1].isupper()}
    return named - _STOP


def _names(attribution: Attribution) -> set[str]:
    words = {w.lower() for w in _WORD.findall(_name(attribution))}
    return words | ({attribution.speaker.entity} if attribution.speaker.entity else set())


def _propositions(analysis: Analysis) -> list[Attribution]:
    return [a for a in analysis.attributions if a.stance in _PROPOSITION_STANCES]


def denial_links(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[tuple[Attribution, Attribution, float, str]]:
    """Each denial with the attribution it denies: (denial, target, score, why)."""
    docs = {d.id: d for d in analysis.documents}
    denials = [a for a in analysis.attributions
               if a.stance == "denial" and a.kind in _DENIAL_KINDS and a.doc in docs]
    candidates = [a for a in _propositions(analysis) if a.doc in docs]
    if not denials or not candidates:
        return []
    echo = _WordEcho(embed)
    words = {a.id: _content_words(docs[a.doc].slice(a.content)) for a in candidates}
    words |= {a.id: _content_words(_denied_phrase(docs[a.doc].slice(a.content)))
              for a in denials}
    echo.prepare({w for ws in words.values() for w in ws})
    order = {a.id: n for n, a in enumerate(analysis.attributions)}
    links = []
    for denial in denials:
        named = _named_speakers(denial, analysis, docs[denial.doc])
        mentioned = {w.lower().replace("’", "'") for m in analysis.mentions
                     if m.span.doc == denial.doc and denial.content.contains(m.span)
                     for w in _WORD.findall(m.text)}
        topic = [w for w in words[denial.id] if w not in _STATEMENT_NOUNS and w not in named
                 and w.removesuffix("'s") not in {x.removesuffix("'s") for x in mentioned}]
        claim_like = bool({"claim", "claims", "allegation", "allegations", "assertion"}
                          & set(words[denial.id]))
        best: tuple[float, Attribution, str] | None = None
        for target in candidates:
            if _speaker_key(target) == _speaker_key(denial) and _speaker_key(target):
                continue
            same_doc = target.doc == denial.doc
            if same_doc and target.content.start >= denial.content.start:
                continue  # a denial answers what came before it
            by_name = bool(named & _names(target))
            word_score, word, other = echo.best(topic, words[target.id])
            if word_score < _DENIAL_ECHO:
                word_score = 0.0
            if not by_name and not word_score:
                continue
            score = (1.0 if by_name else 0.0) + word_score
            # a denied "claim" is most often one the outlet reported with distance ("claimed")
            score += 0.2 if claim_like and target.stance == "distancing" else 0.0
            if same_doc:  # the nearest earlier statement, by a small margin
                score += 0.1 + 0.1 / (1 + order[denial.id] - order[target.id])
            why = (f"it names {_name(target)}" if by_name else "")
            if word_score:
                why += (" and " if why else "") + f"“{word}” echoes “{other}”"
            if best is None or score > best[0]:
                best = (score, target, why)
        if best is not None:
            links.append((denial, best[1], round(min(best[0] / 2.4, 1.0), 4), best[2]))
    return links


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
            _relation_id("denial", members), "denial", members,
            (denial.content, target.content), score,
            f"{_name(denial)} {cue} {denied}, taken to be {_name(target)}'s statement "
            f"“{docs[target.doc].slice(target.content)}”{where}: {why}.",
        ))
    return relations


def contradiction_relations(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[Relation]:
    """Clauses of different speakers about the same thing with opposite polarity.

    Same thing: a content word just after the negation cue is echoed in the other clause and
    the two clauses are close as a whole. Conservative on purpose: a wrong contradiction
    accuses someone; a missed one only leaves a gap.
    """
    docs = {d.id: d for d in analysis.documents}
    segments = [s for a in _propositions(analysis) if a.doc in docs
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
    echo = _WordEcho(embed)
    # common words only: a shared place name ("in Dornach") says where, not what is negated
    scope = {id(s): [w for w in _content_words(_lowercase_words(s.text[m.end():]))
                     if w not in _HEDGE_NOUNS][:_NEGATION_WINDOW] for s in segments if (m := negated[id(s)])}
    words = {id(s): _content_words(s.text) for s in segments}
    echo.prepare({w for ws in [*scope.values(), *words.values()] for w in ws})
    best: dict[tuple[str, str], tuple[float, Segment, Segment, str, str]] = {}
    for i, a in enumerate(segments):
        for j, b in enumerate(segments):
            if not negated[id(a)] or negated[id(b)]:
                continue  # a: the negated clause, b: the affirmative one
            key_a, key_b = _speaker_key(a.attribution), _speaker_key(b.attribution)
            if not key_a or not key_b or key_a == key_b:
                continue
            clause = float(similarity[i, j])
            if clause < _CLAUSE_SIMILARITY:
                continue
            word_score, word, other = echo.best(scope[id(a)], words[id(b)])
            if word_score < _WORD_ECHO:
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
            _relation_id("contradiction", members), "contradiction", members,
            (b.span, a.span), score,
            f"{_name(b.attribution)} ({where_b}): “{b.text}”; {_name(a.attribution)} "
            f"({where_a}) negates it: “{a.text}” (“{word}” ~ “{other}”).",
        ))
    return relations
