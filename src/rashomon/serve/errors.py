"""What the server refuses, as exceptions that carry their HTTP status.

The API turns each into one JSON body (`{"status", "error", "message", "problems"}`) and the
pages into a short HTML page; the message names the bad value and what would be accepted::

    ServeError        400  anything the server refuses on purpose
    ├── NotFound      404  no such story, document or entity
    ├── Unprocessable 422  input that cannot be used (bad URL, refused address, every input failed)
    └── TooLarge      413  a request or a document over its size cap

(A request without the token, where one is required, is answered 401 by `access.Guard`
before it reaches the app.)
"""

from __future__ import annotations

from dataclasses import dataclass

from rashomon.errors import RashomonError

__all__ = ["NotFound", "Problem", "ServeError", "TooLarge", "Unprocessable"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a request: where (``body.urls[0]``) and what."""

    where: str
    message: str


class ServeError(RashomonError):
    """A request the server refuses; `status` is its HTTP status code."""

    status = 400
    label = "bad request"

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


class NotFound(ServeError):
    status = 404
    label = "not found"


class Unprocessable(ServeError):
    status = 422
    label = "unprocessable input"


class TooLarge(ServeError):
    status = 413
    label = "too large"
