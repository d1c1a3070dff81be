"""Exit codes (issue 18): a bug is exit 4 with one line asking for a report, never exit 1 (which
says "some inputs failed") and never a traceback unless asked for; every code is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rashomon import cli as cli_module
from rashomon.cli import EXIT_INTERNAL_ERROR, cli

DOCS = Path(__file__).resolve().parents[1] / "docs" / "failure-modes.md"


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("an invented bug")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("The minister said on Thursday that the ferry would run again.",
                    encoding="utf-8")
    return path


@pytest.fixture
def broken_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    # the only stand-in of these tests: a bug cannot be had on purpose from the real code
    from rashomon import pipeline

    monkeypatch.setattr(pipeline, "ingest", _broken)
    monkeypatch.delenv("RASHOMON_DEBUG", raising=False)


@pytest.mark.usefixtures("broken_pipeline")
def test_cli_internal_error_is_exit_4_with_one_line(article: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(article), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == EXIT_INTERNAL_ERROR == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("internal error: RuntimeError: an invented bug")
    assert "please report it" in lines[0] and "--debug" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("broken_pipeline")
@pytest.mark.parametrize(("args", "env"), [(["--debug"], {}), ([], {"RASHOMON_DEBUG": "1"})])
def test_cli_internal_error_traceback_on_request(
    article: Path, tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        cli, [*args, "ingest", str(article), "--db", str(tmp_path / "s.db")], env=env)
    assert result.exit_code == 4
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: an invented bug" in result.stderr


def test_cli_every_exit_code_is_documented() -> None:
    codes = {int(c) for c in re.findall(r"^  (\d+) ", cli_module.__doc__ or "", re.MULTILINE)}
    assert codes == {0, 1, 2, 3, 4, 130}
    help_text = CliRunner().invoke(cli, ["--help"]).output
    page = DOCS.read_text(encoding="utf-8")
    for code in codes:
        assert re.search(rf"\b{code}\b", help_text), f"exit code {code} not in --help"
        assert re.search(rf"^\| `?{code}`? \|", page, re.MULTILINE), f"{code} not in {DOCS.name}"


@pytest.mark.slow
def test_cli_report_that_cannot_be_written_is_exit_3(article: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the report's folder should be", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(article), "--db", str(tmp_path / "s.db"),
                                      "--quiet", "--out", str(blocker / "report.md")])
    assert result.exit_code == 3
    # one line naming the report that could not be written and why (the store of record's
    # `--out` handling words it); no traceback
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write the report to {blocker / 'report.md'}: File exists"]
