"""Importing filled templates: real CSV and XLSX files, all or nothing, every refusal named by row and column."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.core import measurements
from dashboard.files import measurement_import, templates
from tests.conftest import TODAY

HEADER = ["indicatore", "descrizione", "unita", "periodo", "valore", "numeratore", "denominatore", "note"]


def write_csv(path, rows, sep=";", encoding="utf-8", header=HEADER):
    lines = [sep.join(header)] + [sep.join(str(c) for c in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path, rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def count_versions(con):
    return con.execute("SELECT count(*) FROM misure").fetchone()[0]


def run(con, path, user="staff.ri"):
    return measurement_import.import_file(con, path, user, today=TODAY)


def messages(result):
    return [str(p) for p in result.problems]


def test_semicolon_cp1252_italian_numbers(with_users, tmp_path):
    path = write_csv(tmp_path / "ri.csv", [
        ["RI_FATTURE", "Fatture è", "n.", "2020-Q1", "1.310", "", "", "primo invio"],
        ["RI_TEMPO_LAV", "", "giorni", "I trim. 2020", "", "14.520", "6.100", ""],
        ["RI_SOSP_QUOTA", "", "%", "2020-Q1", "26,23%", "1.600", "6.100", ""],
    ], encoding="cp1252")
    result = run(with_users, path)
    assert result.ok, messages(result)
    values = {(v.indicatore, v.trimestre): v for v in result.values}
    assert values[("RI_FATTURE", 1)].valore == 1310
    assert values[("RI_TEMPO_LAV", 1)].valore == pytest.approx(14520 / 6100)
    assert values[("RI_SOSP_QUOTA", 1)].valore == pytest.approx(1600 / 6100 * 100)
    stored = with_users.execute("SELECT valore, utente, fonte FROM misure WHERE indicatore = 'RI_FATTURE'").fetchall()
    assert stored == [(1310.0, "staff.ri", "file ri.csv")]


def test_comma_separated_utf8_with_bom_and_quotes(with_users, tmp_path):
    path = tmp_path / "ri.csv"
    path.write_bytes("\ufeffindicatore,periodo,valore,numeratore,denominatore,note\r\n"
                     'RI_FATTURE,2020-Q2,"1.234",,,"nota, con virgola"\r\n'.encode("utf-8"))
    result = run(with_users, path)
    assert result.ok, messages(result)
    assert result.values[0].valore == 1234 and result.values[0].note == "nota, con virgola"


def test_xlsx_template_round_trip(with_users, tmp_path):
    """Download the template, fill it in a spreadsheet, import it."""
    out = tmp_path / "modello.xlsx"
    templates.write_template(templates.template_rows(with_users, "CCIAA-LU", "RI", 2020, 3), out)
    wb = load_workbook(out)
    ws = wb["Misure"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        if code == "RI_FATTURE":
            row[header.index("valore")].value = 1250
        if code == "RI_TEMPO_LAV":
            row[header.index("numeratore")].value = 13000
            row[header.index("denominatore")].value = 6000
    wb.save(out)
    result = run(with_users, out)
    assert result.ok, messages(result)
    assert sorted(v.indicatore for v in result.values) == ["RI_FATTURE", "RI_TEMPO_LAV"]
    assert all(v.anno == 2020 and v.trimestre == 3 for v in result.values)
    assert len(result.skipped_rows) == 5  # rows left blank are not values


def test_correction_keeps_previous_version(with_users, tmp_path):
    run(with_users, write_csv(tmp_path / "a.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""]]))
    refused = run(with_users, write_csv(tmp_path / "b.csv", [["RI_FATTURE", "", "", "2020-Q1", "1320", "", "", ""]]))
    assert messages(refused) == ["b.csv, riga 2, colonna «note»: RI_FATTURE I trim. 2020 ha già il valore 1.310,00: "
                                 "per correggerlo scrivere il motivo in «note»"]
    fixed = run(with_users, write_csv(tmp_path / "c.csv", [["RI_FATTURE", "", "", "2020-Q1", "1320", "", "", "refuso"]]))
    assert fixed.ok and fixed.changes[0].azione == "corretto" and fixed.changes[0].valore_prima == 1310
    history = measurements.history(with_users, "CCIAA-LU", "RI_FATTURE")
    assert [(h["versione"], h["valore"], h["utente"], h["motivo"], h["in_vigore"]) for h in history] == [
        (1, 1310.0, "staff.ri", None, False), (2, 1320.0, "staff.ri", "refuso", True)]
    same = run(with_users, write_csv(tmp_path / "d.csv", [["RI_FATTURE", "", "", "2020-Q1", "1.320", "", "", ""]]))
    assert same.ok and same.changes[0].azione == "invariato"
    assert count_versions(with_users) == 17 + 2


GOOD = ["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""]


@pytest.mark.parametrize("bad_row, expected", [
    (["NON_ESISTE", "", "", "2020-Q1", "1", "", "", ""], "riga 3, colonna «indicatore»: indicatore «NON_ESISTE» sconosciuto"),
    (["RI_DISPOSITIVI", "", "", "2020-Q7", "1", "", "", ""], "riga 3, colonna «periodo»: «2020-Q7» non è un periodo valido"),
    (["RI_DISPOSITIVI", "", "", "2031-Q1", "1", "", "", ""], "riga 3, colonna «periodo»: il I trim. 2031 non è ancora finito"),
    (["RI_DISPOSITIVI", "", "", "2020-Q1", "molti", "", "", ""], "riga 3, colonna «valore»: «molti» non è un numero"),
    (["RI_DISPOSITIVI", "", "", "2020-Q1", "-5", "", "", ""], "riga 3, colonna «valore»: il valore -5,00 è fuori dalla scala"),
    (["RI_FATTURE", "", "", "2020-Q1", "1311", "", "", ""], "riga 3, colonna «indicatore»: riga duplicata: RI_FATTURE I trim. 2020 compare già alla riga 2"),
    (["RI_TEMPO_LAV", "", "", "2020-Q1", "2,5", "", "", ""], "riga 3, colonna «numeratore»: per questo indicatore, calcolato sui casi, servono numeratore e denominatore"),
    (["RI_TEMPO_LAV", "", "", "2020-Q1", "", "10", "0", ""], "riga 3, colonna «denominatore»: denominatore zero con numeratore diverso da zero"),
    (["RI_FATTURE", "", "", "2020-Q2", "5", "1", "2", ""], "riga 3, colonna «numeratore»: per questo indicatore si compila solo «valore»"),
    (["ADR_CAMPAGNE", "", "", "2020-Q1", "1", "", "", ""], "riga 3, colonna «indicatore»: l'indicatore «ADR_CAMPAGNE» è dell'ufficio ADR"),
])
def test_bad_rows_refuse_the_whole_file(with_users, tmp_path, bad_row, expected):
    before = count_versions(with_users)
    result = run(with_users, write_csv(tmp_path / "misure.csv", [GOOD, bad_row]))
    assert not result.ok
    assert any(m.startswith("misure.csv, " + expected) for m in messages(result)), messages(result)
    assert count_versions(with_users) == before  # the good row was not written either


def test_satisfaction_outside_its_scale(with_users, tmp_path):
    """A satisfaction of 7 on a 1-5 scale (70 points over 10 questionnaires)."""
    path = write_csv(tmp_path / "adr.csv", [["ADR_CS_SERVIZIO", "", "", "2020-Q1", "", "70", "10", ""]])
    result = run(with_users, path, user="staff.adr")
    assert messages(result) == ["adr.csv, riga 2, colonna «numeratore»: il valore 7,00 è fuori dalla scala "
                                "dell'indicatore (1–5 punti)"]


def test_empty_and_header_only_files(with_users, tmp_path):
    empty = tmp_path / "vuoto.csv"
    empty.write_bytes(b"")
    assert messages(run(with_users, empty)) == ["vuoto.csv: il file è vuoto"]
    header_only = write_csv(tmp_path / "intestazione.csv", [])
    assert messages(run(with_users, header_only)) == ["intestazione.csv: il file non contiene righe di dati sotto l'intestazione"]
    blank = write_csv(tmp_path / "bianco.csv", [["RI_FATTURE", "", "", "2020-Q1", "", "", "", ""]])
    assert messages(run(with_users, blank)) == ["bianco.csv: nessun valore compilato: il file non contiene misure"]


def test_missing_columns(with_users, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["RI_FATTURE", "2020-Q1", "1"]], header=["indicatore", "periodo", "valore"])
    assert messages(run(with_users, path)) == [
        "x.csv, riga 1: mancano le colonne «numeratore», «denominatore», «note» (usare il modello scaricato dal cruscotto)"]


def test_file_not_what_its_ending_says(with_users, tmp_path):
    fake_xlsx = tmp_path / "finto.xlsx"
    fake_xlsx.write_text("indicatore;periodo\n", encoding="utf-8")
    assert messages(run(with_users, fake_xlsx)) == ["finto.xlsx: il file ha estensione .xlsx ma non è un file Excel valido"]
    real_xlsx = write_xlsx(tmp_path / "vero.xlsx", [GOOD])
    renamed = tmp_path / "rinominato.csv"
    renamed.write_bytes(real_xlsx.read_bytes())
    assert "è un file Excel" in messages(run(with_users, renamed))[0]
    other = tmp_path / "misure.ods"
    other.write_bytes(b"x")
    assert "formato «.ods» non supportato" in messages(run(with_users, other))[0]


def test_formulas_are_refused(with_users, tmp_path):
    path = write_xlsx(tmp_path / "formule.xlsx", [GOOD[:4] + ["=1000+310"] + GOOD[5:]])
    assert messages(run(with_users, path)) == [
        "formule.xlsx, riga 2, colonna «valore (E)»: contiene una formula (=1000+310): incollare il valore, non la formula"]
    assert count_versions(with_users) == 17


def test_huge_file_refused_with_the_limit(with_users, tmp_path):
    path = tmp_path / "enorme.csv"
    row = ";".join(GOOD) + "\r\n"
    path.write_bytes((";".join(HEADER) + "\r\n" + row * 200_000).encode())
    assert "supera il limite di 5 MB" in messages(run(with_users, path))[0]


def test_roles_that_cannot_enter_values(with_users, tmp_path):
    path = write_csv(tmp_path / "a.csv", [GOOD])
    assert messages(run(with_users, path, "oiv")) == ["a.csv: Il ruolo OIV non può inserire o correggere misure"]
    assert messages(run(with_users, path, "segretario")) == [
        "a.csv: Il ruolo Segretario Generale non può inserire o correggere misure"]
    assert "Utente «nessuno» sconosciuto" in messages(run(with_users, path, "nessuno"))[0]
    assert run(with_users, path, "pianif").ok  # the planning office may enter any office's values


def test_preview_writes_nothing(with_users, tmp_path):
    result = measurement_import.preview(with_users, write_csv(tmp_path / "a.csv", [GOOD]), "staff.ri", today=TODAY)
    assert result.ok and result.changes[0].azione == "nuovo"
    assert count_versions(with_users) == 17


def test_when_and_who_are_recorded(with_users, tmp_path):
    when = dt.datetime(2020, 4, 10, 9, 30)
    measurement_import.import_file(with_users, write_csv(tmp_path / "a.csv", [GOOD]), "staff.ri", when=when, today=TODAY)
    assert with_users.execute("SELECT utente, registrato_il FROM misure WHERE indicatore = 'RI_FATTURE'").fetchall() == [
        ("staff.ri", when)]


def test_a_quarter_not_ended_or_not_needed_is_refused_at_the_write(with_users, tmp_path):
    """Issue 13.2: the write itself refuses a running quarter and a year no target in force needs."""
    running = write_csv(tmp_path / "a.csv", [["RI_FATTURE", "", "", "2026-Q4", "10", "", "", ""]])
    result = measurement_import.import_file(with_users, running, "staff.ri", today=dt.date(2026, 11, 24))
    assert messages(result) == ["a.csv, riga 2, colonna «periodo»: il IV trim. 2026 non è ancora finito: i valori "
                                "si inseriscono a trimestre concluso"]
    # 2018: the plan has targets, but none measured with RI_DISPOSITIVI.
    unneeded = write_csv(tmp_path / "b.csv", [["RI_DISPOSITIVI", "", "", "2018-Q4", "10", "", "", ""]])
    assert messages(run(with_users, unneeded)) == [
        "b.csv, riga 2, colonna «periodo»: nel 2018 nessun target in vigore è misurato con l'indicatore «RI_DISPOSITIVI»"]


def test_the_closed_quarter_refusal_is_said_once_per_file(with_users, tmp_path):
    from dashboard.core import periods, users
    periods.close(with_users, users.get_user(with_users, "pianif"), 2020, 1, "chiusura")
    rows = [[code, "", "", "2020-Q1", "10", "", "", ""] for code in ("RI_FATTURE", "RI_DISPOSITIVI")]
    rows.append(["RI_FATTURE", "", "", "2020-Q2", "10", "", "", ""])
    assert messages(run(with_users, write_csv(tmp_path / "c.csv", rows))) == [
        "c.csv, colonna «periodo»: il I trim. 2020 è chiuso (righe 2-3): chiederne la riapertura a "
        "Programmazione e controllo"]


def test_upload_quarters_are_ended_and_needed_by_the_office(with_users):
    from dashboard.core import periods
    today = dt.date(2026, 11, 24)
    ri = periods.upload_quarters(with_users, "CCIAA-LU", ["RI"], today)
    assert ri[0] == (2021, 4) and (2018, 1) in ri  # RI measures targets 2018-2021
    assert periods.upload_quarters(with_users, "CCIAA-LU", ["ADR"], today)[-1] == (2019, 1)
    # In the middle of 2021 the running quarter is not offered.
    assert periods.upload_quarters(with_users, "CCIAA-LU", ["RI"], dt.date(2021, 5, 3))[0] == (2021, 1)
    assert periods.default_upload_quarter(ri, {(2021, 4)}) == (2021, 3)
