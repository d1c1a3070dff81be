"""End-to-end: the `rashomon` command on small articles written for these tests, real models."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import cli

pytestmark = pytest.mark.slow

ARTICLE_A = """Bridge Closure Leaves Commuters Stranded in Velmora

Velmora, May 4, 2026 – Transport Minister Ana Kovalenko ordered the Lindqvist Bridge closed on Monday after inspectors found cracks in two of its steel cables.
"We had careful and thorough inspections of the whole structure yesterday, and the odds are good that the bridge can reopen by the end of the month," Kovalenko said in a statement posted on Telegram.
The city's largest union disputed the timeline. "Nobody who has seen those cables believes a word of it," union leader Piet Maas told reporters.
"""

ARTICLE_B = """Velmora Bridge Shut After Cable Cracks Found

The Lindqvist Bridge in Velmora will stay closed while engineers examine cracked steel cables, Transport Minister Ana Kovalenko said on Monday.
"There is a great chance the bridge can finally reopen by the end of the month," Kovalenko wrote in a Facebook post.
Commuters faced hour-long detours as ferries added extra crossings across the river.
"""

UNRELATED = """Orchard Festival Cancelled After Frost

The annual cherry festival in the hill town of Dornach was cancelled on Friday after a late frost destroyed most of the blossom.
"It breaks my heart, but there is simply no fruit to celebrate this year," festival director Lena Ostrova said.
"""


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "a.meta.json").write_text(json.dumps({"outlet": "Velmora Daily"}), encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "b.meta.json").write_text(
        json.dumps({"outlet": "River Post", "published": "2026-05-04"}), encoding="utf-8")
    (folder / "c.txt").write_text(UNRELATED, encoding="utf-8")
    return folder


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["analyze", "--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_help_documents_commands_and_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "analyze" in result.output and "Exit codes" in result.output
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--json", "--out", "--outlet", "--published", "--quiet"):
        assert option in result.output


def test_cli_python_dash_m_works() -> None:
    done = subprocess.run([sys.executable, "-m", "rashomon", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "analyze" in done.stdout


@pytest.mark.parametrize("args", [["--no-such-option", "x.txt"], []])
def test_cli_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", *args])
    assert result.exit_code == 2
    assert "Try 'rashomon analyze --help'" in result.stderr or "Try" in result.output


def test_cli_analyze_groups_two_outlets_and_pairs_the_reworded_quote(articles: Path, tmp_path: Path) -> None:
    code, out, err = run(str(articles / "a.txt"), str(articles / "b.txt"), "--json", "--quiet",
                         db=tmp_path / "r.db")
    assert code == 0, err
    report = json.loads(out)
    from rashomon.render import validate

    validate(report)
    assert len(report["documents"]) == 2
    assert len(report["stories"]) == 1
    assert {d["outlet"] for d in report["documents"]} == {"Velmora Daily", "River Post"}
    texts = {d["id"]: d["text"] for d in report["documents"]}
    for attribution in report["attributions"]:
        content = attribution["content"]
        assert texts[attribution["document"]][content["start"]:content["end"]] == content["text"]
    kovalenko = [a for a in report["attributions"] if "Kovalenko" in (a["speaker"]["name"] or "")]
    assert len({a["document"] for a in kovalenko}) == 2
    variants = [r for r in report["relations"] if r["kind"] == "quote_variant"]
    assert any({a["id"] for a in kovalenko} & set(r["members"]) for r in variants)
    assert any(r["kind"] == "medium_divergence" for r in report["relations"])


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


def test_cli_analyze_again_changes_nothing(articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    first = run(str(articles), "--json", "--quiet", db=db)
    before = _dump(db)
    second = run(str(articles), "--json", "--quiet", db=db)
    assert first[0] == second[0] == 0
    assert _dump(db) == before
    assert json.loads(first[1]) == json.loads(second[1])
    report = json.loads(second[1])
    assert len(report["stories"]) == 2  # the bridge and the festival


def test_cli_bad_inputs_are_named_and_the_rest_analysed(articles: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(str(articles / "c.txt"), str(tmp_path / "missing.txt"), str(empty),
                         "--json", "--quiet", db=tmp_path / "r.db")
    assert code == 1
    assert "missing.txt" in err and "empty.txt" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 2
    assert len(json.loads(out)["documents"]) == 1


def test_cli_every_input_failing_exits_3(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.txt"), "--quiet", db=tmp_path / "r.db")
    assert code == 3
    assert "nope.txt" in err


def test_cli_document_over_the_size_cap_is_refused(articles: Path, tmp_path: Path) -> None:
    code, _, err = run(str(articles / "a.txt"), "--max-document-bytes", "100", "--quiet",
                       db=tmp_path / "r.db")
    assert code == 3
    assert "a.txt" in err and "max_document_bytes" in err


def test_cli_out_writes_markdown_and_refuses_other_suffixes(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    code, _, err = run(str(articles / "c.txt"), "--out", str(out), "--quiet", db=tmp_path / "r.db")
    assert code == 0, err
    assert "Lena Ostrova" in out.read_text(encoding="utf-8")
    # written through a private temporary file, but readable as any new file of the user's
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    code, _, _ = run(str(articles / "c.txt"), "--out", str(tmp_path / "r.pdf"), db=tmp_path / "r.db")
    assert code == 2


def test_cli_unusable_store_exits_3(articles: Path, tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("this is not a database", encoding="utf-8")
    code, _, err = run(str(articles / "c.txt"), "--quiet", db=not_a_db)
    assert code == 3
    assert "notes.db" in err


def test_cli_reads_standard_input_with_outlet_and_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["analyze", "--db", str(tmp_path / "r.db"), "-", "--outlet", "Hill Herald",
              "--published", "2026-04-10", "--json", "--quiet"],
        input=UNRELATED.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    (document,) = json.loads(result.stdout)["documents"]
    assert (document["source"], document["outlet"], document["published"]) == (
        "-", "Hill Herald", "2026-04-10")


def test_cli_bad_published_date_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", "x.txt", "--published", "10/04/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


PAGE = """<!doctype html><html><head><title>Bridge Closure Leaves Commuters Stranded</title>
<meta property="og:site_name" content="Velmora Daily">
<meta name="date" content="2026-05-04"></head>
<body><nav>Home | World | Sport</nav><article><h1>Bridge Closure Leaves Commuters Stranded</h1>
<p>Transport Minister Ana Kovalenko ordered the Lindqvist Bridge closed on Monday after
inspectors found cracks in two of its steel cables.</p>
<p>"There is a great chance the bridge can reopen by the end of the month," Kovalenko said.</p>
<p>Commuters faced hour-long detours as ferries added extra crossings across the river.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


@pytest.fixture
def web_page():  # type: ignore[no-untyped-def]
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path != "/bridge.html":
                self.send_error(404)
                return
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_cli_analyzes_a_page_from_a_url_and_names_a_url_that_fails(web_page: str, tmp_path: Path) -> None:
    code, out, err = run(f"{web_page}/bridge.html", f"{web_page}/missing.html", "--json", "--quiet",
                         db=tmp_path / "r.db")
    assert code == 1
    assert "missing.html" in err and "404" in err
    (document,) = json.loads(out)["documents"]
    assert document["outlet"] == "Velmora Daily"
    assert document["title"] == "Bridge Closure Leaves Commuters Stranded"
    assert "Subscribe" not in document["text"] and "Home | World" not in document["text"]
    quotes = [a for a in json.loads(out)["attributions"] if a["kind"] == "direct"]
    assert quotes and "Kovalenko" in quotes[0]["speaker"]["name"]


def test_cli_article_not_in_english_is_skipped_with_a_reason(articles: Path, tmp_path: Path) -> None:
    french = tmp_path / "fr.txt"
    french.write_text(
        "Le ministre des Transports a ordonné lundi la fermeture du pont après la découverte de "
        "fissures dans deux de ses câbles. Les usagers ont dû faire de longs détours pendant que "
        "les bacs ajoutaient des traversées supplémentaires sur le fleuve.", encoding="utf-8")
    code, out, err = run(str(articles / "c.txt"), str(french), "--json", "--quiet", db=tmp_path / "r.db")
    assert code == 1
    assert "fr.txt" in err and "English" in err
    assert len(json.loads(out)["documents"]) == 1
