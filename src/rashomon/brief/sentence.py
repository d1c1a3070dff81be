"""A brief sentence being assembled, and the parts every section builds it from: a speaker's
name read from a cited span, one side of an account ("{speaker} {cue} “{words}” ({outlet})")."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.brief.words import MAX_WORDS, excerpt_of, sentence_around
from rashomon.model import Attribution, BriefSentence, Claim, Document, Mention, Span
from rashomon.story_view import StoryView, speaker_key

__all__ = [
    "Sentence",
    "claim_side",
    "count",
    "cue_phrase",
    "entity_mention",
    "known_speaker",
    "listing",
    "misread",
    "name_span",
    "named_in_sentence",
    "short_name",
    "side",
    "speaker_inside",
    "speaker_key",
    "speaker_name",
    "speaks",
]

_SENTENCE_START = re.compile(r"(?:^|[.!?\"“”]\s*|\n\s*)$")
# Where a sentence surely starts: not after a closing quote mark ("…,” Felt wrote").
_STRICT_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n\s*)$")
_ASKED_OF = re.compile(r"\b(?:when|was|were|being|after being)\s+asked\b", re.IGNORECASE)
# The starts of words of saying, writing or thinking, whatever their ending.
# Not "declined" or "refused": declining to speak says nothing.
_SPEECH_STEMS = tuple("""
    say said tell told add stat announc confirm admit deni deny claim explain insist warn wrot
    writ report accord acknowledg argu note suggest ask repl reveal disclos describ
    assert believ think thought fear hope expect accus urg prais critic estimat predict promis
    vow pledg recall conced agree quot call tweet post comment respond answer remark mention
    testif testi said complain blam maintain contend allege alleg dismiss reject
""".split())
# Words between a speaker and the cue that are kept with the cue: "would not", "has since".
_MAX_GAP_CHARS = 24
_GAP_WORDS = re.compile(r"[\w\s'’-]*")
_PRONOUNS = frozenset(
    "he she they it we i you him her them his hers their its who whom which that".split())


@dataclass(slots=True)
class Sentence:
    """A sentence being assembled: its text and the spans its words were read from."""

    parts: list[str]
    citations: list[Span]

    @classmethod
    def empty(cls) -> Sentence:
        return cls([], [])

    def say(self, words: str) -> Sentence:
        self.parts.append(words)
        return self

    def cite(self, *spans: Span | None) -> Sentence:
        for span in spans:
            if span is not None and span not in self.citations:
                self.citations.append(span)
        return self

    def done(self, section: str, relation: str | None = None) -> BriefSentence | None:
        text = terms.one_line("".join(self.parts))
        if not text or not self.citations:
            return None  # a sentence with nothing to cite is not written
        return BriefSentence(section, text, tuple(self.citations), relation)  # type: ignore[arg-type]


def short_name(text: str) -> str:
    """ "Ilse Poward, the county's plant-health officer" -> "Ilse Poward"."""
    return re.split(r",|\(|\s+who\s+|\s+which\s+|\s+that\s+", text, maxsplit=1)[0].strip()


def entity_mention(piece: StoryView, entity: str, doc: str | None) -> Span | None:
    """A mention naming an entity, the fullest one, in `doc` when it has one."""
    naming = _Naming.of(piece)
    key = (entity, doc)
    if key not in naming.found:
        mentions = naming.by_entity.get(entity)
        name = piece.entity_names.get(entity, "")
        naming.found[key] = max(mentions, key=lambda m: (
            m.span.doc == doc, m.text == name, len(m.text), -m.span.start)).span if mentions else None
    return naming.found[key]


@dataclass
class _Naming:
    """A story view's mentions naming each entity (not a role or an epithet), in the view's
    order, and the mention `entity_mention` chose for each entity and document asked.

    A brief asks for a speaker's mention thousands of times, and a scan of the story's
    mentions each time was a tenth of the story-level stage (`bench/speed.py`). Kept for the
    last view asked, known by the identity of its mentions and entity names, which the entry
    holds (so no other object can take their ids)."""

    mentions: tuple[Mention, ...]
    entity_names: Mapping[str, str]
    by_entity: dict[str, list[Mention]]
    found: dict[tuple[str, str | None], Span | None]

    @classmethod
    def of(cls, piece: StoryView) -> _Naming:
        entry = _LAST_NAMING[0] if _LAST_NAMING else None
        if (entry is None or entry.mentions is not piece.mentions
                or entry.entity_names is not piece.entity_names):
            by_entity: dict[str, list[Mention]] = {}
            for mention in piece.mentions:
                if mention.entity is not None and mention.label not in ("ROLE", "EPITHET"):
                    by_entity.setdefault(mention.entity, []).append(mention)
            entry = cls(piece.mentions, piece.entity_names, by_entity, {})
            _LAST_NAMING[:] = [entry]  # this call reads its own entry, whatever other threads do
        return entry


_LAST_NAMING: list[_Naming] = []


def name_span(piece: StoryView, attribution: Attribution) -> Span | None:
    """Where the speaker's name can be read: a mention of their entity, else the words that
    name them in this sentence (cut to the name itself), never a bare pronoun.

    The entity's fuller name is used only when it agrees with the words that name the speaker
    where they speak ("Ketsoyan" in "Jack Ketsoyan"): a speaker named "O'Connor" linked to
    another person's entity is shown as "O'Connor". A speaker resolved with doubt (the
    attribution marks it uncertain) is named by the words where they speak, and a pronoun
    resolved with doubt names nobody."""
    speaker = attribution.speaker
    local = _local_name(piece, attribution)
    # a speaker resolved with doubt ("The union also said", taken for its chair) is shown by
    # the article's own words
    if speaker.entity and not speaker.uncertain:
        found = entity_mention(piece, speaker.entity, attribution.doc)
        if found is not None and (local is None or _agrees(piece, local, found)):
            return found
    return local


def _local_name(piece: StoryView, attribution: Attribution) -> Span | None:
    """The words naming the speaker in the attribution's own sentence, cut to the name."""
    speaker = attribution.speaker
    if speaker.span is None:
        return None
    document = piece.by_id[attribution.doc]
    text = document.slice(speaker.span)
    name = short_name(text)
    if not name or name.lower() in _PRONOUNS:
        return None
    start = speaker.span.start + text.index(name)
    return Span(speaker.span.doc, start, start + len(name))


def _agrees(piece: StoryView, local: Span, found: Span) -> bool:
    """Whether an entity's name holds the capitalised words of the local naming (a role such
    as "her rep" has none, and agrees)."""
    capitals = {w.lower() for w in terms.words(piece.by_id[local.doc].slice(local))
                if w[:1].isupper() and w.lower() not in terms.STOP_WORDS}
    fuller = {w.lower() for w in terms.words(piece.by_id[found.doc].slice(found))}
    return not capitals or bool(capitals & fuller)


def speaker_name(piece: StoryView, attribution: Attribution, sentence: Sentence) -> str:
    """The speaker's name read from a cited span, or a description in our own words."""
    span = name_span(piece, attribution)
    if span is None:
        return "an unnamed speaker" if attribution.speaker.anonymous else "a speaker"
    sentence.cite(span)
    return terms.one_line(piece.by_id[span.doc].slice(span))


def side(piece: StoryView, attribution: Attribution, sentence: Sentence,
         evidence: Span | None = None, max_words: int = MAX_WORDS) -> None:
    """ "{speaker} {cue} “{words}” ({outlet}[, paraphrase])" for one attribution."""
    document = piece.by_id[attribution.doc]
    cue_span = cue_phrase(document, attribution)
    words = evidence or attribution.content
    # a few quoted words inside the outlet's own clause ("told the Ledger that the ferry would
    # stay in dock “until her hull has been certified”"): the clause is shown with them
    lead = _indirect_lead(document, attribution, cue_span, words)
    if lead is not None:
        cue_span, words = lead
    excerpt = excerpt_of(document, words, max_words=max_words)
    if excerpt is not None:
        sentence.cite(excerpt.span)  # the quoted words first: what a reader checks first
    name = speaker_name(piece, attribution, sentence)
    if cue_span is not None and excerpt is not None:
        cue_span = _with_object(document, cue_span, excerpt.span)
    cue = finite_cue(terms.one_line(document.slice(cue_span))) if cue_span else ""
    if cue.lower() == "according to":
        sentence.say(f"according to {name}, ")
    elif cue:
        # the cue's first letter only: the words before it may hold a name ("trade magazine
        # The Hollywood Reporter wrote")
        sentence.say(f"{name} {cue[:1].lower()}{cue[1:]} ")
    else:
        sentence.say(f"{name}: ")
    sentence.cite(cue_span)
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)
    paraphrase = "" if attribution.kind in QUOTE_KINDS and lead is None else ", paraphrase"
    sentence.say(f" ({piece.outlet(attribution.doc)}{paraphrase})")


# The most words of the outlet's own clause shown before a partial quote it leads into.
_MAX_LEAD_WORDS = 15
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)


def _indirect_lead(document: Document, attribution: Attribution, cue: Span | None,
                   words: Span) -> tuple[Span, Span] | None:
    """For a partial quote that ends an indirect clause of the same sentence ("X told the
    Ledger *that the ferry would stay in dock* “until …”"), the cue with the few words before
    "that" (whom it was told, when) and the words from "that" to the quote's end; else None."""
    if attribution.kind != "partial" or cue is None or cue.doc != words.doc \
            or cue.end > words.start:
        return None
    gap = document.text[cue.end : words.start]
    that = _THAT.search(gap)
    if that is None or re.search(r"[.!?;\n]", gap) or len(gap.split()) > _MAX_LEAD_WORDS \
            or len(gap[: that.start()].split()) > _MAX_OBJECT_WORDS:
        return None
    object_end = cue.end + len(gap[: that.start()].rstrip())
    end = words.end + (document.text[words.end : words.end + 1] in "”\"")  # its closing mark
    return (Span(cue.doc, cue.start, max(cue.end, object_end)),
            Span(words.doc, cue.end + that.start(), end))


# "told" needs whom it was told: the object is shown when the article names it in a few words
# between the cue and the words ("told *the magazine*"), else the verb becomes "said".
_TELL = {"told": "said", "tells": "says", "tell": "say", "telling": "saying"}
_MAX_OBJECT_WORDS = 4
_OBJECT = re.compile(r"\s+((?:[\w'’.-]+\s+){0,%d}?[\w'’.-]+?)(?:\s+that)?[\s,:]*$"
                     % (_MAX_OBJECT_WORDS - 1))
# A participle cue ("The union *saying* …", "*adding* …") reads as a sentence only in the past.
_PARTICIPLES = {
    "saying": "said", "adding": "added", "noting": "noted", "stating": "stated",
    "explaining": "explained", "insisting": "insisted", "telling": "told", "claiming": "claimed",
    "denying": "denied", "warning": "warned", "arguing": "argued", "writing": "wrote",
    "calling": "called", "citing": "cited", "describing": "described", "suggesting":
    "suggested", "confirming": "confirmed", "acknowledging": "acknowledged", "asking": "asked",
    "accusing": "accused", "urging": "urged", "promising": "promised", "predicting":
    "predicted", "estimating": "estimated", "revealing": "revealed", "complaining":
    "complained", "reporting": "reported", "announcing": "announced", "blaming": "blamed",
}


def finite_cue(cue: str) -> str:
    """A cue as a sentence can show it after the speaker's name: a participle in the past
    ("saying" -> "said"), a bare "told" (whom it was told not shown) as "said"."""
    words = cue.split(" ")
    if words and words[0].lower() in _PARTICIPLES:
        words[0] = _PARTICIPLES[words[0].lower()]
    if words and words[-1].lower() in _TELL:
        words[-1] = _TELL[words[-1].lower()]
    return " ".join(words)


def _with_object(document: Document, cue: Span, words: Span) -> Span:
    """A "told" cue with whom it was told, when a few words between the cue and the words
    shown name them ("told *People* that …"); else the cue as it was."""
    if not document.slice(cue).split() or document.slice(cue).split()[-1].lower() not in _TELL:
        return cue
    if words.doc != cue.doc or words.start <= cue.end:
        return cue
    between = document.text[cue.end : words.start]
    found = _OBJECT.fullmatch(between.rstrip(" \"“‘'"))
    if found is None or re.search(r"[.!?;\n]", found.group(1)):
        return cue
    return Span(cue.doc, cue.start, cue.end + found.end(1))


def speaker_inside(piece: StoryView, attribution: Attribution) -> bool:
    """Whether the speaker was read from inside the words attributed ("Tara said “Tara was
    professional”"), by their own span or the name shown for them: a misread attribution, not
    a statement to show."""
    spans = (attribution.speaker.span, name_span(piece, attribution))
    return any(s is not None and attribution.content.overlaps(s) for s in spans)


def named_in_sentence(piece: StoryView, attribution: Attribution) -> bool:
    """Whether the speaker is named where they speak, not only through a pronoun ("he said")
    resolved to a name elsewhere: that resolution can be wrong, and a reader cannot check it
    in the cited sentence."""
    speaker = attribution.speaker.span
    if speaker is None:
        return False
    document = piece.by_id[speaker.doc]
    words = document.slice(speaker).split()
    if not words or words[-1].lower() in _PRONOUNS:
        return False
    # a name in another sentence ("the Academy has asked her. “…,” she tweeted") was carried
    # over to this one by resolution: as unsure as a pronoun
    return sentence_around(document, attribution.cue or attribution.content).contains(speaker)


# Verbs whose object is whom the words were addressed to: "told Nixon", "asked the mayor".
_ADDRESSING = frozenset("""
    told tell tells telling asked ask asks asking urged urge urges urging warned warn warns
    informed inform informs assured assure assures reminded remind reminds notified thanked
""".split())
# Of those, the ones that never come before their subject ("…,” asked Vane" does).
_NEVER_INVERTED = frozenset("told tell tells informed assured reminded notified thanked".split())
# Verbs that name whom the words were addressed to after "to": "wrote to Nixon".
_ADDRESSING_TO = frozenset("""
    wrote write writes writing said say says saying explained complained announced replied
    spoke speaks talked talking
""".split())
# Between the cue and the addressee's name: "to", an article, a title ("told *Mayor* Vane").
_ADDRESS_GAP = re.compile(r"\s*(to\s+)?(?:(?:the|a|an)\s+)?(?:[A-Z][\w.'’-]*\s+){0,3}")
# Words that are what was asked, not said: "officials could answer few questions about …".
_QUESTIONS_OBJECT = re.compile(
    r"^\W*(?:(?:a|the|few|no|any|some|several|many|more|most|his|her|their|its|our|"
    r"reporters['’]?|\w+['’]s)\s+){0,2}(?:questions?|queries|inquiries)\b", re.IGNORECASE)


def addressee_taken_for_speaker(document: Document, attribution: Attribution) -> bool:
    """Whether the speaker was read from the object of the cue: whom the words were addressed
    to ("…, Child told *Nixon* in a letter", "wrote to *the mayor*"), not who said them."""
    cue, speaker = attribution.cue, attribution.speaker.span
    if cue is None or speaker is None or speaker.doc != cue.doc or speaker.start < cue.end:
        return False
    verb = document.slice(cue).split()
    gap = _ADDRESS_GAP.fullmatch(document.text[cue.end : speaker.start])
    if not verb or gap is None:
        return False
    last = verb[-1].lower()
    # "“Why now?” asked Vane": a cue right after the words may come before its speaker
    between = document.text[attribution.content.end : cue.start] \
        if attribution.content.end <= cue.start else "x"
    if last not in _NEVER_INVERTED and not re.sub(r"[\W_]", "", between):
        return False
    return (last in _ADDRESSING and not gap.group(1)) or (
        last in _ADDRESSING_TO and bool(gap.group(1))) or (
        last == "to" and len(verb) > 1 and verb[-2].lower() in _ADDRESSING_TO)


# A past participle followed by "as" or "by" is passive: "the man *described as* 'the last
# great boss'" is the one described, not one who describes.
_PASSIVE_AFTER = re.compile(r"\s+(?:as|by)\b", re.IGNORECASE)
_IRREGULAR_PARTICIPLES = frozenset("told said thought known seen written called".split())


def _passive_cue(document: Document, attribution: Attribution) -> bool:
    """Whether the cue is a participle in the passive, its "speaker" the one spoken of."""
    cue = attribution.cue
    if cue is None:
        return False
    words = document.slice(cue).split()
    if len(words) != 1:
        return False
    verb = words[0].lower()
    if not (verb.endswith("ed") or verb in _IRREGULAR_PARTICIPLES):
        return False
    # "quoted as saying" names the speaker too, but the words then are theirs: keep it
    after = document.text[cue.end : cue.end + 20]
    return bool(_PASSIVE_AFTER.match(after)) and not re.match(r"\s+as\s+saying", after)


# A verb of asking or urging followed by whom and "to": a request ("asked her to host it
# again"), whose content is what follows "to", never words written before the cue.
_REQUEST = re.compile(r"^\s+(?:[\w'’.-]+\s+){1,4}?to\s+[a-z]", re.IGNORECASE)
_REQUEST_VERBS = frozenset("""
    asked ask asks urged urge urges told tell tells begged invited ordered called pressed
""".split())
# "now that …", "so that …": a conjunction, not "that" leading what was said.
_CONJUNCTION_THAT = re.compile(r"\b(?:now|so|such|provided|given|except|in order|save)\s*$",
                               re.IGNORECASE)


def _request_over_words_before(document: Document, attribution: Attribution) -> bool:
    """Whether words written before the cue are taken for what a request asked: "Ellen was so
    nice the first time, the Academy *has asked* her to do it twice" (the words before are the
    writer's; the Academy asked her to do it again)."""
    cue = attribution.cue
    if cue is None or attribution.content.end > cue.start:
        return False
    verb = document.slice(cue).split()
    if not verb or verb[-1].lower() not in _REQUEST_VERBS:
        return False
    return bool(_REQUEST.match(document.text[cue.end : cue.end + 60]))


def _conjunction_taken_for_that(document: Document, attribution: Attribution) -> bool:
    """Whether the words were read as following "that" of saying when the "that" belongs to
    a conjunction ("asked for help *now that* the names were made public")."""
    start = attribution.content.start
    lead = re.match(r"\s*that\b", document.slice(attribution.content), re.IGNORECASE)
    end = start + lead.end() if lead else start  # the words may begin with their "that"
    before = document.text[max(0, start - 30) : end]
    that = re.search(r"\bthat\s*$", before, re.IGNORECASE)
    return that is not None and bool(_CONJUNCTION_THAT.search(before[: that.start()]))


def misread(piece: StoryView, attribution: Attribution) -> bool:
    """Whether an attribution is one the brief must not show: the speaker read from inside
    the words or from whom they were addressed to, words that are questions rather than
    what was said ("could answer few questions about …"), the words a question put to the
    speaker ("X said when asked whether…": the question is the asker's, not X's), words
    before a request taken for what it asked, or words after a conjunction's "that"."""
    if speaker_inside(piece, attribution):
        return True
    document = piece.by_id[attribution.doc]
    if addressee_taken_for_speaker(document, attribution):
        return True
    if _QUESTIONS_OBJECT.match(document.slice(attribution.content)):
        return True
    if _passive_cue(document, attribution):
        return True
    if _request_over_words_before(document, attribution) \
            or _conjunction_taken_for_that(document, attribution):
        return True
    cue = cue_phrase(document, attribution)
    if cue is None:
        return False
    # "when asked" as the cue phrase, or just before the cue ("When asked whether …, X said")
    lead = document.text[max(0, cue.start - 12) : cue.end]
    return bool(_ASKED_OF.search(document.slice(cue)) or _ASKED_OF.search(lead))


_PARTICIPLE_START = re.compile(r"^\W*[A-Za-z]+ing\s+[a-z]")


def known_speaker(piece: StoryView, attribution: Attribution) -> bool:
    """Whether the speaker is someone: a linked entity, a capitalised name, or words the
    entity stage took for a person, a body or a role ("her rep"); not any noun phrase an
    attribution was misread from ("her party girl image")."""
    speaker = attribution.speaker
    local = _local_name(piece, attribution)
    if local is not None and _PARTICIPLE_START.match(piece.by_id[local.doc].slice(local)):
        return False  # "Talking to People magazine": a phrase misread as who speaks
    if local is not None and _common_noun_at_start(piece, local) \
            and not _plain_saying(piece, attribution):
        # "Rehab has been calling her name": a figure of speech, no one speaks ("Police said"
        # is a body speaking: a common noun is taken for a speaker with a plain "said" only)
        return False
    if speaker.entity:
        return True
    if local is None:
        return False
    if any(m.span.overlaps(local) for m in piece.mentions if m.span.doc == local.doc):
        return True
    # a capital where no sentence starts: a name the entity stage missed ("Rehab has been
    # calling her name" is capitalised only because the sentence starts there)
    document = piece.by_id[local.doc]
    for match in terms.WORD.finditer(document.slice(local)):
        at = local.start + match.start()
        if match.group()[:1].isupper() and not _SENTENCE_START.search(
                document.text[max(0, at - 4) : at]):
            return True
    return False


def _common_noun_at_start(piece: StoryView, name: Span) -> bool:
    """Whether a one-word name is capitalised only because a sentence starts with it, the
    story's articles writing the word in lower case elsewhere ("Rehab has been calling her
    name" beside "has entered rehab"): a thing, not someone who speaks, whatever the entity
    stage made of it."""
    document = piece.by_id[name.doc]
    words = document.slice(name).split()
    if len(words) != 1 or not words[0][:1].isupper() or not _STRICT_START.search(
            document.text[max(0, name.start - 6) : name.start]):
        return False
    return _lower_case_only(words[0], tuple(other.text for other in piece.by_id.values()))


# asked for every mention of a one-word name that opens a sentence: the same few names of a
# story, each time over all of its texts (kept for a few stories only: the key holds their texts)
@functools.lru_cache(maxsize=64)
def _lower_case_only(word: str, texts: tuple[str, ...]) -> bool:
    """Whether the texts write the word in lower case and never with its capital where no
    sentence starts."""
    lower = re.compile(r"\b%s\b" % re.escape(word.lower()))
    # "Felt" of "Mark Felt" beside the verb "felt": a name, written with its capital where no
    # sentence starts
    capital = re.compile(r"(?<![.!?\n])(?<![.!?][\"”’)])\s+%s\b" % re.escape(word))
    return any(lower.search(t) for t in texts) and not any(capital.search(t) for t in texts)


_PLAIN_SAYING = frozenset("said say says told tell tells added stated announced".split())


def _plain_saying(piece: StoryView, attribution: Attribution) -> bool:
    if attribution.cue is None:
        return False
    words = terms.words(piece.by_id[attribution.cue.doc].slice(attribution.cue).lower())
    return bool(words) and words[-1] in _PLAIN_SAYING


def speaks(piece: StoryView, attribution: Attribution) -> bool:
    """Whether the cue is a word of saying, writing or thinking ("said", "denied", "according
    to", "believes"), not another verb an attribution was misread from ("entered", "decided")."""
    if attribution.cue is None:
        return attribution.kind in QUOTE_KINDS
    words = terms.words(piece.by_id[attribution.cue.doc].slice(attribution.cue).lower())
    return bool(words) and words[0].startswith(_SPEECH_STEMS)


def cue_phrase(document: Document, attribution: Attribution) -> Span | None:
    """The cue with the words between the speaker and it: "would not say", "did not deny",
    "has repeatedly denied", so that a negation or a modal is never dropped ("did not want" is
    never shown as "want"). Only a short run of words with no punctuation between the two
    counts; else the cue alone."""
    cue, speaker = attribution.cue, attribution.speaker.span
    if cue is None or speaker is None or speaker.doc != cue.doc or speaker.end > cue.start:
        return cue
    gap = document.text[speaker.end : cue.start]
    if len(gap) > _MAX_GAP_CHARS or not _GAP_WORDS.fullmatch(gap):
        return cue
    start = speaker.end + len(gap) - len(gap.lstrip())
    return Span(cue.doc, start, cue.end)


def claim_side(piece: StoryView, claim: Claim, span: Span, sentence: Sentence,
               max_words: int = MAX_WORDS, *, speaker: bool = True) -> None:
    """A claim's words with who says them: its attribution's side, else (or without
    `speaker`) the outlet's own report or quote of them."""
    attribution = piece.attribution(claim.attribution) if claim.attribution else None
    if attribution is not None and speaker:
        side(piece, attribution, sentence, span, max_words)
        return
    document = piece.by_id[claim.doc]
    excerpt = excerpt_of(document, span, max_words=max_words)
    # words between quote marks in the article are someone's, not the outlet's own report
    quoted = excerpt is not None and _between_quote_marks(document, excerpt.span)
    sentence.say(f"{piece.outlet(claim.doc)} {'quotes' if quoted else 'reports'} ")
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)


def _between_quote_marks(document: Document, span: Span) -> bool:
    """Whether a span lies inside quote marks: an opening mark before it not yet closed (a
    quote may run over several sentences and lines), counted from the start of the text."""
    before = document.text[: span.start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def listing(names: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(names))
