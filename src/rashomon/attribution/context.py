"""The document as the finders see it, the candidate they produce, and parse helpers
shared by the finders and the speaker resolver."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rashomon.attribution.cues import RELATIVE_PRONOUNS, SUBJECT_DEPS, Cue, cue_for
from rashomon.attribution.quotes import Quote, find_quotes
from rashomon.model import (
    AttributionKind,
    Document,
    Mention,
    Speaker,
    Stance,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "Candidate",
    "Context",
    "Name",
    "PERSON_ROLES",
    "context_for",
    "cue_span",
    "inside_quote",
    "mention_names",
    "paragraph_start",
    "relative_subject",
    "same_paragraph",
    "speaker_conjunct",
    "strip_determiner",
    "subject_of",
    "subtree_bounds",
    "trim_punct",
    "within_paragraph",
    "word_set",
]


@dataclass(frozen=True, slots=True)
class Name:
    """A named mention: from `mentions` when given, else from spaCy's entities."""

    start: int
    end: int
    text: str
    label: str
    entity: str | None = None


@dataclass(slots=True)
class Context:
    document: Document
    parsed: Doc
    quotes: list[Quote]
    names: list[Name]
    sentences: list[SpacySpan] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    paragraph_starts: list[int] = field(default_factory=list)
    name_starts: list[int] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    quote_opens: list[int] = field(default_factory=list)
    directness: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sentences = list(self.parsed.sents)
        self.sentence_starts = [s.start_char for s in self.sentences]
        text = self.document.text
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n+", text)]
        self.name_starts = [n.start for n in self.names]
        self.token_starts = [t.idx for t in self.parsed]
        self.quote_opens = [q.open for q in self.quotes]

    def token_at(self, offset: int) -> Token | None:
        """The token covering character `offset`, if any (not whitespace between tokens)."""
        index = bisect.bisect_right(self.token_starts, offset) - 1
        if index < 0:
            return None
        token = self.parsed[index]
        return token if offset < token.idx + len(token) else None

    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def quote_at(self, offset: int) -> Quote | None:
        """The quote whose marks enclose `offset` (marks included)."""
        index = bisect.bisect_right(self.quote_opens, offset) - 1
        if index >= 0 and offset <= self.quotes[index].close:
            return self.quotes[index]
        return None

    def is_direct(self, quote: Quote) -> bool:
        if quote.open not in self.directness:
            self.directness[quote.open] = _is_direct(self, quote)
        return self.directness[quote.open]

    def name_at(self, token: Token) -> Name | None:
        index = bisect.bisect_right(self.name_starts, token.idx) - 1
        if index >= 0 and self.names[index].start <= token.idx < self.names[index].end:
            return self.names[index]
        return None

    def names_before(self, offset: int) -> Iterator[Name]:
        """Named mentions before `offset`, nearest first."""
        index = bisect.bisect_left(self.name_starts, offset)
        return reversed(self.names[:index])


def mention_names(parsed: Doc, mentions: Sequence[Mention]) -> list[Name]:
    if mentions:
        found = [Name(m.span.start, m.span.end, m.text, m.label, m.entity) for m in mentions]
    else:
        found = [Name(e.start_char, e.end_char, e.text, e.label_) for e in parsed.ents]
    return sorted(found, key=lambda n: (n.start, -n.end))


@dataclass(slots=True)
class Candidate:
    """An attribution before its speaker and medium are resolved."""

    content: tuple[int, int]
    kind: AttributionKind
    stance: Stance
    cue: tuple[int, int] | None
    entry: Cue | None
    cue_token: Token | None
    subject: Token | None  # the head of the words naming the speaker
    sentence: int
    quote: Quote | None = None
    speaker: Speaker | None = None
    medium: str | None = None
    relay: tuple[str, ...] = ()

    @property
    def position(self) -> int:
        starts = [self.content[0]]
        if self.cue:
            starts.append(self.cue[0])
        return min(starts)


def cue_span(token: Token, particle: Token | None) -> tuple[int, int]:
    end = (particle or token).idx + len(particle or token)
    return token.idx, end


def inside_quote(ctx: Context, token: Token) -> bool:
    return ctx.quote_at(token.idx) is not None


def subject_of(verb: Token) -> Token | None:
    """Who does the verb: its subject, or that of the verb it hangs from ("..., adding that").

    Never words across a line break from the verb: the parser may run a headline into the
    lede's first sentence, taking headline words for the lede verb's subject or hanging the
    lede's subject on the headline."""
    subject = _subject_in_parse(verb)
    if subject is not None and same_paragraph(subject, verb):
        return subject
    return _hung_across_break(verb)


def _subject_in_parse(verb: Token) -> Token | None:
    anchor = verb
    for _ in range(6):  # up an advcl/conj/xcomp chain; bounded against odd parses
        # a subject on the cue's side of any line break first ("“No retreat” — union\n\nAna
        # Silva said": the parser gives "said" two subjects, "retreat" and "Silva")
        subjects = sorted((c for c in verb.children if c.dep_ in SUBJECT_DEPS),
                          key=lambda c: not same_paragraph(c, anchor))
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return subject
        if any(c.dep_ == "nsubjpass" for c in verb.children):  # "was denied by the ministry"
            agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                      if g.dep_ == "pobj"]
            return agents[0] if agents else None
        if verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            return verb.head  # "The mayor, speaking Thursday, ..."
        doer = _noun_before_participle(verb)
        if doer is not None:
            return doer
        if speaker_conjunct(verb):
            verb = verb.head.head  # past the reported clause, to the speaker's first verb
            continue
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head != verb:
            verb = verb.head
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and cue_for(anchor) is not None \
                and verb.head.head.pos_ in ("VERB", "AUX"):
            # "..., before insisting that ...": a reporting verb in a phrase is said by who
            # does the verb the phrase hangs from ("by withholding" does not report)
            verb = verb.head.head
            continue
        if verb.dep_ == "acomp" and verb.head != verb:
            verb = verb.head  # "voters are more likely to say ...": the subject of "are"
            continue
        # "“...,” said Brannik": the inverted subject is parsed as an object.
        inverted = [c for c in verb.rights if c.dep_ in ("dobj", "attr") and c.pos_ == "PROPN"]
        return inverted[0] if inverted else None
    return None


def same_paragraph(a: Token, b: Token) -> bool:
    """No line break between two tokens (a newline is a paragraph break, as in `Context`)."""
    low, high = sorted((a.i, b.i))
    doc = a.doc
    return not any("\n" in doc[k].whitespace_ or (k > low and "\n" in doc[k].text)
                   for k in range(low, high))


def _hung_across_break(verb: Token) -> Token | None:
    """The words before the verb in its paragraph that the parser hung on an earlier one: the
    subject cut at the break, on the verb's side.

    "Union vows “no retreat” in harbour strike\n\nAna Silva said": the parser makes "retreat"
    the subject of "said" and hangs "Ana Silva" under it; the speaker is "Ana Silva"."""
    doc = verb.doc
    first = paragraph_start(verb)
    hung = [t for t in doc[first : verb.i]
            if t.head.i < first and t.pos_ in ("PROPN", "NOUN", "PRON")]
    # nearest the verb: the words right before it name who speaks
    return hung[-1] if hung else None


def paragraph_start(token: Token) -> int:
    """The index of the first token `same_paragraph` puts in the token's paragraph.

    One step back at a time, reading only the boundary crossed: asking `same_paragraph` at each
    step reads the whole stretch again, quadratic in a paragraph of thousands of words (an
    adversarial text took a second a verb)."""
    doc = token.doc
    first = token.i
    while first > 0 and not ("\n" in doc[first - 1].whitespace_
                             or (first < token.i and "\n" in doc[first].text)):
        first -= 1
    return first


def speaker_conjunct(conj: Token) -> bool:
    """"says the port lost money and calls the plan “a gamble”": a verb the parser hangs on a
    reported clause is the speaker's second verb when it has no subject of its own and shares
    the reporting verb's tense but not the clause's."""
    clause = conj.head
    if conj.dep_ != "conj" or conj.pos_ != "VERB" or clause.dep_ != "ccomp" or conj.i < clause.i:
        return False
    cue = clause.head
    return (conj.tag_ == cue.tag_ and conj.tag_ != clause.tag_ and conj.tag_ in ("VBZ", "VBD")
            and cue.i < clause.i and cue_for(cue) is not None
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children))


def relative_subject(verb: Token | None) -> Token | None:
    """The relative pronoun subject of a cue in a relative clause ("critics who say ...")."""
    if verb is None or verb.dep_ != "relcl":
        return None
    return next((c for c in verb.children
                 if c.dep_ in SUBJECT_DEPS and c.lower_ in RELATIVE_PRONOUNS), None)


def _noun_before_participle(verb: Token) -> Token | None:
    """"follows the ministry’s engineers claiming ...": the noun just before does the verb.

    The parser often hangs such a participle on the main verb; when that verb is no cue of its
    own, the noun right before (no comma between) is the better guess.
    """
    if verb.tag_ != "VBG" or verb.i == 0 or cue_for(verb.head) is not None:
        return None
    before = verb.nbor(-1)
    return before if before.pos_ in ("NOUN", "PROPN") and before.dep_ == "pobj" else None


def _is_direct(ctx: Context, quote: Quote) -> bool:
    """A quote standing as a statement, not a fragment inside the author's own sentence."""
    text = ctx.document.text
    paragraph_start = ctx.paragraph_starts[ctx.paragraph_of(quote.open)]
    before = text[paragraph_start : quote.open].rstrip()
    if not before or before[-1] in ".!?”\"’'—–(":
        return True
    if before[-1] == ":":
        return True
    if before[-1] == ",":
        comma = ctx.token_at(paragraph_start + len(before) - 1)
        word = comma.nbor(-1) if comma is not None and comma.i > 0 else None
        return text[quote.start].isupper() or (word is not None and cue_for(word) is not None)
    return False


def subtree_bounds(token: Token) -> tuple[int, int]:
    tokens = list(token.subtree)
    return tokens[0].i, tokens[-1].i


def within_paragraph(ctx: Context, anchor: Token, first: int, last: int) -> tuple[int, int]:
    """Clip token bounds to `anchor`'s paragraph: the parser may link a headline to the lede."""
    paragraph = ctx.paragraph_of(anchor.idx)
    while first < anchor.i and ctx.paragraph_of(ctx.parsed[first].idx) != paragraph:
        first += 1
    while last > anchor.i and ctx.paragraph_of(ctx.parsed[last].idx) != paragraph:
        last -= 1
    return first, last


# Nouns naming a person, for "he"/"she": a speaker named only by role is still someone.
PERSON_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "official", "envoy",
    "adviser", "advisor", "leader", "chief", "general", "ambassador", "senator", "governor",
    "mayor", "secretary", "director", "commander", "officer", "chancellor", "premier", "king",
    "queen", "source", "diplomat", "aide", "lawmaker", "prosecutor", "judge", "lawyer", "man",
    "woman", "captain", "head", "deputy", "chairman", "chairwoman", "chair", "negotiator",
})


_DETERMINERS = ("the ", "a ", "an ")


def word_set(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[\w’']+", text))


def strip_determiner(text: str) -> str:
    lowered = text.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            return text[len(determiner):]
    return text


def trim_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:—–"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–"):
        end -= 1
    return start, end


def context_for(document: Document, parsed: Doc, mentions: Sequence[Mention]) -> Context:
    """The view of one parsed document the finders read: its quotes and named mentions
    (`mentions`, else spaCy's own entities)."""
    if parsed.text != document.text:
        raise ValueError(f"parse does not match the text of document {document.id}")
    return Context(document, parsed, find_quotes(document.text), mention_names(parsed, mentions))
