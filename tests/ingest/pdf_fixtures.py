"""PDFs the tests build with fpdf2, in a TrueType font that holds Vietnamese glyphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def _font() -> Path:
    for candidate in FONTS:
        if candidate.exists():
            return candidate
    pytest.skip("no TrueType font with Vietnamese glyphs on this machine")


class _Document(FPDF):
    running_header: str | None = None
    running_footer: str | None = None

    def _running(self, line: str) -> str:
        return line.replace("{page}", str(self.page_no()))

    def header(self) -> None:
        if self.running_header:
            self.set_font("vn", size=8)
            self.cell(0, 8, self._running(self.running_header), align="C")
            self.ln(10)

    def footer(self) -> None:
        if self.running_footer:
            self.set_y(-15)
            self.set_font("vn", size=8)
            self.cell(0, 10, self._running(self.running_footer), align="C")
        self.set_font("vn", size=9)


def vietnamese_pdf(header: str | None = None, footer: str | None = None) -> FPDF:
    """A PDF with its first page open, in 9 pt. `header` and `footer` run on every page;
    "{page}" in them is the page's number, "{nb}" the number of pages."""
    pdf = _Document()
    pdf.running_header, pdf.running_footer = header, footer
    font = _font()
    pdf.add_font("vn", fname=str(font))
    bold = font.with_name(font.name.replace("Sans.", "Sans-Bold.").replace("Regular", "Bold"))
    pdf.add_font("vn", style="B", fname=str(bold if bold.exists() else font))
    pdf.set_font("vn", size=9)
    pdf.add_page()
    pdf.set_font("vn", size=9)
    return pdf
