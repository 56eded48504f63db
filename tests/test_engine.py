"""The achievement engine on small hand-made plans: each kind of target at and around its threshold."""
from __future__ import annotations

import datetime as dt

import pytest

from queries import status as status_queries

NOW = dt.datetime(2021, 1, 15)


class Plan:
    """A one-body plan built row by row, so each test states exactly what it judges."""

    def __init__(self, con):
        self.con = con
        c = self.con
        c.execute("INSERT INTO enti VALUES ('T', 'Ente di prova', 'Prova')")
        c.execute("INSERT INTO smvp (ente) VALUES ('T')")
        c.execute("INSERT INTO aree VALUES ('T', '1', 'Area uno', 1), ('T', '2', 'Area due', 1)")
        c.execute("INSERT INTO obiettivi VALUES ('T', 'O1', '1', 'Obiettivo uno', 1), ('T', 'O2', '2', 'Obiettivo due', 1)")
        self.n = 0

    def indicator(self, code, aggregazione="somma", fattore=1, proiezione="lineare", scala=(None, None)):
        self.con.execute("INSERT INTO indicatori VALUES ('T', ?, ?, 'u', 'UFF', ?, ?, ?, ?, ?, NULL)",
                         [code, code, aggregazione, fattore, proiezione, *scala])
        return code

    def target(self, code, indicator, tipo, op, soglia, obiettivo="O1", peso=1, anni=(2020, 2020)):
        num = int(code.split(".")[1])
        self.con.execute("INSERT INTO target VALUES ('T', ?, ?, ?, ?, ?, ?, ?)",
                         [code, obiettivo, num, anni[0], anni[1], peso, f"Target {code}"])
        self.con.execute("INSERT INTO criteri (ente, target, anno_da, indicatore, tipo, operatore, soglia) "
                         "VALUES ('T', ?, ?, ?, ?, ?, ?)", [code, anni[0], indicator, tipo, op, soglia])

    def criterion(self, code, indicator, tipo, op, soglia, anno_da=2020):
        self.con.execute("INSERT INTO criteri (ente, target, anno_da, indicatore, tipo, operatore, soglia) "
                         "VALUES ('T', ?, ?, ?, ?, ?, ?)", [code, anno_da, indicator, tipo, op, soglia])

    def measure(self, indicator, anno, trimestre, valore=None, num=None, den=None, ambito="trimestre"):
        self.n += 1
        self.con.execute(
            "INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore, "
            "versione, utente, registrato_il) VALUES ('T', ?, ?, ?, ?, ?, ?, ?, 1, 'test', ?)",
            [indicator, anno, trimestre, ambito, valore, num, den, NOW])

    def target_row(self, code, anno=2020, trimestre=None):
        df = status_queries.status(self.con, anno, trimestre, "target")
        return df.set_index("target").loc[code]


@pytest.fixture
def plan(stores):
    p = Plan(stores.connection())
    yield p
    p.con.close()


@pytest.mark.parametrize("value, status, grado", [
    (4.99, "raggiunto", 100.0),
    (5.0, "parzialmente_raggiunto", 99.99),   # "inferiore a 5": exactly 5 is not met
    (6.25, "parzialmente_raggiunto", 80.0),    # lower is better: 5 / 6,25
    (10.0, "non_raggiunto", 50.0),
])
def test_strict_lower_is_better_threshold(plan, value, status, grado):
    plan.indicator("TEMPO", "ultimo", proiezione="costante")
    plan.target("O1.1", "TEMPO", "soglia", "<", 5)
    plan.measure("TEMPO", 2020, 4, value)
    row = plan.target_row("O1.1")
    assert row["status"] == status
    assert row["grado"] == pytest.approx(grado)


@pytest.mark.parametrize("value, status", [(3.0, "raggiunto"), (3.01, "parzialmente_raggiunto"), (2.5, "raggiunto")])
def test_non_strict_at_most(plan, value, status):
    plan.indicator("SOSP", "ultimo", proiezione="costante")
    plan.target("O1.1", "SOSP", "soglia", "<=", 3)
    plan.measure("SOSP", 2020, 4, value)
    assert plan.target_row("O1.1")["status"] == status


@pytest.mark.parametrize("value, status, grado", [
    (3.0, "raggiunto", 100.0), (2.99, "parzialmente_raggiunto", 99.67), (1.5, "non_raggiunto", 50.0)])
def test_at_least_on_a_scale(plan, value, status, grado):
    plan.indicator("CS", "ultimo", proiezione="costante")
    plan.target("O1.1", "CS", "soglia", ">=", 3)
    plan.measure("CS", 2020, 4, value)
    row = plan.target_row("O1.1")
    assert (row["status"], round(row["grado"], 2)) == (status, grado)


@pytest.mark.parametrize("prev, cur, status", [
    (100, 101, "raggiunto"), (100, 100, "parzialmente_raggiunto"), (100, 50, "non_raggiunto")])
def test_year_on_year_ratio_strictly_above_one(plan, prev, cur, status):
    plan.indicator("DISP")
    plan.target("O1.1", "DISP", "rapporto_annuo", ">", 1)
    plan.measure("DISP", 2019, 1, prev / 2)
    plan.measure("DISP", 2019, 3, prev / 2)  # a missing quarter in the previous year is simply not counted
    plan.measure("DISP", 2020, 4, cur)
    row = plan.target_row("O1.1")
    assert row["status"] == status
    assert row["valore"] == pytest.approx(cur / prev)


def test_year_on_year_without_previous_year_is_not_measured(plan):
    plan.indicator("DISP")
    plan.target("O1.1", "DISP", "rapporto_annuo", ">", 1)
    plan.measure("DISP", 2020, 1, 10)
    row = plan.target_row("O1.1")
    assert row["status"] == "non_rilevato"
    assert row["motivo_non_rilevato"] == "manca l'anno precedente"


def test_year_on_year_with_previous_year_zero(plan):
    plan.indicator("DISP")
    plan.target("O1.1", "DISP", "rapporto_annuo", ">", 1)
    plan.measure("DISP", 2019, 2, 0)
    plan.measure("DISP", 2020, 1, 10)
    row = plan.target_row("O1.1")
    assert (row["status"], row["motivo_non_rilevato"]) == ("non_rilevato", "anno precedente pari a zero")


@pytest.mark.parametrize("quarters, status, grado", [
    ([1, 0, 1, 0], "raggiunto", 100.0), ([0, 1, 0, 0], "non_raggiunto", 50.0), ([3, 0, 0, 0], "raggiunto", 100.0)])
def test_count_sums_the_quarters(plan, quarters, status, grado):
    plan.indicator("CAMP")
    plan.target("O1.1", "CAMP", "conteggio", ">=", 2)
    for q, v in enumerate(quarters, 1):
        plan.measure("CAMP", 2020, q, v)
    row = plan.target_row("O1.1")
    assert (row["status"], row["grado"], row["valore"]) == (status, grado, sum(quarters))


def test_percentage_band(plan):
    plan.indicator("PROG", "ultimo")
    plan.target("O1.1", "PROG", "percentuale", ">=", 80)
    plan.measure("PROG", 2020, 4, 79)
    row = plan.target_row("O1.1")
    assert row["status"] == "parzialmente_raggiunto"
    assert row["grado"] == pytest.approx(98.75)


def test_milestone_progress(plan):
    plan.indicator("AV", "ultimo", scala=(0, 100))
    plan.target("O1.1", "AV", "milestone", ">=", 100)
    plan.measure("AV", 2020, 1, 30)
    plan.measure("AV", 2020, 4, 55)
    row = plan.target_row("O1.1")
    assert row["status"] == "non_raggiunto"
    assert row["grado"] == pytest.approx(55.0)


def test_cases_are_never_an_average_of_averages(plan):
    plan.indicator("T", "casi", proiezione="costante")
    plan.target("O1.1", "T", "soglia", "<", 5)
    plan.measure("T", 2020, 1, 2.0, num=20, den=10)    # 10 practices, 2 days on average
    plan.measure("T", 2020, 2, 6.0, num=540, den=90)   # 90 practices, 6 days on average
    row = plan.target_row("O1.1", trimestre=2)
    assert row["valore"] == pytest.approx(5.6)          # 560 / 100, not (2 + 6) / 2 = 4
    assert row["status"] == "a_rischio"


def test_cases_with_zero_denominator(plan):
    plan.indicator("T", "casi")
    plan.target("O1.1", "T", "soglia", "<", 5)
    plan.measure("T", 2020, 1, None, num=0, den=0)
    row = plan.target_row("O1.1")
    assert (row["status"], row["motivo_non_rilevato"]) == ("non_rilevato", "denominatore zero")


def test_cases_without_cases_over_several_quarters_give_no_value(plan):
    plan.indicator("ITP", "casi")
    plan.target("O1.1", "ITP", "soglia", "<=", 0)
    plan.measure("ITP", 2020, 1, -4.48)
    plan.measure("ITP", 2020, 2, -17.37)
    assert plan.target_row("O1.1")["status"] == "non_rilevato"
    assert plan.target_row("O1.1", trimestre=1)["valore"] == pytest.approx(-4.48)


def test_no_data_is_non_rilevato(plan):
    plan.indicator("X")
    plan.target("O1.1", "X", "conteggio", ">=", 1)
    row = plan.target_row("O1.1")
    assert (row["status"], row["motivo_non_rilevato"]) == ("non_rilevato", "nessun dato")


def test_in_year_projection(plan):
    plan.indicator("CAMP")
    plan.target("O1.1", "CAMP", "conteggio", ">=", 2)
    plan.indicator("CS", "casi", proiezione="costante")
    plan.target("O1.2", "CS", "soglia", ">=", 3)
    plan.measure("CAMP", 2020, 1, 0)
    plan.measure("CAMP", 2020, 2, 1)                 # 1 by June: on course for 2
    plan.measure("CS", 2020, 1, None, num=25, den=10)  # 2,5 on a 1-5 scale: at risk
    assert plan.target_row("O1.1", trimestre=2)["status"] == "in_linea"
    assert plan.target_row("O1.1", trimestre=2)["valore_proiettato"] == 2
    assert plan.target_row("O1.1", trimestre=1)["status"] == "a_rischio"
    assert plan.target_row("O1.2", trimestre=2)["status"] == "a_rischio"
    # The quarter asked for matters: Q2 data is not seen as of Q1.
    assert plan.target_row("O1.1", trimestre=1)["valore"] == 0


def test_missing_quarter_projects_from_the_last_one_with_data(plan):
    plan.indicator("CAMP")
    plan.target("O1.1", "CAMP", "conteggio", ">=", 4)
    plan.measure("CAMP", 2020, 1, 1)
    plan.measure("CAMP", 2020, 2, 1)
    row = plan.target_row("O1.1", trimestre=3)  # Q3 not entered yet
    assert row["valore_proiettato"] == 4
    assert row["trimestre_dato"] == 2


def test_target_with_two_conditions_needs_both(plan):
    plan.indicator("A", "ultimo", proiezione="costante")
    plan.indicator("B", "ultimo", proiezione="costante")
    plan.target("O1.1", "A", "soglia", ">=", 3)
    plan.criterion("O1.1", "B", "soglia", ">=", 3)
    plan.measure("A", 2020, 4, 4.5)
    assert plan.target_row("O1.1")["status"] == "non_rilevato"  # B unmeasured: not judged
    plan.measure("B", 2020, 4, 2.7)
    row = plan.target_row("O1.1")
    assert row["status"] == "parzialmente_raggiunto"
    assert row["grado"] == pytest.approx(90.0)
    assert row["indicatore"] == "B"


def test_weighted_rollups(plan):
    plan.indicator("A", "ultimo", scala=(0, 100))
    plan.indicator("B", "ultimo", scala=(0, 100))
    plan.indicator("C", "ultimo", scala=(0, 100))
    plan.target("O1.1", "A", "milestone", ">=", 100, peso=1)
    plan.target("O1.2", "B", "milestone", ">=", 100, peso=3)
    plan.target("O2.1", "C", "milestone", ">=", 100, obiettivo="O2")
    plan.measure("A", 2020, 4, 100)
    plan.measure("B", 2020, 4, 60)
    obj = status_queries.status(plan.con, 2020, None, "obiettivo").set_index("obiettivo")
    assert obj.loc["O1", "grado"] == pytest.approx((100 * 1 + 60 * 3) / 4)
    assert obj.loc["O2", "status"] == "non_rilevato"
    area = status_queries.status(plan.con, 2020, None, "area").set_index("area")
    assert area.loc["1", "grado"] == pytest.approx(70.0)
    ente = status_queries.status(plan.con, 2020, None, "ente").iloc[0]
    assert ente["grado"] == pytest.approx(70.0)           # area 2 has no data: left out, counted as non rilevato
    assert (ente["n_target"], ente["n_rilevati"], ente["n_non_rilevato"]) == (3, 2, 1)
    assert ente["status"] == "parzialmente_raggiunto"


def test_bands_are_configuration(plan):
    plan.indicator("A", "ultimo", scala=(0, 100))
    plan.target("O1.1", "A", "milestone", ">=", 100)
    plan.measure("A", 2020, 4, 70)
    assert plan.target_row("O1.1")["status"] == "parzialmente_raggiunto"
    plan.con.execute("UPDATE smvp SET soglia_parziale = 75 WHERE ente = 'T'")
    assert plan.target_row("O1.1")["status"] == "non_raggiunto"


def test_corrected_value_is_the_one_judged(plan):
    plan.indicator("A", "ultimo", proiezione="costante")
    plan.target("O1.1", "A", "soglia", ">=", 3)
    plan.measure("A", 2020, 4, 2.0)
    plan.con.execute("INSERT INTO misure (ente, indicatore, anno, trimestre, valore, versione, utente, registrato_il, motivo) "
                     "VALUES ('T', 'A', 2020, 4, 3.5, 2, 'test', ?, 'refuso')", [NOW])
    assert plan.target_row("O1.1")["valore"] == 3.5


def test_targets_only_in_their_years(plan):
    plan.indicator("A", "ultimo")
    plan.target("O1.1", "A", "milestone", ">=", 100, anni=(2020, 2021))
    assert list(status_queries.status(plan.con, 2021, None, "target")["target"]) == ["O1.1"]
    assert status_queries.status(plan.con, 2022, None, "target").empty
