"""The API's request and response bodies, as pydantic models (they make the OpenAPI schema).

Report-shaped answers (a story's analysis, its documents, attributions, ...) are not modelled
here: they are `rashomon.render.to_json`'s output, described by `report.schema.json`, which the
app puts into its OpenAPI components as ``Report`` and ``Report_<name>`` (see `app.py`).
Inputs are validated here and nowhere else: unknown fields are refused, sizes are bounded.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rashomon.ingest.metadata import is_http_url
from rashomon.ingest.text import valid_text

__all__ = [
    "CheckOut",
    "CheckResultOut",
    "DocumentList",
    "DocumentOut",
    "EntityList",
    "EntityOut",
    "EntityStoryOut",
    "ErrorOut",
    "FailedOut",
    "IngestIn",
    "IngestOut",
    "ProblemOut",
    "RecordIn",
    "SpanOut",
    "StoryList",
    "StoryOut",
]

MAX_RECORDS = 100
MAX_URLS = 20
# The longest claim `/api/check` and the check page accept; `check_claim` reads its first
# `check.MAX_CLAIM_CHARS` characters (a longer text is an article, not a claim).
MAX_CLAIM_QUERY = 2000


class ProblemOut(BaseModel):
    where: str = Field(description="The part of the request at fault, e.g. `query.limit`.")
    message: str


class ErrorOut(BaseModel):
    """Every error answer: its status, a short label, a message naming the bad value."""

    status: int
    error: str
    message: str
    problems: list[ProblemOut] = Field(default_factory=list)


class StoryOut(BaseModel):
    id: str
    title: str | None
    size: int = Field(description="Number of documents.")
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    created_at: str
    api: str = Field(description="Path of the story's analysis in the API.")
    page: str = Field(description="Path of the story's page in the browser app.")


class StoryList(BaseModel):
    items: list[StoryOut]
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="Path of the next page, or null on the last one.")


class DocumentOut(BaseModel):
    id: str
    title: str | None
    outlet: str = Field(description="The outlet's name, else its site, else the file name.")
    published: str | None
    url: str | None
    story: str | None
    characters: int
    api: str


class DocumentList(BaseModel):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int
    next: str | None


class RecordIn(BaseModel):
    """One article to store, as `rashomon ingest` reads a JSON Lines record.

    Give a `title` (or a `url`) so that posting the same article twice stores it once.
    """

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, min_length=1, description="The article's text.")
    html: str | None = Field(default=None, min_length=1,
                             description="The article's page, when there is no `text`: its "
                             "main text is extracted (nothing in it is fetched or run).")
    outlet: str = Field(min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                                  description="Publication date, YYYY-MM-DD.")
    url: str | None = Field(default=None, max_length=2000,
                            description="Where the article was published: an http(s) URL.")
    author: str | None = Field(default=None, max_length=300)

    @field_validator("text", "html", "outlet", "title", "url", "author", "published",
                     mode="before")
    @classmethod
    def _valid_unicode(cls, value: object) -> object:
        # JSON can spell a lone surrogate ("\ud800"): the same rule as every reader's
        return valid_text(value) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not is_http_url(value):
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _has_a_body(self) -> RecordIn:
        if self.text is None and self.html is None:
            raise ValueError("a record needs `text` or `html`")
        return self

    @property
    def body(self) -> str:
        return self.text or self.html or ""


class IngestIn(BaseModel):
    """Articles to add: records carrying their text, and http(s) URLs to fetch."""

    model_config = ConfigDict(extra="forbid")

    records: list[RecordIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    urls: list[str] = Field(default_factory=list, max_length=MAX_URLS)

    @field_validator("urls", mode="before")
    @classmethod
    def _valid_unicode(cls, value: object) -> object:
        if isinstance(value, list):
            return [valid_text(v) if isinstance(v, str) else v for v in value]
        return value


class FailedOut(BaseModel):
    input: str = Field(description="`records[N]` or the URL.")
    reason: str


class IngestOut(BaseModel):
    added: list[str] = Field(description="Ids of the documents stored by this request.")
    unchanged: list[str] = Field(description="Ids of posted documents already stored.")
    failed: list[FailedOut]
    stories: list[StoryOut] = Field(description="The stories the posted documents are in.")


class SpanOut(BaseModel):
    start: int = Field(description="Character offset into the document's cleaned text.")
    end: int
    text: str


class CheckResultOut(BaseModel):
    document: str
    story: str | None
    outlet: str
    title: str | None
    stance: Literal["supports", "refutes", "reports"]
    score: float = Field(description="The stance model's probability of `stance`.")
    claim: str | None = Field(description="Id of the stored claim holding the best span.")
    spans: list[SpanOut] = Field(description="The document's sentences closest to the claim.")


class CheckOut(BaseModel):
    claim: str
    results: list[CheckResultOut]


class EntityStoryOut(BaseModel):
    """An entity as one story links it."""

    story: str
    title: str | None = Field(description="The story's title.")
    entity: str = Field(description="The entity's id in that story.")
    name: str = Field(description="Its fullest name in that story.")
    mentions: int = Field(description="Mentions in the story's documents.")
    documents: int = Field(description="Documents of the story that mention it.")
    outlets: list[str]
    page: str = Field(description="Path of the story's entity page in the browser app.")
    api: str = Field(description="Path of the story's entity in the API.")


class EntityOut(BaseModel):
    """Entities of several stories grouped by their id (type and folded name): one name, not
    proof of one person; each story's entity is the evidence."""

    id: str
    name: str
    type: str = Field(description="spaCy's label: PERSON, ORG, GPE, ...")
    aliases: list[str] = Field(description="Every name the stories' outlets use for it.")
    mentions: int = Field(description="Mentions across all its stories.")
    outlets: list[str]
    stories: list[EntityStoryOut] = Field(description="Its stories, most mentions first.")


class EntityList(BaseModel):
    items: list[EntityOut]
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="Path of the next page, or null on the last one.")
    pending: int = Field(description="Stories whose stored analysis is missing or out of "
                         "date: their entities are missing or out of date until the next "
                         "ingest analyses them.")
