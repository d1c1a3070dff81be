"""Cross-source relations between what the documents of one story report.

Quotes. Quotes are cut into clauses, every clause is embedded once, and clauses of different
documents are compared. A pair close in meaning is one utterance rendered by two outlets; then
the speakers, words and media are compared:

- same speaker, different words   -> quote_variant (with a word diff); a short fragment whose
                                     every word the other quote echoes stem for stem
                                     ("cautious hope" / "cautiously hopeful") is one too
- same speaker, same words        -> corroboration (quoted identically), also when one outlet's
                                     fragment appears word for word in the other's longer quote
- same words, different speakers  -> attribution_divergence (both may have said it)
- same utterance, different media -> medium_divergence

Claims (`ClaimIndex`). Every claim (attributed content or the outlet's own assertion) and its
clauses are embedded once and indexed; each clause meets only its nearest clauses of the other
documents. Two clauses state the same proposition when half their embedding cosine plus half
the overlap of their rarer words (rarity within the story) reaches `_CORROBORATION`, their
polarity agrees, and no number or date of theirs conflicts:

- the same proposition in several documents -> corroboration, one relation per group, with
  `independent` = the outlets behind it once syndicated copies (`Analysis.near_duplicates`)
  and outlets crediting the same agency (attribution `relay`) are counted once
- the same thing, but conflicting numbers or dates, or opposed predicates -> contradiction

Denials and negations:

- a denial ("dismissed the mayor's claim", "denied flooding fears") is linked to the
  statement it is about: one whose speaker it names or whose words its object echoes, of the
  kind it names (a denied "claim" was "claimed"); a question ("asked whether") is not a
  statement, and a clause hung on another ("..., citing X") is not what someone's "words" mean;
  proximity only breaks ties                                        -> denial
- clauses of different speakers with opposite polarity, where a word under the negation
  ("no threat of *flooding*") is echoed by the other clause ("flooded")
                                                                    -> contradiction

Work is blocked by story, so the cost grows with story size, never with the whole corpus; within
a large story the clause index is bucketed (random hyperplanes) rather than scanned.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rashomon.claims import negation, parse_number
from rashomon.dedup import original_of
from rashomon.model import Analysis, Attribution, Claim, Document, Relation, Span
from rashomon.timeline import date_bounds

__all__ = [
    "ClaimIndex", "Segment", "align_story", "claim_contradictions", "claim_corroborations",
    "contradiction_relations", "denial_relations", "quote_segments", "word_diff",
]

_QUOTE_KINDS = frozenset({"direct", "partial"})
# Sentence ends, and the clause joints where one quote often carries two statements
# ("we had good talks, and there is a good chance the war can end").
_SEGMENT_BREAK = re.compile(r"(?<=[.!?])\s+|,\s+(?:and|but)\s+|;\s+")
_WORD = re.compile(r"\w+(?:[’']\w+)?")
_MIN_SEGMENT_WORDS = 4
# Short fragments ("cautious hope") carry too little for an embedding to mean much: they
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


def _same_speaker(a: Attribution, b: Attribution) -> bool:
    """The same linked entity, or the same last name ("Van Rompuy", "Herman Van Rompuy")
    when one of them is not linked."""
    if a.speaker.entity and a.speaker.entity == b.speaker.entity:
        return True
    names = [(x.speaker.name or x.speaker.text).lower().split() for x in (a, b)]
    return all(names) and names[0][-1] == names[1][-1] and not (
        a.speaker.anonymous or b.speaker.anonymous)


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
    """Every cross-source relation between the documents of one story (`analysis`)."""
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
            x, y = _quoted_alike(a, b)
            short = min(len(x.words), len(y.words)) < _MIN_SEGMENT_WORDS
            score = _SAME_WORDS if x.words == y.words else float(similarity[i, j])
            if short and x.words != y.words:
                if not _fragment_echo(x, y):
                    continue
                score = max(score, threshold)
            if score < threshold:
                continue
            pair = tuple(sorted((x.attribution.id, y.attribution.id)))
            first, second = (x, y) if pair[0] == x.attribution.id else (y, x)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, first, second)  # type: ignore[index]
    key = _source_keys(analysis, docs)
    relations: dict[str, Relation] = {}
    for score, a, b in best.values():
        for relation in _pair_relations(a, b, round(score, 4), docs):
            if relation.kind == "corroboration":
                relation = dataclasses.replace(relation, independent=_independent(
                    [(a.attribution.doc, a.attribution.id), (b.attribution.doc, b.attribution.id)],
                    key))
            relations.setdefault(relation.id, relation)
    paired = frozenset(frozenset(pair) for pair in best)
    index = ClaimIndex.build(analysis, embed)
    for relation in [*claim_corroborations(analysis, embed, paired=paired, index=index),
                     *denial_relations(analysis, embed), *contradiction_relations(analysis, embed),
                     *claim_contradictions(analysis, embed, index=index)]:
        relations.setdefault(relation.id, relation)
    return sorted(relations.values(), key=lambda r: (r.kind, r.id))


# A fragment (a partial quote, or under half the words) quoted word for word inside another
# outlet's longer quote of the same speaker ("careful and thorough inspections") is the
# same words; shorter runs than this are too common to mean anything.
_MIN_CONTAINED_WORDS = 3


def _fragment_echo(a: Segment, b: Segment) -> bool:
    """A short fragment of one speaker whose every word is echoed, stem for stem, in the same
    speaker's quote in another outlet: "cautious hope" in "we remain cautiously hopeful"
    renders the same remark."""
    if _speaker_key(a.attribution) != _speaker_key(b.attribution) or not _speaker_key(
            a.attribution):
        return False
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    words, others = set(_content_words(short.text)), set(_content_words(long.text))
    return len(words) >= 2 and all(any(_same_stem(w, o) for o in others) for w in words)


def _same_stem(word: str, other: str) -> bool:
    """A shared start of five letters, or of the whole of a shorter word ("hope", "hopeful")."""
    size = min(5, len(word), len(other))
    return size >= 4 and word[:size] == other[:size]


def _quoted_alike(a: Segment, b: Segment) -> tuple[Segment, Segment]:
    """The pair with the longer segment narrowed to the other's words when the same speaker's
    shorter quote appears word for word inside it; otherwise the pair unchanged."""
    if _speaker_key(a.attribution) != _speaker_key(b.attribution) or not _speaker_key(
            a.attribution):
        return a, b
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if len(short.words) < _MIN_CONTAINED_WORDS or short.words == long.words:
        return a, b
    if short.attribution.kind != "partial" and 2 * len(short.words) > len(long.words):
        return a, b  # a near-complete rendering with words left out is a quote variant
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in _WORD.findall(short.text)) + r"(?!\w)"
    match = re.search(pattern, long.text.replace("’", "'"), re.IGNORECASE)
    if match is None:
        return a, b
    start = long.span.start + match.start()
    narrowed = Segment(long.attribution, Span(long.span.doc, start, start + len(match.group())),
                       long.text[match.start() : match.end()])
    return (short, narrowed) if short is a else (narrowed, short)


# --- corroboration between claims -------------------------------------------------------------

# Where a claim holds several propositions: sentence ends, semicolons, dashes, a comma before a
# conjunction or a relative adverb, and a comma before a participle clause ("..., having been").
_CLAUSE_BREAK = re.compile(
    r"(?<=[.!?])\s+|;\s+|\s*[—–]\s*|,\s+(?=(?:and|but|while|whereas|where|which|though|"
    r"although|after|as|before)\b)|,\s+(?=[a-z]+ing\b)"
)
_MIN_CLAUSE_WORDS = 5
# Stances whose content is not a proposition that another outlet could confirm.
_NOT_CORROBORABLE = frozenset({"denial"})
# A unit's nearest neighbours below this cosine are not looked at: a third of MiniLM's range
# where same-story sentences about different facts still sit (0.45-0.75 on the seeds).
_NEIGHBOUR_FLOOR = 0.45
_NEIGHBOURS = 12  # nearest units kept per unit
# Above this many units a story's index is bucketed by random hyperplanes (LSH) instead of
# scanned: the cost then grows with the story's size, not with its square.
_EXACT_INDEX_LIMIT = 4000
# Same proposition: 0.5 × embedding cosine + 0.5 × cosine of the clauses' content stems
# weighted by their rarity in the story, plus agreement of dates and numbers. Embeddings alone
# rank every pair of sentences about the same battle alike; the rare words ("the key city of
# *Dornava*") and shared dates say which fact it is.
_CORROBORATION = 0.55
_MERGE = 0.45  # each pair of documents in a group must stay this close
_DATE_AGREES = 0.1
_NUMBER_AGREES = 0.1


@dataclass(frozen=True, slots=True)
class _Unit:
    """One clause of a claim (or the whole claim), the thing compared across documents."""

    claim: Claim
    span: Span
    text: str
    stems: frozenset[str]
    negated: bool
    dates: tuple[tuple[str, Span], ...]
    numbers: tuple[tuple[str, float, str, Span], ...]
    places: frozenset[str]


def _clause_spans(claim: Claim, document: Document) -> list[tuple[Span, str]]:
    """The whole claim and its clauses, each a span of the document, stripped of quote marks."""
    text = document.slice(claim.span)
    pieces: list[tuple[int, str]] = [(0, text)]
    start = 0
    for match in [*_CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        pieces.append((start, text[start:end]))
        if match:
            start = match.end()
    found: dict[Span, str] = {}
    for offset, piece in pieces:
        stripped = piece.strip(" \"“”‘’,.;:!?()")
        if len(_WORD.findall(stripped)) < _MIN_CLAUSE_WORDS:
            continue
        begin = claim.span.start + offset + piece.index(stripped[0])
        found.setdefault(Span(claim.doc, begin, begin + len(stripped)), stripped)
    return list(found.items())


def _units(analysis: Analysis, docs: dict[str, Document]) -> list[_Unit]:
    attributions = {a.id: a for a in analysis.attributions}
    units = []
    for claim in analysis.claims:
        if claim.doc not in docs:
            continue
        attribution = attributions.get(claim.attribution or "")
        if attribution is not None and attribution.stance in _NOT_CORROBORABLE:
            continue
        for span, text in _clause_spans(claim, docs[claim.doc]):
            stems = frozenset(_stem(w) for w in _content_words(text))
            if len(stems) < 2:
                continue
            units.append(_Unit(
                claim, span, text, stems, negation(text) is not None,
                tuple(d for d in claim.dates if span.contains(d[1])),
                tuple(n for n in claim.numbers if span.contains(n[3])),
                frozenset(w.lower() for p in claim.places if span.contains(p)
                          for w in _WORD.findall(docs[p.doc].slice(p))),
            ))
    return units


def _neighbour_pairs(vectors: np.ndarray, groups: Sequence[str]) -> dict[tuple[int, int], float]:
    """(i, j) -> cosine for each row's nearest rows of other groups (i < j)."""
    n = len(groups)
    group = np.unique(np.array(groups), return_inverse=True)[1]
    pairs: dict[tuple[int, int], float] = {}
    for rows, candidates in _candidate_blocks(vectors):
        scores = vectors[rows] @ vectors[candidates].T
        scores[group[rows][:, None] == group[candidates][None, :]] = -1.0
        keep = min(_NEIGHBOURS, len(candidates))
        if not keep:
            continue
        top = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        for r, row in enumerate(rows):
            for c in top[r]:
                score = float(scores[r, c])
                column = int(candidates[c])
                if score >= _NEIGHBOUR_FLOOR and column != row:
                    pairs[(min(row, column), max(row, column))] = score
    assert all(i < n and j < n for i, j in pairs)
    return pairs


def _candidate_blocks(vectors: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Rows and the rows they are compared with: all of them for a small story, else the rows
    sharing a random-hyperplane bucket in one of a few tables (an approximate index)."""
    n = len(vectors)
    everything = np.arange(n)
    if n <= _EXACT_INDEX_LIMIT:
        return [(everything[i : i + 512], everything) for i in range(0, n, 512)]
    rng = np.random.default_rng(0)  # the same index for the same story, run after run
    blocks = []
    for _ in range(4):
        planes = rng.standard_normal((vectors.shape[1], 10)).astype(vectors.dtype)
        codes = (vectors @ planes > 0) @ (1 << np.arange(10))
        for code in np.unique(codes):
            members = np.flatnonzero(codes == code)
            if len(members) > 1:
                blocks.append((members, members))
    return blocks


def _interval(comparator: str, value: float) -> tuple[float, float]:
    low, high = {"<": (-math.inf, value * 0.999), "<=": (-math.inf, value),
                 ">": (value * 1.001, math.inf), ">=": (value, math.inf),
                 "~": (value * 0.8, value * 1.2)}.get(comparator, (value, value))
    return low, high


def _same_unit(a: str, b: str) -> bool:
    """Two numbers count the same thing: their units end in the same noun ("clashes") and one
    unit's words are all in the other's ("boats" / "speed boats", not "automatic rifles" /
    "assault rifles"); "three *other* rifles" counts a part, never the whole."""
    wa, wb = [_stem(w) for w in a.lower().split()], [_stem(w) for w in b.lower().split()]
    if not wa or not wb or wa[-1] != wb[-1] or "other" in wa or "other" in wb:
        return False
    return set(wa) <= set(wb) or set(wb) <= set(wa)


# A total over several events is not comparable with one event's count.
_AGGREGATE = re.compile(r"\b(?:in total|a total|totall?ing|in all|altogether|so far|combined|"
                        r"cumulative)\b", re.IGNORECASE)


def _numbers_agree(a: _Unit, b: _Unit) -> bool | None:
    """True when a quantity of the same unit matches, False when one conflicts, else None.

    Only a unit counted once in each clause can conflict: "seven rifles ... three other
    rifles" lists parts, and "13 miles away" is not the "150 miles" of the other clause.
    """
    verdict = None
    if bool(_AGGREGATE.search(a.text)) != bool(_AGGREGATE.search(b.text)):
        return None
    for ca, va, ua, _ in a.numbers:
        for cb, vb, ub, _ in b.numbers:
            if not _same_unit(ua, ub):
                continue
            if (sum(_same_unit(ua, u) for _, _, u, _ in a.numbers) > 1
                    or sum(_same_unit(ub, u) for _, _, u, _ in b.numbers) > 1):
                continue
            (la, ha), (lb, hb) = _interval(ca, va), _interval(cb, vb)
            if la <= hb and lb <= ha:
                verdict = True if verdict is None else verdict
            else:
                return False
    return verdict


def _dates_agree(a: _Unit, b: _Unit) -> bool | None:
    """True when the clauses share a date, False when both are dated and never overlap."""
    if not a.dates or not b.dates:
        return None
    bounds_a = [date_bounds(d) for d, _ in a.dates]
    bounds_b = [date_bounds(d) for d, _ in b.dates]
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in bounds_a for y0, y1 in bounds_b)


_PRIOR = 10


class _Rarity:
    """How telling a stem is within a story: rare stems ("Dornava") name the fact."""

    def __init__(self, statements: Sequence[set[str] | frozenset[str]]) -> None:
        """`statements`: the stems of each claim (or quote) of the story."""
        self._count = len(statements)
        self._df: dict[str, int] = {}
        for stems in statements:
            for stem in stems:
                self._df[stem] = self._df.get(stem, 0) + 1

    @classmethod
    def of_units(cls, units: Sequence[_Unit]) -> _Rarity:
        claims: dict[str, set[str]] = {}
        for unit in units:
            claims.setdefault(unit.claim.id, set()).update(unit.stems)
        return cls(list(claims.values()))

    def weight(self, stem: str) -> float:
        # _PRIOR statements that hold none of the stems: in a story of two articles every
        # shared word would otherwise look as common as "the"
        return math.log((self._count + _PRIOR) / (self._df.get(stem, 0) + 0.5))

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Half the weighted cosine of the stems, half the rarity of the rarest shared stem
        (one rare name in common says more than the cosine of two long clauses shows)."""
        shared = a & b
        if not shared:
            return 0.0
        rarest = max(self.weight(s) for s in shared) / math.log((self._count + _PRIOR) / 1.5)
        return 0.5 * self.cosine(a, b) + 0.5 * min(rarest, 1.0)

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        shared = sum(self.weight(s) ** 2 for s in a & b)
        if not shared:
            return 0.0
        norm_a = math.sqrt(sum(self.weight(s) ** 2 for s in a))
        norm_b = math.sqrt(sum(self.weight(s) ** 2 for s in b))
        return shared / (norm_a * norm_b)


def _proposition_score(a: _Unit, b: _Unit, cosine: float, rarity: _Rarity) -> float | None:
    """How surely two clauses state the same proposition; None when they disagree on it."""
    if a.negated != b.negated:
        return None
    numbers, dates = _numbers_agree(a, b), _dates_agree(a, b)
    if numbers is False or dates is False:
        return None
    lexical = rarity.overlap(a.stems, b.stems)
    if not lexical:
        return None
    return (0.5 * cosine + 0.5 * lexical + (_DATE_AGREES if dates else 0.0)
            + (_NUMBER_AGREES if numbers else 0.0))


def _source_keys(analysis: Analysis, docs: dict[str, Document]) -> Callable[[str, str | None], str]:
    """Who really stands behind a document's statement: the agency or outlet it credits
    ("a source cited by AFP", "told the Courier"), else the outlet of the document it copies
    (syndication), else its own outlet. Credited names and outlets share one namespace: a
    copy's "told the Courier" is the Courier's own text, one source, not two."""
    copies = dict(analysis.near_duplicates)
    attributions = {a.id: a for a in analysis.attributions}
    outlets = {d.outlet_label for d in docs.values()}

    def name(credited: str) -> str:
        """A credited name as the outlet of the story it names ("Courier": "Veyra Courier")."""
        words = set(_WORD.findall(credited.lower()))
        for outlet in sorted(outlets):
            if words and words <= set(_WORD.findall(outlet.lower())):
                return outlet.lower()
        return credited.lower()

    def key(doc_id: str, attribution_id: str | None) -> str:
        attribution = attributions.get(attribution_id or "")
        if attribution is not None and attribution.relay:
            return "source:" + name(attribution.relay[0])
        root = original_of(copies, doc_id)
        document = docs.get(root)
        return f"source:{document.outlet_label.lower()}" if document else f"document:{root}"

    return key


def _independent(
    members: Sequence[tuple[str, str | None]], key: Callable[[str, str | None], str]
) -> int:
    """How many independent sources stand behind (document, attribution) members."""
    return len({key(doc_id, attribution) for doc_id, attribution in members})


@dataclass(frozen=True, slots=True)
class ClaimIndex:
    """A story's claim clauses, embedded once, with each clause's nearest clauses of the other
    documents: what corroboration and claim-level contradiction both look through."""

    units: tuple[_Unit, ...]
    vectors: np.ndarray
    rarity: _Rarity
    neighbours: dict[tuple[int, int], float]

    @classmethod
    def build(cls, analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]) -> ClaimIndex:
        docs = {d.id: d for d in analysis.documents}
        units = _units(analysis, docs)
        if len({u.claim.doc for u in units}) < 2:
            units = []
        vectors = embed([u.text for u in units])
        neighbours = _neighbour_pairs(vectors, [u.claim.doc for u in units]) if units else {}
        return cls(tuple(units), vectors, _Rarity.of_units(units), neighbours)


def claim_corroborations(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    paired: frozenset[frozenset[str]] = frozenset(),
    index: ClaimIndex | None = None,
) -> list[Relation]:
    """The same proposition stated in several documents of a story, one relation per group.

    Members are claim ids, evidence the clause of each claim that states it, and `independent`
    the number of independent outlets: syndicated copies (`Analysis.near_duplicates`) count
    once, and so do outlets that credit the same agency. `paired` holds attribution pairs the
    quote alignment already relates (a quote variant is not reported twice).
    """
    docs = {d.id: d for d in analysis.documents}
    index = index or ClaimIndex.build(analysis, embed)
    units, vectors, rarity = index.units, index.vectors, index.rarity
    scores: dict[tuple[int, int], float] = {}
    for (i, j), cosine in index.neighbours.items():
        a, b = units[i], units[j]
        if a.claim.attribution and b.claim.attribution and frozenset(
                (a.claim.attribution, b.claim.attribution)) in paired:
            continue
        score = _proposition_score(a, b, cosine, rarity)
        if score is not None and score >= _CORROBORATION:
            scores[(i, j)] = score

    def close(i: int, j: int) -> bool:
        if (min(i, j), max(i, j)) in scores:
            return True
        score = _proposition_score(units[i], units[j], float(vectors[i] @ vectors[j]), rarity)
        return score is not None and score >= _MERGE

    def free(k: int) -> bool:
        """A clause overlapping one of the same claim already grouped says the same again."""
        return not any(units[m].claim.id == units[k].claim.id
                       and units[m].span.overlaps(units[k].span) for m in group_of)

    groups: list[list[int]] = []
    group_of: dict[int, int] = {}
    for (i, j), _ in sorted(scores.items(), key=lambda item: -item[1]):
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is not None and gi == gj:
            continue
        if (gi is None and not free(i)) or (gj is None and not free(j)):
            continue
        left = groups[gi] if gi is not None else [i]
        right = groups[gj] if gj is not None else [j]
        if {units[k].claim.doc for k in left} & {units[k].claim.doc for k in right}:
            continue  # one clause per document in a group
        if not all(close(x, y) for x in left for y in right):
            continue
        merged = left + right
        target = gi if gi is not None else gj
        if target is None:
            groups.append(merged)
            target = len(groups) - 1
        else:
            groups[target] = merged
        other = gj if target == gi else gi
        if other is not None and other != target:
            groups[other] = []
        for k in merged:
            group_of[k] = target
    key = _source_keys(analysis, docs)
    relations = []
    for group in groups:
        if len(group) < 2:
            continue
        members = sorted((units[k] for k in group), key=lambda u: (u.claim.doc, u.span.start))
        pair_scores = [scores.get((min(x, y), max(x, y)), _MERGE) for x in group for y in group
                       if x < y]
        independent = _independent([(u.claim.doc, u.claim.attribution) for u in members], key)
        ids = tuple(u.claim.id for u in members)
        relations.append(Relation(
            _relation_id("corroboration", ids), "corroboration", ids,
            tuple(u.span for u in members), round(min(1.0, sum(pair_scores) / len(pair_scores)), 4),
            _corroboration_text(members, docs, independent),
            independent=independent,
        ))
    return relations


def _corroboration_text(members: Sequence[_Unit], docs: dict[str, Document], independent: int) -> str:
    outlets = list(dict.fromkeys(docs[u.claim.doc].outlet_label for u in members))
    said = "; ".join(f"{docs[u.claim.doc].outlet_label}: “{u.text}”" for u in members)
    hedged = [docs[u.claim.doc].slice(h) for u in members for h in u.claim.hedges
              if u.span.contains(h)]
    caveat = f" (hedged: {', '.join(dict.fromkeys(hedged))})" if hedged else ""
    return (f"{len(outlets)} outlet{'s' if len(outlets) > 1 else ''} ({independent} independent) "
            f"report the same thing{caveat}: {said}.")



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


def _differing_word(unit: _Unit, stems: frozenset[str]) -> re.Match[str] | None:
    """The first word of a clause whose stem is among `stems`."""
    for match in _WORD.finditer(unit.text):
        word = match.group().lower().replace("’", "'")
        if _stem(word) in stems and word not in _STOP:
            return match
    return None


def _opposition_probe(a: _Unit, b: _Unit, cosine: float) -> tuple[str, str, str, str] | None:
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


def _dates_conflict(a: _Unit, b: _Unit, docs: dict[str, Document]) -> bool:
    """Each clause names one day, they differ, and both were resolved against a document date
    the article gave: a relative "on Saturday" in an undated article is too weak a date to
    accuse anyone with."""
    if len(a.dates) != 1 or len(b.dates) != 1:
        return False
    (day_a, _), (day_b, _) = a.dates[0], b.dates[0]
    dated = all(docs[u.claim.doc].published and not docs[u.claim.doc].published_inferred
                for u in (a, b))
    return dated and len(day_a) == len(day_b) == 10 and day_a != day_b


def _number_text(unit: _Unit, docs: dict[str, Document]) -> str:
    return ", ".join(docs[s.doc].slice(s) for _, _, _, s in unit.numbers)


def _date_text(unit: _Unit) -> str:
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
    best: dict[tuple[str, str], tuple[float, _Unit, _Unit, str]] = {}
    for (i, j), cosine in index.neighbours.items():
        a, b = units[i], units[j]
        lexical = rarity.overlap(a.stems, b.stems)
        same = 0.5 * cosine + 0.5 * lexical
        if a.negated != b.negated or not lexical:
            continue
        why = ""
        if same >= _SAME_THING and _numbers_agree(a, b) is False:
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
            _relation_id("contradiction", members), "contradiction", members, (a.span, b.span),
            round(min(score, 1.0), 4),
            f"{docs[a.claim.doc].outlet_label}: “{a.text}”; {docs[b.claim.doc].outlet_label}: "
            f"“{b.text}”: about the same thing, but {why}.",
        ))
    return relations


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
# A denied phrase's topic words must be echoed more closely than a negated word: the denial has
# no clause around it to confirm the match.
_DENIAL_ECHO = 0.5
_DENIAL_KINDS = frozenset({"indirect", "according_to"})  # the content names what is denied


def _content_words(text: str) -> list[str]:
    """Words that say what a clause is about; numbers ("40", "forty") are compared as numbers."""
    return [w for w in (m.lower().replace("’", "'") for m in _WORD.findall(text))
            if len(w) > 2 and w not in _STOP and parse_number(w) is None]


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
    """Speakers a denied phrase names: entities of mentions inside it ("the former spy
    chief’s words") and capitalised words ("the Silva claim")."""
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
               if a.stance == "denial" and a.kind in _DENIAL_KINDS and a.doc in docs
               and not _refusal(a, docs[a.doc])]
    candidates = [a for a in _propositions(analysis)
                  if a.doc in docs and not _asks(a, docs[a.doc])]
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
        nouns = {_stem(w) for w in words[denial.id] if w in _STATEMENT_NOUNS}
        best: tuple[float, Attribution, str] | None = None
        for target in candidates:
            if _speaker_key(target) == _speaker_key(denial) and _speaker_key(target):
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
            cue = _stem(docs[target.doc].slice(target.cue).lower()) if target.cue else ""
            if (claim_like and target.stance == "distancing") or (cue and cue in nouns):
                score += 0.2
            # a denial of someone's words means what they stated, not a clause added to it
            # ("..., citing the challenge") or a fragment quoted inside it
            score -= _SUBORDINATE if _subordinate(target, candidates, docs) else 0.0
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


def _refusal(denial: Attribution, document: Document) -> bool:
    """"declined to say", "refused to deliberate": a refusal to act denies no statement."""
    cue = document.slice(denial.cue).lower() if denial.cue else ""
    content = document.slice(denial.content).lstrip(" \"“‘")
    return cue.startswith(("declin", "refus")) or content.lower().startswith("to ")


# Embedded questions ("questioned if Norvalia would ...", "asked whether") assert nothing.
_QUESTION_AFTER_CUE = re.compile(r"^\W*(?:if|whether)\b", re.IGNORECASE)
_SUBORDINATE = 0.15


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
               and _speaker_key(other) == _speaker_key(target)
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
            _relation_id("denial", members), "denial", members,
            (denial.content, target.content), score,
            f"{_name(denial)} {cue} {denied}, taken to be {_name(target)}'s statement "
            f"“{docs[target.doc].slice(target.content)}”{where}: {why}.",
        ))
    return relations


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
    # the negated thing; a light verb there ("did not *get*", "not *let*") names nothing
    scope = {id(s): [w for w in [w for w in _content_words(_lowercase_words(s.text[m.end():]))
                                 if w not in _HEDGE_NOUNS][:_NEGATION_WINDOW]
                     if w not in _LIGHT_VERBS]
             for s in segments if (m := negated[id(s)])}
    words = {id(s): _content_words(s.text) for s in segments}
    stems = {id(s): frozenset(_stem(w) for w in words[id(s)]) for s in segments}
    rarity = _Rarity(list({s.attribution.id: stems[id(s)] for s in segments}.values()))
    echo.prepare({w for ws in [*scope.values(), *words.values()] for w in ws})
    best: dict[tuple[str, str], tuple[float, Segment, Segment, str, str]] = {}
    for i, a in enumerate(segments):
        for j, b in enumerate(segments):
            if not negated[id(a)] or negated[id(b)]:
                continue  # a: the negated clause, b: the affirmative one
            key_a, key_b = _speaker_key(a.attribution), _speaker_key(b.attribution)
            if not key_a or not key_b or _same_speaker(a.attribution, b.attribution):
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
            _relation_id("contradiction", members), "contradiction", members,
            (b.span, a.span), score,
            f"{_name(b.attribution)} ({where_b}): “{b.text}”; {_name(a.attribution)} "
            f"({where_a}) negates it: “{a.text}” (“{word}” ~ “{other}”).",
        ))
    return relations
