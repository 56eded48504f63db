"""The OIV evaluation table of a year as XLSX, CSV or PDF (to attach to the Relazione sulla performance).

PDF with ReportLab, using the Bitstream Vera fonts it ships (they have € and the
Italian accents). Text from users is neutralised in spreadsheets and escaped in
the PDF (ReportLab paragraphs read a little markup).
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pandas as pd

from dashboard.core import formats, reviews
from dashboard.core.errors import Refused
from dashboard.files import exports

PDF_COLUMNS = ["Target", "Valore atteso", "Valore finale", "Grado (%)", "Stato", "Correzioni", "Verdetto OIV",
               "Commento OIV"]


def evaluation(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    return reviews.evaluation_frame(reviews.table(con, ente, anno))


def _fonts():
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = Path(reportlab.__file__).parent / "fonts"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(base / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(base / "VeraBd.ttf")))


def pdf_bytes(df: pd.DataFrame, ente_nome: str, anno: int, generated: dt.datetime | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _fonts()
    generated = generated or dt.datetime.now()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"Valutazione {anno} — {ente_nome}",
                            author="Cruscotto Performance")
    title = ParagraphStyle("t", fontName="VeraBd", fontSize=14, leading=18)
    small = ParagraphStyle("s", fontName="Vera", fontSize=7.5, leading=9.5)
    head = ParagraphStyle("h", fontName="VeraBd", fontSize=7.5, leading=9.5)

    def p(text, style=small):
        return Paragraph(escape("" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)), style)

    demo = (df["Dati dimostrativi"] == "sì").any()
    story = [Paragraph(escape(f"Valutazione dei target strategici {anno} — {ente_nome}"), title),
             Paragraph(escape(f"Tabella di valutazione per la Relazione sulla performance. Generata il "
                              f"{formats.fmt_datetime(generated)}."), small)]
    if demo:
        story.append(Paragraph(escape("Attenzione: la tabella contiene dati dimostrativi, non misure reali."), head))
    story.append(Spacer(1, 4 * mm))
    rows = [[p(c, head) for c in PDF_COLUMNS]]
    for r in df.to_dict("records"):
        rows.append([
            p(f"{r['Target']} ({r['Obiettivo']})\n"), p(r["Valore atteso"]),
            p(formats.fmt_num(r["Valore finale"]) if pd.notna(r["Valore finale"]) else "–"),
            p(formats.fmt_num(r["Grado (%)"], 1) if pd.notna(r["Grado (%)"]) else "–"),
            p(r["Stato"]), p(f"{r['Correzioni']}" + (f" — {r['Ultima correzione']}" if r["Ultima correzione"] else "")),
            p(r["Verdetto OIV"] or "da esprimere"), p(r["Commento OIV"]),
        ])
    widths = [22 * mm, 52 * mm, 22 * mm, 16 * mm, 30 * mm, 45 * mm, 28 * mm, 58 * mm]
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    counts = df["Stato"].value_counts()
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape("Riepilogo: " + ", ".join(f"{k} {v}" for k, v in counts.items())
                                  + f". Verdetti espressi: {(df['Verdetto OIV'] != '').sum()} su {len(df)}."), small))
    doc.build(story)
    return buf.getvalue()


def write(con: duckdb.DuckDBPyConnection, ente: str, ente_nome: str, anno: int, out: Path) -> int:
    """Write the evaluation table to out (.xlsx, .csv or .pdf by its ending); returns the number of targets."""
    df = evaluation(con, ente, anno)
    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        data = exports.xlsx_bytes(df, f"Valutazione {anno}")
    elif suffix == ".csv":
        data = exports.csv_bytes(df)
    elif suffix == ".pdf":
        data = pdf_bytes(df, ente_nome, anno)
    else:
        raise Refused(f"Estensione «{suffix}» non supportata: usare .xlsx, .csv o .pdf.")
    Path(out).write_bytes(data)
    return len(df)
