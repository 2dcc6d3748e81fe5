"""Procedure cards: curated, structured pages about administrative procedures.

A card is a Markdown file whose YAML front matter holds the facts as fields (who, where, steps,
documents, time, fee, legal basis, check date, sources) and whose body is the same facts as a
readable page, one `## Heading` per topic. The built-in cards ship inside the package
(`motcua.cards`) and are read through `importlib.resources`, so an installed wheel finds them
as well as an editable checkout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from motcua.text import nfc
from motcua.types import Document, DocumentMeta

CARDS_PACKAGE = "motcua.cards"
DOC_TYPE = "Thủ tục hành chính"

# Every card body has these sections (a heading may add words after them).
REQUIRED_HEADINGS: tuple[str, ...] = (
    "Đối tượng",
    "Nơi nộp hồ sơ",
    "Trình tự thực hiện",
    "Thành phần hồ sơ",
    "Thời hạn giải quyết",
    "Lệ phí",
    "Kết quả",
    "Căn cứ pháp lý",
)

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FENCE = "---"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CardError(ValueError):
    """A card file that cannot be read or does not hold a valid card; the message names it."""


class LegalBasis(BaseModel):
    """One legal document a procedure rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    so_hieu: Text  # "23/2015/NĐ-CP"
    ten: Text
    dieu: str | None = None  # articles, when known: "Điều 5, 6"

    @field_validator("so_hieu", "dieu", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # YAML reads `dieu: 5` as an int; an article number is text.
        return str(value) if isinstance(value, int | float) else value


class ProcedureCard(BaseModel):
    """The facts of one procedure plus its readable Markdown body."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=_SLUG)]
    ten: Text
    doi_tuong: Text
    cap_hoc: Annotated[list[Text], Field(min_length=1)]
    noi_nop: Text
    cach_thuc: Annotated[list[Text], Field(min_length=1)]
    trinh_tu: Annotated[list[Text], Field(min_length=1)]
    thanh_phan_ho_so: Annotated[list[Text], Field(min_length=1)]
    thoi_han: Text
    phi: Text
    ket_qua: Text
    can_cu_phap_ly: Annotated[list[LegalBasis], Field(min_length=1)]
    ngay_kiem_tra: dt.date
    nguon: Annotated[list[Text], Field(min_length=1)]
    tu_khoa: list[Text] = Field(default_factory=list)
    ma_thu_tuc: list[Text] = Field(default_factory=list)  # procedure codes seen in listings
    body: Text
    source_path: str = ""

    @field_validator("ngay_kiem_tra", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    @model_validator(mode="after")
    def _body_matches_fields(self) -> ProcedureCard:
        headings = [h.strip().casefold() for h in _HEADING.findall(self.body)]
        missing = [
            h for h in REQUIRED_HEADINGS if not any(x.startswith(h.casefold()) for x in headings)
        ]
        if missing:
            raise ValueError(f"body lacks the section(s) {', '.join(f'## {h}' for h in missing)}")
        absent = [b.so_hieu for b in self.can_cu_phap_ly if b.so_hieu not in self.body]
        if absent:
            raise ValueError(f"body does not cite the legal basis {', '.join(absent)}")
        return self

    @property
    def legal_numbers(self) -> list[str]:
        return [b.so_hieu for b in self.can_cu_phap_ly]


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Split `---` YAML front matter from the Markdown body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise CardError(f"{source}: a procedure card must start with a '---' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise CardError(f"{source}: front matter is not closed by a '---' line") from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise CardError(f"{source}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CardError(f"{source}: front matter must be a YAML mapping of fields")
    return data, "\n".join(lines[end + 1 :]).strip()


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err["loc"])
        if err["type"] == "missing":
            problems.append(f"missing required field '{where}'")
        elif err["type"] == "extra_forbidden":
            problems.append(f"unknown field '{where}'")
        elif where:
            problems.append(f"field '{where}': {err['msg']}")
        else:
            problems.append(err["msg"].removeprefix("Value error, "))
    return "; ".join(problems)


def parse_card(text: str, source: str) -> ProcedureCard:
    """Build a card from the text of a card file; `source` names the file in errors."""
    data, body = split_front_matter(nfc(text), source)
    if "body" in data or "source_path" in data:
        raise CardError(f"{source}: 'body' and 'source_path' are not front matter fields")
    try:
        return ProcedureCard(**data, body=body, source_path=source)
    except ValidationError as exc:
        raise CardError(f"{source}: invalid procedure card: {_describe(exc)}") from None


def load_card(path: str | PathLike[str]) -> ProcedureCard:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CardError(f"{path}: cannot read procedure card: {exc}") from None
    return parse_card(text, str(path))


def _card_files(folder: Traversable) -> list[Traversable]:
    return sorted(
        (
            f
            for f in folder.iterdir()
            if f.is_file() and f.name.endswith(".md") and not f.name.startswith(("_", "README"))
        ),
        key=lambda f: f.name,
    )


def check_unique(cards: Iterable[ProcedureCard]) -> None:
    seen: dict[str, str] = {}
    for card in cards:
        if card.id in seen:
            raise CardError(
                f"{card.source_path}: card id '{card.id}' is already used by {seen[card.id]}"
            )
        seen[card.id] = card.source_path


@lru_cache(maxsize=1)
def _builtin() -> tuple[ProcedureCard, ...]:
    folder = resources.files(CARDS_PACKAGE)
    cards = [
        parse_card(f.read_text(encoding="utf-8"), f"{CARDS_PACKAGE}/{f.name}")
        for f in _card_files(folder)
    ]
    check_unique(cards)
    return tuple(cards)


def builtin_cards() -> list[ProcedureCard]:
    """The cards shipped in the `motcua.cards` package, ordered by file name."""
    return list(_builtin())


def builtin_card(card_id: str) -> ProcedureCard | None:
    """A built-in card by its id (the doc_id of its document), or None."""
    return next((c for c in _builtin() if c.id == card_id), None)


def card_to_document(card: ProcedureCard) -> Document:
    """The card as an indexable document: a title line, a keyword line, then the body."""
    head = [f"# {card.ten}"]
    lead = f"Thủ tục hành chính ngành giáo dục, cấp học: {', '.join(card.cap_hoc)}."
    if card.tu_khoa:
        lead += f" Thường được hỏi là: {'; '.join(card.tu_khoa)}."
    head.append(lead)
    text = "\n\n".join([*head, card.body]) + "\n"
    return Document(
        doc_id=card.id,
        text=text,
        source_path=card.source_path,
        meta=DocumentMeta(doc_type=DOC_TYPE, title=card.ten, issuer=None, so_hieu=None),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        kind="card",
    )


def builtin_documents() -> list[Document]:
    return [card_to_document(card) for card in _builtin()]
