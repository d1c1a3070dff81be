"""Per-outlet framing, on two small invented articles run through the real pipeline: one outlet
says what the mayor "said", the other what she "claimed", calls her a "self-styled reformer",
and leaves out the union leader the first one quotes."""

from __future__ import annotations

import json

import pytest

from rashomon import pipeline
from rashomon.framing import build_framings
from rashomon.model import Analysis, Framing, Voice
from rashomon.settings import load_settings
from rashomon.store import open_store

pytestmark = pytest.mark.slow

POST = """Velmora Bridge Closed After Cable Cracks Found

The Lindqvist Bridge in Velmora was closed on Monday after inspectors found cracks in two of its steel cables.
"The bridge will reopen by the end of the month," Mayor Ana Silva said at a press conference.
Union leader Piet Maas said that bus drivers had warned about the cables for years.
"This so-called inspection came far too late for the drivers," Maas said.
"""

BUGLE = """Lindqvist Bridge Shut in Velmora as Steel Cables Crack

The Lindqvist Bridge in Velmora was closed on Monday after inspectors found cracks in two of its steel cables.
"The bridge will reopen by the end of the month," Mayor Ana Silva claimed at a press conference.
The self-styled reformer claimed that the repairs would cost the city nothing.
"""


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    folder = tmp_path_factory.mktemp("bridge")
    for name, text, outlet in (("post", POST, "Velmora Post"), ("bugle", BUGLE, "Dornach Bugle")):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text(
            json.dumps({"outlet": outlet, "published": "2026-05-04"}), encoding="utf-8")
    with open_store(str(tmp_path_factory.mktemp("store") / "framing.db")) as store:
        result = pipeline.analyze([str(folder)], store=store, settings=load_settings())
    assert not result.failures
    assert len(result.analysis.stories) == 1  # both outlets tell one story
    return result.analysis


def _framing(analysis: Analysis, outlet: str) -> Framing:
    return next(f for f in analysis.framings if f.outlet == outlet)


def _silva(framing: Framing) -> Voice:
    return next(v for v in framing.voices if "Silva" in v.speaker)


def test_framing_one_per_story_and_outlet(analysis: Analysis) -> None:
    pairs = [(f.story, f.outlet) for f in analysis.framings]
    story = analysis.stories[0].id
    assert sorted(pairs) == [(story, "Dornach Bugle"), (story, "Velmora Post")]
    docs = {d.id: d.outlet for d in analysis.documents}
    for framing in analysis.framings:
        assert {docs[d] for d in framing.documents} == {framing.outlet}


def test_framing_shares_sum_to_one_per_outlet(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    for framing in analysis.framings:
        assert framing.voices
        assert sum(v.share for v in framing.voices) == pytest.approx(1.0)
        # each share is the speaker's words over all the words the outlet reports
        words = {a.id: len(docs[a.doc].slice(a.content).split()) for a in analysis.attributions}
        for voice in framing.voices:
            assert voice.quoted_words > 0
            assert voice.quoted_words == pytest.approx(
                sum(words[a] for a in voice.attributions), abs=len(voice.attributions) * 2)


def test_framing_claimed_outlet_and_said_outlet_differ(analysis: Analysis) -> None:
    post = _silva(_framing(analysis, "Velmora Post"))
    bugle = _silva(_framing(analysis, "Dornach Bugle"))
    assert post.entity is not None and post.entity == bugle.entity  # one speaker, lined up
    assert dict(post.cues) == {"said": 1}
    assert dict(bugle.cues).get("claimed", 0) >= 1 and "said" not in dict(bugle.cues)
    assert dict(post.stances) == {"assertion": 1}
    assert "distancing" in dict(bugle.stances)


def test_framing_finds_loaded_terms_in_the_outlets_own_words(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    bugle = _framing(analysis, "Dornach Bugle")
    terms = [(term, docs[span.doc].slice(span)) for term, span in bugle.loaded_terms]
    assert ("self-styled reformer", "self-styled reformer") in terms
    # "so-called" is inside Maas's own quote in the Post: his word, not the outlet's
    assert _framing(analysis, "Velmora Post").loaded_terms == ()


def test_framing_omissions_name_what_others_carry_with_their_span(analysis: Analysis) -> None:
    docs = {d.id: d for d in analysis.documents}
    bugle = _framing(analysis, "Dornach Bugle")
    maas = [(text, span) for text, span in bugle.omissions if "Maas" in text]
    assert maas, bugle.omissions
    for _, span in maas:
        assert docs[span.doc].outlet == "Velmora Post"  # the span of the outlet that carries it
    post = _framing(analysis, "Velmora Post")
    assert not any("Silva" in text for text, _ in post.omissions)  # both quote her


def test_framing_of_an_empty_analysis_is_empty() -> None:
    assert build_framings(Analysis()) == ()
