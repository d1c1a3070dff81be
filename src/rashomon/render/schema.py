"""The JSON report's schema (`report.schema.json`, in the package) and a check against it."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from rashomon.errors import RashomonError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

__all__ = ["ReportSchemaError", "load_schema", "validate"]

SCHEMA_FILE = "report.schema.json"
# Enough to see what is wrong without burying it: one bad field in every attribution would
# otherwise print one line per attribution.
_MAX_PROBLEMS = 10
_MAX_MESSAGE = 200


class ReportSchemaError(RashomonError, ValueError):
    """A report does not match `report.schema.json`; `problems` lists where and why."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        lines = [f"  {problem}" for problem in shown]
        if more:
            lines.append(f"  ... and {more} more")
        super().__init__(
            f"the report does not match its schema ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}):\n" + "\n".join(lines)
        )
        self.problems = problems


def _schema_text() -> str:
    return resources.files("rashomon.render").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The report's JSON Schema (draft 2020-12), a fresh dict the caller may change."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@functools.cache
def _validator() -> Draft202012Validator:
    # imported here: jsonschema takes a fifth of a second to load, and printing a report
    # (everything that imports `rashomon.render`) never validates one
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


def _shorten(message: str) -> str:
    # jsonschema quotes the offending value, which may be a whole article
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def validate(report: Mapping[str, Any]) -> None:
    """Check a report (as from `to_json` or `json.loads`) against the schema.

    Raises ReportSchemaError (a ValueError) naming each offending place as a JSON path,
    e.g. ``$.attributions[0].stance: 'maybe' is not one of [...]``.
    """
    errors = sorted(_validator().iter_errors(report), key=lambda e: e.json_path)
    if errors:
        raise ReportSchemaError([f"{e.json_path}: {_shorten(e.message)}" for e in errors])
