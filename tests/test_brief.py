"""The sourced brief, on the invented ferry articles of examples/ run through the real pipeline.

A syndicated copy of one article (another outlet, a few words changed) is added, so that the
independent-outlet counts can be checked to count it once.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from rashomon import pipeline
from invented_stories import said, story

from rashomon.brief import build_briefs
from rashomon.model import (
    BRIEF_SECTIONS,
    Analysis,
    Attribution,
    BriefSentence,
    Claim,
    Document,
    Relation,
    Span,
    Speaker,
    Story,
    TimelineEntry,
    document_id,
)
from rashomon.settings import load_settings
from rashomon.store import open_store

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COPY_OUTLET = "Hollin Herald"
# Quote marks are shown the brief's way (inner double quotes as single ones): compare words only.
_QUOTE_MARKS = str.maketrans({c: "'" for c in "“”‘’\"'"})
_QUOTED = re.compile(r"“([^“”]*)”")
_COUNT = re.compile(r"carried by (\d+) independent outlets?")


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    folder = tmp_path_factory.mktemp("ferry")
    for path in EXAMPLES.glob("harbor-ferry-*"):
        shutil.copy(path, folder / path.name)
    # wire copy: the Courier's article run by another outlet with its own headline and one word
    # changed; dedup marks it as a near-duplicate of the Courier's
    text = (EXAMPLES / "harbor-ferry-1.txt").read_text(encoding="utf-8")
    copy = "Kestrel Point Ferry Hits Barge" + text[text.index("\n"):]
    (folder / "herald.txt").write_text(copy.replace("apologised", "apologized"), encoding="utf-8")
    (folder / "herald.meta.json").write_text(
        json.dumps({"outlet": COPY_OUTLET, "published": "2026-06-03"}), encoding="utf-8")
    db = tmp_path_factory.mktemp("store") / "brief.db"
    with open_store(str(db)) as store:
        result = pipeline.analyze([str(folder)], store=store, settings=load_settings())
    assert not result.failures
    return result.analysis


def _normal(text: str) -> str:
    return " ".join(text.translate(_QUOTE_MARKS).split())


def _cited_texts(analysis: Analysis, sentence: BriefSentence) -> list[str]:
    docs = {d.id: d for d in analysis.documents}
    return [_normal(docs[span.doc].slice(span)) for span in sentence.citations]


def _quoted(sentence: BriefSentence) -> list[str]:
    return [_normal(q.strip("…")) for q in _QUOTED.findall(sentence.text)]


def _sentences(analysis: Analysis) -> list[BriefSentence]:
    return [s for brief in analysis.briefs for s in brief.sentences]


def test_brief_one_per_story_every_sentence_cited(analysis: Analysis) -> None:
    assert [b.story for b in analysis.briefs] == [s.id for s in analysis.stories]
    sentences = _sentences(analysis)
    assert sentences
    assert all(s.citations for s in sentences)
    assert all(s.text.strip() and "\n" not in s.text for s in sentences)


def test_brief_citations_exist_and_carry_the_quoted_words(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    checked = 0
    for sentence in _sentences(analysis):
        for span in sentence.citations:
            assert span.doc in docs, sentence.text
            assert 0 <= span.start < span.end <= len(docs[span.doc].text), sentence.text
        cited = _cited_texts(analysis, sentence)
        for words in _quoted(sentence):
            assert any(words in text for text in cited), (words, sentence.text)
            checked += 1
    assert checked >= 10  # the brief quotes, and every quote was found in its citations


def test_brief_citations_stay_in_the_story(analysis: Analysis) -> None:
    story_of = {d: s.id for s in analysis.stories for d in s.documents}
    for brief in analysis.briefs:
        for sentence in brief.sentences:
            assert {story_of[span.doc] for span in sentence.citations} == {brief.story}


def test_brief_sections_come_in_reading_order(analysis: Analysis) -> None:
    for brief in analysis.briefs:
        order = [BRIEF_SECTIONS.index(s.section) for s in brief.sentences]
        assert order == sorted(order)
    ferry = max(analysis.briefs, key=lambda b: len(b.sentences))
    assert {s.section for s in ferry.sentences} == set(BRIEF_SECTIONS)


def test_brief_names_speakers_with_words_read_from_a_citation(analysis: Analysis) -> None:
    voices = [s for s in _sentences(analysis) if s.section == "voices"]
    assert voices
    for sentence in voices:
        name = _normal(sentence.text.split(":", 1)[0])
        assert any(name in text for text in _cited_texts(analysis, sentence)), sentence.text


def test_brief_counts_a_near_duplicate_copy_once(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    copy = next(d.id for d in analysis.documents if d.outlet == COPY_OUTLET)
    originals = dict(analysis.near_duplicates)
    assert docs[originals[copy]].outlet == "Veyra Courier"  # the store saw the copy
    with_copy = 0
    for sentence in (s for s in _sentences(analysis) if s.section == "happened"):
        found = _COUNT.search(sentence.text)
        assert found, sentence.text
        outlets = {docs[span.doc].outlet_label for span in sentence.citations}
        independent = {docs[originals.get(span.doc, span.doc)].outlet_label
                       for span in sentence.citations}
        assert int(found.group(1)) == len(independent) >= 2, sentence.text
        if copy in {span.doc for span in sentence.citations}:
            with_copy += 1
            assert len(outlets) == len(independent) + 1, sentence.text
    assert with_copy  # the copy carries facts, and never adds an outlet to their count


def test_brief_counts_stay_within_the_corroborations_they_report(analysis: Analysis) -> None:
    # The brief counts only the outlets whose words say what the shown words say, so a
    # corroboration the align stage drew wider (a looser paraphrase) may count more outlets
    # than the sentence; a sentence never stands on fewer than two, and cites the relation.
    relations = {r.id: r for r in analysis.relations}
    tied = [s for s in _sentences(analysis) if s.section == "happened"
            and (r := relations.get(s.relation or "")) is not None and r.kind == "corroboration"]
    assert tied
    for sentence in tied:
        relation = relations[sentence.relation or ""]
        found = _COUNT.search(sentence.text)
        assert found, sentence.text
        assert 2 <= int(found.group(1)), sentence.text
        assert any(e.overlaps(c) for e in relation.evidence for c in sentence.citations)


def test_brief_contested_sets_both_sides_with_their_outlets(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    contested = [s for s in _sentences(analysis) if s.section == "contested"]
    kinds = {r.id: r.kind for r in analysis.relations}
    assert contested
    for sentence in contested:
        assert sentence.relation in kinds
        assert len(_quoted(sentence)) >= 2, sentence.text
        for span in sentence.citations:
            assert docs[span.doc].outlet_label in sentence.text
    denial = next(s for s in contested if kinds[s.relation or ""] == "denial")
    assert "Mara Quillan" in denial.text and "denied" in denial.text


def test_brief_timeline_cites_every_source_of_an_event_once(analysis: Analysis) -> None:
    timeline = [s for s in _sentences(analysis) if s.section == "timeline"]
    by_event: dict[str, set[Span]] = {}
    for entry in analysis.timeline:
        if entry.event_id:
            by_event.setdefault(entry.event_id, set()).add(entry.span)
    shown = [event for event, spans in by_event.items()
             if any(spans & set(s.citations) for s in timeline)]
    assert shown
    for event in shown:
        holding = [s for s in timeline if by_event[event] & set(s.citations)]
        assert len(holding) == 1  # one event, one sentence
        assert by_event[event] <= set(holding[0].citations)  # every source of it cited


def test_brief_single_outlet_statements_are_not_carried_elsewhere(analysis: Analysis) -> None:
    single = [s for s in _sentences(analysis) if s.section == "single_outlet"]
    happened = [s for s in _sentences(analysis) if s.section == "happened"]
    assert single
    carried = {w for s in happened for w in _quoted(s)}
    for sentence in single:
        assert not set(_quoted(sentence)) & carried, sentence.text


def test_brief_is_rebuilt_identically_from_the_analysis(analysis: Analysis) -> None:
    again = build_briefs(dataclasses.replace(analysis, briefs=()))
    assert again == analysis.briefs


def test_brief_of_an_empty_analysis_is_empty() -> None:
    assert build_briefs(Analysis()) == ()


def _relayed_analysis() -> Analysis:
    """Three outlets carry the port's words; two of them credit one wire service for them."""
    words = "The Kestrel Point terminal will stay closed until Friday morning"
    outlets = {"wire-a": ("Velmora Post", "according to Norvale Wire"),
               "wire-b": ("Dornach Bugle", "according to Norvale Wire"),
               "own": ("Hollin Herald", "our reporter was told")}
    documents, attributions, claims = [], [], []
    for key, (outlet, credit) in outlets.items():
        text = f"Harbour master Celia Ondrecht said “{words},” {credit}.\n"
        document = Document(id=document_id(key, text), source=key, source_key=key, text=text,
                            raw_text=text, outlet=outlet)
        start = text.index(words)
        name = text.index("Celia Ondrecht")
        relay = ("Norvale Wire",) if "Norvale" in credit else ()
        attribution = Attribution(
            f"{key}:a1", document.id, Speaker(Span(document.id, name, name + 14),
                                              "Celia Ondrecht", name="Celia Ondrecht"),
            Span(document.id, text.index("said"), text.index("said") + 4),
            Span(document.id, start, start + len(words)), "direct", "assertion", relay=relay)
        documents.append(document)
        attributions.append(attribution)
        claims.append(Claim(f"{key}:c1", document.id, attribution.content, attribution.id))
    return Analysis(
        documents=tuple(documents),
        stories=(Story("s-relay", tuple(d.id for d in documents)),),
        attributions=tuple(attributions),
        claims=tuple(claims),
    )


def test_brief_counts_outlets_relaying_one_source_once() -> None:
    (brief,) = build_briefs(_relayed_analysis())
    happened = [s for s in brief.sentences if s.section == "happened"]
    assert len(happened) == 1
    assert "carried by 2 independent outlets" in happened[0].text
    assert len({span.doc for span in happened[0].citations}) == 3  # all three cited


def test_brief_says_when_a_carried_fact_is_disputed() -> None:
    analysis = _relayed_analysis()
    (brief,) = build_briefs(analysis)
    (happened,) = [s for s in brief.sentences if s.section == "happened"]
    assert "disputed" not in happened.text
    # a denial aimed at one outlet's copy of the words: the fact is carried, and contested
    target = analysis.attributions[2]
    denial = Relation("r-deny", "denial", ("elsewhere:a9", target.id), (target.content,), 0.8,
                      "denied")
    (brief,) = build_briefs(dataclasses.replace(analysis, relations=(denial,)))
    (happened,) = [s for s in brief.sentences if s.section == "happened"]
    assert happened.text.endswith("; disputed (see what is contested).")
    assert happened.citations  # still cited


def test_brief_keeps_the_negation_between_speaker_and_cue() -> None:
    (brief,) = build_briefs(story(
        said("a", "Velmora Post", "Celia Ondrecht did not say when the terminal would reopen.",
              "Celia Ondrecht", "say", "when the terminal would reopen"),
        said("b", "Dornach Bugle", "Growers in the valley said the frost had spared the pears.",
              "Growers in the valley", "said", "the frost had spared the pears"),
    ))
    (single,) = [s for s in brief.sentences if s.section == "single_outlet"
                 and "Ondrecht" in s.text]
    assert "Celia Ondrecht did not say “when the terminal would reopen”" in single.text


def test_brief_never_calls_only_what_another_outlet_carries() -> None:
    (brief,) = build_briefs(story(
        said("a", "Velmora Post",
              "Celia Ondrecht said the night ferry would resume sailing on Friday evening.",
              "Celia Ondrecht", "said", "the night ferry would resume sailing on Friday evening"),
        # another outlet carries most of its words in a sentence of its own (not an attribution)
        said("b", "Dornach Bugle",
              "The night ferry will resume sailing on Friday, a harbour clerk said.",
              "a harbour clerk", "said", "The night ferry will resume sailing on Friday"),
    ))
    single = [s for s in brief.sentences if s.section == "single_outlet"]
    assert not [s for s in single if "night ferry" in s.text]


def test_brief_leads_with_the_widest_carried_fact_in_one_short_sentence() -> None:
    words = ("The Kestrel Point terminal will stay closed until Friday morning while divers "
             "inspect the damaged pier and the harbour board reviews the schedule")
    outlets = ["Velmora Post", "Dornach Bugle", "Hollin Herald", "Ostmark Times", "Tarn Ledger"]
    items = [said(f"o{n}", outlet, f"Harbour master Celia Ondrecht said “{words}.”",
                   "Celia Ondrecht", "said", words, kind="direct")
             for n, outlet in enumerate(outlets)]
    # a fact two outlets carry comes after the one five carry
    items += [said(f"p{n}", outlet, "Mayor Ivo Brannik said the pier will be rebuilt in stone "
                    "before the winter storms.", "Ivo Brannik", "said",
                    "the pier will be rebuilt in stone before the winter storms")
              for n, outlet in enumerate(outlets[:2])]
    (brief,) = build_briefs(story(*items))
    happened = [s for s in brief.sentences if s.section == "happened"]
    assert [int(_COUNT.search(s.text).group(1)) for s in happened] == [5, 2]  # type: ignore[union-attr]
    first = happened[0].text
    assert len(first.split()) <= 60
    assert "(Velmora Post, Dornach Bugle, Hollin Herald and 2 more)" in first
    assert " credits " not in first


def test_brief_does_not_lead_with_a_title_in_quote_marks() -> None:
    # three outlets quote a film's title: a name, not a statement carried by three outlets
    items = [said(f"t{n}", outlet, "Critic Ilse Poward called the film “Blue Harbour” a triumph.",
                   "Ilse Poward", "called", "Blue Harbour", kind="direct")
             for n, outlet in enumerate(["Velmora Post", "Dornach Bugle", "Hollin Herald"])]
    (brief,) = build_briefs(story(*items))
    assert not [s for s in brief.sentences if s.section == "happened"]


def test_brief_shows_a_cue_the_way_a_sentence_can_say_it() -> None:
    (brief,) = build_briefs(story(
        # "told" with whom it was told, when the article names them in a few words
        said("a", "Velmora Post", "Jonas Pellert told the Ledger that the night ferry would "
              "stay in dock until May.", "Jonas Pellert", "told",
              "the night ferry would stay in dock until May"),
        # a participle cue in the past: "The union saying …" is no sentence
        said("b", "Dornach Bugle", "The dockers union issued a statement, saying four "
              "deckhands needed hospital treatment.", "The dockers union", "saying",
              "four deckhands needed hospital treatment"),
        # "told" whose object is too long to show: "said"
        said("c", "Hollin Herald", "Ana Silva told reporters gathered outside the court in "
              "the rain that the orchard fair would open on Friday.", "Ana Silva", "told",
              "the orchard fair would open on Friday"),
    ))
    texts = [s.text for s in brief.sentences if s.section == "single_outlet"]
    assert any("Jonas Pellert told the Ledger “the night ferry would stay in dock until May”"
               in t for t in texts), texts
    assert any("The dockers union said “four deckhands needed hospital treatment”" in t
               for t in texts), texts
    assert any("Ana Silva said “the orchard fair would open on Friday”" in t for t in texts), texts
    assert not [t for t in texts if " saying “" in t or "told “" in t]


def test_brief_timeline_shows_no_date_it_cannot_vouch_for() -> None:
    items = [
        said("a", "Velmora Post", "The ferry sank on Tuesday, the harbour master said after "
              "she appeared on the Tonight Show with Ana Vik.", "the harbour master", "said",
              "The ferry sank on Tuesday"),
        said("b", "Dornach Bugle", "The pier closed on June 1, 2026, a harbour clerk said.",
              "a harbour clerk", "said", "The pier closed on June 1, 2026"),
        said("c", "Hollin Herald", "The captain was the second pick in the 2006 draft, a "
              "scout said.", "a scout", "said", "The captain was the second pick in the 2006 "
              "draft"),
    ]
    analysis = story(*items)
    (a, _, _), (b, _, _), (c, _, _) = items

    def entry(document: Document, words: str, date: str, *, inferred: bool = False
              ) -> TimelineEntry:
        at = document.text.index(words)
        return TimelineEntry(date, Span(document.id, at, at + len(words)), words,
                             inferred=inferred)

    timeline = (
        # "Tuesday" read against an article date that was itself inferred
        entry(a, "Tuesday", "2026-06-02", inferred=True),
        # a show's name, not a date
        entry(a, "Tonight", "2026-06-03"),
        entry(b, "June 1, 2026", "2026-06-01"),
        # a year that names what it modifies ("the 2006 draft"), not when the sentence happens
        entry(c, "2006", "2006"),
    )
    (brief,) = build_briefs(dataclasses.replace(analysis, timeline=timeline))
    dated = [s.text for s in brief.sentences if s.section == "timeline"]
    assert len(dated) == 1 and dated[0].startswith("2026-06-01: "), dated


def test_brief_voices_count_one_speaker_named_two_ways_once() -> None:
    (brief,) = build_briefs(story(
        said("a", "Velmora Post", "Coach Sean Payton said the team would rebuild its defence.",
              "Sean Payton", "said", "the team would rebuild its defence"),
        said("b", "Dornach Bugle", "Payton said the young players had earned their places.",
              "Payton", "said", "the young players had earned their places"),
        # declining to speak is no statement
        said("c", "Hollin Herald", "Mara Quillan declined to say whether the club would sell.",
              "Mara Quillan", "declined", "to say whether the club would sell"),
    ))
    voices = [s.text for s in brief.sentences if s.section == "voices"]
    assert len(voices) == 1, voices
    assert "at least 2 statements, in 2 outlets" in voices[0]


def test_brief_voices_count_one_wording_carried_by_two_outlets_once() -> None:
    # a wire story's sentence run by two outlets is one statement, its words counted once
    line = "Coach Sean Payton said the team would rebuild its defence before the spring."
    content = "the team would rebuild its defence before the spring"
    (brief,) = build_briefs(story(
        said("a", "Velmora Post", line, "Sean Payton", "said", content),
        said("b", "Dornach Bugle", line, "Sean Payton", "said", content),
    ))
    voices = [s.text for s in brief.sentences if s.section == "voices"]
    assert len(voices) == 1, voices
    assert "at least 1 statement, in 2 outlets" in voices[0], voices[0]
    assert f"{len(content.split())} words, 100%" in voices[0], voices[0]


def test_brief_voices_count_no_name_no_question_and_each_remark_once() -> None:
    remark = "the pier will be rebuilt in stone before the winter"
    text = (f"Mayor Ivo Brannik said {remark}, calling it “rebuilt in stone” for good "
            "measure.")
    document, first, claim = said("a", "Velmora Post", text, "Ivo Brannik", "said", remark)
    inner = text.index("rebuilt in stone")
    # the same remark's words quoted again inside it: one statement, not two
    nested = dataclasses.replace(first, id="a:a2", content=Span(document.id, inner,
                                                                inner + len("rebuilt in stone")))
    analysis = story(
        (document, first, claim),
        # a reporter's question read as the mayor's words
        said("b", "Dornach Bugle", "Mayor Ivo Brannik said: “Will the pier be rebuilt in "
              "stone?”", "Ivo Brannik", "said", "Will the pier be rebuilt in stone?",
              kind="direct"),
        # a name in quote marks read as his words
        said("c", "Hollin Herald", "Mayor Ivo Brannik said “Kestrel Point Harbour Board” "
              "again.", "Ivo Brannik", "said", "Kestrel Point Harbour Board", kind="direct"),
    )
    (brief,) = build_briefs(dataclasses.replace(
        analysis, attributions=(*analysis.attributions, nested)))
    voices = [s.text for s in brief.sentences if s.section == "voices"]
    assert len(voices) == 1, voices
    # the other outlets name him with "said" (a question, a name): a floor of outlets
    assert "at least 1 statement, in at least 1 outlet (Velmora Post)" in voices[0]


def test_brief_never_calls_only_what_another_outlet_carries_over_two_sentences() -> None:
    (brief,) = build_briefs(story(
        said("a", "Velmora Post", "Celia Ondrecht said the night ferry would resume sailing "
              "from the north pier on Friday evening with extra crew.", "Celia Ondrecht", "said",
              "the night ferry would resume sailing from the north pier on Friday evening with "
              "extra crew"),
        # the other outlet splits the same remark over two sentences
        said("b", "Dornach Bugle", "The weather was calm, a harbour clerk said. The night "
              "ferry will resume sailing. It leaves the north pier on Friday evening.",
              "a harbour clerk", "said", "The weather was calm"),
    ))
    single = [s for s in brief.sentences if s.section == "single_outlet"]
    assert not [s for s in single if "night ferry" in s.text], single


def test_brief_voices_count_only_remarks_whose_speaker_is_named_where_they_speak() -> None:
    document, named, claim = said("a", "Velmora Post", "Mayor Ivo Brannik said the pier will "
                                  "be rebuilt in stone.", "Ivo Brannik", "said",
                                  "the pier will be rebuilt in stone")
    other, pronoun, other_claim = said("b", "Dornach Bugle", "He said the harbour tents had "
                                        "run short of blankets.", "He", "said",
                                        "the harbour tents had run short of blankets")
    # "he" resolved to the mayor: it may be the governor's remark, so it is not counted
    pronoun = dataclasses.replace(pronoun, speaker=dataclasses.replace(
        pronoun.speaker, name="Ivo Brannik"))
    (brief,) = build_briefs(story((document, named, claim), (other, pronoun, other_claim)))
    voices = [s.text for s in brief.sentences if s.section == "voices"]
    assert len(voices) == 1 and "at least 1 statement, in 1 outlet (Velmora Post)" in voices[0], \
        voices


def test_brief_voices_count_is_a_floor_when_another_outlet_names_the_speaker() -> None:
    (brief,) = build_briefs(story(
        said("a", "Velmora Post", "Jon Owen said the harbour road would stay closed all week.",
             "Jon Owen", "said", "the harbour road would stay closed all week"),
        said("b", "Dornach Bugle", "Jon Owen said divers had found the ferry's second anchor.",
             "Jon Owen", "said", "divers had found the ferry's second anchor"),
        # the same man spelled another way, in a sentence the attribution stage gave to another
        said("c", "Hollin Herald", "Mara Quillan said the ferry company would pay for repairs, "
             "as John Owen told reporters.", "Mara Quillan", "said",
             "the ferry company would pay for repairs"),
    ))
    voices = {s.text.split(":")[0]: s.text for s in brief.sentences if s.section == "voices"}
    # Owen may be quoted by the outlet that spells him "John": counts are floors, no share
    assert "in at least 2 outlets" in voices["Jon Owen"], voices
    assert "% of all reported words" not in voices["Jon Owen"]
    # no other outlet names Quillan: her count is exact
    assert "in 1 outlet (" in voices["Mara Quillan"], voices
    assert "% of all reported words" in voices["Mara Quillan"]


def test_brief_timeline_shows_no_relative_date_after_its_article() -> None:
    items = [said(key, outlet, text, "the harbour master", "said", words) for key, outlet, text,
             words in (("a", "Velmora Post", "The ferry sank on Saturday, the harbour master said.",
                        "The ferry sank on Saturday"),
                       ("b", "Dornach Bugle", "The inquiry opens on June 9, the harbour master "
                        "said.", "The inquiry opens on June 9"))]
    items = [(dataclasses.replace(d, published="2026-06-05"), a, c) for d, a, c in items]
    (a, _, _), (b, _, _) = items

    def entry(document: Document, words: str, date: str) -> TimelineEntry:
        at = document.text.index(words)
        return TimelineEntry(date, Span(document.id, at, at + len(words)), words)

    # "Saturday" in a Friday article read as the next day: a past weekday dated a week late.
    # "June 9" is written out: a date to come that the source gives, kept.
    timeline = (entry(a, "Saturday", "2026-06-06"), entry(b, "June 9", "2026-06-09"))
    (brief,) = build_briefs(dataclasses.replace(story(*items), timeline=timeline))
    dated = [s.text for s in brief.sentences if s.section == "timeline"]
    assert len(dated) == 1 and dated[0].startswith("2026-06-09: "), dated
