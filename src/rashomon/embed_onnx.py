"""all-MiniLM-L6-v2 on ONNX Runtime: the packaged weights exported once, on this machine.

Nothing is downloaded. The first process that needs the model loads the packaged weights with
torch (as the torch path does), exports the transformer to ONNX (the mean pooling and the
normalisation run after it, in numpy), checks the result against torch on a few sentences,
and writes the graph to a cache file, atomically (a temporary file renamed into place: processes that export at once each
write a whole file, and the last rename wins). Later processes load the cache file: no torch
model, and the encoder itself about 1.4x faster than torch on the short texts the story-level
stage embeds (`bench/speed.py`).

The cache file is named after what it was made from (the weights file's size and time, the
torch version, this module's export version), so new weights or a new exporter make a new file.
It lives in `$RASHOMON_CACHE_DIR`, else `$XDG_CACHE_HOME/rashomon`, else `~/.cache/rashomon`.

Vectors are those of the torch path within ~3e-7 (float32 rounding in another order of
operations), as vectors computed with two torch thread counts differ.

Not used, measured (2026-12-03, AVX2 without VNNI, one thread, 1,500 PolNeAR sentences and
1,500 words): int8 dynamic quantisation of this graph (`quantize_dynamic`, QInt8 weights) runs
sentences 1.25x faster and words 1.1x, but its vectors sit at cosine 0.959 from the float ones
on average (0.81 at worst) and move pairwise cosines by 0.025 on average, 0.13 at worst:
enough to cross the 0.45-0.8 thresholds the relations use. ONNX Runtime's BERT fusions
(`onnxruntime.transformers.optimizer`) gave no speed-up over its default graph optimisations.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sentence_transformers import SentenceTransformer

__all__ = ["OnnxEncoder", "cache_dir", "exported_model"]

# Raised when the exported graph changes (inputs, outputs, opset, pooling): a new cache file.
EXPORT_VERSION = 2
OPSET = 17
# The exported graph must give the torch model's vectors this closely on the check sentences;
# float32 in another order of operations differs by ~3e-7.
MAX_EXPORT_ERROR = 1e-5
CHECK_SENTENCES = (
    "The ferry terminal reopened on Friday, officials said.",
    "A spokeswoman denied that the barge had been moored without a permit for several weeks, "
    "and said the harbour authority would publish its own account of the collision.",
    "Velmora",
)


def cache_dir() -> Path:
    """Where exported models are kept (see the module docstring)."""
    if os.environ.get("RASHOMON_CACHE_DIR"):
        return Path(os.environ["RASHOMON_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rashomon"


def _weights_key(model_dir: Path) -> str:
    """What the export is made from, as a short hash: the weights file (by size and time, not
    by reading 90 MB each start), the torch version and this module's export version."""
    from importlib.metadata import version

    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    digest = hashlib.sha256(repr((EXPORT_VERSION, OPSET, str(weights), stat.st_size,
                                  stat.st_mtime_ns, version("torch"))).encode()).hexdigest()
    return digest[:16]


def exported_model(model_dir: Path, load_torch: Any) -> Path:
    """The cache file of the exported model, exported now when missing.

    `load_torch` gives the SentenceTransformer of `model_dir` (called only to export).
    Raises OSError when the cache directory cannot be written, ValueError when the export does
    not reproduce the torch vectors.
    """
    target = cache_dir() / f"all-MiniLM-L6-v2-{_weights_key(model_dir)}.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".onnx")
    os.close(handle)
    try:
        model = load_torch()
        _export(model, Path(scratch))
        _check(model, Path(scratch), model_dir)
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return target


def _export(model: SentenceTransformer, path: Path) -> None:
    """The transformer as an ONNX graph: token ids and attention mask in, each token's hidden
    state out. The pooling stays out of the graph (`OnnxEncoder.encode`): ONNX Runtime's
    reductions give a row's vector last bits that depend on the rows beside it."""
    import torch

    class Hidden(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                            token_type_ids=torch.zeros_like(input_ids))
            return out.last_hidden_state  # type: ignore[no-any-return]

    hidden = Hidden(model[0].auto_model).eval()
    # traced with a padded row, so that the graph keeps the masked path (an all-ones mask
    # lets the attention skip its mask, and the trace would keep that shortcut)
    ids = torch.tensor([[101, 7592, 2088, 2003, 102], [101, 7592, 102, 0, 0]], dtype=torch.long)
    mask = (ids != 0).to(torch.long)
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes: expected
        torch.onnx.export(
            hidden, (ids, mask), str(path), input_names=["input_ids", "attention_mask"],
            output_names=["hidden"], opset_version=OPSET, dynamo=False,
            dynamic_axes={"input_ids": {0: "rows", 1: "tokens"},
                          "attention_mask": {0: "rows", 1: "tokens"}, "hidden": {0: "rows", 1: "tokens"}},
        )


def _check(model: SentenceTransformer, path: Path, model_dir: Path) -> None:
    """Refuse an export whose vectors are not the torch model's."""
    expected = model.encode(list(CHECK_SENTENCES), normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)
    encoder = OnnxEncoder(path, model_dir)
    got = np.vstack([encoder.encode([text]) for text in CHECK_SENTENCES])
    error = float(np.abs(got - expected).max())
    if error > MAX_EXPORT_ERROR:
        raise ValueError(f"the ONNX export differs from the torch model by {error:.2g}")


class OnnxEncoder:
    """Texts to unit vectors with ONNX Runtime, tokenized as sentence-transformers does
    (stripped, truncated at the model's 256 tokens)."""

    max_tokens = 256

    def __init__(self, onnx_file: Path, model_dir: Path) -> None:
        import onnxruntime  # type: ignore[import-untyped]  # the package ships no types
        from tokenizers import Tokenizer

        # the tokenizer's own thread pool would compete with the workers for the cores
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self.max_tokens)
        self._tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        # idle threads that spin burn CPU other processes (workers, other jobs) could use
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"])

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids, as the model reads them."""
        return [encoding.ids for encoding in
                self._tokenizer.encode_batch([text.strip() for text in texts])]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit float32 row per text; texts of one token length run unpadded."""
        ids = self.token_ids(texts)
        width = max(len(row) for row in ids)
        batch = np.zeros((len(ids), width), dtype=np.int64)
        for number, row in enumerate(ids):
            batch[number, : len(row)] = row
        mask = (np.arange(width) < np.array([[len(row)] for row in ids])).astype(np.int64)
        (hidden,) = self._session.run(None, {"input_ids": batch, "attention_mask": mask})
        return _mean_pooled(np.asarray(hidden, dtype=np.float32), mask)


    def token_states(
        self, texts: Sequence[str]
    ) -> list[tuple[np.ndarray, list[tuple[int, int]]]]:
        """Each text's word pieces as the model reads them (truncated at `max_tokens`): their
        last hidden states (float32, one row per piece, the special tokens left out) and their
        character offsets in the text. Texts run in batches of similar length: padding moves
        a state's last bits only."""
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda n: len(encodings[n].ids))
        found: dict[int, tuple[np.ndarray, list[tuple[int, int]]]] = {}
        for start in range(0, len(order), _STATE_BATCH):
            rows = order[start : start + _STATE_BATCH]
            width = max(len(encodings[n].ids) for n in rows)
            batch = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, n in enumerate(rows):
                batch[row, : len(encodings[n].ids)] = encodings[n].ids
                mask[row, : len(encodings[n].ids)] = 1
            (hidden,) = self._session.run(None, {"input_ids": batch, "attention_mask": mask})
            for row, n in enumerate(rows):
                special = encodings[n].special_tokens_mask
                kept = [k for k in range(len(encodings[n].ids)) if not special[k]]
                found[n] = (np.asarray(hidden[row, kept], dtype=np.float32),
                            [encodings[n].offsets[k] for k in kept])
        return [found[n] for n in range(len(texts))]


# Texts per ONNX Runtime call in `token_states`: larger batches pad more, smaller ones pay
# the call's overhead more often.
_STATE_BATCH = 16


def _mean_pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each row's mean token vector over its unmasked tokens, at unit length, as the model's
    pooling and normalisation modules compute it; numpy reduces each row on its own, so a row's
    vector does not depend on its batch."""
    weights = mask[:, :, None].astype(np.float32)
    mean = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
    pooled: np.ndarray = (mean / norms).astype(np.float32)
    return pooled


def _threads() -> int:
    """ONNX Runtime's threads: `OMP_NUM_THREADS` when set (workers set it to 1), else its own
    choice (one per core)."""
    try:
        return max(0, int(os.environ.get("OMP_NUM_THREADS", "0")))
    except ValueError:
        return 0
