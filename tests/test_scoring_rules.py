"""The SMVP's scoring rules per condition (criteri.regola), per-year thresholds and exact roll-ups."""
from __future__ import annotations

import duckdb
import pytest

from dashboard.core import db, plan_quality
from queries import status as status_queries
from tests.test_engine import Plan


class RulePlan(Plan):
    """Plan with conditions that name their rule, baseline and year."""

    def rule_target(self, code, indicator, op, soglia, regola, base=None, anni=(2020, 2020), soglie_anno=None,
                    obiettivo="O1", peso=1):
        """soglie_anno: {year or None: threshold}, one criteri row each; else one row for every year."""
        num = int(code.split(".")[1])
        self.con.execute("INSERT INTO target VALUES ('T', ?, ?, ?, ?, ?, ?, ?)",
                         [code, obiettivo, num, anni[0], anni[1], peso, f"Target {code}"])
        for anno, s in (soglie_anno or {None: soglia}).items():
            self.con.execute(
                "INSERT INTO criteri (ente, target, anno_da, indicatore, tipo, operatore, soglia, regola, valore_base, anno) "
                "VALUES ('T', ?, ?, ?, 'soglia', ?, ?, ?, ?, ?)", [code, anni[0], indicator, op, s, regola, base, anno])


@pytest.fixture
def plan(stores):
    p = RulePlan(stores.connection())
    yield p
    p.con.close()


def _judge(plan, regola, value, op="<=", soglia=10, base=20):
    plan.indicator("COSTO", "ultimo", proiezione="costante")
    plan.rule_target("O1.1", "COSTO", op, soglia, regola, base)
    plan.measure("COSTO", 2020, 4, value)
    return plan.target_row("O1.1")


def _remeasure(plan, value):
    plan.con.execute("UPDATE misure SET valore = ? WHERE indicatore = 'COSTO'", [value])


@pytest.mark.parametrize("regola, grado, status", [
    ("rapporto", 66.67, "parzialmente_raggiunto"),   # 10 / 15
    ("interpolazione", 50.0, "non_raggiunto"),       # (15 - 20) / (10 - 20): half way from the baseline
    ("binario", 0.0, "non_raggiunto"),
    ("fasce", 0.0, "non_raggiunto"),                 # 66,67 % of the target is below the 70 % band
])
def test_funzione_pubblica_guideline_example(plan, regola, grado, status):
    # Linee guida DFP 2/2017: baseline 20 EUR per certificate, target 10, actual 15.
    row = _judge(plan, regola, 15)
    assert (round(row["grado"], 2), row["status"]) == (grado, status)
    assert (row["regola"], row["valore_base"]) == (regola, 20)


@pytest.mark.parametrize("regola", ["rapporto", "interpolazione", "fasce", "binario"])
def test_met_is_100_under_every_rule(plan, regola):
    row = _judge(plan, regola, 9)
    assert (row["grado"], row["status"]) == (100.0, "raggiunto")


@pytest.mark.parametrize("value, grado", [
    (69.99, 0.0),     # below fascia_zero (70 % of the target): nothing
    (70.0, 70.0),     # from fascia_zero: the achievement percentage itself
    (89.9, 89.9),
    (90.0, 100.0),    # from fascia_piena (90 %): full marks, though the condition is missed
])
def test_bands_on_each_side(plan, value, grado):
    row = _judge(plan, "fasce", value, op=">=", soglia=100)
    assert row["grado"] == pytest.approx(grado)


def test_bands_lower_is_better(plan):
    # Target <= 10: 12,5 is 80 % of it (inside the bands), 11 is 90,9 % (full marks).
    assert _judge(plan, "fasce", 12.5)["grado"] == pytest.approx(80.0)
    _remeasure(plan, 11)
    assert plan.target_row("O1.1")["grado"] == 100.0


def test_bands_are_the_bodys_configuration(plan):
    assert _judge(plan, "fasce", 60, op=">=", soglia=100)["grado"] == 0.0
    plan.con.execute("UPDATE smvp SET fascia_zero = 50, fascia_piena = 95 WHERE ente = 'T'")
    assert plan.target_row("O1.1")["grado"] == pytest.approx(60.0)


@pytest.mark.parametrize("value, grado", [
    (65.0, 50.0),       # half way from 50 to 80
    (50.0, 0.0),        # at the baseline
    (40.0, 0.0),        # below it: not negative
    (79.999, 99.99),    # a near miss stays below 100
    (80.0, 100.0),
    (95.0, 100.0),      # beyond the threshold: capped
])
def test_interpolation_from_the_baseline(plan, value, grado):
    row = _judge(plan, "interpolazione", value, op=">=", soglia=80, base=50)
    assert row["grado"] == pytest.approx(grado)


def test_interpolation_strict_and_lower_is_better(plan):
    # "< 10" from a baseline of 20: exactly 10 is the end of the line but not met.
    assert _judge(plan, "interpolazione", 10, op="<", soglia=10, base=20)["grado"] == 99.99
    _remeasure(plan, 25)
    assert plan.target_row("O1.1")["grado"] == 0.0   # worse than the baseline


def test_interpolation_without_baseline_is_not_judged(plan):
    row = _judge(plan, "interpolazione", 15, base=None)
    assert (row["status"], row["motivo_non_rilevato"]) == ("non_rilevato", "manca un valore base diverso dalla soglia")


def test_threshold_per_year(plan):
    plan.indicator("PROG", "ultimo", proiezione="costante")
    plan.rule_target("O1.1", "PROG", ">=", None, "rapporto", anni=(2025, 2027),
                     soglie_anno={2025: 80, 2026: 85, 2027: 90})
    for anno in (2025, 2026, 2027):
        plan.measure("PROG", anno, 4, 82)
    rows = {anno: plan.target_row("O1.1", anno) for anno in (2025, 2026, 2027)}
    assert [rows[a]["soglia"] for a in rows] == [80, 85, 90]
    assert [rows[a]["n_criteri"] for a in rows] == [1, 1, 1]
    assert rows[2025]["status"] == "raggiunto"
    assert rows[2026]["grado"] == pytest.approx(82 / 85 * 100)


def test_year_row_wins_over_the_general_one(plan):
    plan.indicator("PROG", "ultimo", proiezione="costante")
    plan.rule_target("O1.1", "PROG", ">=", None, "rapporto", anni=(2025, 2027), soglie_anno={None: 80, 2027: 90})
    for anno in (2025, 2026, 2027):
        plan.measure("PROG", anno, 4, 85)
    assert [plan.target_row("O1.1", a)["status"] for a in (2025, 2026, 2027)] == [
        "raggiunto", "raggiunto", "parzialmente_raggiunto"]
    assert plan.target_row("O1.1", 2027)["soglia"] == 90


WEIGHTS = [(1 / 3, 1 / 3, 1 / 3), (0.1, 0.2, 0.7), (0.7, 0.2, 0.1)]


@pytest.mark.parametrize("weights", WEIGHTS)
def test_three_children_at_100_give_exactly_100(plan, weights):
    c = plan.con
    c.execute("DELETE FROM obiettivi")
    c.execute("DELETE FROM aree")
    c.execute("INSERT INTO aree VALUES ('T', '1', 'A1', ?), ('T', '2', 'A2', ?), ('T', '3', 'A3', ?)", list(weights))
    # Area 1 has three objectives, objective O1 three targets; areas 2 and 3 one each.
    c.execute("INSERT INTO obiettivi VALUES ('T', 'O1', '1', 'o1', ?), ('T', 'O2', '1', 'o2', ?), ('T', 'O3', '1', 'o3', ?), "
              "('T', 'O4', '2', 'o4', 1), ('T', 'O5', '3', 'o5', 1)", list(weights))
    plan.indicator("A", "ultimo", proiezione="costante")
    targets = [("O1.1", "O1", weights[0]), ("O1.2", "O1", weights[1]), ("O1.3", "O1", weights[2]),
               ("O2.1", "O2", 1), ("O3.1", "O3", 1), ("O4.1", "O4", 1), ("O5.1", "O5", 1)]
    for code, obiettivo, peso in targets:
        plan.rule_target(code, "A", ">=", 3, "rapporto", obiettivo=obiettivo, peso=peso)
    plan.measure("A", 2020, 4, 3)
    for livello, code in (("obiettivo", "O1"), ("area", "1"), ("ente", "T")):
        row = status_queries.status(c, 2020, None, livello).set_index("codice").loc[code]
        assert row["grado"] == 100.0, livello           # exactly: no 99.99999999999999
        assert row["status"] == "raggiunto", livello


def test_weighted_mean_is_not_distorted_by_the_clamp(plan):
    plan.indicator("A", "ultimo", proiezione="costante")
    plan.indicator("B", "ultimo", proiezione="costante")
    plan.rule_target("O1.1", "A", ">=", 3, "rapporto", peso=1 / 3)
    plan.rule_target("O1.2", "A", ">=", 3, "rapporto", peso=1 / 3)
    plan.rule_target("O1.3", "B", ">=", 3, "rapporto", peso=1 / 3)
    plan.measure("A", 2020, 4, 3)
    plan.measure("B", 2020, 4, 1.5)
    obj = status_queries.status(plan.con, 2020, None, "obiettivo").set_index("codice")
    assert obj.loc["O1", "grado"] == pytest.approx(250 / 3)


# The tables as they were before the scoring rules, to build a file from before.
OLD_SCHEMA = [
    "CREATE TABLE smvp (ente VARCHAR PRIMARY KEY, soglia_raggiunto DOUBLE NOT NULL DEFAULT 100, "
    "soglia_parziale DOUBLE NOT NULL DEFAULT 60)",
    "CREATE TABLE criteri (ente VARCHAR NOT NULL, target VARCHAR NOT NULL, anno_da INTEGER NOT NULL, "
    "indicatore VARCHAR NOT NULL, tipo VARCHAR NOT NULL, operatore VARCHAR NOT NULL, soglia DOUBLE NOT NULL)",
    "INSERT INTO smvp (ente) VALUES ('T')",
    "INSERT INTO criteri VALUES ('T', 'O1.1', 2020, 'A', 'soglia', '>=', 3)",
]


@pytest.mark.file_store("an old file's columns added when the file is opened")
def test_file_from_before_gets_the_new_columns(tmp_path):
    path = tmp_path / "vecchio.duckdb"
    old = duckdb.connect(str(path))
    for statement in OLD_SCHEMA:
        old.execute(statement)
    old.close()
    for _ in range(2):  # and opening it again changes nothing
        con = db.connect(path)
        assert con.execute("SELECT regola, valore_base, anno FROM criteri").fetchall() == [("rapporto", None, None)]
        assert con.execute("SELECT fascia_zero, fascia_piena FROM smvp").fetchall() == [(70.0, 90.0)]
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO criteri (ente, target, anno_da, indicatore, tipo, operatore, soglia, regola) "
                        "VALUES ('T', 'O1.2', 2020, 'A', 'soglia', '>=', 3, NULL)")
        db.close(path)


def _problems(plan):
    with pytest.raises(plan_quality.PlanError) as exc:
        plan_quality.check_scoring_rules(plan.con, 'T')
    return str(exc.value)


def test_loader_accepts_sound_rules(plan):
    plan.rule_target("O1.1", "A", "<=", 10, "interpolazione", base=20)
    plan.rule_target("O1.2", "A", ">=", None, "fasce", anni=(2025, 2026), soglie_anno={2025: 80, 2026: 85})
    plan_quality.check_scoring_rules(plan.con, 'T')


def test_loader_refuses_rules_it_cannot_apply(plan):
    plan.rule_target("O1.1", "A", "<=", 10, "interpolazione")
    plan.rule_target("O1.2", "A", ">=", 80, "interpolazione", base=90)
    plan.rule_target("O1.3", "A", ">=", None, "rapporto", anni=(2025, 2027), soglie_anno={2025: 80, 2026: 85})
    plan.con.execute("UPDATE smvp SET fascia_zero = 95")
    message = _problems(plan)
    assert "target O1.1 (2020), indicatore A: la regola interpolazione richiede un valore base." in message
    assert "O1.2 (2020), indicatore A: il valore base 90.0 deve stare dalla parte non raggiunta" in message
    assert "O1.3 (2025), indicatore A: soglie per anno senza una soglia per ciascun anno" in message
    assert "SMVP T: le fasce" in message


@pytest.mark.file_store("a DuckDB file from before the CHECK on regola, stood in for by a DuckDB view")
def test_loader_refuses_unknown_rule_in_a_file_from_before(plan):
    # Files from before have no CHECK on regola (DuckDB cannot add one): the loader is the guard.
    # A new schema has the CHECK, so a view stands in for such a file's table.
    plan.rule_target("O1.1", "A", ">=", 3, "rapporto")
    plan.con.execute("ALTER TABLE criteri RENAME TO criteri_con_check")
    plan.con.execute("CREATE VIEW criteri AS SELECT * REPLACE ('forfait' AS regola) FROM criteri_con_check")
    assert "target O1.1 (2020), indicatore A: regola «forfait» sconosciuta" in _problems(plan)


def test_rule_is_shown_where_the_condition_is_read(plan):
    from dashboard.core import labels, reviews
    from queries import detail

    plan.indicator("COSTO", "ultimo", proiezione="costante")
    plan.rule_target("O1.1", "COSTO", "<=", None, "interpolazione", base=20, anni=(2025, 2026),
                     soglie_anno={2025: 12, 2026: 10})
    crit = detail.target_criteria(plan.con, "T", "O1.1", 2025, 2026)
    assert (list(crit["soglia"]), list(crit["regola"]), list(crit["valore_base"])) == ([10], ["interpolazione"], [20])
    row = reviews.table(plan.con, "T", 2025).iloc[0]
    assert reviews.expected_text(row["condizioni"]) == "≤ 12 u (regola: Interpolazione dalla base 20 u)"
    assert labels.rule_text("rapporto", None) == ""
    assert set(labels.RULE_LABELS) == {"rapporto", "interpolazione", "fasce", "binario"}


def test_threshold_edit_refuses_per_year_thresholds(plan):
    from dashboard.core import plan_edit
    from dashboard.core.roles import User

    plan.rule_target("O1.1", "A", ">=", None, "rapporto", anni=(2025, 2026), soglie_anno={2025: 80, 2026: 85})
    user = User("pianif", "T", "pianificazione", ())
    with pytest.raises(plan_edit.PlanEditError, match="soglie diverse per anno"):
        plan_edit.set_threshold(plan.con, user, "O1.1", 2025, "A", 90, "revisione")
    assert plan.con.execute("SELECT soglia FROM criteri ORDER BY anno").fetchall() == [(80,), (85,)]
