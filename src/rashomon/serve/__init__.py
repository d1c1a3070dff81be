"""`rashomon serve`: an HTTP API and a browser app over the store.

* `app`: `create_app(db, settings, token=, loopback_only=)`, the ASGI app (FastAPI).
* `api`: the API under ``/api`` (OpenAPI at ``/api/openapi.json``); `schemas`: its bodies.
* `pages`, `markup`: the server-rendered pages (story list, story, entity, check, entities, login).
* `catalog`: the corpus-wide entity list, every story's entities grouped by id.
* `service`: what both ask of the store, with the per-story analysis cache.
* `access`: Host check, token, security headers, body cap; `server`: the binding rule, uvicorn.
* `errors`: what the server refuses, with HTTP statuses.
"""

from __future__ import annotations

from rashomon.serve.app import create_app
from rashomon.serve.server import BindRefused, check_binding, serve

__all__ = ["BindRefused", "check_binding", "create_app", "serve"]
