"""A denial linked to the statement it denies.

A denial ("dismissed the mayor's claim", "denied flooding fears") is linked to the statement it
is about: one whose speaker it names or whose words its object echoes, of the kind it names (a
denied "claim" was "claimed"); a question ("asked whether") is not a statement, and a clause
hung on another ("..., citing X") is not what someone's "words" mean; proximity only breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.common import (
    STOP,
    WordEcho,
    content_words,
    negation_cue,
    propositions,
    relation_id,
    same_word,
    speaker_name,
    surname_key,
)
from rashomon.model import Analysis, Attribution, Document, Relation
from rashomon.terms import WORD, normal, stem

__all__ = ["denial_links", "denial_relations"]

# Nouns that name a statement rather than its subject: "the Silva *claim*", "flooding *fears*".
_STATEMENT_NOUNS = frozenset({
    "claim", "claims", "fear", "fears", "words", "remark", "remarks", "statement", "statements",
    "report", "reports", "allegation", "allegations", "assertion", "assertions", "suggestion",
    "suggestions", "rumour", "rumours", "rumor", "rumors", "comments", "talk", "idea", "notion",
    "account", "version", "story", "charge", "charges", "accusation", "accusations",
})
# A denied phrase's topic words must be echoed more closely than a negated word: the denial has
# no clause around it to confirm the match.
_DENIAL_ECHO = 0.5
# Each denied word that counts towards "answers" must be echoed this closely. 0.7 lost the
# one denial judged right on ECB+ ("troubled talks" / "tense negotiations") for none gained.
_ANSWER_ECHO = 0.5
_DENIAL_KINDS = frozenset({"indirect", "according_to"})  # the content names what is denied
# Embedded questions ("questioned if Norvalia would ...", "asked whether") assert nothing.
_QUESTION_AFTER_CUE = re.compile(r"^\W*(?:if|whether)\b", re.IGNORECASE)
_SUBORDINATE = 0.15
# The verbs that deny a statement, by the start they are written with ("denied", "denies",
# "dismissed", "rejects"); "oppose", "refuse" and "decline" are cues of another act.
_DENYING_VERBS = ("deni", "deny", "dismiss", "reject", "refut", "rebut", "contest", "disput")
# A denied clause: "denied that the jets struck", "rejected suggestions he had left".
_CLAUSE_START = re.compile(r"^\W*(?:that|he|she|they|there)\b", re.IGNORECASE)
# "X is simply not true", "the report was false": a statement called false is denied.
_CALLED_FALSE = re.compile(
    r"(?P<denied>\b\w.{8,}?)\s+(?:is|was|are|were)\s+(?:simply\s+|just\s+|completely\s+|"
    r"totally\s+|absolutely\s+|entirely\s+|patently\s+)?(?:not\s+true|untrue|false|a\s+lie|"
    r"lies|baseless|fabricated)\b", re.IGNORECASE)
# Whose statement a denied phrase names: "a *neighbor*'s report", "the spy *chief*'s words".
_POSSESSOR = re.compile(r"\b([\w-]+)['’]s\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(sorted(
    _STATEMENT_NOUNS)) + r")\b", re.IGNORECASE)
_SELF = re.compile(r"^\W*(?:that\s+)?(?:he|she|they|his|her|their|i|we|my|our)\b", re.IGNORECASE)
_DOUBTING = re.compile(r"\b(?:doubt\w*|den(?:y|ies|ied|ying)|disput\w*|reject\w*)\b",
                       re.IGNORECASE)
_NEGATED_CUE = re.compile(r"\b(?:not|never|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)
_CASE_NOUNS = frozenset({"charge", "charges", "talk", "idea"})
# What "deny" takes as a plain object and still denies a statement: that one did it, knew it.
_DENIED_ACTS = frozenset({
    "involvement", "wrongdoing", "responsibility", "knowledge", "guilt", "role", "link",
    "links", "ties", "participation", "culpability", "existence", "presence",
})


def _denied_phrase(text: str) -> str:
    """What a denial names, without how it characterises it ("X's words *as manipulation*")
    or when ("the accusations *until he came forward in May*")."""
    return re.split(r"\s+(?:as|until|before|after|when|while|since)\s+", text, maxsplit=1)[0]


def _named_speakers(denial: Attribution, analysis: Analysis, document: Document) -> set[str]:
    """Speakers a denied phrase names: entities of mentions inside it ("the former spy
    chief’s words") and capitalised words ("the Silva claim")."""
    # whose statement it is is said before what it says: "a neighbor's report *that Hiller
    # ...*" names Hiller as its subject, not as who reported it
    text = _denied_phrase(document.slice(denial.content))
    text = re.split(r"(?:^|\s+)that\s+", text, maxsplit=1)[0]
    end = denial.content.start + len(text)  # the phrase is a prefix of the content
    named = {m.entity for m in analysis.mentions
             if m.entity and m.span.doc == denial.doc and denial.content.contains(m.span)
             and m.span.end <= end}
    named |= {w.lower().removesuffix("'s") for w in
              (m.replace("’", "'") for m in WORD.findall(text)) if w[:1].isupper()}
    return named - STOP


def _names(attribution: Attribution) -> set[str]:
    """How a speaker is named: their entity, and the capitalised words their name opens with
    ("Magruder" of "Magruder's testimony before the Senate Watergate committee")."""
    words = []
    for word in WORD.findall(speaker_name(attribution)):
        if not word[:1].isupper():
            break
        words.append(word.lower().replace("’", "'").removesuffix("'s"))
    return set(words) | ({attribution.speaker.entity} if attribution.speaker.entity else set())


def denial_links(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[tuple[Attribution, Attribution, float, str]]:
    """Each denial with the attribution it denies: (denial, target, score, why)."""
    docs = {d.id: d for d in analysis.documents}
    denied_texts = {a.id: text for a in analysis.attributions
                    if a.doc in docs and (text := _denied_text(a, docs[a.doc])) is not None}
    denials = [a for a in analysis.attributions if a.id in denied_texts]
    # a doubt ("she doubted he had a gun") is no statement that someone denies
    # nor is a statement that itself doubts or denies ("she doubted he was carrying a gun"):
    # a denial of the same thing agrees with it
    candidates = [a for a in propositions(analysis)
                  if a.doc in docs and not _asks(a, docs[a.doc]) and not (
                      a.cue and docs[a.doc].slice(a.cue).lower().startswith("doubt"))
                  and not _DOUBTING.search(docs[a.doc].slice(a.content))]
    if not denials or not candidates:
        return []
    echo = WordEcho(embed)
    words = {a.id: content_words(docs[a.doc].slice(a.content)) for a in candidates}
    denied_words = {a.id: content_words(denied_texts[a.id]) for a in denials}
    order = {a.id: n for n, a in enumerate(analysis.attributions)}
    links = []
    for denial in denials:
        named = _named_speakers(denial, analysis, docs[denial.doc])
        mentioned = {normal(w) for m in analysis.mentions
                     if m.span.doc == denial.doc and denial.content.contains(m.span)
                     for w in WORD.findall(m.text)}
        topic = [w for w in denied_words[denial.id] if w not in _STATEMENT_NOUNS
                 and w not in named
                 and w.removesuffix("'s") not in {x.removesuffix("'s") for x in mentioned}]
        claim_like = bool({"claim", "claims", "allegation", "allegations", "assertion"}
                          & set(denied_words[denial.id]))
        nouns = {stem(w) for w in denied_words[denial.id] if w in _STATEMENT_NOUNS}
        denied = denied_texts[denial.id]
        text = docs[denial.doc].text
        before = denial.cue.start if denial.cue else denial.content.start
        sentence_start = max(text.rfind(". ", 0, before), text.rfind("\n", 0, before), 0)
        clause = denial.stance != "denial" or bool(_CLAUSE_START.match(denied.lstrip(" \"“‘")))
        phrase = [normal(w) for w in WORD.findall(denied)]
        # a denial of one's own act ("denied any involvement", "denying he was a gangster")
        own_act = bool(set(phrase[:4]) & _DENIED_ACTS or _SELF.match(denied))
        owner = _POSSESSOR.search(denied)
        possessor = owner.group(1).lower() if owner else None
        best: tuple[float, Attribution, str] | None = None
        reachable = []
        for target in candidates:
            if surname_key(target) == surname_key(denial) and surname_key(target):
                continue
            if target.doc == denial.doc and target.content.end > sentence_start:
                continue  # a denial answers what came before it, not its own sentence
            if own_act and not _names_denier(denial, target, docs[target.doc], analysis):
                continue  # "denied any involvement" answers a statement that he was involved
            if possessor and possessor not in _speaker_words(target):
                continue  # "a neighbor's report" is a neighbour's, whoever else it names
            reachable.append(target)
        # only the words of the statements this denial can answer are compared: embedded
        # together, the others never (a word's vector does not depend on its batch)
        if topic:
            echo.prepare({*topic, *(w for target in reachable for w in words[target.id])})
        for target in reachable:
            same_doc = target.doc == denial.doc
            # a name alone points at a speaker's statement only when the denial is of a
            # statement ("the Brannik claim"); "denied a Brandt offer" is not about his words
            by_name = bool(nouns) and bool(named & _names(target))
            word_score, word, other = echo.best(topic, words[target.id], strict=True)
            if word_score < _DENIAL_ECHO or not _answers(topic, words[target.id], echo,
                                                         least=2 if own_act else 1):
                word_score = 0.0
            if not by_name and not word_score:
                continue
            if clause and (negation_cue(denied) is None) != (negation_cue(
                    docs[target.doc].slice(target.content)) is None):
                continue  # denying "that no one was hurt" answers "no one was hurt"
            score = (1.0 if by_name else 0.0) + word_score
            # what the denial calls the statement says how it was reported: a denied "claim"
            # is one the outlet reported with distance ("claimed"), denied "allegations" were
            # "alleged", a denied "report" was "reported"
            cue = stem(docs[target.doc].slice(target.cue).lower()) if target.cue else ""
            if (claim_like and target.stance == "distancing") or (cue and cue in nouns):
                score += 0.2
            # a denial of someone's words means what they stated, not a clause added to it
            # ("..., citing the challenge") or a fragment quoted inside it
            score -= _SUBORDINATE if _subordinate(target, candidates, docs) else 0.0
            if same_doc:  # the nearest earlier statement, by a small margin
                score += 0.1 + 0.1 / (1 + order[denial.id] - order[target.id])
            why = (f"it names {speaker_name(target)}" if by_name else "")
            if word_score:
                why += (" and " if why else "") + f"“{word}” echoes “{other}”"
            if best is None or score > best[0]:
                best = (score, target, why)
        if best is not None:
            links.append((denial, best[1], round(min(best[0] / 2.4, 1.0), 4), best[2]))
    return links


def _answers(topic: Sequence[str], target: Sequence[str], echo: WordEcho, *,
             least: int) -> bool:
    """The statement says what the denial denies: at least half of the denied phrase's topic
    words, and `least` at least, are echoed in it ("denied that the *jets* *struck* the *camp*"
    against "*jets* *hit* the *camp*"), not one word of a longer phrase. A denial of one's own
    act in one word ("denied his *role*", "denying he was a *gangster*") says too little to
    find what it answers by its words: it needs two."""
    if len(topic) < least:
        return False
    # one word at least in the same words: near-synonyms alone ("coverage" / "coverup",
    # "secret" / "lock" at 0.5) make any two statements of a scandal answer each other
    if not any(same_word(w, o) for w in topic for o in target):
        return False
    echoed = sum(echo.best([w], target, strict=True)[0] >= _ANSWER_ECHO for w in topic)
    return echoed >= (least if len(topic) <= least else max(2, (len(topic) + 1) // 2))


def _names_denier(denial: Attribution, target: Attribution, document: Document,
                  analysis: Analysis) -> bool:
    """Whether a statement is about the denier: it names them (their entity mentioned in it,
    or a capitalised word of their name)."""
    if denial.speaker.entity and any(
            m.entity == denial.speaker.entity and target.content.contains(m.span)
            for m in analysis.mentions if m.span.doc == target.doc):
        return True
    said = {w.lower() for w in WORD.findall(document.slice(target.content))}
    return bool({w for w in _names(denial) if w[:1].isalpha()} - STOP & said)


def _speaker_words(attribution: Attribution) -> set[str]:
    return {w.lower() for w in WORD.findall(speaker_name(attribution))}


def _denied_text(attribution: Attribution, document: Document) -> str | None:
    """What a denial speech act denies, or None when the attribution is none: the object of
    a denying verb ("denied *that the jets struck*", "rejected *the report*"), or the statement
    someone calls false ("telling the public *that nobody was hurt* is simply not true")."""
    content = document.slice(attribution.content)
    if attribution.stance == "denial":
        if attribution.kind in _DENIAL_KINDS and _denies_a_statement(attribution, document):
            return _denied_phrase(content)
        return None
    if attribution.stance not in ("assertion", "accusation"):
        return None
    called_false = _CALLED_FALSE.search(content)
    if called_false is None:
        return None
    denied = called_false.group("denied")
    clause = re.search(r"\bthat\s+(.+)$", denied)  # "telling them *that* nobody was hurt"
    return clause.group(1) if clause else denied


def _denies_a_statement(denial: Attribution, document: Document) -> bool:
    """A speech act that denies a statement: "denied that ...", "denied the reports", "denied
    any involvement", "dismissed / rejected / disputed *the claim* ...". Not a refusal
    ("declined to say"), an opposition ("opposed the extradition") or a verb whose object is
    no statement ("dismissed his defence team", "rejected calls for talks", "disputed control
    of the region", "denied bail")."""
    cue = document.slice(denial.cue).lower() if denial.cue else ""
    content = document.slice(denial.content).lstrip(" \"“‘")
    lemma = next((lemma for lemma in _DENYING_VERBS if cue.startswith(lemma)), None)
    if lemma is None or content.lower().startswith("to "):
        return False
    assert denial.cue is not None
    if _NEGATED_CUE.search(document.text[max(0, denial.cue.start - 16) : denial.cue.start]):
        return False  # "did not deny", "never disputed": no denial at all
    words = [normal(w) for w in WORD.findall(_denied_phrase(content))]
    if _CLAUSE_START.match(content):
        return True  # "denied that ...", "disputed that ..."
    if lemma in ("deni", "deny"):  # "denied the reports", "denied any wrongdoing"
        return any(w in _STATEMENT_NOUNS or w in _DENIED_ACTS for w in words[:6])
    # "dismissed the claim", but not "dismissed the charges" (a court ends a case)
    return any(w in _STATEMENT_NOUNS and w not in _CASE_NOUNS for w in words[:6])


def _asks(attribution: Attribution, document: Document) -> bool:
    if attribution.cue is None or attribution.cue.end > attribution.content.start:
        return False
    return bool(_QUESTION_AFTER_CUE.match(
        document.text[attribution.cue.end : attribution.content.start + 1]))


def _subordinate(
    target: Attribution, candidates: Sequence[Attribution], docs: dict[str, Document]
) -> bool:
    """A participle cue ("citing", "adding", "noting") hangs on another statement, and a
    fragment lies inside a longer content of the same speaker."""
    if target.cue is not None and docs[target.doc].slice(target.cue).lower().endswith("ing"):
        return True
    return any(other is not target and other.doc == target.doc
               and surname_key(other) == surname_key(target)
               and other.content.contains(target.content) and other.content != target.content
               for other in candidates)


def denial_relations(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[Relation]:
    """A `denial` relation from each denial attribution to the statement it denies."""
    docs = {d.id: d for d in analysis.documents}
    relations = []
    # one speaker denying one statement twice in an article ("denied that ...", then "this is
    # not true") is one denial: the denying verb's, else the first
    kept: dict[tuple[str | None, str, str], tuple[Attribution, Attribution, float, str]] = {}
    for link in denial_links(analysis, embed):
        key = (surname_key(link[0]), link[0].doc, link[1].id)
        if key not in kept or (link[0].stance == "denial" and kept[key][0].stance != "denial"):
            kept[key] = link
    for denial, target, score, why in kept.values():
        members = (denial.id, target.id)
        denied = docs[denial.doc].slice(denial.content)
        cue = docs[denial.doc].slice(denial.cue) if denial.cue else "denied"
        said = (f"{cue} {denied}" if denial.stance == "denial"
                else f"calls a statement false: “{denied}”")
        relations.append(Relation(
            relation_id("denial", members), "denial", members,
            (denial.content, target.content), score,
            f"{speaker_name(denial)} ({docs[denial.doc].outlet_label}) {said}, taken to be "
            f"{speaker_name(target)}'s statement “{docs[target.doc].slice(target.content)}” "
            f"({docs[target.doc].outlet_label}): {why}.",
        ))
    return relations
