"""The browser app's HTML: a layout around the report's fragments, and the pages of its own.

The story page is `rashomon.render.html`'s story fragment, the same markup as the standalone
report; this module adds the frame (header, search, navigation), the story list, the entity page,
the login form and error pages. Every string from a document, a request or the store is escaped
here with `html.escape(quote=True)`; the stylesheet and script are served as files from
``/static/`` so that the Content-Security-Policy can forbid every inline script and style.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlencode

from rashomon.model import Analysis, Attribution, Document, Entity, Mention
from rashomon.render.html import STYLESHEET as REPORT_STYLESHEET
from rashomon.render.html import article_fragment, citation_link
from rashomon.store import StoryRow

__all__ = [
    "APP_STYLESHEET",
    "entity_page",
    "error_page",
    "layout",
    "login_page",
    "story_list_page",
    "story_page",
]

# The report's stylesheet, then what only the app has: the header bar, the search form, the list.
APP_STYLESHEET = REPORT_STYLESHEET + """
header.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;
border-bottom:1px solid var(--line);padding-bottom:.5rem}
header.bar a.home{font-weight:700;text-decoration:none;font-size:1.1rem}
form.search{display:flex;flex-wrap:wrap;gap:.4rem;margin:1rem 0}
form.search input[type=search]{flex:1 1 12rem;font:inherit;padding:.35rem .5rem}
form.search select,form.search button,form.login button,form.login input{font:inherit;
padding:.35rem .6rem}
ol.stories{list-style:none;padding:0}
ol.stories li{background:var(--card);border-radius:.5rem;padding:.6rem .8rem;margin:.6rem 0}
ol.stories a{font-weight:600;font-size:1.05rem}
.pager{display:flex;gap:1rem;margin:1rem 0}
ul.entities{columns:2 14rem;padding-left:1.2rem}
.error{border-left:4px solid var(--del);padding-left:.8rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _path(*parts: str) -> str:
    """A URL path from untrusted parts, each percent-encoded."""
    return "/" + "/".join(quote(part, safe="") for part in parts)


def story_url(story_id: str) -> str:
    return _path("stories", story_id)


def entity_url(story_id: str, entity_id: str) -> str:
    return _path("stories", story_id, "entities", entity_id)


def layout(title: str, body: str, *, query: str = "", search: bool = True) -> str:
    """A whole page: the header (with the search box unless the page has its own), then `body`
    (already escaped HTML)."""
    box = (
        '<form class="search" role="search" action="/" method="get">'
        f'<input type="search" name="q" value="{_e(query)}" aria-label="Search story titles" '
        'placeholder="Search story titles"><button type="submit">Search</button></form>'
    ) if search else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)} · Rashomon</title>\n"
        '<link rel="stylesheet" href="/static/rashomon.css">\n'
        '<script src="/static/rashomon.js" defer></script>\n</head>\n<body>\n'
        f'<header class="bar"><a class="home" href="/">Rashomon</a>{box}</header>\n'
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _dates(row: StoryRow) -> str:
    dates = list(dict.fromkeys(d for d in (row.first_published, row.last_published) if d))
    return " – ".join(dates) or "undated"


def _list_url(query: str, sort: str, offset: int) -> str:
    params = {"q": query, "sort": sort, "offset": str(offset)}
    return "/?" + urlencode({k: v for k, v in params.items() if v and v != "0"})


def story_list_page(rows: Sequence[StoryRow], *, total: int, query: str, sort: str,
                    offset: int, limit: int) -> str:
    """The stories, one card each, with the search box, the sort choice and paging."""
    options = "".join(
        f'<option value="{value}"{" selected" if value == sort else ""}>{label}</option>'
        for value, label in (("date", "Newest first"), ("size", "Most articles first")))
    controls = (
        '<form class="search" action="/" method="get">'
        f'<input type="search" name="q" value="{_e(query)}" aria-label="Words in the title" '
        'placeholder="Words in the title">'
        f'<select name="sort" aria-label="Sort">{options}</select>'
        '<button type="submit">Show</button></form>'
    )
    what = f"{total} stor{'y' if total == 1 else 'ies'}"
    if query:
        what += f" with “{_e(query)}” in the title"
    items = "".join(
        f'<li><a class="u" href="{_e(story_url(r.id))}">{_e(r.title or "(untitled)")}</a>'
        f'<p class="meta">{r.size} article{"" if r.size == 1 else "s"} · {_e(_dates(r))} · '
        f'<span class="u">{_e(", ".join(r.outlets) or "no outlet named")}</span></p></li>'
        for r in rows)
    body = [f"<h1>Stories</h1>{controls}<p class=\"meta\">{what}</p>"]
    body.append(f'<ol class="stories">{items}</ol>' if rows else
                "<p>No story matches. Add articles with <code>rashomon ingest</code> or "
                "<code>POST /api/documents</code>.</p>")
    pager = []
    if offset > 0:
        previous = _list_url(query, sort, max(0, offset - limit))
        pager.append(f'<a href="{_e(previous)}">← Previous</a>')
    if offset + limit < total:
        pager.append(f'<a href="{_e(_list_url(query, sort, offset + limit))}">Next →</a>')
    if pager:
        body.append(f'<nav class="pager">{"".join(pager)}</nav>')
    return layout("Stories", "".join(body), search=False)


def _entity_links(story_id: str, entities: Iterable[Entity]) -> str:
    items = "".join(
        f'<li><a class="u" href="{_e(entity_url(story_id, e.id))}">{_e(e.name)}</a> '
        f'<span class="meta">{_e(e.type)}</span></li>' for e in entities)
    return (f'<section id="entity-pages"><h3>People, places and organisations: pages</h3>'
            f'<ul class="entities">{items}</ul></section>') if items else ""


def story_page(analysis: Analysis, story_id: str, fragment: str) -> str:
    """The story: the report's story fragment, then links to the entities' pages."""
    story = next(s for s in analysis.stories if s.id == story_id)
    body = (f'<p class="meta"><a href="/">← All stories</a> · story {_e(story_id)} · '
            f'<a href="{_e("/api" + story_url(story_id))}">JSON</a></p>'
            f"{fragment}{_entity_links(story_id, analysis.entities)}")
    return layout(story.title or "Story", body)


def _mentions_list(document: Document, mentions: Sequence[Mention]) -> str:
    items = "".join(f"<li>{citation_link(document, m.span, m.text, quote=True)}</li>"
                    for m in mentions)
    return f'<ul class="quotes">{items}</ul>'


def _attribution_item(document: Document, attribution: Attribution) -> str:
    words = document.slice(attribution.content)
    cue = document.slice(attribution.cue) if attribution.cue is not None else attribution.kind
    details = " · ".join(x for x in (cue, attribution.stance, attribution.medium or "") if x)
    return (f"<li>{citation_link(document, attribution.content, f'“{words}”', quote=True)}"
            f'<br><span class="details u">{_e(document.outlet_label)} · {_e(details)}</span></li>')


def entity_page(analysis: Analysis, story_id: str, entity: Entity) -> str:
    """An entity of a story: its names, its mentions document by document, what it said."""
    documents = {d.id: d for d in analysis.documents}
    mentions = [m for m in analysis.mentions if m.entity == entity.id]
    spoken = [a for a in analysis.attributions if a.speaker.entity == entity.id]
    story = next(s for s in analysis.stories if s.id == story_id)
    parts = [
        (f'<p class="meta"><a href="{_e(story_url(story_id))}" class="u">← '
         f'{_e(story.title or "the story")}</a></p>'),
        (f'<h1 class="u">{_e(entity.name)}</h1><p class="meta">{_e(entity.type)} · '
         f'{len(mentions)} mention{"" if len(mentions) == 1 else "s"} in '
         f'{len({m.span.doc for m in mentions})} document(s)</p>'),
    ]
    aliases = [a for a in entity.aliases if a != entity.name]
    if aliases:
        parts.append("<h3>Also called</h3><p>" + "; ".join(
            f'<span class="u">{_e(a)}</span>' for a in aliases) + "</p>")
    cited: list[Document] = []
    if spoken:
        parts.append(f"<h3>What {_e(entity.name)} is reported to have said</h3>")
        for doc_id in dict.fromkeys(a.doc for a in spoken):
            document = documents[doc_id]
            cited.append(document)
            items = "".join(_attribution_item(document, a) for a in spoken if a.doc == doc_id)
            parts.append(f'<h4 class="u">{_e(document.outlet_label)}</h4>'
                         f'<ul class="quotes">{items}</ul>')
    if mentions:
        parts.append("<h3>Mentions, document by document</h3>")
        for doc_id in dict.fromkeys(m.span.doc for m in mentions):
            document = documents[doc_id]
            if document not in cited:
                cited.append(document)
            mine = [m for m in mentions if m.span.doc == doc_id]
            parts.append(f'<h4 class="u">{_e(document.outlet_label)} '
                         f'<span class="meta">· {len(mine)}</span></h4>'
                         + _mentions_list(document, mine))
    if cited:
        parts.append("<h3>Sources</h3>" + "".join(article_fragment(d) for d in cited))
    return layout(entity.name, "".join(parts))


def login_page(next_path: str, *, failed: bool = False) -> str:
    """The token form shown when the server requires a token."""
    warning = '<p class="error">That token is not the right one.</p>' if failed else ""
    return layout("Sign in", (
        "<h1>Sign in</h1><p>This server requires its access token "
        "(<code>--token</code> or <code>$RASHOMON_TOKEN</code> where it was started).</p>"
        f'{warning}<form class="login" action="/login" method="post">'
        f'<input type="hidden" name="next" value="{_e(next_path)}">'
        '<label>Token <input type="password" name="token" autocomplete="current-password" '
        'required></label> <button type="submit">Sign in</button></form>'))


def error_page(status: int, message: str) -> str:
    return layout(f"Error {status}", f'<h1>Error {status}</h1><p class="error u">{_e(message)}'
                  '</p><p><a href="/">All stories</a></p>')
