"""How a registry record reads on a terminal (`motcua decrees`): its label, what it is about,
the documents that cite it by name and title, and the texts it is linked to, by their labels."""

from __future__ import annotations

import re

from motcua.ingest.registry import DecreeRegistry, LegalDocRecord

# Citations give the subject with its "về (việc)": said once, by the "về:" it is printed after.
_ABOUT = re.compile(r"^(?:về|Về)\s+(?:việc\s+)?")
RELATION_LABELS = (
    ("amends", "sửa đổi"),
    ("amended_by", "được sửa đổi bởi"),
    ("replaces", "thay thế"),
    ("replaced_by", "bị thay thế bởi"),
    ("repeals", "bãi bỏ"),
    ("repealed_by", "bị bãi bỏ bởi"),
    ("partly_repeals", "bãi bỏ một phần"),
    ("partly_repealed_by", "bị bãi bỏ một phần bởi"),
)


def record_lines(registry: DecreeRegistry, record: LegalDocRecord) -> list[str]:
    lines = [record.label()]
    subject = record.title or record.subject
    if subject:
        lines.append(f"  về: {_ABOUT.sub('', subject)}")
    citing = registry.citing_documents(record)
    if citing:
        lines.append("  được trích dẫn trong:")
        lines += [f"    - {document.name()}" for document in citing]
    for relation, label in RELATION_LABELS:
        # a key is not a name ("107/2021/nd-cp"): the linked record's label when it has one
        linked = [
            other.label() if (other := registry.get(key)) else key
            for key in getattr(record, relation)
        ]
        if linked:
            lines.append(f"  {label}: {'; '.join(linked)}")
    return lines
