"""Named mentions in one document.

`extract_mentions` reads spaCy's NER and repairs the slips a small model makes on news text: a
title glued to a name ("President Ana Silva"), a lone surname tagged ORG, a town tagged PERSON,
capitalised headings read as names. The words in front of a person ("Harbour spokesman") are kept
as the mention's `role`; the span itself covers the name only, so `document.slice(m.span) ==
m.text` always holds. Role-only phrases ("the Harbour spokesperson") and epithets ("the former
spy chief") that refer back to a person are returned too, for linking to resolve.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.entities.names import (
    ADMIN_UNITS,
    EPITHET_LABEL,
    LABEL_PRIORITY,
    MENTION_LABELS,
    NAME_PARTICLES,
    POSSESSIVES,
    ROLE_LABEL,
    PersonName,
    is_honorific,
    is_title,
    name_key,
    person_name,
    role_refers_to,
    strip_possessive,
    word_key,
)
from rashomon.model import Document, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_mentions"]

# The small model tags many places as PRODUCT ("Dornach"); such mentions are kept only when the
# document shows elsewhere what they are.
_REPAIRABLE_LABELS = frozenset(MENTION_LABELS) | {"PRODUCT"}
# Capitalised heads of institutions the small model often leaves untagged ("the General Staff").
_INSTITUTION_HEADS = frozenset("""
    Staff Ministry Council Committee Agency Office Parliament Army Commission Court Department
    Service Bureau Senate Congress Government Administration Command Guard Navy Police Party
    Assembly Cabinet Directorate Inspectorate
""".split())
# A country's armed forces as a body: "the Norvalian military", "Velmora’s army". Bare
# "forces" is left out: "Norvalian forces regrouped" means troops, not the institution.
_MILITARY_NOUNS: tuple[tuple[str, ...], ...] = (("armed", "forces"), ("military",), ("army",))
# "the key city of Velmora", "the recapture of Ambleford": what follows is a place.
_PLACE_BEFORE_OF = frozenset(
    "city town village region province capital outskirts recapture retaking liberation".split()
)
_PLACE_AFTER = frozenset("region oblast province district city town village governorate".split())
_EPITHET_MARKERS = frozenset("former ex ex- onetime one-time longtime veteran".split())
_MAX_ROLE_TOKENS = 6


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Candidate:
    """A mention being built: token range of the name, its label, and its role tokens."""

    start: int
    end: int
    label: str
    role_start: int | None = None


def extract_mentions(document: Document, parsed: Doc) -> list[Mention]:
    """Named mentions of one document: NER repaired by rules, with the role before a person.

    Role phrases that refer back to a person introduced with that role ("the Harbour spokesman")
    are returned too, labelled `ROLE_LABEL`; `link_entities` resolves them.
    """
    candidates = [candidate for ent in parsed.ents
                  for candidate in _candidates_from_entity(parsed, ent.start, ent.end, ent.label_)]
    candidates += _institution_candidates(parsed, candidates)
    candidates.sort(key=lambda c: c.start)
    candidates = _split_surname_pairs(parsed, candidates)
    candidates = _relabel(parsed, candidates)
    candidates = _military_candidates(parsed, candidates)
    candidates = _drop_unconfirmed_in_headings(parsed, candidates)
    candidates = _drop_title_fragments(parsed, candidates)
    for candidate in candidates:
        if candidate.label == "PERSON":
            candidate.role_start = _role_start(parsed, candidate.start)
    mentions = [m for c in candidates if (m := _to_mention(document, parsed, c)) is not None]
    mentions.extend(_role_mentions(document, parsed, mentions))
    return sorted(mentions, key=lambda m: (m.span.start, m.span.end))


def _candidates_from_entity(parsed: Doc, start: int, end: int, label: str) -> list[_Candidate]:
    """One NER entity, trimmed to its name; split in two at an inner possessive."""
    if label not in _REPAIRABLE_LABELS:
        return []
    for index in range(start + 1, end - 1):
        # "Duarte’s Moscow" is two names, not one organisation
        if parsed[index].tag_ == "POS" or parsed[index].text in POSSESSIVES:
            return (_candidates_from_entity(parsed, start, index, label)
                    + _candidates_from_entity(parsed, index + 1, end, label))
    start, end = _trim(parsed, start, end, label)
    if start >= end or not _looks_like_name(parsed, start, end):
        return []
    return [_Candidate(start, end, label)]


def _trim(parsed: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop a leading "the", titles and honorifics glued to a person, and a trailing possessive."""
    def glued_in_front(token: Token) -> bool:
        if token.lower_ == "the":
            return True
        return label == "PERSON" and (is_title(token.text) or is_honorific(token.text))

    def trailing(token: Token) -> bool:
        return token.tag_ == "POS" or token.is_punct or token.is_space

    while start < end and glued_in_front(parsed[start]):
        start += 1
    while start < end and trailing(parsed[end - 1]):
        end -= 1
    return start, end


def _looks_like_name(parsed: Doc, start: int, end: int) -> bool:
    """Capitalised words and name particles only: "Ctrl + Enter" is not a person."""
    words = [t.text for t in parsed[start:end]]
    if not any(c.isalpha() for w in words for c in w):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in NAME_PARTICLES
               or w in POSSESSIVES or w in {"-", ".", "’", "'"} for w in words)


def _candidate_text(parsed: Doc, candidate: _Candidate) -> str:
    return parsed[candidate.start : candidate.end].text


def _full_names(parsed: Doc, candidates: Iterable[_Candidate]) -> dict[int, PersonName]:
    """The multi-word person names of the document, by the start token of their mention."""
    names: dict[int, PersonName] = {}
    for candidate in candidates:
        if candidate.label == "PERSON":
            name = person_name(_candidate_text(parsed, candidate))
            if name is not None and name.full:
                names[candidate.start] = name
    return names


def _surnames(parsed: Doc, candidates: Iterable[_Candidate]) -> set[str]:
    return {name.surname for name in _full_names(parsed, candidates).values()}


def _split_surname_pairs(parsed: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """"Silva Berg" in a heading is two people: split a person made only of others' surnames."""
    names = _full_names(parsed, candidates)
    result: list[_Candidate] = []
    for candidate in candidates:
        others = [n for start, n in names.items() if start != candidate.start]
        surnames = {n.surname for n in others}
        firsts = {n.first for n in others}
        keys = [word_key(t.text) for t in parsed[candidate.start : candidate.end]]
        if (candidate.start in names and len(keys) > 1
                and all(k in surnames and k not in firsts for k in keys)):
            result.extend(_Candidate(i, i + 1, "PERSON")
                          for i in range(candidate.start, candidate.end))
        else:
            result.append(candidate)
    return result


def _relabel(parsed: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Give each mention the label the whole document supports; drop unresolved PRODUCTs."""
    surnames = _surnames(parsed, candidates)

    def is_surname(candidate: _Candidate) -> bool:
        single = candidate.end - candidate.start == 1
        return single and word_key(_candidate_text(parsed, candidate)) in surnames

    for candidate in candidates:
        single = candidate.end - candidate.start == 1
        if candidate.label in {"ORG", "PRODUCT"} and is_surname(candidate):
            candidate.label = "PERSON"  # the small model often reads a lone surname as ORG
        elif candidate.label != "NORP" and (candidate.label != "PERSON" or single):
            # a full name is a person whatever precedes it ("the fall of Ana Silva")
            if not is_surname(candidate) and _has_place_cue(parsed, candidate):
                candidate.label = "GPE"
    votes = _label_votes(parsed, candidates)
    kept: list[_Candidate] = []
    for candidate in candidates:
        key = name_key(_candidate_text(parsed, candidate))
        single = candidate.end - candidate.start == 1
        voted = (single or candidate.label == "PRODUCT") and not is_surname(candidate)
        if voted and votes.get(key):
            candidate.label = _winning_label(votes[key], candidate.label)
        if candidate.label in MENTION_LABELS:
            kept.append(candidate)
    return kept


def _has_place_cue(parsed: Doc, candidate: _Candidate) -> bool:
    """ "Dornach Oblast", "the Dornach region", "the city of Velmora", "the recapture of Ambleford"."""
    if parsed[candidate.end - 1].lower_ in ADMIN_UNITS and candidate.end - candidate.start > 1:
        return True
    following = parsed[candidate.end] if candidate.end < len(parsed) else None
    if following is not None and following.text in _PLACE_AFTER:
        return True
    if candidate.start >= 2 and parsed[candidate.start - 1].lower_ == "of":
        return parsed[candidate.start - 2].lower_ in _PLACE_BEFORE_OF
    return False


def _label_votes(parsed: Doc, candidates: Sequence[_Candidate]) -> dict[str, Counter[str]]:
    votes: dict[str, Counter[str]] = {}
    for candidate in candidates:
        if candidate.label != "PRODUCT":
            key = name_key(_candidate_text(parsed, candidate))
            votes.setdefault(key, Counter())[candidate.label] += 1
    return votes


def _winning_label(votes: Counter[str], own: str) -> str:
    best = max(votes.values())
    if votes.get(own) == best:
        return own
    return next(label for label in LABEL_PRIORITY if votes.get(label) == best)


def _heading_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines that look like headings: short, no closing punctuation,
    (almost) every word capitalised. Casing there says nothing about names."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        words = [w for w in line.split() if any(c.isalpha() for c in w)]
        capitalised = sum(1 for w in words if w.lstrip("\"'“‘(")[:1].isupper())
        closed = line.rstrip().endswith((".", "!", "?", ":", "”", "\""))
        if words and len(words) <= 20 and not closed and capitalised / len(words) >= 0.6:
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


def _drop_unconfirmed_in_headings(parsed: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep a name found in a heading only when the body names it too."""
    headings = _heading_lines(parsed.text)

    def in_heading(candidate: _Candidate) -> bool:
        start = parsed[candidate.start].idx
        return any(a <= start < b for a, b in headings)

    body_keys: set[str] = set()
    for candidate in candidates:
        if not in_heading(candidate):
            body_keys.update(_confirming_keys(parsed, candidate))
    return [c for c in candidates if not in_heading(c) or (
        not _all_caps_line(parsed, c) and _confirming_keys(parsed, c) & body_keys)]


def _confirming_keys(parsed: Doc, candidate: _Candidate) -> set[str]:
    text = _candidate_text(parsed, candidate)
    keys = {name_key(text)}
    if candidate.label == "PERSON":
        name = person_name(text)
        if name is not None:
            keys.add("surname:" + name.surname)
    return keys


def _all_caps_line(parsed: Doc, candidate: _Candidate) -> bool:
    text = parsed.text
    start = parsed[candidate.start].idx
    end = text.find("\n", start)
    line = text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) > 1 and all(c.isupper() for c in letters)


def _drop_title_fragments(parsed: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "National Security" in "National Security Advisor Jane Holloway" is part of a title, not an
    organisation; a capitalised title word right after it is the sign ("Harbour spokesman" keeps
    its Harbour)."""
    person_starts = {c.start for c in candidates if c.label == "PERSON"}
    kept: list[_Candidate] = []
    for candidate in candidates:
        following = parsed[candidate.end] if candidate.end < len(parsed) else None
        if (candidate.label == "ORG" and following is not None and is_title(following.text)
                and following.text[0].isupper() and following.i + 1 in person_starts):
            continue
        kept.append(candidate)
    return kept


def _institution_candidates(parsed: Doc, candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """ "the General Staff", "Ukraine’s Defence Ministry": capitalised words ending in an
    institution noun, after "the" or a possessive, that the NER left out."""
    covered = {i for c in candidates for i in range(c.start, c.end)}
    found: list[_Candidate] = []
    for token in parsed:
        if token.text not in _INSTITUTION_HEADS or token.i in covered:
            continue
        start = token.i
        while start - 1 >= 0 and start - 1 not in covered and _is_proper_word(parsed[start - 1]):
            start -= 1
        if start == token.i or start == 0:
            continue  # a lone "Staff" or "Party" is too vague to name anything
        before = parsed[start - 1]
        if before.lower_ == "the" or before.tag_ == "POS" or before.ent_type_ in {"NORP", "GPE"}:
            found.append(_Candidate(start, token.i + 1, "ORG"))
    return found


def _military_candidates(parsed: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "the Norvalian military", "Velmora’s army": one organisation, the country's armed
    forces, not the country; the country's mention is widened to cover the noun."""
    by_end = {c.end: c for c in candidates}
    covered = {i for c in candidates for i in range(c.start, c.end)}
    surnames = _surnames(parsed, candidates)
    widened: dict[int, _Candidate] = {}  # start of the country's mention -> the military
    for token in parsed:
        end = _military_noun_end(parsed, token.i)
        if end is None or token.i in covered:  # already part of a name ("the Norvalian Army")
            continue
        owner_end = token.i - 1 if token.i > 0 and parsed[token.i - 1].tag_ == "POS" else token.i
        owner = by_end.get(owner_end)
        if owner is not None and _can_own_military(parsed, owner, surnames):
            widened[owner.start] = _Candidate(owner.start, end, "ORG")
    return [widened.get(c.start, c) if c.end in by_end and by_end[c.end] is c else c
            for c in candidates]


def _military_noun_end(parsed: Doc, index: int) -> int | None:
    """End of "military", "army" or "armed forces" used as a noun at `index`, or None:
    "military gains" is an adjective, and bare "forces" are troops, not an institution."""
    first = parsed[index].lower_
    for words in _MILITARY_NOUNS:
        if words[0] != first:
            continue  # most words start none of the nouns: no slice of the parse made for them
        end = index + len(words)
        if end <= len(parsed) and tuple(t.lower_ for t in parsed[index:end]) == words:
            return end if parsed[end - 1].tag_.startswith("NN") else None
    return None


def _can_own_military(parsed: Doc, owner: _Candidate, surnames: set[str]) -> bool:
    """A nation's adjective or a place; a lone word the NER mislabelled ("Velmora" as a
    person) too, unless it is the surname of someone the article names."""
    if owner.label in {"NORP", "GPE", "LOC"}:
        return True
    single = owner.end - owner.start == 1
    return single and word_key(_candidate_text(parsed, owner)) not in surnames


def _is_proper_word(token: Token) -> bool:
    return token.text[:1].isupper() and token.tag_ in {"NNP", "NNPS"}


def _role_start(parsed: Doc, name_start: int) -> int | None:
    """First token of the role phrase right before a person's name, or None.

    The phrase is a run of modifiers ending in a title word: "Harbour spokesman", "U.S.
    President", "Ukraine’s Foreign Minister".
    """
    head = name_start - 1
    # Only a known title word heads a role: the parse of "posts on X praise the mayor’s plea"
    # makes "speculate" a noun compounded to the name.
    if head < 0 or not is_title(parsed[head].text):
        return None
    start = head
    while (start - 1 >= 0 and head - start + 1 < _MAX_ROLE_TOKENS
           and _is_role_modifier(parsed[start - 1])):
        start -= 1
    while parsed[start].tag_ == "POS":  # a possessive needs its owner
        start += 1
    return start


def _is_role_modifier(token: Token) -> bool:
    if token.is_space or token.ent_type_ in {"PERSON", "DATE", "TIME", "CARDINAL"}:
        return False
    if is_title(token.text) or token.tag_ == "POS":
        return True
    return token.tag_ in {"NNP", "NNPS", "JJ", "NN"} and not token.is_punct


def _to_mention(document: Document, parsed: Doc, candidate: _Candidate) -> Mention | None:
    start = parsed[candidate.start].idx
    last = parsed[candidate.end - 1]
    end = last.idx + len(strip_possessive(last.text))
    if end <= start:
        return None
    role = None
    if candidate.role_start is not None:
        role = parsed[candidate.role_start : candidate.start].text.strip()
    span = document.span(start, end)
    return Mention(span=span, text=document.slice(span), label=candidate.label, role=role or None)


# --------------------------------------------------------------------------- role mentions
def _role_mentions(document: Document, parsed: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """ "the harbour spokesman" after "Harbour spokesman Teodor Brannik": a ROLE mention.

    Only phrases with an antecedent are returned, so that every ROLE mention can be resolved.
    """
    persons = [m for m in mentions if m.label == "PERSON" and m.role]
    found: list[Mention] = []
    for token in parsed:
        if not is_title(token.text) or token.tag_ not in {"NN", "NNP"}:
            continue
        following = parsed[token.i + 1] if token.i + 1 < len(parsed) else None
        if following is not None and (following.ent_type_ == "PERSON" or following.tag_ == "NNP"):
            continue  # a title in front of a name, already the role of that mention
        start = token.i
        while (start - 1 >= 0 and _is_role_modifier(parsed[start - 1])
               and parsed[start - 1].tag_ != "POS"):
            start -= 1
        if start == 0 or parsed[start - 1].lower_ != "the":
            continue
        span = document.span(parsed[start].idx, token.idx + len(token.text))
        phrase = document.slice(span)
        if any(p.span.end <= span.start and role_refers_to(phrase, p.role) for p in persons):
            found.append(Mention(span=span, text=phrase, label=ROLE_LABEL, role=phrase))
        elif _is_epithet(parsed[start : token.i + 1]) and any(
                m.label == "PERSON" and m.span.end <= span.start for m in mentions):
            found.append(Mention(span=span, text=phrase, label=EPITHET_LABEL, role=phrase))
    return found


def _is_epithet(tokens: Iterable[Token]) -> bool:
    """ "former spy chief", "ex-Soviet leader": a person described, not a role in office. A
    bare "the spokesman" without an antecedent is too vague to be one."""
    listed = list(tokens)
    words = [t.lower_ for t in listed]
    marked = any(w in _EPITHET_MARKERS or w.startswith("ex-") for w in words)
    named = any(t.text[:1].isupper() for t in listed[:-1])
    return marked and (named or len(words) >= 2)
