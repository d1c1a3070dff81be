"""The browser app in a real headless Chromium (Debian's), served by uvicorn on 127.0.0.1.

The store is filled through the real pipeline with invented articles (tests/serve_corpus.py):
three outlets on one flooded (or not) rail tunnel, where two contradict each other and one
reports a denial; a second story for the list; a third whose text is hostile markup. When a
test fails, a screenshot of the page is saved under pytest's tmp dir and its path printed.
"""

from __future__ import annotations

import contextlib
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import serve_corpus as corpus

from rashomon.serve import create_app
from rashomon.settings import load_settings

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
INSTALL = "apt-get install -y chromium chromium-driver"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Records what the Content-Security-Policy blocked: with the text escaped, nothing even tries.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `{INSTALL}`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with corpus.running(create_app(corpus.corpus_store(), load_settings())) as url:
        yield url


@pytest.fixture(scope="module")
def ids() -> dict[str, str]:
    db = corpus.corpus_store()
    return {"tunnel": corpus.story_id_with(db, "Tunnel Flooded"),
            "bakery": corpus.story_id_with(db, "Bakery"),
            "hostile": corpus.story_id_with(db, "Choir")}


class Tab:
    """A page of its own browser context, with the dialogs it opened."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    try:
        yield Tab(context.new_page())
    finally:
        context.close()


@contextlib.contextmanager
def screenshot_on_failure(tab: Tab, tmp_path: Path, name: str) -> Iterator[None]:
    try:
        yield
    except BaseException:
        shot = tmp_path / f"{name}.png"
        with contextlib.suppress(Exception):
            tab.page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failing page: {shot}")
        raise


def _api(site: str, path: str) -> Any:
    with urllib.request.urlopen(site + path, timeout=30) as answer:
        return json.load(answer)


def test_serve_browser_story_page_shows_the_contradiction_with_both_outlets(
    tab: Tab, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    page = tab.page
    with screenshot_on_failure(tab, tmp_path, "contradiction"):
        page.goto(f"{site}/stories/{ids['tunnel']}")
        contested = page.locator(f"#story-{ids['tunnel']}-contested")
        assert contested.is_visible()
        contradictions = contested.locator("article.relation").filter(has_text="contradiction")
        sides = [set(contradictions.nth(i).locator(".side strong").all_inner_texts())
                 for i in range(contradictions.count())]
        assert {"Velmora Herald", "Kestrel Times"} in sides
        first = contradictions.first
        assert "flooded" in first.inner_text()
        denial = contested.locator("article.relation").filter(has_text="denial")
        assert "Port Veyra Ledger" in " ".join(denial.all_inner_texts())
        brief = page.locator(f"#story-{ids['tunnel']}-brief")
        assert "contested" in brief.inner_text().lower()
        assert page.evaluate("window.__violations") == []


def test_serve_browser_click_on_a_citation_highlights_exactly_its_span(
    tab: Tab, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    page = tab.page
    report = _api(site, f"/api/stories/{ids['tunnel']}")
    texts = {d["id"]: d["text"] for d in report["documents"]}
    with screenshot_on_failure(tab, tmp_path, "citation"):
        page.goto(f"{site}/stories/{ids['tunnel']}")
        links = page.locator(f"#story-{ids['tunnel']}-contested a.cite")
        assert links.count() >= 4
        for index in (0, links.count() - 1):
            link = links.nth(index)
            doc = link.get_attribute("data-doc")
            start, end = int(link.get_attribute("data-start")), int(link.get_attribute("data-end"))
            link.click()
            marks = page.locator("mark")
            assert marks.count() == 1
            assert marks.first.inner_text() == texts[doc][start:end]
            assert marks.first.evaluate("m => m.closest('section.article').id") == f"doc-{doc}"
            assert marks.first.is_visible()
            box = marks.first.bounding_box()
            assert box is not None and 0 <= box["y"] < 900  # scrolled into view


def test_serve_browser_hostile_text_stays_inert_text(
    tab: Tab, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    page = tab.page
    with screenshot_on_failure(tab, tmp_path, "hostile"):
        for path in ("/", f"/stories/{ids['hostile']}"):
            page.goto(site + path)
            page.mouse.move(200, 200)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.evaluate("document.querySelectorAll('script').length") == 1
            assert page.locator("a[href^='javascript:' i]").count() == 0
            assert page.locator("img, svg, iframe, object, embed").count() == 0
            assert page.evaluate("window.__violations") == []
        body = page.locator("body").inner_text()
        assert "<script>window.__pwned = 'title'</script>" in body
        assert "<img src=x onerror=" in body
        page.get_by_text("the box office", exact=False).first.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert tab.dialogs == []


def test_serve_browser_list_searches_and_sorts_on_a_phone(
    browser: Any, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = Tab(context.new_page())
    page = tab.page
    try:
        with screenshot_on_failure(tab, tmp_path, "list"):
            page.goto(site + "/")
            assert page.locator("ol.stories li").count() == 3
            main = page.locator("main")
            main.get_by_placeholder("Words in the title").fill("bakery")
            main.get_by_role("button", name="Show").click()
            page.wait_for_url("**q=bakery**")
            titles = page.locator("ol.stories li a").all_inner_texts()
            assert titles == ["Hollin Bakery Fair Draws Record Crowd"]
            main.get_by_placeholder("Words in the title").fill("")
            main.get_by_label("Sort").select_option("size")
            main.get_by_role("button", name="Show").click()
            page.wait_for_url("**sort=size**")
            first = page.locator("ol.stories li a").first
            assert first.inner_text().startswith("Velmora Rail Tunnel")
            first.click()
            page.wait_for_url(f"**/stories/{ids['tunnel']}")
            # readable on a phone: nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_serve_browser_entity_page_shows_aliases_mentions_and_quotes(
    tab: Tab, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    page = tab.page
    with screenshot_on_failure(tab, tmp_path, "entity"):
        page.goto(f"{site}/stories/{ids['tunnel']}")
        page.locator("#entity-pages").get_by_role("link", name="Ana Silva").click()
        assert page.locator("h1").inner_text() == "Ana Silva"
        text = page.locator("main").inner_text()
        assert "Silva" in text.split("Also called", 1)[1]
        assert "The tunnel is completely flooded" in text
        for outlet in ("Velmora Herald", "Port Veyra Ledger"):
            assert outlet in text
        quote = page.locator("a.cite").filter(has_text="completely flooded").first
        quote.click()
        assert "completely flooded" in page.locator("mark").inner_text()


def test_serve_browser_check_form_on_a_phone_leads_to_the_marked_span(
    browser: Any, site: str, ids: dict[str, str], tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(WATCH)
    tab = Tab(context.new_page())
    page = tab.page
    try:
        with screenshot_on_failure(tab, tmp_path, "check"):
            page.goto(site + "/")
            page.locator("header nav").get_by_role("link", name="Check a claim").click()
            page.wait_for_url("**/check")
            page.get_by_label("Claim to check").fill(
                "The Velmora rail tunnel is flooded <img src=x onerror=\"window.__pwned=1\">")
            page.get_by_role("button", name="Check").click()
            page.wait_for_url("**/check?claim=**")
            results = page.locator("ol.results > li")
            assert results.count() >= 2
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert page.locator("img").count() == 0
            first = results.first
            verdict = first.locator(".verdict").inner_text()
            assert verdict in ("supports", "refutes", "only reports")
            link = first.locator("blockquote a").first
            words = link.inner_text().strip("“”")
            link.click()
            page.wait_for_url(f"**/stories/{ids['tunnel']}?doc=*#cited-span")
            mark = page.locator("mark#cited-span")
            assert mark.count() == 1 and mark.inner_text() == words
            assert mark.is_visible()
            box = mark.bounding_box()
            assert box is not None and 0 <= box["y"] < 844  # scrolled to the cited words
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            # a click on another citation still highlights its own words alone
            other = page.locator("a.cite:not([data-spans])").first
            other.click()
            start, end = (int(other.get_attribute(k)) for k in ("data-start", "data-end"))
            assert page.locator("mark").count() == 1
            assert len(page.locator("mark").inner_text()) == end - start
            assert page.locator("mark#cited-span").count() == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.evaluate("window.__violations") == []
    finally:
        context.close()
