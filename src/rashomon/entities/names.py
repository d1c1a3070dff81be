"""Names and the keys under which their variants meet.

`name_key` folds case, diacritics, punctuation, Cyrillic look-alikes and transliteration variants
of one name ("Petrenko" / "Petrenkko", "U.S." / "US", "Dornach Oblast" / "Dornach"). A person's
name is split into given name and surname (`person_name`), and `same_person` says whether two
such names can be one person. `role_refers_to` says whether a role phrase ("the spokesman")
refers back to the role a person was introduced with. The mention labels live here too, as
every other module of the package reads them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ADMIN_UNITS",
    "DESCRIPTIVE",
    "EPITHET_LABEL",
    "LABEL_PRIORITY",
    "MENTION_LABELS",
    "NAME_PARTICLES",
    "POSSESSIVES",
    "PersonName",
    "ROLE_LABEL",
    "fold",
    "is_honorific",
    "is_title",
    "name_key",
    "person_name",
    "role_refers_to",
    "same_person",
    "strip_possessive",
    "word_key",
]

MENTION_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
ROLE_LABEL = "ROLE"  # "the Harbour spokesman": a role phrase standing for a person named earlier
# "the former spy chief": a descriptive phrase for a person that the article never gave as a
# role; kept as a framing signal (`Mention.role` holds the phrase) and linked when unambiguous.
EPITHET_LABEL = "EPITHET"
DESCRIPTIVE = frozenset({ROLE_LABEL, EPITHET_LABEL})  # phrases that stand for a name
# Among tied votes for a mention's label, the first wins.
LABEL_PRIORITY = ("PERSON", "GPE", "ORG", "LOC", "FAC", "NORP", "EVENT")

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
_HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame mx mx. madam".split())
_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
# Lowercase words allowed inside a name ("Institute for the Study of Tides", "Ludwig van der Berg").
NAME_PARTICLES = frozenset(
    "of the for and on in de da das do dos di du la le van von der den al el bin ibn y &".split()
)
ADMIN_UNITS = frozenset("oblast region province governorate krai raion district county".split())
# Synonyms of a role's head noun, so "the spokesman" can refer back to a "spokesperson".
_ROLE_HEAD_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "adviser": "advisor"
}
# "the Norvalian leader" refers back to a "Russian President" or "Prime Minister".
_LEADER_HEADS = frozenset("president minister premier chancellor king queen emir leader".split())
POSSESSIVES = ("’s", "'s", "’", "'")

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


def fold(text: str) -> str:
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
def word_key(word: str) -> str:
    """One word, folded and with transliteration variants collapsed (Petrenkko -> petrenko)."""
    key = fold(word).replace(" ", "")
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
    return key


def name_key(name: str) -> str:
    """A key under which spelling variants of one name meet: "the Harbour" and "Harbour",
    "Petrenko" and "Petrenkko", "U.S." and "US", "Dornach Oblast" and "Dornach"."""
    words = strip_possessive(name).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    keys = [word_key(w) for w in words]
    if len(keys) > 1 and keys[-1] in {word_key(u) for u in ADMIN_UNITS}:
        keys = keys[:-1]  # "Dornach Oblast" is what an article calls "Dornach" afterwards
    return " ".join(k for k in keys if k)


def strip_possessive(text: str) -> str:
    for ending in POSSESSIVES:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


def is_title(word: str) -> bool:
    return word.lower() in _TITLE_WORDS


def is_honorific(word: str) -> bool:
    return word.lower() in _HONORIFICS


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split into the parts that matter for matching."""

    first: str | None  # folded key of the given name; None for a bare surname
    surname: str  # folded key of the last word

    @property
    def full(self) -> bool:
        return self.first is not None


@functools.lru_cache(maxsize=1 << 16)
def person_name(text: str) -> PersonName | None:
    """The name in `text`, after any role in front of it ("Harbour spokesman Teodor Brannik")."""
    words = [w for w in strip_possessive(text).split() if w.lower() not in _NAME_SUFFIXES]
    cuts = [i for i, w in enumerate(words)
            if is_honorific(w) or is_title(w) or (w.islower() and w not in NAME_PARTICLES)]
    if cuts:
        words = words[cuts[-1] + 1 :]
    keys = [word_key(w) for w in words]
    keys = [k for k in keys if k]
    if not keys:
        return None
    return PersonName(keys[0] if len(keys) > 1 else None, keys[-1])


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


def same_person(a: PersonName, b: PersonName) -> bool:
    """Whether two names can be one person; a bare surname agrees with any same-surname name."""
    if a.first is None or b.first is None:
        return a.surname == b.surname
    if a.surname == b.surname:
        return _first_names_agree(a.first, b.first)
    # a one-letter slip in the surname is believable only when the given names are identical
    return a.first == b.first and _near(a.surname, b.surname, 6)


# --------------------------------------------------------------------------- roles


def _role_words(role: str) -> tuple[str, set[str]]:
    """A role's head noun (synonyms merged) and the folded words that modify it."""
    words = [fold(w) for w in strip_possessive(role).split()]
    words = [w for w in words if w and w not in {"the", "former", "s"}]
    if not words:
        return "", set()
    head = _ROLE_HEAD_SYNONYMS.get(words[-1], words[-1])
    return head, set(words[:-1])


def role_refers_to(role_phrase: str, person_role: str | None) -> bool:
    """ "the spokesman", "the Harbour spokesman" both refer to a "Harbour spokesperson"."""
    if not person_role:
        return False
    head, modifiers = _role_words(role_phrase)
    person_head, person_modifiers = _role_words(person_role)
    if head == "leader" and person_head in _LEADER_HEADS:
        person_modifiers = person_modifiers - {"prime", "vice"}
        return bool(modifiers) and modifiers <= person_modifiers
    return bool(head) and head == person_head and modifiers <= person_modifiers
