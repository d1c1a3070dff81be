"""Invented articles and helpers shared by the `rashomon serve` tests.

Three outlets tell one story and disagree: the Velmora Herald reports the mayor saying the rail
tunnel is flooded, the Kestrel Times quotes the operator saying it is not, the Port Veyra
Ledger reports the operator denying it. A second story (a bakery fair) is there for the list's
search and sort, and a third is hostile: markup and script in its text.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rashomon.serve.server import free_port, running  # noqa: F401 - for the serve tests

TUNNEL = [
    {
        "outlet": "Velmora Herald", "published": "2026-05-12",
        "title": "Velmora Rail Tunnel Flooded After Storm, Mayor Says",
        "text": (
            "Velmora Rail Tunnel Flooded After Storm, Mayor Says\n\n"
            "Velmora Mayor Ana Silva said on Monday that the Velmora rail tunnel was flooded "
            "after the weekend storm. \"The tunnel is completely flooded and no train will run "
            "through it this week,\" Silva told reporters at the town hall.\n\n"
            "The tunnel carries the Norrow Lines service between Velmora and Port Veyra. Silva "
            "said the town would open a shelter for stranded passengers at the Velmora "
            "library.\n"),
    },
    {
        "outlet": "Kestrel Times", "published": "2026-05-12",
        "title": "Norrow Lines Says Velmora Tunnel Is Dry and Trains Are Running",
        "text": (
            "Norrow Lines Says Velmora Tunnel Is Dry and Trains Are Running\n\n"
            "The rail operator Norrow Lines said on Monday that trains were running normally "
            "through the Velmora tunnel after the weekend storm. \"The tunnel is not flooded "
            "and every train is running on time,\" said Teodor Brannik, a spokesman for Norrow "
            "Lines.\n\n"
            "Brannik said engineers had inspected the tunnel on Sunday night. Velmora Mayor Ana "
            "Silva had earlier warned of flooding.\n"),
    },
    {
        "outlet": "Port Veyra Ledger", "published": "2026-05-13",
        "title": "Rail Operator Denies Velmora Tunnel Flooding",
        "text": (
            "Rail Operator Denies Velmora Tunnel Flooding\n\n"
            "Norrow Lines on Tuesday denied that the Velmora rail tunnel had flooded, a day "
            "after Mayor Ana Silva said it was under water. Spokesman Teodor Brannik dismissed "
            "the mayor's claim and said engineers had found only a few puddles.\n\n"
            "Silva said she stood by her account. \"I saw the water with my own eyes,\" she "
            "said.\n"),
    },
]

BAKERY = {
    "outlet": "Orchard Weekly", "published": "2026-04-02",
    "title": "Hollin Bakery Fair Draws Record Crowd",
    "text": (
        "Hollin Bakery Fair Draws Record Crowd\n\n"
        "The Hollin bakery fair drew more than four thousand visitors on Saturday, the "
        "organisers said. \"We ran out of rye bread by noon,\" said baker Mirela Quast, who has "
        "sold at the fair for eleven years. The fair returns to the Hollin market square next "
        "spring.\n"),
}

# Markup a stranger could put in an article: each would run or load something if a page
# rendered it as HTML instead of text.
HOSTILE_TITLE = "Harbour Choir Wins Prize <script>window.__pwned = 'title'</script>"
HOSTILE = {
    "outlet": "Gull Street Gazette <b onmouseover=\"window.__pwned='outlet'\">x</b>",
    "published": "2026-03-07",
    "title": HOSTILE_TITLE,
    "text": (
        f"{HOSTILE_TITLE}\n\n"
        "The Port Veyra harbour choir won the regional singing prize on Saturday evening. "
        "<img src=x onerror=\"window.__pwned='img'\"> \"We sang our hearts out and the judges "
        "heard it <script>window.__pwned='quote'</script>,\" said choir director Lina Ostrova. "
        "Tickets for the winners' concert are sold at <a href=\"javascript:window.__pwned="
        "'link'\">the box office</a> on Gull Street.\n\n"
        "Ostrova said the choir would sing at the harbour festival in June. "
        "<svg onload=\"window.__pwned='svg'\"></svg>\n"),
}


def write_records(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def corpus_store() -> str:
    """A store filled through the real pipeline with the invented stories, once per process.

    Read-only for the tests that share it: a test that adds documents makes its own store.
    """
    import atexit
    import shutil
    import tempfile

    from rashomon import pipeline
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="rashomon-serve-test-"))
    atexit.register(shutil.rmtree, folder, True)
    inputs = write_records(folder / "corpus.jsonl", [*TUNNEL, BAKERY, HOSTILE])
    db = str(folder / "corpus.db")
    with open_store(db) as store:
        result = pipeline.ingest([str(inputs)], store=store, settings=load_settings())
    assert not result.failures, result.failures
    return db


def story_id_with(db: str, title_word: str) -> str:
    from rashomon.store import open_store

    with open_store(db) as store:
        return next(r.id for r in store.list_stories() if title_word in (r.title or ""))


