"""Ingest: what the user typed (paths, URLs, ``-``) to `RawDocument`s, one per article.

Every article comes out as text (HTML is extracted here, with trafilatura), with whatever
metadata came with it; every input that fails comes out as an `InputError` naming it, in
place, so that one bad input never stops the others. Modules, one per kind of input:

* `dispatch`: which reader takes an input; standard input.
* `paths`: files by extension, directories walked in sorted order.
* `text`, `html`: plain text and HTML pages to documents; `text.valid_text`, the one rule
  that makes every string from outside valid Unicode (lone surrogates to U+FFFD).
* `records`: JSON and JSON Lines records.
* `feeds`: RSS and Atom feeds, entry by entry.
* `web`, `fetch`, `pages`: http(s) URLs, fetched with urllib.
* `content`, `metadata`, `results`: formats by signature, decoding and sniffing, dates /
  URLs / source keys / sidecars, and what readers yield.
"""

from __future__ import annotations

from rashomon.ingest.dispatch import iter_raw

__all__ = ["iter_raw"]
