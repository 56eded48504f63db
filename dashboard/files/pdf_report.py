"""A report as a PDF: a title, a few lines, one long table that repeats its header on every page.

ReportLab, with the Bitstream Vera fonts it ships (they have € and the Italian accents). Every text is
escaped: ReportLab paragraphs read a little markup, and the text comes from users and plans.
"""
from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd


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

    def p(text, style=small):
        empty = text is None or (isinstance(text, float) and pd.isna(text))
        return Paragraph(escape("" if empty else str(text)), style)

    story = [p(title, big)] + [p(line) for line in lines] + [p(line, bold) for line in bold_lines]
    story.append(Spacer(1, 4 * mm))
    table = LongTable([[p(c, bold) for c in header]] + [[p(c) for c in row] for row in rows],
                      colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    if notes:
        story.append(Spacer(1, 4 * mm))
        story += [p(n) for n in notes]
    doc.build(story)
    return buf.getvalue()
