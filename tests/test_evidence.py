"""Evidence files (issue 14): type from the content, stored once per SHA-256, never deleted."""
from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.core import evidence, users
from dashboard.core.errors import NotAllowed
from dashboard.files import evidence_store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


def docx_bytes() -> bytes:
    import docx
    d = docx.Document()
    d.add_paragraph("Report sulla gestione")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


ODT = zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")])
DOCM = zip_bytes([("[Content_Types].xml", b'<Types><Override PartName="/word/document.xml" ContentType='
                   b'"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')])


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "resp.ri", "responsabile", "CCIAA-LU", ["RI"], "password-resp-ri")
    return with_users


@pytest.mark.parametrize("name,data,kind", [
    ("report.pdf", PDF, "pdf"), ("report.docx", None, "docx"), ("dati.xlsx", None, "xlsx"), ("nota.odt", ODT, "odt"),
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"), ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
])
def test_accepted_kinds_are_recognised_from_the_content(name, data, kind):
    data = data or (docx_bytes() if kind == "docx" else xlsx_bytes())
    assert evidence_store.check(name, data) == kind


@pytest.mark.parametrize("name,data,message", [
    ("relazione.pdf", ELF, "il contenuto non è un PDF"),          # executable content named .pdf
    ("macro.docx", DOCM, "il contenuto non è un PDF"),            # macro-enabled Word
    ("archivio.pdf", zip_bytes([("a.txt", b"x")]), "il contenuto non è"),
    ("report.docx", PDF, "il nome indica un altro tipo"),        # a real PDF named .docx
    ("vuoto.pdf", b"", "vuoto"),
])
def test_refused_files(name, data, message):
    with pytest.raises(evidence.EvidenceRefused, match=message) as exc:
        evidence_store.check(name, data)
    assert name in str(exc.value)


def test_a_pdf_name_with_executable_content_writes_nothing(con):
    staff = users.get_user(con, "staff.ri")
    with pytest.raises(evidence.EvidenceRefused):
        evidence_store.attach(con, staff, "2A.2", 2020, 4, "report.pdf", ELF, "report sulla gestione")
    assert con.execute("SELECT (SELECT count(*) FROM evidenze_file), (SELECT count(*) FROM file_blob)").fetchone() == (0, 0)


def test_the_same_file_attached_twice_is_stored_once_and_downloads_intact(con):
    staff = users.get_user(con, "staff.ri")
    a = evidence_store.attach(con, staff, "2A.2", 2020, 4, "report.pdf", PDF, "report sulla gestione")
    b = evidence_store.attach(con, users.get_user(con, "resp.ri"), "2B.1", 2020, 4, "copia.pdf", PDF, "stesso report")
    assert con.execute("SELECT count(*) FROM file_blob").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM evidenze_file").fetchone()[0] == 2
    assert evidence.content(con, "CCIAA-LU", a) == ("report.pdf", "application/pdf", PDF)
    assert evidence.content(con, "CCIAA-LU", b)[0] == "copia.pdf"
    listed = evidence.in_force(con, "CCIAA-LU", 2020, "2A.2")
    assert listed[["nome_file", "descrizione", "utente", "byte"]].values.tolist() == [
        ["report.pdf", "report sulla gestione", "staff.ri", len(PDF)]]


def test_a_withdrawal_is_a_new_record_and_nothing_is_deleted(con):
    staff = users.get_user(con, "staff.ri")
    a = evidence_store.attach(con, staff, "2A.2", 2020, 4, "report.pdf", PDF, "report sulla gestione")
    with pytest.raises(evidence.EvidenceRefused, match="motivo"):
        evidence.withdraw(con, staff, a, " ")
    evidence.withdraw(con, staff, a, "versione sbagliata")
    assert evidence.in_force(con, "CCIAA-LU", 2020, "2A.2").empty
    hist = evidence.history(con, "CCIAA-LU", "2A.2", 2020)
    assert hist[["azione", "nome_file", "descrizione"]].values.tolist() == [
        ["allegato", "report.pdf", "report sulla gestione"], ["ritirato", "report.pdf", "versione sbagliata"]]
    assert evidence.content(con, "CCIAA-LU", a)[2] == PDF  # still downloadable from the history
    with pytest.raises(evidence.EvidenceRefused, match="già stata ritirata"):
        evidence.withdraw(con, staff, a, "di nuovo")


def test_only_the_targets_offices_and_planning_attach(con):
    with pytest.raises(NotAllowed, match="ufficio"):
        evidence_store.attach(con, users.get_user(con, "staff.adr"), "2A.2", 2020, 4, "r.pdf", PDF, "report")
    with pytest.raises(NotAllowed):
        evidence_store.attach(con, users.get_user(con, "oiv"), "2A.2", 2020, 4, "r.pdf", PDF, "report")
    evidence_store.attach(con, users.get_user(con, "pianif"), "2A.2", 2020, 4, "r.pdf", PDF, "report")


def test_size_limit(con, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_BYTES", 100)
    with pytest.raises(evidence.EvidenceRefused, match="limite"):
        evidence_store.attach(con, users.get_user(con, "staff.ri"), "2A.2", 2020, 4, "r.pdf", PDF + b"0" * 100, "x")
