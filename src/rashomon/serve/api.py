"""The HTTP API under ``/api``: stories, their parts, documents, entities, ingest.

Lists are paginated with `limit` (1-200) and `offset`; each page says its `total` and the path
of the `next` one. Errors are one JSON body (`ErrorOut`): 404 for an unknown story, document or
entity, 422 for bad input, 413 for a request or document over its cap, 401 without the token.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from rashomon.ingest.fetch import non_public_kind
from rashomon.serve.catalog import EntityGroup
from rashomon.serve.errors import NotFound, Problem, TooLarge, Unprocessable
from rashomon.serve.markup import entity_url
from rashomon.serve.schemas import (
    MAX_CLAIM_QUERY,
    CheckOut,
    CheckResultOut,
    DocumentList,
    DocumentOut,
    EntityList,
    EntityOut,
    EntityStoryOut,
    ErrorOut,
    FailedOut,
    IngestIn,
    IngestOut,
    SpanOut,
    StoryList,
    StoryOut,
)
from rashomon.serve.service import Page, Service
from rashomon.store import StoryRow

__all__ = ["STORY_PARTS", "check_url", "entity_out", "router", "story_out"]

# A story's parts served as lists: URL segment -> the report schema's name for one item.
STORY_PARTS: Mapping[str, str] = {
    "documents": "document",
    "attributions": "attribution",
    "claims": "claim",
    "relations": "relation",
    "entities": "entity",
    "mentions": "mention",
    "timeline": "timeline_entry",
}

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in ((401, "The server requires its token."),
                         (404, "No such story, document or entity."),
                         (413, "The request or a document is over its size cap."),
                         (422, "The request is not valid; `problems` says where."))
}

router = APIRouter(prefix="/api", responses=ERRORS)

StoryId = Path(min_length=1, max_length=100, description="A story id, as listed.")
Limit = Query(50, ge=1, le=200, description="How many items at most.")
Offset = Query(0, ge=0, le=1_000_000_000, description="How many items to skip.")


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(_service)]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_answer(schema: dict[str, Any], description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _list_schema(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "total", "limit", "offset", "next"],
            "properties": {"items": {"type": "array", "items": item},
                           "total": {"type": "integer"}, "limit": {"type": "integer"},
                           "offset": {"type": "integer"},
                           "next": {"type": ["string", "null"]}}}


def _next(path: str, page: Page[Any], **params: str) -> str | None:
    if page.next_offset is None:
        return None
    query = {**{k: v for k, v in params.items() if v}, "limit": str(page.limit),
             "offset": str(page.next_offset)}
    return f"{path}?{urlencode(query)}"


def story_out(row: StoryRow) -> StoryOut:
    return StoryOut(id=row.id, title=row.title, size=row.size,
                    first_published=row.first_published, last_published=row.last_published,
                    outlets=list(row.outlets), created_at=row.created_at,
                    api=f"/api/stories/{row.id}", page=f"/stories/{row.id}")


# -- stories --------------------------------------------------------------------------------

@router.get("/stories", response_model=StoryList, summary="List stories")
def list_stories(
    service: ServiceDep,
    q: str = Query("", max_length=200, description="Words that must all be in the title."),
    sort: Literal["date", "size"] = Query("date", description="Newest first, or largest."),
    limit: int = Limit, offset: int = Offset,
) -> StoryList:
    page = service.stories(query=q, sort=sort, limit=limit, offset=offset)
    return StoryList(items=[story_out(r) for r in page.items], total=page.total,
                     limit=limit, offset=offset,
                     next=_next("/api/stories", page, q=q, sort=sort))


@router.get("/stories/{story_id}", summary="A story's analysis",
            responses=_json_answer(_ref("Report"), "The story's report (report.schema.json): "
                                   "documents, attributions, claims, relations, entities, "
                                   "timeline, brief and framing."))
def get_story(service: ServiceDep, story_id: str = StoryId) -> Response:
    # the text `rashomon report ID --json` prints (no docstring: it would be the schema's)
    return Response(service.story_json(story_id).text, media_type="application/json")


def _part_route(part: str, item: str) -> None:
    def get_part(service: ServiceDep, story_id: str = StoryId, limit: int = Limit,
                 offset: int = Offset) -> JSONResponse:
        report = service.story_json(story_id)
        items: Sequence[Any] = report.report.get(part, [])
        page = Page(tuple(items[offset : offset + limit]), len(items), limit, offset)
        return JSONResponse({"items": list(page.items), "total": page.total, "limit": limit,
                             "offset": offset,
                             "next": _next(f"/api/stories/{report.story_id}/{part}", page)})

    get_part.__name__ = f"story_{part}"
    router.add_api_route(
        f"/stories/{{story_id}}/{part}", get_part, methods=["GET"],
        summary=f"A story's {part.replace('_', ' ')}",
        responses=_json_answer(_list_schema(_ref(f"Report_{item}")), f"One page of {part}."),
    )


for _part, _item in STORY_PARTS.items():
    _part_route(_part, _item)


@router.get("/stories/{story_id}/entities/{entity_id}", summary="An entity of a story",
            responses=_json_answer({
                "type": "object", "required": ["entity", "mentions", "attributions"],
                "properties": {"entity": _ref("Report_entity"),
                               "mentions": {"type": "array", "items": _ref("Report_mention")},
                               "attributions": {"type": "array",
                                                "items": _ref("Report_attribution")}}},
                "The entity, its mentions, and what it is reported to have said."))
def get_entity(service: ServiceDep, story_id: str = StoryId,
               entity_id: str = Path(min_length=1, max_length=300)) -> JSONResponse:
    report = service.story_json(story_id).report
    entity = next((e for e in report["entities"] if e["id"] == entity_id), None)
    if entity is None:
        raise NotFound(f"no entity {entity_id!r} in story {story_id!r}; its entities are "
                       f"listed at /api/stories/{story_id}/entities")
    return JSONResponse({
        "entity": entity,
        "mentions": [m for m in report["mentions"] if m.get("entity") == entity_id],
        "attributions": [a for a in report["attributions"]
                         if (a.get("speaker") or {}).get("entity") == entity_id],
    })


# -- entities across stories ----------------------------------------------------------------

def entity_out(group: EntityGroup) -> EntityOut:
    stories = [
        EntityStoryOut(
            story=s.story, title=s.title, entity=s.entity, name=s.name, mentions=s.mentions,
            documents=s.documents, outlets=list(s.outlets),
            page=entity_url(s.story, s.entity), api="/api" + entity_url(s.story, s.entity))
        for s in group.stories]
    return EntityOut(id=group.id, name=group.name, type=group.type, aliases=list(group.aliases),
                     mentions=group.mentions, outlets=list(group.outlets), stories=stories)


@router.get("/entities", response_model=EntityList, summary="Entities across stories")
def list_entities(
    service: ServiceDep,
    q: str = Query("", max_length=200,
                   description="Words that must all be in the entity's name or an alias."),
    limit: int = Limit, offset: int = Offset,
) -> EntityList:
    """Every story's entities grouped by id (type and name), in most stories first, each with
    its stories, mention counts and outlets. A group is one name, not proof of one person.
    Read from the stories' stored analyses; `pending` says how many stories are not analysed
    yet (the next ingest analyses them)."""
    page, pending = service.entities(query=q, limit=limit, offset=offset)
    return EntityList(items=[entity_out(g) for g in page.items], total=page.total,
                      limit=limit, offset=offset, next=_next("/api/entities", page, q=q),
                      pending=pending)


@router.get("/entities/{entity_id}", response_model=EntityOut,
            summary="An entity across stories")
def get_entity_group(service: ServiceDep,
                     entity_id: str = Path(min_length=1, max_length=300)) -> EntityOut:
    return entity_out(service.entity_group(entity_id))


# -- documents ------------------------------------------------------------------------------

@router.get("/documents", response_model=DocumentList, summary="List documents")
def list_documents(service: ServiceDep, limit: int = Limit,
                   offset: int = Offset) -> DocumentList:
    page = service.documents(limit=limit, offset=offset)
    items = [DocumentOut(id=d.id, title=d.title, outlet=d.outlet_label, published=d.published,
                         url=d.url, story=story, characters=len(d.text),
                         api=f"/api/documents/{d.id}") for d, story in page.items]
    return DocumentList(items=items, total=page.total, limit=limit, offset=offset,
                        next=_next("/api/documents", page))


@router.get("/documents/{doc_id}", summary="A document and what was found in it",
            responses=_json_answer({
                "type": "object",
                "required": ["document", "story", "mentions", "attributions", "claims",
                             "timeline"],
                "properties": {
                    "document": _ref("Report_document"),
                    "story": {"type": ["string", "null"]},
                    "mentions": {"type": "array", "items": _ref("Report_mention")},
                    "attributions": {"type": "array", "items": _ref("Report_attribution")},
                    "claims": {"type": "array", "items": _ref("Report_claim")},
                    "timeline": {"type": "array", "items": _ref("Report_timeline_entry")}}},
                "The document (cleaned text and metadata) with its annotations."))
def get_document(service: ServiceDep,
                 doc_id: str = Path(min_length=1, max_length=100)) -> JSONResponse:
    return JSONResponse(dict(service.document(doc_id).report))


@router.get("/check", response_model=CheckOut, summary="Check a claim against the store")
def check(
    service: ServiceDep,
    claim: str = Query(min_length=1, max_length=MAX_CLAIM_QUERY,
                       description="The claim, in words."),
    limit: int = Query(20, ge=1, le=100, description="How many documents at most."),
) -> CheckOut:
    """The stored documents that support, refute or only report the claim, best first, each
    with the sentences closest to it (character offsets into the document's text)."""
    results = service.check(claim, limit=limit)
    return CheckOut(claim=claim, results=[
        CheckResultOut(document=r.document, story=r.story, outlet=r.outlet, title=r.title,
                       stance=r.stance, score=r.score, claim=r.claim,
                       spans=[SpanOut(start=s.start, end=s.end, text=w)
                              for s, w in zip(r.spans, r.words, strict=True)])
        for r in results])


def check_url(url: str, where: str, *, allow_private: bool) -> None:
    """Refuse a URL that is not http(s), or whose host has a non-public address.

    The check here gives a clear 422 before any work; the fetch itself checks again the
    address it connects to (`ingest.fetch.public_addresses_only`), redirects included.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Unprocessable(f"{where}: {url!r} is not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unprocessable(f"{where}: {url!r} is not an http(s) URL with a host")
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Unprocessable(f"{where}: host {parts.hostname!r} not found") from None
    for *_, sockaddr in found:
        kind = non_public_kind(str(sockaddr[0]))
        if kind is not None:
            raise Unprocessable(
                f"{where}: {url} refused: {parts.hostname} is a {kind} address"
                f"{'' if sockaddr[0] == parts.hostname else f' ({sockaddr[0]})'}; "
                "the setting allow_private_urls lets the server fetch such URLs")


@router.post("/documents", response_model=IngestOut, summary="Add documents",
             responses={200: {"description": "What was added; failures are listed one by one."}})
def post_documents(service: ServiceDep, body: IngestIn) -> IngestOut:
    if not body.records and not body.urls:
        raise Unprocessable("nothing to add: give `records` (with text) or `urls`",
                            (Problem("body", "records and urls are both empty"),))
    cap = service.settings.max_document_bytes
    for number, record in enumerate(body.records):
        size = len(record.body.encode("utf-8"))
        if size > cap:
            raise TooLarge(f"records[{number}] is {size} bytes, over the {cap} byte "
                           "document size cap (max_document_bytes)")
    for number, url in enumerate(body.urls):
        check_url(url, f"urls[{number}]", allow_private=service.settings.allow_private_urls)
    outcome = service.ingest([r.model_dump(exclude_none=True) for r in body.records], body.urls)
    result = IngestOut(added=list(outcome.added), unchanged=list(outcome.unchanged),
                       failed=[FailedOut(input=i, reason=r) for i, r in outcome.failed],
                       stories=[story_out(r) for r in outcome.stories])
    if outcome.failed and not outcome.added and not outcome.unchanged:
        raise Unprocessable(
            "no document could be added: " + "; ".join(f"{i}: {r}" for i, r in outcome.failed),
            tuple(Problem(i, r) for i, r in outcome.failed))
    return result
