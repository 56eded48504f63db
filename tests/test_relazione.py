"""The Relazione sulla performance and the OIV's validation sheet (issue 14), from the year's freeze."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dashboard.core import corrections, errors, reviews, users, year_freeze
from dashboard.files import evidence_store, relazione_export
from tests.test_deviations import demo_db_rw, demo_users  # noqa: F401  (fixtures)
from tests.test_evidence import PDF
from tests.test_year_freeze import explain_all


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def frozen(demo_users):  # noqa: F811
    con = demo_users
    explain_all(con)
    evidence_store.attach(con, users.get_user(con, "staff.ri"), "2A.2", 2020, 4, "report_gestione_RI.pdf", PDF,
                          "report sulla gestione")
    year_freeze.close_year(con, users.get_user(con, "pianif"), 2020)
    reviews.record_verdict(con, users.get_user(con, "oiv"), "2A.2", 2020, "validato_con_riserva", "tempi da ridurre")
    return con


def test_no_relazione_before_the_freeze(demo_users):  # noqa: F811
    with pytest.raises(errors.Refused, match="non è ancora stato chiuso"):
        relazione_export.pdf_bytes(demo_users, "CCIAA-LU", "CCIAA di Lucca", 2020)


def test_relazione_pdf_has_the_chain(frozen):
    text = " ".join(pdf_text(relazione_export.pdf_bytes(frozen, "CCIAA-LU", "CCIAA di Lucca", 2020)).split())
    assert "Relazione sulla performance 2020" in text
    assert "Area 2" in text and "Obiettivo 2A" in text
    assert "causa di 2A.2" in text and "azione per 2A.2" in text
    assert "report_gestione_RI.pdf (report sulla gestione)" in text
    assert "Validato con riserva — tempi da ridurre" in text


def test_relazione_docx_and_a_change_after_validation(frozen):
    import docx
    corrections.correct_value(frozen, "pianif", "RI_FATTURE", 2020, 4, "rettifica dopo la validazione", "900")
    d = docx.Document(io.BytesIO(relazione_export.docx_bytes(frozen, "CCIAA-LU", "CCIAA di Lucca", 2020)))
    cells = {}
    for table in d.tables:
        rows = {r.cells[0].text: r.cells[1].text for r in table.rows}
        cells[rows["Target"].split(" — ")[0]] = rows
    assert cells["2A.2"]["Causa dello scostamento"] == "causa di 2A.2"
    assert cells["2A.2"]["Evidenze"] == "report_gestione_RI.pdf (report sulla gestione)"
    # The frozen figure stays; the change after the validation is beside it.
    assert cells["2A.3"]["Dopo la validazione"].startswith("Modificato dopo la validazione: ora")
    assert "rettifica dopo la validazione" in cells["2A.3"]["Dopo la validazione"]
    assert "Dopo la validazione" not in cells["2A.2"]
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Area 1 — ") for h in headings) and any(h.startswith("Obiettivo 2A — ") for h in headings)


def test_validation_sheet(frozen):
    text = " ".join(pdf_text(relazione_export.validation_sheet_pdf(frozen, "CCIAA-LU", "CCIAA di Lucca", 2020)).split())
    assert "Scheda di validazione dell'OIV 2020" in text
    assert "Validato con riserva" in text and "tempi da ridurre" in text
    assert "Verdetti espressi: 1 su 31." in text
