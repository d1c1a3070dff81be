"""The seeds' story page in a real browser: what a newcomer sees, checked against gold.json.

    python bench/browser_seeds.py ../shared/seeds [--screenshot PATH] [--floors bench/floors.json]

Runs the whole pipeline on the seed texts (into a throwaway store, as bench/seeds.py does),
serves the store with `rashomon serve`'s app on 127.0.0.1, opens the seeds' story page in
Debian's headless Chromium (driven by Playwright) and checks what the issue asks of it:

- `contested_both_outlets`: the "What is contested" part of the page shows the gold
  contradiction (`relations` of gold.json with kind contradiction: the contradicted speaker's
  quote against its counter-quote), in contradiction or denial relations, from both outlets;
- `citation_highlights_exact`: a click on each citation of those relations marks exactly the
  characters of the cited span in the article (one `<mark>`, the same words the JSON report
  gives for those offsets), and the mark is in view.

The seeds are read from the path given, never copied. A screenshot of the page is written to
--screenshot (a temporary file by default; its path is printed). Prints one JSON line last; with
--floors, exits 1 when a figure falls below its floor under the key `seeds_browser`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from gate import below_floors, exit_code  # bench/gate.py, beside this script

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 3}


def _shares_words(shown: str, quote: str) -> bool:
    """The page shows the quote (or most of it: a relation may cite a clause of it)."""
    wanted = _words(quote)
    return bool(wanted) and len(wanted & _words(shown)) >= min(4, len(wanted))


def _gold_sides(gold: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    """Each gold contradiction as (quotes of one side, quotes of the other)."""
    quotes = {q["id"]: q["text"] for q in gold["quotes"]}
    return [([quotes[i] for i in r["a"]["quotes"]], [quotes[i] for i in r["b"]["quotes"]])
            for r in gold["relations"] if r["kind"] == "contradiction"]


def _store(seed_dir: Path, names: list[str], db: Path) -> tuple[str, dict[str, Any], set[str]]:
    """Analyse the seeds into `db`: their story id, the JSON report, the outlets as shown."""
    from rashomon import pipeline, render
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    with open_store(str(db)) as store:
        result = pipeline.analyze([str(seed_dir / n) for n in names], store=store,
                                  settings=load_settings())
        for failure in result.failures:
            print(f"input failed: {failure}", file=sys.stderr)
        stories = {store.story_of(d) for d in result.input_documents}
    if len(stories) != 1:
        raise SystemExit(f"the seeds form {len(stories)} stories, not one")
    outlets = {d.outlet_label for d in result.analysis.documents}
    return stories.pop(), render.to_json(result.analysis), outlets


def _check_page(page: Any, url: str, story: str, gold: dict[str, Any],
                report: dict[str, Any], story_outlets: set[str]) -> dict[str, Any]:
    page.goto(url)
    contested = page.locator(f"#story-{story}-contested article.relation")
    shown = [contested.nth(i) for i in range(contested.count())]
    kinds = [r for r in shown if re.search(r"contradiction|denial", r.inner_text(), re.I)]
    outlets = {label for r in kinds for label in r.locator(".side strong").all_inner_texts()}
    figures: dict[str, Any] = {"contested_relations": len(shown)}
    found = 0
    for one_side, other_side in _gold_sides(gold):
        texts = [r.inner_text() for r in kinds]
        if any(_shares_words(t, q) for t in texts for q in one_side) and any(
                _shares_words(t, q) for t in texts for q in other_side):
            found += 1
    figures["contested_outlets"] = sorted(outlets)
    figures["contested_both_outlets"] = int(
        found == len(_gold_sides(gold)) and len(story_outlets) >= 2 and story_outlets <= outlets)
    texts = {d["id"]: d["text"] for d in report["documents"]}
    links = [link for r in kinds for link in r.locator("a.cite").all()]
    exact = 0
    for link in links:
        doc = link.get_attribute("data-doc")
        start, end = int(link.get_attribute("data-start")), int(link.get_attribute("data-end"))
        link.click()
        marks = page.locator("mark")
        if (marks.count() == 1 and marks.first.text_content() == texts[doc][start:end]
                and marks.first.is_visible()):
            exact += 1
        page.go_back()
    figures["citations_clicked"] = len(links)
    figures["citation_highlights_exact"] = int(bool(links) and exact == len(links))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="folder with the seed texts and gold.json")
    parser.add_argument("--screenshot", type=Path, help="where to save the page [temporary]")
    parser.add_argument("--floors", type=Path, help="bench/floors.json: exit 1 below a floor")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    gold = json.loads((args.seeds / "gold.json").read_text(encoding="utf-8"))
    from playwright.sync_api import sync_playwright

    from rashomon.serve import create_app
    from rashomon.serve.server import running
    from rashomon.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.db"
        story, report, outlets = _store(args.seeds, sorted(gold["documents"]), db)
        shot = args.screenshot or Path(tmp).parent / "rashomon-seeds-story.png"
        with running(create_app(str(db), load_settings())) as site, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            try:
                figures = _check_page(page, f"{site}/stories/{story}", story, gold, report,
                                      outlets)
            finally:
                page.goto(f"{site}/stories/{story}")
                page.screenshot(path=str(shot))
                browser.close()
    print(f"screenshot of the seeds' story page: {shot}", file=sys.stderr)
    failed = below_floors(figures, args.floors, "seeds_browser") if args.floors else []
    print(json.dumps(figures))
    return exit_code(failed)


if __name__ == "__main__":
    sys.exit(main())
