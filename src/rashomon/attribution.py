"""Attribution: who said what, in which words, with which stance, through which medium.

A first pass over one parsed document (a later issue adds PolNeAR-style scores). The work is
cut into steps that can each grow on their own:

1. `find_quotes` pairs quote marks into `Quote`s (straight, curly, single quotes that are not
   apostrophes) without looking at the parse.
2. Finders turn the parse into candidates: `_quote_candidates` (direct and partial quotations and
   their cue), `_reported_candidates` (``X said that ...``, ``X denied the claim``) and
   `_according_to_candidates` (``..., according to X``).
3. `_SpeakerResolver` walks the candidates in text order and turns the words naming a speaker
   into a `Speaker` (full names, pronouns, short names, role nouns, anonymous sources), keeping a
   history so that a later "he" or "the spokesman" can point back.
4. `find_medium` reads the platform or channel from the words around the cue, and a statement that
   goes on ("he added", "in the same post", a quote with no cue) carries the earlier medium.

The cue lexicon (`CUES`) is data: lemma, optional particle, stance and a few flags.

Choices worth knowing:
- A quote split around its cue (``"X," he said, "Y."``) gives two attributions with the same
  speaker and cue: one content span cannot skip the cue words without covering them.
- Content spans are the words inside the marks. A comma that closes a quote stands for the
  speaker's full stop and is left out; a partial quote also leaves out a trailing full stop (it is
  the author's). A direct quote keeps its own ``.``, ``!`` or ``?``.
- A quote with no cue that follows another attribution inherits its speaker and medium; when the
  attribution is not in the sentence right before, the speaker is marked uncertain.
- A partial quote no cue governs ("agreed to a ceasefire “in principle”") is given the subject
  of the verb above it, marked uncertain; in a headline, or with no such subject, the speaker is
  left unknown (empty text, no name) rather than guessed.
- Every press meeting ("told reporters", "briefing reporters", "news conference") is one medium,
  "briefing reporters", so that two outlets' wordings do not read as two media.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rashomon.model import (
    Attribution,
    AttributionKind,
    Document,
    Mention,
    Span,
    Speaker,
    Stance,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["CUES", "Cue", "Quote", "cue_for", "extract_attributions", "find_medium", "find_quotes"]


# ---------------------------------------------------------------------------------------------
# The cue lexicon


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting word and what it says about the speaker's relation to the content.

    `takes_object`: the direct object can be the content ("denied the claim", "urged restraint").
    `quotes_only`: a cue only when it governs a quotation ("called it “a sham”", "described
    as"): on its own, "called" is a phone call as often as a statement.
    `continues`: the speaker goes on with the same statement ("added"), so the medium carries over.
    """

    lemma: str
    stance: Stance
    particle: str | None = None
    takes_object: bool = False
    quotes_only: bool = False
    continues: bool = False


def _cues(
    stance: Stance, lemmas: str, *, takes_object: bool = False, quotes_only: bool = False
) -> tuple[Cue, ...]:
    return tuple(
        Cue(lemma, stance, takes_object=takes_object, quotes_only=quotes_only)
        for lemma in lemmas.split()
    )


CUES: tuple[Cue, ...] = (
    *_cues("assertion", "say state report note explain post tell write"),
    *_cues("assertion", "confirm announce affirm assert stress emphasize reiterate repeat",
           takes_object=True),
    *_cues("assertion", "warn caution declare tweet reply"),
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
    *_cues("belief", "want fear expect", takes_object=True),
    *_cues("belief", "think believe hope feel"),
)

_BY_LEMMA: dict[str, list[Cue]] = {}
for _cue in CUES:
    _BY_LEMMA.setdefault(_cue.lemma, []).append(_cue)

# Accused of / charged with / blamed for: the prepositions that carry an accusation's content.
_ACCUSATION_PREPS = frozenset({"of", "with", "for", "over", "by"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})


_SUFFIXES = (("ing", "e"), ("ing", ""), ("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""),
             ("es", ""), ("s", ""))


def _lemma_forms(token: Token) -> Iterator[str]:
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


def cue_for(token: Token) -> tuple[Cue, Token | None] | None:
    """The lexicon entry a verb token stands for, with its particle token ("called on")."""
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBG", "VBN", "VBP"):
        return None
    entries = next((_BY_LEMMA[form] for form in _lemma_forms(token) if form in _BY_LEMMA), None)
    if not entries:
        return None
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    for entry in entries:
        if entry.particle is None:
            continue
        if following is not None and following.lower_ == entry.particle and following.head == token:
            return entry, following
    plain = [entry for entry in entries if entry.particle is None]
    return (plain[0], None) if plain else None


# ---------------------------------------------------------------------------------------------
# Quote marks


@dataclass(frozen=True, slots=True)
class Quote:
    """A stretch of text between a pair of quote marks.

    `open`/`close` are the offsets of the marks; `start`/`end` the quoted words (trimmed);
    `continued` says the quote runs on from the previous paragraph (its marks are open-ended).
    """

    open: int
    close: int
    start: int
    end: int
    continued: bool = False

    @property
    def outer_end(self) -> int:
        return self.close + 1


_CLOSER = {"“": "”", "‘": "’", '"': '"', "'": "'", "„": "“", "«": "»"}
_OPENING_CONTEXT = " \t\n([{—–-/"


def _is_opener(text: str, i: int) -> bool:
    """Whether the mark at `i` can open a quotation (an apostrophe cannot)."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    if mark in "“„«":
        return True
    if mark == '"':
        return not before.isalnum()
    if mark in "‘'":
        # ‘90s and rock 'n' roll are elisions, not quotes; a quote opens before a word.
        return (before in _OPENING_CONTEXT or before in "\"“") and after.isalpha()
    return False


def _is_closer(text: str, i: int, mark: str, paragraph_end: int) -> bool:
    """Whether the mark at `i` closes the open quotation (not an apostrophe inside it)."""
    if text[i] != mark:
        return False
    if mark not in "’'":
        return True
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isalnum():  # Trump’s, don’t
        return False
    # soldiers’ lives: a plural possessive, when the quote closes later in the paragraph.
    plural_possessive = text[i - 1] == "s" and after == " " and text[i + 2 : i + 3].islower()
    return not (plural_possessive and text.find(mark, i + 1, paragraph_end) != -1)


def _opens_rather_than_closes(text: str, i: int) -> bool:
    """A straight mark between a space and a word opens a quote; it cannot close one."""
    if text[i] not in "\"'":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isspace() and after.isalnum()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order; a quote never spans a paragraph break.

    A quote left open at the end of a paragraph is kept when the next paragraph opens with the
    same mark (the convention for a quote over several paragraphs); otherwise the stray mark is
    ignored rather than guessed at.
    """
    quotes: list[Quote] = []
    i = 0
    continued = False
    while i < len(text):
        if text[i] not in _CLOSER or not _is_opener(text, i):
            i += 1
            continue
        opener, closer = i, _CLOSER[text[i]]
        paragraph_end = text.find("\n", opener)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        j = opener + 1
        while j < paragraph_end and not _is_closer(text, j, closer, paragraph_end):
            j += 1
        if j < paragraph_end and _opens_rather_than_closes(text, j):
            i = opener + 1  # 'said "yes and left. Later "no"': the first mark has no partner
            continue
        if j < paragraph_end:
            start, end = _trim(text, opener + 1, j)
            if end > start:
                quotes.append(Quote(opener, j, start, end, continued))
            continued = False
            i = j + 1
            continue
        next_start = paragraph_end
        while next_start < len(text) and text[next_start].isspace():
            next_start += 1
        if next_start < len(text) and text[next_start] == text[opener]:
            start, end = _trim(text, opener + 1, paragraph_end)
            if end > start:
                quotes.append(Quote(opener, paragraph_end - 1, start, end, continued))
            continued = True
            i = next_start
            continue
        continued = False
        i = opener + 1
    return quotes


# ---------------------------------------------------------------------------------------------
# Medium

_PLATFORMS = ("Truth Social", "Telegram", "Facebook", "Twitter", "Instagram", "YouTube", "TikTok",
              "Weibo", "VK")
_PLATFORM = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PLATFORMS) + r")\b")
# "X" is a platform only where a post or an account is meant: "on X", "an X post", "via X".
_X_PLATFORM = re.compile(
    r"(?:\b(?:on|via)\s+X\b(?![-\w.])|\bX\s+(?:post|posts|account|thread|message)\b)"
)
_INTERVIEW = re.compile(
    r"\bin an? (?:\w+ )?interview with ((?:the )?[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*)"
)
_GENERIC_MEDIA: tuple[tuple[re.Pattern[str], str], ...] = (
    # One name for every press meeting, so that two outlets' wordings do not look like two media.
    (re.compile(r"\b(?:briefing|told|telling|tells|tell) (?:the )?reporters\b"
                r"|\b(?:press|news) (?:conference|briefing)\b"), "briefing reporters"),
    (re.compile(r"\bon state (?:television|TV)\b"), "state television"),
    (re.compile(r"\b(?:on|in a) televised\b|\bon (?:television|TV)\b"), "television"),
    (re.compile(r"\bin an? (?:\w+ )?interview\b"), "interview"),
    (re.compile(r"\bin an? (?:\w+ )?statement\b"), "statement"),
)
_SAME_OCCASION = re.compile(
    r"\b(?:in|from) the same (?:post|statement|interview|message|video|briefing|address|speech)\b",
    re.IGNORECASE,
)


def find_medium(text: str) -> str | None:
    """The medium a frame of words names: a platform, an interview, a briefing; else None."""
    platforms = [(m.start(), m.group(1)) for m in _PLATFORM.finditer(text)]
    platforms += [(m.start(), "X") for m in _X_PLATFORM.finditer(text)]
    if platforms:
        return min(platforms)[1]
    interview = _INTERVIEW.search(text)
    if interview:
        return f"{interview.group(1)} interview"
    for pattern, medium in _GENERIC_MEDIA:
        if pattern.search(text):
            return medium
    return None


# ---------------------------------------------------------------------------------------------
# The document as the finders see it


@dataclass(frozen=True, slots=True)
class _Name:
    """A named mention: from `mentions` when given, else from spaCy's entities."""

    start: int
    end: int
    text: str
    label: str
    entity: str | None = None


@dataclass(slots=True)
class _Context:
    document: Document
    parsed: Doc
    quotes: list[Quote]
    names: list[_Name]
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

    def name_at(self, token: Token) -> _Name | None:
        index = bisect.bisect_right(self.name_starts, token.idx) - 1
        if index >= 0 and self.names[index].start <= token.idx < self.names[index].end:
            return self.names[index]
        return None

    def names_before(self, offset: int) -> Iterator[_Name]:
        """Named mentions before `offset`, nearest first."""
        index = bisect.bisect_left(self.name_starts, offset)
        return reversed(self.names[:index])


def _names(parsed: Doc, mentions: Sequence[Mention]) -> list[_Name]:
    if mentions:
        found = [_Name(m.span.start, m.span.end, m.text, m.label, m.entity) for m in mentions]
    else:
        found = [_Name(e.start_char, e.end_char, e.text, e.label_) for e in parsed.ents]
    return sorted(found, key=lambda n: (n.start, -n.end))


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass(slots=True)
class _Candidate:
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


def _cue_span(token: Token, particle: Token | None) -> tuple[int, int]:
    end = (particle or token).idx + len(particle or token)
    return token.idx, end


def _inside_quote(ctx: _Context, token: Token) -> bool:
    return ctx.quote_at(token.idx) is not None


def _subject_of(verb: Token) -> Token | None:
    """Who does the verb: its subject, or that of the verb it hangs from ("..., adding that")."""
    for _ in range(6):  # up an advcl/conj/xcomp chain; bounded against odd parses
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return subject
        if any(c.dep_ == "nsubjpass" for c in verb.children):  # "was denied by the ministry"
            agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                      if g.dep_ == "pobj"]
            return agents[0] if agents else None
        if verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            return verb.head  # "Putin, speaking Thursday, ..."
        doer = _noun_before_participle(verb)
        if doer is not None:
            return doer
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head != verb:
            verb = verb.head
            continue
        # "“...,” said Peskov": the inverted subject is parsed as an object.
        inverted = [c for c in verb.rights if c.dep_ in ("dobj", "attr") and c.pos_ == "PROPN"]
        return inverted[0] if inverted else None
    return None


def _noun_before_participle(verb: Token) -> Token | None:
    """"coincides with Russia’s military claiming ...": the noun just before does the verb.

    The parser often hangs such a participle on the main verb; when that verb is no cue of its
    own, the noun right before (no comma between) is the better guess.
    """
    if verb.tag_ != "VBG" or verb.i == 0 or cue_for(verb.head) is not None:
        return None
    before = verb.nbor(-1)
    return before if before.pos_ in ("NOUN", "PROPN") and before.dep_ == "pobj" else None


def _cue_ancestor(token: Token, ctx: _Context, paragraph: int) -> Token | None:
    """The nearest verb above `token` that is a cue, within the paragraph and outside quotes."""
    current = token
    while current.head != current:
        current = current.head
        if ctx.paragraph_of(current.idx) != paragraph:
            return None
        if not _inside_quote(ctx, current) and cue_for(current):
            return current
    return None


def _quote_tokens(ctx: _Context, quote: Quote) -> list[Token]:
    span = ctx.parsed.char_span(quote.open, quote.outer_end, alignment_mode="expand")
    return list(span) if span is not None else []


def _frame_tokens(ctx: _Context, quote: Quote) -> list[Token]:
    """The words around a quote that may hold its cue: its sentences, within its paragraph."""
    first = ctx.sentence_of(quote.open)
    last = ctx.sentence_of(quote.close)
    paragraphs = {ctx.paragraph_of(quote.open), ctx.paragraph_of(quote.close)}
    sentences = ctx.sentences[first : last + 1]
    return [
        t for s in sentences for t in s
        if ctx.paragraph_of(t.idx) in paragraphs and not _inside_quote(ctx, t)
    ]


def _linked_cues(ctx: _Context, quote: Quote, frame: list[Token]) -> list[Token]:
    """Cues the parse connects to the quote: above its words, or hanging from them.

    The small model often makes the quote's verb the root and hangs the reporting verb from it
    ("“This would be a massacre,” ... Trump added" with "added" under "be").
    """
    inside = _quote_tokens(ctx, quote)
    inside_ids = {t.i for t in inside}
    paragraph = ctx.paragraph_of(quote.open)
    above: list[Token] = []
    for token in inside:
        if token.head.i not in inside_ids:
            cue = _governing_cue(token, ctx, paragraph)
            if cue is not None and cue not in above:
                above.append(cue)
    hanging = [
        t for t in frame
        if cue_for(t) and any(a.i in inside_ids for a in t.ancestors)
        and not any(a.i not in inside_ids and cue_for(a) for a in _path_to_quote(t, inside_ids))
    ]
    return above + [t for t in hanging if t not in above]


def _path_to_quote(token: Token, inside_ids: set[int]) -> list[Token]:
    path = []
    for ancestor in token.ancestors:
        if ancestor.i in inside_ids:
            break
        path.append(ancestor)
    return path


def _governing_cue(token: Token, ctx: _Context, paragraph: int) -> Token | None:
    """The cue above `token`; a cue that is itself reported ("Trump added that he urged: “...”")
    gives way to the one reporting it, while "denied ..., stating “...”" keeps "stating"."""
    cue = _cue_ancestor(token, ctx, paragraph)
    while cue is not None and cue.dep_ in ("ccomp", "xcomp"):
        higher = _cue_ancestor(cue, ctx, paragraph)
        if higher is None:
            break
        cue = higher
    return cue


def _is_plain_cue(token: Token) -> bool:
    hit = cue_for(token)
    return hit is not None and not hit[0].quotes_only


def _nearest_cue(ctx: _Context, quote: Quote, frame: list[Token]) -> Token | None:
    """A cue next to the quote when the parse does not link them (", he said" after a quote)."""
    candidates = [t for t in frame if _is_plain_cue(t)]
    if not candidates:
        return _cue_before_colon(ctx, quote)

    def distance(token: Token) -> int:
        if token.idx > quote.close:
            return len(ctx.document.text[quote.outer_end : token.idx].split())
        return len(ctx.document.text[token.idx : quote.open].split()) + 1

    best = min(candidates, key=distance)
    return best if distance(best) <= 4 else None


def _cue_before_colon(ctx: _Context, quote: Quote) -> Token | None:
    """`Trump wrote:` closing the sentence (or paragraph) before the quote."""
    window_start = max(0, quote.open - 80)
    before = ctx.document.text[window_start : quote.open].rstrip()
    if not before.endswith(":"):
        return None
    sentence = ctx.sentences[ctx.sentence_of(window_start + len(before) - 1)]
    cues = [t for t in sentence if cue_for(t) and not _inside_quote(ctx, t)]
    return cues[-1] if cues else None


def _is_direct(ctx: _Context, quote: Quote) -> bool:
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


def _quote_content(ctx: _Context, quote: Quote, direct: bool) -> tuple[int, int]:
    start, end = quote.start, quote.end
    if not direct:
        while end > start and ctx.document.text[end - 1] in ".,;: ":
            end -= 1
    return start, end


def _quote_candidates(ctx: _Context) -> list[_Candidate]:
    found: list[_Candidate] = []
    for quote in ctx.quotes:
        direct = ctx.is_direct(quote)
        kind: AttributionKind = "direct" if direct else "partial"
        content = _quote_content(ctx, quote, direct)
        sentence = ctx.sentence_of(quote.start)
        cue = _quote_cue(ctx, quote, direct)
        if cue is None:
            subject = _cueless_subject(ctx, quote, direct)
            found.append(_Candidate(
                content, kind, "assertion", None, None, None, subject, sentence, quote
            ))
            continue
        token, entry, particle = cue
        found.append(_Candidate(
            content, kind, entry.stance, _cue_span(token, particle), entry, token,
            _subject_of(token), sentence, quote,
        ))
    return found


def _quote_cue(ctx: _Context, quote: Quote, direct: bool) -> tuple[Token, Cue, Token | None] | None:
    """The reporting verb of a quote: linked by the parse, else next to it (direct quotes)."""
    frame = _frame_tokens(ctx, quote)
    linked = _linked_cues(ctx, quote, frame)
    token = linked[0] if linked else None
    if token is None and direct and not quote.continued:
        token = _nearest_cue(ctx, quote, frame)
    hit = cue_for(token) if token is not None else None
    if token is None or hit is None:
        return None
    return token, hit[0], hit[1]


def _cueless_subject(ctx: _Context, quote: Quote, direct: bool) -> Token | None:
    """A guess at who speaks a quote no cue introduces (resolution marks it uncertain)."""
    if not direct:
        return _governing_subject(ctx, quote)
    return None if quote.continued else _speaker_of_sentence_before(ctx, quote)


def _speaker_of_sentence_before(ctx: _Context, quote: Quote) -> Token | None:
    """Who speaks in the sentence before ("Berg spoke about the storm.\n“We lost boats.”")."""
    index = ctx.sentence_of(quote.open) - 1
    if index < 0 or ctx.paragraph_of(quote.open) - ctx.paragraph_of(ctx.sentence_starts[index]) > 1:
        return None
    sentence = ctx.sentences[index]
    for token in sentence:
        if cue_for(token) and not _inside_quote(ctx, token):
            subject = _subject_of(token)
            if subject is not None and subject.pos_ != "PRON":
                return subject
    return None


def _is_headline(ctx: _Context, paragraph: int) -> bool:
    """A short title-case line with no full stop: "Union Says Four Hurt in Ferry Crash"."""
    start = ctx.paragraph_starts[paragraph]
    end = (ctx.paragraph_starts[paragraph + 1] if paragraph + 1 < len(ctx.paragraph_starts)
           else len(ctx.document.text))
    line = ctx.document.text[start:end].strip()
    words = [w.strip("\"“”‘’'") for w in line.split()]
    capitalised = [w for w in words if w[:1].isupper()]
    return bool(words) and line[-1:] not in ".!?:" and len(capitalised) >= 0.6 * len(words)


def _governing_subject(ctx: _Context, quote: Quote) -> Token | None:
    """For a fragment no cue governs ("agreed to a ceasefire “in principle”"): the subject of
    the verb above it. A guess, and marked as one."""
    tokens = _quote_tokens(ctx, quote)
    inside = {t.i for t in tokens}
    paragraph = ctx.paragraph_of(quote.open)
    if _is_headline(ctx, paragraph):
        return None  # a headline's parse is too poor for a guess
    for token in tokens:
        if token.head.i in inside:
            continue
        verb = token.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
            verb = verb.head
        if ctx.paragraph_of(verb.idx) != paragraph:
            return None
        subject = _subject_of(verb)
        if subject is None or subject.i in inside:
            return None  # '“No” came the answer': the quote is its own subject
        return subject if ctx.paragraph_of(subject.idx) == paragraph else None
    return None


# Reported speech ---------------------------------------------------------------------------


def _subtree_bounds(token: Token) -> tuple[int, int]:
    tokens = list(token.subtree)
    return tokens[0].i, tokens[-1].i


def _clause_bounds(root: Token) -> tuple[int, int]:
    """A reported clause without a trailing ", citing ..." / ", as part of ...", the author's."""
    first, last = _subtree_bounds(root)
    for child in root.rights:
        comma_before = child.i > 0 and child.nbor(-1).text == ","
        participle = child.dep_ == "advcl" and child.tag_ == "VBG"
        framing = child.dep_ == "prep" and child.lower_ == "as"
        if comma_before and (participle or framing):
            last = min(last, child.i - 1)
    return first, last


def _complement(cue_token: Token, entry: Cue, particle: Token | None) -> tuple[int, int] | None:
    """Token bounds of what a cue reports: its clause, or its object for nominal cues."""
    clauses = [c for c in cue_token.children if c.dep_ == "ccomp"]
    if clauses:
        first, last = _clause_bounds(clauses[-1] if len(clauses) > 1 else clauses[0])
        doc = cue_token.doc
        while first <= last and (doc[first].dep_ == "mark" and doc[first].lower_ == "that"):
            first += 1
        return first, last
    objects = [c for c in cue_token.children if c.dep_ in ("dobj", "dative")]
    xcomps = [c for c in cue_token.children if c.dep_ == "xcomp" and c.i > cue_token.i]
    if entry.stance == "belief" and xcomps and not objects:
        return _clause_bounds(xcomps[0])  # "wants to end the strike"
    if not entry.takes_object:
        return None
    parts = objects
    if particle is not None:
        parts += [c for c in particle.children if c.dep_ == "pobj"]
    if parts and entry.stance in ("directive", "belief"):
        parts += [
            c for c in cue_token.children
            if c.dep_ in ("xcomp", "advcl") and any(g.lower_ == "to" for g in c.children)
        ]
    if parts and entry.stance == "accusation":
        parts += [c for c in cue_token.children
                  if c.dep_ == "prep" and c.lower_ in _ACCUSATION_PREPS]
    if not parts:
        return None
    # Objects follow the verb; a "complement" before it is the parser reaching into a headline.
    bounds = [_clause_bounds(p) for p in parts if p.i > cue_token.i and p.sent == cue_token.sent]
    if not bounds:
        return None
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def _within_paragraph(ctx: _Context, anchor: Token, first: int, last: int) -> tuple[int, int]:
    """Clip token bounds to `anchor`'s paragraph: the parser may link a headline to the lede."""
    paragraph = ctx.paragraph_of(anchor.idx)
    while first < anchor.i and ctx.paragraph_of(ctx.parsed[first].idx) != paragraph:
        first += 1
    while last > anchor.i and ctx.paragraph_of(ctx.parsed[last].idx) != paragraph:
        last -= 1
    return first, last


def _char_bounds(ctx: _Context, first: int, last: int) -> tuple[int, int] | None:
    """Character span of tokens first..last, trimmed of punctuation and balanced on quotes."""
    doc = ctx.parsed
    while first <= last and (doc[first].is_punct and doc[first].text not in "“\"‘"
                             or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct and doc[last].text not in "”\"’"
                             or doc[last].is_space):
        last -= 1
    if first > last:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    for quote in ctx.quotes:
        if start <= quote.open < end <= quote.close:
            end = quote.outer_end  # a quote opened in the content closes in it
    return start, end


def _overlaps_direct_quote(ctx: _Context, start: int, end: int) -> bool:
    """Reported speech whose clause is a direct quote is already that quote's attribution."""
    first = max(0, bisect.bisect_right(ctx.quote_opens, start) - 1)
    last = bisect.bisect_left(ctx.quote_opens, end)
    return any(start < q.outer_end and ctx.is_direct(q) for q in ctx.quotes[first:last])


def _reported_candidates(ctx: _Context) -> list[_Candidate]:
    found: list[_Candidate] = []
    for token in ctx.parsed:
        hit = cue_for(token)
        if hit is None or hit[0].quotes_only or _inside_quote(ctx, token):
            continue
        entry, particle = hit
        bounds = _complement(token, entry, particle)
        if bounds is None:
            continue
        chars = _char_bounds(ctx, *_within_paragraph(ctx, token, *bounds))
        if chars is None or _overlaps_direct_quote(ctx, *chars):
            continue
        subject = _subject_of(token)
        if subject is None or subject.pos_ == "PRON" and subject.lower_ in ("i", "we", "you"):
            continue
        kind: AttributionKind = "belief" if entry.stance == "belief" else "indirect"
        found.append(_Candidate(
            chars, kind, entry.stance, _cue_span(token, particle), entry, token, subject,
            ctx.sentence_of(token.idx),
        ))
    return found


def _according_to_candidates(ctx: _Context) -> list[_Candidate]:
    found: list[_Candidate] = []
    text = ctx.document.text
    for token in ctx.parsed:
        if token.lower_ != "according" or _inside_quote(ctx, token):
            continue
        to = token.nbor(1) if token.i + 1 < len(ctx.parsed) else None
        if to is None or to.lower_ != "to":
            continue
        sources = [c for c in to.children if c.dep_ == "pobj"]
        if not sources:
            continue
        source = sources[0]
        phrase_end = list(source.subtree)[-1]
        sentence = token.sent
        paragraph_start = ctx.paragraph_starts[ctx.paragraph_of(token.idx)]
        sentence_start = max(sentence.start_char, paragraph_start)
        if text[sentence_start : token.idx].strip(" ,\n"):
            content = _trim_punct(text, sentence_start, token.idx)
        else:
            content = _trim_punct(text, phrase_end.idx + len(phrase_end), sentence.end_char)
        if content[1] <= content[0]:
            continue
        found.append(_Candidate(
            content, "according_to", "assertion", (token.idx, to.idx + len(to)), None, token,
            source, ctx.sentence_of(token.idx),
        ))
    return found


def _trim_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:—–"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–"):
        end -= 1
    return start, end


def _drop_duplicates(candidates: list[_Candidate]) -> list[_Candidate]:
    """A nominal attribution whose content is exactly a partial quote adds nothing to it."""
    quoted = {
        (c.cue, c.quote.open, c.quote.outer_end) for c in candidates if c.quote is not None
    }
    kept = []
    for candidate in candidates:
        start, end = candidate.content
        if candidate.quote is None and any(
            cue == candidate.cue and open_ <= start + 1 and end - 1 <= outer
            for cue, open_, outer in quoted
        ):
            continue
        kept.append(candidate)
    return kept


# ---------------------------------------------------------------------------------------------
# Speakers

_PERSON_PRONOUNS = frozenset({"he", "him", "she", "her"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_THING_PRONOUNS = frozenset({"it"})
_ANONYMOUS_HEADS = frozenset({
    "source", "official", "officer", "diplomat", "insider", "aide", "person", "people",
    "spokesperson", "spokesman", "spokeswoman", "analyst", "observer", "witness", "resident",
})
# Nouns naming a person, for "he"/"she": a speaker named only by role is still someone.
_PERSON_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "official", "envoy",
    "adviser", "advisor", "leader", "chief", "general", "ambassador", "senator", "governor",
    "mayor", "secretary", "director", "commander", "officer", "chancellor", "premier", "king",
    "queen", "source", "diplomat", "aide", "lawmaker", "prosecutor", "judge", "lawyer", "man",
    "woman", "captain", "head", "deputy", "chairman", "chairwoman", "chair", "negotiator",
})
_AGENCIES = ("AFP", "Reuters", "AP", "Associated Press", "TASS", "RIA Novosti", "Interfax",
             "Bloomberg", "Ukrinform", "Xinhua", "dpa", "ANSA", "EFE", "Kyodo", "Yonhap", "UNIAN")
_AGENCY = re.compile(r"\b(" + "|".join(re.escape(a) for a in _AGENCIES) + r")\b")
_LEFT_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "advmod"})
_RIGHT_DEPS = frozenset({"prep", "compound", "flat", "amod", "acl", "case"})
_RELAY_VERBS = frozenset({"cite", "quote"})
_DETERMINERS = ("the ", "a ", "an ")


@dataclass(frozen=True, slots=True)
class _Known:
    """A speaker met so far, for pronouns, role nouns and carried media."""

    position: int
    last_sentence: int
    paragraph: int
    speaker: Speaker
    person: bool
    words: frozenset[str]
    medium: str | None


_ORGANISATION_WORDS = frozenset({
    "authority", "ministry", "council", "union", "office", "staff", "department", "agency",
    "committee", "government", "company", "group", "cooperative", "association", "court",
    "police", "army", "military", "service", "bank", "party", "board", "commission", "institute",
})


def _looks_like_a_name(text: str) -> bool:
    """Two or three capitalised words and no organisation noun: probably a person."""
    words = text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not (
        _words(text) & _ORGANISATION_WORDS
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[\w’']+", text))


def _strip_determiner(text: str) -> str:
    lowered = text.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            return text[len(determiner):]
    return text


class _SpeakerResolver:
    """Turns the words naming a speaker into a `Speaker`, in text order, remembering each."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.history: list[_Known] = []

    # phrases ---------------------------------------------------------------------------------

    def phrase(self, head: Token) -> tuple[int, int]:
        """Token bounds of the noun phrase headed by `head`, without clauses or appositions."""
        first = last = head.i
        for child in head.lefts:
            if child.dep_ in _LEFT_DEPS:
                first = min(first, _subtree_bounds(child)[0])
        for child in head.rights:
            if child.is_punct or child.dep_ not in _RIGHT_DEPS:
                break
            if child.dep_ == "acl" and child.lemma_.lower() not in _RELAY_VERBS:
                break
            last = max(last, _subtree_bounds(child)[1])
        return first, last

    def _speaker_span(self, head: Token) -> tuple[int, int, str]:
        first, last = _within_paragraph(self.ctx, head, *self.phrase(head))
        doc = self.ctx.parsed
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        return start, end, self.ctx.document.text[start:end]

    # resolution ------------------------------------------------------------------------------

    def resolve(self, candidate: _Candidate) -> Speaker:
        head = candidate.subject
        if head is None:
            return Speaker(None, "", uncertain=True)
        if head.pos_ == "PRON" and head.lower_ in (
            _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS
        ):
            return self._pronoun(head, candidate)
        return self.describe(head)

    def describe(self, head: Token) -> Speaker:
        """A speaker named in the text: by name, by role, or anonymously."""
        name = self.ctx.name_at(head)
        appositive = self._appositive_name(head) if name is None else None
        if appositive is not None:
            head, name = appositive
        start, end, text = self._speaker_span(head)
        if appositive is not None:
            start = min(start, self._speaker_span(head.head)[0])
            text = self.ctx.document.text[start:end]
        span = self.ctx.document.span(start, end)
        if self._is_anonymous(head, name):
            return Speaker(span, text, anonymous=True)
        if name is not None and name.label in ("PERSON", "ORG", "NORP", "GPE"):
            return self._named(span, text, head, name)
        full, uncertain = self._role_referent(head, text, start)
        return Speaker(span, text, full or _strip_determiner(text), uncertain=uncertain)

    def _appositive_name(self, head: Token) -> tuple[Token, _Name] | None:
        """"The union’s leader, Marta Lopes, ...": the person the role noun stands beside."""
        for child in head.rights:
            name = self.ctx.name_at(child) if child.dep_ == "appos" else None
            if name is not None and name.label == "PERSON":
                return child, name
        return None

    def _is_anonymous(self, head: Token, name: _Name | None) -> bool:
        if name is not None and name.label in ("PERSON", "ORG"):
            return False
        if head.lemma_.lower() not in _ANONYMOUS_HEADS:
            return False
        definite = any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "some", "several",
                                                                      "two", "three", "one")
                       for c in head.children)
        named_by_role = any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"
                            for c in head.children)
        return not definite and not named_by_role

    def _named(self, span: Span, text: str, head: Token, name: _Name) -> Speaker:
        has_owner = any(c.dep_ == "poss" for c in head.children)
        if name.label == "PERSON" or not has_owner:
            resolved, uncertain = self._full_name(_strip_determiner(name.text), name.start)
        else:
            resolved, uncertain = _strip_determiner(text), False
        return Speaker(span, text, resolved, name.entity, uncertain=uncertain)

    def _full_name(self, short: str, before: int) -> tuple[str, bool]:
        """"Peskov" -> "Dmitry Peskov" when the document named him in full earlier."""
        short = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", short)
        if " " in short:
            return short, False
        fuller = {
            n.text for n in self.ctx.names_before(before)
            if n.label == "PERSON" and " " in n.text and n.text.split()[-1] == short
        }
        fuller |= {
            k.speaker.name for k in self.history
            if k.speaker.name and " " in k.speaker.name and k.speaker.name.split()[-1] == short
        }
        if not fuller:
            return short, False
        if len(fuller) == 1:
            return fuller.pop(), False
        return self._latest_of(fuller, before), True

    def _latest_of(self, names: set[str], before: int) -> str:
        for name in self.ctx.names_before(before):
            if name.text in names:
                return name.text
        return min(names)

    def _role_referent(self, head: Token, text: str, start: int) -> tuple[str | None, bool]:
        """"the spokesman" -> the earlier speaker or person introduced with that role."""
        role = _words(_strip_determiner(text))
        if not role:
            return None, False
        matches = [
            k.speaker.name for k in reversed(self.history)
            if k.speaker.name and not k.speaker.anonymous and role <= k.words
            and k.speaker.span is not None and k.speaker.span.start != start
        ]
        matches += self._introduced_with_role(role, start)
        if not matches:
            return None, False
        distinct = set(matches)
        return matches[0], len(distinct) > 1

    def _introduced_with_role(self, role: frozenset[str], before: int) -> list[str]:
        """PERSON names whose few preceding words hold the role ("Kremlin spokesman Dmitry P.")."""
        text = self.ctx.document.text
        found = []
        for name in self.ctx.names_before(before):
            if name.label != "PERSON":
                continue
            preceding = _words(" ".join(text[max(0, name.start - 60) : name.start].split()[-3:]))
            if role <= preceding:
                found.append(self._full_name(name.text, name.start)[0])
        return found

    def _pronoun(self, pronoun: Token, candidate: _Candidate) -> Speaker:
        span = self.ctx.document.span(pronoun.idx, pronoun.idx + len(pronoun))
        wants_person = pronoun.lower_ in _PERSON_PRONOUNS
        wants_thing = pronoun.lower_ in _THING_PRONOUNS
        governing = self._governing_speaker(candidate.cue_token)
        if governing is not None and governing.name:
            return Speaker(span, pronoun.text, governing.name, governing.entity)
        for known in reversed(self.history):
            if known.position >= candidate.position or known.speaker.anonymous:
                continue
            if not known.speaker.name:
                continue
            if wants_person and not known.person or wants_thing and known.person:
                continue
            recent = known.last_sentence >= candidate.sentence - 1
            if recent:
                return Speaker(span, pronoun.text, known.speaker.name, known.speaker.entity)
            break
        subject = self._previous_subject(pronoun, candidate.sentence, wants_person, wants_thing)
        if subject is not None:
            return Speaker(span, pronoun.text, subject.name, subject.entity)
        for name in self.ctx.names_before(pronoun.idx):
            person = name.label == "PERSON"
            if (wants_person and not person) or (wants_thing and person):
                continue
            if name.label not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            resolved, _ = self._full_name(name.text, name.start)
            return Speaker(span, pronoun.text, resolved, name.entity, uncertain=True)
        return Speaker(span, pronoun.text, uncertain=True)

    def _previous_subject(
        self, pronoun: Token, sentence: int, wants_person: bool, wants_thing: bool
    ) -> Speaker | None:
        """The named subject of the sentence before: "Silva opened the terminal. ..., she said"."""
        if sentence < 1:
            return None
        previous = self.ctx.sentences[sentence - 1]
        subject = _subject_of(previous.root)
        if subject is None or subject.pos_ == "PRON":
            return None
        name = self.ctx.name_at(subject)
        if name is None or name.label not in ("PERSON", "ORG", "GPE", "NORP"):
            return None
        person = name.label == "PERSON"
        if (wants_person and not person) or (wants_thing and person):
            return None
        return self.describe(subject)

    def _governing_speaker(self, cue_token: Token | None) -> Speaker | None:
        """"Trump added that he had urged ...": the pronoun is the reporting clause's subject."""
        if cue_token is None:
            return None
        for ancestor in cue_token.ancestors:
            if cue_for(ancestor) is None:
                continue
            subject = _subject_of(ancestor)
            if subject is not None and subject.pos_ != "PRON":
                return self.describe(subject)
            return None
        return None

    # history ---------------------------------------------------------------------------------

    def remember(self, candidate: _Candidate) -> None:
        speaker = candidate.speaker
        if speaker is None or not speaker.text:
            return
        end = max(candidate.content[1], candidate.cue[1] if candidate.cue else 0)
        head = candidate.subject
        person = self._is_person(speaker, head)
        self.history.append(_Known(
            candidate.position, self.ctx.sentence_of(max(end - 1, 0)),
            self.ctx.paragraph_of(max(end - 1, 0)), speaker, person, _words(speaker.text),
            candidate.medium,
        ))

    def _is_person(self, speaker: Speaker, head: Token | None) -> bool:
        if speaker.name:
            for name in self.ctx.names:
                if name.text == speaker.name or name.text.endswith(" " + speaker.name):
                    return name.label == "PERSON"
        if head is None:
            return False
        if head.pos_ == "PRON":
            return head.lower_ in _PERSON_PRONOUNS
        if head.lemma_.lower() in _PERSON_ROLES:
            return True
        # A name the tagger missed: "Ilse Poward, the county's plant-health officer, said".
        roles = [c for c in head.rights if c.dep_ == "appos" and c.lemma_.lower() in _PERSON_ROLES]
        return bool(roles) or _looks_like_a_name(speaker.text)

    def previous(self, before: int) -> _Known | None:
        earlier = [k for k in self.history if k.position < before]
        return earlier[-1] if earlier else None

    def carried_medium(self, speaker: Speaker, before: int) -> str | None:
        """The medium of the same speaker's latest statement, back to another speaker's."""
        for known in reversed(self.history):
            if known.position >= before:
                continue
            if known.speaker.name != speaker.name:
                if known.speaker.name:
                    return None
                continue
            if known.medium:
                return known.medium
        return None

    def relay(self, speaker: Speaker, cue_token: Token | None) -> tuple[str, ...]:
        """Agencies the words pass through: "a source cited by AFP", "told Reuters"."""
        found = [m.group(1) for m in _AGENCY.finditer(speaker.text)]
        if speaker.span is not None and speaker.anonymous:
            phrase = self.ctx.parsed.char_span(speaker.span.start, speaker.span.end,
                                               alignment_mode="expand")
            for token in phrase or ():
                if token.dep_ == "pobj" and token.head.dep_ == "agent":
                    first, last = self.phrase(token)
                    found.append(self.ctx.parsed[first : last + 1].text)
        if cue_token is not None and cue_token.lemma_.lower() == "tell":
            for child in cue_token.children:
                name = self.ctx.name_at(child)
                if child.dep_ in ("dative", "dobj") and (name and name.label == "ORG"
                                                          or _AGENCY.fullmatch(child.text)):
                    found.append(name.text if name else child.text)
        return tuple(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Putting it together


def _frame_text(ctx: _Context, candidate: _Candidate) -> str:
    """The words of the cue's sentence, in its paragraph, less the content and every quote."""
    anchor = candidate.cue[0] if candidate.cue else candidate.content[0]
    sentence = ctx.sentences[ctx.sentence_of(anchor)]
    paragraph = ctx.paragraph_of(anchor)
    start = max(sentence.start_char, ctx.paragraph_starts[paragraph])
    next_paragraph = paragraph + 1
    end = sentence.end_char
    if next_paragraph < len(ctx.paragraph_starts):
        end = min(end, ctx.paragraph_starts[next_paragraph])
    chars = list(ctx.document.text[start:end])
    holes = [candidate.content] + [(q.open, q.outer_end) for q in ctx.quotes]
    for hole_start, hole_end in holes:
        for offset in range(max(hole_start, start), min(hole_end, end)):
            chars[offset - start] = " "
    return "".join(chars)


def _inherit(
    resolver: _SpeakerResolver, ctx: _Context, candidate: _Candidate, guessed: bool
) -> bool:
    """A quote with no cue takes the speaker of the attribution just before it.

    `guessed`: the sentence before names someone speaking ("Berg spoke about the storm."), a
    better guess than an attribution further back.
    """
    previous = resolver.previous(candidate.position)
    if previous is None:
        return False
    quote_paragraph = ctx.paragraph_of(candidate.content[0])
    if quote_paragraph - previous.paragraph > 2:
        return False
    adjacent = previous.last_sentence >= candidate.sentence - 1
    if guessed and not adjacent:
        return False
    speaker = previous.speaker
    candidate.speaker = Speaker(
        speaker.span, speaker.text, speaker.name, speaker.entity,
        uncertain=speaker.uncertain or not adjacent, anonymous=speaker.anonymous,
    )
    candidate.medium = previous.medium or resolver.carried_medium(speaker, candidate.position)
    return True


def _resolve_all(ctx: _Context, candidates: Iterable[_Candidate]) -> None:
    resolver = _SpeakerResolver(ctx)
    for candidate in candidates:
        guessed = candidate.subject is not None
        if candidate.cue is None and candidate.kind == "direct" and _inherit(
            resolver, ctx, candidate, guessed=guessed
        ):
            resolver.remember(candidate)
            continue
        speaker = resolver.resolve(candidate)
        if candidate.cue is None and candidate.subject is not None:
            speaker = Speaker(speaker.span, speaker.text, speaker.name, speaker.entity,
                              uncertain=True, anonymous=speaker.anonymous)
        candidate.speaker = speaker
        frame = _frame_text(ctx, candidate)
        candidate.medium = find_medium(frame)
        goes_on = (candidate.entry is not None and candidate.entry.continues) or bool(
            _SAME_OCCASION.search(frame)
        )
        if candidate.medium is None and goes_on and speaker.name:
            candidate.medium = resolver.carried_medium(speaker, candidate.position)
        candidate.relay = resolver.relay(speaker, candidate.cue_token)
        resolver.remember(candidate)


def extract_attributions(
    document: Document, parsed: Doc, mentions: Sequence[Mention] = ()
) -> list[Attribution]:
    """Who said what in one document, in text order.

    `parsed.text` must be `document.text`; `mentions` (from entities.py) name people and
    organisations when given, else spaCy's own entities are used.
    """
    if parsed.text != document.text:
        raise ValueError(f"parse does not match the text of document {document.id}")
    ctx = _Context(document, parsed, find_quotes(document.text), _names(parsed, mentions))
    candidates = [
        *_quote_candidates(ctx), *_reported_candidates(ctx), *_according_to_candidates(ctx)
    ]
    candidates = _drop_duplicates(candidates)
    candidates.sort(key=lambda c: (c.position, c.content))
    _resolve_all(ctx, candidates)
    candidates.sort(key=lambda c: (c.content, c.cue or (0, 0)))
    return [
        Attribution(
            id=f"{document.id}:a{n}",
            doc=document.id,
            speaker=c.speaker or Speaker(None, "", uncertain=True),
            cue=document.span(*c.cue) if c.cue else None,
            content=document.span(*c.content),
            kind=c.kind,
            stance=c.stance,
            medium=c.medium,
            relay=c.relay,
        )
        for n, c in enumerate(candidates, 1)
    ]
