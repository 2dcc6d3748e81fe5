"""Plain result types that cross module boundaries (ingest -> index -> bot -> channels)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from motcua.text import dmy


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

    def label(self, fallback: str) -> str:
        """How a reader names the document: type, number, date, issuer (never a file name)."""
        parts = [self.doc_type or "Văn bản"]
        if self.so_hieu:
            parts.append(f"số {self.so_hieu}")
        if self.issued_date:
            parts.append(f"ngày {dmy(self.issued_date)}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        if not self.so_hieu and self.title:
            parts.append(f"“{self.title}”")
        if len(parts) == 1:
            parts.append(f"“{fallback}”")
        return " ".join(parts)

    def facts(self) -> str | None:
        """The document's own particulars as one answerable passage (None when unknown)."""
        if not (self.so_hieu or self.issued_date or self.signer):
            return None
        lines = [self.label("")]
        if self.title:
            lines.append(f"Trích yếu: {self.title}.")
        if self.issued_date:
            # Written out as the documents write dates, so "ban hành ngày nào" finds the form
            # people quote ("ngày 05 tháng 5 năm 2025") as well as the label's "05/05/2025".
            year, month, day = self.issued_date.split("-")
            lines.append(f"Ngày ban hành: ngày {int(day):02d} tháng {int(month)} năm {year}.")
        if self.place:
            lines.append(f"Nơi ban hành: {self.place}.")
        if self.signer:
            lines.append(f"Người ký: {self.signer}.")
        return "\n".join(lines)


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
    text: str  # answerable text, as written in the source
    section: str | None = None  # heading path, "II. Nội dung > 1. Nội dung tuyên truyền"
    position: int = 0  # order inside the document
    readable: str | None = None  # OCR text repaired for reading (None for clean text)
    # The repair's best reading of every syllable, unsure ones included (None for clean text
    # and for indexes built before it was stored): matched, never shown.
    repaired: str | None = None

    @property
    def shown(self) -> str:
        """What a reader sees: the repaired text of an OCR chunk, otherwise the text itself."""
        return self.readable or self.text

    @property
    def searchable(self) -> str:
        """What questions are matched against: a syllable kept as scanned for the reader
        ("thirc") still matches by its likeliest reading ("thức")."""
        return self.repaired or self.readable or self.text


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


STATUS_ANSWERED, STATUS_CLARIFY, STATUS_REFUSED = "answered", "clarify", "refused"


@dataclass
class Suggestion:
    """One reading of an unclear question, offered back to the asker: choosing it asks
    `question`, a self-contained question that the knowledge base answers."""

    label: str  # what the asker sees: a procedure's name, a document and its section
    question: str


@dataclass
class Answer:
    question: str
    answer: str  # the whole text: `lead` first when there is one, then the rest
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    answer_id: str | None = None  # the question log's id, for 👍/👎 (set once logged)
    curated_id: int | None = None  # set when staff's curated answer was served
    # answered | clarify ("did you mean…", with `suggestions`) | refused; None derives it
    # from `refused`, so older call sites that only say refused/not stay right.
    status: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    # When the question asked one aspect (fee, time, where…): the line or two that answer it.
    # Channels send it as its own first message, the console shows the rest collapsed.
    lead: str | None = None

    def __post_init__(self) -> None:
        if self.status is None:
            self.status = STATUS_REFUSED if self.refused else STATUS_ANSWERED
        if self.status not in (STATUS_ANSWERED, STATUS_CLARIFY, STATUS_REFUSED):
            raise ValueError(f"unknown answer status {self.status!r}")
        if (self.status == STATUS_REFUSED) != self.refused:
            raise ValueError("refused is true exactly when the status is 'refused'")

    @property
    def curated(self) -> bool:
        return self.curated_id is not None

    @property
    def details(self) -> str | None:
        """The text after the lead (None when there is no lead)."""
        if not self.lead or not self.answer.startswith(self.lead):
            return None
        return self.answer[len(self.lead) :].strip() or None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
