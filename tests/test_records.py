"""Raw records: each metric on small hand-computed cases, the edges, and every bad record refused."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from openpyxl import Workbook

from dashboard.core import audit, users
from dashboard.files import records_import
from queries import metrics as metrics_queries
from tests.conftest import ROOT, TODAY

PRATICHE = ["protocollo", "tipo", "ufficio", "data_arrivo", "data_evasione", "giorni_sospensione"]
QUESTIONARI = ["data", "sportello", "punteggio", "scala_max"]
FATTURE = ["id_fattura", "fornitore", "data_fattura", "data_scadenza", "data_pagamento", "importo_pagato"]
FATTURE_FACOLTATIVE = ["partita_iva", "split_payment", "importo_iva", "contestazione_dal", "contestazione_al", "stato"]


def csv_file(path, header, rows, sep=";", encoding="utf-8"):
    path.write_bytes(("\r\n".join(sep.join(map(str, r)) for r in [header] + rows) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    users.add_user(with_users, "staff.pc", "staff", "CCIAA-LU", ["PROGCONTR"], "password-pc2")
    return with_users


def run(con, kind, path, user):
    return records_import.import_records(con, kind, path, user, today=TODAY)


def msgs(result):
    return [str(p) for p in result.problems]


def value(con, indicator, anno, trimestre):
    return con.execute("SELECT valore, numeratore, denominatore, fonte FROM misure_correnti WHERE indicatore = ? "
                       "AND anno = ? AND trimestre = ? AND ambito = 'trimestre'", [indicator, anno, trimestre]).fetchone()


def test_practices_metrics_by_hand(con, tmp_path):
    path = csv_file(tmp_path / "pratiche.csv", PRATICHE, [
        ["P1", "iscrizione", "Lucca", "02/01/2020", "02/01/2020", "0"],   # completed on its arrival day: 0 days
        ["P2", "modifica", "Lucca", "02/01/2020", "10/01/2020", "3"],     # 8 days - 3 suspended = 5 (within 5)
        ["P3", "modifica", "Viareggio", "20/03/2020", "31/03/2020", "1"],  # 11 - 1 = 10
        ["P4", "deposito", "Viareggio", "25/03/2020", "02/04/2020", "0"],  # completed in Q2: counts in Q2
    ])
    result = run(con, "pratiche", path, "staff.ri")
    assert result.ok, msgs(result)
    assert result.rows == 4 and len(result.sha256) == 64
    q1 = metrics_queries.metrics(con, "tempi_ri", 2020, 1)
    total = q1[q1["ufficio"].isna() & q1["trimestre"].notna()].iloc[0]
    assert total["pratiche"] == 3
    assert total["tempo_medio_netto"] == pytest.approx(15 / 3)
    assert total["quota_sospese"] == pytest.approx(200 / 3)
    assert total["sospensione_media"] == pytest.approx(2.0)
    assert total["quota_entro_5_giorni"] == pytest.approx(200 / 3)
    viareggio = q1[(q1["ufficio"] == "Viareggio") & q1["trimestre"].notna()].iloc[0]
    assert (viareggio["pratiche"], viareggio["tempo_medio_netto"]) == (1, 10.0)
    # The indicators are fed with the cases, and their source names the file, its checksum and the records.
    v, num, den, fonte = value(con, "RI_TEMPO_LAV", 2020, 1)
    assert (v, num, den) == (5.0, 15.0, 3.0)
    assert fonte == f"calcolato da 3 record pratiche: pratiche.csv (sha256 {result.sha256[:16]}…, 4 righe)"
    assert value(con, "RI_TEMPO_LAV", 2020, 2)[:3] == (8.0, 8.0, 1.0)
    assert value(con, "RI_SOSP_QUOTA", 2020, 1)[0] == pytest.approx(200 / 3)
    assert value(con, "RI_SOSP_GIORNI", 2020, 1)[:3] == (2.0, 4.0, 2.0)
    assert value(con, "RI_SOSP_GIORNI", 2020, 2)[:3] == (None, 0.0, 0.0)  # no suspended practice: no average
    assert metrics_queries.metrics(con, "tempi_ri", 2020, 3).empty       # a quarter with no records


def test_a_second_file_recomputes_the_quarter(con, tmp_path):
    run(con, "pratiche", csv_file(tmp_path / "a.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "04/01/2020", "0"]]), "staff.ri")
    second = run(con, "pratiche", csv_file(tmp_path / "b.csv", PRATICHE, [["P2", "", "Lucca", "02/01/2020", "08/01/2020", "0"]]), "staff.ri")
    assert second.ok
    v, num, den, fonte = value(con, "RI_TEMPO_LAV", 2020, 1)
    assert (v, num, den) == (4.0, 8.0, 2.0)
    assert "a.csv" in fonte and "b.csv" in fonte
    history = con.execute("SELECT versione, valore, motivo FROM misure WHERE indicatore = 'RI_TEMPO_LAV' AND anno = 2020 "
                          "ORDER BY versione").fetchall()
    assert history == [(1, 2.0, None), (2, 4.0, "ricalcolo dai record del file b.csv")]


def test_itp_equals_the_definition(con, tmp_path):
    rows = [
        ["F1", "Alfa srl", "01/01/2020", "31/01/2020", "31/01/2020", "1.000,00"],  # paid exactly on its due date: 0 days
        ["F2", "Beta spa", "10/01/2020", "09/02/2020", "19/02/2020", "€ 2.500,50"],  # 10 days late
        ["F3", "Gamma", "01/02/2020", "02/03/2020", "20/02/2020", "500"],            # 11 days early
        ["F4", "Alfa srl", "01/03/2020", "31/03/2020", "05/04/2020", "300,00"],       # Q2: 5 days late
    ]
    result = run(con, "fatture", csv_file(tmp_path / "fatture.csv", FATTURE, rows), "staff.rag")
    assert result.ok, msgs(result)
    by_hand_q1 = (0 * 1000 + 10 * 2500.50 + (-11) * 500) / (1000 + 2500.50 + 500)
    df = metrics_queries.metrics(con, "itp", 2020).set_index("trimestre", drop=False)
    q1 = df[df["trimestre"] == 1].iloc[0]
    assert q1["itp"] == pytest.approx(by_hand_q1) and q1["totale_pagato"] == pytest.approx(4000.50)
    year = df[df["trimestre"].isna()].iloc[0]
    assert year["itp"] == pytest.approx((10 * 2500.50 - 11 * 500 + 5 * 300) / 4300.50)
    assert value(con, "ITP", 2020, 1)[0] == pytest.approx(by_hand_q1)


def test_questionnaires_per_desk_on_their_scale(con, tmp_path):
    rows = [["15/01/2020", "Marchi e Brevetti", "10", "10"], ["20/01/2020", "Marchi e Brevetti", "9", "10"],
            ["20/01/2020", "Nuova Impresa", "8", "10"], ["21/01/2020", "Formazione", "4", "5"]]
    result = run(con, "questionari", csv_file(tmp_path / "q.csv", QUESTIONARI, rows), "staff.pc")
    assert result.ok, msgs(result)
    df = metrics_queries.metrics(con, "soddisfazione", 2020, 1)
    marchi = df[(df["sportello"] == "Marchi e Brevetti") & df["trimestre"].notna()].iloc[0]
    assert (marchi["questionari"], marchi["media"], marchi["scala_max"]) == (2, 9.5, 10)
    overall10 = df[df["sportello"].isna() & (df["scala_max"] == 10) & df["trimestre"].notna()].iloc[0]
    assert overall10["media"] == pytest.approx(27 / 3)
    assert value(con, "CS_MARCHI", 2020, 1)[:3] == (9.5, 19.0, 2.0)
    assert value(con, "CS_SPORTELLI", 2020, 1)[0] == pytest.approx(9.0)
    assert value(con, "CS_FIN_NI", 2020, 1)[0] == 8.0


# Stored records of a kind plus stored values: what a refused file must leave as it was.
RECORDS_AND_VALUES = {
    "pratiche": "SELECT (SELECT count(*) FROM pratiche) + (SELECT count(*) FROM misure)",
    "questionari": "SELECT (SELECT count(*) FROM questionari) + (SELECT count(*) FROM misure)",
    "fatture": "SELECT (SELECT count(*) FROM fatture) + (SELECT count(*) FROM misure)",
}


@pytest.mark.parametrize("kind, header, row, expected", [
    ("pratiche", PRATICHE, ["P9", "", "Lucca", "10/01/2020", "05/01/2020", "0"],
     "riga 3, colonna «data_evasione»: evasa il 05/01/2020, prima dell'arrivo (10/01/2020)"),
    ("pratiche", PRATICHE, ["P9", "", "Lucca", "01/01/2020", "05/01/2020", "6"],
     "riga 3, colonna «giorni_sospensione»: sospensione di 6 giorni, più lunga della pratica (4 giorni)"),
    ("pratiche", PRATICHE, ["P1", "", "Lucca", "01/01/2020", "05/01/2020", "0"],
     "riga 3, colonna «protocollo»: protocollo P1 duplicato: compare già alla riga 2"),
    ("pratiche", PRATICHE, ["P9", "", "Lucca", "32/01/2020", "05/02/2020", "0"],
     "riga 3, colonna «data_arrivo»: «32/01/2020» non è una data valida (formato atteso: 30/09/2019)"),
    ("pratiche", PRATICHE, ["P9", "", "Lucca", "01/01/2020", "05/01/2020", "due"],
     "riga 3, colonna «giorni_sospensione»: «due» non è un numero intero di giorni maggiore o uguale a zero"),
    ("fatture", FATTURE, ["F9", "Alfa", "10/01/2020", "09/02/2020", "05/01/2020", "100"],
     "riga 3, colonna «data_pagamento»: pagamento il 05/01/2020, prima della data della fattura (10/01/2020)"),
    ("fatture", FATTURE, ["F9", "Alfa", "10/01/2020", "09/02/2020", "15/02/2020", "-100,00"],
     "riga 3, colonna «importo_pagato»: importo negativo o zero (-100,0)"),
    ("fatture", FATTURE, ["F9", "Alfa", "10/01/2020", "09/02/2020", "15/02/2020", "0"],
     "riga 3, colonna «importo_pagato»: importo negativo o zero (0,0)"),
    ("fatture", FATTURE, ["F1", "Alfa", "10/01/2020", "09/02/2020", "15/02/2020", "10"],
     "riga 3, colonna «id_fattura»: fattura F1 di Alfa duplicata: compare già alla riga 2"),
    ("questionari", QUESTIONARI, ["15/01/2020", "Mediazione", "7", "5"],
     "riga 3, colonna «punteggio»: punteggio 7,0 fuori dalla scala 1–5"),
])
def test_bad_records_refuse_the_whole_file(con, tmp_path, kind, header, row, expected):
    good = {"pratiche": ["P1", "", "Lucca", "01/01/2020", "02/01/2020", "0"],
            "fatture": ["F1", "Alfa", "01/01/2020", "31/01/2020", "30/01/2020", "100"],
            "questionari": ["15/01/2020", "Mediazione", "4", "5"]}[kind]
    user = {"pratiche": "staff.ri", "fatture": "staff.rag", "questionari": "pianif"}[kind]
    before = con.execute(RECORDS_AND_VALUES[kind]).fetchone()[0]
    result = run(con, kind, csv_file(tmp_path / "r.csv", header, [good, row]), user)
    assert msgs(result) == [f"r.csv, {expected}"]
    after = con.execute(RECORDS_AND_VALUES[kind]).fetchone()[0]
    assert after == before


def test_already_imported_records_are_refused(con, tmp_path):
    path = csv_file(tmp_path / "a.csv", PRATICHE, [["P1", "", "Lucca", "01/01/2020", "02/01/2020", "0"]])
    assert run(con, "pratiche", path, "staff.ri").ok
    # Another file (not the same bytes, which is refused as a whole) with a protocol already stored.
    again = run(con, "pratiche", csv_file(tmp_path / "b.csv", PRATICHE, [["P1", "", "Lucca", "01/01/2020", "03/01/2020", "0"]]), "staff.ri")
    assert msgs(again) == ["b.csv, riga 2, colonna «protocollo»: protocollo P1 già importato (file a.csv)"]


def test_file_level_refusals(con, tmp_path):
    assert msgs(run(con, "pratiche", csv_file(tmp_path / "x.csv", ["protocollo", "data_arrivo"], [["P1", "01/01/2020"]]), "staff.ri")) == [
        "x.csv, riga 1: mancano le colonne «tipo», «ufficio», «data_evasione», «giorni_sospensione»"]
    empty = tmp_path / "vuoto.csv"
    empty.write_bytes(b"")
    assert msgs(run(con, "pratiche", empty, "staff.ri")) == ["vuoto.csv: il file è vuoto"]
    assert msgs(run(con, "pratiche", csv_file(tmp_path / "h.csv", PRATICHE, []), "staff.ri")) == [
        "h.csv: il file non contiene righe di dati sotto l'intestazione"]
    wrong_office = run(con, "fatture", csv_file(tmp_path / "f.csv", FATTURE, [["F1", "A", "01/01/2020", "31/01/2020", "30/01/2020", "1"]]), "staff.ri")
    assert msgs(wrong_office) == ["f.csv: i record alimentano indicatori dell'ufficio RAGIONERIA: l'utente staff.ri non può caricarli"]
    assert msgs(run(con, "pratiche", csv_file(tmp_path / "o.csv", PRATICHE, [["P1", "", "", "01/01/2020", "02/01/2020", "0"]]), "oiv")) == [
        "o.csv: Il ruolo OIV non può inserire o correggere misure"]


def test_windows_1252_comma_separated_and_xlsx(con, tmp_path):
    path = csv_file(tmp_path / "f.csv", FATTURE, [["F1", "Società Alfa", "01/01/2020", "31/01/2020", "30/01/2020", "\"€ 1.234,50\""]],
                    sep=",", encoding="cp1252")
    result = run(con, "fatture", path, "staff.rag")
    assert result.ok, msgs(result)
    assert con.execute("SELECT fornitore, importo_pagato FROM fatture").fetchone()[0] == "Società Alfa"
    wb = Workbook()
    ws = wb.active
    ws.append(PRATICHE)
    ws.append(["X1", "iscrizione", "Lucca", dt.date(2020, 1, 2), dt.date(2020, 1, 7), 2])
    wb.save(tmp_path / "p.xlsx")
    result = run(con, "pratiche", tmp_path / "p.xlsx", "staff.ri")
    assert result.ok, msgs(result)
    assert value(con, "RI_TEMPO_LAV", 2020, 1)[0] == 3.0
    ws.append(["X2", "", "", "=TODAY()", dt.date(2020, 1, 7), 0])
    wb.save(tmp_path / "f.xlsx")
    assert "contiene una formula" in msgs(run(con, "pratiche", tmp_path / "f.xlsx", "staff.ri"))[0]


def test_audit_names_the_batch(con, tmp_path):
    result = run(con, "pratiche", csv_file(tmp_path / "a.csv", PRATICHE, [["P1", "", "Lucca", "01/01/2020", "02/01/2020", "0"]]), "staff.ri")
    row = audit.search(con, azione="record_importati").iloc[0]
    assert row["oggetto"] == "pratiche: a.csv"
    assert json.loads(row["dopo"]) == {"lotto": result.lotto, "righe": 1, "sha256": result.sha256}


def cli_with_staff_rag(stores):
    """A database made by `init` (on the store under test), with staff.rag of Ragioneria; returns a runner of the
    CLI on it."""
    db = stores.address()
    env_run = lambda *a, stdin=None: subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db), *a],  # noqa: E731
                                                    input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert env_run("init", "--no-demo").returncode == 0
    assert env_run("user", "add", "staff.rag", "--role", "staff", "--office", "RAGIONERIA", "--password-stdin",
                   stdin="password-rag\n").returncode == 0
    return env_run


def test_cli_records_and_metrics(tmp_path, stores):
    env_run = cli_with_staff_rag(stores)
    path = csv_file(tmp_path / "fatture.csv", FATTURE, [["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]])
    ok = env_run("records", "import", "--kind", "fatture", str(path), "--user", "staff.rag")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(env_run("metrics", "--kind", "itp", "--year", "2020", "--format", "json").stdout)
    assert [(r["trimestre"], r["itp"]) for r in out["rows"]] == [(None, 10.0), (1, 10.0)]
    bad = csv_file(tmp_path / "bad.csv", FATTURE, [["F2", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "-1"]])
    refused = env_run("records", "import", "--kind", "fatture", str(bad), "--user", "staff.rag")
    assert refused.returncode == 1 and "bad.csv, riga 2, colonna «importo_pagato»: importo negativo o zero" in refused.stderr


def test_templates_round_trip(con, tmp_path):
    for kind, header in (("pratiche", PRATICHE), ("questionari", QUESTIONARI),
                         ("fatture", FATTURE + FATTURE_FACOLTATIVE)):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(records_import.template_bytes(kind, ".csv"))
        assert path.read_text(encoding="utf-8-sig").strip() == ";".join(header)
        # An empty template is refused for what it is: no rows.
        assert msgs(run(con, kind, path, "pianif")) == [f"{kind}.csv: il file non contiene righe di dati sotto l'intestazione"]
    from openpyxl import load_workbook
    (tmp_path / "f.xlsx").write_bytes(records_import.template_bytes("fatture", ".xlsx"))
    wb = load_workbook(tmp_path / "f.xlsx")
    assert [c.value for c in wb["fatture"][1]] == FATTURE + FATTURE_FACOLTATIVE
    assert wb["Istruzioni"]["A7"].value == "importo_pagato"
