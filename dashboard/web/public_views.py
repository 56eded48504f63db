"""What the public page draws from published figures: tables, charts with a text alternative, open data files.

Reads nothing but `publication.Published` objects: the public page cannot reach an unpublished figure."""
from __future__ import annotations

import io
import json

import altair as alt
import pandas as pd

from dashboard.core import formats, publication
from dashboard.core.publication import Published

# The quantity each figure set is drawn by, with its unit.
CHARTED = {"itp": ("itp", "ITP (giorni)"), "tempi_ri": ("tempo_medio_netto", "Tempo medio netto (giorni)"),
           "soddisfazione": ("media", "Punteggio medio"), "obiettivi": ("grado", "Grado di raggiungimento (%)")}


def rows(items: list[Published]) -> list[dict]:
    """The latest published rows of every period, with the restatement marked."""
    out = []
    for p in sorted(items, key=lambda p: (p.anno, p.trimestre or 5)):
        for r in p.righe:
            out.append({**r, "anno": p.anno, "trimestre": p.trimestre or None, "versione": p.versione,
                        "pubblicato_il": p.quando.date().isoformat(), "rettificato": p.rettificato})
    return out


def display(dato: str, righe: list[dict]) -> pd.DataFrame:
    """Rows as a person reads them: Italian numbers, a dash where a figure is not available."""
    df = publication.frame(dato, righe)
    for col in df.columns:  # counts stay whole even when a missing value made the column float
        if col in ("Fatture pagate", "Imprese creditrici", "Pratiche evase", "Questionari", "Scala (massimo)",
                   "Termine di legge (giorni)"):
            df[col] = [formats.fmt_num(v, 0) if pd.notna(v) else None for v in df[col]]
    return formats.italian_frame(df).fillna("—").replace({"": "—"})


def table(dato: str, items: list[Published]) -> pd.DataFrame:
    df = display(dato, rows(items))
    df["Rettificato"] = ["sì" if p.rettificato else "no" for p in items for _ in p.righe]
    return df


def restatements(items: list[Published]) -> list[str]:
    """'Dato rettificato in data …' notes, with the first publication kept beside the new one."""
    notes = []
    for p in items:
        if p.rettificato:
            notes.append(f"{p.periodo}: dato rettificato in data {p.quando:%d/%m/%Y} ({p.motivo}). Prima pubblicazione "
                         f"del {p.quando_prima:%d/%m/%Y}: " + "; ".join(_summary(p.dato, r) for r in p.righe_prima) + ".")
    return notes


def _summary(dato: str, r: dict) -> str:
    key, label = CHARTED[dato]
    name = r.get("sportello") or r.get("codice") or r.get("periodo")
    return f"{name}, {label.lower()} {formats.fmt_num(r[key], 2) if r.get(key) is not None else '—'}"


def chart(dato: str, items: list[Published]) -> alt.Chart | None:
    key, label = CHARTED[dato]
    df = pd.DataFrame(rows(items))
    if df.empty or df[key].isna().all():
        return None
    x = "codice" if dato == "obiettivi" else "periodo"
    base = alt.Chart(df.dropna(subset=[key])).encode(
        x=alt.X(f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y(f"{key}:Q", title=label),
        tooltip=[alt.Tooltip(f"{x}:N", title="Periodo" if x == "periodo" else "Obiettivo"),
                 alt.Tooltip(f"{key}:Q", title=label, format=",.2f")])
    if dato == "soddisfazione":
        return base.mark_bar().encode(color=alt.Color("sportello:N", title="Sportello"), xOffset="sportello:N")
    bars = base.mark_bar(color="#1f5f8b", size=40)
    if dato == "tempi_ri":  # the legal term as a labelled rule
        term = alt.Chart(pd.DataFrame({"v": [publication.TERMINE_RI]})).mark_rule(color="#b00020", strokeDash=[4, 3]) \
            .encode(y="v:Q")
        return bars + term
    return bars


def chart_text(dato: str, items: list[Published]) -> str:
    """The chart said in words (its text alternative)."""
    key, label = CHARTED[dato]
    parts = [_summary(dato, r) for p in items for r in p.righe]
    extra = f" La linea tratteggiata è il termine di legge di {publication.TERMINE_RI} giorni." if dato == "tempi_ri" else ""
    return f"Grafico a barre: {label.lower()} per " + ("obiettivo" if dato == "obiettivi" else "periodo") + ". " \
        + "; ".join(parts) + "." + extra


def open_data_csv(items: list[Published]) -> bytes:
    """Open data: the published rows with machine-readable names, decimal points, UTF-8."""
    buf = io.StringIO()
    pd.DataFrame(rows(items)).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def open_data_json(ente: str, dato: str, items: list[Published]) -> bytes:
    doc = {"ente": ente, "dato": dato, "descrizione": publication.DATI[dato], "righe": rows(items),
           "rettifiche": [{"periodo": p.periodo, "data": p.quando.date().isoformat(), "motivo": p.motivo,
                           "prima_pubblicazione": {"data": p.quando_prima.date().isoformat(), "righe": p.righe_prima}}
                          for p in items if p.rettificato]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
