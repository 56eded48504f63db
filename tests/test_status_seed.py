"""The seed's own results judged against their targets, and the demo year as the dashboard shows it."""
from queries import status as status_queries


def test_2019_results_judged(seeded):
    df = status_queries.status(seeded, 2019).set_index("target")
    assert len(df) == 29
    row = df.loc["1D.2"]
    assert (row["status"], row["grado"], row["valore"]) == ("raggiunto", 100.0, 4.5)  # 4,5 and 4,8 >= 3
    # Narrative results are evidence, not numbers: those targets are not measured.
    assert df.loc["2E.2", "status"] == "non_rilevato"
    assert (df["status"] == "raggiunto").sum() == 1


def test_2018_results_judged(seeded):
    df = status_queries.status(seeded, 2018).set_index("target")
    assert (df.loc["2A.1", "status"], df.loc["2A.1", "valore"]) == ("raggiunto", 2.1)  # 2,1 days < 5
    assert df.loc["2A.2", "status"] == "non_rilevato"
    assert df.loc["2A.2", "motivo_non_rilevato"] == "manca l'anno precedente"  # 2017 is not in the document


def test_demo_year_counts_are_consistent_across_levels(demo_db):
    for quarter in (1, 2, 3, None):
        targets = status_queries.status(demo_db, 2020, quarter, "target")
        ente = status_queries.status(demo_db, 2020, quarter, "ente").iloc[0]
        assert len(targets) == 31 == ente["n_target"]
        for s in status_queries.STATUSES:
            assert (targets["status"] == s).sum() == ente[f"n_{s}"], (quarter, s)
        assert bool(ente["demo"]) is True


def test_demo_year_end(demo_db):
    targets = status_queries.status(demo_db, 2020).set_index("target")
    assert targets.loc["1E.2", "status"] == "non_raggiunto"        # no market-regulation action in the demo
    assert targets.loc["2A.1", "status"] == "raggiunto"
    assert set(targets["status"]) <= {"raggiunto", "parzialmente_raggiunto", "non_raggiunto", "non_rilevato"}
    in_year = status_queries.status(demo_db, 2020, 2, "target")
    assert set(in_year["status"]) <= {"in_linea", "a_rischio", "non_rilevato"}
    assert (in_year["status"] == "a_rischio").sum() > 0


def test_latest_period_with_data(demo_db, seeded):
    assert status_queries.latest_period_with_data(demo_db) == (2020, 4)
    assert status_queries.latest_period_with_data(seeded) == (2019, 2)  # the seed's ITP quarters
