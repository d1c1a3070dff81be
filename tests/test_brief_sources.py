"""The brief on small invented stories built by hand (no models): who it says spoke, and how
many independent outlets it says carry a fact."""

from __future__ import annotations

import re

from rashomon.brief import build_briefs
from rashomon.model import (
    Analysis,
    Attribution,
    BriefSentence,
    Claim,
    Document,
    Mention,
    Span,
    Speaker,
    Story,
    document_id,
)

_COUNT = re.compile(r"carried by (\d+) independent outlets?")


def _said(key: str, outlet: str, text: str, speaker: str, cue: str, words: str,
          kind: str = "indirect") -> tuple[Document, Attribution, Claim]:
    """One invented article: `speaker` `cue` `words`, each found (first) in `text`."""
    document = Document(id=document_id(key, text), source=key, source_key=key, text=text,
                        raw_text=text, outlet=outlet)
    name, verb, start = text.index(speaker), text.index(cue), text.index(words)
    attribution = Attribution(
        f"{key}:a1", document.id,
        Speaker(Span(document.id, name, name + len(speaker)), speaker, name=speaker),
        Span(document.id, verb, verb + len(cue)), Span(document.id, start, start + len(words)),
        kind, "assertion")  # type: ignore[arg-type]
    return document, attribution, Claim(f"{key}:c1", document.id, attribution.content,
                                        attribution.id)


def _story(*items: tuple[Document, Attribution, Claim]) -> Analysis:
    mentions = tuple(Mention(a.speaker.span, a.speaker.text, "PERSON")
                     for _, a, _ in items if a.speaker.span is not None)
    return Analysis(
        documents=tuple(d for d, _, _ in items),
        stories=(Story("s-invented", tuple(d.id for d, _, _ in items)),),
        attributions=tuple(a for _, a, _ in items),
        claims=tuple(c for _, _, c in items),
        mentions=mentions,
    )


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
    wire_a = _said("a", "Velmora Post", f"Quake shakes Daska. Governor Ilan Mezar said {_REMARK}. "
                   f"{_WIRE}", "Ilan Mezar", "said", _REMARK)
    wire_b = _said("b", "Dornach Bugle", f"Five hurt on Daska. {_WIRE} Governor Ilan Mezar said "
                   f"{_REMARK}.", "Ilan Mezar", "said", _REMARK)
    # its own words for the same remark
    mine = "five people injured by the tremor near the harbour had received treatment"
    own = _said("c", "Hollin Herald", f"Our reporter in Corvel saw cracked walls. Ilan Mezar, "
                f"the governor, said {mine}.", "Ilan Mezar", "said", mine)
    (happened,) = _section(_story(wire_a, wire_b, own), "happened")
    assert _COUNT.search(happened.text).group(1) == "2"  # type: ignore[union-attr]
    assert len({span.doc for span in happened.citations}) == 3  # all three still cited
    # without the third outlet, the two copies of one wire text are one source: no fact
    assert not _section(_story(wire_a, wire_b), "happened")


def test_brief_counts_outlets_that_only_quote_alike_apart() -> None:
    # the same quote in two outlets, each in its own words: two sources
    quote = ("we have tents for two thousand people and doctors on their way to every "
             "village near the harbour")
    a = _said("a", "Velmora Post", f"Quake shakes Daska. “{quote.capitalize()},” Governor Ilan "
              "Mezar told a radio station on Sunday evening.", "Ilan Mezar", "told",
              quote.capitalize(), kind="direct")
    b = _said("b", "Dornach Bugle", f"Relief began at dawn in Corvel. “{quote.capitalize()},” "
              "said Ilan Mezar, who governs the island.", "Ilan Mezar", "said",
              quote.capitalize(), kind="direct")
    (happened,) = _section(_story(a, b), "happened")
    assert "carried by 2 independent outlets" in happened.text


def test_brief_never_gives_words_to_whom_they_were_addressed() -> None:
    letter = "He has the courage and the record to lead the harbour board"
    text = f"“{letter},” Ivo Brannik told Mayor Celia Ondrecht in a letter last spring."
    document, attribution, claim = _said("a", "Velmora Post", text, "Celia Ondrecht", "told",
                                         letter, kind="direct")
    other = _said("b", "Dornach Bugle", "Growers in the valley said the frost had spared the "
                  "pears this year.", "Growers in the valley", "said",
                  "the frost had spared the pears this year")
    analysis = _story((document, attribution, claim), other)
    (brief,) = build_briefs(analysis)
    assert not [s for s in brief.sentences if "Ondrecht" in s.text]
    # the same sentence with the writer as speaker is shown
    writer = text.index("Ivo Brannik")
    fixed = Attribution(attribution.id, attribution.doc, Speaker(
        Span(document.id, writer, writer + len("Ivo Brannik")), "Ivo Brannik",
        name="Ivo Brannik"), attribution.cue, attribution.content, "direct", "assertion")
    (brief,) = build_briefs(_story((document, fixed, claim), other))
    assert [s for s in brief.sentences if "Ivo Brannik" in s.text]


def test_brief_never_gives_words_written_to_someone_to_them() -> None:
    words = "the pier should be rebuilt in stone before the winter storms"
    text = f"Growers wrote to Ivo Brannik that {words}."
    item = _said("a", "Velmora Post", text, "Ivo Brannik", "wrote", words)
    other = _said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(_story(item, other))
    assert not [s for s in brief.sentences if "Brannik" in s.text]


def test_brief_does_not_take_questions_left_unanswered_for_a_statement() -> None:
    words = "few questions about how the prisoner walked out of the van in the harbour"
    item = _said("a", "Velmora Post", f"Prison officials could answer {words}.",
                 "Prison officials", "answer", words)
    other = _said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(_story(item, other))
    assert not [s for s in brief.sentences if "officials" in s.text]
    assert [s for s in brief.sentences if "Ondrecht" in s.text]


def test_brief_keeps_a_speaker_named_after_the_cue_that_follows_their_words() -> None:
    question = "Who will pay for the pier if the harbour board will not"
    text = f"“{question}?” asked Ivo Brannik at the meeting in the harbour hall."
    # the speaker comes after "asked": the asker, not whom it was asked
    item = _said("a", "Velmora Post", text, "Ivo Brannik", "asked", question, kind="direct")
    other = _said("b", "Dornach Bugle", "Celia Ondrecht said the night ferry would sail on "
                  "Friday evening.", "Celia Ondrecht", "said",
                  "the night ferry would sail on Friday evening")
    (brief,) = build_briefs(_story(item, other))
    assert [s for s in brief.sentences if "Ivo Brannik asked" in s.text]
