"""Cross-source pairing on hand-built analyses with the real embedding model."""

from __future__ import annotations

import dataclasses

import pytest

from rashomon.align import (
    align_story,
    contradiction_relations,
    denial_relations,
    quote_segments,
    word_diff,
)
from rashomon.embed import embed
from rashomon.model import Analysis, Attribution, Speaker

pytestmark = pytest.mark.slow


def _quote(document, words: str, speaker: str, n: int, medium: str | None = None, *,
           kind: str = "direct", stance: str = "assertion", cue: str | None = None) -> Attribution:
    """An attribution of `words` in `document`; `cue`, when given, is the first occurrence of
    that word in the text (the speech verb that brings the words in)."""
    start = document.text.index(words)
    cue_span = None
    if cue is not None:
        at = document.text.index(cue)
        cue_span = document.span(at, at + len(cue))
    return Attribution(
        id=f"{document.id}:a{n}", doc=document.id,
        speaker=Speaker(None, speaker, name=speaker, entity=speaker.lower().replace(" ", "-")),
        cue=cue_span, content=document.span(start, start + len(words)), kind=kind,  # type: ignore[arg-type]
        stance=stance, medium=medium,  # type: ignore[arg-type]
    )


@pytest.fixture
def two_outlets(make_document):
    a = make_document(
        'Mayor Ines Duarte said: "We inspected every pier yesterday, and there is a very good '
        'chance that the harbour can finally reopen next week."',
        source="a.txt", outlet="Harbour Times")
    b = make_document(
        '"There is a great chance the harbour can finally reopen next week," Duarte wrote in a '
        'Facebook post. The storm "changed nothing," said engineer Tomas Berg.',
        source="b.txt", outlet="Coast Daily")
    return a, b


def test_align_pairs_a_reworded_clause_inside_a_longer_quote(two_outlets) -> None:
    a, b = two_outlets
    qa = _quote(a, "We inspected every pier yesterday, and there is a very good chance that the "
                   "harbour can finally reopen next week.", "Ines Duarte", 1, "Telegram")
    qb = _quote(b, "There is a great chance the harbour can finally reopen next week,",
                "Ines Duarte", 1, "Facebook")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    kinds = {r.kind for r in relations}
    assert kinds == {"quote_variant", "medium_divergence"}
    variant = next(r for r in relations if r.kind == "quote_variant")
    assert set(variant.members) == {qa.id, qb.id}
    evidence_text = {a.slice(s) if s.doc == a.id else b.slice(s) for s in variant.evidence}
    assert any(t.startswith("there is a very good chance") for t in evidence_text)
    assert ("insert", "great") in variant.diff or any(op == "insert" for op, _ in variant.diff)


def test_align_a_clause_cut_inside_a_sentence_is_compared_as_its_whole_sentence(
        make_document) -> None:
    # the other outlet renders the first clause too: the cut would show as changed words
    a = make_document('"Nothing less than the fate of the valley, and with that the fate of '
                      'every farm in the valley, is at stake," Mayor Ines Duarte told the council.',
                      source="a.txt")
    b = make_document('"The fate of the valley and the fate of every farm within the valley is '
                      'at stake," Duarte told the council.', source="b.txt")
    qa = _quote(a, "Nothing less than the fate of the valley, and with that the fate of every "
                   "farm in the valley, is at stake,", "Ines Duarte", 1, cue="told")
    qb = _quote(b, "The fate of the valley and the fate of every farm within the valley is at "
                   "stake,", "Ines Duarte", 1, cue="told")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    variant = next(r for r in relations if r.kind == "quote_variant")
    evidence = {a.slice(s) if s.doc == a.id else b.slice(s) for s in variant.evidence}
    assert any(t.startswith("Nothing less than the fate") for t in evidence)
    assert not any(t.startswith("with that") for t in evidence)


def test_align_same_words_different_speakers_is_an_attribution_divergence(make_document) -> None:
    a = make_document('The minister urged "patience and calm" on Monday.', source="a.txt")
    b = make_document('The governor urged "patience and calm" after the vote.', source="b.txt")
    qa = _quote(a, "patience and calm", "Vera Holm", 1, cue="urged")
    qb = _quote(b, "patience and calm", "Piet Laan", 1, cue="urged")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["attribution_divergence"]
    assert "neither outlet is called wrong" in relations[0].explanation
    # a short phrase credited to an office rather than a named person is no divergence
    qb = _quote(b, "patience and calm", "Governor", 1, cue="urged")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert _kind(relations, "attribution_divergence") == []


def test_align_unrelated_quotes_and_same_document_quotes_are_not_paired(two_outlets) -> None:
    a, b = two_outlets
    qa = _quote(a, "We inspected every pier yesterday", "Ines Duarte", 1)
    qb = _quote(b, "changed nothing", "Tomas Berg", 2)
    qb2 = _quote(b, "There is a great chance the harbour can finally reopen next week,",
                 "Ines Duarte", 1)
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb, qb2)), embed,
                            threshold=0.75)
    assert relations == []


def test_align_quote_segments_are_spans_of_the_document(two_outlets) -> None:
    a, _ = two_outlets
    qa = _quote(a, "We inspected every pier yesterday, and there is a very good chance that the "
                   "harbour can finally reopen next week.", "Ines Duarte", 1)
    segments = quote_segments(qa, a)
    assert [s.text for s in segments[:2]] == [
        "We inspected every pier yesterday",
        "there is a very good chance that the harbour can finally reopen next week"]
    for segment in segments:
        assert a.slice(segment.span) == segment.text


def test_align_word_diff_marks_replaced_words() -> None:
    assert word_diff("a very good chance", "a great chance") == (
        ("equal", "a"), ("delete", "very good"), ("insert", "great"), ("equal", "chance"))


@pytest.fixture
def flood_story(make_document):
    a = make_document(
        "Senator Alma Reyes claimed that the northern dam had collapsed overnight. "
        "She also praised the volunteers.", source="a.txt", outlet="River Post")
    b = make_document(
        "The water authority, however, rejected collapse fears. "
        '"The dam has not collapsed and is holding firm," the authority said on its website.',
        source="b.txt", outlet="Valley News")
    return a, b


def test_align_denial_is_linked_to_its_target_across_documents(flood_story) -> None:
    a, b = flood_story
    claim = _quote(a, "that the northern dam had collapsed overnight", "Alma Reyes", 1,
                   kind="indirect", stance="distancing")
    praise = _quote(a, "the volunteers", "Alma Reyes", 2, kind="indirect")
    denial = _quote(b, "collapse fears", "Water Authority", 1, kind="indirect", stance="denial",
                    cue="rejected")
    relations = denial_relations(
        Analysis(documents=(a, b), attributions=(claim, praise, denial)), embed)
    assert [r.members for r in relations] == [(denial.id, claim.id)]
    assert relations[0].kind == "denial"
    assert "Water Authority" in relations[0].explanation
    assert "Alma Reyes" in relations[0].explanation


def test_align_denial_naming_a_speaker_prefers_the_nearest_earlier_claim(make_document) -> None:
    doc = make_document(
        "Governor Olaf Brandt claimed the bridge tolls would double. Brandt also said the "
        "weather was fine. Later the transport union dismissed the Brandt claim.",
        source="a.txt")
    toll = _quote(doc, "the bridge tolls would double", "Olaf Brandt", 1, kind="indirect",
                  stance="distancing")
    weather = _quote(doc, "the weather was fine", "Olaf Brandt", 2, kind="indirect")
    denial = _quote(doc, "the Brandt claim", "Transport Union", 3, kind="indirect",
                    stance="denial", cue="dismissed")
    relations = denial_relations(
        Analysis(documents=(doc,), attributions=(toll, weather, denial)), embed)
    assert [r.members for r in relations] == [(denial.id, toll.id)]


def test_align_contradiction_by_negation(flood_story) -> None:
    a, b = flood_story
    claim = _quote(a, "that the northern dam had collapsed overnight", "Alma Reyes", 1,
                   kind="indirect", stance="distancing")
    answer = _quote(b, "The dam has not collapsed and is holding firm,", "Water Authority", 2)
    relations = align_story(Analysis(documents=(a, b), attributions=(claim, answer)), embed,
                            threshold=0.75)
    contradictions = [r for r in relations if r.kind == "contradiction"]
    assert [set(r.members) for r in contradictions] == [{claim.id, answer.id}]
    texts = {a.slice(s) if s.doc == a.id else b.slice(s) for s in contradictions[0].evidence}
    assert any(t.startswith("The dam has not collapsed") for t in texts)


def test_align_unrelated_negated_sentences_do_not_contradict(make_document) -> None:
    a = make_document("The coach said the striker will not play on Sunday.", source="a.txt")
    b = make_document("The baker said the new oven heats the bread evenly.", source="b.txt")
    qa = _quote(a, "the striker will not play on Sunday", "Coach Ida Berg", 1, kind="indirect")
    qb = _quote(b, "the new oven heats the bread evenly", "Baker Leon Moss", 1, kind="indirect")
    relations = contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed)
    assert relations == []


def test_align_same_speaker_restatement_is_no_contradiction(make_document) -> None:
    a = make_document('"The strike is over," said union leader Mia Sorensen.', source="a.txt")
    b = make_document('"The strike is not over yet," Sorensen said later.', source="b.txt")
    qa = _quote(a, "The strike is over,", "Mia Sorensen", 1)
    qb = _quote(b, "The strike is not over yet,", "Mia Sorensen", 1)
    relations = contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed)
    assert relations == []


# --- claims of whole articles: the parse, attributions and claims of the real pipeline -------


@pytest.fixture
def story(parse_document):
    """Parse invented articles and return an Analysis of them with their attributions and
    claims, as `pipeline.report` hands one story to align."""
    from rashomon.attribution import extract_attributions
    from rashomon.claims import extract_claims
    from rashomon.entities import extract_mentions

    def build(*articles: tuple[str, ...], near_duplicates=()) -> Analysis:
        """Each article: (source, outlet, text) or (source, outlet, text, published)."""
        documents, attributions, claims, all_mentions = [], [], [], []
        for source, outlet, text, *published in articles:
            document, parsed = parse_document(text, source=source, outlet=outlet,
                                              published=published[0] if published else None)
            mentions = extract_mentions(document, parsed)
            found = extract_attributions(document, parsed, mentions)
            documents.append(document)
            attributions.extend(found)
            all_mentions.extend(mentions)
            claims.extend(extract_claims(document, parsed, found))
        return Analysis(documents=tuple(documents), attributions=tuple(attributions),
                        claims=tuple(claims), near_duplicates=tuple(near_duplicates),
                        mentions=tuple(all_mentions))

    return build


def _texts(analysis: Analysis, relation) -> set[str]:
    return {analysis.document(s.doc).slice(s) for s in relation.evidence}


def _kind(relations, kind: str) -> list:
    return [r for r in relations if r.kind == kind]


FERRY = "Forty people were injured in the Port Veyra ferry fire on Sunday."


def test_align_a_syndicated_copy_counts_once(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", f"{FERRY} The harbour reopened later."),
        ("copy.txt", "Coast Daily", f"{FERRY} The harbour reopened later."),
        ("b.txt", "Valley News", ("Forty people were injured in the ferry fire in Port Veyra on "
                                 "Sunday, the coastguard's log shows. Divers searched the bay.")),
    )
    original, copy, other = (d.id for d in analysis.documents)
    counted = align_story(analysis, embed, threshold=0.75)
    fire = next(r for r in _kind(counted, "corroboration") if any("injured" in t for t in _texts(analysis, r)))
    assert {s.doc for s in fire.evidence} == {original, copy, other}
    assert fire.independent == 3  # three outlets, as far as anyone has told align
    marked = dataclasses.replace(analysis, near_duplicates=((copy, original),))
    fire = next(r for r in _kind(align_story(marked, embed, threshold=0.75), "corroboration")
                if any("injured" in t for t in _texts(marked, r)))
    assert fire.independent == 2  # the copy is the original's words again
    assert "2 independent" in fire.explanation


def test_align_outlets_crediting_the_same_agency_count_once(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", ("The Velmora ferry operator will suspend all crossings until "
                                   "March, according to a source cited by Velmora Press.")),
        ("b.txt", "Coast Daily", ("According to a source cited by Velmora Press, the ferry "
                                 "operator in Velmora will suspend every crossing until March.")),
        ("c.txt", "Valley News", ("The Velmora ferry operator will suspend all crossings until "
                                 "March, its director Teodor Brannik said.")),
    )
    relays = [a.relay for a in analysis.attributions if a.kind == "according_to"]
    assert relays == [("Velmora Press",), ("Velmora Press",)]
    relations = _kind(align_story(analysis, embed, threshold=0.75), "corroboration")
    suspend = next(r for r in relations if len({s.doc for s in r.evidence}) == 3)
    assert suspend.independent == 2  # the agency once, and the operator's own director


DAY = "2026-06-01"


def test_align_conflicting_figures_of_one_day_contradict_and_matching_ones_corroborate(
        story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "The Port Veyra ferry carried 40 passengers on its last "
                                   "crossing on Sunday.", DAY),
        ("b.txt", "Coast Daily", ("On Sunday the Port Veyra ferry carried more than 120 "
                                 "passengers, its owners said."), DAY),
        ("c.txt", "Valley News", ("On its last crossing on Sunday, the Port Veyra ferry carried "
                                 "40 passengers."), DAY),
    )
    a, b, c = (d.id for d in analysis.documents)
    relations = align_story(analysis, embed, threshold=0.75)
    contradictions = _kind(relations, "contradiction")
    assert {frozenset(s.doc for s in r.evidence) for r in contradictions} == {
        frozenset({a, b}), frozenset({b, c})}
    assert all("figures differ" in r.explanation for r in contradictions)
    corroborations = _kind(relations, "corroboration")
    assert [frozenset(s.doc for s in r.evidence) for r in corroborations] == [frozenset({a, c})]


def test_align_two_tolls_of_one_day_are_a_difference_not_a_contradiction(story) -> None:
    # a toll rises as a day's reports come in: 40 injured in the morning, 120 by the evening
    analysis = story(
        ("a.txt", "Harbour Times", FERRY, DAY),
        ("b.txt", "Coast Daily", ("More than 120 people were injured in the Port Veyra ferry fire "
                                 "on Sunday."), DAY),
    )
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == []
    [difference] = _kind(relations, "figure_difference")
    assert "possibly an update" in difference.explanation


def test_align_figures_a_day_apart_or_undated_are_a_difference_not_a_contradiction(story) -> None:
    later = "More than 120 people were injured in the Port Veyra ferry fire on Sunday."
    for published in (("2026-06-01", "2026-06-02"), (None, None)):
        analysis = story(("a.txt", "Harbour Times", FERRY, published[0]),
                         ("b.txt", "Coast Daily", later, published[1]))
        relations = align_story(analysis, embed, threshold=0.75)
        assert _kind(relations, "contradiction") == []
        [difference] = _kind(relations, "figure_difference")
        assert "possibly an update" in difference.explanation
        assert "Harbour Times" in difference.explanation and "Coast Daily" in difference.explanation


@pytest.mark.parametrize("other", [
    "The floods killed 230,000 people across the region last year.",  # another scope
    "The floods of 2019 killed 230,000 people in the province.",  # another event, as background
    "The floods killed 230,000 people in total in the province last year.",  # a total
])
def test_align_figures_of_other_places_events_or_totals_are_not_set_against_each_other(
        story, other: str) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "The floods killed 170,000 people in the province last year.",
         DAY),
        ("b.txt", "Coast Daily", other, DAY),
    )
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == [] and _kind(relations, "figure_difference") == []


@pytest.mark.parametrize("first", [
    "At least 30 people were injured in the Port Veyra ferry fire on Sunday.",
    "Nearly 40 people were injured in the Port Veyra ferry fire on Sunday.",
    "Up to 50 people were injured in the Port Veyra ferry fire on Sunday.",
])
def test_align_bounded_figures_are_intervals(story, first: str) -> None:
    analysis = story(("a.txt", "Harbour Times", first, DAY),
                     ("b.txt", "Coast Daily", "In the Port Veyra ferry fire on Sunday, 41 people "
                                             "were injured.", DAY))
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == [] and _kind(relations, "figure_difference") == []


def test_align_none_hurt_contradicts_a_count_of_the_hurt(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", ('Harbour master Ana Silva spoke on the quay after the ferry '
                                   'fire. "No passengers were injured," she said.'), DAY),
        ("b.txt", "Coast Daily", ("The union said on Monday that two passengers were treated in "
                                 "hospital after the ferry fire."), DAY),
    )
    [contradiction] = _kind(align_story(analysis, embed, threshold=0.75), "contradiction")
    texts = _texts(analysis, contradiction)
    assert any("No passengers were injured" in t for t in texts)
    assert any("two passengers were treated in hospital" in t for t in texts)
    assert "Ana Silva" in contradiction.explanation


def test_align_none_hurt_does_not_contradict_a_count_of_other_people(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "No passengers were injured in the ferry fire, the harbour "
                                   "master said.", DAY),
        ("b.txt", "Coast Daily", "Two deckhands were treated in hospital after the ferry fire.",
         DAY),
    )
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == []


def test_align_a_copied_sentence_never_contradicts_itself(story) -> None:
    text = "The ferry line closed in 2024 after the Kestrel Point fire, the harbour master said."
    analysis = story(("a.txt", "Harbour Times", text, "2026-06-01"),
                     ("b.txt", "Coast Daily", text, "2026-08-14"))
    relations = align_story(analysis, embed, threshold=0.75)
    assert {r.kind for r in relations} <= {"corroboration"}


def test_align_figures_that_differ_are_no_corroboration(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "More than 15,000 pupils in 24 schools were sent home on "
                                   "Monday because of the ferry strike.", DAY),
        ("b.txt", "Coast Daily", "At least 5,000 pupils in 11 schools were sent home on Monday "
                                 "because of the ferry strike.", DAY),
    )
    assert _kind(align_story(analysis, embed, threshold=0.75), "corroboration") == []


@pytest.mark.parametrize("sentence", [
    "The judge dismissed his defence team on Monday.",
    "The rebels rejected calls for talks on Monday.",
    "The two sides disputed control of the harbour on Monday.",
    "The minister opposed the extradition on Monday.",
])
def test_align_verbs_that_deny_no_statement_are_no_denials(story, sentence: str) -> None:
    analysis = story(
        ("a.txt", "River Post", ("Governor Olaf Brandt said the defence team, the talks, the "
                                "harbour control and the extradition were on track.")),
        ("b.txt", "Valley News", sentence),
    )
    assert _kind(align_story(analysis, embed, threshold=0.75), "denial") == []


def test_align_a_denial_that_answers_no_statement_stays_unlinked(story) -> None:
    analysis = story(
        ("a.txt", "River Post", ("Senator Alma Reyes claimed that the northern dam had collapsed "
                                "overnight.")),
        ("b.txt", "Valley News", ("The mayor denied that the evacuation buses had arrived three "
                                 "hours late.")),
    )
    assert _kind(align_story(analysis, embed, threshold=0.75), "denial") == []


def test_align_a_title_in_quote_marks_is_no_attribution_divergence(make_document) -> None:
    a = make_document('Actor Lena Moss starred in "Night Of The Long Tide" last year.',
                      source="a.txt")
    b = make_document('Director Piet Laan said "Night Of The Long Tide" was his best work.',
                      source="b.txt")
    qa = _quote(a, "Night Of The Long Tide", "Lena Moss", 1, kind="partial", cue="starred")
    qb = _quote(b, "Night Of The Long Tide", "Piet Laan", 1, kind="partial", cue="said")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert _kind(relations, "attribution_divergence") == []


def test_align_an_excerpt_is_no_quote_variant_but_a_whole_sentence_is(make_document) -> None:
    a = make_document('"We will rebuild the old pier and reopen the ferry line before winter," '
                      'Mayor Ines Duarte said.', source="a.txt")
    b = make_document('Duarte said "we will rebuild the old pier" with the union.', source="b.txt")
    c = make_document('Duarte said: "We will rebuild the old pier." Then she left.',
                      source="c.txt")
    qa = _quote(a, "We will rebuild the old pier and reopen the ferry line before winter,",
                "Ines Duarte", 1, cue="said")
    qb = _quote(b, "we will rebuild the old pier", "Ines Duarte", 1, kind="partial", cue="said")
    qc = _quote(c, "We will rebuild the old pier.", "Ines Duarte", 1, cue="said")
    excerpt = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                          threshold=0.75)
    assert [r.kind for r in excerpt] == ["corroboration"]
    whole = align_story(Analysis(documents=(a, c), attributions=(qa, qc)), embed, threshold=0.75)
    assert [r.kind for r in whole] == ["quote_variant"]


def test_align_opposed_predicates_contradict(story) -> None:  # antonyms, the rest alike
    analysis = story(
        ("a.txt", "Harbour Times", "The Velmora council approved the harbour budget on Monday."),
        ("b.txt", "Coast Daily", "The Velmora council blocked the harbour budget on Monday."),
    )
    contradictions = _kind(align_story(analysis, embed, threshold=0.75), "contradiction")
    assert len(contradictions) == 1
    assert "“approved” is opposed to “blocked”" in contradictions[0].explanation


@pytest.mark.parametrize("verb", ["discussed", "welcomed"])
def test_align_related_but_compatible_predicates_do_not_contradict(story, verb) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "The Velmora council approved the harbour budget on Monday."),
        ("b.txt", "Coast Daily", f"The Velmora council {verb} the harbour budget on Monday."),
    )
    assert _kind(align_story(analysis, embed, threshold=0.75), "contradiction") == []


def test_align_denial_in_another_outlet_targets_what_it_names_not_the_nearest(story) -> None:
    analysis = story(
        ("a.txt", "River Post", ("Senator Alma Reyes claimed that the northern dam had collapsed "
                                "overnight. Reyes also claimed that the evacuation buses had "
                                "arrived three hours late.")),
        ("b.txt", "Valley News", ("The water authority dismissed the Reyes claim about the dam "
                                 "on Tuesday.")),
    )
    denials = _kind(align_story(analysis, embed, threshold=0.75), "denial")
    assert len(denials) == 1
    target = next(a for a in analysis.attributions if a.id == denials[0].members[1])
    assert analysis.document(target.doc).slice(target.content) == (
        "that the northern dam had collapsed overnight")


def test_align_denial_of_someones_words_is_their_statement_not_a_question(story) -> None:
    analysis = story(
        ("a.txt", "River Post", ("Governor Olaf Brandt said the tolls would rise in May, citing "
                                "the cost of repairs. He questioned if the union would accept "
                                "the plan. Union leader Mia Sorensen dismissed Brandt's words "
                                "as a bluff.")),
    )
    denials = _kind(align_story(analysis, embed, threshold=0.75), "denial")
    assert len(denials) == 1
    target = next(a for a in analysis.attributions if a.id == denials[0].members[1])
    assert analysis.document(target.doc).slice(target.content).startswith("the tolls would rise")


def test_align_a_fragment_echoed_stem_for_stem_is_a_quote_variant(make_document) -> None:
    a = make_document('"There are reasons to be cautiously hopeful," said Mayor Ines Duarte.',
                      source="a.txt")
    b = make_document('Duarte called the talks a basis for "cautious hope" on Friday.',
                      source="b.txt")
    c = make_document('The harbour master called the talks a basis for "cautious hope".',
                      source="c.txt")
    qa = _quote(a, "There are reasons to be cautiously hopeful,", "Ines Duarte", 1)
    qb = _quote(b, "cautious hope", "Ines Duarte", 1, kind="partial", cue="called")
    qc = _quote(c, "cautious hope", "Harbour Master", 1, kind="partial", cue="called")
    relations = align_story(Analysis(documents=(a, b, c), attributions=(qa, qb, qc)), embed,
                            threshold=0.75)
    assert {(r.kind, frozenset(r.members)) for r in relations} == {
        ("quote_variant", frozenset({qa.id, qb.id})),
        # the same two words given to another speaker: shown, not a variant of Duarte's words
        ("attribution_divergence", frozenset({qb.id, qc.id}))}


@pytest.mark.parametrize(("longer", "fragment"), [
    ("We had long and useful talks with the dockers today.", "long and useful talks"),
    # typographic apostrophes on both sides: the fragment is still found word for word
    ("We’re not done, but we’re ready to talk with the dockers today.", "we’re ready to talk"),
])
def test_align_a_fragment_inside_a_longer_quote_is_quoted_identically(
        make_document, longer: str, fragment: str) -> None:
    a = make_document(f"Duarte wrote: “{longer}”", source="a.txt", outlet="Harbour Times")
    b = make_document(f"Duarte praised “{fragment}” with the union.", source="b.txt",
                      outlet="Coast Daily")
    qa = _quote(a, longer, "Ines Duarte", 1)
    qb = _quote(b, fragment, "Ines Duarte", 1, kind="partial")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["corroboration"]
    assert {a.slice(s) if s.doc == a.id else b.slice(s) for s in relations[0].evidence} == {
        fragment}
    assert relations[0].independent == 2


def test_align_claim_index_buckets_a_large_story_and_still_finds_near_neighbours(
        monkeypatch) -> None:
    import numpy as np

    from rashomon.align import index

    rng = np.random.default_rng(7)
    base = rng.standard_normal((300, 32)).astype(np.float32)
    near = base + 0.05 * rng.standard_normal(base.shape).astype(np.float32)
    vectors = np.vstack([base, near])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = ["a"] * 300 + ["b"] * 300
    monkeypatch.setattr(index, "_EXACT_INDEX_LIMIT", 100)  # force the bucketed index
    pairs = index.neighbour_pairs(vectors, groups)
    found = sum((i, i + 300) in pairs for i in range(300))
    assert found >= 290  # near copies share a bucket in at least one of the tables
    assert all(groups[i] != groups[j] for i, j in pairs)  # never within one document
    assert len(pairs) < 300 * 300 / 4  # and far fewer pairs than comparing all of them


def test_align_a_copy_crediting_the_original_outlet_is_still_one_source(story) -> None:
    told = ("The Port Veyra ferry will resume its crossings on Monday, harbour master Ana Silva "
            "told the Veyra Courier.")
    analysis = story(
        ("a.txt", "Veyra Courier", told),
        ("copy.txt", "Coast Daily", told),
        ("b.txt", "Valley News", ("The Port Veyra ferry will resume its crossings on Monday, "
                                 "the harbour master said.")),
    )
    original, copy, _ = (d.id for d in analysis.documents)
    relays = {a.doc: a.relay for a in analysis.attributions}
    assert relays[original] == () and relays[copy] == ("Veyra Courier",)
    marked = dataclasses.replace(analysis, near_duplicates=((copy, original),))
    resume = next(r for r in _kind(align_story(marked, embed, threshold=0.75), "corroboration")
                  if len({s.doc for s in r.evidence}) == 3)
    assert resume.independent == 2  # the Courier (and its copy), and Valley News


# --- independent sources: one rule for align and the brief ----------------------------------


def _sources_story(*outlets: str):
    """Documents of invented outlets, each with one statement relayed from `credit` or not."""
    from rashomon.align.sources import Sources
    from rashomon.model import Document

    text = "The Kestrel Point terminal will reopen on Friday."
    documents = {f"d{n}": Document(f"d{n}", f"d{n}.txt", f"d{n}.txt", text, text, outlet=outlet)
                 for n, outlet in enumerate(outlets)}

    def statement(doc: str, credit: str | None = None):
        relay = (credit,) if credit else ()
        return doc, Attribution(f"{doc}:a", doc, Speaker(None, "Ana Silva", name="Ana Silva"),
                                None, documents[doc].span(0, len(text)), "indirect",
                                "assertion", relay=relay)

    return documents, Sources, statement


def test_align_sources_relaying_an_outlet_of_the_story_is_that_outlet() -> None:
    documents, Sources, statement = _sources_story("Veyra Courier", "Valley News")
    sources = Sources(documents, {})
    assert sources.independent([statement("d0"), statement("d1", "Courier")]) == [
        "Veyra Courier"]
    assert sources.independent([statement("d0"), statement("d1")]) == [
        "Veyra Courier", "Valley News"]


def test_align_sources_count_copies_outlets_and_one_agency_once() -> None:
    documents, Sources, statement = _sources_story(
        "Harbour Times", "Coast Daily", "Valley News", "Valley News")
    sources = Sources(documents, {"d1": "d0"})  # Coast Daily runs Harbour Times' text
    assert sources.independent([statement("d0"), statement("d1")]) == ["Harbour Times"]
    # the agency once, however many outlets relay it; the same outlet's two articles once
    assert sources.count([statement("d0", "Velmora Press"), statement("d2", "Velmora Press")]) == 1
    assert sources.count([statement("d2"), statement("d3")]) == 1
    assert sources.count([statement("d0", "Velmora Press"), statement("d2")]) == 2


def test_align_sources_count_outlets_reusing_one_wire_text_once() -> None:
    """Two outlets running one agency text under their own first lines are one source for align
    too (not only for the brief), though neither copies the other whole."""
    from rashomon.align.sources import Sources
    from rashomon.model import Document

    wire = ("The ferry struck the breakwater at the mouth of the Kestrel Point harbour shortly "
            "after dawn, tearing a hole above the waterline while some forty passengers waited "
            "on the upper deck for the crossing to the island. ")
    texts = {"d0": ("Harbour Times", "Our reporter was on the quay. " + wire),
             "d1": ("Coast Daily", "A morning of alarm on the coast. " + wire),
             "d2": ("Valley News", "A ferry hit the harbour wall at Kestrel Point on Monday "
                                   "morning and was damaged above the waterline.")}
    documents = {doc: Document(doc, f"{doc}.txt", f"{doc}.txt", text, text, outlet=outlet)
                 for doc, (outlet, text) in texts.items()}
    sources = Sources(documents, {})
    assert sources.independent([("d0", None), ("d1", None)]) == ["Harbour Times"]
    assert sources.count([("d0", None), ("d1", None), ("d2", None)]) == 2
    assert sources.reused_group("d0") == sources.reused_group("d1") != sources.reused_group("d2")


def test_align_an_age_of_one_person_contradicts_whatever_the_dates(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "Sixty-year-old Ana Silva was arrested at the harbour on "
                                   "Monday, the police said.", "2026-06-01"),
        ("b.txt", "Coast Daily", "Police officers arrested 61-year-old Ana Silva after a long "
                                 "search of the harbour.", "2026-06-03"),
    )
    [contradiction] = _kind(align_story(analysis, embed, threshold=0.75), "contradiction")
    assert "Sixty-year" in contradiction.explanation and "61-year" in contradiction.explanation


def test_align_a_normative_clause_does_not_negate_a_report(make_document) -> None:
    a = make_document("Critics said the new rule weakened the harbour protection law.",
                      source="a.txt")
    b = make_document("The mayor said the council should strengthen the harbour protection law, "
                      "not weaken it.", source="b.txt")
    qa = _quote(a, "the new rule weakened the harbour protection law", "Critics", 1,
                kind="indirect")
    qb = _quote(b, "the council should strengthen the harbour protection law, not weaken it",
                "Mayor Ines Duarte", 1, kind="indirect")
    relations = contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed)
    assert relations == []


def test_align_one_speaker_named_two_ways_is_no_attribution_divergence(make_document) -> None:
    a = make_document('"We will rebuild the old pier before winter," said Vincent DelGiudice.',
                      source="a.txt")
    b = make_document('"We will rebuild the old pier before winter," said Judge Vincent Del '
                      'Giudice.', source="b.txt")
    qa = _quote(a, "We will rebuild the old pier before winter,", "Vincent DelGiudice", 1,
                cue="said")
    qb = _quote(b, "We will rebuild the old pier before winter,", "Judge Vincent Del Giudice", 1,
                cue="said")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["corroboration"]


def test_align_a_quote_written_with_other_numerals_is_quoted_identically(make_document) -> None:
    a = make_document('"The ferry leaves at 6 p.m. for the eleventh time," Duarte said.',
                      source="a.txt")
    b = make_document('"The ferry leaves at 6:00 for the 11th time," Duarte said.', source="b.txt")
    qa = _quote(a, "The ferry leaves at 6 p.m. for the eleventh time,", "Ines Duarte", 1,
                cue="said")
    qb = _quote(b, "The ferry leaves at 6:00 for the 11th time,", "Ines Duarte", 1, cue="said")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["corroboration"]


def test_align_a_short_excerpt_and_a_nickname_are_no_quote_variants(make_document) -> None:
    a = make_document('Duarte called the pier "a total loss" on Monday.', source="a.txt")
    b = make_document('Duarte called the pier a "total loss" after the storm.', source="b.txt")
    qa = _quote(a, "a total loss", "Ines Duarte", 1, kind="partial", cue="called")
    qb = _quote(b, "total loss", "Ines Duarte", 1, kind="partial", cue="called")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert _kind(relations, "quote_variant") == []


def test_align_a_statement_called_false_is_a_denial_of_it(make_document) -> None:
    a = make_document("The harbour master said no passengers had been hurt in the fire.",
                      source="a.txt", outlet="Harbour Times")
    b = make_document('"Saying that nobody was hurt is simply not true," union chair Mara '
                      'Quillan said.', source="b.txt", outlet="Coast Daily")
    claim = _quote(a, "no passengers had been hurt in the fire", "Celia Ondrecht", 1,
                   kind="indirect", cue="said")
    called_false = _quote(b, "Saying that nobody was hurt is simply not true", "Mara Quillan",
                          1, cue="said")
    [denial] = denial_relations(
        Analysis(documents=(a, b), attributions=(claim, called_false)), embed)
    assert denial.members == (called_false.id, claim.id)
    assert "calls a statement false" in denial.explanation
    assert "Coast Daily" in denial.explanation and "Harbour Times" in denial.explanation


def test_align_a_negation_of_one_moment_opposes_only_a_statement_of_that_moment(
        make_document) -> None:
    a = make_document("The guide said the climber was wearing crampons on the ridge.",
                      source="a.txt")
    b = make_document("Police said the climber was not wearing crampons when he slipped on "
                      "the ice.", source="b.txt")
    c = make_document("Police said the climber was not wearing crampons on the ridge.",
                      source="c.txt")
    qa = _quote(a, "the climber was wearing crampons on the ridge", "Guide Ivo Lind", 1,
                kind="indirect")
    qb = _quote(b, "the climber was not wearing crampons when he slipped on the ice", "Police",
                1, kind="indirect")
    qc = _quote(c, "the climber was not wearing crampons on the ridge", "Police", 1,
                kind="indirect")
    assert contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed) == []
    [contradiction] = contradiction_relations(
        Analysis(documents=(a, c), attributions=(qa, qc)), embed)
    assert set(contradiction.members) == {qa.id, qc.id}


def test_align_a_word_sharing_only_its_first_letters_is_no_echo(make_document) -> None:
    a = make_document("Police said the suspect drove from his office along the highway.",
                      source="a.txt")
    b = make_document("The prosecutor said no officers were posted along the highway.",
                      source="b.txt")
    qa = _quote(a, "the suspect drove from his office along the highway", "Police", 1,
                kind="indirect")
    qb = _quote(b, "no officers were posted along the highway", "Prosecutor Ada Holm", 1,
                kind="indirect")
    assert contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed) == []


@pytest.mark.parametrize("background", [
    # another event, dated by the sentence before the one with the figure
    "In February a quake hit the town of Zarand. It killed 612 people in the valley.",
    # another event, dated in the sentence, the figure in a clause of its own
    "In February, a quake hit the town of Zarand, killing 612 people in the valley.",
])
def test_align_a_figure_of_an_earlier_event_is_not_set_against_this_one(
        story, background: str) -> None:
    analysis = story(("a.txt", "Harbour Times", background, DAY),
                     ("b.txt", "Coast Daily", "The quake on Sunday killed 10 people in the "
                                             "valley.", DAY))
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == [] and _kind(relations, "figure_difference") == []


@pytest.mark.parametrize(("first", "second"), [
    # other people's figures
    ("Ilse Berg scored 20 points in the final on Sunday.",
     "Tomas Vik scored 23 points in the final on Sunday."),
    # three shot, one of them killed, is one killed and two injured
    ("A gunman shot three people at the plant on Monday, killing one.",
     "A gunman killed one person and injured two others at the plant on Monday."),
    # two organisations' offers
    ("The Velmora Harbour Authority offered the pilots a contract of eight years on Monday.",
     "The Dornach Shipping Company offered the pilots a contract of five years on Monday."),
    # one stretch of a game against the whole game
    ("Ana Vik blocked two shots during the deciding run of the final on Sunday.",
     "Ana Vik blocked six shots in the final on Sunday."),
    # what comes with one thing counts its parts
    ("The cache on the boat included one rocket propelled grenade launcher on Monday.",
     "The cache on the boat included a rocket-propelled grenade launcher with two rockets on "
     "Monday."),
])
def test_align_figures_of_other_people_or_other_acts_do_not_conflict(
        story, first: str, second: str) -> None:
    analysis = story(("a.txt", "Harbour Times", first, DAY), ("b.txt", "Coast Daily", second, DAY))
    relations = align_story(analysis, embed, threshold=0.75)
    assert _kind(relations, "contradiction") == [] and _kind(relations, "figure_difference") == []


def test_align_a_denial_of_one_word_is_linked_to_nothing(make_document) -> None:
    a = make_document("Senator Alma Reyes said the harbour board's role in the ferry deal was "
                      "decisive.", source="a.txt")
    b = make_document("Olaf Brandt denied his role.", source="b.txt")
    claim = _quote(a, "the harbour board's role in the ferry deal was decisive", "Alma Reyes", 1,
                   kind="indirect", cue="said")
    denial = _quote(b, "his role", "Olaf Brandt", 1, kind="indirect", stance="denial",
                    cue="denied")
    assert denial_relations(Analysis(documents=(a, b), attributions=(claim, denial)),
                            embed) == []


def test_align_a_denial_is_not_linked_to_a_statement_that_doubts_the_same(
        make_document) -> None:
    a = make_document("Police said the teen was carrying a gun when officers approached him.",
                      source="a.txt")
    b = make_document("His sister said she doubted the teen was carrying a gun.", source="b.txt")
    c = make_document("The family denied that the teen was carrying a gun.", source="c.txt")
    police = _quote(a, "the teen was carrying a gun when officers approached him", "Police", 1,
                    kind="indirect", cue="said")
    sister = _quote(b, "she doubted the teen was carrying a gun", "Ana Gray", 1,
                    kind="indirect", cue="said")
    denial = _quote(c, "that the teen was carrying a gun", "Family", 1, kind="indirect",
                    stance="denial", cue="denied")
    [relation] = denial_relations(
        Analysis(documents=(a, b, c), attributions=(police, sister, denial)), embed)
    assert relation.members == (denial.id, police.id)


@pytest.mark.parametrize(("first", "second"), [
    ("He probably realized he was going to be shot,", "He probably realised he was going to be "
                                                     "shot,"),
    ("He gave himself up just after 6: 00 p.m. at the pier,",
     "He gave himself up just after 6 p.m. at the pier,"),
    ("Services were restored by Saturday afternoon [8 October],",
     "Services were restored by Saturday afternoon,"),
    # a 24-hour clock and a time zone an editor added
    ("She passed away at 18:41 this evening (02:41 GMT Friday) in the harbour hospital,",
     "She passed away at 6:41pm PST this evening (0241 GMT Friday) in the harbour hospital,"),
])
def test_align_a_quote_written_another_way_is_quoted_identically(
        make_document, first: str, second: str) -> None:
    a = make_document(f'"{first}" Duarte said.', source="a.txt")
    b = make_document(f'"{second}" Duarte said.', source="b.txt")
    qa = _quote(a, first, "Ines Duarte", 1, cue="said")
    qb = _quote(b, second, "Ines Duarte", 1, cue="said")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["corroboration"]


def test_align_a_verb_of_not_happening_agrees_with_a_negation(make_document) -> None:
    # "escaped prosecution" says no prosecution took place: it agrees with "were not prosecuted"
    a = make_document("The prosecutor said the two witnesses escaped prosecution for the "
                      "robbery.", source="a.txt")
    b = make_document("The defence said the two witnesses were not prosecuted for the robbery.",
                      source="b.txt")
    qa = _quote(a, "the two witnesses escaped prosecution for the robbery", "Ada Holm", 1,
                kind="indirect")
    qb = _quote(b, "the two witnesses were not prosecuted for the robbery", "Ivo Lind", 1,
                kind="indirect")
    assert contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed) == []


def test_align_a_figure_spaced_out_by_a_wire_is_shown_whole(story) -> None:
    analysis = story(
        ("a.txt", "Harbour Times", "The island of Vessa is 1, 500 kilometers south of the "
                                   "capital.", DAY),
        ("b.txt", "Coast Daily", "The island of Vessa is 1, 150 kilometers south of the "
                                 "capital, near the ferry lanes.", DAY),
    )
    [contradiction] = _kind(align_story(analysis, embed, threshold=0.75), "contradiction")
    assert "“1, 500 kilometers”" in contradiction.explanation
    assert "“1, 150 kilometers”" in contradiction.explanation


def test_align_a_place_that_lies_somewhere_keeps_its_figure(story) -> None:
    # "lies" of a place is where it is, not a statement called false: its distance is stated
    analysis = story(
        ("a.txt", "Harbour Times", "The island of Vessa lies 1,500 kilometers south of the "
                                   "capital.", DAY),
        ("b.txt", "Coast Daily", "The island of Vessa lies 1,150 kilometers south of the "
                                 "capital, near the ferry lanes.", DAY),
    )
    [contradiction] = _kind(align_story(analysis, embed, threshold=0.75), "contradiction")
    assert "“1,500 kilometers”" in contradiction.explanation


def test_align_a_figure_in_words_called_lies_is_not_stated() -> None:
    from rashomon.align.measures import _embedded

    assert _embedded("40 people died: these are lies, the mayor said.", 0)
    assert not _embedded("The island lies 40 kilometers south of the capital.", 16)
