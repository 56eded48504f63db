"""Hostile workbooks, generated (never hand-made binaries), for tests/test_hostile_files.py and
benchmarks/bench_hostile_files.py.

Each entry of HOSTILE is name → (function writing the file at a path, the words its refusal must contain).
To add a case, write a function `path -> None` and add one line to HOSTILE. The workbooks are written
as raw zip parts so that what a real reader would never produce (a cell at XFD1048576, a lying dimension,
a gigabyte of XML) can be written in a few kilobytes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

TEMPLATE_HEADER = ["indicatore", "periodo", "valore", "numeratore", "denominatore", "note"]
TEMPLATE_ROW = ["ITP", "2020-T1", "10", "", "", ""]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Misure" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'worksheet" Target="worksheets/sheet1.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _esc(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_xml(number: int, values: list) -> str:
    cells = "".join(f'<c r="{_col(i + 1)}{number}" t="inlineStr"><is><t>{_esc(str(v))}</t></is></c>'
                    for i, v in enumerate(values) if v != "")
    return f'<row r="{number}">{cells}</row>'


def write_xlsx(path: Path, rows_xml, dimension: str | None = "A1:F2", shared: str | bytes | None = None,
               extra_parts: dict | None = None) -> Path:
    """A one-sheet workbook from raw row XML (a string or an iterable of strings, streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(_SHEET_OPEN.encode())
            if dimension:
                f.write(f'<dimension ref="{dimension}"/>'.encode())
            f.write(b"<sheetData>")
            for chunk in ([rows_xml] if isinstance(rows_xml, str) else rows_xml):
                f.write(chunk.encode() if isinstance(chunk, str) else chunk)
            f.write(b"</sheetData></worksheet>")
        sst = shared if shared is not None else (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')
        if isinstance(sst, str):
            z.writestr("xl/sharedStrings.xml", sst)
        else:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for chunk in sst:
                    f.write(chunk)
        for part, data in (extra_parts or {}).items():
            z.writestr(part, data)
    return path


def _template_rows(n: int = 1, header=TEMPLATE_HEADER, row=TEMPLATE_ROW) -> str:
    return row_xml(1, header) + "".join(row_xml(i + 2, row) for i in range(n))


# ------------------------------------------------------------------ the cases

def normal(path: Path, rows: int = 1) -> Path:
    """A well-formed template (the baseline of the benchmark)."""
    return write_xlsx(path, _template_rows(rows), dimension=f"A1:F{rows + 1}")


PRATICHE_HEADER = ["protocollo", "tipo", "ufficio", "data_arrivo", "data_evasione", "giorni_sospensione"]


def normal_records(path: Path, rows: int = 1000) -> Path:
    """Well-formed practices of 2020 (the records baseline of the benchmark)."""
    body = "".join(row_xml(i + 2, [f"P{i}", "iscrizione", "RI", f"{1 + i % 28:02d}/01/2020",
                                   f"{1 + i % 28:02d}/02/2020", str(i % 3)]) for i in range(rows))
    return write_xlsx(path, row_xml(1, PRATICHE_HEADER) + body, dimension=f"A1:F{rows + 1}")


def far_cell(path: Path) -> None:
    """One cell at XFD1048576 (about 1 KB): a reader trusting the dimension builds 17 billion cells."""
    write_xlsx(path, _template_rows() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
               dimension="A1:XFD1048576")


def far_cell_lying_dimension(path: Path) -> None:
    """The same cell, the dimension claiming A1:F2: only counting while reading finds it."""
    write_xlsx(path, _template_rows() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
               dimension="A1:F2")


def far_column(path: Path) -> None:
    """A cell in column XFD of row 2, no dimension at all."""
    write_xlsx(path, _template_rows() + '<row r="3"><c r="XFD3"><v>1</v></c></row>', dimension=None)


def zip_bomb(path: Path, gigabytes: float = 1.0) -> None:
    """About 1 GB of one repeated row (rows without numbers are valid XML), compressed about a thousand times."""
    row = "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in TEMPLATE_ROW if v) + "</row>"
    block = (row * (65536 // len(row))).encode()
    write_xlsx(path, (block for _ in range(int(gigabytes * 1024 ** 3 / len(block)))), dimension=None)


def fifty_thousand_rows(path: Path) -> None:
    """50.000 data rows, honest dimension: over the template's 20.000."""
    write_xlsx(path, _template_rows(50_000), dimension="A1:F50001")


def shared_strings_bomb(path: Path) -> None:
    """3 million tiny shared strings, compressed 400 times: the reader keeps the whole table in memory."""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    write_xlsx(path, _template_rows(),
               shared=iter([head] + [b"<si><t>x</t></si>" * 100_000] * 30 + [b"</sst>"]))


def many_shared_strings(path: Path) -> None:
    """250.000 different shared strings (5 MB of XML): more than a template or a plan ever holds."""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    write_xlsx(path, _template_rows(),
               shared=iter([head] + [f"<si><t>{i:x}</t></si>".encode() for i in range(250_000)] + [b"</sst>"]))


def long_text(path: Path) -> None:
    """A note of 40.000 characters: over Excel's own 32.767."""
    write_xlsx(path, _template_rows(1, row=TEMPLATE_ROW[:5] + ["n" * 40_000]))


def entity_bomb(path: Path) -> None:
    """A DTD with nested entities (the "billion laughs"): an .xlsx never has a DTD."""
    dtd = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    write_xlsx(path, _template_rows(), shared=dtd)


def many_parts(path: Path) -> None:
    """A thousand parts in the zip."""
    write_xlsx(path, _template_rows(), extra_parts={f"xl/media/x{i}.xml": "<a/>" for i in range(1000)})


def repeated_long_string(path: Path) -> None:
    """One 30.000-character shared string in 6 columns of 20.000 rows: 240 KB of XML, 3,6 GB as text."""
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<si><t>{"y" * 30_000}</t></si></sst>')
    rows = (f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}" t="s"><v>0</v></c>' for c in range(1, 7)) + "</row>"
            for r in range(2, 20_002))
    write_xlsx(path, (row_xml(1, PRATICHE_HEADER) + "".join(rows)), dimension=None, shared=sst)


# name → (writer, words the refusal contains)
HOSTILE = {
    "far_cell": (far_cell, "foglio «Misure»: l'area dichiarata arriva alla cella XFD1048576"),
    "far_cell_lying_dimension": (far_cell_lying_dimension, "foglio «Misure»: la riga 1.048.576 è oltre il limite di 20.001 righe"),
    "far_column": (far_column, "foglio «Misure»: la cella XFD3 è oltre il limite di 256 colonne"),
    "zip_bomb": (zip_bomb, "il file Excel, decompresso, occupa"),
    "zip_bomb_200_mb": (lambda path: zip_bomb(path, 0.2), "il file Excel, decompresso, occupa"),
    "fifty_thousand_rows": (fifty_thousand_rows, "oltre il limite di 20.001 righe"),
    "shared_strings_bomb": (shared_strings_bomb, "il file Excel è compresso in modo anomalo"),
    "many_shared_strings": (many_shared_strings, "più di 200.000 testi diversi"),
    "long_text": (long_text, "contiene un testo di oltre 32.767 caratteri"),
    "entity_bomb": (entity_bomb, "dichiarazione DTD"),
    "many_parts": (many_parts, "parti, oltre il limite di 500"),
}
# Records may hold a million rows, so some cases are refused by another limit, or need their own.
RECORDS_REFUSAL = {
    "far_cell_lying_dimension": "foglio «Misure»: la cella XFD1048576 è oltre il limite di 256 colonne",
    "fifty_thousand_rows": "mancano le colonne",
    "many_shared_strings": "mancano le colonne",  # 250.000 texts are a valid size for records  # 50.000 rows are a valid size for records, not this layout
    "zip_bomb_200_mb": "il file Excel è compresso in modo anomalo",  # under the records' 512 MB: the ratio
    "repeated_long_string": "contiene testi ripetuti in modo anomalo",
}
RECORDS_ONLY = {"repeated_long_string": repeated_long_string}


def write_all(folder: Path, names=None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (writer, _) in HOSTILE.items():
        if names is None or name in names:
            out[name] = folder / f"{name}.xlsx"
            if not out[name].exists():
                writer(out[name])
    return out
