"""The brief's sections, each a list of cited sentences: what happened, what is contested, the
timeline, the voices, and what a single outlet carries."""

from __future__ import annotations

import math
import re
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.brief.copies import independent_outlets
from rashomon.brief.facts import Fact
from rashomon.brief.sentence import (
    Sentence,
    claim_side,
    count,
    known_speaker,
    listing,
    misread,
    name_span,
    named_in_sentence,
    side,
    speaker_key,
    speaker_name,
    speaks,
)
from rashomon.brief.words import (
    excerpt_of,
    lower_case_stems,
    sentence_around,
    sentence_ends,
    stem_set,
)
from rashomon.dates import MONTH_FULL, MONTH_WORD, WEEKDAY_NAME
from rashomon.model import (
    Attribution,
    BriefSentence,
    Claim,
    Relation,
    Span,
    TimelineEntry,
)
from rashomon.story_view import StoryView, attribution_of, claim_of, evidence_for
from rashomon.timeline import date_bounds

__all__ = [
    "CONTESTED_KINDS",
    "contested",
    "happened",
    "outlets_named",
    "single_outlet",
    "timeline",
    "voices",
]

# Relations that put two accounts against each other: the "contested" section.
CONTESTED_KINDS = frozenset({
    "contradiction", "denial", "attribution_divergence", "medium_divergence", "quote_variant",
})
# Each section shows at most this many sentences, the best supported first. The report below
# the brief lists everything.
_MAX_SENTENCES = 12
# A fact is shown by a statement of at least this many words; fewer is a title or a name.
_MIN_FACT_WORDS = 5
# A statement is not "only" one outlet's when another's sentence holds this part of its words.
_ELSEWHERE_PART = 0.5
# A member of a fact counts for its shown words when they share this part of the content words
# of the shorter of the two and the second part of the longer's, and at least `_CORE_SHARED` of
# them (and a figure, when both give some): a paraphrase of a longer quote still counts, a
# sentence sharing only a place and a distance does not.
_CORE_PART = 0.5
_CORE_PART_LONGER = 0.4
_CORE_SHARED = 4
# ... and at least this part of the shown words' stems written in lower case (what they say
# of the names in them), and one at least.
_CORE_SAID_OF_PART = 1 / 3
# Fewer words than this in quote marks are a name or a title, not a statement a voice made.
_MIN_STATEMENT_WORDS = 3
# Outlets named in a sentence before "and N more".
_MAX_NAMED = 3
# Relations over one utterance's wording or speaker: shown only over statements of several words.
_WORDING_KINDS = frozenset({"attribution_divergence", "medium_divergence", "quote_variant"})
_WEEKDAY = re.compile(rf"(?:on |last |next |this )?{WEEKDAY_NAME}", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?:in |of |since )?(?:1[89]|20)\d\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Figures written as words, read as the digits they stand for: "three life sentences" is not
# carried by "a life sentence", nor "five hurt" by "3 hurt".
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORD = re.compile(r"\b(?:%s)\b" % "|".join(_NUMBER_WORDS), re.IGNORECASE)
_QUOTED = re.compile(r"“[^“”]*”")
# Quoted words in a "what happened" sentence, and the most words the first one may have.
_LEAD_WORDS = 25
_MAX_LEAD_SENTENCE_WORDS = 60


def _word_total(piece: StoryView, span: Span) -> int:
    return len(piece.by_id[span.doc].slice(span).split())


def _representative(piece: StoryView, fact: Fact) -> tuple[Claim, Span]:
    """The words a fact is shown by: a statement rather than a fragment, a named speaker's
    over an unnamed one's, a speaker's own words over a paraphrase, then the shortest."""
    order = list(piece.by_id)

    def rank(pair: tuple[Claim, Span]) -> tuple[bool, bool, bool, int, int]:
        claim, span = pair
        attribution = piece.attribution(claim.attribution) if claim.attribution else None
        quoted = attribution is not None and attribution.kind in QUOTE_KINDS
        unnamed = attribution is not None and (name_span(piece, attribution) is None
                                                or misread(piece, attribution))
        fragment = _word_total(piece, span) < _MIN_FACT_WORDS
        return (fragment, unnamed, not quoted, len(span), order.index(claim.doc))

    return min(zip(fact.claims, fact.spans, strict=True), key=rank)


def _figures(text: str) -> set[str]:
    """The figures a text gives, in digits: "3", "2,000", "three" as "3"."""
    return set(_NUMBER.findall(text)) | {_NUMBER_WORDS[w.lower()]
                                         for w in _NUMBER_WORD.findall(text)}


def _core(piece: StoryView, fact: Fact, shown: Span) -> Fact:
    """The part of a fact that says what its shown words say: members sharing at least half
    of the shorter one's content words with them. A fact is a chain of matches, and a chain
    through a short common phrase (a film title quoted everywhere) can join statements that
    say different things; only what matches the shown words is counted for them."""
    shown_text = piece.by_id[shown.doc].slice(shown)
    wanted, numbers = stem_set(shown_text), _figures(shown_text)
    # what the shown words say of their names: "buildings were toppled in Tonban" is not
    # carried by "the hardest-hit villages were Tonban, …", though most shared words are names
    said_of = lower_case_stems(shown_text)
    kept = []
    for claim, span in zip(fact.claims, fact.spans, strict=True):
        text = piece.by_id[span.doc].slice(span)
        if len(text.split()) < _MIN_FACT_WORDS:
            # a relation's evidence may be a few words of the claim: judge the whole claim
            text = piece.by_id[claim.doc].slice(claim.span)
        found, figures = stem_set(text), _figures(text)
        shared = len(wanted & found)
        if span == shown or (len(text.split()) >= _MIN_FACT_WORDS
                             and shared >= min(_CORE_SHARED, len(wanted), len(found))
                             and shared >= _CORE_PART * min(len(wanted), len(found))
                             and shared >= _CORE_PART_LONGER * max(len(wanted), len(found))
                             and len(said_of & found) >= min(1, len(said_of))
                             and len(said_of & found) >= _CORE_SAID_OF_PART * len(said_of)
                             # figures that differ are another fact (or an update), and
                             # words that give none do not carry the shown words' figure
                             and not (numbers and not numbers & figures)):
            kept.append((claim, span))
    # documents that reuse one wire story's text are one source, whatever their outlets
    sources = independent_outlets(piece, ((c.doc, attribution_of(piece, c)) for c, _ in kept))
    return Fact(claims=tuple(c for c, _ in kept), spans=tuple(s for _, s in kept),
                sources=tuple(sources), relations=fact.relations)


def outlets_named(names: Sequence[str]) -> str:
    """At most three names, then how many more: "A, B, C and 4 more"."""
    names = list(dict.fromkeys(names))
    shown = ", ".join(names[:_MAX_NAMED])
    return shown if len(names) <= _MAX_NAMED else f"{shown} and {len(names) - _MAX_NAMED} more"


def _disputed(piece: StoryView, fact: Fact) -> bool:
    """Whether a contradiction or a denial of the story has one of the fact's claims (or their
    attributions) as a member, or cites words of it."""
    ids = {c.id for c in fact.claims} | {c.attribution for c in fact.claims if c.attribution}
    for relation in piece.relations:
        if relation.kind not in ("contradiction", "denial"):
            continue
        if ids & set(relation.members) or any(
                e.overlaps(s) for e in relation.evidence for s in fact.spans):
            return True
    return False


def happened(piece: StoryView, facts: Sequence[Fact]) -> list[BriefSentence]:
    """What most independent outlets carry, the most widely carried first: one sentence per
    fact with its words, the number of independent outlets and the first of them by name.

    A fact shown only by a fragment of a few words (a title, a name in quote marks, a scare
    quote) is not a statement a reader can weigh: it stays in the report, not here. Which
    speaker each outlet credits is in the report's attributions."""
    sentences: list[BriefSentence] = []
    for fact in sorted(facts, key=lambda f: -f.independent):
        if fact.independent < 2:
            continue  # copies of one article, or one agency relayed: not corroboration
        shown, span = _representative(piece, fact)
        if _word_total(piece, span) < _MIN_FACT_WORDS:
            continue
        fact = _core(piece, fact, span)
        if fact.independent < 2:
            continue
        # a relation's evidence may be a clause cut from a sentence: show the claim's whole
        # words when they are short enough to read, so that nothing is cut mid-phrase
        if span != shown.span and len(piece.by_id[shown.doc].slice(shown.span).split()) <= _LEAD_WORDS:
            span = shown.span
        # the first sentence a reader meets is kept short: fewer quoted words if need be
        limits = (_LEAD_WORDS, _LEAD_WORDS // 2) if not sentences else (_LEAD_WORDS,)
        for max_words in limits:
            done = _fact_sentence(piece, fact, shown, span, max_words)
            if done is None or len(done.text.split()) <= _MAX_LEAD_SENTENCE_WORDS:
                break
        if done is not None:
            sentences.append(done)
        if len(sentences) == _MAX_SENTENCES:
            break
    return sentences


def _fact_sentence(piece: StoryView, fact: Fact, shown: Claim, span: Span,
                   max_words: int) -> BriefSentence | None:
    sentence = Sentence.empty()
    # a speaker not named where they speak, or misread, is not repeated: the outlet's words
    attribution = attribution_of(piece, shown)
    sure = attribution is None or (named_in_sentence(piece, attribution)
                                   and not misread(piece, attribution))
    claim_side(piece, shown, span, sentence, max_words=max_words, speaker=sure)
    sentence.say(f"; carried by {count(fact.independent, 'independent outlet')} "
                 f"({outlets_named(fact.sources)})")
    if _disputed(piece, fact):
        # what several outlets carry is not thereby settled: say so where it is stated
        sentence.say("; disputed (see what is contested)")
    sentence.say(".").cite(*fact.spans)
    return sentence.done("happened", fact.relations[0] if fact.relations else None)



def _medium_span(piece: StoryView, attribution: Attribution) -> Span | None:
    """Where the medium is named ("in a Facebook post"): in the sentence of the cue."""
    if not attribution.medium:
        return None
    document = piece.by_id[attribution.doc]
    around = sentence_around(document, attribution.cue or attribution.content)
    text = document.slice(around)
    match = re.search(re.escape(attribution.medium), text, re.IGNORECASE)
    if match is None:
        return None
    return Span(around.doc, around.start + match.start(), around.start + match.end())


# How each kind of clash opens, and what joins its two sides.
_CONTESTED_PATTERNS = {
    "contradiction": ("Contradiction: ", "; against it, "),
    "denial": ("Denial: ", ", taken to answer "),
    "quote_variant": ("Wording differs: ", "; "),
    "attribution_divergence": ("Who said it differs: ", "; "),
    "medium_divergence": ("Where it was said differs: ", "; "),
}


def _member_side(piece: StoryView, relation: Relation, position: int,
                 sentence: Sentence) -> None:
    """One side of a clash: an attribution with its speaker and cue, or an outlet's own claim."""
    member = relation.members[position]
    attribution = piece.attribution(member)
    if attribution is not None:
        side(piece, attribution, sentence,
              evidence_for(relation, position, attribution.content))
        medium = _medium_span(piece, attribution) if relation.kind == "medium_divergence" else None
        if medium is not None:
            words = terms.one_line(piece.by_id[medium.doc].slice(medium))
            sentence.say(f" via {words}").cite(medium)
        return
    claim = piece.claim(member)
    if claim is not None:
        inside = [e for e in relation.evidence if claim.span.contains(e)]
        claim_side(piece, claim, inside[0] if inside else claim.span, sentence)


def _contested_sentence(piece: StoryView, relation: Relation) -> BriefSentence | None:
    pattern = _CONTESTED_PATTERNS.get(relation.kind)
    sides = [n for n, m in enumerate(relation.members)
             if piece.attribution(m) is not None or piece.claim(m) is not None]
    if pattern is None or len(sides) < 2:
        return None
    opening, joint = pattern
    sentence = Sentence.empty().say(opening)
    _member_side(piece, relation, sides[0], sentence)
    sentence.say(joint)
    _member_side(piece, relation, sides[1], sentence)
    return sentence.say(".").done("contested", relation.id)


def contested(piece: StoryView) -> list[BriefSentence]:
    """Each clash the align stage asserts, both sides in one sentence; once per pair of
    wordings (the same quote credited to two speakers by ten outlets is one sentence).

    Divergences and variants over a fragment of a few words (a title, a name in quote marks)
    and divergences between two namings of one speaker ("Ellen Vane" / "comedian Ellen Vane")
    are not shown here: they are not two accounts a reader could weigh. The report lists
    every relation."""
    order = ("contradiction", "denial", "attribution_divergence", "medium_divergence",
             "quote_variant")
    relations = sorted((r for r in piece.relations if r.kind in CONTESTED_KINDS),
                       key=lambda r: (order.index(r.kind), -r.score, r.id))
    found, seen = [], set()
    for relation in relations:
        if relation.kind in _WORDING_KINDS and not _worth_showing(piece, relation):
            continue
        if any(misread(piece, a) for m in relation.members
               if (a := piece.attribution(m)) is not None):
            continue  # a side whose speaker or words were misread: not shown here
        sentence = _contested_sentence(piece, relation)
        if sentence is None:
            continue
        key = (relation.kind, frozenset(_QUOTED.findall(sentence.text)))
        if key in seen:
            continue
        seen.add(key)
        found.append(sentence)
        if len(found) == _MAX_SENTENCES:
            break
    return found


def _worth_showing(piece: StoryView, relation: Relation) -> bool:
    """Whether a divergence or a variant is between statements of several words, and (for who
    said it) between speakers whose names are not one inside the other."""
    attributions = [a for m in relation.members if (a := piece.attribution(m)) is not None]
    if len(attributions) < 2:
        return True
    if any(_word_total(piece, a.content) < _MIN_FACT_WORDS for a in attributions):
        return False
    if relation.kind == "quote_variant" and not _one_named_speaker(piece, attributions[:2]):
        return False
    if relation.kind == "attribution_divergence":
        names = [_folded_name(piece, a) for a in attributions[:2]]
        if not all(names) or names[0] in names[1] or names[1] in names[0]:
            return False
        # "Reid's rep" against "Jack Ketsoyan" may name one person twice, and "he" resolved to
        # a name may be resolved wrongly: only two proper names, each read where its speaker
        # speaks, are two speakers a reader can tell apart
        if not all(_proper_name(piece, a) and named_in_sentence(piece, a)
                   for a in attributions[:2]):
            return False
    return True


def _one_named_speaker(piece: StoryView, attributions: Sequence[Attribution]) -> bool:
    """Whether two sides name one speaker ("Angela Merkel" and "Merkel", or one entity): two
    wordings of one utterance are shown only when a reader can see it is the same speaker's,
    not a company's statement set against an unnamed official's."""
    names = [_folded_name(piece, a) for a in attributions]
    if not all(names):
        return False
    entities = {a.speaker.entity for a in attributions}
    return (len(entities) == 1 and None not in entities) or names[0] in names[1] \
        or names[1] in names[0]


def _proper_name(piece: StoryView, attribution: Attribution) -> bool:
    span = name_span(piece, attribution)
    words = piece.by_id[span.doc].slice(span).split() if span is not None else []
    return bool(words) and all(w[:1].isupper() for w in words)


def _folded_name(piece: StoryView, attribution: Attribution) -> str:
    span = name_span(piece, attribution)
    if span is None:
        return ""
    return " " + " ".join(piece.by_id[span.doc].slice(span).lower().split()) + " "


# --------------------------------------------------------------------------- timeline


def _date_words(date: str) -> str:
    if "/" in date:
        start, end = date.split("/", 1)
        return f"Between {start} and {end}"
    return date if len(date) == 10 else f"In {date}"


def _width(date: str) -> int:
    try:
        start, end = date_bounds(date)
    except ValueError:
        return 10**6
    return (end - start).days


def timeline(piece: StoryView) -> list[BriefSentence]:
    """The story's dated events, one sentence each, the best-sourced ones in date order."""
    events: dict[str, list[TimelineEntry]] = defaultdict(list)
    for n, entry in enumerate(piece.timeline):
        if (_weekday_beside_a_date(piece, entry) or _unsure(piece, entry)
                or _in_a_name(piece, entry) or _year_beside_a_date(piece, entry)
                or _day_naming_a_thing(piece, entry) or _a_week_back_or_ahead(piece, entry)
                or _a_weekday_far_back(piece, entry) or _after_its_article(piece, entry)):
            continue
        events[entry.event_id or f"entry:{n}"].append(entry)
    ranked = []
    for entries in events.values():
        counts = Counter(_as_written(piece, e) for e in entries)
        date = min(counts, key=lambda d: (-counts[d], _width(d), d))
        sources = piece.independent_sources((e.span.doc, None) for e in entries)
        ranked.append((date, entries, len(sources)))
    # the best-sourced events when there are too many, then shown in date order
    kept = sorted(ranked, key=lambda item: (-item[2], _width(item[0])))[:_MAX_SENTENCES]
    sentences = []
    shown_words: set[tuple[str, Span]] = set()
    for date, entries, _ in sorted(kept, key=lambda item: (_start(item[0]), item[0])):
        shown = next(e for e in entries if _as_written(piece, e) == date)
        document = piece.by_id[shown.span.doc]
        excerpt = excerpt_of(document, sentence_around(document, shown.span), focus=shown.span)
        if excerpt is not None:
            if (date, excerpt.span) in shown_words:
                continue  # two events read from one sentence with one date: said once
            shown_words.add((date, excerpt.span))
        sentence = Sentence.empty().say(f"{_date_words(date)}: ")
        if excerpt is not None:
            sentence.say(excerpt.quoted()).cite(excerpt.span)
        others = [d for e in entries if (d := _as_written(piece, e)) != date]
        sentence.say(f" ({listing(piece.outlet(e.span.doc) for e in entries)}")
        if others:
            sentence.say(f"; also dated {listing(others)}")
        sentence.say(").").cite(*(e.span for e in entries))
        done = sentence.done("timeline")
        if done is not None:
            sentences.append(done)
    return sentences


def _weekday_beside_a_date(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether an entry is a bare weekday ("Sunday") in a sentence that also gives a date of
    another day ("Oscar Sunday, March 2, 2014"): the weekday, resolved against the article's
    date, would add a day no source gives."""
    document = piece.by_id[entry.span.doc]
    if not _WEEKDAY.fullmatch(document.slice(entry.span).strip()):
        return False
    around = sentence_around(document, entry.span)
    # another weekday in the sentence ("on Wednesday ... Tuesday's collision") is no written
    # date: both are read against the article's date alike
    return any(other.span.doc == entry.span.doc and around.contains(other.span)
               and other.date != entry.date and len(other.date) == 10
               and not _WEEKDAY.fullmatch(document.slice(other.span).strip())
               for other in piece.timeline)


def _unsure(piece: StoryView, entry: TimelineEntry) -> bool:
    """A date the brief cannot vouch for: "Tuesday" or "today" read against an article date
    that was itself inferred (or that the article does not give), or a resolution the timeline
    marks as a guess."""
    if entry.inferred or entry.uncertain:
        return True
    document = piece.by_id[entry.span.doc]
    relative = not _WRITTEN_DATE.search(document.slice(entry.span))
    if relative and _NEAR_DAY.fullmatch(document.slice(entry.span).strip()) \
            and _written_after_its_date(piece, entry.span.doc):
        return True  # "today" is the day of writing, not the date line's
    return relative and (document.published is None or document.published_inferred)


def _written_after_its_date(piece: StoryView, doc: str) -> bool:
    """Whether an article names a weekday as past that falls after its own date's weekday
    ("again Tuesday" in an article dated Monday): it was written later than its date line
    says (a page's first date, a repost's), and its "today" or "yesterday" is not of that
    date."""
    document = piece.by_id[doc]
    return any(entry.span.doc == doc and _a_weekday_far_back(piece, entry)
               and not _FUTURE_BEFORE.search(document.text[max(0, entry.span.start - 24)
                                                            : entry.span.start])
               for entry in piece.timeline)


# Words before a weekday that make it one to come ("to be voted on Thursday", "by Friday"),
# which says nothing of when the article was written.
_FUTURE_BEFORE = re.compile(r"\b(?:will|would|shall|to|due|set|scheduled|expected|until|by|"
                            r"next|before)\b[^.;!?]*$", re.IGNORECASE)


# A date written out ("10 October 2011", "March 2", "2003"), which needs no article date.
_WRITTEN_DATE = re.compile(rf"\b(?:1[89]|20)\d\d\b|\b{MONTH_WORD}\b\.?\s*\d|\d\s+{MONTH_FULL}\b")


# A date word inside a name: "the *Tonight* Show", "Oscar *Sunday*", "Black *Friday*", written
# with capitals where no sentence starts.
_NAME_BEFORE = re.compile(r"([A-Z][\w'’-]*)\s+$")
_NAME_AFTER = re.compile(r"^\s+[A-Z][\w'’-]*")
_DATE_LEADERS = frozenset({"last", "next", "this", "on", "by", "until", "since", "early", "late",
                           "every", "from", "and", "or", "that", "the"})
_RELATIVE_WORD = re.compile(rf"(?:today|tonight|tomorrow|yesterday|{WEEKDAY_NAME})",
                            re.IGNORECASE)
_NEAR_DAY = re.compile(r"(?:today|tonight|tomorrow|yesterday)", re.IGNORECASE)
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?\n:;][\"”’)]*)\s*[\"“‘]?$")


def _in_a_name(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether a relative date word is part of a name whose day the article's own date does
    not give: a show ("the Tonight Show"), an occasion ("Oscar Sunday", "Black Friday")."""
    document = piece.by_id[entry.span.doc]
    words = document.slice(entry.span).strip()
    if not _RELATIVE_WORD.fullmatch(words):
        return False
    before = document.text[max(0, entry.span.start - 40) : entry.span.start]
    # "Oscar Sunday", "Black Friday": a weekday right after a capitalised word that starts no
    # sentence ("in Port Veyra yesterday" is a place and a day, so only weekdays count)
    named = _NAME_BEFORE.search(before)
    if named is not None and not _NEAR_DAY.fullmatch(words) and named.group(1).lower() not in \
            _DATE_LEADERS and not _SENTENCE_START_BEFORE.search(before[: named.start()]):
        return True
    # "the Tonight Show", "the Today programme": a capital after a day word that starts no
    # sentence ("On Tuesday Obama said" is a weekday, so only today / tonight / ... count)
    after = document.text[entry.span.end : entry.span.end + 30]
    return bool(_NEAR_DAY.fullmatch(words) and words[:1].isupper()
                and not _SENTENCE_START_BEFORE.search(before) and _NAME_AFTER.match(after))


def _year_beside_a_date(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether an entry is a bare year ("a 2003 murder") in a sentence that gives another
    date ("on Wednesday", "March 2"): the sentence's event is of that date, the year is of
    something it mentions."""
    document = piece.by_id[entry.span.doc]
    if not _BARE_YEAR.fullmatch(document.slice(entry.span).strip()):
        return False
    # "the 2006 Draft", "a 2003 murder case": a year that names what it modifies
    if _DETERMINER_BEFORE.search(document.text[max(0, entry.span.start - 8) : entry.span.start]):
        return True
    around = sentence_around(document, entry.span)
    rest = (document.text[around.start : entry.span.start] + " "
            + document.text[entry.span.end : around.end])
    return bool(_OTHER_DAY.search(rest)) or any(
        other.span.doc == entry.span.doc and around.contains(other.span)
        and other.span != entry.span and not other.date.startswith(entry.date[:4])
        for other in piece.timeline)


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|this|that)\s+$",
                                re.IGNORECASE)
_OTHER_DAY = re.compile(rf"\b(?:today|tonight|yesterday|tomorrow|{WEEKDAY_NAME}|last week|"
                        rf"this week|next week)\b", re.IGNORECASE)


_DAY_WITHOUT_YEAR = re.compile(rf"{MONTH_WORD}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?")
_NOUN_AFTER = re.compile(r"^\s+[a-z]")


_WEEK_WORDS = re.compile(r"(?:last|this|next|past|coming)\s+week(?:['’]s)?", re.IGNORECASE)


def _a_week_back_or_ahead(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether an entry is "last week" or "next week": news uses them for the seven days
    before or after, not the calendar week, so the week a resolution gives can miss the day
    ("last week's escape" on a Saturday, of the Monday just gone)."""
    document = piece.by_id[entry.span.doc]
    return bool(_WEEK_WORDS.fullmatch(document.slice(entry.span).strip()))


# A bare weekday resolved this many days before the article's date is the weekday after the
# article's own, and may as well be the next day ("on the defensive again Tuesday" in a Monday
# article written overnight). Five days back ("died Saturday" in a Thursday article) is the
# usual reading of the past weekday: kept.
_FAR_WEEKDAY_DAYS = 6


def _a_weekday_far_back(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether a bare weekday ("Tuesday", not "last Tuesday") was resolved to six days before
    the article's date: which week it means is a guess."""
    document = piece.by_id[entry.span.doc]
    words = document.slice(entry.span).strip()
    if not _WEEKDAY.fullmatch(words) or words.lower().startswith("last") \
            or document.published is None or len(entry.date) != 10:
        return False
    try:
        gap = (datetime.date.fromisoformat(document.published)
               - datetime.date.fromisoformat(entry.date)).days
    except ValueError:
        return False
    return gap >= _FAR_WEEKDAY_DAYS


def _after_its_article(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether a relative date ("Saturday", "tomorrow") was resolved to a day after the article
    that gives it was published: a past weekday read as the coming one ("by Saturday afternoon" a week late). A date to come
    ("will be heard next Tuesday") is lost with it: a wrong date is the worst a brief can say."""
    document = piece.by_id[entry.span.doc]
    published = document.published
    if published is None or _WRITTEN_DATE.search(document.slice(entry.span)):
        return False  # a date written out is the source's own, not our reading of a word
    try:
        start = date_bounds(entry.date)[0]
        return start > datetime.date.fromisoformat(published[:10])
    except ValueError:
        return False


def _day_naming_a_thing(piece: StoryView, entry: TimelineEntry) -> bool:
    """Whether a day written without its year names what it modifies ("the September 11
    attacks", "the July 4 holiday"): its year is not the article's, and nothing happened on
    that day of the article's year."""
    document = piece.by_id[entry.span.doc]
    if not _DAY_WITHOUT_YEAR.fullmatch(document.slice(entry.span).strip()):
        return False
    before = document.text[max(0, entry.span.start - 8) : entry.span.start]
    after = document.text[entry.span.end : entry.span.end + 3]
    return bool(_DETERMINER_BEFORE.search(before) and _NOUN_AFTER.match(after))


def _as_written(piece: StoryView, entry: TimelineEntry) -> str:
    """An entry's date no more precise than its words: "a 1998 conviction" is of 1998, not of
    the day the article's own date would make it."""
    words = piece.by_id[entry.span.doc].slice(entry.span).strip()
    if _BARE_YEAR.fullmatch(words) and len(entry.date) > 4:
        return entry.date[:4]
    return entry.date


def _start(date: str) -> str:
    try:
        return date_bounds(date)[0].isoformat()
    except ValueError:
        return date


# --------------------------------------------------------------------------- voices


def _distinct(piece: StoryView, group: Sequence[Attribution]) -> dict[tuple[str, ...], int]:
    """A speaker's statements by wording (folded words) -> their length in words: the same
    words carried by several outlets (a wire story's paraphrase, one quote everyone ran) are
    one statement, counted once however many outlets print them."""
    found: dict[tuple[str, ...], int] = {}
    for attribution in group:
        words = terms.words(piece.by_id[attribution.doc].slice(attribution.content))
        found.setdefault(tuple(w.lower() for w in words), len(words))
    return found


def _distinct_words(piece: StoryView, group: Sequence[Attribution]) -> int:
    return sum(_distinct(piece, group).values())


def _surname(name: str) -> str | None:
    """The last word of a person's name written with capitals ("Payton" of "Sean Payton"),
    else None (a role such as "her rep", a body such as "the union")."""
    words = terms.words(name)
    if len(words) < 1 or not all(w[:1].isupper() for w in words):
        return None
    return words[-1].lower()


def _voice_keys(piece: StoryView, statements: Sequence[Attribution]) -> dict[str, str]:
    """One key per speaker: a name not linked to an entity ("Payton", "Sean Payton") joins the
    one entity or name of the story that ends with the same surname, when only one does."""
    keys = {a.id: speaker_key(a) for a in statements}
    # one name linked to two entities ("SEACOM" taken once for a body, once for a person) is
    # one speaker: its statements in every outlet are counted together
    same_name: dict[str, str] = {}
    for key in sorted(set(keys.values())):
        if key.startswith("entity:"):
            folded = terms.one_line(piece.entity_names.get(key[len("entity:"):], "")).lower()
            if folded:
                same_name.setdefault(folded, key)
    keys = {n: same_name.get(terms.one_line(piece.entity_names.get(k[len("entity:"):], ""))
                             .lower(), k) if k.startswith("entity:") else k
            for n, k in keys.items()}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for attribution in statements:
        key = keys[attribution.id]
        name = (piece.entity_names.get(attribution.speaker.entity or "")
                or attribution.speaker.name or attribution.speaker.text)
        surname = _surname(name)
        if surname is not None:
            by_surname[surname].add(key)
    merged = {}
    for attribution in statements:
        key = keys[attribution.id]
        surname = _surname(attribution.speaker.name or attribution.speaker.text)
        owners = by_surname.get(surname or "", set())
        entities = sorted(k for k in owners if k.startswith("entity:"))
        if key.startswith("name:") and len(entities) == 1:
            key = entities[0]
        elif key.startswith("name:") and not entities and len(owners) > 1:
            key = f"surname:{surname}"  # "Sean Payton" and "Payton", neither linked
        merged[attribution.id] = key
    return merged


def _a_statement(piece: StoryView, attribution: Attribution) -> bool:
    """Whether an attribution's words can be a statement its speaker made: a few words with
    one that is not capitalised (only capitals is a name or a title: "Sheriff Tim Waldie",
    "Mamma Mia"), and no question (a question in a speaker's sentence is most often the one
    a reporter put to them)."""
    text = piece.by_id[attribution.doc].slice(attribution.content)
    words = terms.words(text)
    if len(words) < _MIN_STATEMENT_WORDS or text.rstrip(" \"”’'").endswith("?"):
        return False
    return any(len(w) > 2 and w[:1].islower() and w.lower() not in terms.STOP_WORDS
               for w in words)


def _outermost(statements: Sequence[Attribution], keys: dict[str, str]) -> list[Attribution]:
    """Each remark once: a speaker's words inside another of their attributions of the same
    article (a phrase quoted again within the sentence that holds it) are that remark."""
    return [a for a in statements if not any(
        o is not a and o.doc == a.doc and keys[o.id] == keys[a.id]
        and o.content.contains(a.content) and (o.content != a.content or o.id < a.id)
        for o in statements)]


def voices(piece: StoryView) -> list[BriefSentence]:
    by_speaker: dict[str, list[Attribution]] = defaultdict(list)
    # only statements: not a misread attribution, nor a verb that is not one of saying, nor a
    # name, a title or a question
    # and only where the speaker is named in the sentence: "he said", resolved to a name
    # elsewhere, can be another man's remark (the governor's after the mayor's), and the
    # count says "at least"
    statements = [a for a in piece.attributions
                  if speaks(piece, a) and not misread(piece, a) and _a_statement(piece, a)
                  and named_in_sentence(piece, a)]
    keys = _voice_keys(piece, statements)
    statements = _outermost(statements, keys)
    for attribution in statements:
        by_speaker[keys[attribution.id]].append(attribution)
    total = sum(_distinct_words(piece, g) for g in by_speaker.values()) or 1
    ranked = sorted(by_speaker.values(), key=lambda group: -_distinct_words(piece, group))
    sentences = []
    for group in ranked:
        named = next((a for a in group if name_span(piece, a) is not None
                      and known_speaker(piece, a)), None)
        if named is None:
            continue  # a speaker no article names cannot be cited by name
        words = _distinct_words(piece, group)
        if words < _MIN_FACT_WORDS:
            continue  # a voice of a few words in all is more often a misread phrase than one
        sentence = Sentence.empty()
        name = speaker_name(piece, named, sentence)
        outlets = listing(piece.outlet(a.doc) for a in group)
        n_outlets = len({piece.outlet(a.doc) for a in group})
        # "at least": attribution finds some of a speaker's statements, never more than are
        # there, and a speaker named two ways may be counted apart
        sentence.say(f"{name}: at least {count(len(_distinct(piece, group)), 'statement')}, in ")
        if _named_elsewhere(piece, group, name):
            # another outlet names the speaker ("John Owen" for "Jon Owen", "police" beside
            # "Bloomington officers") and may quote them: the counts are floors, and a share
            # of all reported words would understate them
            sentence.say(f"at least {count(n_outlets, 'outlet')} ({outlets}), "
                         f"at least {count(words, 'word')}.")
        elif _maybe_theirs_uncounted(piece, group, keys):
            # a remark of theirs not counted ("our correspondent says", "he added"): the
            # words are a floor, and their share would understate them
            sentence.say(f"{count(n_outlets, 'outlet')} ({outlets}), "
                         f"at least {count(words, 'word')}.")
        else:
            sentence.say(f"{count(n_outlets, 'outlet')} ({outlets}), {count(words, 'word')}, "
                         f"{round(100 * words / total)}% of all reported words.")
        sentence.cite(*(a.content for a in group))
        done = sentence.done("voices")
        if done is not None:
            sentences.append(done)
    return sentences[:_MAX_SENTENCES]


# Capitalised words that name nobody: a pronoun or a determiner starting a sentence.
_NOT_A_NAME = terms.STOP_WORDS | frozenset("our my your their its his her".split())


def _maybe_theirs_uncounted(piece: StoryView, group: Sequence[Attribution],
                            keys: dict[str, str]) -> bool:
    """Whether a document the speaker is counted in holds a statement left out of their count
    that may be theirs: one resolved to them but not named where it is said ("he added"), or
    one whose speaker no name tells ("our correspondent says", "a spokesman said")."""
    key = keys[group[0].id]
    entity = key[len("entity:"):] if key.startswith("entity:") else None
    docs = {a.doc for a in group}
    for other in piece.attributions:
        if other.doc not in docs or keys.get(other.id) == key:
            continue
        theirs = entity is not None and other.speaker.entity == entity
        words = terms.words(other.speaker.text or other.speaker.name or "")
        unnamed = other.speaker.entity is None and not any(
            w[:1].isupper() and w.lower() not in _NOT_A_NAME for w in words)
        # what may make it theirs is read first: most statements are someone else's, and
        # whether one is a statement reads its words (`misread`)
        if not (theirs or unnamed) or not speaks(piece, other) or misread(piece, other) \
                or not _a_statement(piece, other):
            continue
        if theirs:
            return True
        # a role or a pronoun most likely refers back to the speaker named just before it
        if any(_next_to(piece, a.content, other.content) for a in group if a.doc == other.doc):
            return True
    return False


def _next_to(piece: StoryView, named: Span, unnamed: Span) -> bool:
    """Whether `unnamed` lies in the sentence of `named` or in the one after it."""
    document = piece.by_id[named.doc]
    sentence = sentence_around(document, named)
    if sentence.contains(unnamed) or unnamed.start < sentence.start:
        return sentence.contains(unnamed)
    following = sentence_around(document, Span(named.doc, min(sentence.end + 1,
                                                              len(document.text)),
                                               min(sentence.end + 1, len(document.text))))
    return unnamed.start <= following.end


def _name_words(name: str) -> list[str]:
    """The capitalised words of a speaker's name that can find it in another text: "Owen" and
    "Jon" of "Jon Owen", "Bloomington" of "Bloomington officers"."""
    return [w for w in terms.words(name)
            if len(w) > 2 and w[:1].isupper() and w.lower() not in terms.STOP_WORDS]


def _named_elsewhere(piece: StoryView, statements: Sequence[Attribution], name: str) -> bool:
    """Whether a document of an outlet none of `statements` comes from names the speaker (a
    word of `name`, or of the speaker as each statement gives it): that outlet may quote them
    under another spelling or a plainer noun, so a count of outlets would be a guess."""
    words = set(_name_words(name))
    for attribution in statements:
        words.update(_name_words(attribution.speaker.name or attribution.speaker.text))
    if not words:
        return False
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, sorted(words))))
    counted = {piece.outlet(a.doc) for a in statements}
    for doc_id, document in piece.by_id.items():
        if piece.outlet(doc_id) in counted:
            continue
        start = 0
        for end in [*sentence_ends(document.text), len(document.text)]:
            # the name in a sentence with a word of saying: that outlet quotes them too
            text = document.text[start:end]
            if pattern.search(text) and _SAYING.search(text):
                return True
            start = end
    return False


# Words of saying that show a speaker quoted in a sentence, whatever the attribution stage
# made of it.
_SAYING = re.compile(r"\b(?:said|says|say|told|tells|according to|stated|added|announced|"
                     r"confirmed|explained|insisted|acknowledged|admitted|noted)\b")


# --------------------------------------------------------------------------- single outlet


def _carried_elsewhere(piece: StoryView) -> Callable[[Attribution], bool]:
    """A test of whether another document (a near-duplicate copy too) has the words of a
    statement, or a sentence holding at least half its content words: looser than the fact
    matcher on purpose, since calling a statement "only" one outlet's when another carries it
    misleads."""
    sentences: list[tuple[str, set[str]]] = []
    for doc_id, document in piece.by_id.items():
        text, start, previous = document.text, 0, set[str]()
        for end in [*sentence_ends(text), len(text)]:
            found = stem_set(text[start:end])
            if len(found) >= 2:
                # two sentences in a row too: another outlet may carry a remark in two
                # ("The pier will be rebuilt," he said. "In stone, before winter.")
                sentences.append((doc_id, found | previous))
                previous = found
            start = end
    index: dict[str, list[int]] = defaultdict(list)
    for n, (_, found) in enumerate(sentences):
        for stem in found:
            index[stem].append(n)

    # each document's words in one line, to find a short remark word for word ("That's all
    # I can say" has too few content words to be matched by them)
    plain = {doc_id: _plain(document.text) for doc_id, document in piece.by_id.items()}

    def test(attribution: Attribution) -> bool:
        text = piece.by_id[attribution.doc].slice(attribution.content)
        # a near-duplicate copy carries it too: "only" the original's would be false
        own = attribution.doc
        words = _plain(text)
        if any(words in other for doc_id, other in plain.items() if doc_id != own):
            return True
        wanted = stem_set(text)
        if not wanted:
            return False
        need = max(2, math.ceil(_ELSEWHERE_PART * len(wanted)))
        hits: Counter[int] = Counter(n for stem in wanted for n in index.get(stem, ()))
        return any(k >= need and sentences[n][0] != own for n, k in hits.items())

    return test


def _same_cue_elsewhere(piece: StoryView, attribution: Attribution) -> bool:
    """Whether another outlet has a sentence naming the speaker with the same verb of saying,
    when that verb is not a plain "said": "Kempthorne acknowledged internal debate" is the
    remark another outlet gives as "acknowledged that there was disagreement", in words too
    unlike to be matched by them."""
    if attribution.cue is None:
        return False
    document = piece.by_id[attribution.doc]
    verb = stem_set(document.slice(attribution.cue))
    if not verb or _PLAIN_CUE.search(document.slice(attribution.cue)):
        return False
    names = set(_name_words(attribution.speaker.name or attribution.speaker.text))
    names.update(_name_words(piece.entity_names.get(attribution.speaker.entity or "", "")))
    if not names:
        return False
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, sorted(names))))
    said_of = lower_case_stems(document.slice(attribution.content)) - verb
    own = piece.outlet(attribution.doc)
    for doc_id, other in piece.by_id.items():
        if piece.outlet(doc_id) == own:
            continue
        start = 0
        for end in [*sentence_ends(other.text), len(other.text)]:
            text = other.text[start:end]
            found = stem_set(text)
            # and a word of what was said ("rules" / "rule"): "Trump claimed the war would
            # end soon" is not "soldiers he claims are encircled"
            if pattern.search(text) and verb <= found and any(
                    terms.same_stem(a, b) for a in said_of for b in found - verb):
                return True
            start = end
    return False


# Verbs of saying so common that two outlets using one tells nothing of which remark it is,
# and verbs of writing and calling, which lead into one passage of a text among many.
_PLAIN_CUE = re.compile(r"\b(?:said|says|say|saying|told|tells|tell|telling|added|adds|adding|"
                        r"according|wrote|writes|write|written|writing|tweeted|tweeting|"
                        r"posted|posting|called|calls|call|calling)\b", re.IGNORECASE)


def _plain(text: str) -> str:
    """A text's words in lower case, one space apart: "That’s" and "That ' s" alike."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def single_outlet(piece: StoryView, facts: Sequence[Fact]) -> list[BriefSentence]:
    if len(piece.independent_sources((d, None) for d in piece.by_id)) < 2:
        return []  # one outlet's story: everything would be "only this outlet"
    carried = {c.id for f in facts for c in f.claims}
    related = {m for r in piece.relations for m in r.members}
    elsewhere = _carried_elsewhere(piece)
    by_doc: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in piece.attributions:
        claim = claim_of(piece, attribution.id)
        if attribution.id in related or (claim is not None and (
                claim.id in carried or claim.id in related)):
            continue
        if (name_span(piece, attribution) is None or misread(piece, attribution)
                or not named_in_sentence(piece, attribution) or not speaks(piece, attribution)
                or not known_speaker(piece, attribution)):
            continue  # no speaker named where they speak, or no word of saying: not shown
        if _word_total(piece, attribution.content) < _MIN_FACT_WORDS:
            continue  # a title or a few words: not a statement
        if elsewhere(attribution) or _same_cue_elsewhere(piece, attribution):
            continue  # "only" would be false: another outlet carries much of it
        by_doc[attribution.doc].append(attribution)
    # take turns between documents, so that each outlet's own material is seen
    queues = [list(items) for items in by_doc.values()]
    chosen: list[Attribution] = []
    while any(queues) and len(chosen) < _MAX_SENTENCES:
        for queue in queues:
            if queue and len(chosen) < _MAX_SENTENCES:
                chosen.append(queue.pop(0))
    sentences = []
    for attribution in chosen:
        sentence = Sentence.empty().say(f"Only {piece.outlet(attribution.doc)}: ")
        side(piece, attribution, sentence)
        done = sentence.say(".").done("single_outlet")
        if done is not None:
            sentences.append(done)
    return sentences
