"""Named mentions in one document, and the real-world entities they refer to across documents.

The steps, a module each:

- `names`: the keys under which spelling variants of one name meet (`name_key`), person names
  and when two can be one person, the mention labels.
- `mentions`: `extract_mentions` reads spaCy's NER and repairs the slips a small model makes on
  news text, keeping the role in front of a person ("Harbour spokesman") as the mention's `role`.
- `linking`: `link_entities` links mentions (they come back from the store, without a parse)
  within each document, then across documents; role phrases and epithets to the person they
  stand for; places to the place containing them (`place_links`), never merged into it.
- `clusters`: the mentions one document uses for one entity, the unit linking works on.
- `militaries`: a country's armed forces linked to the body that speaks for them.
- `aliases`: a user alias file (`load_alias_file`, CSV or YAML) forces merges and splits.
- `lookup`: entities found by a name as written (`entity_for_name`, `NameIndex`).
"""

from __future__ import annotations

from rashomon.entities.aliases import AliasRules, load_alias_file, user_aliases
from rashomon.entities.linking import epithets, link_entities, place_links
from rashomon.entities.lookup import NameIndex, entity_for_name
from rashomon.entities.mentions import extract_mentions
from rashomon.entities.names import EPITHET_LABEL, MENTION_LABELS, ROLE_LABEL, name_key

__all__ = [
    "AliasRules",
    "EPITHET_LABEL",
    "MENTION_LABELS",
    "NameIndex",
    "ROLE_LABEL",
    "entity_for_name",
    "epithets",
    "extract_mentions",
    "link_entities",
    "load_alias_file",
    "name_key",
    "place_links",
    "user_aliases",
]
