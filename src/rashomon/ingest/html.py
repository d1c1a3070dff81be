"""HTML to article text and metadata, with trafilatura.

Extraction happens here, at the edge, so that every later stage only ever sees text: clean/
receives a page's main text, never its markup. Nothing a page says is followed or run: no
scripts, no meta refresh, no links; trafilatura and htmldate only read the markup they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rashomon.errors import InputError
from rashomon.ingest.metadata import Metadata, clean_string, is_http_url, normalise_date
from rashomon.ingest.text import valid_text

__all__ = ["Extracted", "extract_article"]

_NO_TEXT = "no article text found in HTML"

# Only dates the markup states (meta tags, structured data, the URL, a <time> element):
# htmldate's "extensive search" would take any date written in the body, such as the date of
# the event reported, for the publication date.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True, slots=True)
class Extracted:
    """A page's main text and what its markup says about it (its site name is the outlet)."""

    text: str
    meta: Metadata


def _run_trafilatura(source: str, html: str, url: str | None) -> Any:
    # Imported here: it takes a third of a second, and a run of plain-text files never needs it.
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            # Boilerplate that slips through (related headlines, navigation) reads as claims
            # further down; a lost paragraph costs less than an invented one.
            favor_precision=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    # lxml and trafilatura raise assorted errors on badly broken markup; whichever it is, the
    # page cannot be read, and one bad page must not stop the others.
    except Exception as exc:  # noqa: BLE001
        raise InputError(source, f"cannot parse HTML ({type(exc).__name__})") from None


def _as_paragraphs(text: str) -> str:
    """trafilatura's text with a blank line between blocks.

    trafilatura writes one line per block (heading, paragraph, list item); clean/ reads a
    blank line as a paragraph break and may join adjacent lines as a hard-wrapped paragraph,
    so blocks are separated the way a plain-text article separates its paragraphs.
    """
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def extract_article(source: str, html: str, *, url: str | None = None) -> Extracted:
    """The main text and metadata of the page `html`; raises `InputError` when there is none.

    `url` is where the page came from, if it came from the web (it resolves relative links in
    the metadata). The page's own canonical URL is returned in the metadata when it is an
    http(s) URL.
    """
    result = _run_trafilatura(source, valid_text(html), url)
    text = _as_paragraphs(result.text or "") if result is not None else ""
    if not text:
        raise InputError(source, _NO_TEXT)
    page_url = clean_string(result.url)
    meta = Metadata(
        title=clean_string(result.title),
        outlet=clean_string(result.sitename),
        published=normalise_date(result.date),
        url=page_url if page_url and is_http_url(page_url) else None,
        author=clean_string(result.author),
    )
    return Extracted(text, meta)
