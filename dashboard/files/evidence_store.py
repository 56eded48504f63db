"""Evidence files as people send them: what a file is, decided from its bytes, never from its name.

PDF, PNG and JPEG by their signature; DOCX and XLSX are zip packages whose [Content_Types].xml declares
the main part (a macro-enabled .docm/.xlsm declares another and is refused); ODT is a zip whose first
member `mimetype` says so. The name's extension must agree with the content, so a file is downloaded
as what it is. Anything else (an executable renamed .pdf, a zip, a script) is refused.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from dashboard.core import evidence
from dashboard.core.roles import User

EXTENSIONS = {".pdf": "pdf", ".xlsx": "xlsx", ".docx": "docx", ".odt": "odt", ".png": "png", ".jpg": "jpeg",
              ".jpeg": "jpeg"}
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
KIND_NAMES = {"pdf": "PDF", "xlsx": "foglio Excel (XLSX)", "docx": "documento Word (DOCX)",
              "odt": "documento OpenDocument (ODT)", "png": "immagine PNG", "jpeg": "immagine JPEG"}


def kind_of(data: bytes) -> str | None:
    """The kind of file `data` is (a key of evidence.KINDS), from its content; None if not an accepted one."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if names and names[0] == "mimetype" and "mimetype" in names:
                if z.read("mimetype")[:100].strip() == b"application/vnd.oasis.opendocument.text":
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                types = z.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                for main, kind in _OOXML_MAIN.items():
                    if f'ContentType="{main}"' in types:
                        return kind
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def check(nome_file: str, data: bytes) -> str:
    """The kind of the file, or a refusal naming the file and what is wrong."""
    name = PurePath(nome_file or "").name or "file"
    if not data:
        raise evidence.EvidenceRefused(f"{name}: il file è vuoto.")
    if len(data) > evidence.MAX_BYTES:
        raise evidence.EvidenceRefused(f"{name}: il file supera il limite di {evidence.MAX_BYTES // (1024 * 1024)} MB.")
    kind = kind_of(data)
    if kind is None:
        raise evidence.EvidenceRefused(
            f"{name}: il contenuto non è un PDF, un XLSX, un DOCX, un ODT né un'immagine PNG o JPEG (il tipo si "
            f"riconosce dal contenuto, non dal nome).")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed != kind:
        raise evidence.EvidenceRefused(f"{name}: il nome indica un altro tipo di file, il contenuto è un "
                                       f"{KIND_NAMES[kind]}: rinominarlo con l'estensione giusta.")
    return kind


def attach(con, user: User, target: str, anno: int, trimestre: int, nome_file: str, data: bytes,
           descrizione: str, when=None) -> int:
    """Check the file from its content and attach it to `target` for the quarter; returns the record's id."""
    name = PurePath(nome_file or "").name or "file"
    kind = check(name, data)
    return evidence.store(con, user, target, anno, trimestre, name, kind, data, descrizione, when)

