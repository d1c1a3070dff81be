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
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from rashomon.model import Analysis, Attribution, Document, Entity, Mention, Span
from rashomon.render.html import STYLESHEET as REPORT_STYLESHEET
from rashomon.render.html import article_fragment, citation_link
from rashomon.serve.catalog import EntityGroup
from rashomon.store import StoryRow

if TYPE_CHECKING:
    from rashomon.check import CheckResult

__all__ = [
    "APP_STYLESHEET",
    "CITED_ID",
    "check_page",
    "cited_url",
    "entities_page",
    "entity_page",
    "error_page",
    "layout",
    "login_page",
    "mark_cited",
    "omissions_page",
    "omissions_url",
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
header.bar nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem}
form.search textarea{flex:1 1 100%;font:inherit;padding:.35rem .5rem;min-height:3.2rem}
ol.results{list-style:none;padding:0}
ol.results li,ol.groups li{background:var(--card);border-radius:.5rem;padding:.6rem .8rem;
margin:.6rem 0}
ol.groups{list-style:none;padding:0}
ol.groups ul{padding-left:1.2rem;margin:.3rem 0}
.verdict{font-weight:700}.verdict.supports{color:var(--ins)}.verdict.refutes{color:var(--del)}
blockquote.span{margin:.4rem 0 .2rem;padding-left:.6rem;border-left:3px solid var(--accent)}
.notice{border-left:4px solid var(--mark);padding-left:.8rem}
#cited-span{scroll-margin-top:30vh}
.error{border-left:4px solid var(--del);padding-left:.8rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _path(*parts: str) -> str:
    """A URL path from untrusted parts, each percent-encoded."""
    return "/" + "/".join(quote(part, safe="") for part in parts)


def story_url(story_id: str) -> str:
    return _path("stories", story_id)


def omissions_url(story_id: str, outlet: str) -> str:
    """The page of everything one outlet of a story leaves out (the story page shows a few)."""
    return _path("stories", story_id, "omissions") + "?" + urlencode({"outlet": outlet})


def entity_url(story_id: str, entity_id: str) -> str:
    return _path("stories", story_id, "entities", entity_id)


_NAV = ('<nav aria-label="Site"><a href="/">Stories</a><a href="/entities">Entities</a>'
        '<a href="/check">Check a claim</a></nav>')


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
        f'<header class="bar"><a class="home" href="/">Rashomon</a>{_NAV}{box}</header>\n'
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


def story_page(analysis: Analysis, story_id: str, fragment: str, *, notice: str = "") -> str:
    """The story: the report's story fragment, then links to the entities' pages. `notice`
    (plain text) is shown above it: why a cited span asked for could not be marked."""
    story = next(s for s in analysis.stories if s.id == story_id)
    shown = f'<p class="notice u">{_e(notice)}</p>' if notice else ""
    body = (f'<p class="meta"><a href="/">← All stories</a> · story {_e(story_id)} · '
            f'<a href="{_e("/api" + story_url(story_id))}">JSON</a></p>'
            f"{shown}{fragment}{_entity_links(story_id, analysis.entities)}")
    return layout(story.title or "Story", body)


def omissions_page(analysis: Analysis, story_id: str, outlet: str, fragment: str) -> str:
    """All that `outlet` leaves out of the story (`rashomon.render.html.omissions_fragment`),
    under a link back to the story."""
    story = next(s for s in analysis.stories if s.id == story_id)
    title = story.title or "the story"
    body = (f'<p class="meta"><a href="{_e(story_url(story_id))}" class="u">← {_e(title)}</a>'
            f"</p>{fragment}")
    return layout(f"What {outlet} leaves out: {title}", body)


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


# -- a cited span, marked on the story page --------------------------------------------------

CITED_ID = "cited-span"  # the element a link to a cited span scrolls to (``#cited-span``)


def cited_url(story_id: str, span: Span) -> str:
    """The story page with `span` marked in its article, scrolled to it."""
    query = urlencode({"doc": span.doc, "start": span.start, "end": span.end})
    return f"{story_url(story_id)}?{query}#{CITED_ID}"


def _sentinels(text: str) -> tuple[str, str]:
    """Two private-use characters absent from `text`: they survive escaping unchanged."""
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    return next(free), next(free)


def mark_cited(fragment: str, document: Document, span: Span) -> str:
    """`fragment` with `span`'s words wrapped in ``<mark id="cited-span">`` in its article.

    The article is rendered again with two markers around the span, by the same
    `article_fragment` that rendered it, so the escaping is the same and the offsets hold; the
    markers become the mark's tags. The script's ``clear()`` unwraps this mark like its own,
    so a click on another citation still works. ValueError when the span is outside the text.
    """
    document.span(span.start, span.end)  # raises ValueError outside the text
    plain = article_fragment(document)
    if plain not in fragment:
        raise ValueError(f"document {document.id} is not rendered in this fragment")
    opening, closing = _sentinels(plain + document.text)
    text = document.text
    marked = article_fragment(replace(
        document, text=text[:span.start] + opening + text[span.start:span.end] + closing
        + text[span.end:]))
    marked = marked.replace(opening, f'<mark id="{CITED_ID}" tabindex="-1">', 1)
    return fragment.replace(plain, marked.replace(closing, "</mark>", 1), 1)


# -- checking a claim --------------------------------------------------------------------------

_VERDICT_WORDS = {"supports": "supports", "refutes": "refutes", "reports": "only reports"}


def _check_form(claim: str, max_chars: int) -> str:
    return (
        '<form class="search" action="/check" method="get">'
        f'<textarea name="claim" maxlength="{max_chars}" required aria-label="Claim to check" '
        f'placeholder="A claim, in words: Velmora Mayor Ana Silva has resigned">{_e(claim)}'
        '</textarea><button type="submit">Check</button></form>')


def _check_result(result: CheckResult) -> str:
    verdict = _VERDICT_WORDS.get(result.stance, result.stance)
    quotes = []
    for span, words in zip(result.spans, result.words, strict=True):
        quoted = f"“{_e(words)}”"
        if result.story is not None:
            quoted = f'<a class="u" href="{_e(cited_url(result.story, span))}">{quoted}</a>'
        quotes.append(f'<blockquote class="span">{quoted}</blockquote>')
    title = _e(result.title or "(untitled)")
    if result.story is not None:
        title = f'<a class="u" href="{_e(story_url(result.story))}">{title}</a>'
    return (f'<li><p><strong class="u">{_e(result.outlet)}</strong> '
            f'<span class="verdict {_e(result.stance)}">{_e(verdict)}</span> the claim '
            f'<span class="meta">(score {result.score:.2f})</span></p>'
            f'{"".join(quotes)}<p class="meta">in {title}</p></li>')


def check_page(claim: str, results: Sequence[CheckResult] | None, *, max_chars: int) -> str:
    """The claim form and, once a claim is given, the documents that bear on it, best first.

    `results` None means no claim was asked yet. Every quoted span links to its story page
    with those exact words marked.
    """
    parts = ["<h1>Check a claim</h1>",
             ("<p class=\"meta\">The stored articles that support the claim, refute it, or "
             "only report it, best first, with the words each rests on.</p>"),
             _check_form(claim, max_chars)]
    if results is not None:
        if not results:
            parts.append(f'<p class="notice">No stored article supports, refutes or reports '
                         f'“<span class="u">{_e(claim)}</span>”. The store may hold nothing '
                         "on its subject.</p>")
        else:
            counts = {v: sum(r.stance == v for r in results) for v in _VERDICT_WORDS}
            summary = ", ".join(f"{n} {_VERDICT_WORDS[v]}" for v, n in counts.items() if n)
            parts.append(f'<p class="meta">{len(results)} article'
                         f'{"" if len(results) == 1 else "s"} on “<span class="u">{_e(claim)}'
                         f'</span>”: {_e(summary)}.</p>')
            parts.append('<ol class="results">'
                         + "".join(_check_result(r) for r in results) + "</ol>")
    return layout("Check a claim", "".join(parts))


# -- entities across stories -------------------------------------------------------------------

def _entities_url(query: str, offset: int) -> str:
    params = {"q": query, "offset": str(offset)}
    return "/entities?" + urlencode({k: v for k, v in params.items() if v and v != "0"})


def _group_item(group: EntityGroup) -> str:
    stories = "".join(
        f'<li><a class="u" href="{_e(entity_url(s.story, s.entity))}">{_e(s.name)}</a> in '
        f'<a class="u" href="{_e(story_url(s.story))}">{_e(s.title or "(untitled)")}</a> '
        f'<span class="meta">· {s.mentions} mention{"" if s.mentions == 1 else "s"} · '
        f'<span class="u">{_e(", ".join(s.outlets) or "no outlet named")}</span></span></li>'
        for s in group.stories)
    aliases = [a for a in group.aliases if a != group.name]
    also = (f'<p class="meta">Also called: <span class="u">{_e("; ".join(aliases))}</span></p>'
            if aliases else "")
    count = len(group.stories)
    return (f'<li><strong class="u">{_e(group.name)}</strong> <span class="meta">'
            f'{_e(group.type)} · {count} stor{"y" if count == 1 else "ies"} · '
            f'{group.mentions} mention{"" if group.mentions == 1 else "s"}</span>'
            f'{also}<ul>{stories}</ul></li>')


def entities_page(groups: Sequence[EntityGroup], *, total: int, query: str, offset: int,
                  limit: int, pending: int = 0) -> str:
    """People, places and organisations across stories, each with its stories' entity pages."""
    controls = (
        '<form class="search" action="/entities" method="get">'
        f'<input type="search" name="q" value="{_e(query)}" aria-label="Words in the name" '
        'placeholder="Words in the name"><button type="submit">Find</button></form>')
    what = f"{total} entit{'y' if total == 1 else 'ies'}"
    if query:
        what += f" named with “{_e(query)}”"
    body = ["<h1>People, places and organisations</h1>", controls,
            (f'<p class="meta">{what}. Grouped across stories by type and name: one name in '
            "two stories may still be two people; each story's page holds the evidence.</p>")]
    if pending:
        body.append(f'<p class="notice">{pending} new or changed stor'
                    f'{"y is" if pending == 1 else "ies are"} not in this list yet: '
                    "reload the page in a moment.</p>")
    body.append('<ol class="groups">' + "".join(_group_item(g) for g in groups) + "</ol>"
                if groups else "<p>No entity matches.</p>")
    pager = []
    if offset > 0:
        pager.append(f'<a href="{_e(_entities_url(query, max(0, offset - limit)))}">'
                     "← Previous</a>")
    if offset + limit < total:
        pager.append(f'<a href="{_e(_entities_url(query, offset + limit))}">Next →</a>')
    if pager:
        body.append(f'<nav class="pager">{"".join(pager)}</nav>')
    return layout("Entities", "".join(body), search=False)


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
