"""The standalone HTML report: one file that works offline and cites every word it shows.

The page makes no request of any kind: its stylesheet and its one small script are inline, it
uses the reader's system fonts, and a Content-Security-Policy (by hash of that style and script)
forbids everything else, so that even a tag slipped past the escaping could load nothing and run
nothing. Every article is rendered once, in full, as escaped text; a citation is a link to that
article carrying the character offsets of the words it cites, and `SCRIPT` wraps exactly those
characters in ``<mark>`` and scrolls to them when the link is clicked. Without the script the link
still jumps to the article::

    <a class="cite" href="#doc-ID" data-doc="ID" data-start="120" data-end="164">…</a>
    <section class="article" id="doc-ID"> … <div class="article-text">escaped text</div>

Offsets are Python's: characters (code points) of `Document.text`, as in the JSON report; the
script counts code points too (``Array.from``), so an emoji before a quote shifts nothing.

Every string that comes from a document (text, titles, outlets, names, cues, explanations) is
escaped with ``html.escape(quote=True)``; ids that reach attributes are reduced to a safe
charset (`element_id`). The pieces are public for the browser app, which serves the same
markup: `STYLESHEET`, `SCRIPT`, `CONTENT_SECURITY_POLICY`, `page`, `story_fragment`,
`article_fragment` and `citation_link`; `to_html` is made of them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rashomon import __version__
from rashomon.dates import date_label
from rashomon.model import (
    Analysis,
    Attribution,
    BriefSentence,
    Document,
    Entity,
    Framing,
    Relation,
    Span,
    Voice,
)
from rashomon.render._views import (
    OMISSIONS_SHOWN,
    brief_sections,
    date_notes,
    inline,
    kind_label,
    Omission,
    mention_count,
    omissions_by_kind,
    omissions_left_out,
    outlet_name,
    outlet_names,
    quote_details,
    quote_text,
    quotes_by_speaker,
    read,
    report_views,
    shown_omissions,
    span_text,
    speaker_label,
    story_title,
    timeline_events,
)
from rashomon.story_view import StoryView

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "OMISSIONS_SHOWN",
    "SCRIPT",
    "STYLESHEET",
    "article_fragment",
    "citation_link",
    "element_id",
    "omissions_fragment",
    "page",
    "story_fragment",
    "to_html",
]

STYLESHEET = """
:root{color-scheme:light dark;--fg:#1d1f23;--muted:#5d6370;--bg:#fdfdfc;--card:#f3f3f0;
--line:#d8d8d2;--accent:#1f5fa8;--mark:#ffe27a;--del:#b3261e;--ins:#17683a}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e3;--muted:#a4a9b3;--bg:#16181b;
--card:#202328;--line:#383c43;--accent:#8cb8ff;--mark:#7a6312;--del:#ff8a80;--ins:#7fd99a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:62rem;padding:1rem;background:var(--bg);color:var(--fg);
font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
overflow-wrap:break-word}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.35rem;margin:2rem 0 .25rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
h4{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--accent)}
.meta,.details,.legend{color:var(--muted);font-size:.9rem}
.u{unicode-bidi:isolate}
nav ul{padding-left:1.2rem}
.story{border-top:3px solid var(--line);margin-top:2rem}
.brief p{margin:.4rem 0}
.cite{white-space:nowrap;font-size:.85rem;text-decoration:none;border-bottom:1px dotted}
.cite.quote{white-space:normal;font-size:1rem;color:inherit;border-bottom-color:var(--accent)}
.cite:focus,.cite:hover{text-decoration:underline}
.relation{background:var(--card);border-radius:.5rem;padding:.6rem .8rem;margin:.8rem 0}
.kind{font-weight:600}
.told{display:block}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.8rem}
.side{border-left:3px solid var(--accent);padding-left:.6rem}
.side blockquote{margin:.3rem 0}
del{color:var(--del);text-decoration:line-through}ins{color:var(--ins);font-weight:600;
text-decoration:underline}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
meter{width:4rem;vertical-align:middle}
ul.quotes{padding-left:1.2rem}ul.quotes li{margin:.3rem 0}
.article{background:var(--card);border-radius:.5rem;margin:1rem 0;padding:.2rem .8rem}
.article summary{cursor:pointer;padding:.4rem 0;font-weight:600}
.article-text{white-space:pre-wrap;font-family:Georgia,"Times New Roman",serif;
line-height:1.6;padding-bottom:.8rem}
mark{background:var(--mark);color:inherit;outline:2px solid var(--mark)}
@media (max-width:40rem){body{padding:.6rem}h1{font-size:1.3rem}h2{font-size:1.15rem}}
""".strip()

SCRIPT = """
"use strict";
(function () {
  // Citations carry offsets in code points, as Python counts them; the DOM counts UTF-16
  // units, so an emoji before a quote would shift it by one unless converted here.
  function unitIndex(text, points) {
    var index = 0, seen = 0;
    while (seen < points && index < text.length) {
      var code = text.charCodeAt(index);
      index += code >= 0xD800 && code <= 0xDBFF && index + 1 < text.length ? 2 : 1;
      seen += 1;
    }
    return seen === points ? index : -1;
  }
  function clear() {
    document.querySelectorAll(".article-text mark").forEach(function (mark) {
      var text = mark.parentNode;
      mark.replaceWith.apply(mark, Array.from(mark.childNodes));
      text.normalize();
    });
  }
  // The spans a link cites: "start-end" pairs in data-spans, else data-start and data-end.
  function spansOf(link) {
    var pairs = (link.dataset.spans || link.dataset.start + "-" + link.dataset.end).split(" ");
    var spans = pairs.map(function (pair) { return pair.split("-").map(Number); });
    var valid = spans.every(function (span) {
      return span.length === 2 && Number.isInteger(span[0]) && Number.isInteger(span[1]) &&
        0 <= span[0] && span[0] <= span[1];
    });
    return valid ? spans : null;
  }
  function highlight(link) {
    var box = document.getElementById("doc-" + link.dataset.doc);
    var text = box && box.querySelector(".article-text");
    var spans = spansOf(link);
    if (!text || !spans) return false;
    clear();
    text.normalize();  // the parser may have cut a long text into several nodes
    var node = text.firstChild;
    var words = node ? node.data : "";
    var units = spans.map(function (span) {
      return [unitIndex(words, span[0]), unitIndex(words, span[1])];
    }).sort(function (a, b) { return a[0] - b[0]; });
    if (!node || units.some(function (u) { return u[0] < 0 || u[1] < 0; })) return false;
    var merged = [];  // overlapping spans become one mark
    units.forEach(function (u) {
      var last = merged[merged.length - 1];
      if (last && u[0] <= last[1]) last[1] = Math.max(last[1], u[1]);
      else merged.push(u);
    });
    var first = null;
    for (var i = merged.length - 1; i >= 0; i--) {  // from the end: earlier offsets still hold
      var cited = node.splitText(merged[i][0]);
      cited.splitText(merged[i][1] - merged[i][0]);
      first = document.createElement("mark");
      cited.replaceWith(first);
      first.appendChild(cited);
    }
    var details = box.querySelector("details");
    if (details) details.open = true;
    first.tabIndex = -1;
    first.scrollIntoView({block: "center"});
    first.focus({preventScroll: true});
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.cite") : null;
    if (link && highlight(link)) {
      event.preventDefault();
      // so that Back returns to the citation; a file:// page may refuse, which is harmless
      try { history.pushState(null, "", link.getAttribute("href")); } catch (ignored) {}
    }
  });
})();
""".strip()


# The address of the page listing all of an outlet's omissions, given the outlet's name
# (the app has one; a standalone report does not).
OmissionsHref = Callable[[str], str]


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# Only this page's own style and script may apply; nothing may be fetched, framed or submitted.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_csp_hash(STYLESHEET)}; script-src {_csp_hash(SCRIPT)}; "
    "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# In an article's text, characters that the HTML parser would drop or rewrite (NUL, lone
# surrogates), that are invisible controls, or that reorder the words around them (bidi
# overrides and isolates) are each shown as U+FFFD: one character for one, so offsets hold.
_ARTICLE_UNSAFE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_CONTESTED = ("contradiction", "denial", "attribution_divergence", "medium_divergence",
              "figure_difference")
_TITLE_CHARS = 300  # a citation's tooltip shows at most this much of the cited words


def element_id(kind: str, value: str) -> str:
    """An HTML id for `value` (a document, story or relation id) that is safe in an attribute.

    Ids made of letters, digits, ``-`` and ``_`` are kept as they are (``doc-3f2a…``), so links
    stay readable; anything else becomes a hash, which cannot carry markup.
    """
    if not _SAFE_ID.fullmatch(value):
        value = "_" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{kind}-{value}"


@lru_cache(maxsize=65536)
def _text(value: str) -> str:
    """Untrusted text as one escaped line (controls and bidi overrides gone); remembered, as
    a page escapes the same names thousands of times."""
    return html.escape(inline(_SURROGATE.sub("\ufffd", value)), quote=True)


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def citation_link(document: Document, spans: Span | Sequence[Span], label: str, *,
                  quote: bool = False) -> str:
    """A link that shows `spans` highlighted in `document`'s article (see `SCRIPT`).

    `label` is what the link reads (escaped here); the cited words are its tooltip. The first
    span's offsets are ``data-start`` and ``data-end``; several spans of the one document are
    listed in ``data-spans`` as ``start-end`` pairs and highlighted together. A span outside the
    document's text raises ValueError rather than highlight the wrong words.
    """
    cited = (spans,) if isinstance(spans, Span) else tuple(spans)
    if not cited:
        raise ValueError(f"a citation of {document.id} needs at least one span")
    words = " … ".join(inline(read(document, span, f"citation of {document.id}"))
                       for span in cited)
    if len(words) > _TITLE_CHARS:
        words = words[:_TITLE_CHARS] + "…"
    doc = element_id("doc", document.id).removeprefix("doc-")
    classes = "cite quote" if quote else "cite"
    several = ""
    if len(cited) > 1:
        several = ' data-spans="' + " ".join(f"{s.start}-{s.end}" for s in cited) + '"'
    return (f'<a class="{classes}" href="#doc-{doc}" data-doc="{doc}" '
            f'data-start="{cited[0].start}" data-end="{cited[0].end}"{several} '
            f'title="{_text(words)}"><span class="u">{_text(label)}</span></a>')


def article_fragment(document: Document) -> str:
    """One article, escaped, in the element that citations of it point at (``#doc-ID``).

    The text node inside ``.article-text`` holds `document.text` character for character (with
    the few unsafe characters each replaced by U+FFFD), so a citation's offsets index it.
    """
    shown = _ARTICLE_UNSAFE.sub("\ufffd", document.text)
    # The parser reads a raw CR as LF (and CR LF as one LF, one character fewer); a character
    # reference reaches the page as the CR itself, so the offsets after it still hold.
    body = html.escape(shown, quote=True).replace("\r", "&#13;")
    facts = [_text(document.outlet_label), _text(document.published or "date unknown")]
    if document.published and document.published_inferred:
        facts[-1] += " (inferred)"
    if document.author:
        facts.append("by " + _text(document.author))
    title = _text(document.title or document.source)
    return (
        f'<section class="article" id="{element_id("doc", document.id)}">'
        f'<details open><summary><span class="u">{title}</span></summary>'
        f'<p class="meta">{" · ".join(facts)}<br>Source: <span class="u">'
        f"{_text(document.source)}</span></p>"
        f'<div class="article-text" dir="auto">{body}</div></details></section>'
    )


def page(title: str, body: str) -> str:
    """A whole HTML5 page around `body`, with `STYLESHEET`, `SCRIPT` and the CSP."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="rashomon {html.escape(__version__)}">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n"
        f"{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def to_html(analysis: Analysis) -> str:
    """The report as one self-contained HTML page: per story, the brief, contested claims side
    by side, quote variants, timeline, outlets and framing, quotes, entities and the sources."""
    views = report_views(analysis)
    documents = len(analysis.documents)
    summary = (f'{_plural(len(analysis.stories), "story", "stories")} from '
               f'{_plural(documents, "document")}. Every underlined quote and outlet name is a '
               "link to the words it rests on in the article.")
    parts = [f'<header><h1>Rashomon report</h1><p class="meta">{summary}</p></header>']
    if not views:
        parts.append("<p>No documents were analysed.</p>")
    if len(views) > 1:
        items = "".join(f'<li><a href="#{_story_anchor(v)}"><span class="u">{_text(story_title(v))}'
                        f"</span></a> ({_plural(len(v.documents), 'document')})</li>"
                        for v in views)
        parts.append(f'<nav aria-label="Stories"><ul>{items}</ul></nav>')
    parts += [_story(view) for view in views]
    return page("Rashomon report", "<main>" + "\n".join(parts) + "</main>")


def story_fragment(analysis: Analysis, story_id: str | None, *, sources: bool = True,
                   omissions_href: OmissionsHref | None = None) -> str:
    """One story's body HTML (no ``<html>`` or ``<head>``), for a page made with `page`.

    `story_id` None is the documents that belong to no story. With `sources` the story's
    articles are included, so that every citation link in the fragment has its target; without,
    the caller renders them with `article_fragment` wherever it likes. Each outlet's omissions
    are cut to `OMISSIONS_SHOWN` of each kind; `omissions_href` links the rest.
    """
    view = _view_of(analysis, story_id)
    return _story(view, sources=sources, omissions_href=omissions_href)


def omissions_fragment(analysis: Analysis, story_id: str, outlet: str) -> str:
    """Everything one outlet of a story leaves out (facts first, then speakers), each citing the
    words of an outlet that carries it, followed by the articles cited. ValueError when the
    story has no such outlet."""
    view = _view_of(analysis, story_id)
    framing = next((f for f in view.framings if f.outlet == outlet), None)
    if framing is None:
        raise ValueError(f"story {story_id} has no outlet {outlet!r}")
    facts, speakers = omissions_by_kind(framing)
    anchor = _story_anchor(view)
    cited = {span.doc for _, span in framing.omissions}
    parts = [
        f'<section class="story" id="{anchor}">',
        f'<h2 class="u">What {_text(outlet)} leaves out</h2>',
        f'<p class="meta">In <span class="u">{_text(story_title(view))}</span>: '
        f"{_plural(len(facts), 'fact')} other outlets carry and "
        f"{_plural(len(speakers), 'speaker')} they quote.</p>",
        f"<ul>{''.join(_omission_item(view, o) for o in (*facts, *speakers))}</ul>",
        _section(anchor, "sources", "Sources",
                 [article_fragment(d) for d in view.documents if d.id in cited]),
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _view_of(analysis: Analysis, story_id: str | None) -> StoryView:
    views = report_views(analysis)
    for view in views:
        if view.story_id == story_id:
            return view
    known = ", ".join(str(v.story_id) for v in views) or "none"
    raise ValueError(f"story {story_id} is not in the analysis; stories: {known}")


def _story_anchor(view: StoryView) -> str:
    # "_loose" cannot be a story's element id: those start with a letter, a digit or "_" + hash
    return "story-_loose" if view.story_id is None else element_id("story", view.story_id)


def _story(view: StoryView, *, sources: bool = True,
           omissions_href: OmissionsHref | None = None) -> str:
    anchor = _story_anchor(view)
    outlets = outlet_names(view)
    parts = [
        f'<section class="story" id="{anchor}" aria-labelledby="{anchor}-title">',
        f'<h2 id="{anchor}-title" class="u">{_text(story_title(view))}</h2>',
        f'<p class="meta">{_plural(len(view.documents), "document")} from '
        f'{_plural(len(outlets), "outlet")}: '
        + ", ".join(f'<span class="u">{_text(o)}</span>' for o in outlets) + "</p>",
    ]
    parts.append(_brief(view))
    by_kind = _relations_by_kind(view.relations)
    parts.append(_section(anchor, "contested", "Contested claims, side by side",
                          [_relation(view, r) for k in _CONTESTED for r in by_kind.get(k, [])]))
    parts.append(_section(anchor, "variants", "Quote variants",
                          [_relation(view, r) for r in by_kind.get("quote_variant", [])],
                          legend="Word diff: <del>only in the first version</del>, "
                                 "<ins>only in the second</ins>."))
    parts.append(_section(anchor, "corroborated", "Corroborated across outlets",
                          [_relation(view, r) for r in by_kind.get("corroboration", [])]))
    parts.append(_timeline(view, anchor))
    parts.append(_outlets(view, anchor, omissions_href))
    parts.append(_quotes(view, anchor))
    parts.append(_entities(view, anchor))
    if sources:
        parts.append(_section(anchor, "sources", "Sources",
                              [article_fragment(d) for d in view.documents]))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _section(anchor: str, name: str, title: str, items: Sequence[str], *,
             legend: str = "") -> str:
    """A titled part of a story, or nothing when there is nothing to put in it."""
    if not items:
        return ""
    legend_html = f'<p class="legend">{legend}</p>' if legend else ""
    return (f'<section id="{anchor}-{name}"><h3>{html.escape(title)}</h3>{legend_html}'
            + "\n".join(items) + "</section>")


def _cite(view: StoryView, span: Span, label: str, *, quote: bool = False) -> str:
    return citation_link(view.document(span.doc, "citation"), span, label, quote=quote)


def _cite_by_outlet(view: StoryView, spans: Sequence[Span]) -> str:
    """One link per cited document, named by its outlet, highlighting all its cited spans.

    A brief sentence often rests on a speaker, a cue and a quote in each of three outlets;
    nine links all reading the outlet's name would tell the reader nothing more.
    """
    by_document: dict[str, list[Span]] = {}
    for span in spans:
        by_document.setdefault(span.doc, []).append(span)
    return " ".join(
        citation_link(view.document(doc_id, "citation"), cited, outlet_name(view, doc_id))
        for doc_id, cited in by_document.items())


# --- the brief --------------------------------------------------------------------------------

def _brief(view: StoryView) -> str:
    """The brief by section, in the reader's order; each sentence followed by its citations."""
    parts: list[str] = []
    for heading, sentences in brief_sections(view):
        parts.append(f"<h4>{_text(heading)}</h4>")
        parts += [_brief_sentence(view, s) for s in sentences]
    if not parts:
        return ""
    return _section(_story_anchor(view), "brief", "Brief",
                    ['<div class="brief">', *parts, "</div>"])


def _brief_sentence(view: StoryView, sentence: BriefSentence) -> str:
    links = _cite_by_outlet(view, sentence.citations)
    compare = ""
    if sentence.relation and any(r.id == sentence.relation for r in view.relations):
        # every relation of the story is drawn below, side by side, under this id
        compare = f' <a href="#{element_id("rel", sentence.relation)}" class="details">compare</a>'
    return f'<p><span class="u">{_text(sentence.text)}</span> {links}{compare}</p>'


# --- relations --------------------------------------------------------------------------------

def _relations_by_kind(relations: Iterable[Relation]) -> dict[str, list[Relation]]:
    found: dict[str, list[Relation]] = {}
    for relation in relations:
        found.setdefault(relation.kind, []).append(relation)
    return found


def _member_for(view: StoryView, relation: Relation, span: Span) -> Attribution | None:
    """The attribution among the relation's members that the evidence span comes from: the
    first of its document, in the analysis's order, whose words overlap the span, else the
    first of its document."""
    # looked up by id (a story of 1,700 attributions and 400 evidence spans would scan 700,000)
    found = (view.attribution_ids.get(member) for member in dict.fromkeys(relation.members))
    members = [a for a in found if a is not None and a.doc == span.doc]
    if len(members) > 1:
        members.sort(key=view.attributions.index)
    return next((a for a in members if a.content.overlaps(span)), members[0] if members else None)


def _side(view: StoryView, relation: Relation, span: Span) -> str:
    attribution = _member_for(view, relation, span)
    who = [f'<strong class="u">{_text(outlet_name(view, span.doc))}</strong>']
    details = ""
    if attribution is not None:
        who.append(f'<span class="u">{_text(speaker_label(view, attribution))}</span>')
        details = f'<p class="details u">{_text(quote_details(view, attribution))}</p>'
    words = span_text(view, span, f"relation {relation.id}")
    return (f'<div class="side"><p>{" · ".join(who)}</p><blockquote>'
            f"{_cite(view, span, f'“{words}”', quote=True)}</blockquote>{details}</div>")


def _relation(view: StoryView, relation: Relation) -> str:
    score = f"score {relation.score:.2f}"
    if relation.independent:  # set on corroborations: syndicated copies count once
        score += f", {_plural(relation.independent, 'independent outlet')}"
    diff = ""
    if relation.diff:
        runs = " ".join(_diff_run(op, words) for op, words in relation.diff if inline(words))
        order = " → ".join(_text(outlet_name(view, span.doc)) for span in relation.evidence[:2])
        diff = f'<p class="diff"><span class="details u">{order}:</span> {runs}</p>'
    sides = "".join(_side(view, relation, span) for span in relation.evidence)
    return (f'<article class="relation" id="{element_id("rel", relation.id)}">'
            f'<p><span class="kind">{html.escape(kind_label(relation.kind).capitalize())}</span> '
            f'<span class="meta">({score})</span></p>'
            f'<p class="u">{_text(relation.explanation)}</p>'
            f'<div class="sides">{sides}</div>{diff}</article>')


def _diff_run(op: str, words: str) -> str:
    tag = {"delete": "del", "insert": "ins"}.get(op)
    return f"<{tag}>{_text(words)}</{tag}>" if tag else _text(words)


# --- timeline ---------------------------------------------------------------------------------

def _timeline(view: StoryView, anchor: str) -> str:
    """One row per event: entries that share an `event_id` are the same event told twice."""
    owner = "timeline entry"
    rows: list[str] = []
    for entries in timeline_events(view):
        dates = "; ".join(dict.fromkeys(date_label(e.date) for e in entries))
        inferred = date_notes(entries)
        told = "".join(
            f'<span class="told"><span class="u">{_text(outlet_name(view, e.span.doc))}</span>: '
            f"{_cite(view, e.span, f'“{span_text(view, e.span, owner)}”', quote=True)}</span>"
            for e in entries)
        rows.append(f"<tr><td>{_text(dates)}{inferred}</td>"
                    f'<td class="u">{_text(entries[0].event)}</td><td>{told}</td></tr>')
    table = ('<div class="table"><table><thead><tr><th>Date</th><th>What</th>'
             "<th>In the words of</th></tr></thead><tbody>" + "".join(rows) +
             "</tbody></table></div>")
    return _section(anchor, "timeline", "Timeline", [table] if rows else [])


# --- outlets and framing ----------------------------------------------------------------------

def _outlets(view: StoryView, anchor: str, omissions_href: OmissionsHref | None) -> str:
    rows = []
    for document in view.documents:
        date = document.published or "unknown"
        if document.published and document.published_inferred:
            date += " (inferred)"
        title = document.title or document.source
        rows.append(f'<tr><td class="u">{_text(outlet_name(view, document.id))}</td>'
                    f"<td>{_text(date)}</td>"
                    f'<td><a href="#{element_id("doc", document.id)}" class="u">'
                    f"{_text(title)}</a></td></tr>")
    parts = ['<div class="table"><table><thead><tr><th>Outlet</th><th>Published</th>'
             "<th>Article</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"]
    if view.framings:
        parts.append(_voices(view.framings))
        parts += [_framing_notes(view, f, omissions_href) for f in view.framings]
    return _section(anchor, "outlets", "Outlets and how they tell it", parts)


def _voice_key(voice: Voice) -> str:
    return voice.entity or inline(voice.speaker).lower()


def _voices(framings: Sequence[Framing]) -> str:
    """Speakers down, outlets across: who each outlet quotes, how much, and with which verbs."""
    names: dict[str, str] = {}
    for framing in framings:
        for voice in framing.voices:
            names.setdefault(_voice_key(voice), voice.speaker)
    if not names:
        return ""
    header = "".join(f'<th class="u">{_text(f.outlet)}</th>' for f in framings)
    # each outlet's first voice of each speaker, looked up rather than searched for per cell
    # (a story of 40 outlets and 400 speakers would scan its voices 16,000 times)
    voices: list[dict[str, Voice]] = []
    for framing in framings:
        first: dict[str, Voice] = {}
        for voice in framing.voices:
            first.setdefault(_voice_key(voice), voice)
        voices.append(first)
    rows = []
    for key, name in names.items():
        cells = [_voice_cell(found.get(key)) for found in voices]
        rows.append(f'<tr><th class="u">{_text(name)}</th>{"".join(cells)}</tr>')
    return ('<h4>Who gets the voice</h4><p class="legend">Share of each outlet\'s quoted and '
            "paraphrased words, and the verbs it reports them with.</p>"
            f'<div class="table"><table><thead><tr><th>Speaker</th>{header}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _voice_cell(voice: Voice | None) -> str:
    if voice is None:
        return '<td class="details">not quoted</td>'
    share = max(0.0, min(1.0, voice.share))
    cues = ", ".join(f"{_text(cue)} ×{count}" for cue, count in voice.cues)
    stances = ", ".join(f"{_text(stance)} ×{count}" for stance, count in voice.stances)
    return (f'<td><meter min="0" max="1" value="{share:.3f}"></meter> {share:.0%} · '
            f"{_plural(voice.quoted_words, 'word')}"
            f'<br><span class="u">{cues}</span>'
            f'<br><span class="details u">{stances}</span></td>')


def _framing_notes(view: StoryView, framing: Framing,
                   omissions_href: OmissionsHref | None) -> str:
    terms = [f'<li>{_cite(view, span, f"“{term}”", quote=True)}</li>'
             for term, span in framing.loaded_terms]
    shown = shown_omissions(framing)
    if not terms and not shown:
        return ""
    parts = [f'<h4 class="u">{_text(framing.outlet)}</h4>']
    if terms:
        parts.append(f'<p>Loaded words and epithets:</p><ul>{"".join(terms)}</ul>')
    if shown:
        items = "".join(_omission_item(view, o) for o in shown)
        parts.append(f"<p>Leaves out what others carry:</p><ul>{items}</ul>")
    counts = omissions_left_out(framing)
    if counts is not None:
        parts.append(_omissions_left_out(framing, counts, omissions_href))
    return "".join(parts)


def _omission_item(view: StoryView, omission: Omission) -> str:
    what, span = omission
    return (f'<li><span class="u">{_text(what)}</span> '
            f"(carried by {_cite(view, span, outlet_name(view, span.doc))})</li>")


def _omissions_left_out(framing: Framing, counts: str,
                        omissions_href: OmissionsHref | None) -> str:
    """What the cut list leaves out: how many of each kind, and where to read them all."""
    total = len(framing.omissions)
    if omissions_href is not None:
        where = (f'<a href="{html.escape(omissions_href(framing.outlet), quote=True)}">'
                 f"All {total}, on a page of their own</a>.")
    else:
        where = f"The JSON report lists all {total}."
    return f'<p class="details">Shown: {_text(counts)}. {where}</p>'


# --- quotes and entities ----------------------------------------------------------------------

def _quotes(view: StoryView, anchor: str) -> str:
    parts: list[str] = []
    for group in quotes_by_speaker(view):
        parts.append(f'<h4><span class="u">{_text(group.speaker)}</span> '
                     f'<span class="meta">· {_plural(group.count, "quote")}</span></h4>')
        for outlet, attributions in group.by_outlet:
            items = "".join(
                f"<li>{_cite(view, a.content, quote_text(view, a), quote=True)}"
                f'<br><span class="details u">{_text(quote_details(view, a))}</span></li>'
                for a in attributions)
            parts.append(f'<p class="u"><strong>{_text(outlet)}</strong></p>'
                         f'<ul class="quotes">{items}</ul>')
    return _section(anchor, "quotes", "Quotes by speaker", parts)


def _entities(view: StoryView, anchor: str) -> str:
    rows = [_entity_row(view, e) for e in view.entities]
    table = ('<div class="table"><table><thead><tr><th>Name</th><th>Type</th><th>Also called'
             "</th><th>Mentions</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
             "</div>")
    return _section(anchor, "entities", "People, places and organisations",
                    [table] if rows else [])


def _entity_row(view: StoryView, entity: Entity) -> str:
    mentions, documents = mention_count(view, entity)
    aliases = "; ".join(_text(a) for a in entity.aliases if inline(a) and a != entity.name)
    counted = f"{mentions} in {_plural(documents, 'document')}" if mentions else ""
    return (f'<tr><td class="u">{_text(entity.name)}</td><td>{_text(entity.type)}</td>'
            f'<td class="u">{aliases}</td><td>{counted}</td></tr>')
