"""A country's armed forces, linked to the body that speaks for them.

A country's armed forces ("the Norvalian military", "Norvalia’s army", "the Norvalian armed
forces") are an organisation, not the country, and are linked to the body that speaks for them
(`link_militaries`): the one general staff, high command or defence ministry of that country
the story mentions. The country's adjective and name are matched by the stem the documents
themselves use ("Norvalian" / "Norvalia"), without a demonym table, so irregular pairs
("French" / "France") are not matched. A body owned by another nation is never taken; one with
no owner or owned by a place not known as a nation (a city, such as a capital) is taken only
when it is the one candidate in the military's own documents.

Not done: a capital standing for its government by itself ("Dornava said" for Norvalia's
government) needs a table of capitals these rules do not have; such mentions stay the city.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.entities.clusters import Cluster, group_mentions
from rashomon.entities.names import DESCRIPTIVE, fold, strip_possessive
from rashomon.model import Document, Mention

__all__ = ["MILITARY_PHRASE", "link_militaries"]


# A military phrase as `extract_mentions` builds it: the country, then the noun.
MILITARY_PHRASE = re.compile(
    r"^(?:the\s+)?(?P<owner>.+?)\s+(?:military|army|armed\s+forces)$", re.IGNORECASE)
# The bodies that speak for a country's armed forces, on folded text: its general staff, its
# high command, its defence ministry.
_MILITARY_COMMAND = re.compile(
    r"\b(?:general staff|(?:high|supreme|military) command|joint chiefs(?: of staff)?"
    r"|(?:defen[cs]e|war) (?:ministry|department)|ministry of (?:defen[cs]e|war))\b")
_OWNER_JOINS = frozenset({"’s ", "'s ", "’ ", "' ", " "})


def _military_owner(mention: Mention) -> str | None:
    """ "Norvalia" for "Norvalia’s army", "Norvalian" for "the Norvalian military"."""
    if mention.label != "ORG":
        return None
    match = MILITARY_PHRASE.match(mention.text)
    return fold(strip_possessive(match["owner"])) if match else None


def _same_stem(a: str, b: str) -> bool:
    """A country's name and its adjective as the documents write them: "norvalia" and
    "norvalian", "ukraine" and "ukrainian" share all but the shorter one's last letter."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    shorter = min(len(a), len(b))
    common = len(os.path.commonprefix([a, b]))
    return shorter >= 4 and common >= max(4, shorter - 1)


@dataclass(frozen=True, slots=True)
class _Story:
    """What the military rule needs to know of the whole story."""

    texts: dict[str, str]  # document id -> text
    mentions: dict[str, list[Mention]]  # document id -> its mentions, in text order
    nations: frozenset[str]  # folded names of nations: adjectives, and the names paired to them

    def owner_of(self, mention: Mention) -> str | None:
        """Whose command or ministry this is: "Norvalian" in "the Norvalian Defence Ministry",
        "Ministry of Defence of Norvalia", or the name right before it ("Dornava’s ...")."""
        folded = fold(mention.text)
        match = _MILITARY_COMMAND.search(folded)
        if match is None:
            return None
        before = " ".join(w for w in folded[: match.start()].split() if w != "the")
        after = re.match(r"\s*of (?:the )?(.+)$", folded[match.end() :])
        if before or after:
            return before or (after[1] if after else None)
        text = self.texts.get(mention.span.doc, "")
        for other in reversed(self.mentions.get(mention.span.doc, [])):
            if other.span.end <= mention.span.start:
                joined = text[other.span.end : mention.span.start] in _OWNER_JOINS
                return fold(strip_possessive(other.text)) if joined else None
        return None

    def relation(self, owner: str | None, country: Sequence[str]) -> str:
        """ "same" when the owner is the country, "other" when it is another nation, and
        "unknown" when there is none or it is a place not known as a nation (a city)."""
        if owner is None:
            return "unknown"
        if any(_same_stem(owner, form) for form in country):
            return "same"
        return "other" if any(_same_stem(owner, n) for n in self.nations) else "unknown"


def _story(documents_mentions: Sequence[tuple[Document, Sequence[Mention]]]) -> _Story:
    mentions = {d.id: sorted(ms, key=lambda m: m.span) for d, ms in documents_mentions}
    every = [m for ms in mentions.values() for m in ms]
    adjectives = {fold(m.text) for m in every if m.label == "NORP"}
    owners = {o for m in every if (o := _military_owner(m)) is not None}
    names = {fold(strip_possessive(m.text)) for m in every if m.label not in DESCRIPTIVE}
    paired = {n for n in names if any(_same_stem(n, a) for a in adjectives)}
    return _Story({d.id: d.text for d, _ in documents_mentions}, mentions,
                  frozenset(adjectives | paired | owners))


def link_militaries(
    groups: list[list[Cluster]],
    documents_mentions: Sequence[tuple[Document, Sequence[Mention]]],
) -> list[list[Cluster]]:
    """A country's armed forces ("the Norvalian military", "Norvalia’s army") are one
    organisation, linked to the body that speaks for them: the one general staff, high
    command or defence ministry of that country the story mentions.

    In the military's own documents, a body owned by that country is taken, failing that one
    whose owner is unknown or a mere place ("the General Staff", a capital's ministry); across
    the story only one owned by that country. Two candidates, or two countries' militaries
    pointing at one body, link nothing.
    """
    militaries = _military_groups(groups)
    if not militaries:
        return groups
    story = _story(documents_mentions)
    commands = [g for g in groups if any(_MILITARY_COMMAND.search(fold(m.text))
                                         for m in group_mentions(g) if m.label == "ORG")]
    targets: dict[int, list[list[Cluster]]] = {}
    for military, country in militaries:
        target = _command_for(military, country, commands, story)
        if target is not None:
            targets.setdefault(id(target), [target]).append(military)
    absorbed: set[int] = set()
    for target, *linked in targets.values():
        if len(linked) == 1:  # two countries claiming one body: it is neither's for sure
            target.extend(linked[0])
            absorbed.add(id(linked[0]))
    return [g for g in groups if g and id(g) not in absorbed]  # merged militaries are empty


def _military_groups(groups: list[list[Cluster]]) -> list[tuple[list[Cluster], list[str]]]:
    """Groups made only of military phrases, merged by country ("Norvalian military" and
    "Norvalia’s army"), each with the country's forms."""
    found: list[tuple[list[Cluster], list[str]]] = []
    for group in groups:
        owners = [_military_owner(m) for m in group_mentions(group)]
        if not owners or None in owners:
            continue
        forms = sorted({o for o in owners if o is not None})
        same = [f for f in found if any(_same_stem(a, b) for a in forms for b in f[1])]
        if len(same) == 1:
            same[0][0].extend(group)
            same[0][1].extend(forms)
            group.clear()
        elif not same:
            found.append((group, forms))
    return found


def _command_for(military: Sequence[Cluster], country: Sequence[str],
                 commands: Sequence[list[Cluster]], story: _Story) -> list[Cluster] | None:
    docs = {c.doc for c in military}

    def relation(group: Sequence[Cluster]) -> str:
        found = {story.relation(story.owner_of(m), country) for m in group_mentions(group)
                 if m.label == "ORG" and _MILITARY_COMMAND.search(fold(m.text))}
        return "other" if "other" in found else "same" if "same" in found else "unknown"

    related = [(g, relation(g)) for g in commands]
    nearby = [(g, r) for g, r in related if any(c.doc in docs for c in g)]
    for pool, wanted in ((nearby, "same"), (nearby, "unknown"), (related, "same")):
        chosen = [g for g, r in pool if r == wanted]
        if chosen:
            return chosen[0] if len(chosen) == 1 else None
    return None
