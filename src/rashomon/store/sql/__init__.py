"""The storage shared by the SQL backends, one module per kind of row.

`SQLStore` puts them together; a backend (`rashomon.store.sqlite`, `rashomon.store.postgres`)
adds its connection, transactions, migrations and the few words its dialect spells its own way.
"""

from __future__ import annotations

from rashomon.store.sql.analyses import AnalysesSQL
from rashomon.store.sql.connection import Conflict, Cursor, SQLBase
from rashomon.store.sql.documents import DocumentsSQL
from rashomon.store.sql.features import FeaturesSQL
from rashomon.store.sql.stories import StoriesSQL

__all__ = ["Conflict", "Cursor", "SQLBase", "SQLStore"]


class SQLStore(DocumentsSQL, StoriesSQL, FeaturesSQL, AnalysesSQL):
    """Every storage method of `Store`, in SQL; the connection is the subclass's."""
