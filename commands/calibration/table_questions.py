"""Questions from a document's table rows: a figure of a row asked by the row's name."""

from __future__ import annotations

import re

from motcua.commands.calibration.document_sections import _NUMBERING, _Draft, _strip_numbering
from motcua.commands.calibration.phrases import _capital
from motcua.commands.calibration.transforms import lower_first
from motcua.ingest.chunking import read_row_passage, table_section
from motcua.text import fold_phrase
from motcua.types import Chunk

_ROW_NUMBER = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")


class _TableQuestions:
    """Mixed into `_DocumentQuestions` (`document_questions`), which holds the document (`d`),
    the templates (`data`) and the seeded `rng`, and names the document (`name`)."""

    def row(self, chunk: Chunk) -> _Draft | None:
        """A figure of a row asked by the row's name: "Mức học phí của Khối 10 (Trường …) là
        bao nhiêu?", answered by the figure."""
        head, fields = read_row_passage(chunk.shown)
        named = [(n, v) for n, v in fields if n and not _ROW_NUMBER.match(fold_phrase(n))]
        key = next(((n, v) for n, v in named if re.search(r"[^\W\d_]", v)), None)
        # a figure is a short value ("Mức trần: 20.000"), not a note that holds a number
        figures = [
            (n, v) for n, v in named if re.search(r"\d", v) and len(v) <= 40 and (n, v) != key
        ]
        name = self.name()
        if self.d.ocr or key is None or not figures or name is None:
            return None
        column, value = self.rng.choice(figures)
        row = key[1] if len(key[1]) <= 80 else key[1][:80].rsplit(" ", 1)[0]
        groups = [_strip_numbering(line) for line in head if _NUMBERING.match(line)]
        if groups and len(groups[-1]) <= 80:
            row = f"{row} ({groups[-1]})"
        template = self.rng.choice(self.data["rows"])
        question = _capital(template.format(column=lower_first(column), row=row, doc=name))
        table = table_section(chunk.section)
        return _Draft(question, [value], table, "row")
