"""`LegalRef`: one mention of a legal document, as the references find it and the amendment
relations complete it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class LegalRef:
    """One mention of a legal document.

    Spans are offsets into `nfc(text)` (the text itself when it is already NFC, as loaders
    produce). `key` identifies the document across mentions and documents: the folded number
    (`so_hieu_key`), or "luat:<folded name>@<year>" for a law cited by name only.
    """

    key: str
    so_hieu: str | None  # canonical number ("61/2018/NĐ-CP"); None for a law cited by name
    doc_type: str | None  # "Nghị định"; from the words before the number, else its symbols
    name: str | None = None  # for laws cited by name: "Luật Tổ chức chính quyền địa phương"
    date: str | None = None  # ISO date of issue, when the mention gives it
    issuer: str | None = None
    issuer_implied: bool = False  # True when the issuer comes from the number's suffix
    subject: str | None = None  # the "về …" phrase as written, whitespace collapsed
    span: tuple[int, int] = (0, 0)  # the whole mention: type word … end of subject
    number_span: tuple[int, int] | None = None
    raw: str = ""  # the mention as written
    passage: str = ""  # the sentence or clause that cites it, whitespace collapsed
    passage_span: tuple[int, int] = (0, 0)
    basis: bool = False  # cited as a basis: "Căn cứ …", "Thực hiện …", "Để triển khai …"
    amends: list[str] = field(default_factory=list)  # keys this document amends (said here)
    amended_by: list[str] = field(default_factory=list)  # keys that amend this document
    # What the citing document itself does to this one: "amends", "replaces", "repeals" or
    # "partly_repeals" (an article or clause of it).
    citing_relation: str | None = None
    core_end: int = 0  # offset where number, date and issuer end (the subject may follow)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
