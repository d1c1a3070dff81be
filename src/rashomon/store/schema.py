"""The store's schema, as the list of migrations that builds it.

A store records the number of migrations applied to it as `meta.schema_version`; opening an older
store applies the missing ones, in order, in one transaction. A migration, once released, never
changes (a store built by it is already on someone's disk): a change to the schema is a new
migration appended to `MIGRATIONS`.

Spans are stored as character offsets (`*_start`, `*_end`) into the document named by the row's
`doc_id`; small tuples that are never queried on their own (offset maps, relay chains, aliases)
are JSON text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

__all__ = ["MIGRATIONS", "Migration", "STEPS"]

Migration = Callable[[sqlite3.Connection], None]


def _statements(statements: Sequence[str]) -> Migration:
    """A migration that runs SQL statements one by one.

    Not `executescript`, which commits first and would take the migration out of its transaction.
    """

    def migrate(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return migrate


_CREATE_V1 = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        versions TEXT NOT NULL,
        stats TEXT
    )""",
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source_key_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        source TEXT NOT NULL,
        source_key TEXT NOT NULL,
        text TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        title TEXT,
        outlet TEXT,
        published TEXT,
        published_inferred INTEGER NOT NULL CHECK (published_inferred IN (0, 1)),
        dateline_place TEXT,
        author TEXT,
        url TEXT,
        language TEXT NOT NULL,
        offsets TEXT NOT NULL,
        removed TEXT NOT NULL,
        run_id INTEGER REFERENCES runs (id),
        added_at TEXT NOT NULL,
        UNIQUE (source_key_id, version)
    )""",
    """CREATE TABLE mentions (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        role TEXT,
        entity TEXT,
        PRIMARY KEY (doc_id, seq)
    )""",
    """CREATE TABLE attributions (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_text TEXT NOT NULL,
        speaker_name TEXT,
        speaker_entity TEXT,
        speaker_uncertain INTEGER NOT NULL CHECK (speaker_uncertain IN (0, 1)),
        speaker_anonymous INTEGER NOT NULL CHECK (speaker_anonymous IN (0, 1)),
        cue_start INTEGER,
        cue_end INTEGER,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        stance TEXT NOT NULL,
        medium TEXT,
        relay TEXT NOT NULL,
        PRIMARY KEY (doc_id, seq)
    )""",
    """CREATE TABLE claims (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        attribution TEXT REFERENCES attributions (id),
        PRIMARY KEY (doc_id, seq)
    )""",
    """CREATE TABLE timeline (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        date TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        event TEXT NOT NULL,
        event_id TEXT,
        inferred INTEGER NOT NULL CHECK (inferred IN (0, 1)),
        PRIMARY KEY (doc_id, seq)
    )""",
    """CREATE TABLE embeddings (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (doc_id, model)
    )""",
    # Every vector of one model must have its dimension; this index makes that check cheap.
    "CREATE INDEX embeddings_model ON embeddings (model, dim)",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT,
        created_at TEXT NOT NULL
    )""",
    # doc_id is the key: a document belongs to one story at most.
    """CREATE TABLE story_documents (
        doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories (id)
    )""",
    "CREATE INDEX story_documents_story ON story_documents (story_id)",
    # Story rows are never deleted, so an absorbed story still exists for its merge record
    # and its id is never handed out again.
    """CREATE TABLE story_merges (
        from_story TEXT PRIMARY KEY REFERENCES stories (id),
        into_story TEXT NOT NULL REFERENCES stories (id),
        run_id INTEGER REFERENCES runs (id),
        merged_at TEXT NOT NULL
    )""",
    """CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        mentions TEXT NOT NULL
    )""",
    """CREATE TABLE relations (
        story_id TEXT NOT NULL REFERENCES stories (id),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        members TEXT NOT NULL,
        evidence TEXT NOT NULL,
        score REAL NOT NULL,
        explanation TEXT NOT NULL,
        diff TEXT NOT NULL,
        PRIMARY KEY (story_id, seq)
    )""",
)

# Issue 6: what incremental story grouping and near-duplicate detection keep between runs.
_CREATE_V2 = (
    # A document's key terms with their weights (tf, entity-like words boosted): the inverted
    # index that finds candidate stories for a new document, and the document frequencies.
    """CREATE TABLE document_terms (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        term TEXT NOT NULL,
        weight REAL NOT NULL,
        PRIMARY KEY (doc_id, term)
    )""",
    "CREATE INDEX document_terms_term ON document_terms (term)",
    # MinHash LSH: one row per band of a document's signature; equal (band, hash) = candidates.
    """CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        hash INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        PRIMARY KEY (band, hash, doc_id)
    )""",
    "CREATE INDEX minhash_bands_doc ON minhash_bands (doc_id)",
    # A near-duplicate (syndicated copy, light rewrite) points at the earliest stored document
    # of its group, so corroboration can count independent outlets.
    """CREATE TABLE near_duplicates (
        doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        duplicate_of TEXT NOT NULL REFERENCES documents (id),
        similarity REAL NOT NULL
    )""",
    "CREATE INDEX near_duplicates_of ON near_duplicates (duplicate_of)",
)

# Issue 4: a timeline entry whose resolution is a guess says so. Entries stored before it
# read as certain, which is what they were taken for.
_CREATE_V3 = (
    "ALTER TABLE timeline ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0"
    " CHECK (uncertain IN (0, 1))",
)

# Issue 5: what qualifies a claim, and how many independent outlets a relation rests on.
# Claims stored before this migration read back unhedged, affirmed, without numbers or places.
_CREATE_V4 = (
    "ALTER TABLE claims ADD COLUMN hedges TEXT NOT NULL DEFAULT '[]'",  # [[start, end], ...]
    "ALTER TABLE claims ADD COLUMN polarity TEXT NOT NULL DEFAULT 'affirmed'"
    " CHECK (polarity IN ('affirmed', 'negated'))",
    "ALTER TABLE claims ADD COLUMN negation_start INTEGER",
    "ALTER TABLE claims ADD COLUMN negation_end INTEGER",
    # [[comparator, value, unit, start, end], ...]
    "ALTER TABLE claims ADD COLUMN numbers TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE claims ADD COLUMN places TEXT NOT NULL DEFAULT '[]'",  # [[start, end], ...]
    "ALTER TABLE claims ADD COLUMN dates TEXT NOT NULL DEFAULT '[]'",  # [[date, start, end], ...]
    "ALTER TABLE relations ADD COLUMN independent INTEGER NOT NULL DEFAULT 0",
)

# Issue 6: a document moved from one story to another when later documents showed it read
# better there (local re-assignment), recorded as merges are. A story emptied by a move gets
# a `story_merges` row into the story its last document went to, so its id is never reused
# and still resolves.
_CREATE_V5 = (
    """CREATE TABLE story_moves (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        from_story TEXT NOT NULL REFERENCES stories (id),
        into_story TEXT NOT NULL REFERENCES stories (id),
        run_id INTEGER REFERENCES runs (id),
        moved_at TEXT NOT NULL
    )""",
    "CREATE INDEX story_moves_doc ON story_moves (doc_id)",
)

# Every text embedded at report time (claim and quote clauses, event clauses, words, check's
# sentences), kept so that a story reported again, or grown by one article, embeds only what
# is new. Keyed by the text (SHA-256 of its UTF-8 bytes), not by a document: nothing here needs
# deleting with a document, and a text two documents share is stored once. float32, as the
# model gives it, so a vector read back is the vector computed.
_CREATE_V6 = (
    """CREATE TABLE text_embeddings (
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    )""",
)

# Issue 14: the story-level analysis, computed when a story changes and read back by reports,
# pages and the API. `key` says what it was computed over (members, settings, format): a
# story whose key no longer matches is stale. `analysis` is zlib-compressed JSON of
# `rashomon.store.values` in layout `format`. Entities are also kept as rows, for the corpus-wide
# entity list. An undated document's date, inferred once its story was known, is kept apart
# from its own (empty) date, which story grouping reads.
_CREATE_V7 = (
    """CREATE TABLE story_analyses (
        story_id TEXT PRIMARY KEY REFERENCES stories (id),
        key TEXT NOT NULL,
        format TEXT NOT NULL,
        run_id INTEGER REFERENCES runs (id),
        made_at TEXT NOT NULL,
        analysis BLOB NOT NULL
    )""",
    """CREATE TABLE story_entities (
        story_id TEXT NOT NULL REFERENCES stories (id),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        documents INTEGER NOT NULL,
        outlets TEXT NOT NULL,
        PRIMARY KEY (story_id, seq)
    )""",
    """CREATE TABLE document_dates (
        doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        published TEXT NOT NULL,
        inferred INTEGER NOT NULL CHECK (inferred IN (0, 1)),
        run_id INTEGER REFERENCES runs (id)
    )""",
)

# What was computed but not kept: why a speaker is uncertain (shown beside "speaker uncertain")
# and the encoding an input's bytes were decoded with. NULL in rows stored before.
_CREATE_V8 = (
    "ALTER TABLE attributions ADD COLUMN speaker_reason TEXT",
    "ALTER TABLE documents ADD COLUMN encoding TEXT",
)

# A story's JSON report (`rashomon.render.stored`), written with its analysis, so that
# `rashomon report ID --json` prints it without reading the analysis back into objects.
# `report_format` names the code that wrote it: a report written by other code is not read.
# zlib-compressed UTF-8 text; NULL in analyses stored before, or when it could not be written.
_CREATE_V9 = (
    "ALTER TABLE story_analyses ADD COLUMN report BLOB",
    "ALTER TABLE story_analyses ADD COLUMN report_format TEXT",
)

# The statements of each migration, in SQLite's words; migration n (counting from 1) takes a
# store from schema version n - 1 to n. The PostgreSQL backend runs the same statements, with
# SQLite's types spelled as PostgreSQL's (`rashomon.store.postgres`).
STEPS: tuple[tuple[str, ...], ...] = (
    _CREATE_V1, _CREATE_V2, _CREATE_V3, _CREATE_V4, _CREATE_V5, _CREATE_V6, _CREATE_V7,
    _CREATE_V8, _CREATE_V9,
)

MIGRATIONS: tuple[Migration, ...] = tuple(_statements(step) for step in STEPS)
