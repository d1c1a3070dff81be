"""Reports of an analysis: JSON (with its schema), Markdown, and the terminal.

All three show the same analysis. JSON is the complete one, every span with its offsets, and
`validate` checks it against `report.schema.json`; Markdown and the terminal are for people and
group it by story, then speaker, then outlet; `to_html` is the standalone page, every citation
a link that highlights its words in the article (see `rashomon.render.html`)::

    report = to_json(analysis)
    validate(report)
    print_report(analysis, rich.console.Console())
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.lazy import lazy_exports

if TYPE_CHECKING:
    from rashomon.render.html import to_html
    from rashomon.render.json import dumps, to_json
    from rashomon.render.markdown import to_markdown
    from rashomon.render.schema import load_schema, validate
    from rashomon.render.terminal import print_report

__all__ = [
    "dumps",
    "load_schema",
    "print_report",
    "to_html",
    "to_json",
    "to_markdown",
    "validate",
]

# Each name above, by the module that defines it, imported when first asked for (PEP 562):
# `rashomon report --json` needs the JSON writer only, not the page, the terminal (rich) or the
# schema's validator.
_HOMES = {
    "dumps": "json", "load_schema": "schema", "print_report": "terminal", "to_html": "html",
    "to_json": "json", "to_markdown": "markdown", "validate": "schema",
}


__getattr__ = lazy_exports(__name__, _HOMES)
