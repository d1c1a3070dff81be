"""`rashomon ingest` and `rashomon stories` on small articles written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import cli

pytestmark = pytest.mark.slow

BRIDGE_A = """Bridge Closure Leaves Commuters Stranded in Velmora

Velmora, May 4, 2026 – Transport Minister Ana Kovalenko ordered the Lindqvist Bridge closed on Monday after inspectors found cracks in two of its steel cables.
"The odds are good that the bridge can reopen by the end of the month," Kovalenko said in a statement posted on Telegram.
The city's largest union disputed the timeline. "Nobody who has seen those cables believes a word of it," union leader Piet Maas told reporters.
"""

BRIDGE_B = """Velmora Bridge Shut After Cable Cracks Found

The Lindqvist Bridge in Velmora will stay closed while engineers examine cracked steel cables, Transport Minister Ana Kovalenko said on Monday.
"There is a great chance the bridge can finally reopen by the end of the month," Kovalenko wrote in a Facebook post.
Commuters faced hour-long detours as ferries crossed the river to Velmora and union leader Piet Maas criticised the closure.
"""

# BRIDGE_A syndicated: a new headline, the same body
BRIDGE_COPY = BRIDGE_A.replace("Bridge Closure Leaves Commuters Stranded in Velmora",
                               "Velmora Commuters Stranded as Bridge Closes")

FESTIVAL = """Orchard Festival Cancelled After Frost

The annual cherry festival in the hill town of Dornach was cancelled on Friday after a late frost destroyed most of the blossom.
"It breaks my heart, but there is simply no fruit to celebrate this year," festival director Lena Ostrova said.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def stories_json(db: Path) -> list[dict[str, object]]:
    code, out, _ = invoke("stories", "--db", str(db), "--json")
    assert code == 0
    stories: list[dict[str, object]] = json.loads(out)["stories"]
    return stories


def test_cli_stories_help_documents_both_commands() -> None:
    for command, options in (("ingest", ("--db", "--config", "--json", "--outlet")),
                             ("stories", ("--db", "--config", "--json"))):
        code, out, _ = invoke(command, "--help")
        assert code == 0
        assert all(option in out for option in options)


def test_cli_ingest_groups_marks_copies_and_lists_stories(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = [_write(folder, n, t) for n, t in
             (("a.txt", BRIDGE_A), ("b.txt", BRIDGE_B), ("copy.txt", BRIDGE_COPY),
              ("festival.txt", FESTIVAL))]
    db = tmp_path / "r.db"
    code, out, _ = invoke("ingest", "--db", str(db), "--json", *map(str, paths))
    assert code == 0
    summary = json.loads(out)
    assert summary["added"] == 4
    sizes = sorted(story["size"] for story in summary["stories"])
    assert sizes == [1, 3]
    bridge = next(s for s in summary["stories"] if s["size"] == 3)
    assert len(bridge["near_duplicates"]) == 1
    listed = stories_json(db)
    assert sorted(s["size"] for s in listed) == [1, 3]
    code, out, _ = invoke("stories", "--db", str(db))
    assert code == 0 and "3 docs" in out


def test_cli_ingest_again_changes_nothing_and_ids_stay_stable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    a, b = _write(folder, "a.txt", BRIDGE_A), _write(folder, "b.txt", BRIDGE_B)
    db = tmp_path / "r.db"
    assert invoke("ingest", "--db", str(db), str(a))[0] == 0
    [first] = stories_json(db)
    assert first["size"] == 1
    # the story grows and keeps its id
    code, out, _ = invoke("ingest", "--db", str(db), str(b))
    assert code == 0 and str(first["id"]) in out
    [grown] = stories_json(db)
    assert grown["id"] == first["id"] and grown["size"] == 2
    # the same files again: nothing added, nothing moved
    code, out, _ = invoke("ingest", "--db", str(db), "--json", str(a), str(b))
    assert code == 0 and json.loads(out)["added"] == 0
    assert stories_json(db) == [grown]


def test_cli_ingest_bad_inputs_are_named_and_the_rest_stored(tmp_path: Path) -> None:
    good = _write(tmp_path / "in", "a.txt", BRIDGE_A)
    empty = _write(tmp_path / "in", "empty.txt", "")
    db = tmp_path / "r.db"
    code, _, err = invoke("ingest", "--db", str(db), str(good), str(empty),
                          str(tmp_path / "missing.txt"))
    assert code == 1
    assert "missing.txt" in err and "empty.txt" in err
    assert len(stories_json(db)) == 1
    code, _, err = invoke("ingest", "--db", str(db), str(tmp_path / "missing.txt"))
    assert code == 3


def test_cli_ingest_usage_and_store_errors(tmp_path: Path) -> None:
    assert invoke("ingest")[0] == 2
    good = _write(tmp_path / "in", "a.txt", BRIDGE_A)
    code, _, err = invoke("ingest", "--db", str(tmp_path), str(good))  # a directory
    assert code == 3 and "error:" in err and "Traceback" not in err


def test_cli_stories_on_a_missing_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    code, _, err = invoke("stories", "--db", str(db))
    assert code == 3 and "no store" in err
    assert not db.exists()


def test_cli_stories_history_says_what_moved_and_when(tmp_path: Path) -> None:
    from rashomon.model import Document, OffsetMap, document_id
    from rashomon.store import SQLiteStore

    db = tmp_path / "r.db"
    with SQLiteStore(db) as store:
        documents = []
        for n, text in enumerate(("Pilots struck in Port Veyra.", "Ferries stopped at Dunmere.",
                                  "Pilots and ferries idle.")):
            key = f"{n}.txt"
            documents.append(Document(id=document_id(key, text), source=key, source_key=key,
                                      text=text, raw_text=text, title=f"Story {n}",
                                      offsets=OffsetMap(((0, 0, len(text)),))))
            store.put_document(documents[-1])
        strike = store.create_story("Story 0", [documents[0].id, documents[2].id])
        ferries = store.create_story("Story 1", [documents[1].id])
        store.move_document(documents[2].id, ferries)
    code, out, _ = invoke("stories", "--db", str(db), "--history")
    assert code == 0
    assert f"moved {documents[2].id}: {strike} -> {ferries}" in out
    code, out, _ = invoke("stories", "--db", str(db), "--json", "--history")
    [event] = json.loads(out)["history"]
    assert (event["kind"], event["document"], event["from"], event["into"]) == (
        "move", documents[2].id, strike, ferries)
    assert event["at"].startswith("20")
    # without the flag, the listing is as it was
    assert "history" not in json.loads(invoke("stories", "--db", str(db), "--json")[1])


def test_cli_stories_history_with_nothing_recorded_says_so(tmp_path: Path) -> None:
    from rashomon.model import Document, OffsetMap, document_id
    from rashomon.store import SQLiteStore

    db = tmp_path / "r.db"
    text = "Pilots struck in Port Veyra."
    with SQLiteStore(db) as store:
        document = Document(id=document_id("a.txt", text), source="a.txt", source_key="a.txt",
                            text=text, raw_text=text, title="Strike",
                            offsets=OffsetMap(((0, 0, len(text)),)))
        store.put_document(document)
        store.create_story("Strike", [document.id])
    code, out, _ = invoke("stories", "--db", str(db), "--history")
    assert code == 0 and "no merges or moves recorded" in out
    code, out, _ = invoke("stories", "--db", str(db), "--json", "--history")
    assert json.loads(out)["history"] == []


def test_cli_ingest_one_document_raising_fails_alone(tmp_path: Path, monkeypatch) -> None:
    from rashomon import attribution

    real = attribution.extract_attributions

    def broken_on_festival(document, parsed, mentions):  # type: ignore[no-untyped-def]
        if "Dornach" in document.text:  # a rule's bug on one odd article
            raise IndexError("list index out of range")
        return real(document, parsed, mentions)

    monkeypatch.setattr(attribution, "extract_attributions", broken_on_festival)
    folder = tmp_path / "in"
    _write(folder, "a.txt", BRIDGE_A)
    _write(folder, "festival.txt", FESTIVAL)
    _write(folder, "b.txt", BRIDGE_B)
    db = tmp_path / "r.db"
    code, out, err = invoke("ingest", str(folder), "--db", str(db), "--published", "2026-05-04")
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "festival.txt" in lines[0] and "IndexError" in lines[0]
    assert "2 added" in out
    assert sum(s["size"] for s in stories_json(db)) == 2  # type: ignore[misc]
