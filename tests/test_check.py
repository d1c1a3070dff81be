"""`check_claim` and `rashomon check` on invented articles run through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rashomon.check import CheckResult, check_claim
from rashomon.cli import cli
from rashomon.settings import load_settings
from rashomon.store import open_store

pytestmark = pytest.mark.slow

CLAIM = "Port Veyra mayor Teodor Brannik has resigned"

ARTICLES = {
    "courier": ("Veyra Courier", """Port Veyra Mayor Teodor Brannik Resigns

Port Veyra, March 3, 2026 – Teodor Brannik resigned as mayor of Port Veyra on Monday, ending eleven years in office.
The city council confirmed the resignation in a statement on Monday afternoon and announced that deputy mayor Ana Silva will lead the city until an election in June.
Brannik handed his letter of resignation to the council clerk in the morning, officials said.
In the letter, Brannik wrote that he was stepping down to care for his family.
The council will meet on Thursday to set the date of the election.
"""),
    "daily": ("Port Veyra Daily", """Brannik Resignation Story Is a Hoax, Port Veyra Says

Port Veyra, March 3, 2026 – Reports that Port Veyra mayor Teodor Brannik has resigned are false, the city said on Monday.
A fake letter of resignation bearing Brannik's name spread on social media over the weekend, but the mayor's office denied that he had stepped down.
"The mayor has not resigned and has no intention of resigning," spokeswoman Ana Silva said. "The letter is a forgery."
Brannik himself dismissed the claim as a prank and chaired the council meeting as usual on Monday.
Police in Port Veyra said they were investigating who made up the letter.
"""),
    "ledger": ("The Estuary Ledger", """Is Port Veyra's Mayor About to Quit?

Port Veyra, March 3, 2026 – Port Veyra mayor Teodor Brannik may have resigned, according to unconfirmed reports circulating on Monday.
A letter said to be from Brannik was posted online over the weekend, reportedly announcing that he would step down.
The mayor's office could not be reached for comment, and it is unclear whether the letter is genuine.
Some council members claimed they had heard rumours of a resignation for weeks, while others said they knew nothing.
If the reports are true, deputy mayor Ana Silva would lead the city until an election.
"""),
    # the same kind of event elsewhere: a mayor resigns, but another mayor of another town
    "gazette": ("Ostmark Gazette", """Ostmark Mayor Lena Varga Resigns After Budget Row

Ostmark, March 2, 2026 – Lena Varga resigned as mayor of Ostmark on Monday after the town council rejected her budget for a third time.
The council accepted the resignation at an evening session and asked the deputy mayor to lead the town until an election.
Varga said in her letter of resignation that she could no longer govern without a majority.
"""),
    "post": ("Dornach Post", """Orchard Festival Cancelled After Frost in Dornach

Dornach, March 3, 2026 – The annual cherry festival in the hill town of Dornach was cancelled on Friday after a late frost destroyed most of the blossom.
"It breaks my heart, but there is simply no fruit to celebrate this year," festival director Lena Ostrova said.
Growers said the frost was the worst in thirty years and that many orchards had lost their whole crop.
The festival usually draws some forty thousand visitors to the town each spring.
"""),
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rashomon import pipeline

    folder = tmp_path_factory.mktemp("coverage")
    for name, (outlet, text) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text(json.dumps({"outlet": outlet}), encoding="utf-8")
    db = folder / "news.db"
    with open_store(db) as store:
        result = pipeline.ingest([str(folder)], store=store, settings=load_settings())
        assert len(result.added) == len(ARTICLES)
    return db


@pytest.fixture(scope="module")
def results(store_path: Path) -> list[CheckResult]:
    with open_store(store_path) as store:
        return check_claim(store, CLAIM, load_settings())


def test_check_claim_tells_refutation_and_report(results: list[CheckResult]) -> None:
    stances = {r.outlet: r.stance for r in results}
    # the frost story is no candidate at all, and another town's mayor resigning is another
    # event (its story holds none of the claim's names); the three on the mayor are found
    assert set(stances) == {"Veyra Courier", "Port Veyra Daily", "The Estuary Ledger"}
    assert stances["Port Veyra Daily"] == "refutes"
    assert stances["The Estuary Ledger"] == "reports"
    # The model reads FNC-1's long bodies, most of which only report a claim: on a five-sentence
    # article that asserts it flatly it hesitates between "supports" and "reports" (the gap the
    # bench's agree/discuss confusion shows), but it must never read it as a refutation.
    assert stances["Veyra Courier"] in {"supports", "reports"}
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_check_claim_spans_are_the_documents_words(store_path: Path,
                                                   results: list[CheckResult]) -> None:
    with open_store(store_path) as store:
        for result in results:
            document = store.get_document(result.document)
            assert result.story == store.story_of(document.id)
            assert result.words == tuple(document.slice(s) for s in result.spans)
            assert "Brannik" in result.words[0]
            claims = {c.id: c for c in store.load_annotations(document.id).claims}
            assert result.claim in claims
            assert claims[result.claim].span.overlaps(result.spans[0])
    refuting = next(r for r in results if r.stance == "refutes")
    assert "false" in refuting.words[0]


def test_check_claim_blocks_by_terms_and_limits(store_path: Path) -> None:
    settings = load_settings()
    with open_store(store_path) as store:
        assert check_claim(store, "Glass factory in Ostmark closes after strike", settings) == []
        assert len(check_claim(store, CLAIM, settings, limit=1)) == 1
        with pytest.raises(ValueError, match="empty"):
            check_claim(store, "   ", settings)


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_cli_check_json_shape(store_path: Path) -> None:
    result = _invoke("check", CLAIM, "--db", str(store_path), "--json", "--limit", "2")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["claim"] == CLAIM
    assert len(data["results"]) == 2
    for item in data["results"]:
        assert set(item) == {"document", "story", "outlet", "title", "stance", "score", "claim",
                             "probabilities", "spans"}
        assert item["stance"] in {"supports", "refutes", "reports"}
        assert set(item["probabilities"]) == {"supports", "refutes", "reports", "unrelated"}
        assert item["score"] == max(item["probabilities"].values())
        assert sum(item["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
        assert all(set(s) == {"start", "end", "text"} for s in item["spans"])


def test_cli_check_table(store_path: Path) -> None:
    result = _invoke("check", CLAIM, "--db", str(store_path))
    assert result.exit_code == 0, result.stderr
    assert "Port Veyra Daily" in result.stdout and "refutes" in result.stdout


def test_cli_check_missing_or_empty_store(tmp_path: Path) -> None:
    missing = _invoke("check", CLAIM, "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 3
    assert missing.stderr.count("\n") == 1 and "no store" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    result = _invoke("check", CLAIM, "--db", str(empty))
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "empty" in result.stderr


def test_check_claim_with_lone_surrogates_is_read(store_path: Path) -> None:
    # a shell hands bytes that are not UTF-8 over as lone surrogates; they read as U+FFFD
    claim = CLAIM.replace(" ", " \udcff ", 1)
    with open_store(store_path) as store:
        results = check_claim(store, claim, load_settings())
    assert {r.outlet for r in results} == {"Veyra Courier", "Port Veyra Daily",
                                           "The Estuary Ledger"}


def test_check_claim_reads_no_more_sentences_than_its_budget(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rashomon.check

    settings = load_settings()
    with open_store(store_path) as store:
        everything = check_claim(store, CLAIM, settings)
        # a budget below one article's sentences still reads the best-ranked article, whole
        monkeypatch.setattr(rashomon.check, "SENTENCE_BUDGET", 1)
        first_only = check_claim(store, CLAIM, settings)
    assert len(everything) == 3
    assert len(first_only) == 1
    assert first_only[0].document in {r.document for r in everything}
