"""A report as a PDF: a title, a few lines, one long table that repeats its header on every page.

ReportLab, with the Bitstream Vera fonts it ships (they have € and the Italian accents). Every text is
escaped: ReportLab paragraphs read a little markup, and the text comes from users and plans. Any text
fits: control characters go, very long words are broken (splitLongWords), a row taller than a page
splits across pages (splitInRow), and a cell over MAX_CELL_CHARS is cut with "…" and a note.
"""
from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from dashboard.core import formats

# A cell longer than this is cut with "…" and a note under the table (the full text stays in XLSX/CSV):
# rows may split across pages, but a page of one cell helps nobody and ReportLab slows down quadratically.
MAX_CELL_CHARS = 3000
CUT_NOTE = ("Alcuni testi sono stati abbreviati (…) per la stampa: il testo completo è nelle "
            "esportazioni XLSX e CSV.")


def _fonts() -> None:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = Path(reportlab.__file__).parent / "fonts"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(base / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(base / "VeraBd.ttf")))


def table_pdf(title: str, lines: list[str], header: list[str], rows: list[list], widths_mm: list[float],
              notes: list[str] = (), bold_lines: list[str] = (), author: str = "Cruscotto Performance") -> bytes:
    """Landscape A4: `title`, the `lines` under it (`bold_lines` in bold), the table, then `notes`."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, author=author)
    big = ParagraphStyle("t", fontName="VeraBd", fontSize=14, leading=18)
    small = ParagraphStyle("s", fontName="Vera", fontSize=7.5, leading=9.5)
    bold = ParagraphStyle("h", fontName="VeraBd", fontSize=7.5, leading=9.5)

    cut = []

    def p(text, style=small, limit=None):
        empty = text is None or (isinstance(text, float) and pd.isna(text))
        text = formats.clean_text("" if empty else str(text))
        if limit and len(text) > limit:
            text = text[:limit].rstrip() + " …"
            cut.append(True)
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [p(title, big)] + [p(line) for line in lines] + [p(line, bold) for line in bold_lines]
    story.append(Spacer(1, 4 * mm))
    table = LongTable([[p(c, bold) for c in header]] + [[p(c, limit=MAX_CELL_CHARS) for c in row] for row in rows],
                      colWidths=[w * mm for w in widths_mm], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    notes = list(notes) + ([CUT_NOTE] if cut else [])
    if notes:
        story.append(Spacer(1, 4 * mm))
        story += [p(n) for n in notes]
    doc.build(story)
    return buf.getvalue()
