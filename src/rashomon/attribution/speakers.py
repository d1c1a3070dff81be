"""Speakers: the words naming a speaker turned into a `Speaker` (names, pronouns, role nouns,
anonymous sources), with a history for later references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.attribution.context import (
    PERSON_ROLES,
    Candidate,
    Context,
    Name,
    inside_quote,
    relative_subject,
    strip_determiner,
    subject_of,
    subtree_bounds,
    within_paragraph,
    word_set,
)
from rashomon.attribution.cues import cue_for
from rashomon.model import (
    Span,
    Speaker,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["SpeakerResolver"]


_PERSON_PRONOUNS = frozenset({"he", "him", "she", "her"})


_GROUP_PRONOUNS = frozenset({"they", "them"})


_THING_PRONOUNS = frozenset({"it"})


# A possessive naming who holds a view ("his call to ...", a noun cue's source) stands for
# whom its subject form would.
_SUBJECT_FORM = {"his": "he", "their": "they"}


def _subject_form(pronoun: Token) -> str:
    return _SUBJECT_FORM.get(pronoun.lower_, pronoun.lower_)


# "we"/"us"/"our" inside a quotation: the speaker's side (their company, team, government).
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours"})


# Words that tell a person's gender in the text itself (a role noun, an honorific): "she" never
# goes to someone the article calls "the actor" or "Mr. Berg".
_FEMALE_WORDS = frozenset({
    "she", "her", "ms", "mrs", "miss", "woman", "actress", "spokeswoman", "chairwoman",
    "congresswoman", "businesswoman", "mother", "wife", "daughter", "sister", "girl", "queen",
    "princess", "grandmother", "aunt", "niece", "girlfriend", "widow", "lady", "waitress",
})


_MALE_WORDS = frozenset({
    "he", "him", "mr", "man", "actor", "spokesman", "chairman", "congressman", "businessman",
    "father", "husband", "son", "brother", "boy", "king", "prince", "grandfather", "uncle",
    "nephew", "boyfriend", "widower", "sir", "waiter",
})


def _gender_of_words(words: frozenset[str]) -> str | None:
    female, male = bool(words & _FEMALE_WORDS), bool(words & _MALE_WORDS)
    if female == male:
        return None
    return "f" if female else "m"


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


# Roles one person holds, for a role noun named before or after in an apposition.
_PERSON_ROLE_NOUNS = PERSON_ROLES | frozenset({
    "rep", "representative", "manager", "coach", "attorney", "publicist", "agent", "owner",
    "executive", "ceo", "founder", "sheriff", "coroner", "detective", "inspector", "constable",
    "superintendent", "commissioner", "principal", "producer", "director", "curator",
}) - frozenset({"source", "official", "officer", "man", "woman", "head", "aide"})


# Words around a role noun that are not the role ("her rep", "the team's manager").
_NOT_ROLE_WORDS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "'s", "’s", "s",
})


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
    content: tuple[int, int] = (0, 0)


_ORGANISATION_WORDS = frozenset({
    "authority", "ministry", "council", "union", "office", "staff", "department", "agency",
    "committee", "government", "company", "group", "cooperative", "association", "court",
    "police", "army", "military", "service", "bank", "party", "board", "commission", "institute",
})


def _looks_like_a_name(text: str) -> bool:
    """Two or three capitalised words and no organisation noun: probably a person."""
    words = text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not (
        word_set(text) & _ORGANISATION_WORDS
    )


class SpeakerResolver:
    """Turns the words naming a speaker into a `Speaker`, in text order, remembering each."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.history: list[_Known] = []
        self._cue_i = -1  # the cue of the candidate being resolved: no speaker span covers it

    # phrases ---------------------------------------------------------------------------------

    def phrase(self, head: Token) -> tuple[int, int]:
        """Token bounds of the noun phrase headed by `head`, without clauses or appositions."""
        first = last = head.i
        for child in head.lefts:
            if child.dep_ in _LEFT_DEPS:
                first = min(first, subtree_bounds(child)[0])
        for child in head.rights:
            if child.is_punct or child.dep_ not in _RIGHT_DEPS:
                break
            if child.dep_ == "acl" and child.lemma_.lower() not in _RELAY_VERBS:
                break
            last = max(last, subtree_bounds(child)[1])
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
            child_last = subtree_bounds(child)[1]
            if child_last - last > _MAX_APPOSITION:
                break
            last = child_last
        for i in range(head.i, last + 1):
            if doc[i].text == ":":  # a speaker never runs over a colon ("Lynch: No ...")
                last = i - 1
                break
        while last > head.i and (doc[last].is_punct or doc[last].dep_ == "cc"):
            last -= 1
        first, last = within_paragraph(self.ctx, head, first, last)
        first = self._past_quoted_title(first, head)
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        return start, end, self.ctx.document.text[start:end]

    def _past_quoted_title(self, first: int, head: Token) -> int:
        """The span's first token moved past quoted words closed before the head: a speaker
        never starts inside a quoted title ("“No retreat” union leader Ana Silva said": the
        parser hangs the headline's quoted words on the speaker's noun)."""
        doc = self.ctx.parsed
        quote = self.ctx.quote_at(doc[first].idx)
        if quote is None or quote.close >= head.idx:
            return first
        while first < head.i and (doc[first].idx <= quote.close or doc[first].is_punct
                                  or doc[first].is_space):
            first += 1
        return first

    # resolution ------------------------------------------------------------------------------

    def resolve(self, candidate: Candidate) -> Speaker:
        head = candidate.subject
        self._cue_i = candidate.cue_token.i if candidate.cue_token is not None else -1
        if head is None:
            return Speaker(None, "", uncertain=True)
        if head.lower_ in _FIRST_PLURAL and (
            inside_quote(self.ctx, head) or self._in_unpaired_quote(head)
        ):
            return self._our_side(head)
        if head.lower_ in ("i", "we") and not inside_quote(self.ctx, head):
            # The writer speaking ("I think", "We examined"): the author, or the outlet.
            document = self.ctx.document
            name = document.author if head.lower_ == "i" else document.outlet
            span = document.span(head.idx, head.idx + len(head))
            return Speaker(span, head.text, name, uncertain=name is None)
        if (head.pos_ == "PRON" or head.tag_ == "PRP$") and _subject_form(head) in (
            _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS
        ):
            return self._pronoun(head, candidate)
        speaker = self.describe(head)
        relative = relative_subject(candidate.cue_token)
        if relative is not None and candidate.cue_token is not None \
                and head == candidate.cue_token.head:
            # "Ralston, who attended the rally, said ...": the words naming the speaker in the
            # reporting clause are "who"; the name is the noun it stands for.
            span = self.ctx.document.span(relative.idx, relative.idx + len(relative))
            return Speaker(span, relative.text, speaker.name or strip_determiner(speaker.text),
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
        return Speaker(span, text, full or strip_determiner(text), uncertain=uncertain,
                       reason="the role fits more than one person named" if uncertain else None)

    def _appositive_name(self, head: Token) -> tuple[Token, Name] | None:
        """"The union’s leader, Marta Lopes, ...": the person the role noun stands beside."""
        for child in head.rights:
            name = self.ctx.name_at(child) if child.dep_ == "appos" else None
            if name is not None and name.label == "PERSON":
                return child, name
        return None

    def _is_anonymous(self, head: Token, name: Name | None) -> bool:
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

    def _named(self, span: Span, text: str, head: Token, name: Name) -> Speaker:
        has_owner = any(c.dep_ == "poss" for c in head.children)
        if name.label == "PERSON" or not has_owner:
            resolved, uncertain = self._full_name(strip_determiner(name.text), name.start)
        else:
            resolved, uncertain = strip_determiner(text), False
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
        """"the spokesman", "her rep", "the port's director" -> the person the document names
        with that role (every word of it but a possessive pronoun): an earlier speaker whose
        words hold it, or a person introduced with it ("Harbour spokesman Teodor B.", "Teodor
        B., the harbour's spokesman"), earlier or, when no one earlier, later. Uncertain when
        the role fits more than one person."""
        role = frozenset(w for w in word_set(text) - _NOT_ROLE_WORDS if w.isalpha())
        if not role:
            return None, False
        matches = [
            k.speaker.name for k in reversed(self.history)
            if k.speaker.name and not k.speaker.anonymous and role <= k.words
            and k.speaker.span is not None and k.speaker.span.start != start
        ]
        one_person = head.tag_ == "NN" and head.lemma_.lower() in _PERSON_ROLE_NOUNS
        matches += self._introduced_with_role(role, head.lower_, start, appositions=one_person)
        if not matches and one_person:
            matches = self._introduced_with_role(role, head.lower_, start, later=True)
        if not matches:
            return None, False
        distinct = set(matches)
        return matches[0], len(distinct) > 1

    def _introduced_with_role(
        self, role: frozenset[str], role_head: str, before: int, *, later: bool = False,
        appositions: bool = True,
    ) -> list[str]:
        """PERSON names with the role in the few words before them ("Harbour spokesman Teodor
        B.") or in an apposition ending in the role's own noun ("Teodor B., the harbour's
        spokesman,"): those before `before`, nearest first, or with `later` those after it, in
        order (then the role's noun must come right before the name: "company spokesman
        Teodor B." is not "the company"). Appositions and later names only for a role one
        person holds ("the rep", not "police" or "the ministry", whose people are not the
        body)."""
        text = self.ctx.document.text
        names = (list(self.ctx.names_before(before)) if not later
                 else [n for n in self.ctx.names if n.start > before])
        found = []
        for name in names:
            if name.label != "PERSON":
                continue
            before_words = text[max(0, name.start - 60) : name.start].split()[-3:]
            preceding = word_set(" ".join(before_words))
            following: list[str] = []
            if appositions and text[name.end : name.end + 2] == ", ":
                following = re.findall(r"[\w’']+", text[name.end + 2 : name.end + 80].split(",")[0])
            appositive = (0 < len(following) <= 6 and following[-1].lower() == role_head
                          and role <= word_set(" ".join(following)))
            # before a name later in the text, the role's own noun must lead into the name
            named_before = role <= preceding and (
                not later or (bool(before_words) and before_words[-1].lower() == role_head))
            if named_before or appositive:
                found.append(self._full_name(name.text, name.start)[0])
        return found

    def _our_side(self, pronoun: Token) -> Speaker:
        """"we"/"our" inside a quotation: the side of the person quoted, never the outlet.

        The organisation named in the words naming the quote's speaker ("Ana Silva, the
        union's leader" -> the union) when there is one; else the speaker's own name, marked
        uncertain (a person's "we" is their side, which the text does not name)."""
        span = self.ctx.document.span(pronoun.idx, pronoun.idx + len(pronoun))
        quoted = next((k for k in reversed(self.history)
                       if k.content[0] <= pronoun.idx < k.content[1] and k.speaker.name), None)
        if quoted is None and not inside_quote(self.ctx, pronoun):
            # marks that do not pair: the speaker of the paragraph before, if any, as a guess
            paragraph = self.ctx.paragraph_of(pronoun.idx)
            earlier = next((k for k in reversed(self.history) if k.speaker.name
                            and k.position < pronoun.idx and paragraph - k.paragraph <= 1), None)
            organisation = self._organisation_in(earlier.speaker) if earlier else None
            if earlier is not None and organisation is not None:
                return Speaker(span, pronoun.text, organisation.text, organisation.entity,
                               uncertain=True, reason=f"“{pronoun.text}” in a quotation whose "
                               f"marks do not pair, after the words of {earlier.speaker.name} "
                               f"of {organisation.text}")
            if earlier is not None:
                return Speaker(span, pronoun.text, earlier.speaker.name, earlier.speaker.entity,
                               uncertain=True, reason=f"“{pronoun.text}” in a quotation whose "
                               f"marks do not pair, after {earlier.speaker.name}'s words")
        if quoted is None:
            return Speaker(span, pronoun.text, uncertain=True,
                           reason=f"“{pronoun.text}” in a quotation whose speaker is not known")
        organisation = self._organisation_in(quoted.speaker)
        if organisation is not None:
            return Speaker(span, pronoun.text, organisation.text, organisation.entity)
        return Speaker(span, pronoun.text, quoted.speaker.name, quoted.speaker.entity,
                       uncertain=True,
                       reason=f"“{pronoun.text}” is {quoted.speaker.name}'s side, not named")

    def _in_unpaired_quote(self, token: Token) -> bool:
        """Inside quoted words whose marks did not pair: the paragraph opens with a quote mark
        no quotation starts at, or closes with one no quotation ends at (a quote running over
        paragraphs, or a straight mark closed by a curly one)."""
        text = self.ctx.document.text
        start = self.ctx.paragraph_starts[self.ctx.paragraph_of(token.idx)]
        end = text.find("\n", token.idx)
        end = len(text) if end == -1 else end
        line = text[start:end].strip()
        if not line:
            return False
        first = start + text[start:end].index(line[0])
        last = first + len(line) - 1
        opens = line[0] in "“\"‘'" and self.ctx.quote_at(first) is None
        closes = line[-1] in "”\"’'" and self.ctx.quote_at(last) is None
        return opens or closes

    def _organisation_in(self, speaker: Speaker) -> Name | None:
        if speaker.span is None:
            return None
        for name in self.ctx.names:
            if name.label == "ORG" and speaker.span.start <= name.start \
                    and name.end <= speaker.span.end:
                return name
        return None

    def _gender(self, name: str | None, speaker: Speaker | None = None) -> str | None:
        """"f", "m" or None: from an honorific before the name's last word anywhere in the
        text, or the words naming the speaker ("the actress"; in "the actress's rep" a
        possessor's words do not count). Pronouns already resolved are not
        used: one wrong guess would then steer the next."""
        if not name:
            return None
        surname = re.escape(name.split()[-1])
        honorifics = {m.group(1).lower() for m in re.finditer(
            r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w'-]*\s+){0,2}" + surname + r"\b",
            self.ctx.document.text)}
        found = _gender_of_words(frozenset(honorifics))
        if found is None and speaker is not None and speaker.span is not None:
            found = _gender_of_words(self._own_words(speaker.span))
        return found

    def _own_words(self, span: Span) -> frozenset[str]:
        """The words of a speaker's phrase less its possessors ("the actress's rep" is not
        an actress)."""
        phrase = self.ctx.parsed.char_span(span.start, span.end, alignment_mode="expand")
        if phrase is None:
            return frozenset()
        owned = {t.i for t in phrase if t.dep_ == "poss" for t in t.subtree}
        return frozenset(t.lower_ for t in phrase if t.i not in owned)

    def _pronoun(self, pronoun: Token, candidate: Candidate) -> Speaker:
        span = self.ctx.document.span(pronoun.idx, pronoun.idx + len(pronoun))
        word = _subject_form(pronoun)
        wants_person = word in _PERSON_PRONOUNS
        wants_thing = word in _THING_PRONOUNS
        wants_gender = _gender_of_words(frozenset({word})) if wants_person else None
        governing = self._governing_speaker(candidate.cue_token)
        if governing is not None and governing.name:
            return Speaker(span, pronoun.text, governing.name, governing.entity)
        last_speaker: _Known | None = None  # a compatible speaker further back
        for known in reversed(self.history):
            if known.position >= candidate.position or known.speaker.anonymous:
                continue
            if not known.speaker.name:
                continue
            if wants_person and not known.person or wants_thing and known.person:
                continue
            gender = self._gender(known.speaker.name, known.speaker)
            if wants_gender and gender and gender != wants_gender:
                continue  # "she" after a man's words: someone earlier, or no one
            recent = known.last_sentence >= candidate.sentence - 1
            if recent:
                rival = self._rival(known, pronoun, candidate.sentence, wants_gender)
                reason = None if rival is None else (
                    f"“{pronoun.text}” could be {known.speaker.name} or {rival}")
                return self._resolved(span, pronoun, known.speaker.name, known.speaker.entity,
                                      reason, person=known.person)
            last_speaker = known
            break
        subject = self._previous_subject(pronoun, candidate.sentence, wants_person, wants_thing)
        if subject is not None and not (
            wants_gender and self._gender(subject.name, subject) not in (None, wants_gender)
        ):
            # "Berg said ... Lind caught two passes. “...,” he said": the subject just before
            # or the speaker a little further back, in this paragraph or the one before.
            paragraph = self.ctx.paragraph_of(pronoun.idx)
            rival = last_speaker.speaker.name if last_speaker is not None \
                and paragraph - last_speaker.paragraph <= 1 else None
            reason = None if not rival or not subject.name or rival == subject.name \
                or subject.name in rival else (
                    f"“{pronoun.text}” could be {subject.name} or {rival}")
            return self._resolved(span, pronoun, subject.name, subject.entity, reason,
                                  person=self._names_a_person(subject.name))
        for name in self.ctx.names_before(pronoun.idx):
            person = name.label == "PERSON"
            if (wants_person and not person) or (wants_thing and person):
                continue
            if name.label not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            resolved, _ = self._full_name(name.text, name.start)
            if wants_gender and self._gender(resolved) not in (None, wants_gender):
                continue
            reason = f"no speaker just before “{pronoun.text}”: the nearest name before it"
            if last_speaker is not None and last_speaker.speaker.name != resolved:
                reason = (f"“{pronoun.text}” could be {resolved} (named just before) or "
                          f"{last_speaker.speaker.name} (who spoke earlier)")
            return self._resolved(span, pronoun, resolved, name.entity, reason, person=person)
        return Speaker(span, pronoun.text, uncertain=True,
                       reason=f"no one named before “{pronoun.text}” it can stand for")

    def _resolved(self, span: Span, pronoun: Token, name: str | None, entity: str | None,
                  reason: str | None, *, person: bool = False) -> Speaker:
        """A pronoun resolved to `name`; `reason` says why that is a guess. "they" resolved to
        one person is a guess too: far more often it is a group the nearest speaker belongs to
        or stood beside ("Lopes and Lind met. ... Later they said ...")."""
        if reason is None and person and _subject_form(pronoun) in _GROUP_PRONOUNS:
            reason = f"“{pronoun.text}” is plural and {name} is one person"
        return Speaker(span, pronoun.text, name, entity, uncertain=reason is not None,
                       reason=reason)

    def _rival(self, known: _Known, pronoun: Token, sentence: int,
               wants_gender: str | None) -> str | None:
        """Another person who could be the pronoun: named as the subject of a sentence after
        the known speaker's last words and before the pronoun, of no other gender ("Berg
        spoke. Costa scored twice. “...,” he said": Berg or Costa)."""
        name_of = known.speaker.name or ""
        for index in range(known.last_sentence + 1, sentence + 1):
            if index >= len(self.ctx.sentences):
                break
            root = self.ctx.sentences[index].root
            subject = subject_of(root)
            if subject is None or subject.i >= pronoun.i or subject.pos_ == "PRON":
                continue
            name = self.ctx.name_at(subject)
            if name is None or name.label != "PERSON":
                continue
            full, _ = self._full_name(name.text, name.start)
            if full in name_of or name_of in full:
                continue
            if wants_gender and self._gender(full) not in (None, wants_gender):
                continue
            return full
        return None

    def _names_a_person(self, name: str | None) -> bool:
        """Whether the text names a person by `name` (a PERSON mention with these words)."""
        return name is not None and any(
            n.label == "PERSON" and (n.text == name or n.text in name) for n in self.ctx.names)

    def _previous_subject(
        self, pronoun: Token, sentence: int, wants_person: bool, wants_thing: bool
    ) -> Speaker | None:
        """The named subject of the sentence before: "Silva opened the terminal. ..., she said"."""
        if sentence < 1:
            return None
        previous = self.ctx.sentences[sentence - 1]
        subject = subject_of(previous.root)
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
            subject = subject_of(ancestor)
            if subject is not None and subject.i == cue_token.i:
                return None  # "His attacks on the board continued": the cue is the subject
            if subject is not None and subject.pos_ != "PRON":
                return self.describe(subject)
            return None
        return None

    # history ---------------------------------------------------------------------------------

    def remember(self, candidate: Candidate) -> None:
        speaker = candidate.speaker
        if speaker is None or not speaker.text:
            return
        end = max(candidate.content[1], candidate.cue[1] if candidate.cue else 0)
        head = candidate.subject
        person = self._is_person(speaker, head)
        self.history.append(_Known(
            candidate.position, self.ctx.sentence_of(max(end - 1, 0)),
            self.ctx.paragraph_of(max(end - 1, 0)), speaker, person, word_set(speaker.text),
            candidate.medium, candidate.content,
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
        if head.lemma_.lower() in PERSON_ROLES:
            return True
        # A name the tagger missed: "Ilse Poward, the county's plant-health officer, said".
        roles = [c for c in head.rights if c.dep_ == "appos" and c.lemma_.lower() in PERSON_ROLES]
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
