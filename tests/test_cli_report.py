"""`rashomon report`: stored stories shown again, nothing analysed; and the commands that read
a store refusing a path that names none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import cli

BRIDGE = """Bridge Closure Leaves Commuters Stranded in Velmora

Velmora, May 4, 2026 – Transport Minister Ana Kovalenko ordered the Lindqvist Bridge closed on Monday after inspectors found cracks in two of its steel cables.
"The odds are good that the bridge can reopen by the end of the month," Kovalenko said.
"Nobody who has seen those cables believes a word of it," union leader Piet Maas told reporters.
"""

FESTIVAL = """Orchard Festival Cancelled After Frost

The annual cherry festival in the hill town of Dornach was cancelled on Friday after a late frost destroyed most of the blossom.
"It breaks my heart, but there is simply no fruit to celebrate this year," festival director Lena Ostrova said.
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A store holding two stories, and the JSON report `analyze` printed for them."""
    folder = tmp_path_factory.mktemp("report")
    for name, text in (("bridge.txt", BRIDGE), ("festival.txt", FESTIVAL)):
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "r.db"
    code, out, err = invoke("analyze", str(folder), "--db", str(db), "--json", "--quiet",
                            "--published", "2026-05-04")
    assert code == 0, err
    return db, json.loads(out)


@pytest.mark.slow
def test_cli_report_prints_stored_stories_as_analyze_did(
    analysed: tuple[Path, dict[str, object]]
) -> None:
    db, first = analysed
    ids = [s["id"] for s in first["stories"]]  # type: ignore[attr-defined]
    code, out, err = invoke("report", *ids, "--db", str(db), "--json")
    assert code == 0 and err == ""  # nothing stale, nothing analysed again
    assert json.loads(out) == first


@pytest.mark.slow
def test_cli_report_titles_a_story_as_the_list_does(
    analysed: tuple[Path, dict[str, object]]
) -> None:
    db, first = analysed
    code, out, _ = invoke("stories", "--db", str(db), "--json")
    listed = {s["id"]: s["title"] for s in json.loads(out)["stories"]}
    assert listed == {s["id"]: s["title"] for s in first["stories"]}  # type: ignore[attr-defined]


@pytest.mark.slow
def test_cli_report_unknown_story_is_one_line(analysed: tuple[Path, dict[str, object]]) -> None:
    db, first = analysed
    known = first["stories"][0]["id"]  # type: ignore[index]
    code, out, err = invoke("report", "s9999", "--db", str(db))
    assert code == 3 and out == ""
    assert err.strip().splitlines() == [f"error: no story s9999 in {db}; `rashomon stories` lists them"]
    code, out, err = invoke("report", known, "s9999", "--db", str(db), "--json")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert [s["id"] for s in json.loads(out)["stories"]] == [known]


@pytest.mark.slow
def test_cli_report_out_to_an_unwritable_place_is_one_line(
    analysed: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    db, first = analysed
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory", encoding="utf-8")
    target = a_file / "report.md"
    code, _, err = invoke("report", first["stories"][0]["id"], "--db", str(db),  # type: ignore[index]
                          "--out", str(target), "--quiet")
    assert code == 3
    (line,) = err.strip().splitlines()  # one line, no traceback
    assert line.startswith(f"error: cannot write the report to {target}: ")


@pytest.mark.parametrize("command", [["report", "s0001"], ["serve"], ["stories"], ["check", "x y"]])
def test_cli_reading_commands_refuse_a_missing_store(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "nope.db"
    code, _, err = invoke(*command, "--db", str(db))
    assert code == 3
    assert err.strip().splitlines() == [
        f"error: no store at {db}; add documents with `rashomon ingest`"]
    assert not db.exists()
