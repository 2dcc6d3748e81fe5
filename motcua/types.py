"""Plain result types that cross module boundaries (ingest -> index -> bot -> channels)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class DocumentMeta:
    """What a document says about itself; a field that cannot be found stays None."""

    doc_type: str | None = None  # "Kế hoạch", "Nghị định", ...
    so_hieu: str | None = None  # "1655/KH-SGDĐT"
    issuer: str | None = None  # "Sở Giáo dục và Đào tạo tỉnh Long An"
    place: str | None = None
    issued_date: str | None = None  # ISO 8601
    title: str | None = None  # trích yếu
    signer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    doc_id: str
    text: str
    source_path: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    content_hash: str = ""
    kind: str = "document"  # "document" or "card" (a built-in procedure card)


@dataclass
class Chunk:
    chunk_id: int
    doc_id: str
    text: str  # answerable text, as shown
    section: str | None = None  # heading path, "II. Nội dung > 1. Nội dung tuyên truyền"
    position: int = 0  # order inside the document


@dataclass
class Hit:
    """A retrieved chunk with the evidence behind its rank."""

    chunk: Chunk
    score: float
    lexical: float = 0.0
    dense: float = 0.0


@dataclass
class Citation:
    doc_id: str
    title: str
    so_hieu: str | None
    section: str | None
    quote: str
    score: float


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
