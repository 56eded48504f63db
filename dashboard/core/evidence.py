"""Evidence files of a target and period: the record (who, when, what it proves), the bytes stored once per
SHA-256 in the database file (table file_blob: one file to back up), never deleted — a withdrawal is a new
record. What a file is, is decided from its content by dashboard/files/evidence_store.py, which calls
`store`; this module keeps the records and reads them back (the dossier, the freeze, the Relazione)."""
from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, deviations, formats
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require

MAX_BYTES = 10 * 1024 * 1024  # a scanned report of a few dozen pages; larger belongs in the records system
# Kinds accepted, as evidence_store recognises them from the content, with the download's MIME type.
KINDS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


class EvidenceRefused(Refused):
    """An evidence file refused; the message is Italian."""


def in_force(con: duckdb.DuckDBPyConnection, ente: str, anno: int, target: str | None = None) -> pd.DataFrame:
    """The files attached for `anno` (to `target`, or to every target) and not withdrawn."""
    return con.execute(queries.sql("evidence", "in_force"), {"ente": ente, "anno": anno, "target": target}).df()


def history(con, ente: str, target: str, anno: int) -> pd.DataFrame:
    return con.execute(queries.sql("evidence", "history"), {"ente": ente, "target": target, "anno": anno}).df()


def content(con, ente: str, evidence_id: int) -> tuple[str, str, bytes]:
    """(file name, MIME type, bytes) of an attachment of the body: the download."""
    row = _get(con, ente, evidence_id)
    data = con.execute(queries.sql("evidence", "content"), {"sha256": row["sha256"]}).fetchone()[0]
    return row["nome_file"], KINDS[row["tipo"]], bytes(data)


def _get(con, ente: str, evidence_id: int) -> dict:
    cur = con.execute(queries.sql("evidence", "get"), {"ente": ente, "id": evidence_id})
    row = cur.fetchone()
    if row is None or row[5] != "allegato":
        raise EvidenceRefused(f"Evidenza n. {evidence_id} inesistente.")
    return dict(zip([d[0] for d in cur.description], row))


def _check_office(con, user: User, target: str, anno: int) -> int:
    require(user, "allegare_evidenze", ente=user.ente)
    try:
        anno_da = deviations.target_year(con, user.ente, target, anno)
    except deviations.ExplanationRefused as exc:
        raise EvidenceRefused(str(exc)) from None
    require(user, "allegare_evidenze", ufficio=deviations.target_offices(con, user.ente, target, anno_da) or ["-"])
    return anno_da


def store(con: duckdb.DuckDBPyConnection, user: User, target: str, anno: int, trimestre: int, nome_file: str,
          tipo: str, data: bytes, descrizione: str, when: dt.datetime | None = None) -> int:
    """Record `data` (of kind `tipo`, already recognised from its content) as evidence of `target` for the
    quarter; the bytes are stored only if no file with the same SHA-256 is. Returns the record's id."""
    anno_da = _check_office(con, user, target, anno)
    if tipo not in KINDS:
        raise EvidenceRefused(f"Tipo di file «{tipo}» non ammesso.")
    if len(data) > MAX_BYTES:
        raise EvidenceRefused(f"{nome_file}: il file supera il limite di {formats.fmt_num(MAX_BYTES / 1024 / 1024, 0)} MB.")
    if trimestre not in (1, 2, 3, 4):
        raise EvidenceRefused("Trimestre non valido: 1-4.")
    descrizione = formats.clean_text(descrizione or "").strip()
    if not descrizione:
        raise EvidenceRefused("Indicare che cosa documenta il file (ad es. «report sulla gestione»).")
    sha = hashlib.sha256(data).hexdigest()
    when = when or dt.datetime.now()
    with db.transaction(con, lock=True):
        if not con.execute(queries.sql("evidence", "blob_exists"), {"sha256": sha}).fetchone()[0]:
            con.execute(queries.sql("evidence", "insert_blob"),
                        {"sha256": sha, "tipo": tipo, "byte": len(data), "contenuto": data, "quando": when})
        new_id = db.next_id(con, "seq_evidenze_file")
        con.execute(queries.sql("evidence", "insert"), {
            "id": new_id, "ente": user.ente, "target": target, "anno_da": anno_da, "anno": anno, "trimestre": trimestre,
            "azione": "allegato", "ritira": None, "sha256": sha, "nome_file": nome_file, "tipo": tipo,
            "descrizione": descrizione, "utente": user.username, "quando": when})
        audit.record(con, user.username, "evidenza_allegata", f"{target} {formats.period_code(anno, trimestre)}",
                     ente=user.ente, dopo={"id": new_id, "file": nome_file, "tipo": tipo, "sha256": sha,
                                            "byte": len(data), "descrizione": descrizione}, quando=when)
    return new_id


def withdraw(con: duckdb.DuckDBPyConnection, user: User, evidence_id: int, motivo: str,
             when: dt.datetime | None = None) -> int:
    """Withdraw an attachment: a new record with the reason; the file and its record stay."""
    row = _get(con, user.ente, evidence_id)
    _check_office(con, user, row["target"], row["anno"])
    motivo = formats.clean_text(motivo or "").strip()
    if not motivo:
        raise EvidenceRefused("Il motivo del ritiro è obbligatorio.")
    when = when or dt.datetime.now()
    with db.transaction(con, lock=True):
        if con.execute(queries.sql("evidence", "withdrawn"), {"id": evidence_id}).fetchone()[0]:
            raise EvidenceRefused(f"L'evidenza «{row['nome_file']}» è già stata ritirata.")
        new_id = db.next_id(con, "seq_evidenze_file")
        con.execute(queries.sql("evidence", "insert"), {
            "id": new_id, "ente": user.ente, "target": row["target"], "anno_da": row["anno_da"], "anno": row["anno"],
            "trimestre": row["trimestre"], "azione": "ritirato", "ritira": evidence_id, "sha256": row["sha256"],
            "nome_file": row["nome_file"], "tipo": row["tipo"], "descrizione": motivo, "utente": user.username,
            "quando": when})
        audit.record(con, user.username, "evidenza_ritirata",
                     f"{row['target']} {formats.period_code(row['anno'], row['trimestre'])}", ente=user.ente,
                     prima={"id": evidence_id, "file": row["nome_file"]}, motivo=motivo, quando=when)
    return new_id
