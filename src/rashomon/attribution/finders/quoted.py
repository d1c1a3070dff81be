"""Quotations turned into candidates: each pair of quote marks with its cue (linked by the
parse, next to the quote, or a colon's introducer) and, with no cue, a guess at its speaker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.attribution.context import (
    Candidate,
    Context,
    cue_span,
    inside_quote,
    subject_of,
)
from rashomon.attribution.cues import Cue, cue_for
from rashomon.attribution.finders.reported import NAMING_VERBS
from rashomon.attribution.quotes import Quote
from rashomon.model import AttributionKind
from rashomon.terms import WORD_CHARS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["quote_candidates"]



def _cue_ancestor(token: Token, ctx: Context, paragraph: int) -> Token | None:
    """The nearest verb above `token` that is a cue, within the paragraph and outside quotes."""
    current = token
    while current.head != current:
        current = current.head
        if ctx.paragraph_of(current.idx) != paragraph:
            return None
        if not inside_quote(ctx, current) and cue_for(current):
            return current
    return None


def _quote_tokens(ctx: Context, quote: Quote) -> list[Token]:
    span = ctx.parsed.char_span(quote.open, quote.outer_end, alignment_mode="expand")
    return list(span) if span is not None else []


def _frame_tokens(ctx: Context, quote: Quote) -> list[Token]:
    """The words around a quote that may hold its cue: its sentences, within its paragraph."""
    first = ctx.sentence_of(quote.open)
    last = ctx.sentence_of(quote.close)
    paragraphs = {ctx.paragraph_of(quote.open), ctx.paragraph_of(quote.close)}
    sentences = ctx.sentences[first : last + 1]
    return [
        t for s in sentences for t in s
        if ctx.paragraph_of(t.idx) in paragraphs and not inside_quote(ctx, t)
    ]


def _linked_cues(ctx: Context, quote: Quote, frame: list[Token]) -> list[Token]:
    """Cues the parse connects to the quote: above its words, or hanging from them.

    The small model often makes the quote's verb the root and hangs the reporting verb from it
    ("“This would be a massacre,” ... Silva added" with "added" under "be").
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


def _governing_cue(token: Token, ctx: Context, paragraph: int) -> Token | None:
    """The cue above `token`; a cue that is itself reported ("Silva added that he urged: “...”")
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


def _nearest_cue(ctx: Context, quote: Quote, frame: list[Token]) -> Token | None:
    """A cue next to the quote when the parse does not link them (", he said" after a quote)."""
    candidates = [t for t in frame if _is_plain_cue(t)]
    if not candidates:
        return _cue_before_colon(ctx, quote)

    def distance(token: Token) -> int:
        if token.idx > quote.close:
            return len(ctx.document.text[quote.outer_end : token.idx].split())
        return len(ctx.document.text[token.idx : quote.open].split()) + 1

    best = min(candidates, key=distance)
    return best if distance(best) <= 4 else _cue_before_colon(ctx, quote)


def _cue_before_colon(ctx: Context, quote: Quote) -> Token | None:
    """`Silva wrote:` closing the sentence (or paragraph) before the quote.

    The cue stands before the colon, in its paragraph: the parser often runs a headline
    ("Harbour strike: “We will not back down”") into the lede's sentence, whose "said" is
    someone else's words about something else."""
    window_start = max(0, quote.open - 80)
    before = ctx.document.text[window_start : quote.open].rstrip()
    if not before.endswith(":"):
        return None
    colon = window_start + len(before) - 1
    paragraph = ctx.paragraph_of(colon)
    sentence = ctx.sentences[ctx.sentence_of(colon)]
    cues = [t for t in sentence if cue_for(t) and not inside_quote(ctx, t) and t.idx < colon
            and ctx.paragraph_of(t.idx) == paragraph]
    return cues[-1] if cues else None


def _colon_introducer(
    ctx: Context, quote: Quote
) -> tuple[tuple[int, int], Token, Token] | None:
    """Who introduces a quotation with a colon when no reporting word of the lexicon does:
    "Brannik leaned in and boomed: “...”", "the statement reads: “...”", "- Ana Silva: “...”".

    The verb closest before the colon with a subject of its own is the cue and its subject the
    speaker; with no verb there, a name right before the colon is the speaker and the colon
    the cue. A title line is left to `headline_candidates`.
    """
    text = ctx.document.text
    before = text[max(0, quote.open - 200) : quote.open].rstrip()
    if not before.endswith(":"):
        return None
    colon = ctx.token_at(quote.open - (len(text[: quote.open]) - len(text[: quote.open].rstrip())) - 1)
    paragraph = ctx.paragraph_of(colon.idx) if colon is not None else 0
    if colon is None or paragraph == 0 or inside_quote(ctx, colon):
        return None
    clause = [t for t in colon.sent if t.i < colon.i and not inside_quote(ctx, t)
              and ctx.paragraph_of(t.idx) == paragraph]
    for token in reversed(clause):
        if token.pos_ == "VERB" and token.dep_ not in ("amod", "compound", "acl", "relcl"):
            subject = subject_of(token)
            if subject is None or inside_quote(ctx, subject) or subject.i > colon.i:
                return None
            return (token.idx, token.idx + len(token)), token, subject
    name: list[Token] = []
    for token in reversed(clause):  # "- Ana Silva:": the name alone after a dash or line start
        if token.pos_ != "PROPN":
            break
        name.insert(0, token)
    rest = clause[: len(clause) - len(name)]
    if not name or len(name) > 5 or any(not t.is_punct and not t.is_space for t in rest):
        return None
    return (colon.idx, colon.idx + 1), name[-1], name[-1]


def _quote_content(ctx: Context, quote: Quote, direct: bool) -> tuple[int, int]:
    start, end = quote.start, quote.end
    if not direct:
        while end > start and ctx.document.text[end - 1] in ".,;: ":
            end -= 1
    return start, end


def quote_candidates(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for quote in ctx.quotes:
        direct = ctx.is_direct(quote)
        kind: AttributionKind = "direct" if direct else "partial"
        content = _quote_content(ctx, quote, direct)
        sentence = ctx.sentence_of(quote.start)
        cue = _quote_cue(ctx, quote, direct)
        introducer = _colon_introducer(ctx, quote) if cue is None and direct else None
        if introducer is not None:
            cue_chars, introducing, speaker = introducer
            found.append(Candidate(
                content, kind, "assertion", cue_chars, None, introducing, speaker, sentence, quote
            ))
            continue
        words = WORD_CHARS.findall(ctx.document.text[quote.start : quote.end])
        if cue is None and not direct and len(words) < 2:
            # One quoted word no cue governs is the author's scare quote or a name ("the
            # so-called “pause”"), not words put in someone's mouth: none of the 87 such on
            # PolNeAR's training part (first 200 articles) is an attribution.
            continue
        if cue is None:
            subject = _cueless_subject(ctx, quote, direct)
            found.append(Candidate(
                content, kind, "assertion", None, None, None, subject, sentence, quote
            ))
            continue
        token, entry, particle = cue
        if not direct and entry.lemma in NAMING_VERBS and (
            token.dep_ == "acl" or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        ):
            continue  # "a series called “Quick Question”": a name, not words someone said
        subject = subject_of(token)
        if subject is not None and inside_quote(ctx, subject):
            subject = _subject_beside_cue(ctx, token)
        found.append(Candidate(
            content, kind, entry.stance, cue_span(token, particle), entry, token,
            subject, sentence, quote,
        ))
    return _share_split_cues(ctx, found)


def _subject_beside_cue(ctx: Context, cue: Token) -> Token | None:
    """When the parse takes a speaker from inside the quote (“..., my bosses ...,” Conant said),
    the noun phrase right before the cue, or right after it ("said Conant"), outside quotes."""
    doc = ctx.parsed
    for i in range(cue.i - 1, max(cue.sent.start, cue.i - 4) - 1, -1):
        token = doc[i]
        if inside_quote(ctx, token) or token.is_punct:
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON"):
            return token.head if token.dep_ == "compound" and token.head.i < cue.i else token
    following = cue.nbor(1) if cue.i + 1 < len(doc) else None
    if following is not None and following.pos_ in ("PROPN", "NOUN") \
            and not inside_quote(ctx, following):
        while following.dep_ == "compound" and following.head.i > following.i:
            following = following.head
        return following
    return None


def _share_split_cues(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """`“A,” said Sanders as he left. “B.”`: the second half of a quote split by its cue
    clause has no cue of its own in the parse (a sentence break may fall between); it takes the
    first half's cue and speaker when nothing but that clause (or nothing) lies between them.
    A quote running on over a paragraph break (its marks left open) is the same quotation too."""
    text = ctx.document.text
    previous: Candidate | None = None
    for candidate in found:
        quote = candidate.quote
        assert quote is not None
        if (candidate.cue is None and candidate.kind == "direct" and previous is not None
                and previous.cue is not None and previous.quote is not None
                and (quote.continued
                     or ctx.paragraph_of(previous.quote.open) == ctx.paragraph_of(quote.open))):
            between = (previous.quote.outer_end, quote.open)
            cue_between = between[0] <= previous.cue[0] and previous.cue[1] <= between[1]
            if cue_between or not text[between[0] : between[1]].strip():
                candidate.cue, candidate.entry = previous.cue, previous.entry
                candidate.cue_token, candidate.subject = previous.cue_token, previous.subject
                candidate.stance = previous.stance
        previous = candidate
    return found


def _quote_cue(ctx: Context, quote: Quote, direct: bool) -> tuple[Token, Cue, Token | None] | None:
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


def _cueless_subject(ctx: Context, quote: Quote, direct: bool) -> Token | None:
    """A guess at who speaks a quote no cue introduces (resolution marks it uncertain)."""
    if not direct:
        return _governing_subject(ctx, quote)
    return None if quote.continued else _speaker_of_sentence_before(ctx, quote)


def _speaker_of_sentence_before(ctx: Context, quote: Quote) -> Token | None:
    """Who speaks in the sentence before ("Berg spoke about the storm.\n“We lost boats.”")."""
    index = ctx.sentence_of(quote.open) - 1
    if index < 0 or ctx.paragraph_of(quote.open) - ctx.paragraph_of(ctx.sentence_starts[index]) > 1:
        return None
    sentence = ctx.sentences[index]
    for token in sentence:
        if cue_for(token) and not inside_quote(ctx, token):
            subject = subject_of(token)
            if subject is not None and subject.pos_ != "PRON":
                return subject
    return None


def _is_headline(ctx: Context, paragraph: int) -> bool:
    """A short title-case line with no full stop: "Union Says Four Hurt in Ferry Crash"."""
    start = ctx.paragraph_starts[paragraph]
    end = (ctx.paragraph_starts[paragraph + 1] if paragraph + 1 < len(ctx.paragraph_starts)
           else len(ctx.document.text))
    line = ctx.document.text[start:end].strip()
    words = [w.strip("\"“”‘’'") for w in line.split()]
    capitalised = [w for w in words if w[:1].isupper()]
    return bool(words) and line[-1:] not in ".!?:" and len(capitalised) >= 0.6 * len(words)


def _governing_subject(ctx: Context, quote: Quote) -> Token | None:
    """For a fragment no cue governs ("backed the deal “in spirit”"): the subject of
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
        subject = subject_of(verb)
        if subject is None or subject.i in inside:
            return None  # '“No” came the answer': the quote is its own subject
        return subject if ctx.paragraph_of(subject.idx) == paragraph else None
    return None
