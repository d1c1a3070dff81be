"""Quotation marks that hold no one's words: titles of works, names and nicknames, scare quotes.

News puts quote marks around more than speech: the film "Harbour Lights", the informant known
as "Night Owl", the so-called "pause". Taken for quotations they credit a title to the actor
standing next to it, or make two articles that name the same film "corroborate" each other.
Each test here reads the shape of the sentence, never a list of names:

- a naming word right before the marks (a kind of work: "the film", "his album"; or a naming
  verb with nothing between: "known as", "nicknamed", "dubbed", "called");
- the quotation used as a modifier of the noun right after it ("the “Harbour Lights” star");
- title case: every word capitalised but the small ones, in a sentence that is not itself title
  case, with no full stop of its own ("credited “Night Owl” with the leak");
- the quotation inside the words that name the speaker of its own cue ("Rui Costa, the “Iron
  Captain”, said ...": the cue is Costa's, the marks are not his words);
- a short fragment (two to four words) with no verb that no cue governs and no person or body
  does the verb above: the author's scare quote ("the “new normal” of the port"), not words put
  in someone's mouth ("Silva agreed “in principle”" stays).

A quotation inside a title's "Name: …" statement is left alone (the title gives it a speaker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.attribution.context import PERSON_ROLES, Candidate, Context, inside_quote
from rashomon.attribution.quotes import Quote
from rashomon.terms import LETTER_WORD

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__: list[str] = []  # the package's own filter: nothing public here


# Kinds of work or name a quoted title follows ("the 1972 film “...”", "his nickname, “...”").
_WORK_NOUNS = frozenset({
    "film", "films", "movie", "movies", "book", "books", "novel", "memoir", "biography", "show",
    "shows", "series", "sitcom", "drama", "comedy", "album", "albums", "song", "songs", "single",
    "track", "hit", "episode", "episodes", "play", "musical", "opera", "documentary", "programme",
    "program", "poem", "painting", "franchise", "sequel", "title", "nickname", "moniker",
    "slogan", "hashtag", "headline", "column", "game", "video", "magazine", "newspaper",
    "exhibition", "tour", "campaign", "operation", "brand", "label", "codename", "alias",
})


# Naming verbs that put a name right after them ("known as “...”", "nicknamed “...”").
_NAMING_BEFORE = frozenset({
    "nicknamed", "dubbed", "called", "named", "titled", "entitled", "renamed", "christened",
    "billed", "branded", "styled",
})


_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "from", "by",
    "as", "de", "la", "le", "du", "von", "van", "vs", "v",
})


_MAX_FRAGMENT = 4  # words: a longer run of quoted words is as often speech as not


def word_set(text: str) -> list[str]:
    return LETTER_WORD.findall(text)


def _title_case(text: str) -> bool:
    """Every word capitalised but the small ones (and the first word capitalised)."""
    words = word_set(text)
    if not words or len(words) > 8 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _tokens_before(ctx: Context, quote: Quote, count: int) -> list[Token]:
    """Up to `count` tokens before the opening mark, nearest first, in its sentence and outside
    other quotations."""
    opening = ctx.token_at(quote.open)
    if opening is None:
        return []
    sentence_start = opening.sent.start
    found: list[Token] = []
    i = opening.i - 1
    while i >= sentence_start and len(found) < count:
        token = ctx.parsed[i]
        i -= 1
        if token.is_space:
            continue
        if inside_quote(ctx, token):
            break
        found.append(token)
    return found


def _after_close(ctx: Context, quote: Quote) -> Token | None:
    """The token right after the closing mark, if it is a word in the same line."""
    text = ctx.document.text
    at = quote.outer_end
    while at < len(text) and text[at] in " \t":
        at += 1
    token = ctx.token_at(at) if at < len(text) and text[at] != "\n" else None
    if token is None or not token.is_alpha:
        return None
    return token


def _after_naming_word(ctx: Context, candidate: Candidate, quote: Quote) -> bool:
    """"the 1972 film “...”", "a ferry nicknamed “...”", "known as “...”": a kind of work with
    a title (or a verbless one) right after it, or a naming verb no one does (a participle with
    no subject: "what he called “...”" is his words)."""
    before = _tokens_before(ctx, quote, 2)
    if not before:
        return False
    nearest = before[0]
    word = nearest.lower_
    if word in _WORK_NOUNS and nearest.pos_ in ("NOUN", "PROPN"):
        if candidate.cue_token is not None and nearest.head == candidate.cue_token:
            return False  # "called the show “the news show of record”": said of the show
        words = ctx.document.text[quote.start : quote.end]
        span = ctx.parsed.char_span(quote.start, quote.end, alignment_mode="expand")
        verbless = span is not None and not any(t.pos_ in ("VERB", "AUX") for t in span)
        return _title_case(words) or verbless
    if word in _NAMING_BEFORE:
        return not any(c.dep_ in ("nsubj", "nsubjpass") and c.i < nearest.i
                       for c in nearest.children) or nearest.dep_ in ("acl", "amod")
    return word == "as" and len(before) > 1 and before[1].lemma_.lower() in ("know", "bill")


def _modifies_next_noun(ctx: Context, quote: Quote) -> bool:
    """"the “Harbour Lights” star": the quotation stands before a noun it describes."""
    after = _after_close(ctx, quote)
    if after is None or after.pos_ not in ("NOUN", "PROPN") or not after.text[:1].islower():
        return False
    before = _tokens_before(ctx, quote, 1)
    return bool(before) and before[0].pos_ in ("DET", "PRON", "ADJ", "PART", "NUM", "ADP")


def _in_headline(ctx: Context, quote: Quote) -> bool:
    """A title-case line: most of its words, the quotation's aside, capitalised."""
    paragraph = ctx.paragraph_of(quote.open)
    start = ctx.paragraph_starts[paragraph]
    end = ctx.document.text.find("\n", start)
    line = ctx.document.text[start : len(ctx.document.text) if end == -1 else end]
    words = [w for w in word_set(line.replace(ctx.document.text[quote.start : quote.end], " "))
             if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in words if w[:1].isupper())
    return not words or capitalised >= 0.6 * len(words)


def _is_title(ctx: Context, candidate: Candidate, quote: Quote) -> bool:
    """A quoted title or name: title case in a sentence that is not, no full stop of its own;
    a direct one (at a sentence start) only when the sentence goes on right after its marks
    ("“Night Owl” died on Sunday"), not when a comma hands it to a cue."""
    words = ctx.document.text[quote.start : quote.end]
    if not _title_case(words) or any(mark in words for mark in ".!?") \
            or _in_headline(ctx, quote):
        return False
    if candidate.kind != "direct":
        return not _said_outright(ctx, candidate, quote)
    if "," in ctx.document.text[quote.end : quote.outer_end + 1]:
        return False  # "“Denver,” he answered": a comma hands the words to a cue
    after = _after_close(ctx, quote)
    return after is not None and after.text[:1].islower()


def _said_outright(ctx: Context, candidate: Candidate, quote: Quote) -> bool:
    """"said “CNN” five times": the quotation is the object of its own cue, words spoken."""
    cue = candidate.cue_token
    span = ctx.parsed.char_span(quote.start, quote.end, alignment_mode="expand")
    if cue is None or span is None:
        return False
    return span.root.head == cue and span.root.dep_ in ("dobj", "ccomp", "oprd")


def _inside_speaker_phrase(candidate: Candidate, quote: Quote) -> bool:
    """The marks lie inside the words naming the cue's own speaker, after the first of them (a
    quotation standing first is the parser hanging the speech on its speaker)."""
    subject, cue = candidate.subject, candidate.cue_token
    if subject is None or cue is None or candidate.kind == "direct":
        return False
    left, right = subject.left_edge, subject.right_edge
    if left.i <= cue.i <= right.i:
        return False  # "the man who said “...”": the cue is in the speaker's relative clause
    return left.idx < quote.open and quote.close < right.idx + len(right)


def _verbless_fragment(ctx: Context, candidate: Candidate, quote: Quote) -> bool:
    """Two to four quoted words with no verb that no cue governs and no one who could have said
    them does ("the “fix it” is no update", "the navy's “hot pursuit”"), outside the title line
    (a title's quoted words are someone's more often than not) and with no "!" or "?" (a chant).
    A person or body doing the verb above keeps them ("Silva agreed “in principle”", "the
    woman cried “my child”"): their words, though no lexicon cue says so."""
    if candidate.cue is not None or candidate.kind == "direct":
        return False
    if _could_speak(ctx, candidate.subject):
        return False
    words = ctx.document.text[quote.start : quote.end]
    if len(word_set(words)) > _MAX_FRAGMENT or "!" in words or "?" in words:
        return False
    if ctx.paragraph_of(quote.open) == 0:
        return False
    span = ctx.parsed.char_span(quote.start, quote.end, alignment_mode="expand")
    return span is not None and not any(t.pos_ in ("VERB", "AUX") for t in span)


def _could_speak(ctx: Context, subject: Token | None) -> bool:
    """A person or a body: a pronoun, a named person or organisation, a person's role."""
    if subject is None:
        return False
    if subject.pos_ == "PRON":
        return subject.lower_ not in ("it", "this", "that", "which", "what")
    name = ctx.name_at(subject)
    if name is not None and name.label in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return subject.lemma_.lower() in PERSON_ROLES or subject.lemma_.lower() in _SPEAKING_BODIES


# Bodies that speak though no name is given ("the ministry", "police").
_SPEAKING_BODIES = frozenset({
    "ministry", "government", "police", "court", "committee", "company", "union", "agency",
    "campaign", "party", "board", "council", "office", "department", "army", "military",
    "administration", "team", "club", "group", "family", "prosecutor", "spokesperson",
    # people speaking as many ("protesters chanted “...”", "attorneys objected to it as “...”")
    "attorney", "protester", "demonstrator", "critic", "researcher", "expert", "analyst",
    "resident", "fan", "supporter", "opponent", "activist", "voter", "worker", "doctor",
    "investigator", "crowd", "player", "student", "parent", "witness", "neighbor", "neighbour",
})


def not_speech(ctx: Context, candidate: Candidate) -> str | None:
    """Why a quotation candidate holds no one's words (a title, a name, a scare quote), or None
    when it may be speech."""
    quote = candidate.quote
    if quote is None:
        return None
    if _inside_speaker_phrase(candidate, quote):
        return "inside the words naming the speaker"
    if _after_naming_word(ctx, candidate, quote):
        return "a title or name after a naming word"
    if candidate.kind != "direct" and _modifies_next_noun(ctx, quote):
        return "describes the noun after it"
    if _is_title(ctx, candidate, quote):
        return "a title or name in title case"
    if _verbless_fragment(ctx, candidate, quote):
        return "a fragment with no verb and no cue"
    return None


def drop_not_speech(
    ctx: Context, quotes: list[Candidate], headlines: list[Candidate]
) -> list[Candidate]:
    """The quotation candidates less those that hold no one's words; a quotation inside a
    title's "Name: …" statement keeps the speaker the title gives it."""
    kept = []
    for candidate in quotes:
        in_title = any(h.content[0] <= candidate.content[0] and candidate.content[1] <= h.content[1]
                       for h in headlines)
        if in_title or not_speech(ctx, candidate) is None:
            kept.append(candidate)
    return kept
