"""Periods, corrections, the audit trail, verdicts and exports, and two uploads at the same moment."""
from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from openpyxl import load_workbook

from dashboard.core import audit, corrections, db, measurements, periods, reviews, users
from dashboard.files import evaluation_export, measurement_import, seed_loader
from tests.conftest import TODAY
from tests.test_import import write_csv

T0 = dt.datetime(2020, 4, 10, 9, 0)


def test_closed_quarter_refuses_changes_until_reopened_with_a_reason(with_users, tmp_path):
    pianif = users.get_user(with_users, "pianif")
    periods.close(with_users, pianif, 2020, 1, "chiusura del trimestre")
    path = write_csv(tmp_path / "ri.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""]])
    result = measurement_import.import_file(with_users, path, "staff.ri", today=TODAY)
    assert [str(p) for p in result.problems] == [
        "ri.csv, riga 2, colonna «periodo»: il I trim. 2020 è chiuso: chiederne la riapertura a Programmazione e controllo"]
    with pytest.raises(periods.PeriodError, match="serve il motivo"):
        periods.reopen(with_users, pianif, 2020, 1, "")
    periods.reopen(with_users, pianif, 2020, 1, "errore nei dati di marzo")
    assert measurement_import.import_file(with_users, path, "staff.ri", today=TODAY).ok
    trail = audit.search(with_users, azione="periodo_riaperto")
    assert trail.iloc[0]["motivo"] == "errore nei dati di marzo" and trail.iloc[0]["utente"] == "pianif"
    assert json.loads(trail.iloc[0]["prima"]) == {"stato": "chiuso"}


def test_single_value_correction_keeps_history_and_audit(with_users, tmp_path):
    path = write_csv(tmp_path / "ri.csv", [["RI_TEMPO_LAV", "", "", "2020-Q1", "", "14520", "6100", ""]])
    measurement_import.import_file(with_users, path, "staff.ri", when=T0, today=TODAY)
    with pytest.raises(corrections.CorrectionRefused, match="motivo della correzione è obbligatorio"):
        corrections.correct_value(with_users, "staff.ri", "RI_TEMPO_LAV", 2020, 1, " ", None, "14000", "6100")
    with pytest.raises(corrections.CorrectionRefused, match="servono numeratore e denominatore"):
        corrections.correct_value(with_users, "staff.ri", "RI_TEMPO_LAV", 2020, 1, "x", "2,3")
    change = corrections.correct_value(with_users, "staff.ri", "RI_TEMPO_LAV", 2020, 1,
                                              "pratiche duplicate nel gestionale", None, "14.000", "6.100",
                                              when=T0 + dt.timedelta(days=3))
    assert (change.azione, change.versione) == ("corretto", 2)
    history = [h for h in measurements.history(with_users, "CCIAA-LU", "RI_TEMPO_LAV") if h["anno"] == 2020]
    assert [(h["versione"], round(h["valore"], 4), h["motivo"]) for h in history] == [
        (1, round(14520 / 6100, 4), None), (2, round(14000 / 6100, 4), "pratiche duplicate nel gestionale")]
    row = audit.search(with_users, azione="misura_corretta").iloc[0]
    assert row["oggetto"] == "RI_TEMPO_LAV 2020-Q1" and row["utente"] == "staff.ri"
    assert json.loads(row["prima"]) == {"valore": pytest.approx(14520 / 6100)}
    assert json.loads(row["dopo"])["valore"] == pytest.approx(14000 / 6100)
    imported = audit.search(with_users, azione="importazione").iloc[0]
    assert json.loads(imported["dopo"])["nuovo"] == 1 and len(json.loads(imported["dopo"])["sha256"]) == 64


def test_audit_filters(with_users, tmp_path):
    measurement_import.import_file(with_users, write_csv(tmp_path / "a.csv", [["RI_FATTURE", "", "", "2020-Q1", "1", "", "", ""]]),
                                   "staff.ri", when=T0, today=TODAY)
    assert set(audit.search(with_users, utente="staff.ri")["azione"]) == {"importazione", "misura_inserita"}
    assert audit.search(with_users, utente="staff.ri", dal=T0 + dt.timedelta(days=1)).empty
    assert len(audit.search(with_users, azione="utente_creato")) == 5


def test_verdicts_and_evaluation_exports(with_users, tmp_path):
    oiv = users.get_user(with_users, "oiv")
    with pytest.raises(reviews.VerdictError, match="richiede un commento"):
        reviews.record_verdict(with_users, oiv, "1D.2", 2019, "non_validato")
    with pytest.raises(reviews.VerdictError, match="non è in vigore"):
        reviews.record_verdict(with_users, oiv, "2A.1", 2019, "validato")
    reviews.record_verdict(with_users, oiv, "1D.2", 2019, "validato", when=T0)
    reviews.record_verdict(with_users, oiv, "1D.2", 2019, "validato_con_riserva", "=HYPERLINK(\"x\") <b>riserva</b>",
                           when=T0 + dt.timedelta(hours=1))
    frame = evaluation_export.evaluation(with_users, "CCIAA-LU", 2019).set_index("Target")
    row = frame.loc["1D.2"]
    assert row["Valore atteso"] == ("Giudizio complessivo sull'attività del mediatore (scala 1-5) ≥ 3 punti; Voto di "
                                    "gradimento complessivo sul servizio dell'Organismo di mediazione (scala 1-5) ≥ 3 punti")
    assert row["Indicatori"].startswith("Giudizio complessivo sull'attività del mediatore (scala 1-5) (ADR_CS_MEDIATORE); ")
    assert (row["Valore finale"], row["Grado (%)"], row["Stato"]) == (4.5, 100.0, "Raggiunto")
    assert row["Verdetto OIV"] == "Validato con riserva"
    assert "Voto di gradimento sul servizio dell'Organismo : 4,5" in row["Evidenze"]
    assert len(reviews.verdict_history(with_users, "CCIAA-LU", "1D.2", 2019)) == 2  # the first is kept

    n = evaluation_export.write(with_users, "CCIAA-LU", "Camera di Commercio di Lucca", 2019, tmp_path / "v.xlsx")
    assert n == 29
    ws = load_workbook(tmp_path / "v.xlsx").active
    header = [c.value for c in ws[1]]
    cells = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert cells["1D.2"][header.index("Commento OIV")].value.startswith("'=HYPERLINK")  # neutralised
    assert cells["1D.2"][header.index("Grado (%)")].value == 100.0
    evaluation_export.write(with_users, "CCIAA-LU", "Camera di Commercio di Lucca", 2019, tmp_path / "v.pdf")
    pdf = (tmp_path / "v.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    text = (tmp_path / "v.csv")
    evaluation_export.write(with_users, "CCIAA-LU", "Camera di Commercio di Lucca", 2019, text)
    assert "Validato con riserva" in text.read_text(encoding="utf-8-sig")


def test_two_uploads_at_the_same_moment(tmp_path, stores):
    """Two sessions (own cursors, own threads) upload for the same office at once: both end correctly,
    one after the other; nothing is lost or doubled."""
    path = stores.address()
    con = db.connect(path)
    seed_loader.load_seed(con)
    users.add_user(con, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    users.add_user(con, "staff.ri2", "staff", "CCIAA-LU", ["RI"], "password-ri2")
    a = write_csv(tmp_path / "a.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""],
                                       ["RI_DISPOSITIVI", "", "", "2020-Q1", "800", "", "", ""]])
    b = write_csv(tmp_path / "b.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""],
                                       ["RI_CONDIVISIONI", "", "", "2020-Q1", "1", "", "", ""]])
    results, start = {}, threading.Barrier(2)

    def upload(name, file, who):
        cur = db.cursor(path)
        start.wait()
        results[name] = measurement_import.import_file(cur, file, who, today=TODAY)

    threads = [threading.Thread(target=upload, args=("a", a, "staff.ri")), threading.Thread(target=upload, args=("b", b, "staff.ri2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["a"].ok and results["b"].ok
    actions = sorted(c.azione for r in results.values() for c in r.changes if c.indicatore == "RI_FATTURE")
    assert actions == ["invariato", "nuovo"]  # the second saw the first's value
    rows = con.execute("SELECT indicatore, count(*) FROM misure WHERE anno = 2020 GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [("RI_CONDIVISIONI", 1), ("RI_DISPOSITIVI", 1), ("RI_FATTURE", 1)]
    db.close(path)


def test_two_different_values_at_the_same_moment(tmp_path, stores):
    """The second upload of a different value without a reason is refused with a clear message."""
    path = stores.address()
    con = db.connect(path)
    seed_loader.load_seed(con)
    users.add_user(con, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    files = [write_csv(tmp_path / f"{v}.csv", [["RI_FATTURE", "", "", "2020-Q1", str(v), "", "", ""]]) for v in (1310, 1320)]
    results, start = [], threading.Barrier(2)

    def upload(file):
        cur = db.cursor(path)
        start.wait()
        results.append(measurement_import.import_file(cur, file, "staff.ri", today=TODAY))

    threads = [threading.Thread(target=upload, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.ok for r in results) == [False, True]
    refused = next(r for r in results if not r.ok)
    assert "per correggerlo scrivere il motivo in «note»" in str(refused.problems[0])
    assert con.execute("SELECT count(*) FROM misure WHERE indicatore = 'RI_FATTURE'").fetchone()[0] == 1
    db.close(path)


def test_no_page_renders_html():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for p in list((root / "pages").glob("*.py")) + list((root / "dashboard").glob("*.py")):
        text = p.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text and "st.html(" not in text, p.name
