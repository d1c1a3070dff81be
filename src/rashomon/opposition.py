"""Whether a sentence states what cannot be true together with a claim: what `check` calls
"refutes".

A statistical stance model reads a body that argues with a claim's topic as disagreeing with it;
a fact-checker needs more: a statement that excludes the claim. Three shapes are recognised,
each over the claim's own content words, so that a sentence about something else never refutes:

- **negation**: the sentence says what the claim says (at least half of the claim's content
  words) with the opposite polarity: "the mayor has not resigned" against "the mayor resigned";
- **denial**: the sentence calls the claim false or denies it ("reports that … are false",
  "denied that …", "a hoax") and holds at least half of the claim's content words;
- **none against a count**: the claim counts something ("12 were killed") and the sentence says
  there was none of it ("there were no dead or wounded"), the two read through one group of
  words for the same measured thing (the dead and the wounded, the arrested, the missing).

Anything weaker is no refutation: the document then only reports on the claim. All three are
invented shapes of a general kind, not rules written for particular articles.
"""

from __future__ import annotations

import math
import re

from rashomon import terms

__all__ = ["refutes"]

_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|false|falsely|untrue|hoax|fake|forgery|fabricat\w*|baseless|"
    r"debunk\w*|refut\w*|not true|no truth|misinformation)\b",
    re.IGNORECASE,
)
# Words for one measured thing: a count of one is contradicted by "no"/"none" of another.
_MEASURED = (
    frozenset("killed kill kills dead died die dies death deaths fatalities fatality casualties "
              "wounded injured injuries injury hurt victims".split()),
    frozenset("arrested arrests arrest detained detentions".split()),
    frozenset("missing".split()),
)
_ZERO = re.compile(r"\b(?:no|none|zero|nobody|no-one)\b|\bno one\b", re.IGNORECASE)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundreds "
    "thousands scores".split())
# How far (in words) a count or a "no" may stand from the word for what it counts.
_REACH = 3
# The share of the claim's content words a negating or denying sentence must hold.
_SHARED_PART = 0.5


def _content_stems(text: str) -> set[str]:
    return {terms.stem(terms.normal(w)) for w in terms.words(text)
            if len(w) > 2 and terms.normal(w) not in terms.STOP_WORDS and not w.isdigit()}


def _holds_claim(claim_stems: set[str], sentence: str) -> bool:
    if len(claim_stems) < 2:
        return False
    shared = len(claim_stems & _content_stems(sentence))
    return shared >= max(2, math.ceil(_SHARED_PART * len(claim_stems)))


def _counted(text: str, group: frozenset[str], *, zero: bool) -> bool:
    """Whether the text counts something of `group` ("12 were killed", "killed 12"), or, with
    `zero`, says there was none of it ("no dead", "nobody was hurt")."""
    words = [terms.normal(w) for w in terms.words(text)]
    for n, word in enumerate(words):
        if word not in group:
            continue
        near = words[max(0, n - _REACH) : n + _REACH + 1]
        if zero:
            before = " ".join(words[max(0, n - _REACH) : n])
            if _ZERO.search(before):
                return True
        elif any((w.isdigit() and int(w) > 0) or w in _NUMBER_WORDS for w in near):
            return True
    return False


def _negated(text: str) -> set[str]:
    """The content stems a negation bears on: the next two content words after each cue, so
    that "it was not clear why the mayor resigned" negates "clear", not "resigned"."""
    found: set[str] = set()
    for match in _NEGATION.finditer(text):
        following = [terms.stem(terms.normal(w)) for w in terms.words(text[match.end():])
                     if len(w) > 2 and terms.normal(w) not in terms.STOP_WORDS]
        found.update(following[:2])
    return found


def refutes(claim: str, sentence: str) -> bool:
    """Whether `sentence` cannot be true together with `claim` (see the module docstring)."""
    claim_stems = _content_stems(claim)
    if _holds_claim(claim_stems, sentence):
        shared = claim_stems & _content_stems(sentence)
        if bool(_negated(claim) & shared) != bool(_negated(sentence) & shared):
            return True
        if _DENIAL.search(sentence) and not _DENIAL.search(claim):
            return True
    sentence_stems = _content_stems(sentence)
    for group in _MEASURED:
        if not (_counted(claim, group, zero=False) and _counted(sentence, group, zero=True)):
            continue
        if _counted(claim, group, zero=True):
            continue
        # the rest of the claim (where, what) must be met too, when it says more than a count
        rest = claim_stems - {terms.stem(w) for w in group}
        if not rest or rest & sentence_stems:
            return True
    return False
