"""The plan workbook: layout as data/lucca/, export → import → export identical, checked whole, refused whole."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from dashboard.core import users
from dashboard.core.config import SEED_DIR
from dashboard.files import plan_checks, plan_versions
from dashboard.files import plan_workbook as pw
from dashboard.files.tabular_files import Problem

WATCHED = pw.SHEETS + ("piano_versioni", "piano_contenuti", "criteri_versioni", "misure", "evidenze", "audit",
                       "segnalazioni", "smvp")


def checksums(con) -> dict:
    """Row count and a checksum of every table a plan import could touch."""
    # Table names from the fixed tuple above.
    return {t: con.execute(f"SELECT count(*), coalesce(sum(hash(x::VARCHAR)), 0) FROM {t} x").fetchone()
            for t in WATCHED}


def cells(data: bytes) -> dict:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    out = {name: [tuple(c.value for c in row) for row in wb[name].iter_rows()] for name in wb.sheetnames}
    wb.close()
    return out


@pytest.fixture
def planner(seeded):
    return users.add_user(seeded, "pianif", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")


@pytest.fixture
def exported(seeded, tmp_path):
    path = tmp_path / "piano.xlsx"
    path.write_bytes(plan_versions.export_bytes(seeded, "CCIAA-LU"))
    return path


def test_template_sheets_columns_and_lists():
    wb = load_workbook(io.BytesIO(pw.template_bytes()))
    assert wb.sheetnames == ["Istruzioni", *pw.SHEETS]
    for name in pw.SHEETS:
        header = next(csv.reader(open(SEED_DIR / f"{name}.csv", encoding="utf-8")))
        got = [c.value for c in wb[name][1]]
        assert got[:len(header)] == header, name  # the files' columns, in their order (new columns after)
        assert wb[name].max_row == 1
    header = [c.value for c in wb["criteri"][1]]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["criteri"].data_validations.dataValidation
             if dv.type == "list"}
    letter = "ABCDEFGHIJ"[header.index("operatore")]
    assert lists[f"{letter}2"] == '"<,<=,>,>="'
    assert lists["ABCDEFGHIJ"[header.index("tipo")] + "2"].count(",") == 4
    indicatori = [c.value for c in wb["indicatori"][1]]
    assert {str(dv.sqref).split(":")[0] for dv in wb["indicatori"].data_validations.dataValidation if dv.type == "list"} \
        >= {"ABCDEFGHIJK"[indicatori.index(c)] + "2" for c in ("aggregazione", "proiezione")}
    text = " ".join(str(c.value) for row in wb["Istruzioni"].iter_rows() for c in row if c.value)
    assert "interpolazione" in text or "regola" not in pw.sheet("criteri").names
    assert "somma, ultimo, casi" in text and "lineare, costante" in text


def test_export_import_export_identical(seeded, planner, exported):
    first = exported.read_bytes()
    result = plan_versions.import_version(seeded, planner, exported, atto="Delibera di Giunta n. 4 del 28/01/2020",
                                          adopt=True)
    assert (result.versione, result.stato, result.nuovo_ente) == (2, "adottato", False)
    assert result.diff["fogli"] == {}
    second = plan_versions.export_bytes(seeded, "CCIAA-LU")
    assert cells(first) == cells(second)
    assert cells(plan_versions.export_bytes(seeded, "CCIAA-LU", version=2)) == cells(first)
    assert cells(plan_versions.export_bytes(seeded, "CCIAA-LU", version=1)) == cells(first)  # the seed as loaded from CSV


def test_csv_folder_reads_as_the_workbook(exported):
    from_csv, p1 = pw.read_workbook(SEED_DIR)
    from_xlsx, p2 = pw.read_workbook(exported)
    assert p1 == p2 == []
    assert dict(from_csv) == dict(from_xlsx)
    assert from_csv.ente == "CCIAA-LU" and len(from_csv["target"]) == 65


def _edit(path, sheet, row, column, value):
    wb = load_workbook(path)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(row, col).value = value
    wb.save(path)


def _drop_sheet(path, sheet, *_):
    wb = load_workbook(path)
    del wb[sheet]
    wb.save(path)


def _drop_column(path, sheet, _row, column, _value):
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.delete_cols([c.value for c in ws[1]].index(column) + 1)
    wb.save(path)


def _duplicate_row(path, sheet, row, *_):
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.append([c.value for c in ws[row]])
    wb.save(path)


# (edit, sheet, row, column, value, expected problem: sheet, row, column, message)
BAD = {
    "foglio mancante": (_drop_sheet, "sportelli", None, None, None, ("sportelli", None, None, "foglio mancante")),
    "colonna mancante": (_drop_column, "criteri", 1, "soglia", None, ("criteri", 1, "soglia", "colonna mancante")),
    "obiettivo sconosciuto": (_edit, "target", 5, "obiettivo", "9Z",
                              ("target", 5, "obiettivo", "obiettivo «9Z» sconosciuto")),
    "area sconosciuta": (_edit, "obiettivi", 3, "area", "9", ("obiettivi", 3, "area", "area «9» sconosciuta")),
    "indicatore senza ufficio": (_edit, "indicatori", 4, "ufficio", None,
                                 ("indicatori", 4, "ufficio", "manca il valore (ufficio è obbligatorio)")),
    "ufficio sconosciuto": (_edit, "indicatori", 4, "ufficio", "XX",
                            ("indicatori", 4, "ufficio", "ufficio «XX» sconosciuto")),
    "criterio su target sconosciuto": (_edit, "criteri", 2, "target", "9Z.1",
                                       ("criteri", 2, "target", "target «9Z.1» (anno_da 2020) sconosciuto")),
    "criterio su indicatore sconosciuto": (_edit, "criteri", 2, "indicatore", "NOPE",
                                           ("criteri", 2, "indicatore", "indicatore «NOPE» sconosciuto")),
    "operatore non ammesso": (_edit, "criteri", 3, "operatore", "<>",
                              ("criteri", 3, "operatore", "valore «<>» non ammesso: valori ammessi <, <=, >, >=")),
    "soglia mancante": (_edit, "criteri", 3, "soglia", None,
                        ("criteri", 3, "soglia", "manca il valore (soglia è obbligatorio)")),
    "peso zero": (_edit, "target", 6, "peso", 0, ("target", 6, "peso", "il peso deve essere maggiore di zero (è 0)")),
    "peso negativo": (_edit, "aree", 2, "peso", -1, ("aree", 2, "peso", "il peso deve essere maggiore di zero (è -1)")),
    "anni in ordine inverso": (_edit, "target", 2, "anno_a", 2019,
                               ("target", 2, "anno_a", "anni in ordine inverso: anno_a 2019 precede anno_da 2020")),
    "numero non valido": (_edit, "criteri", 4, "soglia", "cinque",
                          ("criteri", 4, "soglia", "«cinque» non è un numero (formato atteso: 1.234,56)")),
    "anno non intero": (_edit, "target", 3, "anno_a", 2021.5, ("target", 3, "anno_a", "«2021.5» non è un numero intero")),
    "data non valida": (_edit, "eventi_obiettivi", 2, "data", "31/02/2020",
                        ("eventi_obiettivi", 2, "data", "«31/02/2020» non è una data valida (formato atteso: 30/09/2019)")),
    "codice duplicato": (_duplicate_row, "obiettivi", 3, "codice", None,
                         ("obiettivi", 19, "codice", "duplicato (codice 1B): è già alla riga 3")),
    "formula": (_edit, "budget", 3, "oneri", "=1+1",
                ("budget", 3, "oneri", "contiene una formula (=1+1): scrivere il valore, non la formula")),
    "ente diverso": (_edit, "aree", 2, "ente", "ALTRO",
                     ("aree", 2, "ente", "ente «ALTRO» diverso da quello del foglio «enti» (CCIAA-LU)")),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_workbook_refused_whole(seeded, planner, exported, case):
    edit, sheet, row, column, value, expected = BAD[case]
    edit(exported, sheet, row, column, value)
    before = checksums(seeded)
    with pytest.raises(plan_checks.PlanRefused) as exc:
        plan_versions.import_version(seeded, planner, exported, atto="Delibera di Giunta n. 4 del 28/01/2020",
                                     adopt=True)
    assert Problem(*expected) in exc.value.problems, exc.value.problems
    assert str(Problem(*expected)) in str(exc.value)
    assert checksums(seeded) == before


def test_all_problems_at_once(seeded, planner, exported):
    _edit(exported, "target", 5, "obiettivo", "9Z")
    _edit(exported, "criteri", 3, "operatore", "==")
    _edit(exported, "aree", 2, "peso", 0)
    preview = plan_versions.preview(seeded, planner, exported)
    assert not preview.ok
    assert {(p.file, p.row, p.column) for p in preview.problems} == {
        ("target", 5, "obiettivo"), ("criteri", 3, "operatore"), ("aree", 2, "peso")}


def test_interpolation_needs_a_baseline():
    tables, problems = pw.read_workbook(SEED_DIR)
    assert problems == []
    tables["criteri"][0]["regola"] = "interpolazione"
    tables["criteri"][0]["valore_base"] = None
    assert Problem("criteri", 2, "valore_base",
                   "la regola «interpolazione» richiede il valore_base (il valore di partenza)") in plan_checks.check(tables)
    tables["criteri"][0]["valore_base"] = 20.0
    assert not [p for p in plan_checks.check(tables) if p.column == "valore_base"]


def test_csv_folder_problems_name_the_sheet_row_and_column(tmp_path):
    for f in SEED_DIR.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    text = (tmp_path / "target.csv").read_text(encoding="utf-8").splitlines()
    parts = next(csv.reader([text[4]]))
    parts[2] = "9Z"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(parts)
    text[4] = buf.getvalue()
    (tmp_path / "target.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    tables, problems = pw.read_workbook(tmp_path)
    assert problems == []
    assert Problem("target", 5, "obiettivo", "obiettivo «9Z» sconosciuto") in plan_checks.check(tables)


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "piano.ods").write_bytes(b"x")
    assert pw.read_workbook(tmp_path / "piano.ods")[1][0].message.startswith("formato non supportato")
    assert pw.read_workbook(tmp_path / "nessuno.xlsx")[1] == [Problem("nessuno.xlsx", None, None, "file non trovato")]
