"""The procedure catalogue of an index version: its records, looked up by code, words or card.

`CatalogueStore` is where a version keeps them; the embedded default, `JsonCatalogueStore`, is
one JSON file in the version's folder, written at ingest beside the registry and read-only
once published, so nothing needs a server. Readers get a `Catalogue`: plain lookups over the
records in memory (a province's lists hold hundreds of procedures, not millions).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.ingest.cards import builtin_card
from motcua.ingest.catalogue import CODE, ProcedureRecord
from motcua.lexicon import Normalized, normalize
from motcua.lexicon.vocabulary import PACKAGE as LEXICON_PACKAGE
from motcua.text import fold_phrase

FORMAT_VERSION = 1
CATALOGUE_FILE = "catalogue.json"
MAX_QUERY_CHARS = 200  # a query is a code or a few words of a name


@dataclass
class CataloguePage:
    total: int  # records matching, over all pages
    records: list[ProcedureRecord]


@dataclass(frozen=True)
class NameTerms:
    """What a listed name says of which procedure it is, as questions are matched to it."""

    words: frozenset[str]  # folded subject words
    levels: frozenset[str]  # school levels it names ("THCS")

    def to_dict(self) -> dict[str, list[str]]:
        return {"words": sorted(self.words), "levels": sorted(self.levels)}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> NameTerms:
        return cls(frozenset(data.get("words", [])), frozenset(data.get("levels", [])))


# Words every procedure's name or question may have, saying nothing of which procedure.
_GENERIC_PAIRS = frozenset(
    {("thu", "tuc"), ("hanh", "chinh"), ("ho", "so"), ("doi", "voi"), ("giai", "quyet")}
)


def subject_words(reading: Normalized) -> set[str]:
    """Folded words that say which procedure: the reading's subject (no level, aspect, place
    nor words the lexicon says name no subject, such as the "học sinh" every school procedure
    serves), without the words every procedure has."""
    folded = [t.folded for t in reading.tokens]
    generic: set[int] = set()
    for i in range(len(folded) - 1):
        if (folded[i], folded[i + 1]) in _GENERIC_PAIRS:
            generic.update((i, i + 1))
    return {
        folded[i]
        for i in reading.subject_indices()
        if i not in generic
        and folded[i] not in QUERY_STOPWORDS
        and folded[i] != "tthc"
        and not folded[i].isdigit()
    }


@cache
def lexicon_fingerprint() -> str:
    """Names are read with the lexicon; terms read with another one are read again."""
    folder = resources.files(LEXICON_PACKAGE)
    digest = hashlib.sha256()
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".yaml"):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:16]


def name_terms(name: str) -> NameTerms:
    reading = normalize(name)
    return NameTerms(frozenset(subject_words(reading)), frozenset(reading.levels))


def code_in(text: str) -> str | None:
    """The national procedure code a text names ("mã 1.010219", "2.001914.000.00.00.H50")."""
    found = CODE.search(text)
    return found.group(1) if found else None


class Catalogue:
    """Records in the order they were read (document by document, row by row)."""

    def __init__(
        self,
        records: Iterable[ProcedureRecord] = (),
        terms: dict[str, NameTerms] | None = None,
    ) -> None:
        self._records = list(records)
        self._terms = dict(terms or {})
        self._by_code: dict[str, list[ProcedureRecord]] = {}
        self._by_card: dict[str, list[ProcedureRecord]] = {}
        self._words: list[set[str]] = []
        for record in self._records:
            if record.code:
                self._by_code.setdefault(record.code, []).append(record)
            if record.card_id:
                self._by_card.setdefault(record.card_id, []).append(record)
            self._words.append(set(fold_phrase(_searchable(record)).split()))

    def __len__(self) -> int:
        return len(self._records)

    def records(self) -> Sequence[ProcedureRecord]:
        return self._records

    def by_code(self, code: str) -> list[ProcedureRecord]:
        """The records of a code, current lists before lists of abolished procedures."""
        found = code_in(code)
        records = self._by_code.get(found, []) if found else []
        return sorted(records, key=lambda r: r.abolished)

    def for_card(self, card_id: str) -> list[ProcedureRecord]:
        return list(self._by_card.get(card_id, []))

    def name_terms(self) -> dict[str, NameTerms]:
        """Each listed name's terms, by `ProcedureRecord.key`. Reading a name takes a few
        milliseconds, so they are kept in the catalogue's file and reused by the next build:
        a version loads without reading its thousands of names again."""
        for record in self._records:
            if record.key not in self._terms:
                self._terms[record.key] = name_terms(record.name)
        keys = {r.key for r in self._records}
        return {k: v for k, v in self._terms.items() if k in keys}

    def provinces(self) -> list[str]:
        return sorted({r.province for r in self._records if r.province})

    def search(self, query: str = "", limit: int = 20, offset: int = 0) -> CataloguePage:
        """Records whose code the query names, or that hold all its words (folded): name, field,
        province and decision; those whose name holds more of them first."""
        query = query.strip()
        if not query:
            return CataloguePage(len(self._records), self._records[offset : offset + limit])
        if code := code_in(query):
            found = self.by_code(code)
            return CataloguePage(len(found), found[offset : offset + limit])
        words = [w for w in fold_phrase(query).split() if w not in QUERY_STOPWORDS]
        if not words:
            return CataloguePage(0, [])
        scored = []
        for position, (record, held) in enumerate(zip(self._records, self._words, strict=True)):
            if all(w in held for w in words):
                in_name = set(fold_phrase(record.name).split())
                scored.append((-sum(w in in_name for w in words), record.abolished, position))
        scored.sort()
        found = [self._records[position] for *_, position in scored]
        return CataloguePage(len(found), found[offset : offset + limit])

    def to_json(self) -> str:
        data = {
            "format": FORMAT_VERSION,
            "records": [r.to_dict() for r in self._records],
            "names": {k: v.to_dict() for k, v in self.name_terms().items()},
            "lexicon": lexicon_fingerprint(),
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Catalogue:
        data = json.loads(text)
        terms = {}
        if data.get("lexicon") == lexicon_fingerprint():
            terms = {k: NameTerms.from_dict(v) for k, v in data.get("names", {}).items()}
        return cls((ProcedureRecord.from_dict(r) for r in data.get("records", [])), terms)


def _searchable(record: ProcedureRecord) -> str:
    parts = (
        record.name,
        record.code,
        record.field,
        record.province,
        record.so_hieu,
        record.level,
        " ".join(record.levels),
    )
    return " ".join(p for p in parts if p)


class CatalogueStore(Protocol):
    """Where an index version keeps its catalogue."""

    def save(self, catalogue: Catalogue) -> None: ...

    def load(self) -> Catalogue:
        """The saved catalogue; an empty one when the version has none (built before it)."""
        ...


class JsonCatalogueStore:
    """The catalogue as one JSON file in an index version's folder, replaced atomically."""

    def __init__(self, root: Path | str) -> None:
        self.path = Path(root) / CATALOGUE_FILE

    def save(self, catalogue: Catalogue) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(catalogue.to_json(), encoding="utf-8")
        os.replace(tmp, self.path)

    def load(self) -> Catalogue:
        if not self.path.exists():
            return Catalogue()
        return Catalogue.from_json(self.path.read_text(encoding="utf-8"))


def catalogue_page(catalogue: Catalogue, q: str, limit: int, offset: int) -> dict[str, Any]:
    """One page of records matching `q` (a code or words); the CLI prints the same."""
    page = catalogue.search(q, limit=limit, offset=offset)
    items = [r.to_dict() for r in page.records]
    return {"total": page.total, "limit": limit, "offset": offset, "items": items}


def procedure_detail(catalogue: Catalogue, code: str) -> dict[str, Any] | None:
    records = catalogue.by_code(code)
    if not records:
        return None
    cards = {r.card_id: builtin_card(r.card_id) for r in records if r.card_id}
    return {
        "code": records[0].code,
        "name": records[0].name,
        "records": [r.to_dict() for r in records],
        "cards": [{"id": c.id, "ten": c.ten} for c in cards.values() if c is not None],
    }


_PLACE_MARKERS = re.compile(r"^(?:tinh|thanh pho|tp)\s+")


def names_province(question: str, province: str | None) -> bool:
    """Whether a question names a province ("ở Bắc Ninh", "tỉnh bac ninh")."""
    if not province:
        return False
    name = _PLACE_MARKERS.sub("", fold_phrase(province))
    return bool(name) and f" {name} " in f" {fold_phrase(question)} "
