"""Speakers: the words naming a speaker turned into a `Speaker` (names, pronouns, role nouns,
anonymous sources), with a history for later references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.attribution.context import (
    _PERSON_ROLES,
    _Candidate,
    _Context,
    _inside_quote,
    _Name,
    _relative_subject,
    _strip_determiner,
    _subject_of,
    _subtree_bounds,
    _within_paragraph,
    _words,
)
from rashomon.attribution.cues import cue_for
from rashomon.model import (
    Span,
    Speaker,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__: list[str] = []  # the package's own resolver: nothing public here


_PERSON_PRONOUNS = frozenset({"he", "him", "she", "her"})


_GROUP_PRONOUNS = frozenset({"they", "them"})


_THING_PRONOUNS = frozenset({"it"})


_ANONYMOUS_HEADS = frozenset({
    "source", "official", "officer", "diplomat", "insider", "aide", "person", "people",
    "spokesperson", "spokesman", "spokeswoman", "analyst", "observer", "witness", "resident",
})


_AGENCIES = ("AFP", "Reuters", "AP", "Associated Press", "TASS", "RIA Novosti", "Interfax",
             "Bloomberg", "Ukrinform", "Xinhua", "dpa", "ANSA", "EFE", "Kyodo", "Yonhap", "UNIAN")


_AGENCY = re.compile(r"\b(" + "|".join(re.escape(a) for a in _AGENCIES) + r")\b")


_LEFT_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "advmod"})


_RIGHT_DEPS = frozenset({"prep", "compound", "flat", "amod", "acl", "case"})


_RELAY_VERBS = frozenset({"cite", "quote"})


_MAX_APPOSITION = 30  # tokens: a longer "apposition" is the parser running on


_SPEAKER_RIGHT_DEPS = frozenset({"appos", "relcl", "conj", "cc", "prep", "acl"})


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


class _SpeakerResolver:
    """Turns the words naming a speaker into a `Speaker`, in text order, remembering each."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.history: list[_Known] = []
        self._cue_i = -1  # the cue of the candidate being resolved: no speaker span covers it

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
        first, last = self.phrase(head)
        # "Bruce Hough, the party's committeeman from Utah, said": the description beside the
        # name is part of the words naming the speaker (and of PolNeAR's source spans).
        # So are other people named with it ("experts and officials"), and what places it
        # ("Pantucci, at the Royal United Services Institute, said").
        doc = self.ctx.parsed
        for child in head.rights:
            if child.i <= last or child.dep_ not in _SPEAKER_RIGHT_DEPS:
                continue
            if any(g.i == self._cue_i for g in child.subtree):
                break
            child_last = _subtree_bounds(child)[1]
            if child_last - last > _MAX_APPOSITION:
                break
            last = child_last
        for i in range(head.i, last + 1):
            if doc[i].text == ":":  # a speaker never runs over a colon ("Lynch: No ...")
                last = i - 1
                break
        while last > head.i and (doc[last].is_punct or doc[last].dep_ == "cc"):
            last -= 1
        first, last = _within_paragraph(self.ctx, head, first, last)
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        return start, end, self.ctx.document.text[start:end]

    # resolution ------------------------------------------------------------------------------

    def resolve(self, candidate: _Candidate) -> Speaker:
        head = candidate.subject
        self._cue_i = candidate.cue_token.i if candidate.cue_token is not None else -1
        if head is None:
            return Speaker(None, "", uncertain=True)
        if head.lower_ in ("i", "we") and not _inside_quote(self.ctx, head):
            # The writer speaking ("I think", "We examined"): the author, or the outlet.
            document = self.ctx.document
            name = document.author if head.lower_ == "i" else document.outlet
            span = document.span(head.idx, head.idx + len(head))
            return Speaker(span, head.text, name, uncertain=name is None)
        if head.pos_ == "PRON" and head.lower_ in (
            _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS
        ):
            return self._pronoun(head, candidate)
        speaker = self.describe(head)
        relative = _relative_subject(candidate.cue_token)
        if relative is not None and candidate.cue_token is not None \
                and head == candidate.cue_token.head:
            # "Ralston, who attended the rally, said ...": the words naming the speaker in the
            # reporting clause are "who"; the name is the noun it stands for.
            span = self.ctx.document.span(relative.idx, relative.idx + len(relative))
            return Speaker(span, relative.text, speaker.name or _strip_determiner(speaker.text),
                           speaker.entity, uncertain=speaker.uncertain,
                           anonymous=speaker.anonymous)
        return speaker

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
        """"Brannik" -> "Teodor Brannik" when the document named him in full earlier."""
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
        """PERSON names whose few preceding words hold the role ("Harbour spokesman Teodor B.")."""
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
        """"The mayor added that she had urged ...": the pronoun is the reporting clause's subject."""
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
        # "told the Courier" in the Veyra Courier is the outlet's own reporting, not a relay
        outlet_words = set(re.findall(r"\w+", (self.ctx.document.outlet or "").lower()))
        found = [f for f in found
                 if not outlet_words or not set(re.findall(r"\w+", f.lower())) <= outlet_words]
        return tuple(dict.fromkeys(found))
