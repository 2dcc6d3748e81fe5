"""A registry of the legal documents a knowledge base cites, built from the documents themselves.

Each record is one legal document (keyed by its folded number, see `so_hieu_key`): what the
citing texts say about it (type, date, issuer, subject), which documents and passages cite it,
the ingested document that *is* it (when its own text was added), and the amendment links
("107/2021/NĐ-CP amends 61/2018/NĐ-CP"). It answers staff questions such as "nghị định nào quy
định cơ chế một cửa?", "Nghị định 92/2017 sửa đổi văn bản nào?", "kế hoạch 1655 căn cứ văn bản
nào?".

The registry is plain data: `to_json()` / `from_json()` give a JSON string to store beside an
index; nothing here touches files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from itertools import combinations
from typing import Any

from motcua.ingest.citations.document_numbers import key_parts, normalize_so_hieu, so_hieu_key
from motcua.ingest.citations.issuers import edit_distance
from motcua.ingest.citations.references import extract_legal_refs
from motcua.ingest.legal_records import RELATIONS, LegalDocRecord, Mention
from motcua.ingest.metadata import extract_metadata
from motcua.ingest.registry_search import number_matches, read_query, text_score
from motcua.ingest.text_layer import is_ocr_text
from motcua.text import diacritic_ratio, fold, fold_phrase
from motcua.types import DocumentMeta

__all__ = ["CitingDocument", "DecreeRegistry", "LegalDocRecord", "Mention"]

FORMAT_VERSION = 1


@dataclass(frozen=True)
class CitingDocument:
    doc_id: str  # for machines: the ingested file's id
    label: str  # "Kế hoạch số 1655/KH-SGDĐT ngày 05/05/2025 của Sở Giáo dục và Đào tạo"
    title: str | None  # its own subject line: "Tuyên truyền cải cách hành chính năm 2025"

    def name(self) -> str:
        """Label and title, the title once."""
        if not self.title or self.title in self.label:
            return self.label
        return f"{self.label}: {self.title}"


# A scanned phrase -> (what a reader is shown, every syllable at its likeliest reading):
# `TextLayer.views`, the repair the scan's passages get.
Reader = Callable[[str], tuple[str, str]]


@dataclass
class _DocEntry:
    """What one ingested document contributes; records are rebuilt from these."""

    meta: dict[str, Any]
    refs: list[dict[str, Any]]
    # its scanned subjects and title, as written -> [shown, likeliest reading]
    readings: dict[str, list[str]] = field(default_factory=dict)

    def read(self, text: str) -> tuple[str, str, str | None]:
        """(shown, likeliest reading, raw when the repair changed it) of a phrase it holds."""
        shown, best = self.readings.get(text, (text, text))
        return shown, best, (text if shown != text else None)


def _own_key(meta: DocumentMeta) -> str | None:
    if meta.so_hieu:
        return so_hieu_key(meta.so_hieu)
    # A constitution or a law known only by name (no number in its header).
    if meta.doc_type in ("Hiến pháp", "Luật", "Bộ luật", "Pháp lệnh") and meta.issued_date:
        base = "Hiến pháp" if meta.doc_type == "Hiến pháp" else f"{meta.doc_type} {meta.title}"
        return f"luat:{fold_phrase(base)}@{meta.issued_date[:4]}"
    return None


def _law_name_keys(meta: DocumentMeta) -> list[str]:
    """Keys under which a law's own text may be cited by name ("Luật An ninh mạng")."""
    if meta.doc_type not in ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"):
        return []
    base = "Hiến pháp" if meta.doc_type == "Hiến pháp" else f"{meta.doc_type} {meta.title or ''}"
    key = f"luat:{fold_phrase(base)}"
    if meta.doc_type != "Hiến pháp" and not meta.title:
        return []
    year = (meta.issued_date or "")[:4]
    return [key, f"{key}@{year}"] if year else [key]


SCAN_ERRORS_PER = 20  # characters of a law's name per letter a scan may get wrong
MARKS_LOST = 0.2  # share of syllables with marks a scanned spelling has fewer of
SCANNED_MARKS = 0.5  # at most this share of a scanned spelling's syllables keep their marks

_REF_FIELDS = (
    "key", "so_hieu", "doc_type", "name", "date", "issuer", "issuer_implied", "subject",
    "span", "passage", "basis", "amends", "amended_by", "citing_relation",
)  # fmt: skip


class DecreeRegistry:
    """Legal documents cited across a knowledge base, with who cites them and what amends what."""

    def __init__(self) -> None:
        self._docs: dict[str, _DocEntry] = {}
        self._records: dict[str, LegalDocRecord] = {}
        self._alias: dict[str, str] = {}  # alias key -> record key
        self._stale = False  # records are rebuilt from the documents on the next read

    @property
    def records(self) -> dict[str, LegalDocRecord]:
        """Every record by key (rebuilt after documents were added or removed)."""
        if self._stale:
            self._rebuild()
        return self._records

    # -- building --------------------------------------------------------------------------

    def add_document(
        self,
        doc_id: str,
        text: str,
        meta: DocumentMeta | None = None,
        reader: Reader | None = None,
    ) -> None:
        """Record every legal document `text` cites, and `text` itself when it has a number.
        With a `reader`, the subjects and title of a scanned text are repaired as its passages
        are, so they read right and a search in proper Vietnamese finds them.

        Adding a doc_id again replaces what it contributed before.
        """
        meta = meta or extract_metadata(text)
        refs = [{k: getattr(r, k) for k in _REF_FIELDS} for r in extract_legal_refs(text)]
        readings: dict[str, list[str]] = {}
        if reader is not None and is_ocr_text(text):
            for phrase in (meta.title, *(ref["subject"] for ref in refs)):
                if phrase and phrase not in readings:
                    readings[phrase] = list(reader(phrase))
        self._docs[doc_id] = _DocEntry(meta.to_dict(), refs, readings)
        self._stale = True

    def remove_document(self, doc_id: str) -> None:
        if self._docs.pop(doc_id, None) is not None:
            self._stale = True

    def _rebuild(self) -> None:
        # Records are a function of the documents, so adding many documents costs one rebuild
        # and adding one twice cannot leave stale mentions behind.
        self._stale = False
        self._records, self._alias = {}, self._named_aliases()
        for doc_id, entry in self._docs.items():
            self._apply(doc_id, entry)

    def _named_aliases(self) -> dict[str, str]:
        """Laws cited by name: "Luật X" without a year is "Luật X@2015" when that is the only
        year seen, and the ingested text of a law answers to its name."""
        named: dict[str, str] = {}  # key -> the name as first cited
        for entry in self._docs.values():
            for ref in entry.refs:
                if ref["key"].startswith("luat:"):
                    named.setdefault(ref["key"], ref["name"] or "")
        aliases: dict[str, str] = {}
        for entry in self._docs.values():
            meta = DocumentMeta(**entry.meta)
            own = _own_key(meta)
            if own and meta.doc_type in ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"):
                for name_key in _law_name_keys(meta):
                    aliases[name_key] = own
        for key in named:
            if "@" in key or key in aliases:
                continue
            dated = [k for k in named if k.startswith(key + "@")]
            if len(dated) == 1:
                aliases[key] = aliases.get(dated[0], dated[0])
        for garbled, clean in _scanned_spellings(named).items():
            aliases.setdefault(garbled, aliases.get(clean, clean))
        return aliases

    def _apply(self, doc_id: str, entry: _DocEntry) -> None:
        meta = DocumentMeta(**entry.meta)
        own_key = _own_key(meta)
        own: LegalDocRecord | None = None
        if own_key:
            own = self._record_for(own_key, meta.so_hieu, meta.issued_date)
            # The document's own header is authoritative over what others say about it.
            own.doc_id = doc_id
            own.so_hieu = meta.so_hieu or own.so_hieu
            own.doc_type = meta.doc_type or own.doc_type
            own.date = meta.issued_date or own.date
            if meta.issuer:
                own.issuer, own.issuer_implied = meta.issuer, False
            if meta.title:
                own.title, best, own.title_raw = entry.read(meta.title)
                own.read_as["title"] = best
        local: dict[str, str] = {}  # ref key -> record key, within this document
        own_keys = {own_key, *_law_name_keys(meta)} if own_key else set()
        for ref in entry.refs:
            if ref["key"] in own_keys:
                continue  # the document naming itself ("Số: …", "Ban hành kèm theo …")
            rec = self._record_for(ref["key"], ref["so_hieu"], ref["date"])
            local.setdefault(ref["key"], rec.key)
            self._merge(rec, ref, entry)
            rec.cited_by.append(
                Mention(doc_id, ref["passage"], tuple(ref["span"]), bool(ref["basis"]))
            )
            if own and ref["citing_relation"] in RELATIONS:
                self._link(own, rec, ref["citing_relation"])
        for ref in entry.refs:
            if ref["key"] not in local:
                continue
            rec = self._records[local[ref["key"]]]
            for target in ref["amends"]:
                other = self._resolve(local.get(target, target))
                if other and other is not rec:
                    self._link(rec, other, "amends")

    def _record_for(self, key: str, so_hieu: str | None, date: str | None) -> LegalDocRecord:
        key = self._alias.get(key, key)
        rec = self._records.get(key)
        if rec is not None:
            num, year, _ = key_parts(key)
            if date and rec.date and date != rec.date and year is None and so_hieu:
                # Numbers without a year restart every year and repeat across provinces:
                # "800/KH-UBND" of 2022 and of 2024 are different plans.
                variant = f"{key}@{date}"
                return self._records.setdefault(variant, LegalDocRecord(variant, so_hieu))
            return rec
        twin = self._twin(key, so_hieu, date)
        if twin is not None:
            self._alias[key] = twin.key
            if so_hieu and so_hieu != twin.so_hieu and so_hieu not in twin.aliases:
                twin.aliases.append(so_hieu)
            return twin
        rec = LegalDocRecord(key, so_hieu)
        self._records[key] = rec
        return rec

    def _twin(self, key: str, so_hieu: str | None, date: str | None) -> LegalDocRecord | None:
        """An existing record that is the same document under a misspelt symbol: same number,
        year and date, symbol one letter apart ("8322/UBND-VHXH" and "8322/UBND-VHXXH")."""
        if not (so_hieu and date):
            return None
        num, year, sym = key_parts(key)
        for rec in self._records.values():
            if rec.so_hieu is None or rec.date != date:
                continue
            rnum, ryear, rsym = key_parts(rec.key.split("@")[0])
            if rnum == num and ryear == year and _one_edit(rsym, sym):
                return rec
        return None

    def _merge(self, rec: LegalDocRecord, ref: dict[str, Any], entry: _DocEntry) -> None:
        rec.so_hieu = rec.so_hieu or ref["so_hieu"]
        rec.doc_type = rec.doc_type or ref["doc_type"]
        if ref["name"] and (
            not rec.name or diacritic_ratio(ref["name"]) > diacritic_ratio(rec.name) + MARKS_LOST
        ):
            rec.name = ref["name"]  # a clean citation names it better than a scanned one
        rec.date = rec.date or ref["date"]
        better = rec.issuer is None or (rec.issuer_implied and not ref["issuer_implied"])
        if ref["issuer"] and better:
            rec.issuer, rec.issuer_implied = ref["issuer"], bool(ref["issuer_implied"])
        if ref["subject"]:
            shown, best, raw = entry.read(ref["subject"])
            marks, held = diacritic_ratio(shown), diacritic_ratio(rec.subject or "")
            # A subject typed by a person is taken over one a model repaired, marks being equal.
            typed_over_repaired = raw is None and rec.subject_raw is not None and marks >= held
            if rec.subject is None or marks > held + 0.3 or typed_over_repaired:
                rec.subject, rec.subject_raw = shown, raw
                rec.read_as["subject"] = best

    def _resolve(self, key: str) -> LegalDocRecord | None:
        records = self.records  # first: a rebuild also refreshes the aliases
        return records.get(self._alias.get(key, key))

    def _link(self, a: LegalDocRecord, b: LegalDocRecord, relation: str) -> None:
        forward, backward = RELATIONS[relation]
        if b.key not in getattr(a, forward):
            getattr(a, forward).append(b.key)
        if a.key not in getattr(b, backward):
            getattr(b, backward).append(a.key)

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.records)

    def get(self, so_hieu_or_query: str) -> LegalDocRecord | None:
        """The record for a number ("61/2018/ND-CP", "61/2018/nđ-cp"), else the best `search`."""
        rec = self.exact(so_hieu_or_query)
        if rec is None:
            found = self.search(so_hieu_or_query, limit=1)
            rec = found[0] if found else None
        return rec

    def exact(self, so_hieu_or_key: str) -> LegalDocRecord | None:
        """The record a full number or a record key names; None for words or a short number,
        which `search` answers with every record that fits."""
        canonical = normalize_so_hieu(so_hieu_or_key)
        if canonical:
            rec = self._resolve(so_hieu_key(canonical))
            if rec:
                return rec
        key = so_hieu_or_key.strip()
        if key in self.records or key in self._alias:
            return self._resolve(key)
        return None

    def search(self, query: str, limit: int = 20) -> list[LegalDocRecord]:
        """Records matching a number ("61/2018", "nghi dinh 61"), a type, or subject words
        ("một cửa", "mot cua"), best first; an empty query lists the most cited."""
        canonical = normalize_so_hieu(query)
        if canonical:
            rec = self._resolve(so_hieu_key(canonical))
            if rec:
                return [rec]
        numbers, types, words = read_query(fold(query))
        candidates = list(self.records.values())
        if numbers:
            candidates = [r for r in candidates if number_matches(r, numbers)]
        if types:
            typed = [r for r in candidates if r.doc_type in types]
            candidates = typed or ([] if numbers else candidates)
        return [rec for _, rec in self._scored(candidates, words)[:limit]]

    def by_subject(
        self,
        query: str,
        min_score: float,
        min_words: int = 1,
        *,
        any_type: bool = False,
        among: Iterable[LegalDocRecord] | None = None,
    ) -> list[tuple[float, LegalDocRecord]]:
        """Records whose subject says what the query asks about ("thực hiện thủ tục hành
        chính trên môi trường điện tử"), with their scores, best first; no number involved.
        A query with fewer than `min_words` subject words finds nothing. With `any_type`, a
        type the query names ("thông tư nào …") does not narrow the search: staff often name
        the wrong one, and the answer should then say which type the text really is. `among`
        searches those records only (the texts one document cites)."""
        _numbers, types, words = read_query(fold(query))
        if len(words) < max(min_words, 1):
            return []
        types = set() if any_type else types
        pool = self.records.values() if among is None else among
        candidates = [r for r in pool if not types or r.doc_type in types]
        return [(s, r) for s, r in self._scored(candidates, words) if s >= min_score]

    @staticmethod
    def _scored(
        candidates: list[LegalDocRecord], words: list[str]
    ) -> list[tuple[float, LegalDocRecord]]:
        scored: list[tuple[float, LegalDocRecord]] = []
        for rec in candidates:
            score = text_score(rec, words) if words else 1.0
            if score > 0:
                scored.append((score, rec))
        scored.sort(key=lambda s: (-s[0], -len(s[1].citing_docs), s[1].key))
        return scored

    def cited_in(self, doc_id_or_so_hieu: str) -> list[LegalDocRecord]:
        """What a document cites ("kế hoạch 1655 căn cứ văn bản nào?"), bases first."""
        doc_id = doc_id_or_so_hieu
        if doc_id not in self._docs:
            rec = self.get(doc_id_or_so_hieu)
            if rec is None or rec.doc_id is None:
                return []
            doc_id = rec.doc_id
        out: list[tuple[bool, int, LegalDocRecord]] = []
        seen: set[str] = set()
        for rec in self.records.values():
            mentions = [m for m in rec.cited_by if m.doc_id == doc_id]
            if mentions and rec.key not in seen:
                seen.add(rec.key)
                out.append((not any(m.basis for m in mentions), mentions[0].span[0], rec))
        out.sort(key=lambda t: (t[0], t[1]))
        return [rec for _, _, rec in out]

    def document_record(self, doc_id: str) -> LegalDocRecord | None:
        """The record of an ingested document itself (None when it has no number)."""
        return next((r for r in self.records.values() if r.doc_id == doc_id), None)

    def citing_documents(self, record: LegalDocRecord) -> list[CitingDocument]:
        """The ingested documents that cite `record`, named as a reader names them (a file id
        means nothing to staff), a scan's title repaired as its passages are."""
        named = []
        for doc_id in record.citing_docs:
            entry = self._docs.get(doc_id)
            meta = DocumentMeta(**entry.meta) if entry else DocumentMeta()
            title = entry.read(meta.title)[0] if entry and meta.title else None
            label = replace(meta, title=title).label(doc_id)
            named.append(CitingDocument(doc_id, label, title))
        return named

    def record_dict(self, record: LegalDocRecord) -> dict[str, Any]:
        """`record.to_dict()` with its citing documents named beside their ids."""
        return {
            **record.to_dict(),
            "citing_documents": [asdict(d) for d in self.citing_documents(record)],
        }

    # -- storage ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "documents": {
                doc_id: {"meta": e.meta, "refs": e.refs, "readings": e.readings}
                for doc_id, e in self._docs.items()
            },
            "records": {k: r.to_dict() for k, r in self.records.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DecreeRegistry:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported registry format: {data.get('version')!r}")
        reg = cls()
        for doc_id, entry in data.get("documents", {}).items():
            refs = [dict(r, span=tuple(r["span"])) for r in entry["refs"]]
            reg._docs[doc_id] = _DocEntry(entry["meta"], refs, entry.get("readings", {}))
        reg._stale = True
        return reg

    @classmethod
    def from_json(cls, text: str) -> DecreeRegistry:
        return cls.from_dict(json.loads(text))


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _scanned_spellings(named: dict[str, str]) -> dict[str, str]:
    """A law's name as a scan garbled it ("Luật Ban hanh van ban quy pham phép luat"), to the
    clean spelling of the same year: a letter or two apart, the clean one in marks."""
    by_year: dict[str, list[str]] = {}
    for key in sorted(named):
        if "@" in key and named[key]:
            by_year.setdefault(key.rsplit("@", 1)[1], []).append(key)
    found: dict[str, str] = {}
    for keys in by_year.values():
        for a, b in combinations(keys, 2):
            if edit_distance(a, b) > max(1, len(a) // SCAN_ERRORS_PER):
                continue
            garbled, clean = sorted((a, b), key=lambda k: diacritic_ratio(named[k]))
            # Two clean names a letter apart are two laws; a scan loses most of its marks.
            lost = diacritic_ratio(named[garbled])
            if lost <= SCANNED_MARKS and diacritic_ratio(named[clean]) - lost >= MARKS_LOST:
                found[garbled] = clean
    return found
