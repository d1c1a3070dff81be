"""The embeddings on ONNX Runtime (`rashomon.embed_onnx`): the packaged weights exported to a
cache file once, vectors those of the torch model, a text's vector independent of its batch.

Real model, real export (into a temporary cache directory), real ONNX Runtime session.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rashomon import embed, embed_onnx
from rashomon.errors import ConfigError

TEXTS = [
    "Teodor Brannik said the terminal at Port Veyra would reopen on Friday.",
    "No passengers were injured.",
    "No cargo was lost.",
    "The harbour master said the barge had been moored without a permit for several weeks, "
    "and that the owners had been warned twice.",
    "Velmora",
    "  Velmora  ",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, embed_onnx.OnnxEncoder]:
    cache = tmp_path_factory.mktemp("onnx-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RASHOMON_CACHE_DIR", str(cache))
        model_dir = embed._model_dir()  # noqa: SLF001 - the packaged weights' folder
        onnx_file = embed_onnx.exported_model(model_dir, embed._sentence_transformer)  # noqa: SLF001
    return onnx_file, embed_onnx.OnnxEncoder(onnx_file, model_dir)


@pytest.mark.slow
def test_embed_onnx_export_is_one_cache_file_reused(
    exported: tuple[Path, embed_onnx.OnnxEncoder], monkeypatch: pytest.MonkeyPatch
) -> None:
    onnx_file, _ = exported
    assert onnx_file.is_file()
    assert [p.name for p in onnx_file.parent.iterdir()] == [onnx_file.name]  # no scratch left
    written = onnx_file.stat().st_mtime_ns

    def no_torch() -> None:
        raise AssertionError("the cached export should need no torch model")

    monkeypatch.setenv("RASHOMON_CACHE_DIR", str(onnx_file.parent))
    again = embed_onnx.exported_model(embed._model_dir(), no_torch)  # noqa: SLF001
    assert again == onnx_file
    assert again.stat().st_mtime_ns == written


@pytest.mark.slow
def test_embed_onnx_vectors_are_the_torch_models(
    exported: tuple[Path, embed_onnx.OnnxEncoder],
) -> None:
    _, encoder = exported
    onnx = np.vstack([encoder.encode([text]) for text in TEXTS])
    torch = embed._TorchEncoder(embed._sentence_transformer())  # noqa: SLF001
    expected = np.vstack([torch.encode([text]) for text in TEXTS])
    assert np.abs(onnx - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    # stripped as sentence-transformers strips: the padded copy is the same text
    assert np.array_equal(onnx[4], onnx[5])
    assert encoder.token_ids(TEXTS) == torch.token_ids(TEXTS)


@pytest.mark.slow
def test_embed_onnx_vector_does_not_depend_on_its_batch(
    exported: tuple[Path, embed_onnx.OnnxEncoder],
) -> None:
    _, encoder = exported
    # two texts of one token length: alone, together, and among three copies
    same_length = [t for t in TEXTS[1:3]]
    assert len({len(ids) for ids in encoder.token_ids(same_length)}) == 1
    together = encoder.encode(same_length)
    alone = np.vstack([encoder.encode([text]) for text in same_length])
    crowded = encoder.encode(same_length * 3)[:2]
    assert np.array_equal(together, alone)
    assert np.array_equal(crowded, alone)


def test_embed_runtime_names_the_accepted_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASHOMON_EMBED_RUNTIME", "tensorflow")
    with pytest.raises(ConfigError, match="must be one of onnx, torch, got 'tensorflow'"):
        embed.runtime()
    monkeypatch.setenv("RASHOMON_EMBED_RUNTIME", "Torch")
    assert embed.runtime() == "torch"
    monkeypatch.delenv("RASHOMON_EMBED_RUNTIME")
    assert embed.runtime() == embed.DEFAULT_RUNTIME
