"""Restricting retrieval to some documents: by type, issuing body and year of issue.

Operators narrow a question to, say, the plans of one province's department for 2025. The
filter is applied to candidate chunks before scores are fused, so a filtered answer can only
cite matching documents (it is not a post-hoc hiding of citations).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.index.store import StoredDocument
from motcua.types import DocumentMeta


@dataclass(frozen=True)
class DocumentFilter:
    """Each field set must match exactly; fields left None do not restrict."""

    doc_type: str | None = None  # "Kế hoạch", "Thủ tục hành chính", ...
    issuer: str | None = None  # as extracted: "Sở Giáo dục và Đào tạo tỉnh Long An"
    year: int | None = None  # year of issue

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.doc_type, self.issuer, self.year))

    def matches(self, meta: DocumentMeta) -> bool:
        if self.doc_type is not None and meta.doc_type != self.doc_type:
            return False
        if self.issuer is not None and meta.issuer != self.issuer:
            return False
        # A document without a known date cannot be shown to be of the asked year.
        return self.year is None or (meta.issued_date or "")[:4] == f"{self.year:04d}"

    def allowed(self, documents: Iterable[StoredDocument]) -> set[str]:
        """The doc_ids of the documents that pass."""
        return {d.doc_id for d in documents if self.matches(d.meta)}
