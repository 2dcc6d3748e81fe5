"""The registry's records: one legal document, what citing texts say about it, the places that
cite it and its links to other legal documents (kept apart from `registry`, which builds them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RELATIONS = {
    "amends": ("amends", "amended_by"),
    "replaces": ("replaces", "replaced_by"),
    "repeals": ("repeals", "repealed_by"),
    "partly_repeals": ("partly_repeals", "partly_repealed_by"),
}


@dataclass
class Mention:
    """One place where a document cites a legal document."""

    doc_id: str
    passage: str  # the clause that cites it, as written (whitespace collapsed)
    span: tuple[int, int]  # the mention inside the citing document's text
    basis: bool = False  # cited as a basis: "Căn cứ…", "Thực hiện…"


@dataclass
class LegalDocRecord:
    key: str  # so_hieu_key of the number, or "luat:<name>@<year>" for laws cited by name
    so_hieu: str | None = None  # canonical number, "61/2018/NĐ-CP"
    doc_type: str | None = None
    name: str | None = None  # laws cited by name: "Luật Tổ chức chính quyền địa phương"
    date: str | None = None  # ISO date of issue
    issuer: str | None = None
    # Text quoted from a scan is repaired for reading as its passages are (the syllables the
    # model is sure of); the scan's own spelling is kept beside it.
    subject: str | None = None  # the "về …" phrase citing texts give
    subject_raw: str | None = None  # as scanned, when the repair changed it
    title: str | None = None  # the document's own subject line, when its text is ingested
    title_raw: str | None = None  # as scanned, when the repair changed it
    doc_id: str | None = None  # the ingested document that is this legal document
    aliases: list[str] = field(default_factory=list)  # other spellings seen (OCR, typos)
    cited_by: list[Mention] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    amended_by: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)
    repeals: list[str] = field(default_factory=list)
    repealed_by: list[str] = field(default_factory=list)
    partly_repeals: list[str] = field(default_factory=list)  # an article or clause of them
    partly_repealed_by: list[str] = field(default_factory=list)
    # evidence kept to pick the best value when mentions disagree
    issuer_implied: bool = True
    # Every syllable of a scanned subject or title at its likeliest reading, sure or not:
    # what search matches besides the text shown ({"subject": …, "title": …}).
    read_as: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def citing_docs(self) -> list[str]:
        return list(dict.fromkeys(m.doc_id for m in self.cited_by))

    def label(self) -> str:
        """How a reply names it: "Nghị định 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ"."""
        head = self.name or " ".join(p for p in (self.doc_type, self.so_hieu) if p) or self.key
        if self.name and self.so_hieu:
            head = f"{self.name} số {self.so_hieu}"
        parts = [head]
        if self.date:
            y, m, d = self.date.split("-")
            parts.append(f"ngày {int(d)}/{int(m)}/{y}")
        if self.issuer and not self.issuer_implied:
            parts.append(f"của {self.issuer}")
        return " ".join(parts)

    def as_written(self) -> str | None:
        """Its title, else its subject, as the document wrote it (a scan's own spelling): what
        a quote is looked up by in the text."""
        if self.title:
            return self.title_raw or self.title
        return self.subject_raw or self.subject

    def search_text(self) -> list[str]:
        """What a search of the registry reads of the record, repaired and as scanned."""
        fields = (self.name, self.subject, self.subject_raw, self.title, self.title_raw)
        return [x for x in (*fields, *self.read_as.values(), self.issuer, self.doc_type) if x]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["read_as"]  # for search only
        data["label"] = self.label()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LegalDocRecord:
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        mentions = [
            Mention(m["doc_id"], m["passage"], tuple(m["span"]), m.get("basis", False))
            for m in data.pop("cited_by", [])
        ]
        return cls(**data, cited_by=mentions)
