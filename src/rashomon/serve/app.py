"""The ASGI app: the API under ``/api``, the pages everywhere else, one error format each.

    app = create_app("news.db", load_settings(), token=None, loopback_only=True)

API errors are JSON (`schemas.ErrorOut`); page errors are a short HTML page. The OpenAPI schema
(``/api/openapi.json``) carries the report's JSON Schema as ``Report`` and ``Report_<name>``, so
that every answer of the API is described there. FastAPI's interactive docs are off: they load
scripts from elsewhere, which the Content-Security-Policy forbids.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

import rashomon
from rashomon.errors import RashomonError
from rashomon.ingest.text import valid_text
from rashomon.render import load_schema
from rashomon.serve import api, pages
from rashomon.serve.access import Guard
from rashomon.serve.errors import Problem, ServeError
from rashomon.serve.markup import error_page
from rashomon.serve.service import Service

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["create_app", "report_components"]

_log = logging.getLogger("rashomon.serve")
_DEF_REF = re.compile(r'"#/\$defs/([A-Za-z0-9_]+)"')
_LABELS = {400: "bad request", 401: "unauthorized", 404: "not found", 405: "method not allowed",
           413: "too large", 415: "unsupported media type", 422: "unprocessable input",
           500: "internal error", 503: "unavailable"}


def report_components() -> dict[str, Any]:
    """`report.schema.json` as OpenAPI components: ``Report`` and one ``Report_<def>`` each."""
    text = json.dumps(load_schema())
    schema = json.loads(_DEF_REF.sub(r'"#/components/schemas/Report_\1"', text))
    definitions = schema.pop("$defs", {})
    schema.pop("$schema", None)
    return {"Report": schema, **{f"Report_{k}": v for k, v in definitions.items()}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, message: str,
           problems: tuple[Problem, ...] = (),
           headers: Mapping[str, str] | None = None) -> Response:
    # an answer may quote the request, which can hold what no encoding writes ("\ud800")
    message = valid_text(message)
    problems = tuple(Problem(valid_text(p.where), valid_text(p.message)) for p in problems)
    if _wants_json(request):
        return JSONResponse(
            {"status": status, "error": _LABELS.get(status, "error"), "message": message,
             "problems": [{"where": p.where, "message": p.message} for p in problems]},
            status_code=status, headers=headers)
    return HTMLResponse(error_page(status, message), status_code=status, headers=headers)


def _where(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "request"


def _validation_problems(error: RequestValidationError) -> tuple[Problem, ...]:
    problems = []
    for item in error.errors():
        message = str(item.get("msg", "invalid"))
        if "input" in item and item.get("type") != "missing":
            shown = repr(item["input"])
            message += f" (got {shown[:80] + '…' if len(shown) > 80 else shown})"
        problems.append(Problem(_where(tuple(item.get("loc", ()))), message))
    return tuple(problems)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ServeError)
    async def refused(request: Request, error: ServeError) -> Response:
        return _error(request, error.status, error.message, error.problems)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = _validation_problems(error)
        summary = "; ".join(f"{p.where}: {p.message}" for p in problems[:5])
        return _error(request, 422, f"invalid request: {summary}", problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        message = str(error.detail)
        if error.status_code == 404:
            message = f"no such path {request.url.path}; the API is described at /api/openapi.json"
        return _error(request, error.status_code, message, headers=error.headers)

    @app.exception_handler(RashomonError)
    async def store_error(request: Request, error: RashomonError) -> Response:
        return _error(request, 503, f"the store cannot answer: {error}")

    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception) -> Response:
        # a bug, not the client's fault: the details go to the log, never into the answer
        _log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return _error(request, 500, "the server failed to answer; its log has the details")


def _install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                                 description=app.description)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                report_components())
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(db: str, settings: Settings, *, token: str | None = None,
               loopback_only: bool = True) -> FastAPI:
    """The app over the store at `db`.

    `token`: when set, the API needs ``Authorization: Bearer TOKEN`` and the pages a session
    from the login form. `loopback_only`: answer only requests addressed to a loopback name.
    """
    app = FastAPI(
        title="Rashomon", version=rashomon.__version__, openapi_url="/api/openapi.json",
        docs_url=None, redoc_url=None,
        description="Who claims what across outlets: stories, their documents, attributions, "
                    "claims, relations, entities and timeline, each span with its offsets.",
    )
    app.state.service = Service(db, settings)
    app.state.token = token
    app.include_router(api.router)
    app.include_router(pages.router)
    _install_errors(app)
    _install_openapi(app)
    app.add_middleware(Guard, token=token, loopback_only=loopback_only,
                       max_body=4 * settings.max_document_bytes)
    return app
