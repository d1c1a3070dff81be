"""The sourced brief: per story, what a reader needs first, every sentence cited.

Nothing here is generated. Each sentence is a fixed pattern ("{speaker} {cue} “{words}”
({outlet})") whose slots are filled with words read from the articles, and it carries the spans
it read them from: the quoted words, the speaker's name, the cue, and every span a count rests
on. A sentence that could not be cited is not written. Words between quote marks “…” are
always an article's own words; when they are an outlet's paraphrase of a speaker rather than
the speaker's words, the sentence says so ("paraphrase"). An ellipsis inside the quote marks
marks where a long passage was cut; the citation then covers exactly the words shown.

The sections, in the order a reader meets them (`BRIEF_SECTIONS`):

- ``happened``: what several independent outlets carry (corroboration relations, the same
  utterance quoted by several outlets, and claims whose content words largely agree), each
  with the number of independent outlets: a near-duplicate copy counts as its original, and
  statements relayed from one source (the same agency credited) count once;
- ``contested``: each contradiction, denial and divergence, both sides in one sentence, with
  speakers, cues and outlets;
- ``timeline``: the story's dated events, one sentence per event however many outlets date it;
- ``voices``: who spoke, in how many outlets, with how many words;
- ``single_outlet``: statements that only one outlet carries.

Renderers escape; the sentences here are plain text, one line each.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.align.sources import Sources
from rashomon.disjoint import DisjointSets
from rashomon.model import (
    Analysis,
    Attribution,
    Brief,
    BriefSentence,
    Claim,
    Document,
    Mention,
    Relation,
    Span,
    Story,
    TimelineEntry,
)
from rashomon.timeline import date_bounds

__all__ = [
    "CONTESTED_KINDS",
    "Fact",
    "StorySlice",
    "brief_of",
    "build_briefs",
    "carried_facts",
    "speaker_key",
    "story_slices",
]

# Relations that put two accounts against each other: the "contested" section.
CONTESTED_KINDS = frozenset({
    "contradiction", "denial", "attribution_divergence", "medium_divergence", "quote_variant",
})
# Relations that say two outlets carry the same utterance (in the same or other words).
_CARRYING_KINDS = frozenset({
    "corroboration", "quote_variant", "medium_divergence", "attribution_divergence",
})
# A brief is read first: a long passage is cut to this many words (the citation then covers
# exactly the words shown), and each section shows at most this many sentences, the best
# supported first. The report below the brief lists everything.
_MAX_WORDS = 30
_MAX_SENTENCES = 12
# Two sentences of claims of different documents carry the same fact when they share at least
# this many content-word stems (all of them, for a sentence of two or three) and these make up
# at least this part of the shorter one's. Lexical and strict on purpose: a false "carried by two
# outlets" overstates support, a missed one only leaves a fact in the single-outlet section.
_MIN_SHARED_STEMS = 4
_MIN_SHARED_PART = 0.6
_MAX_POSTINGS = 200  # sentences a word may be in and still propose pairs to compare

_QUOTE_MARKS = " \t\n\"'“”‘’«»„‚"
_END_PUNCT = ",;:"
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s|$)|\n")
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot)\b|n[’']t\b", re.IGNORECASE
)
_PRONOUNS = frozenset(
    "he she they it we i you him her them his hers their its who whom which that".split())
# "St. Aldric", "Dr. Ruiz": a full stop after a short capitalised word seldom ends a sentence.
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,2}|[A-Z](?:\.[A-Z])*)\.$")
# Inner quote marks become single ones inside the brief's own double quote marks.
_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’", '"': "'"})
# The common stop words and those the brief has always skipped on top of them (more pronouns
# and quantifiers, wh-words, connectives such as "after" and "because"): unchanged, since they
# decide which sentences count as one fact.
_STOP = terms.STOP_WORDS | frozenset("""
    after all any are because before being him if just me more most my never one other our say
    so some such them two us very what when where which while who whom your
""".split())


# --------------------------------------------------------------------------- one story's slice


@dataclass(frozen=True, slots=True)
class StorySlice:
    """One story's part of an analysis, indexed for the brief and the framing."""

    story: Story
    documents: dict[str, Document]  # in story order
    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]
    relations: tuple[Relation, ...]
    timeline: tuple[TimelineEntry, ...]
    mentions: tuple[Mention, ...]
    entity_names: dict[str, str]
    copies: dict[str, str]  # near-duplicate document -> the original it copies
    sources: Sources  # who stands behind what: copies, outlets and credited sources once
    # ids -> items, so that following a relation's members costs no scan
    attribution_ids: dict[str, Attribution] = field(default_factory=dict)
    claim_ids: dict[str, Claim] = field(default_factory=dict)
    claim_of_attribution: dict[str, Claim] = field(default_factory=dict)

    def attribution(self, item_id: str) -> Attribution | None:
        """The attribution an id names: an attribution id, or a claim's attribution."""
        found = self.attribution_ids.get(item_id)
        if found is not None:
            return found
        claim = self.claim_ids.get(item_id)
        if claim is not None and claim.attribution:
            return self.attribution_ids.get(claim.attribution)
        return None

    def claim(self, item_id: str) -> Claim | None:
        return self.claim_ids.get(item_id)

    def outlet(self, doc_id: str) -> str:
        return self.documents[doc_id].outlet_label

    def original(self, doc_id: str) -> str:
        """The document a near-duplicate copies (following chains), else itself. The original
        may lie outside the story (an earlier article of the store)."""
        return self.sources.original(doc_id)

    def independent_sources(
        self, items: Iterable[tuple[str, Attribution | None]]
    ) -> list[str]:
        """The independent sources behind (document, attribution) items, one label each: the
        rule align counts corroborations by (`rashomon.align.sources`)."""
        return self.sources.independent(items)


def _filed_by_story(analysis: Analysis) -> dict[str, dict[str, list[object]]]:
    """Every annotation filed under the story of its document, in one pass over each kind (a
    relation under the story all its places lie in)."""
    story_of = {doc: story.id for story in analysis.stories for doc in story.documents}
    owners = {a.id: a.doc for a in analysis.attributions}
    owners.update((c.id, c.doc) for c in analysis.claims)
    filed: dict[str, dict[str, list[object]]] = {
        s.id: defaultdict(list) for s in analysis.stories}

    def put(kind: str, item: object, docs: Iterable[str]) -> None:
        stories = {story_of.get(doc) for doc in docs}
        if len(stories) == 1 and (story := stories.pop()) is not None:
            filed[story][kind].append(item)

    for attribution in analysis.attributions:
        put("attributions", attribution, [attribution.doc])
    for claim in analysis.claims:
        put("claims", claim, [claim.doc])
    for relation in analysis.relations:
        put("relations", relation, [s.doc for s in relation.evidence]
            + [owners[m] for m in relation.members if m in owners])
    for entry in analysis.timeline:
        put("timeline", entry, [entry.span.doc])
    for mention in analysis.mentions:
        put("mentions", mention, [mention.span.doc])
    return filed


def story_slices(analysis: Analysis) -> list[StorySlice]:
    """Each story of the analysis with its own documents, annotations and relations."""
    documents = {d.id: d for d in analysis.documents}
    names = {e.id: e.name for e in analysis.entities}
    copies = dict(analysis.near_duplicates)  # marked by the store when the copy was ingested
    filed = _filed_by_story(analysis)
    slices = []
    for story in analysis.stories:
        docs = {i: documents[i] for i in story.documents if i in documents}
        mine = filed[story.id]
        mine_copies = {c: o for c, o in copies.items() if c in docs}
        attributions = tuple(cast(list[Attribution], mine["attributions"]))
        claims = tuple(cast(list[Claim], mine["claims"]))
        slices.append(StorySlice(
            story=story,
            documents=docs,
            attributions=attributions,
            claims=claims,
            relations=tuple(cast(list[Relation], mine["relations"])),
            timeline=tuple(cast(list[TimelineEntry], mine["timeline"])),
            mentions=tuple(cast(list[Mention], mine["mentions"])),
            entity_names=names,
            copies=mine_copies,
            sources=Sources(docs, mine_copies),
            attribution_ids={a.id: a for a in attributions},
            claim_ids={c.id: c for c in claims},
            claim_of_attribution={c.attribution: c for c in reversed(claims) if c.attribution},
        ))
    return slices


# --------------------------------------------------------------------------- words and spans


def _ordered_stems(text: str) -> dict[str, None]:
    """Content words cut to five letters, so "lights" meets "lighting" and "injured" "injury";
    in text order."""
    return dict.fromkeys(terms.stem(terms.normal(w)) for w in terms.words(text)
                         if len(w) > 2 and w.lower() not in _STOP and not w.isdigit())


def _stems(text: str) -> set[str]:
    return set(_ordered_stems(text))


def _trimmed(document: Document, span: Span) -> Span:
    """The span without surrounding quote marks, spaces and the comma that led into a cue."""
    text = document.slice(span)
    start, end = 0, len(text)
    while start < end and (text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1] in _QUOTE_MARKS or text[end - 1] in _END_PUNCT):
        end -= 1
    # keep a quote mark that closes or opens one inside the words: “… in dock “until certified”
    inner = text[start:end]
    if inner.count("“") > inner.count("”") and "”" in text[end:]:
        end = text.index("”", end) + 1
    if inner.count("”") > inner.count("“") and "“" in text[:start]:
        start = text.rindex("“", 0, start)
    return Span(span.doc, span.start + start, span.start + end)


@dataclass(frozen=True, slots=True)
class _Excerpt:
    """Words shown from a span: the span of exactly those words, and whether it was cut."""

    span: Span
    text: str
    cut_before: bool = False
    cut_after: bool = False

    def quoted(self) -> str:
        words = self.text.translate(_INNER_QUOTES)
        return "“" + ("…" if self.cut_before else "") + words + (
            "…" if self.cut_after else "") + "”"


def _sentence_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where sentences end in text[start:end]: after . ! ? … (and closing quotes) or a newline,
    but not after an abbreviation."""
    ends = []
    for match in _SENTENCE_END.finditer(text, start, len(text) if end is None else end):
        if match.group() == "." and _ABBREVIATION.search(
                text[max(0, match.start() - 8) : match.end()]):
            continue
        ends.append(match.end())
    return ends


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def _excerpt(document: Document, span: Span, focus: Span | None = None) -> _Excerpt | None:
    """At most `_MAX_WORDS` words of a span: its first sentence when that is short enough,
    else a window of words (around `focus` when given)."""
    span = _trimmed(document, span)
    text = document.slice(span)
    words = _word_spans(text)
    if not words:
        return None
    first, last = 0, len(words)
    if len(words) > _MAX_WORDS:
        ends = _sentence_ends(text)
        sentence_words = sum(1 for _, e in words if ends and e <= ends[0])
        if focus is None and 0 < sentence_words <= _MAX_WORDS:
            last = sentence_words
        else:
            centre = 0
            if focus is not None:
                centre = next((i for i, (s, _) in enumerate(words)
                               if span.start + s >= focus.start), 0)
            first = max(0, min(centre - _MAX_WORDS // 2, len(words) - _MAX_WORDS))
            last = first + _MAX_WORDS
    start, end = span.start + words[first][0], span.start + words[last - 1][1]
    piece = _trimmed(document, Span(span.doc, start, end))
    if piece.end <= piece.start:
        return None
    return _Excerpt(piece, terms.one_line(document.slice(piece)), first > 0, last < len(words))


def _sentence_around(document: Document, span: Span) -> Span:
    """The sentence of the text that holds a span (ends found by punctuation and newlines)."""
    text = document.text
    # only the neighbourhood is searched: a sentence is seldom longer than this
    before = _sentence_ends(text, max(0, span.start - 2000), span.start)
    start = before[-1] if before else max(0, span.start - 2000)
    after = _sentence_ends(text, span.end, span.end + 2000)
    end = after[0] if after else min(len(text), span.end + 2000)
    while start < span.start and text[start].isspace():
        start += 1
    return Span(span.doc, start, max(end, span.end))


# --------------------------------------------------------------------------- sentence parts


@dataclass(slots=True)
class _Sentence:
    """A sentence being assembled: its text and the spans its words were read from."""

    parts: list[str]
    citations: list[Span]

    @classmethod
    def empty(cls) -> _Sentence:
        return cls([], [])

    def say(self, words: str) -> _Sentence:
        self.parts.append(words)
        return self

    def cite(self, *spans: Span | None) -> _Sentence:
        for span in spans:
            if span is not None and span not in self.citations:
                self.citations.append(span)
        return self

    def done(self, section: str, relation: str | None = None) -> BriefSentence | None:
        text = terms.one_line("".join(self.parts))
        if not text or not self.citations:
            return None  # a sentence with nothing to cite is not written
        return BriefSentence(section, text, tuple(self.citations), relation)  # type: ignore[arg-type]


def speaker_key(attribution: Attribution) -> str:
    """One key per speaker across a story: the linked entity, else the folded name."""
    speaker = attribution.speaker
    if speaker.entity:
        return f"entity:{speaker.entity}"
    return "name:" + terms.one_line(speaker.name or speaker.text).lower()


def _short_name(text: str) -> str:
    """ "Ilse Poward, the county's plant-health officer" -> "Ilse Poward"."""
    return re.split(r",|\(|\s+who\s+|\s+which\s+|\s+that\s+", text, maxsplit=1)[0].strip()


def _entity_mention(piece: StorySlice, entity: str, doc: str | None) -> Span | None:
    """A mention naming an entity, the fullest one, in `doc` when it has one."""
    mentions = [m for m in piece.mentions if m.entity == entity and m.label not in (
        "ROLE", "EPITHET")]
    if not mentions:
        return None
    name = piece.entity_names.get(entity, "")
    return max(mentions, key=lambda m: (m.span.doc == doc, m.text == name, len(m.text),
                                        -m.span.start)).span


def _name_span(piece: StorySlice, attribution: Attribution) -> Span | None:
    """Where the speaker's name can be read: a mention of their entity, else the words that
    name them in this sentence (cut to the name itself), never a bare pronoun."""
    speaker = attribution.speaker
    if speaker.entity:
        found = _entity_mention(piece, speaker.entity, attribution.doc)
        if found is not None:
            return found
    if speaker.span is None:
        return None
    document = piece.documents[attribution.doc]
    text = document.slice(speaker.span)
    name = _short_name(text)
    if not name or name.lower() in _PRONOUNS:
        return None
    start = speaker.span.start + text.index(name)
    return Span(speaker.span.doc, start, start + len(name))


def _name(piece: StorySlice, attribution: Attribution, sentence: _Sentence) -> str:
    """The speaker's name read from a cited span, or a description in our own words."""
    span = _name_span(piece, attribution)
    if span is None:
        return "an unnamed speaker" if attribution.speaker.anonymous else "a speaker"
    sentence.cite(span)
    return terms.one_line(piece.documents[span.doc].slice(span))


def _side(piece: StorySlice, attribution: Attribution, sentence: _Sentence,
          evidence: Span | None = None) -> None:
    """ "{speaker} {cue} “{words}” ({outlet}[, paraphrase])" for one attribution."""
    document = piece.documents[attribution.doc]
    excerpt = _excerpt(document, evidence or attribution.content)
    if excerpt is not None:
        sentence.cite(excerpt.span)  # the quoted words first: what a reader checks first
    name = _name(piece, attribution, sentence)
    cue = terms.one_line(document.slice(attribution.cue)) if attribution.cue else ""
    if cue.lower() == "according to":
        sentence.say(f"according to {name}, ")
    elif cue:
        sentence.say(f"{name} {cue.lower()} ")
    else:
        sentence.say(f"{name}: ")
    sentence.cite(attribution.cue)
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)
    paraphrase = "" if attribution.kind in QUOTE_KINDS else ", paraphrase"
    sentence.say(f" ({piece.outlet(attribution.doc)}{paraphrase})")


def _claim_side(piece: StorySlice, claim: Claim, span: Span, sentence: _Sentence) -> None:
    attribution = piece.attribution(claim.attribution) if claim.attribution else None
    if attribution is not None:
        _side(piece, attribution, sentence, span)
        return
    excerpt = _excerpt(piece.documents[claim.doc], span)
    sentence.say(f"{piece.outlet(claim.doc)} reports ")
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _listing(names: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(names))


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Fact:
    """What several documents carry: the claims, the words of each that match (`spans`, one
    per claim, in the same order), and the independent sources carrying it."""

    claims: tuple[Claim, ...]
    spans: tuple[Span, ...]
    sources: tuple[str, ...]  # independent source labels, in story order
    relations: tuple[str, ...]  # ids of the relations that tied claims together

    @property
    def independent(self) -> int:
        """How many independent outlets carry it. Counted over the whole group, which may join
        several relations and sentence matches, so a single relation's `independent` (which
        covers its own members only) is not used."""
        return len(self.sources)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence of a claim (or a relation's evidence inside it), the unit facts match on."""

    claim: Claim
    span: Span


def _attribution_of(piece: StorySlice, claim: Claim) -> Attribution | None:
    return piece.attribution(claim.attribution) if claim.attribution else None


def _claim_of(piece: StorySlice, item_id: str) -> Claim | None:
    claim = piece.claim(item_id)
    if claim is not None:
        return claim
    return piece.claim_of_attribution.get(item_id)


def _units(piece: StorySlice, claim: Claim) -> list[_Unit]:
    """A claim cut into its sentences: a quote of three sentences may share only one."""
    document = piece.documents[claim.doc]
    text = document.slice(claim.span)
    units, start = [], 0
    for end in [*_sentence_ends(text), len(text)]:
        piece_span = _trimmed(document, Span(claim.doc, claim.span.start + start,
                                             claim.span.start + end))
        if piece_span.end > piece_span.start and terms.words(document.slice(piece_span)):
            units.append(_Unit(claim, piece_span))
        start = end
    return units


def _negated_stems(text: str) -> set[str]:
    """The stems a negation cue bears on: the next two content words after each cue."""
    found: set[str] = set()
    for match in _NEGATION.finditer(text):
        found |= set(list(_ordered_stems(text[match.end():]))[:2])
    return found


def _same_fact(a: set[str], b: set[str]) -> bool:
    """Enough shared content words: all of a short sentence's (two or three), else at least
    `_MIN_SHARED_STEMS` making up `_MIN_SHARED_PART` of the shorter sentence's."""
    shortest = min(len(a), len(b))
    if shortest < 2:
        return False
    shared = len(a & b)
    return shared >= min(_MIN_SHARED_STEMS, shortest) and shared >= _MIN_SHARED_PART * shortest


def carried_facts(piece: StorySlice) -> list[Fact]:
    """Groups of claims from different documents that carry the same thing.

    Tied by relations that say two outlets carry one utterance, and by sentences that share
    their content words with the same polarity. Candidate pairs come from an index of stems,
    so the work grows with the pairs that share words, not with the square of the claims.
    """
    units = [u for c in piece.claims for u in _units(piece, c)]
    relation_of: dict[int, str] = {}
    tied: list[tuple[int, int]] = []
    for relation in piece.relations:
        if relation.kind not in _CARRYING_KINDS:
            continue
        found = []
        for position, member in enumerate(relation.members):
            claim = _claim_of(piece, member)
            if claim is None:
                continue
            evidence = _evidence_for(relation, position, claim.span)
            units.append(_Unit(claim, claim.span if evidence is None else evidence))
            found.append(len(units) - 1)
            relation_of[len(units) - 1] = relation.id
        tied += [(found[0], other) for other in found[1:]]
    sets = DisjointSets(len(units))
    for a, b in tied:
        sets.union(a, b)
    texts = [piece.documents[u.claim.doc].slice(u.span) for u in units]
    stems = [_stems(t) for t in texts]
    negated = [_negated_stems(t) for t in texts]
    index: dict[str, list[int]] = defaultdict(list)
    for n, unit_stems in enumerate(stems):
        for stem in unit_stems:
            index[stem].append(n)
    # a word in very many sentences ("ferry" in a ferry story) says nothing about which fact a
    # sentence states: it does not propose pairs (it still counts once a pair is compared),
    # which keeps the work near-linear in a large story
    rare = {stem: postings for stem, postings in index.items()
            if len(postings) <= _MAX_POSTINGS}
    for n, unit in enumerate(units):
        candidates = {o for s in stems[n] for o in rare.get(s, ())
                      if o > n and units[o].claim.doc != unit.claim.doc}
        for other in candidates:
            if sets.find(n) == sets.find(other):
                continue  # already one fact (copies of one text meet many times)
            shared = stems[n] & stems[other]
            # opposite polarity on what they share: "will not sail" does not oppose "until
            # her hull has been certified", "no passengers were injured" opposes "passengers
            # were injured"
            if bool(negated[n] & shared) != bool(negated[other] & shared):
                continue
            if _same_fact(stems[n], stems[other]):
                sets.union(n, other)
    order = {doc: n for n, doc in enumerate(piece.documents)}  # story order
    facts = []
    for members in sets.groups().values():
        if len({units[n].claim.doc for n in members}) < 2:
            continue
        chosen: dict[str, int] = {}  # one unit per claim: the longest match
        for n in members:
            claim_id = units[n].claim.id
            if claim_id not in chosen or len(units[n].span) > len(units[chosen[claim_id]].span):
                chosen[claim_id] = n
        picked = sorted(chosen.values(),
                        key=lambda n: (order[units[n].claim.doc], units[n].span.start))
        sources = piece.independent_sources(
            (units[n].claim.doc, _attribution_of(piece, units[n].claim)) for n in picked)
        facts.append(Fact(
            claims=tuple(units[n].claim for n in picked),
            spans=tuple(units[n].span for n in picked),
            sources=tuple(sources),
            relations=tuple(dict.fromkeys(relation_of[n] for n in members if n in relation_of)),
        ))
    return facts


def _representative(piece: StorySlice, fact: Fact) -> tuple[Claim, Span]:
    """The words a fact is shown by: a speaker's own words first, then the shortest."""
    order = list(piece.documents)

    def rank(pair: tuple[Claim, Span]) -> tuple[bool, int, int]:
        claim, span = pair
        attribution = piece.attribution(claim.attribution) if claim.attribution else None
        quoted = attribution is not None and attribution.kind in QUOTE_KINDS
        return (not quoted, len(span), order.index(claim.doc))

    return min(zip(fact.claims, fact.spans, strict=True), key=rank)


def _other_speakers(piece: StorySlice, fact: Fact, shown: Claim, sentence: _Sentence) -> None:
    """Outlets that credit the same words to someone else: "; The Ledger credits Brannik"."""
    first = piece.attribution(shown.attribution) if shown.attribution else None
    credited: dict[str, tuple[Attribution, str]] = {}
    for claim in fact.claims:
        attribution = piece.attribution(claim.attribution) if claim.attribution else None
        if attribution is None or (first is not None
                                   and speaker_key(attribution) == speaker_key(first)):
            continue
        credited.setdefault(f"{claim.doc} {speaker_key(attribution)}",
                            (attribution, piece.outlet(claim.doc)))
    for attribution, outlet in credited.values():
        span = _name_span(piece, attribution)
        if span is not None:
            sentence.say(f"; {outlet} credits ").say(_name(piece, attribution, sentence))


def _disputed(piece: StorySlice, fact: Fact) -> bool:
    """Whether a contradiction or a denial of the story has one of the fact's claims (or their
    attributions) as a member, or cites words of it."""
    ids = {c.id for c in fact.claims} | {c.attribution for c in fact.claims if c.attribution}
    for relation in piece.relations:
        if relation.kind not in ("contradiction", "denial"):
            continue
        if ids & set(relation.members) or any(
                e.overlaps(s) for e in relation.evidence for s in fact.spans):
            return True
    return False


def _happened(piece: StorySlice, facts: Sequence[Fact]) -> list[BriefSentence]:
    sentences = []
    for fact in sorted(facts, key=lambda f: -f.independent):
        if fact.independent < 2:
            continue  # copies of one article, or one agency relayed: not corroboration
        sentence = _Sentence.empty()
        shown, span = _representative(piece, fact)
        _claim_side(piece, shown, span, sentence)
        outlets = _listing(piece.outlet(c.doc) for c in fact.claims)
        copies = sorted({c.doc for c in fact.claims if piece.original(c.doc) != c.doc})
        sentence.say(f"; carried by {_count(fact.independent, 'independent outlet')} "
                     f"({_listing(fact.sources)})")
        if copies or _listing(fact.sources) != outlets:
            sentence.say(f"; seen in {outlets}")
        _other_speakers(piece, fact, shown, sentence)
        if _disputed(piece, fact):
            # what several outlets carry is not thereby settled: say so where it is stated
            sentence.say("; disputed (see what is contested)")
        sentence.say(".").cite(*fact.spans)
        done = sentence.done("happened", fact.relations[0] if fact.relations else None)
        if done is not None:
            sentences.append(done)
    return sentences[:_MAX_SENTENCES]


# --------------------------------------------------------------------------- contested


def _evidence_for(relation: Relation, position: int, within: Span) -> Span | None:
    """The evidence span of one member, inside its words (`within`): the one at its position
    when it lies there, else the first that does."""
    spans = [s for s in relation.evidence if within.contains(s)]
    if position < len(relation.evidence) and relation.evidence[position] in spans:
        return relation.evidence[position]
    return spans[0] if spans else None


def _medium_span(piece: StorySlice, attribution: Attribution) -> Span | None:
    """Where the medium is named ("in a Facebook post"): in the sentence of the cue."""
    if not attribution.medium:
        return None
    document = piece.documents[attribution.doc]
    around = _sentence_around(document, attribution.cue or attribution.content)
    text = document.slice(around)
    match = re.search(re.escape(attribution.medium), text, re.IGNORECASE)
    if match is None:
        return None
    return Span(around.doc, around.start + match.start(), around.start + match.end())


# How each kind of clash opens, and what joins its two sides.
_CONTESTED_PATTERNS = {
    "contradiction": ("Contradiction: ", "; against it, "),
    "denial": ("Denial: ", ", taken to answer "),
    "quote_variant": ("Wording differs: ", "; "),
    "attribution_divergence": ("Who said it differs: ", "; "),
    "medium_divergence": ("Where it was said differs: ", "; "),
}


def _member_side(piece: StorySlice, relation: Relation, position: int,
                 sentence: _Sentence) -> None:
    """One side of a clash: an attribution with its speaker and cue, or an outlet's own claim."""
    member = relation.members[position]
    attribution = piece.attribution(member)
    if attribution is not None:
        _side(piece, attribution, sentence,
              _evidence_for(relation, position, attribution.content))
        medium = _medium_span(piece, attribution) if relation.kind == "medium_divergence" else None
        if medium is not None:
            words = terms.one_line(piece.documents[medium.doc].slice(medium))
            sentence.say(f" via {words}").cite(medium)
        return
    claim = piece.claim(member)
    if claim is not None:
        inside = [e for e in relation.evidence if claim.span.contains(e)]
        _claim_side(piece, claim, inside[0] if inside else claim.span, sentence)


def _contested_sentence(piece: StorySlice, relation: Relation) -> BriefSentence | None:
    pattern = _CONTESTED_PATTERNS.get(relation.kind)
    sides = [n for n, m in enumerate(relation.members)
             if piece.attribution(m) is not None or piece.claim(m) is not None]
    if pattern is None or len(sides) < 2:
        return None
    opening, joint = pattern
    sentence = _Sentence.empty().say(opening)
    _member_side(piece, relation, sides[0], sentence)
    sentence.say(joint)
    _member_side(piece, relation, sides[1], sentence)
    return sentence.say(".").done("contested", relation.id)


def _contested(piece: StorySlice) -> list[BriefSentence]:
    order = ("contradiction", "denial", "attribution_divergence", "medium_divergence",
             "quote_variant")
    relations = sorted((r for r in piece.relations if r.kind in CONTESTED_KINDS),
                       key=lambda r: (order.index(r.kind), -r.score, r.id))
    found = [s for r in relations if (s := _contested_sentence(piece, r)) is not None]
    return found[:_MAX_SENTENCES]


# --------------------------------------------------------------------------- timeline


def _date_words(date: str) -> str:
    if "/" in date:
        start, end = date.split("/", 1)
        return f"Between {start} and {end}"
    return date if len(date) == 10 else f"In {date}"


def _width(date: str) -> int:
    try:
        start, end = date_bounds(date)
    except ValueError:
        return 10**6
    return (end - start).days


def _timeline(piece: StorySlice) -> list[BriefSentence]:
    events: dict[str, list[TimelineEntry]] = defaultdict(list)
    for n, entry in enumerate(piece.timeline):
        events[entry.event_id or f"entry:{n}"].append(entry)
    ranked = []
    for entries in events.values():
        counts = Counter(e.date for e in entries)
        date = min(counts, key=lambda d: (-counts[d], _width(d), d))
        sources = piece.independent_sources((e.span.doc, None) for e in entries)
        ranked.append((date, entries, len(sources)))
    # the best-sourced events when there are too many, then shown in date order
    kept = sorted(ranked, key=lambda item: (-item[2], _width(item[0])))[:_MAX_SENTENCES]
    sentences = []
    for date, entries, _ in sorted(kept, key=lambda item: (_start(item[0]), item[0])):
        shown = next(e for e in entries if e.date == date)
        document = piece.documents[shown.span.doc]
        excerpt = _excerpt(document, _sentence_around(document, shown.span), focus=shown.span)
        sentence = _Sentence.empty().say(f"{_date_words(date)}: ")
        if excerpt is not None:
            sentence.say(excerpt.quoted()).cite(excerpt.span)
        others = [e.date for e in entries if e.date != date]
        sentence.say(f" ({_listing(piece.outlet(e.span.doc) for e in entries)}")
        if others:
            sentence.say(f"; also dated {_listing(others)}")
        sentence.say(").").cite(*(e.span for e in entries))
        done = sentence.done("timeline")
        if done is not None:
            sentences.append(done)
    return sentences


def _start(date: str) -> str:
    try:
        return date_bounds(date)[0].isoformat()
    except ValueError:
        return date


# --------------------------------------------------------------------------- voices


def _word_count(piece: StorySlice, attribution: Attribution) -> int:
    return len(terms.words(piece.documents[attribution.doc].slice(attribution.content)))


def _voices(piece: StorySlice) -> list[BriefSentence]:
    by_speaker: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in piece.attributions:
        by_speaker[speaker_key(attribution)].append(attribution)
    total = sum(_word_count(piece, a) for a in piece.attributions) or 1
    ranked = sorted(by_speaker.values(),
                    key=lambda group: -sum(_word_count(piece, a) for a in group))
    sentences = []
    for group in ranked:
        named = next((a for a in group if _name_span(piece, a) is not None), None)
        if named is None:
            continue  # a speaker no article names cannot be cited by name
        sentence = _Sentence.empty()
        name = _name(piece, named, sentence)
        words = sum(_word_count(piece, a) for a in group)
        outlets = _listing(piece.outlet(a.doc) for a in group)
        n_outlets = len({piece.outlet(a.doc) for a in group})
        sentence.say(f"{name}: {_count(len(group), 'statement')} in "
                     f"{_count(n_outlets, 'outlet')} ({outlets}), {_count(words, 'word')}, "
                     f"{round(100 * words / total)}% of all reported words.")
        sentence.cite(*(a.content for a in group))
        done = sentence.done("voices")
        if done is not None:
            sentences.append(done)
    return sentences[:_MAX_SENTENCES]


# --------------------------------------------------------------------------- single outlet


def _single_outlet(piece: StorySlice, facts: Sequence[Fact]) -> list[BriefSentence]:
    if len(piece.independent_sources((d, None) for d in piece.documents)) < 2:
        return []  # one outlet's story: everything would be "only this outlet"
    carried = {c.id for f in facts for c in f.claims}
    related = {m for r in piece.relations for m in r.members}
    by_doc: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in piece.attributions:
        claim = _claim_of(piece, attribution.id)
        if attribution.id in related or (claim is not None and (
                claim.id in carried or claim.id in related)):
            continue
        if _name_span(piece, attribution) is None:
            continue  # no speaker to name: nothing a reader could weigh
        by_doc[attribution.doc].append(attribution)
    # take turns between documents, so that each outlet's own material is seen
    queues = [list(items) for items in by_doc.values()]
    chosen: list[Attribution] = []
    while any(queues) and len(chosen) < _MAX_SENTENCES:
        for queue in queues:
            if queue and len(chosen) < _MAX_SENTENCES:
                chosen.append(queue.pop(0))
    sentences = []
    for attribution in chosen:
        sentence = _Sentence.empty().say(f"Only {piece.outlet(attribution.doc)}: ")
        _side(piece, attribution, sentence)
        done = sentence.say(".").done("single_outlet")
        if done is not None:
            sentences.append(done)
    return sentences


# --------------------------------------------------------------------------- the brief


def brief_of(piece: StorySlice, facts: Sequence[Fact]) -> Brief:
    """The brief of one story, from its slice and the facts its outlets carry."""
    sentences = [
        *_happened(piece, facts),
        *_contested(piece),
        *_timeline(piece),
        *_voices(piece),
        *_single_outlet(piece, facts),
    ]
    return Brief(piece.story.id, tuple(sentences))


def build_briefs(analysis: Analysis) -> tuple[Brief, ...]:
    """One brief per story of the analysis, in story order; every sentence cited."""
    return tuple(brief_of(piece, carried_facts(piece)) for piece in story_slices(analysis))
