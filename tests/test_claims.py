from __future__ import annotations

import pytest

from rashomon.attribution import extract_attributions
from rashomon.claims import extract_claims

pytestmark = pytest.mark.slow

TEXT = ("The Velmora council voted on Monday to close the old market hall. "
        "Mayor Ines Duarte said the building was no longer safe. "
        "Would anyone miss it? "
        "Traders have used the hall since 1911.")


def test_claims_cover_attributed_contents_and_author_assertions(parse_document) -> None:
    document, parsed = parse_document(TEXT)
    attributions = extract_attributions(document, parsed)
    claims = extract_claims(document, parsed, attributions)
    texts = [document.slice(c.span) for c in claims]
    assert "The Velmora council voted on Monday to close the old market hall." in texts
    assert "Traders have used the hall since 1911." in texts
    assert not any(t.startswith("Would anyone") for t in texts)  # a question asserts nothing
    attributed = [c for c in claims if c.attribution is not None]
    assert [document.slice(c.span) for c in attributed] == ["the building was no longer safe"]
    # the reporting sentence itself is not a second, author's claim
    assert not any(t.startswith("Mayor Ines Duarte said") for t in texts)
    assert [c.span.start for c in claims] == sorted(c.span.start for c in claims)


def _one(document, claims, text: str):
    return next(c for c in claims if document.slice(c.span) == text)


def _claims(parse_document, text: str):
    document, parsed = parse_document(text)
    return document, extract_claims(document, parsed, extract_attributions(document, parsed))


HEDGED = ("The Velmora council reportedly agreed to the harbour plan in principle. "
          "The fire may have been started by a faulty heater. "
          "Ana Silva claimed that the mayor had left the city. "
          "The ferry will sail at noon.")


def test_claims_hedges_are_modals_hedging_adverbs_phrases_and_distancing_cues(
        parse_document) -> None:
    document, claims = _claims(parse_document, HEDGED)
    hedges = {document.slice(c.span): [document.slice(h) for h in c.hedges] for c in claims}
    assert hedges["The Velmora council reportedly agreed to the harbour plan in principle."] == [
        "reportedly", "in principle"]
    assert hedges["The fire may have been started by a faulty heater."] == ["may have been"]
    assert hedges["that the mayor had left the city"] == ["claimed"]  # the cue before it
    assert hedges["The ferry will sail at noon."] == []  # "will" asserts


@pytest.mark.parametrize(("sentence", "polarity", "cue"), [
    ("There is no threat of flooding in Port Veyra.", "negated", "no"),
    ("The harbour master has not changed the timetable.", "negated", "not"),
    ("Nothing was stolen from the Dornach museum.", "negated", "Nothing"),
    # the negation belongs to the relative clause, not to the main one
    ("The workers who did not strike were paid on Friday.", "affirmed", None),
    ("The rumours that the mayor had not left were false.", "affirmed", None),
])
def test_claims_polarity_comes_from_the_main_clause(parse_document, sentence, polarity,
                                                   cue) -> None:
    document, claims = _claims(parse_document, sentence)
    claim = _one(document, claims, sentence)
    assert claim.polarity == polarity
    assert (document.slice(claim.negation) if claim.negation else None) == cue


@pytest.mark.parametrize(("sentence", "numbers"), [
    ("The reserve in Dornach now covers less than 200 square kilometers.",
     [("<", 200.0, "square kilometers", "less than 200 square kilometers")]),
    ("Since dawn, 13 combat clashes have taken place in the northern sector.",
     [("", 13.0, "combat clashes", "13 combat clashes")]),
    ("The council agreed to a 30-day truce with the dockers.",
     [("", 30.0, "day", "30-day")]),
    ("Ana Silva said that thousands of workers were trapped by the fire.",
     [(">=", 1000.0, "workers", "thousands of workers")]),
    ("Forty people were injured in the ferry fire on Sunday.",
     [("", 40.0, "people", "Forty people")]),
    ("The vote took place on March 11, 2025 in the Velmora town hall.", []),  # dates are no quantities
])
def test_claims_numbers_have_comparator_value_unit_and_words(parse_document, sentence,
                                                             numbers) -> None:
    document, claims = _claims(parse_document, sentence)
    found = [(c, v, u, document.slice(s)) for claim in claims for c, v, u, s in claim.numbers]
    assert found == numbers


def test_claims_places_and_dates_inside_a_claim(parse_document) -> None:
    from rashomon.claims import attach_context
    from rashomon.model import Mention
    from rashomon.timeline import extract_timeline, parse_anchor

    text = "The ferry from Port Veyra reached Dornach on Tuesday. The crew was tired."
    document, parsed = parse_document(text, published="2025-03-14")
    claims = extract_claims(document, parsed, [])
    assert [document.slice(p) for p in claims[0].places] == ["Port Veyra"]
    timeline = extract_timeline(document, parsed, parse_anchor("2025-03-14"), False)
    # entity linking may type a name the parse missed as a place ("Dornach" across a story)
    start = text.index("Dornach")
    dornach = Mention(document.span(start, start + 7), "Dornach", "GPE")
    first, second = attach_context(claims, timeline, [dornach])
    assert [document.slice(p) for p in first.places] == ["Port Veyra", "Dornach"]
    assert [(date, document.slice(s)) for date, s in first.dates] == [("2025-03-11", "Tuesday")]
    assert second.places == () and second.dates == ()


def test_claims_qualifiers_survive_the_store_and_the_json_report(parse_document,
                                                                 tmp_path) -> None:
    from rashomon import render
    from rashomon.model import Analysis
    from rashomon.store import open_store

    document, parsed = parse_document(
        "Ana Silva claimed that less than 200 people had reportedly left Port Veyra. "
        "There is no threat of flooding in Dornach.")
    attributions = extract_attributions(document, parsed)
    claims = extract_claims(document, parsed, attributions)
    with open_store(tmp_path / "claims.db") as store:
        store.put_analyzed(document, [], attributions, claims, [])
    with open_store(tmp_path / "claims.db") as store:
        assert store.load_annotations(document.id).claims == tuple(claims)
    report = render.to_json(Analysis(documents=(document,), attributions=tuple(attributions),
                                     claims=tuple(claims)))
    render.validate(report)
    silva = next(c for c in report["claims"] if c["attribution"])
    assert [h["text"] for h in silva["hedges"]] == ["claimed", "reportedly"]
    assert silva["numbers"] == [{"comparator": "<", "value": 200.0, "unit": "people",
                                 "text": "less than 200 people", **_offsets(silva["numbers"][0])}]
    assert [p["text"] for p in silva["places"]] == ["Port Veyra"]
    flooding = next(c for c in report["claims"] if c["text"].startswith("There is no"))
    assert flooding["polarity"] == "negated" and flooding["negation"]["text"] == "no"


def _offsets(span: dict) -> dict:
    return {"start": span["start"], "end": span["end"]}


def test_claims_stored_before_the_qualifiers_read_back_unqualified(make_document,
                                                                   tmp_path) -> None:
    import sqlite3

    from rashomon.model import Claim
    from rashomon.store import codec, open_store, schema

    document = make_document("The ferry sailed at noon from Port Veyra.")
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    for migration in schema.MIGRATIONS[:3]:  # a store as the release before issue 5 left it
        migration(connection)
    connection.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '3')")
    params = codec.document_params(document, version=1, run_id=None, added_at="2025-01-01")
    del params["encoding"]  # a column of migration 8
    connection.execute(f"INSERT INTO documents ({', '.join(params)}) VALUES "
                       f"({', '.join(':' + k for k in params)})", params)
    connection.execute("INSERT INTO claims (doc_id, seq, id, span_start, span_end) "
                       "VALUES (?, 0, 'c1', 0, 41)", (document.id,))
    connection.commit()
    connection.close()
    with open_store(path) as store:
        assert store.schema_version == len(schema.MIGRATIONS)
        assert store.load_annotations(document.id).claims == (
            Claim("c1", document.id, document.span(0, 41)),)


def test_claims_a_speech_participle_left_out_of_an_attribution_is_a_claim(parse_document) -> None:
    document, claims = _claims(
        parse_document, "Union chair Mara Quillan denied that no one was hurt, saying four "
                        "people were treated in hospital.")
    texts = [document.slice(c.span) for c in claims]
    assert "four people were treated in hospital" in texts
    tail = _one(document, claims, "four people were treated in hospital")
    assert [(value, unit) for _, value, unit, _ in tail.numbers] == [(4.0, "people")]
