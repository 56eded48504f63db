"""Plan versions: drafts change nothing, adoption replaces the plan in force, periods keep their thresholds."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.core import users
from dashboard.core.errors import NotAllowed, Refused
from dashboard.files import plan_versions
from dashboard.files import plan_workbook as pw
from queries import status as status_queries
from tests.conftest import ROOT
from tests.test_plan_workbook import checksums

GIUNTA_GENNAIO = "Delibera di Giunta n. 4 del 28/01/2020"
GIUNTA_GIUGNO = "Delibera di Giunta n. 62 del 25/06/2020"


@pytest.fixture
def planner(seeded):
    return users.add_user(seeded, "pianif", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")


def _with_threshold(con, soglia: float) -> pw.PlanTables:
    tables = pw.current_tables(con, "CCIAA-LU")
    for c in tables["criteri"]:
        if (c["target"], c["anno_da"], c["indicatore"]) == ("2A.1", 2020, "RI_TEMPO_LAV"):
            c["soglia"] = soglia
    return tables


def _misure(con):
    return con.execute("SELECT count(*), sum(hash(m::VARCHAR)) FROM misure m").fetchone()


def test_seed_is_version_one_adopted(seeded):
    (v,) = plan_versions.versions(seeded, "CCIAA-LU")
    assert (v["versione"], v["stato"], v["atto"], v["data_atto"], v["in_vigore_dal"], v["in_vigore"]) == (
        1, "adottato", "Delibera di Consiglio n. 15 del 7/11/2019", dt.date(2019, 11, 7), dt.date(2019, 11, 7), True)
    actions = [r[0] for r in seeded.execute("SELECT azione FROM audit ORDER BY id").fetchall()]
    assert actions[:2] == ["piano_caricato", "piano_adottato"]


def test_act_dates():
    assert plan_versions.parse_act_date(GIUNTA_GENNAIO) == dt.date(2020, 1, 28)
    assert plan_versions.parse_act_date("Delibera di Consiglio n. 15 del 7 novembre 2019") == dt.date(2019, 11, 7)
    assert plan_versions.parse_act_date("Delibera n. 3") is None


def test_draft_changes_nothing_until_adopted(seeded, planner):
    before = checksums(seeded)
    status_before = status_queries.status(seeded, 2020, 4)
    result = plan_versions.import_version(seeded, planner, _with_threshold(seeded, 4), atto=GIUNTA_GIUGNO)
    assert (result.versione, result.stato) == (2, "bozza")
    assert result.diff["soglie_cambiate"] == [{"target": "2A.1", "anno_da": 2020, "indicatore": "RI_TEMPO_LAV",
                                               "anno": None, "soglia": {"prima": 5.0, "dopo": 4.0}}]
    after = checksums(seeded)
    for t in pw.SHEETS + ("misure", "criteri_versioni"):
        assert after[t] == before[t], t
    pd.testing.assert_frame_equal(status_queries.status(seeded, 2020, 4), status_before)
    with pytest.raises(Refused, match="data"):
        plan_versions.adopt(seeded, planner, "CCIAA-LU", 2, "Delibera di Giunta n. 62")
    plan_versions.adopt(seeded, planner, "CCIAA-LU", 2, GIUNTA_GIUGNO)
    assert seeded.execute("SELECT soglia FROM criteri WHERE target = '2A.1' AND anno_da = 2020").fetchone()[0] == 4
    assert _misure(seeded) == (before["misure"][0], before["misure"][1])
    audit = seeded.execute("SELECT azione, utente, motivo FROM audit WHERE azione LIKE 'piano_%' ORDER BY id").fetchall()
    assert audit[-2:] == [("piano_caricato", "pianif", GIUNTA_GIUGNO), ("piano_adottato", "pianif", GIUNTA_GIUGNO)]
    with pytest.raises(Refused, match="già adottata"):
        plan_versions.adopt(seeded, planner, "CCIAA-LU", 2, GIUNTA_GIUGNO)


def test_period_judged_by_the_version_in_force_at_its_end(seeded, planner):
    # Q1 2020: 4,5 days on average, judged against the January threshold (< 5): met.
    seeded.execute("""INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                      versione, utente, registrato_il) VALUES ('CCIAA-LU', 'RI_TEMPO_LAV', 2020, 1, 'trimestre',
                      4.5, 450, 100, 1, 'test', now())""")
    plan_versions.import_version(seeded, planner, _with_threshold(seeded, 5), atto=GIUNTA_GENNAIO, adopt=True)

    def judged(trimestre):
        df = status_queries.status(seeded, 2020, trimestre)
        row = df[df.target == "2A.1"].iloc[0]
        return row["soglia"], row["grado"]

    q1 = judged(1)
    assert q1 == (5.0, 100.0)
    # The Giunta revises the threshold to < 4 on 25/06/2020.
    plan_versions.import_version(seeded, planner, _with_threshold(seeded, 4), atto=GIUNTA_GIUGNO, adopt=True)
    assert judged(1) == q1                                      # Q1 keeps its judgement
    soglia, grado = judged(3)                                   # Q3 uses the new threshold
    assert soglia == 4.0 and grado == pytest.approx(4 / 4.5 * 100)
    assert judged(2)[0] == 4.0                                  # Q2 ends on 30/06, after the revision
    assert status_queries.status(seeded, 2018, 4).query("target == '2A.1'").soglia.tolist() == [5.0]  # before v1: v1


def test_diff_between_versions(seeded, planner):
    tables = _with_threshold(seeded, 4)
    tables["target"] = [t for t in tables["target"] if t["codice"] != "1B.2" or t["anno_da"] != 2020]
    tables["criteri"] = [c for c in tables["criteri"] if c["target"] != "1B.2" or c["anno_da"] != 2020]
    for t in tables["target"]:
        if (t["codice"], t["anno_da"]) == ("2A.1", 2020):
            t["peso"] = 2.0
    plan_versions.import_version(seeded, planner, tables)
    d = plan_versions.diff(seeded, "CCIAA-LU", 1, 2)
    assert d["target_rimossi"] == [{"codice": "1B.2", "anno_da": 2020}]
    assert d["target_aggiunti"] == []
    assert d["pesi_cambiati"] == [{"codice": "2A.1", "anno_da": 2020, "prima": 1.0, "dopo": 2.0}]
    assert d["soglie_cambiate"][0]["soglia"] == {"prima": 5.0, "dopo": 4.0}
    text = plan_versions.diff_text(d)
    assert "Target rimosso: 1B.2 (2020)." in text
    assert "Peso cambiato: target 2A.1 (2020): 1 → 2." in text
    assert "indicatore RI_TEMPO_LAV: soglia 5 → 4" in text
    assert plan_versions.diff_text(plan_versions.diff(seeded, "CCIAA-LU", 2, 2)).endswith("Nessuna differenza.")


def test_rollover_drafts_next_year(seeded, planner):
    before = checksums(seeded)
    result = plan_versions.rollover(seeded, planner, "CCIAA-LU", 2021)
    assert result.stato == "bozza" and result.righe["target"] == 31
    draft = plan_versions.content(seeded, "CCIAA-LU", result.versione)
    assert min(t["anno_a"] for t in draft["target"]) >= 2021
    assert {b["anno"] for b in draft["budget"]} == {2021} and len(draft["budget"]) == 17
    assert {(c["target"], c["anno_da"]) for c in draft["criteri"]} <= {(t["codice"], t["anno_da"]) for t in draft["target"]}
    assert checksums(seeded)["target"] == before["target"]


WARNINGS_PER_BODY = "SELECT ente, count(*) FROM segnalazioni WHERE origine = 'controllo' GROUP BY ente"


def test_new_body_and_permissions(seeded, planner):
    tables = pw.current_tables(seeded, "CCIAA-LU")
    for rows in tables.values():
        for r in rows:
            if "ente" in r:
                r["ente"] = "CCIAA-PI"
    tables["enti"][0].update(codice="CCIAA-PI", nome="Camera di Commercio di Pisa", nome_breve="CCIAA Pisa")
    staff = users.add_user(seeded, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    with pytest.raises(NotAllowed):
        plan_versions.import_version(seeded, staff, tables)
    (lucca_warnings,) = dict(seeded.execute(WARNINGS_PER_BODY).fetchall()).values()
    result = plan_versions.import_version(seeded, planner, tables, atto="Delibera di Giunta n. 9 del 30/01/2020",
                                          adopt=True)
    assert (result.ente, result.versione, result.nuovo_ente) == ("CCIAA-PI", 1, True)
    assert seeded.execute("SELECT count(*) FROM target WHERE ente = 'CCIAA-PI'").fetchone()[0] == 65
    assert seeded.execute("SELECT count(*) FROM smvp WHERE ente = 'CCIAA-PI'").fetchone()[0] == 1
    # Each body's computed warnings: Pisa's copy of the plan has Lucca's inconsistencies, and Lucca's stay.
    warnings = dict(seeded.execute(WARNINGS_PER_BODY).fetchall())
    assert warnings["CCIAA-LU"] == lucca_warnings and warnings["CCIAA-PI"] >= lucca_warnings
    with pytest.raises(NotAllowed):  # Lucca's planning office may not revise Pisa's plan
        plan_versions.import_version(seeded, planner, tables)
    pisa = users.add_user(seeded, "pianif.pi", "pianificazione", "CCIAA-PI", [], "password-pi")
    with pytest.raises(NotAllowed):
        plan_versions.adopt(seeded, pisa, "CCIAA-LU", 1, GIUNTA_GENNAIO)


def test_preview_shows_the_differences(seeded, planner, tmp_path):
    path = tmp_path / "piano.xlsx"
    path.write_bytes(pw.workbook_bytes(_with_threshold(seeded, 4)))
    before = checksums(seeded)
    p = plan_versions.preview(seeded, planner, path)
    assert p.ok and (p.ente, p.nuovo_ente, p.versione_in_vigore) == ("CCIAA-LU", False, 1)
    assert p.diff["soglie_cambiate"][0]["soglia"] == {"prima": 5.0, "dopo": 4.0}
    assert checksums(seeded) == before


# ---------------------------------------------------------------- the command line

def cli(db, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KPI_DB", None)
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db), *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=180)


def test_cli_plan_commands(tmp_path, stores):
    db = stores.address()
    assert cli(db, "init", "--no-demo").returncode == 0
    added = subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db), "user", "add", "pianif", "--role",
                            "pianificazione", "--office", "PROGCONTR", "--password-stdin"], input="password-pc\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert added.returncode == 0, added.stderr
    template, out = tmp_path / "modello.xlsx", tmp_path / "piano.xlsx"
    assert cli(db, "plan", "template", "--out", str(template)).returncode == 0
    assert cli(db, "plan", "export", "--out", str(out)).returncode == 0
    assert cli(db, "plan", "export").returncode == 2                          # --out missing: usage
    assert json.loads(cli(db, "plan", "--format", "json").stdout)["enti"][0]["code"] == "CCIAA-LU"

    from openpyxl import load_workbook
    wb = load_workbook(out)
    wb["target"]["C5"] = "9Z"
    bad = tmp_path / "sbagliato.xlsx"
    wb.save(bad)
    refused = cli(db, "plan", "import", str(bad), "--user", "pianif", "--adopt", "--act", GIUNTA_GENNAIO)
    assert refused.returncode == 1
    assert "target, riga 5, colonna «obiettivo»: obiettivo «9Z» sconosciuto" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert cli(db, "plan", "import", str(template), "--user", "pianif").returncode == 1
    assert cli(db, "plan", "import", str(out), "--user", "nessuno").returncode == 1

    done = cli(db, "plan", "import", str(out), "--user", "pianif", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 2 and json.loads(done.stdout)["status"] == "bozza"
    adopted = cli(db, "plan", "adopt", "--version", "2", "--act", GIUNTA_GENNAIO, "--user", "pianif")
    assert adopted.returncode == 0, adopted.stderr
    versions = json.loads(cli(db, "plan", "versions", "--format", "json").stdout)["versions"]
    assert [(v["version"], v["status"], v["in_force"]) for v in versions] == [(1, "adottato", False), (2, "adottato", True)]
    assert versions[1]["act_date"] == "2020-01-28"
    diff = cli(db, "plan", "diff", "--from", "1", "--to", "2", "--format", "json")
    assert json.loads(diff.stdout)["fogli"] == {}
    assert cli(db, "plan", "diff", "--from", "1", "--to", "9").returncode == 1
    rolled = cli(db, "plan", "rollover", "--to", "2021", "--user", "pianif")
    assert rolled.returncode == 0 and "versione 3" in rolled.stdout

    fresh = stores.address("nuovo.duckdb")
    made = cli(fresh, "init", "--plan", str(out), "--act", GIUNTA_GENNAIO)
    assert made.returncode == 0, made.stderr
    assert json.loads(cli(fresh, "plan", "versions", "--format", "json").stdout)["versions"][0]["act"] == GIUNTA_GENNAIO
    status = cli(fresh, "status", "--year", "2020", "--format", "json")
    assert status.returncode == 0 and len(json.loads(status.stdout)["rows"]) == 31


def test_targets_and_weights_of_a_period_are_those_of_the_version_in_force(seeded, planner):
    # Q1 2020: 2A.1 met (4,5 days < 5: 100), 2A.2 half way (6 days for <= 3: 50); 2A.3 has no data.
    for indicatore, num in (("RI_TEMPO_LAV", 450), ("RI_SOSP_GIORNI", 600)):
        seeded.execute("""INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                          versione, utente, registrato_il) VALUES ('CCIAA-LU', ?, 2020, 1, 'trimestre', ?, ?, 100, 1,
                          'test', now())""", [indicatore, num / 100, num])
    # June revision: 2A.1 weighs 3 instead of 1 in objective 2A, and a new target 2A.9 is added to 2A.
    plan_versions.import_version(seeded, planner, pw.current_tables(seeded, "CCIAA-LU"), atto=GIUNTA_GENNAIO, adopt=True)
    q1_before = status_queries.status(seeded, 2020, 1, "obiettivo").set_index("obiettivo").loc["2A"]
    tables = pw.current_tables(seeded, "CCIAA-LU")
    for t in tables["target"]:
        if (t["codice"], t["anno_da"]) == ("2A.1", 2020):
            t["peso"] = 3.0
            tables["target"].append({**t, "codice": "2A.9", "numero": 9, "peso": 1.0, "testo": "Nuovo target di giugno."})
            break
    crit = next(c for c in tables["criteri"] if (c["target"], c["anno_da"]) == ("2A.1", 2020))
    tables["criteri"].append({**crit, "target": "2A.9"})
    plan_versions.import_version(seeded, planner, tables, atto=GIUNTA_GIUGNO, adopt=True)

    q1 = status_queries.status(seeded, 2020, 1, "target")
    q3 = status_queries.status(seeded, 2020, 3, "target")
    assert "2A.9" not in set(q1.target) and "2A.9" in set(q3.target)  # judged from the quarter it exists in
    assert q1.set_index("target").loc["2A.1", "peso"] == 1.0 and q3.set_index("target").loc["2A.1", "peso"] == 3.0
    q1_after = status_queries.status(seeded, 2020, 1, "obiettivo").set_index("obiettivo").loc["2A"]
    assert q1_before["grado"] == pytest.approx((100 + 50) / 2)
    assert (q1_after["n_target"], q1_after["grado"]) == (q1_before["n_target"], q1_before["grado"])  # Q1 unchanged
    q3_2a = status_queries.status(seeded, 2020, 3, "obiettivo").set_index("obiettivo").loc["2A"]
    assert (q3_2a["n_target"], q3_2a["grado"]) == (4, pytest.approx((3 * 100 + 50 + 100) / 5))
