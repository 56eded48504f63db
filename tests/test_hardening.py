"""Issue 12 "Hardening": ordinary but unusual input (long comments, Word line breaks, NUL, the same file
twice, ambiguous numbers, broken encodings) never breaks an export or an import, nor slips through."""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import pytest
import reportlab.platypus
from openpyxl import load_workbook

from dashboard.core import reviews, users
from dashboard.files import evaluation_export, pdf_report

T0 = dt.datetime(2020, 4, 10, 9, 0)
LONG_COMMENT = " ".join(f"parola{i}" for i in range(300))  # about 2.000 characters
LONG_TOKEN = "x" * 5000
WORD_BREAK = "prima riga\x0bseconda riga\x00fine"


@pytest.fixture
def paragraphs(monkeypatch):
    """The text of every paragraph the PDF writer lays out."""
    seen = []

    class Recording(reportlab.platypus.Paragraph):
        def __init__(self, text, *a, **k):
            if isinstance(text, str):
                seen.append(text)
            super().__init__(text, *a, **k)

    monkeypatch.setattr(reportlab.platypus, "Paragraph", Recording)
    return seen


@pytest.mark.parametrize("comment", [LONG_COMMENT, LONG_TOKEN, "a " + "y" * 20000, WORD_BREAK, "\n".join(["riga"] * 400)])
def test_evaluation_exports_take_any_comment(with_users, tmp_path, paragraphs, comment):
    oiv = users.get_user(with_users, "oiv")
    reviews.record_verdict(with_users, oiv, "1D.2", 2019, "validato_con_riserva", comment, when=T0)
    stored = reviews.verdict_history(with_users, "CCIAA-LU", "1D.2", 2019)["commento"].iloc[0]
    assert "\x00" not in stored and "\x0b" not in stored  # cleaned where it is typed
    expected = comment.replace("\x0b", "\n").replace("\x00", "")
    assert stored == expected.strip()

    for suffix in (".xlsx", ".csv", ".pdf"):
        evaluation_export.write(with_users, "CCIAA-LU", "Camera di Commercio di Lucca", 2019, tmp_path / f"v{suffix}")
    ws = load_workbook(tmp_path / "v.xlsx").active
    header = [c.value for c in ws[1]]
    cells = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert cells["1D.2"][header.index("Commento OIV")].value == stored
    assert stored.splitlines()[0] in (tmp_path / "v.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "v.pdf").read_bytes().startswith(b"%PDF")
    shown = "".join(paragraphs)
    assert stored[:1000].split()[0] in shown
    if len(stored) > pdf_report.MAX_CELL_CHARS:
        assert stored[:500] in shown and pdf_report.CUT_NOTE in shown


def test_exports_strip_what_openpyxl_refuses(tmp_path):
    import pandas as pd

    from dashboard.files import exports
    df = pd.DataFrame({"Testo": ["a\x0bb", "nul\x00x", "=1+1", "\x1bok"]})
    ws = load_workbook(__import__("io").BytesIO(exports.xlsx_bytes(df))).active
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["a\nb", "nulx", "'=1+1", "ok"]
    csv_text = exports.csv_bytes(df).decode("utf-8-sig")
    assert "\x00" not in csv_text and "\x0b" not in csv_text and "nulx" in csv_text


def test_table_pdf_any_text(paragraphs):
    rows = [["a", "parola " * 300, "b"], [LONG_TOKEN, "c", "d"], ["z", "w " * 3000, "\x00\x0bq"]]
    assert pdf_report.table_pdf("T", [], ["A", "B", "C"], rows, [22, 58, 30]).startswith(b"%PDF")
    assert pdf_report.CUT_NOTE in paragraphs


# --- point 4: the same file imported twice -------------------------------------------------------------------

def _questionnaires(path, n=20):
    from tests.test_records import QUESTIONARI, csv_file
    return csv_file(path, QUESTIONARI, [[f"{1 + i % 28:02d}/01/2020", "Nuova Impresa", str(3 + i % 2), "5"] for i in range(n)])


def test_the_same_file_twice_is_refused_naming_the_first_batch(con, tmp_path):
    from tests.test_records import msgs, run
    path = _questionnaires(tmp_path / "q.csv")
    first = run(con, "questionari", path, "pianif")
    assert first.ok, msgs(first)
    when = con.execute("SELECT quando FROM lotti_record WHERE id = ?", [first.lotto]).fetchone()[0]
    copy = tmp_path / "copia.csv"
    copy.write_bytes(path.read_bytes())
    again = run(con, "questionari", copy, "pianif")
    assert msgs(again) == [f"copia.csv: lo stesso file (stessa impronta SHA-256) è già stato importato come lotto "
                           f"{first.lotto} («q.csv») il {when:%d/%m/%Y %H:%M} da pianif: nessun record è stato scritto di nuovo"]
    assert con.execute("SELECT count(*) FROM questionari").fetchone()[0] == 20
    assert con.execute("SELECT count(*) FROM lotti_record").fetchone()[0] == 1


def test_the_same_file_twice_in_one_import_many(con, tmp_path):
    from dashboard.files import records_import
    from tests.conftest import TODAY
    from tests.test_records import msgs
    path = _questionnaires(tmp_path / "q.csv")
    results = records_import.import_many(con, [("questionari", path), ("questionari", path)], "pianif", workers=2,
                                         today=TODAY)
    assert [r.ok for r in results].count(True) == 1
    refused = next(r for r in results if not r.ok)
    assert "è già stato importato come lotto" in msgs(refused)[0]
    assert con.execute("SELECT count(*) FROM questionari").fetchone()[0] == 20


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    return with_users


# --- point 8: a BOM before Windows-1252 bytes, a field over the CSV limit -------------------------------------

FATTURE_HEADER = "id_fattura;fornitore;data_fattura;data_scadenza;data_pagamento;importo_pagato\r\n"
TEMPLATE_HEADER = "indicatore;periodo;valore;numeratore;denominatore;note\r\n"


def _bad_files(tmp_path, header: str, row: str) -> dict:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (header + row).encode("cp1252"))
    long_field = tmp_path / "lungo.csv"
    long_field.write_bytes(("x" * 140_000 + ";" + header + row).encode("utf-8"))
    return {bom: "il file inizia con il segno dei file UTF-8 (BOM) ma contiene caratteri in un'altra codifica",
            long_field: "una cella supera 131.072 caratteri"}


def test_records_import_cli_refuses_broken_csv_in_italian(tmp_path, stores):
    from tests.test_records import cli_with_staff_rag
    env_run = cli_with_staff_rag(stores)
    for path, message in _bad_files(tmp_path, FATTURE_HEADER, "F1;Società;01/01/2020;31/01/2020;10/02/2020;100\r\n").items():
        out = env_run("records", "import", str(path), "--kind", "fatture", "--user", "staff.rag")
        assert out.returncode == 1, out.stderr
        assert f"{path.name}" in out.stderr and message in out.stderr, out.stderr
        assert "Traceback" not in out.stderr + out.stdout and "Error" not in out.stderr


def test_template_import_cli_refuses_broken_csv_in_italian(tmp_path, stores):
    from tests.test_records import cli_with_staff_rag
    env_run = cli_with_staff_rag(stores)
    for path, message in _bad_files(tmp_path, TEMPLATE_HEADER, "ITP;2020-T1;10;;;attività già svolta\r\n").items():
        out = env_run("import", str(path), "--user", "staff.rag")
        assert out.returncode == 1, out.stderr
        assert f"{path.name}" in out.stderr and message in out.stderr, out.stderr
        assert "Traceback" not in out.stderr + out.stdout and "Error" not in out.stderr


def test_the_oiv_pdf_has_the_target_texts_and_indicator_names(with_users, tmp_path, paragraphs):
    """Issue 13.3/10: the PDF is read without the dashboard: each target's words, its indicators by name, ≥."""
    evaluation_export.write(with_users, "CCIAA-LU", "Camera di Commercio di Lucca", 2019, tmp_path / "v.pdf")
    shown = "\n".join(paragraphs)
    text = reviews.table(with_users, "CCIAA-LU", 2019).set_index("target").loc["1D.2", "testo"]
    assert "1D.2 (obiettivo 1D)<br/>" + escape(text)[:80] in shown
    assert "Giudizio complessivo sull&#x27;attività del mediatore" in shown or "Giudizio complessivo sull'attività" in shown
    assert "≥ 3 punti" in shown and ">= 3" not in shown and "&gt;= 3" not in shown
