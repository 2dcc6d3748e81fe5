"""Turn a file into text. One small loader per format, chosen by extension.

A new format is one function registered in `LOADERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from motcua.text import nfc


class LoaderError(Exception):
    """A file that cannot be read as text: reported by name and skipped."""


def _read_plain(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoaderError(f"{path}: không đọc được bảng mã (not UTF-8/UTF-16/CP1258 text)")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise LoaderError(f"{path}: PDF hỏng hoặc không đọc được ({exc})") from exc


def _read_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise LoaderError(f"{path}: DOCX hỏng hoặc không đọc được ({exc})") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(parts)


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_plain(path), "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return soup.get_text("\n")


LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}


def load_text(path: Path) -> str:
    """Text of one file, NFC-normalised; raises LoaderError when unreadable or empty."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoaderError(f"{path}: định dạng không hỗ trợ (unsupported file type)")
    try:
        text = loader(path)
    except OSError as exc:
        raise LoaderError(f"{path}: không mở được tệp ({exc.strerror or exc})") from exc
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoaderError(f"{path}: tệp rỗng, không có nội dung văn bản (empty file)")
    return text


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under the given paths (folders recursively) with a supported extension."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in LOADERS:
                    yield child
        else:
            yield path
