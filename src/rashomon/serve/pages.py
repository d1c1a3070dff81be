"""The browser app: the story list, the story page, the entity pages, checking a claim, login.

Server-rendered HTML; the one script is the report's (`rashomon.render.html.SCRIPT`), which
highlights a citation's words in its article. Pages only read: adding documents is the API's.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rashomon.model import Span
from rashomon.render.html import SCRIPT, omissions_fragment, story_fragment
from rashomon.serve.access import (
    SESSION_COOKIE,
    safe_next,
    session_value,
    token_matches,
)
from rashomon.serve.errors import NotFound
from rashomon.serve.markup import (
    APP_STYLESHEET,
    check_page,
    entities_page,
    entity_page,
    login_page,
    mark_cited,
    omissions_page,
    omissions_url,
    story_list_page,
    story_page,
)
from rashomon.serve.schemas import MAX_CLAIM_QUERY
from rashomon.serve.service import Service, StoryReport

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_PAGE_SIZE = 30
_CHECK_LIMIT = 20
_MAX_LOGIN_BODY = 4096


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(_service)]


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


@router.get("/static/rashomon.css")
def stylesheet() -> Response:
    return Response(APP_STYLESHEET, media_type="text/css",
                    headers={"cache-control": "public, max-age=3600"})


@router.get("/static/rashomon.js")
def script() -> Response:
    return Response(SCRIPT, media_type="text/javascript",
                    headers={"cache-control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)  # no icon; an answer keeps browsers from logging a 404


@router.get("/", response_class=HTMLResponse)
def stories(
    service: ServiceDep,
    q: str = Query("", max_length=200),
    sort: Literal["date", "size"] = Query("date"),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> HTMLResponse:
    page = service.stories(query=q, sort=sort, limit=_PAGE_SIZE, offset=offset)
    return _html(story_list_page(page.items, total=page.total, query=q, sort=sort,
                                 offset=offset, limit=_PAGE_SIZE))


def _marked(report: StoryReport, fragment: str, doc: str, start: int,
            end: int) -> tuple[str, str]:
    """The fragment with the cited span marked, or unchanged and a notice saying why not."""
    document = next((d for d in report.analysis.documents if d.id == doc), None)
    if document is None or doc not in report.documents:
        return fragment, (f"The cited document {doc} is not in this story (any more); "
                          "the story is shown without the citation.")
    try:
        return mark_cited(fragment, document, Span(doc, start, end)), ""
    except ValueError:
        return fragment, (f"The cited characters {start}–{end} are not in that document "
                          f"({len(document.text)} characters); nothing is marked.")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, service: ServiceDep,
          story_id: str = Path(min_length=1, max_length=100),
          doc: str = Query("", max_length=100),
          start: int = Query(0, ge=0, le=1_000_000_000),
          end: int = Query(0, ge=0, le=1_000_000_000)) -> Response:
    """The story page; with `doc`, `start` and `end`, those characters marked (``#cited-span``)."""
    report = service.story(story_id)
    if report.story_id != story_id:  # merged into another story since the link was made
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/stories/{quote(report.story_id, safe='')}{query}",
                                status_code=301)
    fragment = story_fragment(report.analysis, report.story_id,
                              omissions_href=lambda outlet: omissions_url(report.story_id, outlet))
    notice = ""
    if doc:
        fragment, notice = _marked(report, fragment, doc, start, end)
    return _html(story_page(report.analysis, report.story_id, fragment, notice=notice))


@router.get("/stories/{story_id}/omissions", response_class=HTMLResponse)
def omissions(service: ServiceDep, story_id: str = Path(min_length=1, max_length=100),
              outlet: str = Query(min_length=1, max_length=1000)) -> HTMLResponse:
    """All that one outlet of the story leaves out; the story page shows the first few."""
    report = service.story(story_id)
    try:
        fragment = omissions_fragment(report.analysis, report.story_id, outlet)
    except ValueError:
        raise NotFound(f"no outlet {outlet!r} in story {story_id!r}") from None
    return _html(omissions_page(report.analysis, report.story_id, outlet, fragment))


@router.get("/stories/{story_id}/entities/{entity_id}", response_class=HTMLResponse)
def entity(service: ServiceDep, story_id: str = Path(min_length=1, max_length=100),
           entity_id: str = Path(min_length=1, max_length=300)) -> HTMLResponse:
    report = service.story(story_id)
    found = next((e for e in report.analysis.entities if e.id == entity_id), None)
    if found is None:
        raise NotFound(f"no entity {entity_id!r} in story {story_id!r}")
    return _html(entity_page(report.analysis, report.story_id, found))


@router.get("/check", response_class=HTMLResponse)
def check(service: ServiceDep,
          claim: str = Query("", max_length=MAX_CLAIM_QUERY)) -> HTMLResponse:
    """The claim form; with a claim, the documents that bear on it (`Service.check`)."""
    if not claim.strip():
        return _html(check_page("", None, max_chars=MAX_CLAIM_QUERY))
    results = service.check(claim, limit=_CHECK_LIMIT)
    return _html(check_page(claim, results, max_chars=MAX_CLAIM_QUERY))


@router.get("/entities", response_class=HTMLResponse)
def entities(service: ServiceDep, q: str = Query("", max_length=200),
             offset: int = Query(0, ge=0, le=1_000_000_000)) -> HTMLResponse:
    page, pending = service.entities(query=q, limit=_PAGE_SIZE, offset=offset)
    return _html(entities_page(page.items, total=page.total, query=q, offset=offset,
                               limit=_PAGE_SIZE, pending=pending))


@router.get("/login", response_class=HTMLResponse)
def login_form(next: str = Query("/", max_length=2000)) -> HTMLResponse:
    return _html(login_page(safe_next(next)))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the token of the form; on success set the session cookie and go on."""
    body = await request.body()
    fields = parse_qs(body[:_MAX_LOGIN_BODY].decode("utf-8", "replace"))
    given = (fields.get("token") or [""])[0]
    target = safe_next((fields.get("next") or ["/"])[0])
    token: str | None = request.app.state.token
    if token is None:
        return RedirectResponse(target, status_code=303)
    if not token_matches(given, token):
        return _html(login_page(target, failed=True), status=401)
    answer = RedirectResponse(target, status_code=303)
    answer.set_cookie(SESSION_COOKIE, session_value(token), httponly=True, samesite="strict",
                      path="/")
    return answer
