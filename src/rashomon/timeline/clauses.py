"""What the parse says about a date expression: the tense of its sentence (before or after the
document date) and the event it dates, as a short clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Tense",
    "event_text",
    "sentence_tense",
]

_FUTURE_VERBS = frozenset(["schedule", "plan", "expect", "due", "set", "intend", "prepare",
                           "hope", "aim", "promise", "vow", "pledge"])
# "would" is the future of reported speech: "she said divers would inspect the hull on Thursday"
_FUTURE_MARKERS = frozenset(["will", "'ll", "’ll", "shall", "would"])
_EVENT_MAX_TOKENS = 14
_INNER_CLAUSES = frozenset({"relcl", "ccomp", "advcl", "acl", "appos", "parataxis"})


def _char_span(parsed: Doc, start: int, end: int) -> Span | None:
    return parsed.char_span(start, end, alignment_mode="expand")


def _governor(span: Span) -> Token:
    """The word a date expression attaches to: the verb it modifies, or the noun ("a Friday
    post", "March 11 talks")."""
    # spaCy makes a new Token object on every access, so tokens are compared by index: an
    # identity test ("head is token") is never true and would loop forever at the root.
    token = span.root
    while token.head.i != token.i and span.start <= token.head.i < span.end:
        token = token.head
    head = token.head
    if head.i == token.i:
        return token
    if token.dep_ in {"compound", "nmod", "amod", "npadvmod"} and head.pos_ in {"NOUN", "PROPN"} \
            and head.i > token.i:
        while head.dep_ == "compound" and head.head.i > head.i:  # "a Friday Facebook post"
            head = head.head
        return head
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        if head.pos_ == "NOUN" and head.dep_ in {"pobj", "dobj", "nsubj"} and head.i < span.start:
            return head  # "talks in Dornach on Tuesday": the talks
        head = head.head
    # "having, on Monday, been at the summit": the auxiliary's verb (the small model often hangs
    # the gerund "having" off the participle as its subject)
    while head.head.i != head.i and (head.dep_ in {"aux", "auxpass"} or (
            head.tag_ == "VBG" and head.lemma_ in {"have", "be"}
            and head.head.pos_ in {"VERB", "AUX"})):
        head = head.head
    return head


@dataclass(frozen=True, slots=True)
class Tense:
    """Whether a dated event lies after the document date, and whether the sentence says so
    clearly enough to tell (a plan reported in the past, or no verb at all, does not)."""

    future: bool
    sure: bool = True


def _is_future(parsed: Doc, start: int, end: int) -> bool:
    """Whether the sentence puts the dated event after the document date (see `tense`)."""
    return sentence_tense(parsed, start, end).future


def sentence_tense(parsed: Doc, start: int, end: int) -> Tense:
    """Whether the sentence puts the dated event after the document date: "will meet on
    Friday", "is going to", "are set / due / expected / scheduled to meet", "next Friday".
    The first verb up the tree in the past tense settles it the other way ("was set to"),
    except a deadline ("by Friday") outside the past perfect."""
    span = _char_span(parsed, start, end)
    if span is None:
        return Tense(False, sure=False)
    if re.match(r"(?:next|tomorrow|later)\b", span.text, re.IGNORECASE):
        return Tense(True)
    # a deadline ("reopen by Friday morning") lies ahead unless the clause is past perfect
    deadline = span.start > 0 and parsed[span.start - 1].lower_ == "by"
    verb = _governor(span)
    for token in (verb, *verb.ancestors):
        # "due" and "set" are often tagged adjectives: "was due to open on Saturday"
        if token.pos_ not in {"VERB", "AUX"} and not (
                token.lemma_ in _FUTURE_VERBS and any(c.dep_ == "xcomp" for c in token.children)):
            continue
        aux = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
        past = token.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux) or (
            token.pos_ == "ADJ" and token.head.tag_ == "VBD")  # "were due to": the copula
        if any(c.lower_ in _FUTURE_MARKERS for c in aux):
            return Tense(True)
        planned = token.lemma_ in _FUTURE_VERBS or (token.lower_ == "going"
                                                    and token.tag_ == "VBG")
        if planned and any(c.dep_ == "xcomp" for c in token.children):
            # A plan reported in the past ("were due to meet on Friday") is read as past, but
            # it may not have happened yet: marked unsure. A deadline ("was expected to reopen
            # by Friday") still points ahead.
            return Tense(not past or deadline, sure=not past or deadline)
        if past:
            return Tense(deadline and not any(c.lower_ == "had" for c in aux))
    # no verb up the tree says past or future ("the talks open on Friday"): read as past,
    # as most dated events in news are, but unsure, unless a deadline points ahead
    return Tense(deadline, sure=deadline)


def event_text(parsed: Doc, start: int, end: int) -> str:
    """The clause a date expression attaches to, in short: its subject, verb and objects
    ("the envoy had met the mayor"), or the noun it dates ("post on her Telegram channel")."""
    span = _char_span(parsed, start, end)
    if span is None:
        return ""
    head = _governor(span)
    date_tokens = set(range(span.start, span.end))
    event = _clause(parsed, head, date_tokens)
    root = span.sent.root
    if _is_fragment(head, event) and root.i != head.i and root.pos_ in {"VERB", "AUX"}:
        # "at 10 local time today": the noun the date hangs on says nothing of what happened;
        # the sentence's main clause does
        event = _clause(parsed, root, date_tokens)
    return event


def _is_fragment(head: Token, event: str) -> bool:
    """An event of a word or two and no verb ("local time", "Iraqi-bound cargo")."""
    return head.pos_ not in {"VERB", "AUX"} and len(event.split()) < 3


def _clause(parsed: Doc, head: Token, date_tokens: set[int]) -> str:
    """`head` with its subject and objects, short, without the date expression's words."""
    skip_deps = {"ccomp", "advcl", "conj", "relcl", "punct", "cc", "parataxis", "mark", "appos",
                 "acl", "npadvmod", "xcomp", "dep"}
    keep: set[int] = {head.i}
    for child in head.children:
        if child.i in date_tokens or child.dep_ in skip_deps:
            continue
        subtree = _pruned_subtree(child, _INNER_CLAUSES)
        if date_tokens & set(subtree):
            subtree = [i for i in subtree if i not in date_tokens
                       and parsed[i].dep_ not in {"prep"} or i == child.i]
            subtree = [i for i in subtree if i not in date_tokens]
            if child.dep_ == "prep" and len(subtree) <= 1:
                continue
        keep.update(subtree)
    if head.pos_ in {"VERB", "AUX"} and not any(parsed[i].dep_.startswith("nsubj") for i in keep):
        subject = _borrowed_subject(head)
        if subject is not None:
            keep.update(t.i for t in subject.subtree if t.dep_ != "appos")
    # the gerund "having" the small model hangs in as a subject says nothing of the event
    order = sorted(i for i in keep if not parsed[i].is_space and not (
        i != head.i and parsed[i].tag_ == "VBG" and parsed[i].lemma_ in {"have", "be"}))
    if len(order) > _EVENT_MAX_TOKENS:
        nearest = sorted(order, key=lambda i: abs(i - head.i))[:_EVENT_MAX_TOKENS]
        order = sorted(nearest)
    words: list[str] = []
    previous = None
    for i in order:
        token = parsed[i]
        if previous is not None and i != previous + 1:
            words.append(" ")
        words.append(token.text_with_ws if i != order[-1] else token.text)
        previous = i
    joined = re.sub(r"\s+", " ", "".join(words))
    joined = re.sub(r"(?:\s*,)+\s*,", ",", joined).strip(" ,;:—–-")
    # the relative word that opens a relative clause is not part of the event
    return re.sub(r"^(?:where|when|which|that|who|while)\s+", "", joined)


def _pruned_subtree(token: Token, skip: frozenset[str]) -> list[int]:
    """A token's subtree without the clauses hanging inside it ("Saudi Arabia, where ...")."""
    found = [token.i]
    for child in token.children:
        if child.dep_ not in skip:
            found.extend(_pruned_subtree(child, skip))
    return found


def _borrowed_subject(verb: Token) -> Token | None:
    """ "Silva, after meeting Berg on Thursday, said": meeting's subject is Silva."""
    for ancestor in verb.ancestors:
        for child in ancestor.children:
            # only a subject named before: one after belongs to another clause
            if child.dep_ in {"nsubj", "nsubjpass"} and child.i < verb.i:
                return child
    return None

