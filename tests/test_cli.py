"""The command line as scripts use it: a real process on a real DuckDB file."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT


def cli(db, *args, stdin=None, wait: str | None = None):
    """The CLI on `db` in its own process; `wait`: KPI_DB_WAIT for it (how long it waits for a held file)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KPI_DB", None)
    if wait is not None:
        env["KPI_DB_WAIT"] = wait
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


@pytest.fixture(scope="module")
def initialised(module_stores):
    db = module_stores.address()
    first = cli(db, "init")
    assert first.returncode == 0, first.stderr
    return db


def test_init_is_idempotent(initialised):
    again = cli(initialised, "init")
    assert again.returncode == 0
    assert "contiene già il piano: nessuna modifica" in again.stdout


def test_plan_reproduces_the_seed(initialised):
    result = cli(initialised, "plan", "--format", "json")
    assert result.returncode == 0 and result.stderr == ""
    plan = json.loads(result.stdout)
    (ente,) = plan["enti"]
    assert ente["code"] == "CCIAA-LU"
    objectives = {o["code"]: o for a in ente["areas"] for o in a["objectives"]}
    assert len(objectives) == 17
    assert objectives["1C"]["status"] == "eliminato"
    assert objectives["1A"]["status"] == "proposto_eliminazione"
    budget_1b = objectives["1B"]["budget"][0]
    assert budget_1b == {"year": 2020, "oneri": 85500.0, "ricavi": 110700.0, "contributi": 16000.0, "investimenti": 0.0}
    total = sum(b["oneri"] + b["investimenti"] for o in objectives.values() for b in o["budget"])
    assert total == 1318976.0
    projects = [p for o in objectives.values() for p in o["projects"]]
    assert len(projects) == 24
    assert {p["code"]: p["cdc"] for p in projects}["3F0102"] == "A002 Segreteria e Protocollo"
    targets_2020 = [t for o in objectives.values() for t in o["targets"] if t["years"] == [2020, 2021]]
    assert len(targets_2020) == 31


def test_status_2019_json(initialised):
    result = cli(initialised, "status", "--year", "2019", "--format", "json")
    rows = {r["code"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["1D.2"]["status"] == "raggiunto" and rows["1D.2"]["value"] == 4.5 and rows["1D.2"]["grado"] == 100.0


def test_status_levels_and_formats(initialised):
    ente = json.loads(cli(initialised, "status", "--year", "2020", "--level", "ente", "--format", "json").stdout)["rows"][0]
    targets = json.loads(cli(initialised, "status", "--year", "2020", "--format", "json").stdout)["rows"]
    assert ente["n_target"] == len(targets) == 31
    assert ente["n_raggiunto"] == sum(t["status"] == "raggiunto" for t in targets)
    csv_out = cli(initialised, "status", "--year", "2020", "--quarter", "2", "--level", "area", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "ente;codice;valore;grado;stato"
    assert len(csv_out.splitlines()) == 4
    table = cli(initialised, "status", "--year", "2020", "--quarter", "2", "--format", "table").stdout
    assert "Stato al II trim. 2020" in table and "A rischio" in table


def test_template_import_history_round_trip(initialised, tmp_path):
    out = tmp_path / "adr.xlsx"
    made = cli(initialised, "template", "--office", "ADR", "--period", "2021-Q1", "--out", str(out))
    assert made.returncode == 0, made.stderr
    wb = load_workbook(out)
    ws = wb["Misure"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["indicatore", "descrizione", "unita", "periodo", "valore", "numeratore", "denominatore", "note"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert set(rows) == {"ADR_CAMPAGNE", "ADR_CS_MEDIATORE", "ADR_CS_SERVIZIO"}
    assert rows["ADR_CAMPAGNE"][header.index("ultimo_valore")].value == 1  # the last value, as a guide
    rows["ADR_CAMPAGNE"][header.index("valore")].value = 1
    wb.save(out)
    imported = cli(initialised, "import", str(out), "--user", "staff.adr")
    assert imported.returncode == 0, imported.stderr
    assert "1 nuovi" in imported.stdout
    refused = cli(initialised, "import", str(out), "--user", "staff.ri")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "adr.xlsx, riga 2, colonna «indicatore (A)»" in refused.stderr
    history = json.loads(cli(initialised, "history", "--indicator", "ADR_CAMPAGNE", "--format", "json").stdout)
    latest = [v for v in history["versions"] if v["period"] == "2021-Q1"]
    assert latest[0]["who"] == "staff.adr" and latest[0]["value"] == 1 and latest[0]["current"]


def test_user_add_reads_password_from_stdin(initialised):
    ok = cli(initialised, "user", "add", "mario.rossi", "--role", "staff", "--office", "RI", "--password-stdin",
             stdin="una-password-lunga\n")
    assert ok.returncode == 0, ok.stderr
    dup = cli(initialised, "user", "add", "mario.rossi", "--role", "oiv", "--password-stdin", stdin="x" * 10 + "\n")
    assert dup.returncode == 1 and "esiste già" in dup.stderr
    no_office = cli(initialised, "user", "add", "anna.b", "--role", "staff", "--password-stdin", stdin="y" * 10 + "\n")
    assert no_office.returncode == 1 and "almeno un ufficio" in no_office.stderr


def test_exit_codes(initialised, tmp_path):
    assert cli(initialised, "status").returncode == 2                    # --year missing: usage
    assert cli(initialised, "frobnicate").returncode == 2
    missing = cli(initialised, "import", str(tmp_path / "nessuno.csv"), "--user", "staff.ri")
    assert missing.returncode == 1 and "file non trovato" in missing.stderr
    bad_office = cli(initialised, "template", "--office", "XX", "--period", "2020-Q1", "--out", str(tmp_path / "t.csv"))
    assert bad_office.returncode == 1 and "Ufficio «XX» sconosciuto" in bad_office.stderr
    assert cli(initialised, "history", "--indicator", "NOPE").returncode == 1


def test_offices_json(initialised):
    offices = {o["code"]: o for o in json.loads(cli(initialised, "offices", "--format", "json").stdout)}
    assert offices["RI"]["cdc"] == "C002 Servizio Anagrafico certificativo"
    assert "RI_TEMPO_LAV" in {i["code"] for i in offices["RI"]["indicators"]}
