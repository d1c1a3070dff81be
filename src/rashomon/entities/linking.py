"""Entity linking: mentions to the real-world entities they refer to across documents.

`link_entities` works from mentions alone (they come back from the store, without a parse):
first within each document, where a bare surname means the full name the article introduced,
then across documents, where spelling variants and transliterations of one name are merged but
people who merely share a surname are not.

Role-only mentions ("the Harbour spokesperson", "the Norvalian leader") are linked to the person
introduced with that role; epithets ("the former spy chief", label `EPITHET_LABEL`) to the
person the preceding sentences are about, and kept as framing signals (`epithets`). Places keep
their level: a city is linked to its country by `place_links`, never merged into it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from rashomon.entities.aliases import AliasRules
from rashomon.entities.clusters import Cluster, group_mentions
from rashomon.entities.militaries import MILITARY_PHRASE, link_militaries
from rashomon.entities.names import (
    DESCRIPTIVE,
    EPITHET_LABEL,
    LABEL_PRIORITY,
    POSSESSIVES,
    ROLE_LABEL,
    PersonName,
    fold,
    is_title,
    name_key,
    person_name,
    role_refers_to,
    same_person,
    word_key,
)
from rashomon.model import Document, Entity, Mention, Span

__all__ = ["epithets", "link_entities", "place_links"]

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def link_entities(
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
    aliases: AliasRules | None = None,
) -> tuple[list[Entity], dict[Span, str]]:
    """One entity per real-world entity across documents, and each mention's span -> entity id.

    `aliases` (from `load_alias_file`) forces merges and splits the rules would not make.
    Entities come sorted by how often they are mentioned (most first), then by name.
    """
    clusters: list[Cluster] = []
    for document, mentions in documents_mentions:
        clusters.extend(_document_clusters(document.id, mentions, document.text))
    # Linking is greedy; a fixed order makes entities and ids independent of input order.
    clusters.sort(key=lambda c: min(m.span for m in c.mentions))
    groups = _group_clusters(clusters)
    groups = link_militaries(groups, documents_mentions)
    if aliases is not None:
        groups = aliases.apply(groups)
    doc_order = [document.id for document, _ in documents_mentions]
    entities: list[Entity] = []
    span_entity: dict[Span, str] = {}
    taken: set[str] = set()
    for group in groups:
        entity = _make_entity(group, doc_order, taken)
        taken.add(entity.id)
        entities.append(entity)
        for cluster in group:
            for mention in cluster.mentions:
                span_entity[mention.span] = entity.id
    containing = place_links(documents_mentions, span_entity)
    entities = [replace(e, part_of=containing[e.id]) if e.id in containing else e
                for e in entities]
    entities.sort(key=lambda e: (-sum(n for _, n in e.mentions), e.name, e.id))
    return entities, span_entity


def _document_clusters(doc_id: str, mentions: Sequence[Mention], text: str = "") -> list[Cluster]:
    """Within one document: full names by name, bare surnames to the full name they shorten,
    role phrases to the person last given that role, epithets to the person the article was
    last about, everything else by its name key."""
    ordered = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    persons = [m for m in ordered if m.label == "PERSON"]
    clusters = _person_clusters(doc_id, persons)
    _attach_roles(clusters, [m for m in ordered if m.label == ROLE_LABEL])
    _attach_epithets(clusters, [m for m in ordered if m.label == EPITHET_LABEL], text)
    by_key: dict[str, Cluster] = {}
    for mention in ordered:
        if mention.label in {"PERSON", ROLE_LABEL, EPITHET_LABEL}:
            continue
        by_key.setdefault(name_key(mention.text), Cluster(doc_id)).mentions.append(mention)
    return clusters + [c for c in by_key.values() if c.keys() != {""}]


def _person_clusters(doc_id: str, persons: Sequence[Mention]) -> list[Cluster]:
    full: dict[tuple[str, str], Cluster] = {}
    bare: list[tuple[Mention, PersonName]] = []
    for mention in persons:
        name = person_name(mention.text)
        if name is None:
            continue
        if name.first is not None:
            full.setdefault((name.first, name.surname), Cluster(doc_id)).mentions.append(mention)
        else:
            bare.append((mention, name))
    clusters = list(full.values())
    lone: dict[str, Cluster] = {}
    for mention, name in bare:
        target = _nearest_full_name(clusters, mention, name.surname)
        if target is None:
            target = lone.setdefault(name.surname, Cluster(doc_id))
        target.mentions.append(mention)
    return clusters + list(lone.values())


def _nearest_full_name(
    clusters: Sequence[Cluster], mention: Mention, surname: str
) -> Cluster | None:
    """The full name a bare surname shortens: when two people share it ("Ana Silva", "Marco
    Silva"), the one named last before it, as a reader would take it."""
    matching = [c for c in clusters if any(n.surname == surname for n in c.names())]
    if len(matching) <= 1:
        return matching[0] if matching else None

    def last_before(cluster: Cluster) -> tuple[bool, int]:
        starts = [m.span.start for m in cluster.mentions]
        before = [s for s in starts if s < mention.span.start]
        # the latest one before; failing that, the first one after
        return (bool(before), max(before) if before else -min(starts))

    return max(matching, key=last_before)


def _attach_roles(clusters: Sequence[Cluster], roles: Sequence[Mention]) -> None:
    """A role phrase refers to the person most recently introduced with a matching role."""
    for role in roles:
        best: tuple[int, Cluster] | None = None
        for cluster in clusters:
            for mention in cluster.mentions:
                if (mention.label == "PERSON" and mention.span.end <= role.span.start
                        and role_refers_to(role.text, mention.role)
                        and (best is None or mention.span.start > best[0])):
                    best = (mention.span.start, cluster)
        if best is not None:
            best[1].mentions.append(role)


_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+|\n+")
_PRONOUN_START = re.compile(r"[“\"]?(?:He|She|His|Her)\b")


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if b > a]


def _sentence_subject(
    text: str, sentence: tuple[int, int], persons: Sequence[tuple[Mention, Cluster]]
) -> Cluster | None:
    """The person a sentence opens with (after capitalised role words): its subject, as far as
    can be told without a parse."""
    a, b = sentence
    inside = [(m, c) for m, c in persons if a <= m.span.start < b]
    if not inside:
        return None
    mention, cluster = min(inside, key=lambda mc: mc[0].span.start)
    lead = text[a : mention.span.start].split()
    if all(w[:1].isupper() or w in POSSESSIVES or is_title(w) for w in lead):
        return cluster
    return None


def _attach_epithets(clusters: Sequence[Cluster], found: Sequence[Mention], text: str) -> None:
    """An epithet ("the former spy chief") refers to the person the preceding sentences are
    about: the subject of the nearest one that opens with a person, sentences opening with a
    pronoun carrying that subject on. Never to the subject of its own sentence (a name and
    an epithet for the same person do not share a clause), and nothing when no sentence in the
    last four opens with a person: left unlinked rather than guessed."""
    if not text or not found:
        return
    persons = [(m, c) for c in clusters for m in c.mentions if m.label == "PERSON"]
    sentences = _sentences(text)
    for epithet in found:
        index = next((i for i, (a, b) in enumerate(sentences) if a <= epithet.span.start < b),
                     None)
        if index is None:
            continue
        own = _sentence_subject(text, sentences[index], persons)
        for previous in range(index - 1, max(-1, index - 5), -1):
            a, b = sentences[previous]
            subject = _sentence_subject(text, sentences[previous], persons)
            if subject is None:
                if _PRONOUN_START.match(text[a:b]):
                    continue
                # a sentence about something else: no subject to carry on
                if any(a <= m.span.start < b for m, _ in persons):
                    break
                continue
            if subject is not own:
                subject.mentions.append(epithet)
            break


def _group_clusters(clusters: Sequence[Cluster]) -> list[list[Cluster]]:
    people = _group_people([c for c in clusters if c.is_person])
    others = _group_others([c for c in clusters if not c.is_person])
    return _reconcile_types(people, others)


def _group_people(clusters: Sequence[Cluster]) -> list[list[Cluster]]:
    """Across documents: a cluster joins the one group of people it agrees with; if it agrees
    with none it starts one, and if with several (a bare "Silva" when there are two) it stays
    alone rather than guess."""
    # each cluster's best name found once (by `id`: clusters are not changed here), not once
    # per group it is compared with: that was most of the linking's time in a large story
    best = {id(cluster): cluster.best_name() for cluster in clusters}

    def fullness(cluster: Cluster) -> tuple[bool, int]:
        name = best[id(cluster)]
        return (name is not None and name.full, len(name.first or "") if name else 0)

    groups: list[list[Cluster]] = []
    names: list[list[PersonName]] = []  # each group's best names, None left out
    for cluster in sorted(clusters, key=fullness, reverse=True):  # stable: document order kept
        name = best[id(cluster)]
        if name is None:
            groups.append([cluster])
            names.append([])
            continue
        agreeing = [k for k, known in enumerate(names) if _agrees_with_group(name, known)]
        if len(agreeing) == 1:
            groups[agreeing[0]].append(cluster)
            names[agreeing[0]].append(name)
        else:
            groups.append([cluster])
            names.append([name])
    return groups


def _agrees_with_group(name: PersonName, names: Sequence[PersonName]) -> bool:
    """Whether the name is the same person as every best name of a group (`names`)."""
    return bool(names) and all(same_person(name, other) for other in names)


def _group_others(clusters: Sequence[Cluster]) -> list[list[Cluster]]:
    """Places, organisations, groups: by name key, then acronyms to the names they abbreviate."""
    by_key: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        key = name_key(_fullest_text(cluster.mentions))
        by_key.setdefault(key, []).append(cluster)
    groups = list(by_key.values())
    return _merge_acronyms(groups)


def _merge_acronyms(groups: list[list[Cluster]]) -> list[list[Cluster]]:
    """ "IST" is "the Institute for the Study of Tides" when exactly one name has those initials."""
    initials: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        words = [w for w in _fullest_text(group_mentions(group)).split() if w[:1].isupper()]
        if len(words) > 1:
            initials.setdefault("".join(w[0] for w in words).upper(), []).append(index)
    absorbed: set[int] = set()
    for index, group in enumerate(groups):
        text = _fullest_text(group_mentions(group)).replace(".", "")
        targets = initials.get(text, []) if text.isupper() and len(text) > 1 else []
        if len(targets) == 1 and targets[0] != index:
            groups[targets[0]].extend(group)
            absorbed.add(index)
    return [g for i, g in enumerate(groups) if i not in absorbed]


def _reconcile_types(
    people: list[list[Cluster]], others: list[list[Cluster]]
) -> list[list[Cluster]]:
    """Repair labels the NER got wrong in a whole document: a lone "person" named like a place
    known elsewhere is that place ("Velmora"); an organisation named exactly like the surname of
    one known person is that person."""
    place_by_key = {name_key(_fullest_text(group_mentions(g))): g for g in others
                    if _group_label(g) in _PLACE_LABELS}
    kept_people: list[list[Cluster]] = []
    for group in people:
        names = [n for c in group if (n := c.best_name()) is not None]
        keys = {k for c in group for k in c.keys()}
        bare = bool(names) and not any(n.full for n in names)
        if bare and len(keys) == 1 and keys <= set(place_by_key):
            place_by_key[next(iter(keys))].extend(group)
        else:
            kept_people.append(group)
    kept_others: list[list[Cluster]] = []
    for group in others:
        target = _person_for_org(group, kept_people)
        if target is not None:
            target.extend(group)
        else:
            kept_others.append(group)
    return kept_people + kept_others


def _person_for_org(
    group: Sequence[Cluster], people: Sequence[list[Cluster]]
) -> list[Cluster] | None:
    mentions = group_mentions(group)
    if any(m.label != "ORG" or len(m.text.split()) != 1 for m in mentions):
        return None
    surname = word_key(mentions[0].text)

    def has_full_name(person: Sequence[Cluster]) -> bool:
        return any((n := c.best_name()) is not None and n.full and n.surname == surname
                   for c in person)

    matching = [person for person in people if has_full_name(person)]
    return matching[0] if len(matching) == 1 else None


def _fullest_text(mentions: Sequence[Mention]) -> str:
    """The name to show: most words, then most used, then longest, then alphabetical."""
    names = ([m.text for m in mentions if m.label not in DESCRIPTIVE]
             or [m.text for m in mentions])
    # a body's own name, rather than "the Norvalian military" it speaks for
    names = [n for n in names if not MILITARY_PHRASE.match(n)] or names
    counts = Counter(names)
    return min(counts, key=lambda t: (-len(t.split()), -counts[t], -len(t), t))


def _group_label(group: Sequence[Cluster]) -> str:
    labels = Counter(m.label for m in group_mentions(group) if m.label not in DESCRIPTIVE)
    if labels.get("PERSON") and any(c.is_person and (n := c.best_name()) and n.full for c in group):
        return "PERSON"
    non_person = Counter({k: v for k, v in labels.items() if k != "PERSON"}) or labels
    best = max(non_person.values())
    return next(label for label in LABEL_PRIORITY if non_person.get(label) == best)


def _make_entity(group: Sequence[Cluster], doc_order: Sequence[str], taken: set[str]) -> Entity:
    mentions = group_mentions(group)
    label = _group_label(group)
    name = _fullest_text(mentions)
    if label == "PERSON":
        # for a person the fullest form is the name, not a longer mislabelled phrase
        name = _fullest_text([m for m in mentions if m.label == "PERSON"] or mentions)
    entity_id = _entity_id(label, name, mentions, taken)
    counts = Counter(m.span.doc for m in mentions)
    return Entity(
        id=entity_id,
        name=name,
        type=label,
        aliases=tuple(sorted({m.text for m in mentions if m.label not in DESCRIPTIVE})),
        mentions=tuple((doc, counts[doc]) for doc in doc_order if counts[doc]),
    )


def _span_of(mention: Mention) -> Span:
    return mention.span


def _slug(text: str) -> str:
    return "-".join(fold(text).split()) or "x"


def _entity_id(label: str, name: str, mentions: Sequence[Mention], taken: set[str]) -> str:
    """ "person:ana-silva"; two entities of one name (two unresolved "Silva"s) are told
    apart by a hash of where they are mentioned."""
    base = f"{label.lower()}:{_slug(name)}"
    if base not in taken:
        return base
    where = "|".join(f"{m.span.doc}:{m.span.start}" for m in sorted(mentions, key=_span_of))
    return f"{base}-{hashlib.sha256(where.encode()).hexdigest()[:6]}"


# --------------------------------------------------------------------------- framing, places


def epithets(
    mentions: Iterable[Mention], span_entity: dict[Span, str]
) -> list[tuple[str | None, Mention]]:
    """The epithets of the mentions ("the former spy chief"), each with the entity it was
    linked to (None when it could not be resolved): a framing signal of the outlet."""
    return [(span_entity.get(m.span), m) for m in mentions if m.label == EPITHET_LABEL]


_CONTAINED_IN = re.compile(r"^,\s*$")


def place_links(
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
    span_entity: dict[Span, str],
) -> dict[str, str]:
    """Place entity id -> the id of the place containing it, from "Dornach, Saudi Arabia".

    Places keep their level: a city and its country stay two entities, linked here. A list
    ("Russia, Ukraine and Belarus") is no containment, so a pair inside one is skipped.
    """
    links: dict[str, str] = {}
    for document, mentions in documents_mentions:
        places = sorted((m for m in mentions if m.label in _PLACE_LABELS),
                        key=lambda m: m.span.start)
        for inner, outer in itertools.pairwise(places):
            between = document.text[inner.span.end : outer.span.start]
            before = document.text[max(0, inner.span.start - 2) : inner.span.start]
            after = document.text[outer.span.end : outer.span.end + 5]
            if not _CONTAINED_IN.match(between) or before.strip() == "," or re.match(
                    r",?\s+(?:and|or)\b", after):
                continue
            a, b = span_entity.get(inner.span), span_entity.get(outer.span)
            if a and b and a != b and links.get(b) != a:
                links.setdefault(a, b)
    return links
