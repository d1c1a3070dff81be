"""The brief on small invented stories built by hand (no models): who it says spoke, and how
many independent outlets it says carry a fact."""

from __future__ import annotations

import dataclasses
import re

from invented_stories import said, story

from rashomon.brief import build_briefs
from rashomon.model import (
    Analysis,
    Attribution,
    BriefSentence,
    Document,
    Entity,
    Relation,
    Span,
    Speaker,
    TimelineEntry,
)

_COUNT = re.compile(r"carried by (\d+) independent outlets?")


def _section(analysis: Analysis, name: str) -> list[BriefSentence]:
    (brief,) = build_briefs(analysis)
    return [s for s in brief.sentences if s.section == name]


# The governor's remark, and a wire story's own sentences around it.
_REMARK = "five people had received treatment after being injured by the tremor near the harbour"
_WIRE = ("The tremor struck an area around the fishing town of Corvel on Daska island, at the "
         "mouth of the bay through which most of the region's grain passes. The island is "
         "crossed by fault lines and often feels small earthquakes in the dry season.")


def test_brief_counts_outlets_reusing_one_wire_text_once() -> None:
    # two outlets run the same wire sentences (each with its own opening), a third writes its own
    wire_a = said("a", "Velmora Post", f"Quake shakes Daska. Governor Ilan Mezar said {_REMARK}. "
                   f"{_WIRE}", "Ilan Mezar", "said", _REMARK)
    wire_b = said("b", "Dornach Bugle", f"Five hurt on Daska. {_WIRE} Governor Ilan Mezar said "
                   f"{_REMARK}.", "Ilan Mezar", "said", _REMARK)
    # its own words for the same remark
    mine = "five people injured by the tremor near the harbour had received treatment"
    own = said("c", "Hollin Herald", f"Our reporter in Corvel saw cracked walls. Ilan Mezar, "
                f"the governor, said {mine}.", "Ilan Mezar", "said", mine)
    (happened,) = _section(story(wire_a, wire_b, own), "happened")
    assert _COUNT.search(happened.text).group(1) == "2"  # type: ignore[union-attr]
    assert len({span.doc for span in happened.citations}) == 3  # all three still cited
    # without the third outlet, the two copies of one wire text are one source: no fact
    assert not _section(story(wire_a, wire_b), "happened")


def test_brief_counts_outlets_that_only_quote_alike_apart() -> None:
    # the same quote in two outlets, each in its own words: two sources
    quote = ("we have tents for two thousand people and doctors on their way to every "
             "village near the harbour")
    a = said("a", "Velmora Post", f"Quake shakes Daska. “{quote.capitalize()},” Governor Ilan "
              "Mezar told a radio station on Sunday evening.", "Ilan Mezar", "told",
              quote.capitalize(), kind="direct")
    b = said("b", "Dornach Bugle", f"Relief began at dawn in Corvel. “{quote.capitalize()},” "
              "said Ilan Mezar, who governs the island.", "Ilan Mezar", "said",
              quote.capitalize(), kind="direct")
    (happened,) = _section(story(a, b), "happened")
    assert "carried by 2 independent outlets" in happened.text


def test_brief_never_gives_words_to_whom_they_were_addressed() -> None:
    letter = "He has the courage and the record to lead the harbour board"
    text = f"“{letter},” Ivo Brannik told Mayor Celia Ondrecht in a letter last spring."
    document, attribution, claim = said("a", "Velmora Post", text, "Celia Ondrecht", "told",
                                         letter, kind="direct")
    other = said("b", "Dornach Bugle", "Growers in the valley said the frost had spared the "
                  "pears this year.", "Growers in the valley", "said",
                  "the frost had spared the pears this year")
    analysis = story((document, attribution, claim), other)
    (brief,) = build_briefs(analysis)
    assert not [s for s in brief.sentences if "Ondrecht" in s.text]
    # the same sentence with the writer as speaker is shown
    writer = text.index("Ivo Brannik")
    fixed = Attribution(attribution.id, attribution.doc, Speaker(
        Span(document.id, writer, writer + len("Ivo Brannik")), "Ivo Brannik",
        name="Ivo Brannik"), attribution.cue, attribution.content, "direct", "assertion")
    (brief,) = build_briefs(story((document, fixed, claim), other))
    assert [s for s in brief.sentences if "Ivo Brannik" in s.text]


def test_brief_never_gives_words_written_to_someone_to_them() -> None:
    words = "the pier should be rebuilt in stone before the winter storms"
    text = f"Growers wrote to Ivo Brannik that {words}."
    item = said("a", "Velmora Post", text, "Ivo Brannik", "wrote", words)
    other = said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(story(item, other))
    assert not [s for s in brief.sentences if "Brannik" in s.text]


def test_brief_does_not_take_questions_left_unanswered_for_a_statement() -> None:
    words = "few questions about how the prisoner walked out of the van in the harbour"
    item = said("a", "Velmora Post", f"Prison officials could answer {words}.",
                 "Prison officials", "answer", words)
    other = said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(story(item, other))
    assert not [s for s in brief.sentences if "officials" in s.text]
    assert [s for s in brief.sentences if "Ondrecht" in s.text]


def test_brief_keeps_a_speaker_named_after_the_cue_that_follows_their_words() -> None:
    question = "Who will pay for the pier if the harbour board will not"
    text = f"“{question}?” asked Ivo Brannik at the meeting in the harbour hall."
    # the speaker comes after "asked": the asker, not whom it was asked
    item = said("a", "Velmora Post", text, "Ivo Brannik", "asked", question, kind="direct")
    other = said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(story(item, other))
    assert [s for s in brief.sentences if "Ivo Brannik asked" in s.text]


def test_brief_names_only_outlets_whose_own_text_carries_the_fact() -> None:
    words = "the night ferry would resume sailing from the north pier on Friday evening"
    a = said("a", "Velmora Post", f"Celia Ondrecht said {words}.", "Celia Ondrecht", "said",
              words)
    b = said("b", "Dornach Bugle", f"Harbour master Celia Ondrecht said {words}, with a "
              "second crew.", "Celia Ondrecht", "said", words)
    copy_doc, copy_attribution, copy_claim = said(
        "c", "Hollin Herald", f"Harbour master Celia Ondrecht said {words}, with a second "
        "crew aboard.", "Celia Ondrecht", "said", words)
    elsewhere = said("d", "Tarn Ledger", "Growers in the valley said the frost had spared the "
                      "pears this year.", "Growers in the valley", "said",
                      "the frost had spared the pears this year")
    analysis = story(a, elsewhere, (copy_doc, copy_attribution, copy_claim), b)
    # dedup took the Herald's article for a copy of the Ledger's, which does not carry the words
    analysis = dataclasses.replace(analysis,
                                   near_duplicates=((copy_doc.id, elsewhere[0].id),))
    (happened,) = _section(analysis, "happened")
    assert "Tarn Ledger" not in happened.text
    assert "(Velmora Post, Hollin Herald)" in happened.text


def test_brief_does_not_count_an_outlet_without_the_figure_as_carrying_it() -> None:
    shown = "The escaped prisoner was serving three life sentences for the harbour robberies"
    a = said("a", "Velmora Post", f"Warden Ivo Brannik said “{shown}.”", "Ivo Brannik", "said",
              shown, kind="direct")
    b = said("b", "Dornach Bugle", f"Warden Ivo Brannik told reporters “{shown}.”",
              "Ivo Brannik", "told", shown, kind="direct")
    # "a life sentence" does not carry "three life sentences"
    other = "the escaped prisoner was serving a life sentence for the harbour robberies"
    c = said("c", "Hollin Herald", f"Ivo Brannik said {other}.", "Ivo Brannik", "said", other)
    (happened,) = _section(story(a, b, c), "happened")
    assert "carried by 2 independent outlets (Velmora Post, Dornach Bugle)" in happened.text


def test_brief_does_not_take_the_one_described_for_one_who_describes() -> None:
    words = "as “the last great boss of the harbour”"
    text = f"The man described {words} died on Friday."
    item = said("a", "Velmora Post", text, "The man", "described", "the last great boss of "
                 "the harbour", kind="direct")
    other = said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(story(item, other))
    assert not [s for s in brief.sentences if "The man" in s.text or "last great" in s.text]


def test_brief_never_calls_a_short_remark_another_outlet_quotes_only_one_outlets() -> None:
    remark = "That is all I can say about it"
    a = said("a", "Velmora Post", f"“{remark},” Coach Ivo Brannik said after the game.",
              "Ivo Brannik", "said", remark, kind="direct")
    b = said("b", "Dornach Bugle", f"The coach was brief. “{remark},” he told the radio.",
              "he", "told", remark, kind="direct")
    c = said("c", "Hollin Herald", "Celia Ondrecht said the night ferry would sail on Friday "
              "evening.", "Celia Ondrecht", "said", "the night ferry would sail on Friday evening")
    single = _section(story(a, b, c), "single_outlet")
    assert not [s for s in single if "all I can say" in s.text]
    assert [s for s in single if "Ondrecht" in s.text]


def test_brief_voices_count_one_name_linked_to_two_entities_once() -> None:
    items = [said(key, outlet, f"Harbour board said {words}.", "Harbour board", "said", words)
             for key, outlet, words in (
                 ("a", "Velmora Post", "the pier would be rebuilt in stone"),
                 ("b", "Dornach Bugle", "the night ferry would sail again on Friday"))]
    analysis = story(*items)
    # the entity stage linked the one name to a body in one article and a person in the other
    linked = tuple(Attribution(a.id, a.doc, Speaker(a.speaker.span, a.speaker.text,
                                                    name=a.speaker.name, entity=entity),
                               a.cue, a.content, a.kind, a.stance)
                   for a, entity in zip(analysis.attributions, ("org:board", "person:board"),
                                        strict=True))
    analysis = dataclasses.replace(analysis, attributions=linked, entities=(
        Entity("org:board", "Harbour board", "ORG"),
        Entity("person:board", "Harbour board", "PERSON")))
    voices = [s.text for s in _section(analysis, "voices")]
    assert len(voices) == 1 and "in 2 outlets" in voices[0], voices


def test_brief_timeline_shows_no_day_that_names_an_event_nor_a_vague_week() -> None:
    items = [
        said("a", "Velmora Post", "The gala was delayed by the September 11 attacks, the host "
              "said.", "the host", "said", "The gala was delayed by the September 11 attacks"),
        said("b", "Dornach Bugle", "Last week's escapee is still at large, a marshal said.",
              "a marshal", "said", "Last week's escapee is still at large"),
        said("c", "Hollin Herald", "The pier closed on June 1, 2026, a harbour clerk said.",
              "a harbour clerk", "said", "The pier closed on June 1, 2026"),
    ]
    analysis = story(*items)
    (a, _, _), (b, _, _), (c, _, _) = items

    def entry(document: Document, words: str, date: str) -> TimelineEntry:
        at = document.text.index(words)
        return TimelineEntry(date, Span(document.id, at, at + len(words)), words)

    timeline = (
        # a day without its year that names an event: resolved to the article's year
        entry(a, "September 11", "2026-09-11"),
        # "last week" resolved to the calendar week before the article's
        entry(b, "Last week", "2026-05-25/2026-05-31"),
        entry(c, "June 1, 2026", "2026-06-01"),
    )
    dated = [s.text for s in _section(dataclasses.replace(analysis, timeline=timeline),
                                      "timeline")]
    assert len(dated) == 1 and dated[0].startswith("2026-06-01: "), dated


def test_brief_shows_wording_differences_only_of_one_named_speaker() -> None:
    first = "Customers of all three harbour ferries may face delays this week because of the storm"
    second = "Ferry customers of all three lines may face delays this week after the storm"
    a = said("a", "Velmora Post", f"“{first},” Kestrel Ferries said in a post.",
              "Kestrel Ferries", "said", first, kind="direct")
    b_doc, b_attribution, b_claim = said(
        "b", "Dornach Bugle", f"“{second},” an official told the radio.", "an official",
        "told", second, kind="direct")
    # an official no article names: no name to show, and no telling it is the same speaker
    unnamed = dataclasses.replace(b_attribution, speaker=Speaker(None, "", anonymous=True))
    variant = Relation("r-variant", "quote_variant", (a[1].id, unnamed.id),
                       (a[1].content, unnamed.content), 0.9, "wording differs")
    analysis = dataclasses.replace(story(a, (b_doc, unnamed, b_claim)), relations=(variant,))
    assert not _section(analysis, "contested")
    # the same two wordings, both the company's: shown
    named = said("b", "Dornach Bugle", f"“{second},” Kestrel Ferries said.", "Kestrel Ferries",
                  "said", second, kind="direct")
    variant = dataclasses.replace(variant, members=(a[1].id, named[1].id),
                                  evidence=(a[1].content, named[1].content))
    analysis = dataclasses.replace(story(a, named), relations=(variant,))
    (shown,) = _section(analysis, "contested")
    assert shown.text.startswith("Wording differs: ")


def test_brief_voices_leave_out_a_voice_of_a_few_words_in_all() -> None:
    a = said("a", "Velmora Post", "The harbour board, in its rules, says “ships moor here”.",
              "The harbour board", "says", "ships moor here", kind="direct")
    b = said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on Friday "
              "evening.", "Celia Ondrecht", "said", "the night ferry would sail on Friday evening")
    voices = [s.text for s in _section(story(a, b), "voices")]
    assert len(voices) == 1 and voices[0].startswith("Celia Ondrecht"), voices


def test_brief_timeline_shows_no_bare_weekday_resolved_nearly_a_week_back() -> None:
    text = "The board was on the defensive again Tuesday. The pier closed on June 1, 2026."
    item = said("a", "Velmora Post", text, "The board", "was", "on the defensive again")
    document = dataclasses.replace(item[0], published="2026-06-08")  # a Monday
    analysis = story((document, item[1], item[2]))

    def entry(words: str, day: str) -> TimelineEntry:
        at = text.index(words)
        return TimelineEntry(day, Span(document.id, at, at + len(words)), words)

    # "Tuesday" taken for the one six days before, though it may be the next day
    timeline = (entry("Tuesday", "2026-06-02"), entry("June 1, 2026", "2026-06-01"))
    dated = [s.text for s in _section(dataclasses.replace(analysis, timeline=timeline),
                                      "timeline")]
    assert len(dated) == 1 and dated[0].startswith("2026-06-01: "), dated
    # the Tuesday before a Thursday article: shown
    timeline = (entry("Tuesday", "2026-06-09"),)
    later = dataclasses.replace(document, published="2026-06-11")
    analysis = story((later, item[1], item[2]))
    dated = [s.text for s in _section(dataclasses.replace(analysis, timeline=timeline),
                                      "timeline")]
    assert len(dated) == 1 and dated[0].startswith("2026-06-09: "), dated


_OTHER = ("Celia Ondrecht said the night ferry would sail on Friday evening.", "Celia Ondrecht",
          "said", "the night ferry would sail on Friday evening")


def test_brief_never_takes_words_before_a_request_for_what_it_asked() -> None:
    # the writer's own words, then a request: the board asked her to do it again
    words = "Mara Quell ran the harbour regatta so well last summer"
    text = f"{words}, the harbour board has asked her to run it twice."
    item = said("a", "Velmora Post", text, "the harbour board", "asked", words)
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert not [s for s in brief.sentences if "regatta" in s.text or "board" in s.text]
    # words before a plain "said" are what was said
    said_text = f"{words}, the harbour board said on Monday."
    item = said("a", "Velmora Post", said_text, "the harbour board", "said", words)
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert [s for s in brief.sentences if "regatta" in s.text]


def test_brief_never_takes_a_conjunctions_that_for_what_was_said() -> None:
    words = "that the owners' names were made public"
    text = f"Ivo Brannik asked for help from the public now {words}."
    item = said("a", "Velmora Post", text, "Ivo Brannik", "asked", words)
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert not [s for s in brief.sentences if "names were made public" in s.text]
    # "asked that …": what was asked
    asked = f"Ivo Brannik asked {words}."
    item = said("a", "Velmora Post", asked, "Ivo Brannik", "asked", words)
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert [s for s in brief.sentences if "names were made public" in s.text]


def test_brief_takes_no_common_noun_starting_a_sentence_for_a_speaker() -> None:
    # "Harbour" capitalised only because the sentence starts with it; written lower case
    # elsewhere: a figure of speech, not a speaker
    text = ("The pilot finally left the harbour. Harbour has been calling his name for years "
            "and years now.")
    item = said("a", "Velmora Post", text, "Harbour", "calling",
                "his name for years and years now")
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert not [s for s in brief.sentences if "calling" in s.text]
    # a body that speaks ("Police said") is kept
    police = ("Police stopped the ferry at the harbour. Police said the pilot had drunk three "
              "glasses of wine before the crossing.")
    item = said("a", "Velmora Post", police.replace("Police stopped", "The police stopped"),
                "Police", "said", "the pilot had drunk three glasses of wine before the crossing")
    (brief,) = build_briefs(story(item, said("b", "Dornach Bugle", *_OTHER)))
    assert [s for s in brief.sentences if s.text.startswith("Only Velmora Post: Police said")]


def test_brief_calls_no_remark_only_one_outlets_when_another_gives_its_verb_and_speaker() -> None:
    words = "that there was disagreement within the board regarding the new pier tolls"
    a = said("a", "Velmora Post", f"Mayor Ivo Brannik acknowledged {words}.", "Ivo Brannik",
             "acknowledged", words)
    # another outlet: the same admission, other words
    b = said("b", "Dornach Bugle", "Brannik acknowledged internal debate over the changes, "
             "and the clerk said the tolls start in May.", "the clerk", "said",
             "the tolls start in May")
    single = _section(story(a, b, said("c", "Hollin Herald", *_OTHER)), "single_outlet")
    assert not [s for s in single if "disagreement" in s.text]
    assert [s for s in single if "Ondrecht" in s.text]
    # the same speaker and verb over something else: still only one outlet's
    c = said("c", "Dornach Bugle", "Brannik acknowledged the ferry was late twice in March, "
             "and the clerk said the bridge opens in May.", "the clerk", "said",
             "the bridge opens in May")
    single = _section(story(a, c, said("d", "Hollin Herald", *_OTHER)), "single_outlet")
    assert [s for s in single if "disagreement" in s.text]


def test_brief_counts_no_outlet_for_a_fact_by_shared_names_alone() -> None:
    shown = "Roofs were torn off in Corvel, Tessa, Varn, Lume and Oddeby"
    a = said("a", "Velmora Post", f"Governor Ilan Mezar said {shown}.", "Ilan Mezar", "said",
             shown)
    other = "the hardest-hit villages were Corvel, Tessa, Varn, Lume and Oddeby"
    b = said("b", "Dornach Bugle", f"Ilan Mezar said {other}.", "Ilan Mezar", "said", other)
    assert not _section(story(a, b), "happened")
    # the same names with what happened to them: carried by both
    same = "roofs were torn off in Corvel, Tessa, Varn, Lume and Oddeby overnight"
    c = said("c", "Dornach Bugle", f"Ilan Mezar said {same}.", "Ilan Mezar", "said", same)
    (happened,) = _section(story(a, c), "happened")
    assert "carried by 2 independent outlets" in happened.text


def test_brief_voice_words_are_a_floor_beside_an_unnamed_remark_that_may_be_theirs() -> None:
    first = "the thieves drove a van through the front window of the shop before dawn"
    second = "the same gang is suspected of thirty such raids across the country"
    text = f"Ivo Brannik says {first}. Our correspondent says {second}."
    document, attribution, claim = said("a", "Velmora Post", text, "Ivo Brannik", "says", first)
    start = text.index("Our correspondent")
    cue = text.index("says", start)
    at = text.index(second)
    remark = Attribution("a:a2", document.id, Speaker(Span(document.id, start, start + 17),
                                                      "Our correspondent"),
                         Span(document.id, cue, cue + 4), Span(document.id, at, at + len(second)),
                         "indirect", "assertion")
    analysis = story((document, attribution, claim), said("b", "Dornach Bugle", *_OTHER))
    analysis = dataclasses.replace(analysis, attributions=(*analysis.attributions, remark))
    voices = [s.text for s in _section(analysis, "voices") if s.text.startswith("Ivo Brannik")]
    assert voices and "at least 14 words" in voices[0] and "%" not in voices[0], voices
    # with nothing else said in the article, the count is exact and the share shown
    alone = story(said("a", "Velmora Post", f"Ivo Brannik says {first}.", "Ivo Brannik", "says",
                       first), said("b", "Dornach Bugle", *_OTHER))
    voices = [s.text for s in _section(alone, "voices") if s.text.startswith("Ivo Brannik")]
    assert voices and "14 words, " in voices[0] and "%" in voices[0], voices


def test_brief_timeline_dates_no_today_of_an_article_written_after_its_date() -> None:
    text = ("The board was on the defensive again Tuesday. The pilot remains missing today. "
            "The pier closed on June 1, 2026.")
    item = said("a", "Velmora Post", text, "The board", "was", "on the defensive again")
    document = dataclasses.replace(item[0], published="2026-06-08")  # a Monday

    def entry(words: str, day: str) -> TimelineEntry:
        at = text.index(words)
        return TimelineEntry(day, Span(document.id, at, at + len(words)), words)

    def dated(*entries: TimelineEntry) -> list[str]:
        analysis = dataclasses.replace(story((document, item[1], item[2])), timeline=entries)
        return [s.text for s in _section(analysis, "timeline")]

    # "again Tuesday" as past in a Monday article: written on Tuesday at the earliest, so its
    # "today" is not the Monday of its date line
    shown = dated(entry("Tuesday", "2026-06-02"), entry("today", "2026-06-08"),
                  entry("June 1, 2026", "2026-06-01"))
    assert len(shown) == 1 and shown[0].startswith("2026-06-01: "), shown
    # without the later weekday, "today" is the article's day
    shown = dated(entry("today", "2026-06-08"), entry("June 1, 2026", "2026-06-01"))
    assert any(s.startswith("2026-06-08: ") for s in shown), shown
