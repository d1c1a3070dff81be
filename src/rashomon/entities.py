"""Named mentions in one document, and the real-world entities they refer to across documents.

`extract_mentions` reads spaCy's NER and repairs the slips a small model makes on news text: a
title glued to a name ("President Ana Silva"), a lone surname tagged ORG, a town tagged PERSON,
capitalised headings read as names. The words in front of a person ("Harbour spokesman") are kept
as the mention's `role`; the span itself covers the name only, so `document.slice(m.span) ==
m.text` always holds.

`link_entities` works from mentions alone (they come back from the store, without a parse):
first within each document, where a bare surname means the full name the article introduced,
then across documents, where spelling variants and transliterations of one name are merged but
people who merely share a surname are not.

Role-only mentions ("the Harbour spokesperson", "the Norvalian leader") are linked to the person
introduced with that role; epithets ("the former spy chief", label `EPITHET_LABEL`) to the
person the preceding sentences are about, and kept as framing signals (`epithets`). A user alias
file (`load_alias_file`, CSV or YAML) forces merges and splits. Places keep their level: a city
is linked to its country by `place_links`, never merged into it.

A country's armed forces ("the Norvalian military", "Norvalia’s army", "the Norvalian armed
forces") are an organisation, not the country, and are linked to the body that speaks for them
(`_link_militaries`): the one general staff, high command or defence ministry of that country
the story mentions. The country's adjective and name are matched by the stem the documents
themselves use ("Norvalian" / "Norvalia"), without a demonym table, so irregular pairs
("French" / "France") are not matched. A body owned by another nation is never taken; one with
no owner or owned by a place not known as a nation (a city, such as a capital) is taken only
when it is the one candidate in the military's own documents.

Not done: a capital standing for its government by itself ("Dornava said" for Norvalia's
government) needs a table of capitals these rules do not have; such mentions stay the city.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rashomon.model import Document, Entity, Mention, Span

if TYPE_CHECKING:
    from rashomon.settings import Settings
    from spacy.tokens import Doc, Token

__all__ = [
    "AliasRules",
    "EPITHET_LABEL",
    "MENTION_LABELS",
    "NameIndex",
    "ROLE_LABEL",
    "entity_for_name",
    "epithets",
    "extract_mentions",
    "link_entities",
    "load_alias_file",
    "name_key",
    "place_links",
    "user_aliases",
]

MENTION_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
ROLE_LABEL = "ROLE"  # "the Harbour spokesman": a role phrase standing for a person named earlier
# "the former spy chief": a descriptive phrase for a person that the article never gave as a
# role; kept as a framing signal (`Mention.role` holds the phrase) and linked when unambiguous.
EPITHET_LABEL = "EPITHET"
_DESCRIPTIVE = frozenset({ROLE_LABEL, EPITHET_LABEL})  # phrases that stand for a name

# The small model tags many places as PRODUCT ("Dornach"); such mentions are kept only when the
# document shows elsewhere what they are.
_REPAIRABLE_LABELS = frozenset(MENTION_LABELS) | {"PRODUCT"}
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Among tied votes for a mention's label, the first wins.
_LABEL_PRIORITY = ("PERSON", "GPE", "ORG", "LOC", "FAC", "NORP", "EVENT")

_TITLE_WORDS = frozenset("""
    president vice prime minister premier chancellor leader spokesman spokeswoman spokesperson
    envoy ambassador secretary advisor adviser official general commander chief head director
    chairman chairwoman chair ceo founder governor mayor senator sen. rep. representative
    congressman congresswoman lawmaker legislator deputy aide negotiator diplomat king queen
    prince princess pope emperor sheikh emir judge justice attorney lawyer prosecutor analyst
    expert economist researcher professor prof. correspondent reporter journalist editor
    columnist commentator candidate nominee colonel col. lieutenant lt. major captain capt.
    sergeant sgt. admiral marshal gen. commissioner speaker mp mep president-elect monarch
    ayatollah patriarch bishop cardinal rabbi imam coach manager mediator presenter host
    officer soldier pilot activist campaigner dissident oligarch executive businessman
    businesswoman billionaire tycoon entrepreneur investor banker author writer historian
    scientist strategist pollster blogger broadcaster anchor photographer producer filmmaker
    singer actor actress rapper player striker goalkeeper ombudsman delegate counsel
    administrator superintendent inspector detective sheriff chaplain
""".split())
# Capitalised heads of institutions the small model often leaves untagged ("the General Staff").
_INSTITUTION_HEADS = frozenset("""
    Staff Ministry Council Committee Agency Office Parliament Army Commission Court Department
    Service Bureau Senate Congress Government Administration Command Guard Navy Police Party
    Assembly Cabinet Directorate Inspectorate
""".split())
# A country's armed forces as a body: "the Norvalian military", "Velmora’s army". Bare
# "forces" is left out: "Norvalian forces regrouped" means troops, not the institution.
_MILITARY_NOUNS: tuple[tuple[str, ...], ...] = (("armed", "forces"), ("military",), ("army",))
_HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame mx mx. madam".split())
_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
# Lowercase words allowed inside a name ("Institute for the Study of Tides", "Ludwig van der Berg").
_NAME_PARTICLES = frozenset(
    "of the for and on in de da das do dos di du la le van von der den al el bin ibn y &".split()
)
_ADMIN_UNITS = frozenset("oblast region province governorate krai raion district county".split())
# "the key city of Velmora", "the recapture of Ambleford": what follows is a place.
_PLACE_BEFORE_OF = frozenset(
    "city town village region province capital outskirts recapture retaking liberation".split()
)
_PLACE_AFTER = frozenset("region oblast province district city town village governorate".split())
# Synonyms of a role's head noun, so "the spokesman" can refer back to a "spokesperson".
_ROLE_HEAD_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "adviser": "advisor"
}
# "the Norvalian leader" refers back to a "Russian President" or "Prime Minister".
_LEADER_HEADS = frozenset("president minister premier chancellor king queen emir leader".split())
_EPITHET_MARKERS = frozenset("former ex ex- onetime one-time longtime veteran".split())
_POSSESSIVES = ("’s", "'s", "’", "'")
_MAX_ROLE_TOKENS = 6

# Cyrillic letters that look like Latin ones: a copied name can mix the two invisibly.
_CONFUSABLES = str.maketrans("АВЕКМНОРСТХаеорсухіјІЈѕ", "ABEKMHOPCTXaeopcyxijIJs")
# Transliteration variants of one sound, applied in order to lowercase ASCII.
_TRANSLITERATION = (
    (re.compile(r"tch"), "ch"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"j\b"), "i"),  # Selenskyj
    (re.compile(r"y"), "i"),
    (re.compile(r"(\w)\1+"), r"\1"),  # Petrenkko, Andrii, Dornach
)


# --------------------------------------------------------------------------- names and keys


def _fold(text: str) -> str:
    """Lowercase letters and digits, one space between words, no diacritics or punctuation."""
    words: list[str] = []
    for word in re.sub(r"[-‐‑–—/]", " ", text).split():
        if re.search("[A-Za-z]", word):  # a Cyrillic look-alike inside a Latin word is a typo
            word = word.translate(_CONFUSABLES)
        word = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in word if c.isalnum() and not unicodedata.combining(c)).lower()
        if word:
            words.append(word)
    return " ".join(words)


# Names repeat across mentions and documents: a report over thousands of mentions folds the
# same few hundred words and names again and again (over half of a report's time before these
# caches). Both functions are pure functions of a string; the bounds keep memory flat.
@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """One word, folded and with transliteration variants collapsed (Petrenkko -> petrenko)."""
    key = _fold(word).replace(" ", "")
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
    return key


def name_key(name: str) -> str:
    """A key under which spelling variants of one name meet: "the Harbour" and "Harbour",
    "Petrenko" and "Petrenkko", "U.S." and "US", "Dornach Oblast" and "Dornach"."""
    words = _strip_possessive(name).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    keys = [_word_key(w) for w in words]
    if len(keys) > 1 and keys[-1] in {_word_key(u) for u in _ADMIN_UNITS}:
        keys = keys[:-1]  # "Dornach Oblast" is what an article calls "Dornach" afterwards
    return " ".join(k for k in keys if k)


def _strip_possessive(text: str) -> str:
    for ending in _POSSESSIVES:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


def _is_title(word: str) -> bool:
    return word.lower() in _TITLE_WORDS


def _is_honorific(word: str) -> bool:
    return word.lower() in _HONORIFICS


@dataclass(frozen=True, slots=True)
class _PersonName:
    """A person's name split into the parts that matter for matching."""

    first: str | None  # folded key of the given name; None for a bare surname
    surname: str  # folded key of the last word

    @property
    def full(self) -> bool:
        return self.first is not None


@functools.lru_cache(maxsize=1 << 16)
def _person_name(text: str) -> _PersonName | None:
    """The name in `text`, after any role in front of it ("Harbour spokesman Teodor Brannik")."""
    words = [w for w in _strip_possessive(text).split() if w.lower() not in _NAME_SUFFIXES]
    cuts = [i for i, w in enumerate(words)
            if _is_honorific(w) or _is_title(w) or (w.islower() and w not in _NAME_PARTICLES)]
    if cuts:
        words = words[cuts[-1] + 1 :]
    keys = [_word_key(w) for w in words]
    keys = [k for k in keys if k]
    if not keys:
        return None
    return _PersonName(keys[0] if len(keys) > 1 else None, keys[-1])


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _near(a: str, b: str, min_length: int) -> bool:
    """One letter apart, for words long enough that one letter does not make another name."""
    return min(len(a), len(b)) >= min_length and _edit_distance(a, b) <= 1


def _first_names_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):  # "Steve"/"Steven", "Alex"/"Alexander"
        return True
    # "Aleksandr"/"Aleksander"; but a changed ending is often another person: "Roberto"/"Roberta"
    return a[-1] == b[-1] and _near(a, b, 7)


def _same_person(a: _PersonName, b: _PersonName) -> bool:
    """Whether two names can be one person; a bare surname agrees with any same-surname name."""
    if a.first is None or b.first is None:
        return a.surname == b.surname
    if a.surname == b.surname:
        return _first_names_agree(a.first, b.first)
    # a one-letter slip in the surname is believable only when the given names are identical
    return a.first == b.first and _near(a.surname, b.surname, 6)


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
        if parsed[index].tag_ == "POS" or parsed[index].text in _POSSESSIVES:
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
        return label == "PERSON" and (_is_title(token.text) or _is_honorific(token.text))

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
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _NAME_PARTICLES
               or w in _POSSESSIVES or w in {"-", ".", "’", "'"} for w in words)


def _candidate_text(parsed: Doc, candidate: _Candidate) -> str:
    return parsed[candidate.start : candidate.end].text


def _full_names(parsed: Doc, candidates: Iterable[_Candidate]) -> dict[int, _PersonName]:
    """The multi-word person names of the document, by the start token of their mention."""
    names: dict[int, _PersonName] = {}
    for candidate in candidates:
        if candidate.label == "PERSON":
            name = _person_name(_candidate_text(parsed, candidate))
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
        keys = [_word_key(t.text) for t in parsed[candidate.start : candidate.end]]
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
        return single and _word_key(_candidate_text(parsed, candidate)) in surnames

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
    if parsed[candidate.end - 1].lower_ in _ADMIN_UNITS and candidate.end - candidate.start > 1:
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
    return next(label for label in _LABEL_PRIORITY if votes.get(label) == best)


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
        name = _person_name(text)
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
        if (candidate.label == "ORG" and following is not None and _is_title(following.text)
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
    for words in _MILITARY_NOUNS:
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
    return single and _word_key(_candidate_text(parsed, owner)) not in surnames


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
    if head < 0 or not _is_title(parsed[head].text):
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
    if _is_title(token.text) or token.tag_ == "POS":
        return True
    return token.tag_ in {"NNP", "NNPS", "JJ", "NN"} and not token.is_punct


def _to_mention(document: Document, parsed: Doc, candidate: _Candidate) -> Mention | None:
    start = parsed[candidate.start].idx
    last = parsed[candidate.end - 1]
    end = last.idx + len(_strip_possessive(last.text))
    if end <= start:
        return None
    role = None
    if candidate.role_start is not None:
        role = parsed[candidate.role_start : candidate.start].text.strip()
    span = document.span(start, end)
    return Mention(span=span, text=document.slice(span), label=candidate.label, role=role or None)


# --------------------------------------------------------------------------- role mentions


def _role_words(role: str) -> tuple[str, set[str]]:
    """A role's head noun (synonyms merged) and the folded words that modify it."""
    words = [_fold(w) for w in _strip_possessive(role).split()]
    words = [w for w in words if w and w not in {"the", "former", "s"}]
    if not words:
        return "", set()
    head = _ROLE_HEAD_SYNONYMS.get(words[-1], words[-1])
    return head, set(words[:-1])


def _role_refers_to(role_phrase: str, person_role: str | None) -> bool:
    """ "the spokesman", "the Harbour spokesman" both refer to a "Harbour spokesperson"."""
    if not person_role:
        return False
    head, modifiers = _role_words(role_phrase)
    person_head, person_modifiers = _role_words(person_role)
    if head == "leader" and person_head in _LEADER_HEADS:
        person_modifiers = person_modifiers - {"prime", "vice"}
        return bool(modifiers) and modifiers <= person_modifiers
    return bool(head) and head == person_head and modifiers <= person_modifiers


def _role_mentions(document: Document, parsed: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """ "the harbour spokesman" after "Harbour spokesman Teodor Brannik": a ROLE mention.

    Only phrases with an antecedent are returned, so that every ROLE mention can be resolved.
    """
    persons = [m for m in mentions if m.label == "PERSON" and m.role]
    found: list[Mention] = []
    for token in parsed:
        if not _is_title(token.text) or token.tag_ not in {"NN", "NNP"}:
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
        if any(p.span.end <= span.start and _role_refers_to(phrase, p.role) for p in persons):
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


# --------------------------------------------------------------------------- linking


@dataclass(slots=True)
class _Cluster:
    """Mentions that one document uses for one entity."""

    doc: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return any(m.label == "PERSON" for m in self.mentions)

    def names(self) -> list[_PersonName]:
        names = (_person_name(m.text) for m in self.mentions if m.label == "PERSON")
        return [n for n in names if n is not None]

    def best_name(self) -> _PersonName | None:
        """The fullest name the document uses, with the longest given name."""
        names = self.names()
        return max(names, key=lambda n: (n.full, len(n.first or "")), default=None)

    def keys(self) -> set[str]:
        return {name_key(m.text) for m in self.mentions if m.label not in _DESCRIPTIVE}


def link_entities(
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
    aliases: AliasRules | None = None,
) -> tuple[list[Entity], dict[Span, str]]:
    """One entity per real-world entity across documents, and each mention's span -> entity id.

    `aliases` (from `load_alias_file`) forces merges and splits the rules would not make.
    Entities come sorted by how often they are mentioned (most first), then by name.
    """
    clusters: list[_Cluster] = []
    for document, mentions in documents_mentions:
        clusters.extend(_document_clusters(document.id, mentions, document.text))
    # Linking is greedy; a fixed order makes entities and ids independent of input order.
    clusters.sort(key=lambda c: min(m.span for m in c.mentions))
    groups = _group_clusters(clusters)
    groups = _link_militaries(groups, documents_mentions)
    if aliases is not None:
        groups = aliases.apply(groups)
    doc_order = [document.id for document, _ in documents_mentions]
    entities: list[Entity] = []
    span_entity: dict[Span, str] = {}
    taken: set[str] = set()
    for group in groups:
        entity = _make_entity(group, doc_order, taken)
        taken.add(entity.id)
        entities.append(entity)
        for cluster in group:
            for mention in cluster.mentions:
                span_entity[mention.span] = entity.id
    containing = place_links(documents_mentions, span_entity)
    entities = [replace(e, part_of=containing[e.id]) if e.id in containing else e
                for e in entities]
    entities.sort(key=lambda e: (-sum(n for _, n in e.mentions), e.name, e.id))
    return entities, span_entity


def _document_clusters(doc_id: str, mentions: Sequence[Mention], text: str = "") -> list[_Cluster]:
    """Within one document: full names by name, bare surnames to the full name they shorten,
    role phrases to the person last given that role, epithets to the person the article was
    last about, everything else by its name key."""
    ordered = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    persons = [m for m in ordered if m.label == "PERSON"]
    clusters = _person_clusters(doc_id, persons)
    _attach_roles(clusters, [m for m in ordered if m.label == ROLE_LABEL])
    _attach_epithets(clusters, [m for m in ordered if m.label == EPITHET_LABEL], text)
    by_key: dict[str, _Cluster] = {}
    for mention in ordered:
        if mention.label in {"PERSON", ROLE_LABEL, EPITHET_LABEL}:
            continue
        by_key.setdefault(name_key(mention.text), _Cluster(doc_id)).mentions.append(mention)
    return clusters + [c for c in by_key.values() if c.keys() != {""}]


def _person_clusters(doc_id: str, persons: Sequence[Mention]) -> list[_Cluster]:
    full: dict[tuple[str, str], _Cluster] = {}
    bare: list[tuple[Mention, _PersonName]] = []
    for mention in persons:
        name = _person_name(mention.text)
        if name is None:
            continue
        if name.first is not None:
            full.setdefault((name.first, name.surname), _Cluster(doc_id)).mentions.append(mention)
        else:
            bare.append((mention, name))
    clusters = list(full.values())
    lone: dict[str, _Cluster] = {}
    for mention, name in bare:
        target = _nearest_full_name(clusters, mention, name.surname)
        if target is None:
            target = lone.setdefault(name.surname, _Cluster(doc_id))
        target.mentions.append(mention)
    return clusters + list(lone.values())


def _nearest_full_name(
    clusters: Sequence[_Cluster], mention: Mention, surname: str
) -> _Cluster | None:
    """The full name a bare surname shortens: when two people share it ("Ana Silva", "Marco
    Silva"), the one named last before it, as a reader would take it."""
    matching = [c for c in clusters if any(n.surname == surname for n in c.names())]
    if len(matching) <= 1:
        return matching[0] if matching else None

    def last_before(cluster: _Cluster) -> tuple[bool, int]:
        starts = [m.span.start for m in cluster.mentions]
        before = [s for s in starts if s < mention.span.start]
        # the latest one before; failing that, the first one after
        return (bool(before), max(before) if before else -min(starts))

    return max(matching, key=last_before)


def _attach_roles(clusters: Sequence[_Cluster], roles: Sequence[Mention]) -> None:
    """A role phrase refers to the person most recently introduced with a matching role."""
    for role in roles:
        best: tuple[int, _Cluster] | None = None
        for cluster in clusters:
            for mention in cluster.mentions:
                if (mention.label == "PERSON" and mention.span.end <= role.span.start
                        and _role_refers_to(role.text, mention.role)
                        and (best is None or mention.span.start > best[0])):
                    best = (mention.span.start, cluster)
        if best is not None:
            best[1].mentions.append(role)


_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+|\n+")
_PRONOUN_START = re.compile(r"[“\"]?(?:He|She|His|Her)\b")


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if b > a]


def _sentence_subject(
    text: str, sentence: tuple[int, int], persons: Sequence[tuple[Mention, _Cluster]]
) -> _Cluster | None:
    """The person a sentence opens with (after capitalised role words): its subject, as far as
    can be told without a parse."""
    a, b = sentence
    inside = [(m, c) for m, c in persons if a <= m.span.start < b]
    if not inside:
        return None
    mention, cluster = min(inside, key=lambda mc: mc[0].span.start)
    lead = text[a : mention.span.start].split()
    if all(w[:1].isupper() or w in _POSSESSIVES or _is_title(w) for w in lead):
        return cluster
    return None


def _attach_epithets(clusters: Sequence[_Cluster], found: Sequence[Mention], text: str) -> None:
    """An epithet ("the former spy chief") refers to the person the preceding sentences are
    about: the subject of the nearest one that opens with a person, sentences opening with a
    pronoun carrying that subject on. Never to the subject of its own sentence (a name and
    an epithet for the same person do not share a clause), and nothing when no sentence in the
    last four opens with a person: left unlinked rather than guessed."""
    if not text or not found:
        return
    persons = [(m, c) for c in clusters for m in c.mentions if m.label == "PERSON"]
    sentences = _sentences(text)
    for epithet in found:
        index = next((i for i, (a, b) in enumerate(sentences) if a <= epithet.span.start < b),
                     None)
        if index is None:
            continue
        own = _sentence_subject(text, sentences[index], persons)
        for previous in range(index - 1, max(-1, index - 5), -1):
            a, b = sentences[previous]
            subject = _sentence_subject(text, sentences[previous], persons)
            if subject is None:
                if _PRONOUN_START.match(text[a:b]):
                    continue
                # a sentence about something else: no subject to carry on
                if any(a <= m.span.start < b for m, _ in persons):
                    break
                continue
            if subject is not own:
                subject.mentions.append(epithet)
            break


def _group_clusters(clusters: Sequence[_Cluster]) -> list[list[_Cluster]]:
    people = _group_people([c for c in clusters if c.is_person])
    others = _group_others([c for c in clusters if not c.is_person])
    return _reconcile_types(people, others)


def _group_people(clusters: Sequence[_Cluster]) -> list[list[_Cluster]]:
    """Across documents: a cluster joins the one group of people it agrees with; if it agrees
    with none it starts one, and if with several (a bare "Silva" when there are two) it stays
    alone rather than guess."""

    def fullness(cluster: _Cluster) -> tuple[bool, int]:
        name = cluster.best_name()
        return (name is not None and name.full, len(name.first or "") if name else 0)

    groups: list[list[_Cluster]] = []
    for cluster in sorted(clusters, key=fullness, reverse=True):  # stable: document order kept
        name = cluster.best_name()
        if name is None:
            groups.append([cluster])
            continue
        agreeing = [g for g in groups if _agrees_with_group(name, g)]
        if len(agreeing) == 1:
            agreeing[0].append(cluster)
        else:
            groups.append([cluster])
    return groups


def _agrees_with_group(name: _PersonName, group: Sequence[_Cluster]) -> bool:
    names = [n for cluster in group if (n := cluster.best_name()) is not None]
    return bool(names) and all(_same_person(name, other) for other in names)


def _group_others(clusters: Sequence[_Cluster]) -> list[list[_Cluster]]:
    """Places, organisations, groups: by name key, then acronyms to the names they abbreviate."""
    by_key: dict[str, list[_Cluster]] = {}
    for cluster in clusters:
        key = name_key(_fullest_text(cluster.mentions))
        by_key.setdefault(key, []).append(cluster)
    groups = list(by_key.values())
    return _merge_acronyms(groups)


def _merge_acronyms(groups: list[list[_Cluster]]) -> list[list[_Cluster]]:
    """ "IST" is "the Institute for the Study of Tides" when exactly one name has those initials."""
    initials: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        words = [w for w in _fullest_text(_group_mentions(group)).split() if w[:1].isupper()]
        if len(words) > 1:
            initials.setdefault("".join(w[0] for w in words).upper(), []).append(index)
    absorbed: set[int] = set()
    for index, group in enumerate(groups):
        text = _fullest_text(_group_mentions(group)).replace(".", "")
        targets = initials.get(text, []) if text.isupper() and len(text) > 1 else []
        if len(targets) == 1 and targets[0] != index:
            groups[targets[0]].extend(group)
            absorbed.add(index)
    return [g for i, g in enumerate(groups) if i not in absorbed]


def _reconcile_types(
    people: list[list[_Cluster]], others: list[list[_Cluster]]
) -> list[list[_Cluster]]:
    """Repair labels the NER got wrong in a whole document: a lone "person" named like a place
    known elsewhere is that place ("Velmora"); an organisation named exactly like the surname of
    one known person is that person."""
    place_by_key = {name_key(_fullest_text(_group_mentions(g))): g for g in others
                    if _group_label(g) in _PLACE_LABELS}
    kept_people: list[list[_Cluster]] = []
    for group in people:
        names = [n for c in group if (n := c.best_name()) is not None]
        keys = {k for c in group for k in c.keys()}
        bare = bool(names) and not any(n.full for n in names)
        if bare and len(keys) == 1 and keys <= set(place_by_key):
            place_by_key[next(iter(keys))].extend(group)
        else:
            kept_people.append(group)
    kept_others: list[list[_Cluster]] = []
    for group in others:
        target = _person_for_org(group, kept_people)
        if target is not None:
            target.extend(group)
        else:
            kept_others.append(group)
    return kept_people + kept_others


def _person_for_org(
    group: Sequence[_Cluster], people: Sequence[list[_Cluster]]
) -> list[_Cluster] | None:
    mentions = _group_mentions(group)
    if any(m.label != "ORG" or len(m.text.split()) != 1 for m in mentions):
        return None
    surname = _word_key(mentions[0].text)

    def has_full_name(person: Sequence[_Cluster]) -> bool:
        return any((n := c.best_name()) is not None and n.full and n.surname == surname
                   for c in person)

    matching = [person for person in people if has_full_name(person)]
    return matching[0] if len(matching) == 1 else None


# --------------------------------------------------------------------------- armed forces

# A military phrase as `_military_candidates` builds it: the country, then the noun.
_MILITARY_PHRASE = re.compile(
    r"^(?:the\s+)?(?P<owner>.+?)\s+(?:military|army|armed\s+forces)$", re.IGNORECASE)
# The bodies that speak for a country's armed forces, on folded text: its general staff, its
# high command, its defence ministry.
_MILITARY_COMMAND = re.compile(
    r"\b(?:general staff|(?:high|supreme|military) command|joint chiefs(?: of staff)?"
    r"|(?:defen[cs]e|war) (?:ministry|department)|ministry of (?:defen[cs]e|war))\b")
_OWNER_JOINS = frozenset({"’s ", "'s ", "’ ", "' ", " "})


def _military_owner(mention: Mention) -> str | None:
    """ "Norvalia" for "Norvalia’s army", "Norvalian" for "the Norvalian military"."""
    if mention.label != "ORG":
        return None
    match = _MILITARY_PHRASE.match(mention.text)
    return _fold(_strip_possessive(match["owner"])) if match else None


def _same_stem(a: str, b: str) -> bool:
    """A country's name and its adjective as the documents write them: "norvalia" and
    "norvalian", "ukraine" and "ukrainian" share all but the shorter one's last letter."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    shorter = min(len(a), len(b))
    common = len(os.path.commonprefix([a, b]))
    return shorter >= 4 and common >= max(4, shorter - 1)


@dataclass(frozen=True, slots=True)
class _Story:
    """What the military rule needs to know of the whole story."""

    texts: dict[str, str]  # document id -> text
    mentions: dict[str, list[Mention]]  # document id -> its mentions, in text order
    nations: frozenset[str]  # folded names of nations: adjectives, and the names paired to them

    def owner_of(self, mention: Mention) -> str | None:
        """Whose command or ministry this is: "Norvalian" in "the Norvalian Defence Ministry",
        "Ministry of Defence of Norvalia", or the name right before it ("Dornava’s ...")."""
        folded = _fold(mention.text)
        match = _MILITARY_COMMAND.search(folded)
        if match is None:
            return None
        before = " ".join(w for w in folded[: match.start()].split() if w != "the")
        after = re.match(r"\s*of (?:the )?(.+)$", folded[match.end() :])
        if before or after:
            return before or (after[1] if after else None)
        text = self.texts.get(mention.span.doc, "")
        for other in reversed(self.mentions.get(mention.span.doc, [])):
            if other.span.end <= mention.span.start:
                joined = text[other.span.end : mention.span.start] in _OWNER_JOINS
                return _fold(_strip_possessive(other.text)) if joined else None
        return None

    def relation(self, owner: str | None, country: Sequence[str]) -> str:
        """ "same" when the owner is the country, "other" when it is another nation, and
        "unknown" when there is none or it is a place not known as a nation (a city)."""
        if owner is None:
            return "unknown"
        if any(_same_stem(owner, form) for form in country):
            return "same"
        return "other" if any(_same_stem(owner, n) for n in self.nations) else "unknown"


def _story(documents_mentions: Sequence[tuple[Document, Sequence[Mention]]]) -> _Story:
    mentions = {d.id: sorted(ms, key=lambda m: m.span) for d, ms in documents_mentions}
    every = [m for ms in mentions.values() for m in ms]
    adjectives = {_fold(m.text) for m in every if m.label == "NORP"}
    owners = {o for m in every if (o := _military_owner(m)) is not None}
    names = {_fold(_strip_possessive(m.text)) for m in every if m.label not in _DESCRIPTIVE}
    paired = {n for n in names if any(_same_stem(n, a) for a in adjectives)}
    return _Story({d.id: d.text for d, _ in documents_mentions}, mentions,
                  frozenset(adjectives | paired | owners))


def _link_militaries(
    groups: list[list[_Cluster]],
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
) -> list[list[_Cluster]]:
    """A country's armed forces ("the Norvalian military", "Norvalia’s army") are one
    organisation, linked to the body that speaks for them: the one general staff, high
    command or defence ministry of that country the story mentions.

    In the military's own documents, a body owned by that country is taken, failing that one
    whose owner is unknown or a mere place ("the General Staff", a capital's ministry); across
    the story only one owned by that country. Two candidates, or two countries' militaries
    pointing at one body, link nothing.
    """
    militaries = _military_groups(groups)
    if not militaries:
        return groups
    story = _story(documents_mentions)
    commands = [g for g in groups if any(_MILITARY_COMMAND.search(_fold(m.text))
                                         for m in _group_mentions(g) if m.label == "ORG")]
    targets: dict[int, list[list[_Cluster]]] = {}
    for military, country in militaries:
        target = _command_for(military, country, commands, story)
        if target is not None:
            targets.setdefault(id(target), [target]).append(military)
    absorbed: set[int] = set()
    for target, *linked in targets.values():
        if len(linked) == 1:  # two countries claiming one body: it is neither's for sure
            target.extend(linked[0])
            absorbed.add(id(linked[0]))
    return [g for g in groups if g and id(g) not in absorbed]  # merged militaries are empty


def _military_groups(groups: list[list[_Cluster]]) -> list[tuple[list[_Cluster], list[str]]]:
    """Groups made only of military phrases, merged by country ("Norvalian military" and
    "Norvalia’s army"), each with the country's forms."""
    found: list[tuple[list[_Cluster], list[str]]] = []
    for group in groups:
        owners = [_military_owner(m) for m in _group_mentions(group)]
        if not owners or None in owners:
            continue
        forms = sorted({o for o in owners if o is not None})
        same = [f for f in found if any(_same_stem(a, b) for a in forms for b in f[1])]
        if len(same) == 1:
            same[0][0].extend(group)
            same[0][1].extend(forms)
            group.clear()
        elif not same:
            found.append((group, forms))
    return found


def _command_for(military: Sequence[_Cluster], country: Sequence[str],
                 commands: Sequence[list[_Cluster]], story: _Story) -> list[_Cluster] | None:
    docs = {c.doc for c in military}

    def relation(group: Sequence[_Cluster]) -> str:
        found = {story.relation(story.owner_of(m), country) for m in _group_mentions(group)
                 if m.label == "ORG" and _MILITARY_COMMAND.search(_fold(m.text))}
        return "other" if "other" in found else "same" if "same" in found else "unknown"

    related = [(g, relation(g)) for g in commands]
    nearby = [(g, r) for g, r in related if any(c.doc in docs for c in g)]
    for pool, wanted in ((nearby, "same"), (nearby, "unknown"), (related, "same")):
        chosen = [g for g, r in pool if r == wanted]
        if chosen:
            return chosen[0] if len(chosen) == 1 else None
    return None


def _group_mentions(group: Sequence[_Cluster]) -> list[Mention]:
    return [m for cluster in group for m in cluster.mentions]


def _fullest_text(mentions: Sequence[Mention]) -> str:
    """The name to show: most words, then most used, then longest, then alphabetical."""
    names = ([m.text for m in mentions if m.label not in _DESCRIPTIVE]
             or [m.text for m in mentions])
    # a body's own name, rather than "the Norvalian military" it speaks for
    names = [n for n in names if not _MILITARY_PHRASE.match(n)] or names
    counts = Counter(names)
    return min(counts, key=lambda t: (-len(t.split()), -counts[t], -len(t), t))


def _group_label(group: Sequence[_Cluster]) -> str:
    labels = Counter(m.label for m in _group_mentions(group) if m.label not in _DESCRIPTIVE)
    if labels.get("PERSON") and any(c.is_person and (n := c.best_name()) and n.full for c in group):
        return "PERSON"
    non_person = Counter({k: v for k, v in labels.items() if k != "PERSON"}) or labels
    best = max(non_person.values())
    return next(label for label in _LABEL_PRIORITY if non_person.get(label) == best)


def _make_entity(group: Sequence[_Cluster], doc_order: Sequence[str], taken: set[str]) -> Entity:
    mentions = _group_mentions(group)
    label = _group_label(group)
    name = _fullest_text(mentions)
    if label == "PERSON":
        # for a person the fullest form is the name, not a longer mislabelled phrase
        name = _fullest_text([m for m in mentions if m.label == "PERSON"] or mentions)
    entity_id = _entity_id(label, name, mentions, taken)
    counts = Counter(m.span.doc for m in mentions)
    return Entity(
        id=entity_id,
        name=name,
        type=label,
        aliases=tuple(sorted({m.text for m in mentions if m.label not in _DESCRIPTIVE})),
        mentions=tuple((doc, counts[doc]) for doc in doc_order if counts[doc]),
    )


def _span_of(mention: Mention) -> Span:
    return mention.span


def _slug(text: str) -> str:
    return "-".join(_fold(text).split()) or "x"


def _entity_id(label: str, name: str, mentions: Sequence[Mention], taken: set[str]) -> str:
    """ "person:ana-silva"; two entities of one name (two unresolved "Silva"s) are told
    apart by a hash of where they are mentioned."""
    base = f"{label.lower()}:{_slug(name)}"
    if base not in taken:
        return base
    where = "|".join(f"{m.span.doc}:{m.span.start}" for m in sorted(mentions, key=_span_of))
    return f"{base}-{hashlib.sha256(where.encode()).hexdigest()[:6]}"


# --------------------------------------------------------------------------- lookup


def entity_for_name(entities: Sequence[Entity], name: str) -> str | None:
    """The id of the entity a name refers to ("Brannik", "Mr. Brannik", "Teodor Brannik",
    "the Harbour"), or None when no entity or more than one could be meant."""
    return NameIndex.of(entities).entity_for(name)


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Entities looked up by name, their alias keys and person names computed once.

    Resolving many speakers against one entity list (a report links every speaker that has no
    linked span) would otherwise recompute the keys of every alias of every entity per name.
    """

    by_key: dict[str, frozenset[str]]
    persons: tuple[tuple[str, tuple[_PersonName, ...]], ...]

    @classmethod
    def of(cls, entities: Sequence[Entity]) -> NameIndex:
        by_key: dict[str, set[str]] = {}
        persons: list[tuple[str, tuple[_PersonName, ...]]] = []
        for entity in entities:
            aliases = (entity.name, *entity.aliases)
            for key in {name_key(alias) for alias in aliases}:
                by_key.setdefault(key, set()).add(entity.id)
            if entity.type == "PERSON":
                names = tuple(n for a in aliases if (n := _person_name(a)) is not None)
                persons.append((entity.id, names))
        return cls({k: frozenset(v) for k, v in by_key.items()}, tuple(persons))

    def entity_for(self, name: str) -> str | None:
        """The id of the one entity `name` can mean, or None (see `entity_for_name`)."""
        # "General Staff" is a name as written; "President Silva" only once its title is gone;
        # "Ukraine’s General Staff" once its owner is
        owned = re.split(r"[’']s\s+", name)[-1]
        forms = (name, _strip_leading_titles(name), owned)
        for key in dict.fromkeys(name_key(form) for form in forms):
            exact = self.by_key.get(key, frozenset()) if key else frozenset()
            if len(exact) == 1:
                return next(iter(exact))
        person = _person_name(name)
        if person is None:
            return None
        agreeing = {entity_id for entity_id, names in self.persons
                    if _person_names_agree(names, person)}
        return agreeing.pop() if len(agreeing) == 1 else None


def _strip_leading_titles(name: str) -> str:
    words = _strip_possessive(name.strip()).split()
    while len(words) > 1 and (_is_title(words[0]) or _is_honorific(words[0])):
        words = words[1:]
    return " ".join(words)


def _person_names_agree(names: Sequence[_PersonName], name: _PersonName) -> bool:
    """Whether a person name fits an entity's parsed names: a full name one of its full names,
    a bare surname any of its surnames."""
    if name.full:
        return any(_same_person(name, n) for n in names if n.full)
    return any(n.surname == name.surname for n in names)


# --------------------------------------------------------------------------- user aliases


@dataclass(frozen=True, slots=True)
class AliasRules:
    """Merges and splits a user forces on `link_entities`.

    `merges`: groups of names that are one entity ("Petrenko", "Volodymyr Petrenkko");
    `splits`: pairs of names that are never one entity ("Ana Silva", "Marco Silva").
    Names are compared by `name_key`, so spelling and transliteration variants match.
    """

    merges: tuple[tuple[str, ...], ...] = ()
    splits: tuple[tuple[str, str], ...] = ()

    def apply(self, groups: list[list[_Cluster]]) -> list[list[_Cluster]]:
        """Groups after the splits, then the merges (a merge wins over the rules' doubts)."""
        for first, second in self.splits:
            groups = _split_groups(groups, name_key(first), name_key(second))
        for names in self.merges:
            keys = {name_key(n) for n in names}
            hit = [g for g in groups if _group_keys(g) & keys]
            if len(hit) > 1:
                merged = [c for g in hit for c in g]
                groups = [g for g in groups if not any(g is h for h in hit)] + [merged]
        return groups


def _names_only(cluster: _Cluster, wanted: str, unwanted: str) -> bool:
    keys = cluster.keys()
    return wanted in keys and unwanted not in keys


def _group_keys(group: Sequence[_Cluster]) -> set[str]:
    return {k for cluster in group for k in cluster.keys()}


def _split_groups(groups: list[list[_Cluster]], first: str, second: str) -> list[list[_Cluster]]:
    result: list[list[_Cluster]] = []
    for group in groups:
        keys = _group_keys(group)
        if first in keys and second in keys:
            # the clusters that name the second are moved out; a cluster naming both (one
            # document calling the two by one name) stays, as it cannot be cut apart here
            moved = [c for c in group if _names_only(c, second, first)]
            kept = [c for c in group if not any(c is m for m in moved)]
            result.extend(g for g in (kept, moved) if g)
        else:
            result.append(group)
    return result


def user_aliases(settings: Settings) -> AliasRules | None:
    """The rules of the user's alias file (settings key `alias_file`, CSV or YAML), or None."""
    alias_file = getattr(settings, "alias_file", None)
    return load_alias_file(alias_file) if alias_file else None


def load_alias_file(path: str) -> AliasRules:
    """Read a user alias file: YAML (``.yaml``/``.yml``) or CSV (anything else).

    YAML::

        merge:
          - [Petrenko, Volodymyr Petrenkko, Selenskyj]
        split:
          - [Ana Silva, Marco Silva]

    CSV, one rule a row, the action first: ``merge,Petrenko,Volodymyr Petrenkko`` or
    ``split,Ana Silva,Marco Silva``. Raises ValueError naming the bad row or key.
    """
    from pathlib import Path

    file = Path(path)
    text = file.read_text(encoding="utf-8")
    rows: list[list[str]] = []
    if file.suffix.lower() in {".yaml", ".yml"}:
        try:
            import yaml  # type: ignore[import-untyped]  # PyYAML: not a declared dependency
        except ImportError as error:
            raise ValueError(f"{path}: YAML alias files need PyYAML; write the rules as CSV "
                             "(merge,NAME,NAME / split,NAME,NAME)") from error

        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict) or set(data) - {"merge", "split"}:
            raise ValueError(f"{path}: expected the keys merge and split, got {data!r:.80}")
        for action in ("merge", "split"):
            for names in data.get(action) or []:
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError(f"{path}: {action} entries must be lists of names: {names!r}")
                rows.append([action, *names])
    else:
        import csv
        import io

        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))
                if row and not row[0].lstrip().startswith("#")]
    merges: list[tuple[str, ...]] = []
    splits: list[tuple[str, str]] = []
    for number, row in enumerate(rows, 1):
        action, names = row[0].lower(), [n for n in row[1:] if n]
        if action not in {"merge", "split"} or len(names) < 2:
            raise ValueError(f"{path}: rule {number} must be merge or split with two names "
                             f"or more: {row!r}")
        if action == "merge":
            merges.append(tuple(names))
        else:
            splits.extend((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    return AliasRules(tuple(merges), tuple(splits))


# --------------------------------------------------------------------------- framing, places


def epithets(
    mentions: Iterable[Mention], span_entity: dict[Span, str]
) -> list[tuple[str | None, Mention]]:
    """The epithets of the mentions ("the former spy chief"), each with the entity it was
    linked to (None when it could not be resolved): a framing signal of the outlet."""
    return [(span_entity.get(m.span), m) for m in mentions if m.label == EPITHET_LABEL]


_CONTAINED_IN = re.compile(r"^,\s*$")


def place_links(
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
    span_entity: dict[Span, str],
) -> dict[str, str]:
    """Place entity id -> the id of the place containing it, from "Dornach, Saudi Arabia".

    Places keep their level: a city and its country stay two entities, linked here. A list
    ("Russia, Ukraine and Belarus") is no containment, so a pair inside one is skipped.
    """
    links: dict[str, str] = {}
    for document, mentions in documents_mentions:
        places = sorted((m for m in mentions if m.label in _PLACE_LABELS),
                        key=lambda m: m.span.start)
        for inner, outer in itertools.pairwise(places):
            between = document.text[inner.span.end : outer.span.start]
            before = document.text[max(0, inner.span.start - 2) : inner.span.start]
            after = document.text[outer.span.end : outer.span.end + 5]
            if not _CONTAINED_IN.match(between) or before.strip() == "," or re.match(
                    r",?\s+(?:and|or)\b", after):
                continue
            a, b = span_entity.get(inner.span), span_entity.get(outer.span)
            if a and b and a != b and links.get(b) != a:
                links.setdefault(a, b)
    return links
