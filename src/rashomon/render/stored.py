"""A story's JSON report kept with its stored analysis, and read back as text.

`rashomon report ID --json` of one story used to read the stored analysis back into objects
(some 70,000 on a large story) only to render them as the text the ingest could have written
once. The story-level stage now renders that text (`for_store`) as it stores the analysis, in
the same transaction; a report of one story prints it (`read`) when it was written for the
analysis the story has now, by code that writes what this code would: the same text,
character for character, without building an object. Anything else (several stories, a stale
analysis, a report written by other code or never written) renders the analysis as before.

`report_format()` names the code that writes the text: rashomon's version, orjson's, and the
source of the modules whose code shapes it. A store written by other code keeps its reports
unread until they are written again: by the next analysis of their story, or by the first
report of that story (`keep`), which renders it from the analysis anyway.

This module imports none of the renderer until it renders: reading a report needs the store
and the story-level stage's keys only.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.store import StoredReport

if TYPE_CHECKING:
    from rashomon.model import Analysis
    from rashomon.settings import Settings
    from rashomon.store import Store

__all__ = ["current_key", "for_store", "keep", "read", "report_format"]

_log = logging.getLogger(__name__)

# The modules whose code decides the text `render.dumps` writes for a stored analysis, from
# the package's folder: the JSON report, the spans' words, the documents' lookup, the model.
SHAPING_SOURCES = ("render/json.py", "render/_views.py", "story_view.py", "model.py")


@functools.cache
def report_format() -> str:
    """A short hash of what shapes the report's text: versions and the shaping sources."""
    import orjson

    import rashomon

    package = Path(rashomon.__file__).parent
    digest = hashlib.sha256()
    for part in (rashomon.__version__, orjson.__version__):
        digest.update(part.encode("utf-8") + b"\x00")
    for name in SHAPING_SOURCES:
        digest.update((package / name).read_bytes() + b"\x00")
    return digest.hexdigest()[:16]


def for_store(analysis: Analysis) -> StoredReport | None:
    """One story's analysis as the JSON report `render.dumps` writes, to keep with it; None
    when it cannot be rendered: the analysis is stored all the same, and reading its report
    renders it then, failing as it always did (an annotation outside its document is named)."""
    from rashomon.render.json import dumps

    try:
        return StoredReport(report_format(), dumps(analysis))
    except ValueError:
        return None
    except Exception:  # noqa: BLE001 - a bug in rendering must not cost the story its analysis
        story = analysis.stories[0].id if analysis.stories else "?"
        _log.warning("story %s: its JSON report could not be rendered to keep", story,
                     exc_info=True)
        return None


def current_key(store: Store, story_id: str, settings: Settings) -> str:
    """The key of the analysis the story has now (`story_stage.analysis_key`)."""
    from rashomon.story_stage import analysis_key, settings_part

    return analysis_key(store.story_documents(story_id), settings_part(settings))


def read(store: Store, story_id: str, key: str) -> str | None:
    """The JSON report kept with the story's analysis of `key` (`current_key`), when it was
    written by code like this; else None."""
    stored = store.load_story_report(story_id, key)
    return stored.text if stored is not None and stored.format == report_format() else None


def keep(store: Store, story_id: str, key: str, text: str) -> None:
    """Keep `text`, the report rendered from the story's analysis of `key`, with that analysis,
    so that the next report of the story reads it. `key` is the one asked for before that
    analysis was read: when the story changed since, nothing is kept (its new analysis, and
    the report kept with it, are never overwritten with this one)."""
    store.put_story_report(story_id, key, StoredReport(report_format(), text))
