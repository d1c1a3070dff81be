"""Reported speech turned into candidates: "X said that ...", "X denied the claim", "X, he
said, Y", "the money she says was stolen", "is expected to ...": the cue and what it reports."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from rashomon.attribution.context import (
    PERSON_ROLES,
    Candidate,
    Context,
    cue_span,
    inside_quote,
    speaker_conjunct,
    subject_of,
    subtree_bounds,
    within_paragraph,
)
from rashomon.attribution.cues import (
    ACCUSATION_PREPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    Cue,
    cue_for,
)
from rashomon.model import AttributionKind

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "NAMING_VERBS",
    "char_bounds",
    "clause_bounds",
    "cue_complement",
    "overlaps_direct_quote",
    "reported_candidates",
]


def clause_bounds(root: Token) -> tuple[int, int]:
    """A reported clause without a trailing ", citing ..." / ", as part of ...", the author's."""
    first, last = subtree_bounds(root)
    for child in root.rights:
        comma_before = child.i > 0 and child.nbor(-1).text == ","
        participle = child.dep_ == "advcl" and child.tag_ == "VBG"
        framing = child.dep_ == "prep" and child.lower_ == "as"
        if comma_before and (participle or framing):
            last = min(last, child.i - 1)
    doc = root.doc
    for i in range(root.i + 1, last):
        # ", which ..." at the end: the author's aside on the last thing named.
        if doc[i].text == "," and doc[i + 1].lower_ == "which" and doc[i + 1].head.dep_ == "relcl":
            last = i - 1
            break
    return first, last


# "asked Silva if ...": a question put to someone. Not "questioned if ..." or "wondered if
# ...": doubts, which a later denial must not take for a statement.
_ASKING = frozenset({"ask"})


NAMING_VERBS = frozenset({"call", "term", "label", "dub", "brand", "describe"})


_REFLEXIVES = frozenset({"itself", "himself", "herself", "themselves", "myself", "ourselves"})


def _naming_complement(cue_token: Token) -> tuple[int, int] | None:
    """"called the pact “insanity”": what is named and what it is called, together."""
    objects = [c for c in cue_token.children if c.dep_ == "dobj" and c.i > cue_token.i]
    predicates = [c for c in cue_token.children if objects and c.i > objects[0].i and (
        c.dep_ in ("oprd", "xcomp", "ccomp", "attr") or c.dep_ == "prep" and c.lower_ == "as")]
    if objects and not predicates and any(c.dep_ == "appos" for c in objects[0].rights):
        return subtree_bounds(objects[0])  # the parser's reading of 'called the plan “a X”'
    if not objects or not predicates:
        return None
    return subtree_bounds(objects[0])[0], subtree_bounds(predicates[-1])[1]


def _addressee_dropped(cue_token: Token, bounds: tuple[int, int]) -> tuple[int, int]:
    """"asked Silva about his statements", "asking them not to protest": the person asked is
    the addressee, not part of what was asked."""
    objects = [c for c in cue_token.children if c.dep_ in ("dobj", "dative") and c.i > cue_token.i]
    rest = [c for c in cue_token.children if c.i > cue_token.i and (
        c.dep_ in ("xcomp", "ccomp") or c.dep_ == "prep" and c.lower_ in ("about", "for", "if"))]
    if len(objects) == 1 and rest and objects[0].i < rest[0].i \
            and subtree_bounds(objects[0])[0] == bounds[0] \
            and (objects[0].pos_ in ("PRON", "PROPN") or objects[0].ent_type_
                 or objects[0].lemma_.lower() in PERSON_ROLES):
        return subtree_bounds(rest[0])[0], bounds[1]
    return bounds


def cue_complement(cue_token: Token, entry: Cue, particle: Token | None) -> tuple[int, int] | None:
    """Token bounds of what a cue reports: its clause, or its object for nominal cues."""
    bounds = _complement_of(cue_token, entry, particle)
    if bounds is not None and entry.lemma == "ask":
        return _addressee_dropped(cue_token, bounds)
    return bounds


def _complement_of(cue_token: Token, entry: Cue, particle: Token | None) -> tuple[int, int] | None:
    if entry.lemma in NAMING_VERBS and entry.quotes_only:
        return _naming_complement(cue_token)
    clauses = [c for c in cue_token.children if c.dep_ == "ccomp"]
    if not clauses and entry.lemma in _ASKING:
        # "asked Silva if the port will close": the parser makes the question an adverbial.
        clauses = [c for c in cue_token.children if c.dep_ == "advcl" and c.i > cue_token.i
                   and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)]
    if clauses:
        # "that" stays in: PolNeAR's contents (and a reader's) start with the complementiser.
        # Of several clauses, the first after the cue in its own paragraph: the parser links a
        # quote in the next paragraph to the cue as well.
        after = [c for c in clauses if c.i > cue_token.i and not any(
            "\n" in t.text for t in cue_token.doc[cue_token.i : c.i])]
        clause = after[0] if after else clauses[-1]
        first, last = _without_cue_conjunct(cue_token, clause, clause_bounds(clause))
        return first, _second_that_clause(cue_token, last)
    if entry.clause_only:
        return None  # a learned cue's object is as often a deed ("acknowledged the crowd")
    objects = [c for c in cue_token.children if c.dep_ in ("dobj", "dative")]
    answer = _one_word_answer(cue_token)
    if answer is not None and not objects:
        return answer.i, answer.i  # "said so", "said no"
    xcomps = [c for c in cue_token.children if c.dep_ == "xcomp" and c.i > cue_token.i]
    if (entry.stance == "belief" or entry.takes_infinitive) and xcomps and not objects:
        return clause_bounds(xcomps[0])  # "wants to end the strike"
    if not entry.takes_object:
        return None
    mislabelled = [] if objects else _mislabelled_objects(cue_token)
    parts = objects or mislabelled
    if particle is not None:
        parts += [c for c in particle.children if c.dep_ == "pobj"]
    if parts and entry.stance in ("directive", "belief"):
        parts += [
            c for c in cue_token.children
            if c.dep_ in ("xcomp", "advcl") and any(g.lower_ == "to" for g in c.children)
        ]
    if parts and entry.stance == "accusation":
        parts += [c for c in cue_token.children
                  if c.dep_ == "prep" and c.lower_ in ACCUSATION_PREPS]
    parts = [p for p in parts if p.lower_ not in _REFLEXIVES]  # "found itself", "revealed itself"
    if not parts:
        return None
    # Objects follow the verb; a "complement" before it is the parser reaching into a headline.
    bounds = [clause_bounds(p) for p in parts if p.i > cue_token.i and p.sent == cue_token.sent]
    if not bounds:
        return None
    first, last = min(b[0] for b in bounds), max(b[1] for b in bounds)
    last = _possessed_after(cue_token, last, possessed=bool(mislabelled))
    # "criticized the draft over its abortion plank": what the verb says about its object runs
    # on to a prepositional phrase right after it; not to the frame ("in a Facebook post",
    # "on Friday", "at a rally"), which is where, when and how it was said.
    for child in cue_token.rights:
        if child.i == last + 1 and child.dep_ == "prep" and child.lower_ not in _FRAME_PREPS:
            last = subtree_bounds(child)[1]
    return first, last


def _mislabelled_objects(cue_token: Token) -> list[Token]:
    """"affirmed Velmora's "yes"": a quoted word after the verb is often parsed as an
    interjection; with a possessive of its own it is plainly the object."""
    return [c for c in cue_token.rights if c.dep_ in ("intj", "dep", "npadvmod")
            and any(g.dep_ == "poss" for g in c.children)][:1]


def _one_word_answer(cue_token: Token) -> Token | None:
    """"Asked about the fee, Silva said no": "so", "yes" or "no" right after the cue is all it
    reports (the parser makes them adverbs or interjections, never objects)."""
    following = cue_token.nbor(1) if cue_token.i + 1 < len(cue_token.doc) else None
    if following is None or following.lower_ not in ("so", "yes", "no") \
            or following.head != cue_token:
        return None
    after = following.nbor(1) if following.i + 1 < len(cue_token.doc) else None
    return following if after is None or after.is_punct else None


def _second_that_clause(cue_token: Token, last: int) -> int:
    """"said the port needs cranes, but that she would not back a fee": a second "that"
    clause the parser coordinates with the cue is more of what was said."""
    for conj in cue_token.rights:
        if conj.dep_ == "conj" and conj.i > last and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in conj.children):
            between = cue_token.doc[last + 1 : min(t.i for t in conj.subtree)]
            if all(t.is_punct or t.dep_ == "cc" for t in between):
                return clause_bounds(conj)[1]
    return last


def _without_cue_conjunct(
    cue_token: Token, clause: Token, bounds: tuple[int, int]
) -> tuple[int, int]:
    """The reported clause up to a second verb of the speaker the parser hung on it
    (`speaker_conjunct`: "says the port lost money | and calls the plan ...")."""
    for conj in clause.rights:
        if conj.head == clause and conj.head.head == cue_token and speaker_conjunct(conj):
            last = min(t.i for t in conj.subtree) - 1
            while last > bounds[0] and (cue_token.doc[last].dep_ == "cc"
                                        or cue_token.doc[last].is_punct):
                last -= 1
            return bounds[0], min(bounds[1], last)
    return bounds


def _possessed_after(cue_token: Token, last: int, *, possessed: bool = False) -> int:
    """"confirmed Dornava’s “support” for the tariff": an object ending in a possessive names whose
    thing, and the thing comes after. The parser often hangs it (a quoted word above all) and
    what it takes ("for the tariff") on the verb; they belong to the object. `possessed`: the
    object is already such a thing (`_mislabelled_objects`)."""
    doc = cue_token.doc
    if last + 1 < len(doc) and doc[last + 1].lower_ in ("’s", "'s") and doc[last + 1].tag_ == "POS":
        last += 1  # the parser may hang the marker itself on the verb ("Kyiv | ’s")
    if doc[last].dep_ == "case" and doc[last].lower_ in ("’s", "'s", "’", "'") or \
            doc[last].tag_ == "POS":
        following = [c for c in cue_token.rights if c.i > last and not c.is_punct]
        if not following or following[0].dep_ in ("cc", "conj", "advcl", "ccomp", "xcomp") or \
                any(not t.is_punct for t in doc[last + 1 : following[0].i]):
            return last
        last = subtree_bounds(following[0])[1]
    elif not possessed:
        return last
    rest = [c for c in cue_token.rights if c.i > last and not c.is_punct]
    if rest and rest[0].dep_ == "prep" and rest[0].lower_ in _OBJECT_PREPS \
            and all(t.is_punct and t.text != "," for t in doc[last + 1 : rest[0].i]):
        last = subtree_bounds(rest[0])[1]
    return last


# Prepositions that complete a noun ("a vote on the levy", "support for the crews"), unlike
# those of the frame.
_OBJECT_PREPS = frozenset({"to", "for", "of", "against", "over", "about", "with"})


_FRAME_PREPS = frozenset({
    "in", "on", "at", "during", "via", "through", "from", "after", "before", "since", "while",
    "amid", "by", "to", "into", "with",
})


def char_bounds(ctx: Context, first: int, last: int) -> tuple[int, int] | None:
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
        elif quote.open < start <= quote.close < end:
            start = quote.open  # and one closed in it opens in it
    return start, end


def overlaps_direct_quote(ctx: Context, start: int, end: int) -> bool:
    """Reported speech whose clause is a direct quote is already that quote's attribution."""
    first = max(0, bisect.bisect_right(ctx.quote_opens, start) - 1)
    last = bisect.bisect_left(ctx.quote_opens, end)
    return any(start < q.outer_end and ctx.is_direct(q) for q in ctx.quotes[first:last])


def reported_candidates(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for token in ctx.parsed:
        hit = cue_for(token)
        if hit is None or inside_quote(ctx, token):
            continue
        entry, particle = hit
        if entry.quotes_only and entry.lemma not in NAMING_VERBS:
            continue
        impersonal = _impersonal_fragments(token, entry)
        fragments = _fronted_fragments(token) if not entry.quotes_only else None
        relative = _relative_clause_content(token) if not entry.quotes_only else None
        if impersonal is not None:
            fragments = impersonal
        elif relative is not None:
            fragments = relative
        elif fragments is None:
            bounds = cue_complement(token, entry, particle)
            fragments = [bounds] if bounds is not None else []
        spans = [char_bounds(ctx, *within_paragraph(ctx, token, *f)) for f in fragments]
        if not spans or any(c is None or overlaps_direct_quote(ctx, *c) for c in spans):
            continue
        subject = subject_of(token) if impersonal is None else None
        if impersonal is None and (subject is None or subject.lower_ == "you"):
            continue
        kind: AttributionKind = "belief" if entry.stance == "belief" else "indirect"
        for chars in spans:
            assert chars is not None
            found.append(Candidate(
                chars, kind, entry.stance, cue_span(token, particle), entry, token, subject,
                ctx.sentence_of(token.idx),
            ))
    return found


# Nouns that count what follows them: "thousands of sailors he says are trapped" is about the
# thousands, so the antecedent climbs from "sailors" to them.
_QUANTITY_NOUNS = frozenset({
    "thousands", "hundreds", "millions", "billions", "dozens", "tens", "scores", "number",
    "lot", "lots", "majority", "some", "many", "most", "all", "none", "half", "percent",
})


def _relative_clause_content(cue_token: Token) -> list[tuple[int, int]] | None:
    """"the money she says was stolen": a cue in a relative clause whose complement lacks its
    subject reports a claim about the noun the clause hangs on. The content is that noun phrase
    and the complement, two fragments sharing the cue ("the money" … "was stolen"), as for a
    quote split around its cue: one span would have to swallow the speaker and the cue, and the
    complement stays the clause downstream stages compare ("was stolen" against "was not
    stolen"); `bench/attribution.py` scores the pair as one discontinuous content.

    The small model often hangs such a complement on the main verb instead of the cue ("sailors
    he claims | are trapped"), so a finite clause starting right after the cue counts as well.
    """
    antecedent = _relative_antecedent(cue_token)
    if antecedent is None:
        return None
    if any(c.dep_ in ("dobj", "xcomp") and c.i > cue_token.i for c in cue_token.children):
        return None
    complement = _subjectless_complement(cue_token)
    if complement is None:
        return None
    while (antecedent.dep_ == "pobj" and antecedent.head.lower_ == "of"
           and antecedent.head.head.lower_ in _QUANTITY_NOUNS):
        antecedent = antecedent.head.head
    first = min(t.i for t in antecedent.subtree)
    clause_start = min(t.i for t in cue_token.subtree)
    if clause_start <= first:
        return None
    return [(first, clause_start - 1), (cue_token.i + 1, complement)]


def _relative_antecedent(cue_token: Token) -> Token | None:
    """The noun a relative clause around the cue hangs on: the parser's head for a "relcl";
    for a clause with no relative pronoun that the parser took for something else ("of
    “thousands of sailors” he claims are ..." as a parataxis), the noun right before the
    pronoun subject, a closing quote mark between them allowed."""
    subjects = [c for c in cue_token.children if c.dep_ in SUBJECT_DEPS and c.i < cue_token.i]
    if not subjects or subjects[0].lower_ in RELATIVE_PRONOUNS:
        return None  # "officials who say the port is shut": the clause has its own subject
    if cue_token.dep_ == "relcl":
        return cue_token.head if cue_token.head.pos_ in ("NOUN", "PROPN", "NUM") else None
    subject = subjects[0]
    if subject.pos_ != "PRON" or subject.i != cue_token.i - 1 or cue_token.dep_ == "ROOT":
        return None
    before = subject.i - 1
    while before >= 0 and cue_token.doc[before].text in _CLOSING_MARKS:
        before -= 1
    noun = cue_token.doc[before] if before >= 0 else None
    if noun is None or noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in _NOUN_PHRASE_DEPS:
        return None
    return noun


_CLOSING_MARKS = frozenset({"”", "’", '"', "'"})


# Where a noun ends a noun phrase a contact relative clause can follow.
_NOUN_PHRASE_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "attr", "appos", "conj"})


def _subjectless_complement(cue_token: Token) -> int | None:
    """The last token of the clause a relative cue reports when that clause has no subject of
    its own ("... she says | was stolen from the port"), else None."""
    clauses = [c for c in cue_token.children if c.dep_ == "ccomp" and c.i > cue_token.i]
    if clauses:
        verb = clauses[0]
    elif cue_token.i + 1 < len(cue_token.doc):
        following = cue_token.nbor(1)
        verb = following.head if following.dep_ in ("aux", "auxpass") else following
        finite = following.tag_ in ("VBZ", "VBP", "VBD", "MD")
        if not finite or verb.pos_ not in ("VERB", "AUX") or verb.i < cue_token.i:
            return None
    else:
        return None
    # A subject before the cue is the parser reaching back across it ("his claim about the
    # sailors he claims | are trapped" read as "claim ... are trapped").
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > cue_token.i for c in verb.children):
        return None
    return clause_bounds(verb)[1]


_IMPERSONAL_PASSIVES = frozenset({"expect", "report", "believe", "think", "say", "predict",
                                  "estimate", "project", "rumor", "know", "consider"})


def _impersonal_fragments(cue_token: Token, entry: Cue) -> list[tuple[int, int]] | None:
    """"Obama’s veto is expected to come before Friday": a passive cue with no one named; the
    content is its subject and what follows the cue (the speaker stays unknown)."""
    if entry.lemma not in _IMPERSONAL_PASSIVES:
        return None
    children = list(cue_token.children)
    if not any(c.dep_ == "auxpass" for c in children) or any(c.dep_ == "agent" for c in children):
        return None
    subjects = [c for c in children if c.dep_ == "nsubjpass" and c.i < cue_token.i]
    rest = [c for c in children if c.dep_ in ("xcomp", "ccomp") and c.i > cue_token.i]
    if not subjects or not rest or subjects[0].pos_ == "PRON":
        return None
    return [subtree_bounds(subjects[0]), clause_bounds(rest[0])]


def _parenthetical_fragments(cue_token: Token) -> list[tuple[int, int]] | None:
    """"The good news, Woolson said, is that ...": the parser hangs the reporting clause from
    the reported one; the content is that clause around it."""
    first, last = subtree_bounds(cue_token.head)
    inner_first, inner_last = subtree_bounds(cue_token)
    sentence = cue_token.sent
    first, last = max(first, sentence.start), min(last, sentence.end - 1)
    fragments = [(first, inner_first - 1)] if inner_first > first else []
    if inner_last < last:
        fragments.append((inner_last + 1, last))
    return fragments or None


def _fronted_fragments(cue_token: Token) -> list[tuple[int, int]] | None:
    """The content of a reporting clause put after it ("X, police said." / "X, he said, Y").

    The content is the sentence up to the reporting clause (adverbials the parser hangs on
    the cue included: "A day earlier, ..."), plus what the reported clause runs on to after it;
    two fragments give two attributions sharing the cue, as a split quote does. None when the
    reported clause does not come first.
    """
    clauses = [c for c in cue_token.children if c.dep_ == "ccomp"]
    if not clauses and cue_token.dep_ == "parataxis" and cue_token.head.pos_ in ("VERB", "AUX"):
        return _parenthetical_fragments(cue_token)
    if len(clauses) != 1 or clauses[0].i > cue_token.i:
        return None
    clause_first, clause_last = subtree_bounds(clauses[0])
    own = [cue_token] + [t for c in cue_token.children if c.i > clause_last and not c.is_punct
                         and c.dep_ not in ("ccomp", "conj", "cc", "advcl") for t in c.subtree]
    left, right = min(t.i for t in own), max(t.i for t in own)
    if left <= clause_first:
        return None
    first = min(cue_token.sent.start, clause_first)
    fragments = [(first, left - 1)]
    if clause_last > right:
        fragments.append((right + 1, clause_last))
    return fragments
