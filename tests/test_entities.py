"""Mentions and entity linking. All names, places and events here are invented.

Extraction tests run the real spaCy model (loaded once per session by the `nlp` fixture);
linking tests mostly build mentions by hand, since `link_entities` works from stored mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from rashomon.entities import (
    EPITHET_LABEL,
    MENTION_LABELS,
    ROLE_LABEL,
    AliasRules,
    entity_for_name,
    epithets,
    extract_mentions,
    link_entities,
    load_alias_file,
    name_key,
    place_links,
)
from rashomon.model import Document, Entity, Mention

MakeDocument = Callable[..., Document]
ParseDocument = Callable[..., tuple[Document, Any]]  # Any: a spaCy Doc


# --------------------------------------------------------------------------- helpers


def _extract(parse_document: ParseDocument, text: str,
             source: str = "a.txt") -> tuple[Document, list[Mention]]:
    document, parsed = parse_document(text, source=source)
    return document, extract_mentions(document, parsed)


def _mention(document: Document, text: str, label: str = "PERSON", nth: int = 0,
             role: str | None = None) -> Mention:
    """A mention of the `nth` occurrence of `text` in the document."""
    start = -1
    for _ in range(nth + 1):
        start = document.text.index(text, start + 1)
    return Mention(document.span(start, start + len(text)), text, label, role)


def _entity_of(entities: Sequence[Entity], alias: str) -> list[Entity]:
    return [e for e in entities if alias in e.aliases]


def _one_entity_of(entities: Sequence[Entity], alias: str) -> Entity:
    found = _entity_of(entities, alias)
    assert len(found) == 1, f"{alias!r} in {[e.name for e in found]}"
    return found[0]


def _persons_of(make_document: MakeDocument, *texts_and_names: tuple[str, Sequence[str]]
                ) -> list[tuple[Document, list[Mention]]]:
    """Documents with a PERSON mention for the first occurrence of each given name."""
    result = []
    for index, (text, names) in enumerate(texts_and_names):
        document = make_document(text, source=f"doc{index}.txt")
        result.append((document, [_mention(document, name) for name in names]))
    return result


# --------------------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Norvalian leader Volodymyr Petrenko told reporters on Monday that talks would resume.",
         "Volodymyr Petrenko", "Norvalian leader"),
        ("Prime Minister Ana Silva said the bridge would reopen in March.",
         "Ana Silva", "Prime Minister"),
        ("President Oleksandr Hrytsenko of Norvalia met farmers on Tuesday.",
         "Oleksandr Hrytsenko", "President"),
        ("National Security Advisor Jane Holloway arrived in Dornava on Friday.",
         "Jane Holloway", "National Security Advisor"),
        ("Belvastan spokesman Tomas Kerrigan said the border was calm.",
         "Tomas Kerrigan", "Belvastan spokesman"),
        ("Senator Mark Delaney spoke first at the hearing.", "Mark Delaney", "Senator"),
    ],
)
def test_entities_role_is_split_from_the_name(parse_document: ParseDocument, text: str, name: str,
                                              role: str) -> None:
    _, mentions = _extract(parse_document, text)
    persons = [m for m in mentions if m.label == "PERSON"]
    assert [(m.text, m.role) for m in persons] == [(name, role)]


def test_entities_no_role_without_a_title(parse_document: ParseDocument) -> None:
    _, mentions = _extract(parse_document,
                           "In a statement, Ana Silva said the bridge would reopen.")
    assert [(m.text, m.role) for m in mentions if m.label == "PERSON"] == [("Ana Silva", None)]


def test_entities_words_of_a_title_are_not_an_organisation(parse_document: ParseDocument) -> None:
    # the small model tags "National Security" as ORG here
    _, mentions = _extract(parse_document,
                           "National Security Advisor Jane Holloway arrived in Dornava on Friday.")
    assert not [m for m in mentions if m.label == "ORG"]


@pytest.mark.parametrize(
    "text",
    [
        "Jane Holloway of the Greenfield Party visited Norvalia’s capital on 3 May 2024.",
        "Mr. Delaney, 54, met Ana Silva's aide twice in Dornava last week.",
        "Border Talks Resume\nNorvalian leader Volodymyr Petrenko met Ana Silva in Dornava.",
    ],
)
def test_entities_mentions_are_spans_of_the_text(parse_document: ParseDocument, text: str) -> None:
    document, mentions = _extract(parse_document, text)
    assert mentions
    for mention in mentions:
        assert document.slice(mention.span) == mention.text
        assert mention.label in (*MENTION_LABELS, ROLE_LABEL)
        assert mention.text[:1].isupper()
        assert not mention.text.endswith(("’s", "'s"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Holloway of the Greenfield Party visited the capital.",
         ("Greenfield Party", "ORG")),
        ("Troops withdrew from Norvalia’s border on Sunday.", ("Norvalia", "GPE")),
        ("Troops withdrew from Norvalia's border on Sunday.", ("Norvalia", "GPE")),
    ],
)
def test_entities_leading_the_and_possessive_are_stripped(parse_document: ParseDocument, text: str,
                                                          expected: tuple[str, str]) -> None:
    _, mentions = _extract(parse_document, text)
    assert expected in [(m.text, m.label) for m in mentions]


def test_entities_dates_and_numbers_are_not_mentions(parse_document: ParseDocument) -> None:
    _, mentions = _extract(parse_document,
                           "Ana Silva said on 3 May 2024 that 40 trucks had crossed into Norvalia.")
    assert {m.text for m in mentions} == {"Ana Silva", "Norvalia"}


def test_entities_lone_surname_tagged_org_becomes_person(parse_document: ParseDocument) -> None:
    # the model tags the first lone "Holloway" ORG
    _, mentions = _extract(parse_document,
                           "Jane Holloway of the Greenfield Party visited Norvalia. Holloway said "
                           "the plan was wrong. Ms. Holloway spoke again later.")
    assert [m.label for m in mentions if "Holloway" in m.text] == ["PERSON"] * 3


def test_entities_place_after_city_of_is_a_place(parse_document: ParseDocument) -> None:
    # the model tags "Belvasta" PERSON here
    _, mentions = _extract(parse_document,
                           "Norvalian troops left the city of Belvasta on Sunday, officials said.")
    assert ("Belvasta", "GPE") in [(m.text, m.label) for m in mentions]


def test_entities_heading_names_need_the_body(parse_document: ParseDocument) -> None:
    # the model reads the heading "Border Talks Resume" as an organisation
    _, mentions = _extract(parse_document,
                           "Border Talks Resume\nNorvalian leader Volodymyr Petrenko met Ana Silva "
                           "in Dornava. Petrenko said the talks went well.")
    assert "Border Talks Resume" not in {m.text for m in mentions}
    assert {"Volodymyr Petrenko", "Petrenko", "Ana Silva"} <= {m.text for m in mentions}


def test_entities_role_phrase_refers_back_to_its_person(parse_document: ParseDocument) -> None:
    document, mentions = _extract(parse_document,
                                  "Belvastan spokesman Tomas Kerrigan said the border was calm. "
                                  "The Belvastan spokesman added that three trucks had crossed.")
    roles = [m for m in mentions if m.label == ROLE_LABEL]
    assert [m.text for m in roles] == ["Belvastan spokesman"]
    entities, span_entity = link_entities([(document, mentions)])
    kerrigan = _one_entity_of(entities, "Tomas Kerrigan")
    assert span_entity[roles[0].span] == kerrigan.id
    assert "Belvastan spokesman" not in kerrigan.aliases


def test_entities_role_phrase_without_antecedent_is_not_a_mention(
        parse_document: ParseDocument) -> None:
    _, mentions = _extract(parse_document,
                           "The spokesman said the border was calm. Ana Silva agreed on Monday.")
    assert not [m for m in mentions if m.label == ROLE_LABEL]


# ------------------------------------------------------------------- linking in one document


def test_entities_short_forms_link_to_the_full_name(parse_document: ParseDocument) -> None:
    document, mentions = _extract(parse_document,
                                  "Senator Mark Delaney spoke first. President Delaney later "
                                  "denied it, and Mr. Delaney left.")
    entities, span_entity = link_entities([(document, mentions)])
    delaney = _one_entity_of(entities, "Mark Delaney")
    assert delaney.aliases == ("Delaney", "Mark Delaney")
    assert delaney.mentions == ((document.id, 3),)
    assert {span_entity[m.span] for m in mentions if "Delaney" in m.text} == {delaney.id}


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("Ana Silva met Marco Silva in Dornava. Silva said the talks went well.", "Marco Silva"),
        ("Marco Silva met Ana Silva in Dornava. Silva said the talks went well.", "Ana Silva"),
    ],
)
def test_entities_bare_surname_follows_the_nearest_full_name(make_document: MakeDocument,
                                                             text: str, meant: str) -> None:
    document = make_document(text)
    bare = _mention(document, "Silva", nth=2)
    mentions = [_mention(document, "Ana Silva"), _mention(document, "Marco Silva"), bare]
    entities, span_entity = link_entities([(document, mentions)])
    assert len(entities) == 2
    assert span_entity[bare.span] == _one_entity_of(entities, meant).id


# ------------------------------------------------------------------ linking across documents


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Volodymir Petrenko", "Volodymyr Petrenko"),
        ("Oleksandr Hrytsenko", "Oleksandr Hrytsenkо"),  # the last "о" is Cyrillic
        ("Andriy Kovalenko", "Andrii Kovalenko"),
        ("Mykola Barsky", "Mykola Barskyy"),
        ("Mykola Barskiy", "Mykola Barskyi"),
        ("Dmitry Orlov", "Dmitriy Orlov"),
        ("Yusuf Khalidov", "Yusuf Halidov"),
        ("José Ferreira", "Jose Ferreira"),
        ("Aleksandr Voronin", "Aleksander Voronin"),
        ("Steve Marlow", "Steven Marlow"),
        # one letter apart with the same given name: taken as a variant (Ukrainian h / Russian g)
        ("Serhiy Hrytsenko", "Serhiy Grytsenko"),
    ],
)
def test_entities_spelling_variants_are_one_entity(make_document: MakeDocument, first: str,
                                                   second: str) -> None:
    pairs = _persons_of(make_document, (f"{first} spoke in Dornava.", [first]),
                        (f"Later {second} left Dornava.", [second]))
    entities, _ = link_entities(pairs)
    assert len(entities) == 1
    assert entities[0].aliases == tuple(sorted({first, second}))
    assert entities[0].mentions == ((pairs[0][0].id, 1), (pairs[1][0].id, 1))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ana Silva", "Marco Silva"),
        ("Oleksandr Hrytsenko", "Oleksiy Hrytsenko"),
        ("Jan Novak", "Jana Novak"),
        ("Roberto Lucci", "Roberta Lucci"),
        ("Mykola Barsky", "Mykola Brodsky"),
    ],
)
def test_entities_different_people_stay_apart(make_document: MakeDocument, first: str,
                                              second: str) -> None:
    pairs = _persons_of(make_document, (f"{first} spoke in Dornava.", [first]),
                        (f"Later {second} left Dornava.", [second]))
    entities, _ = link_entities(pairs)
    assert sorted(e.name for e in entities) == sorted([first, second])


def test_entities_bare_surname_links_to_the_person_of_its_document(
        make_document: MakeDocument) -> None:
    pairs = _persons_of(make_document,
                        ("Ana Silva opened the bridge. Silva said it was safe.", ["Ana Silva"]),
                        ("Marco Silva closed the road. Silva said it was not.", ["Marco Silva"]))
    for document, mentions in pairs:
        mentions.append(_mention(document, "Silva", nth=1))
    entities, span_entity = link_entities(pairs)
    assert sorted(e.name for e in entities) == ["Ana Silva", "Marco Silva"]
    for document, mentions in pairs:
        assert span_entity[mentions[0].span] == span_entity[mentions[1].span]
    assert entity_for_name(entities, "Silva") is None
    assert entity_for_name(entities, "Ana Silva") == _one_entity_of(entities, "Ana Silva").id


def test_entities_bare_surname_joins_the_only_person_of_that_name(
        make_document: MakeDocument) -> None:
    pairs = _persons_of(make_document,
                        ("Volodymyr Petrenko spoke in Dornava.", ["Volodymyr Petrenko"]),
                        ("Petrenko left Dornava.", ["Petrenko"]))
    entities, _ = link_entities(pairs)
    assert [(e.name, e.aliases) for e in entities] == [
        ("Volodymyr Petrenko", ("Petrenko", "Volodymyr Petrenko"))]


def test_entities_ambiguous_bare_surname_is_left_alone(make_document: MakeDocument) -> None:
    pairs = _persons_of(make_document, ("Ana Silva spoke.", ["Ana Silva"]),
                        ("Marco Silva spoke.", ["Marco Silva"]), ("Silva spoke.", ["Silva"]))
    entities, span_entity = link_entities(pairs)
    assert sorted(e.name for e in entities) == ["Ana Silva", "Marco Silva", "Silva"]
    assert len({e.id for e in entities}) == 3
    assert len(set(span_entity.values())) == 3


def test_entities_city_is_not_merged_into_its_country(make_document: MakeDocument) -> None:
    first = make_document("Talks were held in Dornava, Norvalia.", source="a.txt")
    second = make_document("Norvalia hosted the talks.", source="b.txt")
    entities, _ = link_entities([
        (first, [_mention(first, "Dornava", "GPE"), _mention(first, "Norvalia", "GPE")]),
        (second, [_mention(second, "Norvalia", "GPE")]),
    ])
    assert sorted((e.name, sum(n for _, n in e.mentions)) for e in entities) == [
        ("Dornava", 1), ("Norvalia", 2)]


def test_entities_region_and_its_short_form_are_one_place(make_document: MakeDocument) -> None:
    first = make_document("Shelling hit Belvasta Oblast overnight.", source="a.txt")
    second = make_document("Troops left Belvasta on Sunday.", source="b.txt")
    entities, _ = link_entities([(first, [_mention(first, "Belvasta Oblast", "GPE")]),
                                 (second, [_mention(second, "Belvasta", "GPE")])])
    assert [(e.name, e.aliases) for e in entities] == [
        ("Belvasta Oblast", ("Belvasta", "Belvasta Oblast"))]


def test_entities_organisation_with_and_without_the(parse_document: ParseDocument) -> None:
    first = _extract(parse_document, "Jane Holloway of the Greenfield Party visited Norvalia.",
                     source="a.txt")
    second = _extract(parse_document, "The Greenfield Party said on Monday it would vote no.",
                      source="b.txt")
    entities, _ = link_entities([first, second])
    party = _one_entity_of(entities, "Greenfield Party")
    assert (party.type, len(party.mentions)) == ("ORG", 2)


def test_entities_acronym_joins_the_name_it_abbreviates(make_document: MakeDocument) -> None:
    document = make_document("The Institute for Coastal Studies said the ICS would publish.")
    entities, _ = link_entities([(document, [
        _mention(document, "Institute for Coastal Studies", "ORG"),
        _mention(document, "ICS", "ORG"),
    ])])
    assert [(e.name, e.aliases) for e in entities] == [
        ("Institute for Coastal Studies", ("ICS", "Institute for Coastal Studies"))]


def test_entities_lone_person_named_like_a_known_place_is_that_place(
        make_document: MakeDocument) -> None:
    first = make_document("Troops left Belvasta.", source="a.txt")
    second = make_document("Belvasta was retaken.", source="b.txt")
    entities, _ = link_entities([(first, [_mention(first, "Belvasta", "GPE")]),
                                 (second, [_mention(second, "Belvasta", "PERSON")])])
    assert [(e.name, e.type, len(e.mentions)) for e in entities] == [("Belvasta", "GPE", 2)]


def test_entities_lone_organisation_named_like_a_known_person_is_that_person(
        make_document: MakeDocument) -> None:
    first = make_document("Jane Holloway spoke.", source="a.txt")
    second = make_document("Holloway disagreed.", source="b.txt")
    entities, _ = link_entities([(first, [_mention(first, "Jane Holloway")]),
                                 (second, [_mention(second, "Holloway", "ORG")])])
    assert [(e.name, e.type, len(e.mentions)) for e in entities] == [("Jane Holloway", "PERSON", 2)]


def test_entities_ids_are_readable_and_do_not_depend_on_order(make_document: MakeDocument) -> None:
    pairs = _persons_of(make_document, ("Ana Silva spoke.", ["Ana Silva"]),
                        ("Marco Silva spoke.", ["Marco Silva"]), ("Silva spoke.", ["Silva"]),
                        ("Silva left.", ["Silva"]))
    forward, forward_spans = link_entities(pairs)
    backward, backward_spans = link_entities(pairs[::-1])
    assert {e.id for e in forward} == {e.id for e in backward}
    assert forward_spans == backward_spans
    assert _one_entity_of(forward, "Ana Silva").id == "person:ana-silva"


def test_entities_name_is_the_fullest_form(make_document: MakeDocument) -> None:
    document = make_document("Petrenko spoke. Volodymyr Petrenko left. Petrenko returned.")
    entities, _ = link_entities([(document, [
        _mention(document, "Petrenko"), _mention(document, "Volodymyr Petrenko"),
        _mention(document, "Petrenko", nth=2),
    ])])
    assert [(e.name, e.type, e.mentions) for e in entities] == [
        ("Volodymyr Petrenko", "PERSON", ((document.id, 3),))]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Barskyy", "Barsky"),
        ("Hrytsenkо", "Hrytsenko"),
        ("the Greenfield Party", "Greenfield Party"),
        ("Norvalia’s", "Norvalia"),
        ("U.S.", "US"),
        ("Belvasta Oblast", "Belvasta"),
        ("Khalidov", "Halidov"),
        ("Gontcharivka", "Goncharivka"),
    ],
)
def test_entities_name_key_meets_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Norvalia", "Norvalian"), ("Dornava", "Dornovo")])
def test_entities_name_key_keeps_names_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


@pytest.fixture
def linked(make_document: MakeDocument) -> list[Entity]:
    first = make_document("Norvalian leader Volodymyr Petrenko met Ana Silva of the Greenfield "
                          "Party.", source="a.txt")
    second = make_document("Marco Silva said Petrenko was wrong.", source="b.txt")
    entities, _ = link_entities([
        (first, [_mention(first, "Volodymyr Petrenko", role="Norvalian leader"),
                 _mention(first, "Ana Silva"), _mention(first, "Greenfield Party", "ORG")]),
        (second, [_mention(second, "Marco Silva"), _mention(second, "Petrenko")]),
    ])
    return entities


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("Petrenko", "Volodymyr Petrenko"),
        ("Volodymyr Petrenko", "Volodymyr Petrenko"),
        ("Volodymir Petrenko", "Volodymyr Petrenko"),
        ("Mr. Petrenko", "Volodymyr Petrenko"),
        ("President Petrenko", "Volodymyr Petrenko"),
        ("Norvalian leader Volodymyr Petrenko", "Volodymyr Petrenko"),
        ("V. Petrenko", "Volodymyr Petrenko"),
        ("Greenfield Party", "Greenfield Party"),
        ("the Greenfield Party", "Greenfield Party"),
        ("Norvalia’s Greenfield Party", "Greenfield Party"),
        ("Ana Silva", "Ana Silva"),
        ("Silva", None),  # two people are called Silva
        ("Ivo Petrenko", None),
        ("Tomas Kerrigan", None),
        ("he", None),
        ("", None),
    ],
)
def test_entities_entity_for_name(linked: list[Entity], name: str, alias: str | None) -> None:
    expected = _one_entity_of(linked, alias).id if alias is not None else None
    assert entity_for_name(linked, name) == expected


# --------------------------------------------------------------- role-only mentions, epithets


def test_entities_role_only_leader_refers_to_the_president(parse_document: ParseDocument) -> None:
    document, mentions = _extract(parse_document,
                                  "Norvalian President Volodymyr Petrenko met Ana Silva in "
                                  "Dornava. The Norvalian leader said the talks went well.")
    roles = [m for m in mentions if m.label == ROLE_LABEL]
    assert [m.text for m in roles] == ["Norvalian leader"]
    entities, span_entity = link_entities([(document, mentions)])
    assert span_entity[roles[0].span] == _one_entity_of(entities, "Volodymyr Petrenko").id


def test_entities_epithet_links_to_the_person_the_text_is_about(
        parse_document: ParseDocument) -> None:
    document, mentions = _extract(
        parse_document,
        "Norvalian leader Volodymyr Petrenko, after meeting Ana Silva on Thursday, said he "
        "backed the plan. He questioned whether Belvastan would keep it.\n"
        "Belvastan President Marco Delaney dismissed the former spy chief’s remarks as a "
        "trick.")
    found = [m for m in mentions if m.label == EPITHET_LABEL]
    assert [m.text for m in found] == ["former spy chief"]
    assert found[0].role == "former spy chief"  # kept as a framing signal
    entities, span_entity = link_entities([(document, mentions)])
    petrenko = _one_entity_of(entities, "Volodymyr Petrenko")
    assert epithets(mentions, span_entity) == [(petrenko.id, found[0])]
    assert "former spy chief" not in petrenko.aliases


def test_entities_epithet_without_a_clear_antecedent_is_left_alone(
        make_document: MakeDocument) -> None:
    document = make_document("The port reopened on Monday.\nAna Silva praised the former "
                             "border guard.")
    epithet = _mention(document, "former border guard", EPITHET_LABEL, role="former border guard")
    mentions = [_mention(document, "Ana Silva"), epithet]
    entities, span_entity = link_entities([(document, mentions)])
    # the only person is the subject of the epithet's own sentence: not the same person
    assert epithets(mentions, span_entity)[0][0] != _one_entity_of(entities, "Ana Silva").id


# --------------------------------------------------------------------------- alias files


def _silvas(make_document: MakeDocument) -> list[tuple[Document, list[Mention]]]:
    return _persons_of(make_document, ("Ana Silva spoke in Dornava.", ["Ana Silva"]),
                       ("Later A. Silva left Dornava.", ["A. Silva"]),
                       ("Petrenko met her.", ["Petrenko"]))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("aliases.csv", "# forced by the desk\nsplit,Ana Silva,A. Silva\nmerge,Petrenko,A. Silva\n"),
        ("aliases.yaml", "split:\n  - [Ana Silva, A. Silva]\nmerge:\n  - [Petrenko, A. Silva]\n"),
    ],
)
def test_entities_alias_file_forces_splits_and_merges(make_document: MakeDocument, tmp_path: Any,
                                                      name: str, content: str) -> None:
    pairs = _silvas(make_document)
    entities, _ = link_entities(pairs)
    assert sorted(e.name for e in entities) == ["Ana Silva", "Petrenko"]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    rules = load_alias_file(str(path))
    assert rules == AliasRules(merges=(("Petrenko", "A. Silva"),),
                               splits=(("Ana Silva", "A. Silva"),))
    entities, _ = link_entities(pairs, rules)
    assert sorted(e.aliases for e in entities) == [("A. Silva", "Petrenko"), ("Ana Silva",)]


@pytest.mark.parametrize(
    ("name", "content"),
    [("bad.csv", "join,Ana Silva,A. Silva\n"), ("bad.csv", "merge,Ana Silva\n"),
     ("bad.yaml", "merge: Ana Silva\n"), ("bad.yaml", "together: [[a, b]]\n")],
)
def test_entities_bad_alias_file_is_refused(tmp_path: Any, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=name):
        load_alias_file(str(path))


# --------------------------------------------------------------------------- places


def test_entities_city_is_linked_to_its_country(make_document: MakeDocument) -> None:
    document = make_document("Talks were held in Dornava, Norvalia, on Monday. Belvastan, "
                             "Norvalia and Ostrava signed.")
    mentions = [_mention(document, "Dornava", "GPE"), _mention(document, "Norvalia", "GPE"),
                _mention(document, "Belvastan", "GPE"), _mention(document, "Norvalia", "GPE", 1),
                _mention(document, "Ostrava", "GPE")]
    entities, span_entity = link_entities([(document, mentions)])
    ids = {e.name: e.id for e in entities}
    assert len(entities) == 4  # the city stays a place of its own
    assert place_links([(document, mentions)], span_entity) == {ids["Dornava"]: ids["Norvalia"]}
    # the entity carries the link too, and a list ("Belvastan, Norvalia and ...") links nothing
    part_of = {e.name: e.part_of for e in entities}
    assert part_of == {"Dornava": ids["Norvalia"], "Norvalia": None, "Belvastan": None,
                       "Ostrava": None}


# --------------------------------------------------------------------------- armed forces


@pytest.mark.parametrize(
    ("text", "military"),
    [
        ("However, the Norvalian military quickly rejected the claim on Monday.",
         "Norvalian military"),
        ("The appeal came as Norvalia’s military claimed a swift advance.", "Norvalia’s military"),
        ("The Norvalian armed forces said on Monday that the bridge had fallen.",
         "Norvalian armed forces"),
    ],
)
def test_entities_a_countrys_military_is_an_organisation(parse_document: ParseDocument,
                                                         text: str, military: str) -> None:
    document, mentions = _extract(parse_document, text)
    found = [(m.text, m.label) for m in mentions]
    assert (military, "ORG") in found
    # the country's word is part of the organisation's name, not a mention of the country
    assert not any(m.label in {"NORP", "GPE"} for m in mentions)
    assert all(document.slice(m.span) == m.text for m in mentions)


@pytest.mark.parametrize(
    "text",
    ["Norvalian military gains were reported near Dornava on Monday.",  # an adjective
     "Norvalian forces regrouped near Dornava on Monday."],  # troops, not the institution
)
def test_entities_military_adjective_and_troops_stay_the_country(parse_document: ParseDocument,
                                                                 text: str) -> None:
    _, mentions = _extract(parse_document, text)
    assert ("Norvalian", "NORP") in [(m.text, m.label) for m in mentions]
    assert not any("military" in m.text or "forces" in m.text for m in mentions)


def test_entities_military_links_to_the_general_staff_speaking_for_it(
        parse_document: ParseDocument) -> None:
    document, mentions = _extract(
        parse_document, "However, the Norvalian military quickly rejected the claim. “The front "
        "is holding,” the General Staff said in a statement on Monday.")
    entities, _ = link_entities([(document, mentions)])
    body = _one_entity_of(entities, "General Staff")
    assert "Norvalian military" in body.aliases
    assert (body.type, body.name) == ("ORG", "General Staff")  # the body's name, not the phrase
    assert entity_for_name(entities, "the Norvalian military") == body.id


def _linked_bodies(make_document: MakeDocument, *docs: tuple[str, Sequence[tuple[str, str]]]
                   ) -> list[Entity]:
    """Entities of hand-built documents: each a text and its (mention text, label) pairs."""
    result: list[tuple[Document, list[Mention]]] = []
    for index, (text, pairs) in enumerate(docs):
        document = make_document(text, source=f"doc{index}.txt")
        seen: Counter[str] = Counter()
        mentions = []
        for name, label in pairs:
            mentions.append(_mention(document, name, label, seen[name]))
            seen[name] += 1
        result.append((document, mentions))
    return link_entities(result)[0]


def test_entities_military_skips_another_nations_body_and_takes_a_citys(
        make_document: MakeDocument) -> None:
    # Velmora is a nation (the text also says "Velmoran"); Dornava, owning the ministry, is
    # only a place, as a capital is: the ministry is the one body left for Norvalia
    entities = _linked_bodies(make_document, (
        ("Velmora’s General Staff denied it. Norvalia’s military claimed an advance. Dornava’s "
         "Defence Ministry gave figures. Velmoran troops held the line."),
        [("Velmoran", "NORP"), ("Norvalia’s military", "ORG"), ("Dornava", "GPE"),
         ("Defence Ministry", "ORG"), ("Velmora", "GPE"), ("General Staff", "ORG")]))
    ministry = _one_entity_of(entities, "Defence Ministry")
    assert "Norvalia’s military" in ministry.aliases
    assert "Norvalia’s military" not in _one_entity_of(entities, "General Staff").aliases


def test_entities_military_prefers_the_body_its_country_owns(make_document: MakeDocument) -> None:
    entities = _linked_bodies(make_document, (
        ("The Norvalian army advanced. The Norvalian Defence Ministry said so; the General "
         "Staff declined to comment."),
        [("Norvalian army", "ORG"), ("Norvalian Defence Ministry", "ORG"),
         ("General Staff", "ORG")]))
    assert "Norvalian army" in _one_entity_of(entities, "Norvalian Defence Ministry").aliases
    assert _one_entity_of(entities, "General Staff").aliases == ("General Staff",)


def test_entities_military_with_two_candidate_bodies_stays_apart(
        make_document: MakeDocument) -> None:
    entities = _linked_bodies(make_document, (
        "The Norvalian military denied it. The General Staff and the Defence Ministry spoke.",
        [("Norvalian military", "ORG"), ("General Staff", "ORG"), ("Defence Ministry", "ORG")]))
    military = _one_entity_of(entities, "Norvalian military")
    assert military.aliases == ("Norvalian military",)
    assert len(entities) == 3


def test_entities_two_nations_militaries_never_share_a_body(make_document: MakeDocument) -> None:
    entities = _linked_bodies(make_document, (
        "The Norvalian military and the Velmoran army clashed, the General Staff said.",
        [("Norvalian military", "ORG"), ("Velmoran army", "ORG"), ("General Staff", "ORG")]))
    assert len(entities) == 3  # neither is linked, and the two armies stay two


def test_entities_military_links_across_the_story(make_document: MakeDocument) -> None:
    # one outlet says "the Norvalian military", another "Norvalia’s army"; a third names the
    # country's ministry: all one organisation, the country itself kept apart
    entities = _linked_bodies(
        make_document,
        ("The Norvalian military denied the report.", [("Norvalian military", "ORG")]),
        ("In Norvalia, Norvalia’s army denied it.", [("Norvalia", "GPE"),
                                                    ("Norvalia’s army", "ORG")]),
        ("Norvalia’s Defence Ministry published a map.", [("Norvalia", "GPE"),
                                                         ("Defence Ministry", "ORG")]),
    )
    body = _one_entity_of(entities, "Defence Ministry")
    assert {"Norvalian military", "Norvalia’s army"} <= set(body.aliases)
    assert _one_entity_of(entities, "Norvalia").type == "GPE"
    assert "Norvalia" not in body.aliases


def test_entities_militaries_of_one_country_merge_without_a_body(
        make_document: MakeDocument) -> None:
    entities = _linked_bodies(
        make_document,
        ("The Norvalian military denied the report.", [("Norvalian military", "ORG")]),
        ("Norvalia’s army denied it; Velmora’s army did not.",
         [("Norvalia’s army", "ORG"), ("Velmora’s army", "ORG")]),
    )
    assert set(_one_entity_of(entities, "Norvalian military").aliases) == {
        "Norvalian military", "Norvalia’s army"}
    assert _one_entity_of(entities, "Velmora’s army").aliases == ("Velmora’s army",)
