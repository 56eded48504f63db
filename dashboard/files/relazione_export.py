"""The Relazione sulla performance of a year, from the year's freeze (never from live figures): area →
objective → target with text, expected value, result, grado, status, explanation of the deviation,
evidence list, the OIV's verdict, and any change after the validation next to the frozen figure. As PDF
(ReportLab, the fonts of files/pdf_report.py) and as an editable DOCX (python-docx: maintained, pure Python
over lxml, writes the Office Open XML every word processor opens, LibreOffice included); plus the OIV's
validation sheet (each target's verdict and comment) as PDF through pdf_report.table_pdf.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pandas as pd

from dashboard.core import formats, labels, year_freeze
from dashboard.core.errors import Refused
from dashboard.files import pdf_report


def _txt(x) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return ""
    return formats.clean_text(str(x))


def _grado(g) -> str:
    return "–" if g is None or pd.isna(g) else f"{formats.fmt_num(g, 1)} %"


def _status(s) -> str:
    return f"{labels.STATUS_SYMBOLS[s]} {labels.STATUS_LABELS[s]}" if isinstance(s, str) and s in labels.STATUS_LABELS else "–"


def _value(v, unita) -> str:
    return "–" if v is None or pd.isna(v) else f"{formats.fmt_num(v)} {_txt(unita)}".strip()


def _expected(op, soglia, unita) -> str:
    return formats.fmt_condition(op, None if soglia is None or pd.isna(soglia) else soglia, _txt(unita))


def content(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> dict:
    """Everything the Relazione prints, from the latest freeze of `anno` (refused when there is none)."""
    fz = year_freeze.latest(con, ente, anno)
    if fz is None:
        raise Refused(f"Il {anno} non è ancora stato chiuso per la validazione: la Relazione si compone dai dati congelati.")
    targets = year_freeze.frozen_targets(con, ente, anno)
    levels = year_freeze.frozen_levels(con, ente, anno).set_index(["livello", "codice"])
    changes = year_freeze.compare(con, ente, anno).set_index(["target", "anno_da"])
    rows = []
    for r in targets.to_dict("records"):
        c = changes.loc[(r["target"], r["anno_da"])] if (r["target"], r["anno_da"]) in changes.index else None
        after = ""
        if c is not None and bool(c["modificato"]):
            after = (f"Modificato dopo la validazione: ora {_value(c['valore_attuale'], r['unita'])}, grado "
                     f"{_grado(c['grado_attuale'])}, {_status(c['status_attuale'])}. {_txt(c['correzioni'])}").strip()
        rows.append({**r, "dopo": after})
    return {"freeze": fz, "targets": rows, "levels": levels, "demo": bool(targets["demo"].any())}


def _fields(r: dict) -> list[tuple[str, str]]:
    verdict = labels.VERDICT_LABELS.get(r["verdetto"], "da esprimere") if isinstance(r["verdetto"], str) else "da esprimere"
    if _txt(r["commento"]):
        verdict += f" — {_txt(r['commento'])}"
    out = [("Target", f"{r['target']} — {_txt(r['testo'])}"),
           ("Valore atteso", _expected(r["operatore"], r["soglia"], r["unita"])),
           ("Risultato", _value(r["valore"], r["unita"]) + (f" ({_txt(r['motivo_non_rilevato'])})"
                                                            if _txt(r["motivo_non_rilevato"]) else "")),
           ("Grado di raggiungimento", _grado(r["grado"])), ("Stato", _status(r["status"])),
           ("Causa dello scostamento", _txt(r["causa"]) or "—"), ("Azione correttiva", _txt(r["azione"]) or "—"),
           ("Evidenze", _txt(r["evidenze"]) or "—"), ("Verdetto OIV", verdict)]
    if r["dopo"]:
        out.append(("Dopo la validazione", r["dopo"]))
    return out


def _heading_lines(data: dict, ente_nome: str, anno: int) -> tuple[str, list[str]]:
    fz = data["freeze"]
    title = f"Relazione sulla performance {anno} — {ente_nome}"
    lines = [f"Dati congelati per la validazione il {formats.fmt_datetime(fz['quando'])} da {fz['utente']} "
             f"(chiusura n. {fz['id']})." + (f" {_txt(fz['nota'])}" if _txt(fz["nota"]) else "")]
    ente_rows = data["levels"].xs("ente", level="livello") if "ente" in data["levels"].index.get_level_values(0) else None
    if ente_rows is not None and len(ente_rows):
        e = ente_rows.iloc[0]
        lines.append(f"Grado complessivo dell'ente: {_grado(e['grado'])} — {_status(e['status'])}.")
    if data["demo"]:
        lines.append("Attenzione: contiene dati dimostrativi, non misure reali.")
    return title, lines


def _level(data: dict, livello: str, codice: str) -> str:
    try:
        r = data["levels"].loc[(livello, codice)]
    except KeyError:
        return ""
    return f" — grado {_grado(r['grado'])}, {_status(r['status'])}"


def pdf_bytes(con, ente: str, ente_nome: str, anno: int) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    data = content(con, ente, anno)
    pdf_report._fonts()
    buf = io.BytesIO()
    title, lines = _heading_lines(data, ente_nome, anno)
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title, author="Cruscotto Performance")
    st = {name: ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, spaceBefore=size * 0.6)
          for name, font, size in (("h1", "VeraBd", 15), ("h2", "VeraBd", 12), ("h3", "VeraBd", 10),
                                   ("p", "Vera", 8.5), ("b", "VeraBd", 8.5))}

    def p(text, style="p"):
        text = _txt(text)[:pdf_report.MAX_CELL_CHARS]
        return Paragraph(escape(text).replace("\n", "<br/>"), st[style])

    story = [p(title, "h1")] + [p(line) for line in lines]
    area = obiettivo = None
    for r in data["targets"]:
        if r["area"] != area:
            area, obiettivo = r["area"], None
            story.append(p(f"Area {r['area']} — {_txt(r['area_nome'])}{_level(data, 'area', r['area'])}", "h2"))
        if r["obiettivo"] != obiettivo:
            obiettivo = r["obiettivo"]
            story.append(p(f"Obiettivo {r['obiettivo']} — {_txt(r['obiettivo_titolo'])}"
                           f"{_level(data, 'obiettivo', r['obiettivo'])}", "h3"))
        table = Table([[p(k, "b"), p(v)] for k, v in _fields(r)], colWidths=[42 * mm, 138 * mm], splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#E8EEF4"))]))
        story += [Spacer(1, 2 * mm), KeepTogether([table])]
    doc.build(story)
    return buf.getvalue()


def docx_bytes(con, ente: str, ente_nome: str, anno: int) -> bytes:
    import docx

    data = content(con, ente, anno)
    title, lines = _heading_lines(data, ente_nome, anno)
    d = docx.Document()
    d.core_properties.title = title
    d.add_heading(title, level=0)
    for line in lines:
        d.add_paragraph(line)
    area = obiettivo = None
    for r in data["targets"]:
        if r["area"] != area:
            area, obiettivo = r["area"], None
            d.add_heading(f"Area {r['area']} — {_txt(r['area_nome'])}{_level(data, 'area', r['area'])}", level=1)
        if r["obiettivo"] != obiettivo:
            obiettivo = r["obiettivo"]
            d.add_heading(f"Obiettivo {r['obiettivo']} — {_txt(r['obiettivo_titolo'])}"
                          f"{_level(data, 'obiettivo', r['obiettivo'])}", level=2)
        fields = _fields(r)
        table = d.add_table(rows=len(fields), cols=2)
        table.style = "Table Grid"
        for i, (k, v) in enumerate(fields):
            table.cell(i, 0).text = k
            table.cell(i, 1).text = v
            table.cell(i, 0).paragraphs[0].runs[0].bold = True
        d.add_paragraph()
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def validation_sheet_pdf(con, ente: str, ente_nome: str, anno: int, generated: dt.datetime | None = None) -> bytes:
    """The OIV's validation sheet: every target of the freeze with its frozen figure, verdict and comment."""
    data = content(con, ente, anno)
    rows = [[f"{r['target']} ({r['obiettivo']})", _value(r["valore"], r["unita"]), _grado(r["grado"]), _status(r["status"]),
             labels.VERDICT_LABELS.get(r["verdetto"], "da esprimere") if isinstance(r["verdetto"], str) else "da esprimere",
             _txt(r["commento"]), _txt(r["verdetto_da"]),
             formats.fmt_datetime(r["verdetto_il"]) if isinstance(r["verdetto_il"], (dt.datetime, pd.Timestamp))
             and not pd.isna(r["verdetto_il"]) else "", r["dopo"]] for r in data["targets"]]
    fz = data["freeze"]
    given = sum(1 for r in data["targets"] if isinstance(r["verdetto"], str))
    return pdf_report.table_pdf(
        f"Scheda di validazione dell'OIV {anno} — {ente_nome}",
        [f"Sui dati congelati il {formats.fmt_datetime(fz['quando'])} (chiusura n. {fz['id']}). Generata il "
         f"{formats.fmt_datetime(generated or dt.datetime.now())}."],
        ["Target", "Risultato", "Grado", "Stato", "Verdetto", "Commento", "OIV", "Il", "Dopo la validazione"],
        rows, [24, 26, 16, 30, 26, 60, 18, 22, 51],
        notes=[f"Verdetti espressi: {given} su {len(rows)}."],
        bold_lines=["Attenzione: contiene dati dimostrativi, non misure reali."] if data["demo"] else [])


def write(con, ente: str, ente_nome: str, anno: int, what: str, out: Path) -> int:
    """`what` relazione (.pdf or .docx) or validazione (.pdf) to `out`; returns the number of targets."""
    suffix = Path(out).suffix.lower()
    if what == "relazione" and suffix == ".pdf":
        data = pdf_bytes(con, ente, ente_nome, anno)
    elif what == "relazione" and suffix == ".docx":
        data = docx_bytes(con, ente, ente_nome, anno)
    elif what == "validazione" and suffix == ".pdf":
        data = validation_sheet_pdf(con, ente, ente_nome, anno)
    else:
        raise Refused(f"Estensione «{suffix}» non supportata per «{what}»: la Relazione in .pdf o .docx, "
                      f"la scheda di validazione in .pdf.")
    Path(out).write_bytes(data)
    return len(year_freeze.frozen_targets(con, ente, anno))
