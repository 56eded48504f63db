"""Issue 16 points 2-4: the consolidation of a merger's predecessors (hand-computed cases across three bodies),
the median and rank between bodies, the demo bodies, and the page Confronto tra Camere (AppTest)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import audit, body_access, db, demo, formats, users
from dashboard.core.errors import NotAllowed, Refused
from dashboard.core.roles import User
from dashboard.files import demo_bodies, seed_loader
from dashboard.web import comparison_view as cv
from queries import comparison

APP = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"
D = dt.date


@pytest.fixture
def three(stores):
    """Three predecessors A, B, C of S with a few cases each, computed by hand below."""
    con = stores.connection()
    for e in ("A", "B", "C", "S", "X"):
        con.execute("INSERT INTO enti VALUES (?, ?, ?)", [e, f"Camera {e}", e])
    for p in ("A", "B", "C"):
        con.execute("INSERT INTO successioni VALUES ('S', ?, DATE '2022-06-30', 'atto')", [p])
    # Practices (arrival, completion, suspension days) completed in 2021; net = days - suspension.
    pr = {"A": [(D(2021, 1, 4), D(2021, 1, 6), 0)],                                  # net 2
          "B": [(D(2021, 1, 4), D(2021, 1, 14), 4), (D(2021, 4, 1), D(2021, 4, 5), 0),  # net 6, 4
                (D(2021, 4, 1), D(2021, 4, 9), 0)],                                  # net 8
          "C": [(D(2021, 2, 1), D(2021, 2, 2), 0), (D(2021, 2, 1), D(2021, 2, 3), 1)],  # net 1, 1
          "X": [(D(2021, 1, 4), D(2021, 1, 30), 0)]}                                 # not a predecessor
    for ente, rows in pr.items():
        for i, (a, e, s) in enumerate(rows):
            con.execute("INSERT INTO pratiche VALUES (?, ?, 'iscrizione', 'RI', ?, ?, ?, 1)", [ente, f"{ente}{i}", a, e, s])
    # Questionnaires: A 4/5 (8 tenths); B 6/10 and 10/10; C 9/10.
    for ente, d, score, scale in [("A", D(2021, 3, 1), 4, 5), ("B", D(2021, 3, 1), 6, 10), ("B", D(2021, 5, 1), 10, 10),
                                  ("C", D(2021, 3, 1), 9, 10)]:
        con.execute("INSERT INTO questionari VALUES (?, ?, 'Nuova Impresa', ?, ?, 1)", [ente, d, score, scale])
    # Invoices due 31/01/2021: A pays 1.000 € 10 days late; B 3.000 € 10 days early; C 1.000 € on time.
    for ente, paid, amount in [("A", D(2021, 2, 10), 1000), ("B", D(2021, 1, 21), 3000), ("C", D(2021, 1, 31), 1000)]:
        con.execute("INSERT INTO fatture (ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, "
                    "importo_pagato, lotto) VALUES (?, 'F1', 'F', DATE '2021-01-01', DATE '2021-01-31', ?, ?, 1)",
                    [ente, paid, amount])
    for ente, oneri in [("A", 100.10), ("B", 200.20), ("C", 300.30)]:
        con.execute("INSERT INTO budget VALUES (?, '1A', 2021, 2021, ?, 10, 1, 0)", [ente, oneri])
    yield con
    con.close()


def _year(frame: pd.DataFrame, ente: str, ind: str) -> float:
    x = frame[(frame["ente"] == ente) & (frame["indicatore"] == ind) & frame["trimestre"].isna()]
    return float(x["valore"].iloc[0])


def test_consolidation_sums_cases_not_averages(three):
    c = comparison.consolidated(three, "S", 2021)
    assert set(c["ente"]) == {"S"}
    # Net days 2 + (6+4+8) + (1+1) = 22 over 6 practices; the average of the three averages would be
    # (2 + 6 + 1) / 3 = 3: wrong.
    assert _year(c, "S", "tempo_ri") == pytest.approx(22 / 6)
    assert _year(c, "S", "quota_sospese") == pytest.approx(2 / 6 * 100)  # B's first and C's second
    assert _year(c, "S", "soddisfazione") == pytest.approx((8 + 6 + 10 + 9) / 4)  # not (8 + 8 + 9) / 3
    assert _year(c, "S", "itp") == pytest.approx((10 * 1000 - 10 * 3000 + 0) / 5000)  # -4, weighted by amount
    # Quarters: Q2 is B's two April practices alone (4 and 8 days).
    q2 = c[(c["indicatore"] == "tempo_ri") & (c["trimestre"] == 2)].iloc[0]
    assert (q2["numeratore"], q2["denominatore"], q2["valore"]) == (12, 2, 6)
    # Each body on its own (the same query) agrees with the hand figures; X is out of the consolidation.
    each = comparison.cases(three, 2021, ["A", "B", "C", "X"])
    assert [_year(each, e, "tempo_ri") for e in ("A", "B", "C", "X")] == [2, 6, 1, 26]


def test_budget_consolidates_by_sum(three):
    b = comparison.budget(three, "S", 2021)
    total = b[b["consolidato"]].iloc[0]
    assert total["ente"] == "S"
    assert float(total["oneri"]) == pytest.approx(600.60)
    assert float(total["ricavi"]) == 30 and float(total["contributi"]) == 3
    assert list(b[~b["consolidato"]]["ente"]) == ["A", "B", "C"]


def test_linked_indicator_series_consolidates_cases(three):
    con = three
    for e, num, den in [("A", 10.0, 5.0), ("B", 30.0, 10.0), ("C", 5.0, 5.0)]:
        con.execute("INSERT INTO indicatori (ente, codice, nome, unita, ufficio, aggregazione, fattore, proiezione) "
                    "VALUES (?, 'RI_TEMPO_LAV', 'Tempo', 'giorni', 'RI', 'casi', 1, 'costante')", [e])
        con.execute("INSERT INTO indicatori_successione VALUES ('S', 'RI_TEMPO_LAV', ?, 'RI_TEMPO_LAV')", [e])
        con.execute("INSERT INTO misure (ente, indicatore, anno, trimestre, valore, numeratore, denominatore, versione, "
                    "utente, registrato_il) VALUES (?, 'RI_TEMPO_LAV', 2021, 1, ?, ?, ?, 1, 't', now())", [e, num / den, num, den])
    s = comparison.linked_series(con, "S", "RI_TEMPO_LAV")
    cons = s[s["ente"] == "consolidato"].iloc[0]
    assert cons["valore"] == pytest.approx(45 / 20)  # not (2 + 3 + 1) / 3


def test_median_and_rank():
    frame = pd.DataFrame({
        "ente": ["A", "B", "C", "D", "A", "B", "C", "D"],
        "indicatore": ["tempo_ri"] * 4 + ["soddisfazione"] * 4,
        "trimestre": [pd.NA] * 8,
        "numeratore": [1.0] * 8, "denominatore": [1.0] * 8,
        "valore": [3.0, 1.0, 2.0, 2.0, 7.0, 9.0, 8.0, None]})
    r = comparison.ranked(frame)
    t = r[r["indicatore"] == "tempo_ri"].set_index("ente")
    assert t.loc["A", "mediana"] == 2.0 and t.loc["A", "su"] == 4
    assert dict(t["posizione"]) == {"A": 4, "B": 1, "C": 2, "D": 2}  # lower is better; ties share the rank
    s = r[r["indicatore"] == "soddisfazione"].set_index("ente")
    assert dict(s["posizione"]) == {"B": 1, "C": 2, "A": 3}  # higher is better; D has no value and no rank
    assert s.loc["A", "mediana"] == 8.0 and s.loc["A", "su"] == 3
    assert cv.rank_text(3, 60) == "3ª di 60"
    table = cv.standing_table(r, "A", 0)
    assert table.iloc[0]["Posizione"] == "4ª di 4" and table.iloc[2]["Posizione"] == "3ª di 3"


@pytest.fixture(scope="module")
def bodies_db(module_stores):
    """A database as `init --demo-bodies` makes it, with the Segretario of Toscana Nord-Ovest."""
    path = module_stores.address()
    con = db.connect(path)
    seed_loader.load_seed(con)
    demo.load_demo(con)
    demo_bodies.load(con)
    users.add_user(con, "segretario.tno", "segretario_generale", "CCIAA-TNO", [], "demo-segretario-tno")
    db.close(path)
    yield path
    db.close(path)


def test_demo_bodies_are_labelled_and_merged(bodies_db):
    con = db.connect(bodies_db)
    names = dict(con.execute("SELECT codice, nome FROM enti").fetchall())
    assert "dimostrativo" in names["CCIAA-PI"] and "dimostrativo" in names["CCIAA-TNO"]
    assert comparison.demo_bodies(con, list(names), demo.DEMO_USER) == ["CCIAA-LU", "CCIAA-MS", "CCIAA-PI", "CCIAA-TNO"]
    s = comparison.successions(con)
    assert sorted(s["predecessore"]) == ["CCIAA-LU", "CCIAA-MS", "CCIAA-PI"] and set(s["dal"]) == {pd.Timestamp(2022, 6, 30)}
    # The successor's records start the day after the merger; its plan is 2023's.
    assert con.execute("SELECT min(data_evasione) >= DATE '2022-07-01' FROM pratiche WHERE ente = 'CCIAA-TNO'").fetchone()[0]
    assert con.execute("SELECT min(anno_da) FROM target WHERE ente = 'CCIAA-TNO'").fetchone()[0] == 2023
    # The record-fed plan indicators got the demo records' quarters, marked demo.
    fed = con.execute("SELECT count(*), bool_and(demo) FROM misure WHERE ente = 'CCIAA-PI' AND indicatore = 'RI_TEMPO_LAV' "
                      "AND anno = 2021").fetchone()
    assert fed == (4, True)
    # The consolidated 2021 lies between the predecessors' values (pooled cases), for every indicator.
    each = comparison.cases(con, 2021, list(demo_bodies.PREDECESSORS))
    cons = comparison.consolidated(con, "CCIAA-TNO", 2021)
    for ind in comparison.INDICATORS:
        values = [_year(each, e, ind) for e in demo_bodies.PREDECESSORS]
        assert min(values) < _year(cons, "CCIAA-TNO", ind) < max(values)
    db.close(bodies_db)


def _comparison_as(bodies_db, monkeypatch, user: User) -> AppTest:
    """The Confronto page opened from the app as `user`, after its first run."""
    monkeypatch.setenv("KPI_DB", str(bodies_db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["_utente"] = user
    at.run()
    at.query_params.clear()  # the menu's link opens the page without the Cruscotto's address
    at.switch_page("../../pages/confronto.py").run()
    assert not at.exception, at.exception
    return at


def test_comparison_page_for_the_segretario_of_toscana_nord_ovest(bodies_db, monkeypatch):
    at = _comparison_as(bodies_db, monkeypatch, User("segretario.tno", "CCIAA-TNO", "segretario_generale", ()))
    assert at.title[0].value == "Confronto tra Camere"
    # 2023 has Toscana Nord-Ovest's records alone ("1ª di 1"): the page opens on 2022, the latest year compared.
    assert at.selectbox(key="cf_anno").value == 2022
    at.selectbox(key="cf_anno").set_value(2022)
    at.selectbox(key="cf_trimestre").set_value(0).run()  # the year (the Cruscotto left its quarter in the address)
    assert "Dati dimostrativi" in at.warning[0].value
    assert at.selectbox(key="cf_ente").value == "CCIAA-TNO"
    con = db.connect(bodies_db)
    standing = at.dataframe[0].value
    tno = comparison.cases(con, 2022, ["CCIAA-TNO"])
    expected = f"{_year(tno, 'CCIAA-TNO', 'tempo_ri'):.2f}".replace(".", ",")
    assert standing.iloc[0]["Valore dell'ente"] == expected
    assert standing.iloc[0]["Posizione"].endswith("ª di 4")
    merger = at.table[0].value.reset_index()
    cons = comparison.consolidated(con, "CCIAA-TNO", 2021)
    assert merger.iloc[0]["Consolidato 2021"] == f"{_year(cons, 'CCIAA-TNO', 'tempo_ri'):.2f}".replace(".", ",")
    assert "CCIAA Pisa (demo) 2021" in merger.columns and "CCIAA Toscana Nord-Ovest (demo) 2022" in merger.columns
    # The plan indicator's series across the merger: the predecessors' quarters, consolidated, then the successor's.
    assert at.selectbox(key="cf_collegato").value == "RI_TEMPO_LAV"
    series = next(d.value for d in at.dataframe if "Ente" in d.value.columns and "Periodo" in d.value.columns)
    cons_q1 = series[(series["Ente"] == "Predecessori consolidati") & (series["Periodo"] == "2021 I trim.")].iloc[0]
    parts = comparison.cases(con, 2021, list(demo_bodies.PREDECESSORS))
    q1 = parts[(parts["indicatore"] == "tempo_ri") & (parts["trimestre"] == 1)]
    assert cons_q1["Valore"] == f"{q1['numeratore'].sum() / q1['denominatore'].sum():.2f}".replace(".", ",")
    assert set(series["Ente"]) >= {"CCIAA Toscana Nord-Ovest (demo)", "CCIAA Lucca", "Predecessori consolidati"}
    # Lucca's plan has no 2021 budget: the sum says it leaves Lucca out, rather than pass for the three bodies'.
    assert any(c.value.startswith("Senza budget 2021 nel piano caricato, quindi esclusi dalla somma: CCIAA Lucca")
               for c in at.caption)
    # Drill into Pisa: its quarters and the year, each with the median of the bodies.
    at.selectbox(key="cf_dettaglio").set_value("CCIAA-PI").run()
    assert not at.exception, at.exception
    detail = at.dataframe[-1].value
    pi = comparison.cases(con, 2022, ["CCIAA-PI"])
    row = detail[(detail["Indicatore"] == "Tempo RI (gg)") & (detail["Periodo"] == "Anno")].iloc[0]
    assert row["Valore"] == f"{_year(pi, 'CCIAA-PI', 'tempo_ri'):.2f}".replace(".", ",")
    db.close(bodies_db)


def test_a_predecessors_segretario_compares_only_its_own_body(bodies_db, monkeypatch):
    """Lucca's Segretario reads Lucca alone: the successor's and the other predecessors' figures never reach
    the page, not the picker, not the ranking, not the merger section."""
    con = db.connect(bodies_db)
    users.add_user(con, "segretario.lu", "segretario_generale", "CCIAA-LU", [], "demo-segretario-lu")
    assert cv.visible_bodies(con, users.get_user(con, "segretario.lu")) == ["CCIAA-LU"]
    assert cv.visible_bodies(con, users.get_user(con, "segretario.tno")) == ["CCIAA-LU", "CCIAA-MS", "CCIAA-PI",
                                                                             "CCIAA-TNO"]
    db.close(bodies_db)
    at = _comparison_as(bodies_db, monkeypatch, User("segretario.lu", "CCIAA-LU", "segretario_generale", ()))
    assert at.selectbox(key="cf_ente").options == ["CCIAA Lucca (CCIAA-LU)"]
    assert at.subheader[0].value.startswith("CCIAA Lucca tra 1 ")
    assert len(at.table) == 0  # no merger section
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.subheader, *at.warning])
    assert "Toscana" not in shown and "Pisa" not in shown


def test_the_national_account_compares_the_bodies_it_reads(bodies_db, monkeypatch):
    """The national role writes nothing but compares: the page opens (read-only accounts were refused it)."""
    con = db.connect(bodies_db)
    users.add_user(con, "analista", "nazionale", "CCIAA-LU", [], "demo-analista-naz",
                   enti=["CCIAA-LU", "CCIAA-PI", "CCIAA-MS", "CCIAA-TNO"])
    db.close(bodies_db)
    at = _comparison_as(bodies_db, monkeypatch, User("analista", "CCIAA-LU", "nazionale", (), sola_lettura=True))
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Confronto tra Camere"
    assert len(at.selectbox(key="cf_ente").options) == 4


def test_default_year_is_the_latest_with_two_bodies():
    assert cv.default_year({2023: 1, 2022: 4, 2021: 3}) == 2022
    assert cv.default_year({2023: 1, 2022: 1}) == 2023  # one body alone: its latest year
    assert cv.default_year({}) is None


def test_a_body_without_records_in_the_year_reads_dashes_not_none():
    """Issue 16 review: the chosen body with no records in the year showed "None" as its value."""
    r = comparison.ranked(pd.DataFrame({"ente": ["A", "B"], "indicatore": ["tempo_ri"] * 2, "trimestre": [pd.NA] * 2,
                                        "numeratore": [2.0, 4.0], "denominatore": [1.0, 1.0], "valore": [2.0, 4.0]}))
    shown = formats.italian_frame(cv.standing_table(r, "Z", 0), missing="–")
    assert list(shown["Valore dell'ente"]) == ["–"] * 4 and list(shown["Posizione"]) == ["–"] * 4
    assert list(shown["Mediana"]) == ["3", "–", "–", "–"]  # the others' median where they have values


def _shown_text(at: AppTest) -> str:
    return " ".join(x.value.to_string() for x in [*at.dataframe, *at.table])


def test_no_none_or_nan_in_any_table_of_the_page(bodies_db, monkeypatch):
    """Every body x year the demo has, as the national account that reads all four bodies: no table of the page
    shows None, nan or <NA> (a body without records in a year, a predecessor after the merger)."""
    con = db.connect(bodies_db)
    users.add_user(con, "analista.tabelle", "nazionale", "CCIAA-LU", [], "demo-analista-tab",
                   enti=["CCIAA-PI", "CCIAA-MS", "CCIAA-TNO"])
    db.close(bodies_db)
    at = _comparison_as(bodies_db, monkeypatch, User("analista.tabelle", "CCIAA-LU", "nazionale", (), sola_lettura=True))
    bodies, years = at.selectbox(key="cf_ente").options, at.selectbox(key="cf_anno").options
    assert len(bodies) == 4 and [int(y) for y in years] == [2023, 2022, 2021]
    for ente in ("CCIAA-LU", "CCIAA-MS", "CCIAA-PI", "CCIAA-TNO"):
        for anno in (2021, 2022, 2023):
            at.selectbox(key="cf_ente").set_value(ente)
            at.selectbox(key="cf_anno").set_value(anno).run()
            assert not at.exception, at.exception
            text = _shown_text(at)
            for leak in ("None", "nan", "NaN", "<NA>", "NaT"):
                assert leak not in text, (ente, anno, leak)
            if (ente, anno) == ("CCIAA-TNO", 2021):  # no records of Toscana Nord-Ovest before the merger
                assert list(at.dataframe[0].value["Valore dell'ente"]) == ["–"] * 4


def test_amministrazione_sets_an_accounts_bodies(bodies_db, monkeypatch):
    """The planning officer of Lucca and Pisa gives Pisa to an account of Lucca, then takes Lucca from an account
    of Pisa, on the Amministrazione page: the same core function as `user bodies`, audited, refused to others."""
    con = db.connect(bodies_db)
    users.add_user(con, "pianif.lupi", "pianificazione", "CCIAA-LU", [], "demo-pianif-lupi", enti=["CCIAA-PI"])
    users.add_user(con, "revisore.lu", "oiv", "CCIAA-LU", [], "demo-revisore-lu")
    users.add_user(con, "revisore.pi", "oiv", "CCIAA-PI", [], "demo-revisore-pi", enti=["CCIAA-LU"])
    segretario = users.add_user(con, "segretario.lupi", "segretario_generale", "CCIAA-LU", [], "demo-segr-lupi",
                                enti=["CCIAA-PI"])
    with pytest.raises(NotAllowed):  # in core, not only without the page
        body_access.replace_bodies(con, "revisore.lu", ["CCIAA-LU", "CCIAA-PI"], actor=segretario)
    db.close(bodies_db)
    monkeypatch.setenv("KPI_DB", str(bodies_db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["_utente"] = User("pianif.lupi", "CCIAA-LU", "pianificazione", ())
    at.run()
    at.switch_page("../../pages/amministrazione.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="enti_utente").set_value("revisore.lu").run()
    options = at.multiselect(key="enti_revisore.lu").options
    assert options[0] == "Camera di Commercio di Lucca (CCIAA-LU)" and options[1].endswith("(CCIAA-PI)")
    assert len(options) == 2  # the bodies it administers, not Massa-Carrara nor Toscana Nord-Ovest
    assert at.multiselect(key="enti_revisore.lu").value == ["CCIAA-LU"]
    at.multiselect(key="enti_revisore.lu").set_value(["CCIAA-LU", "CCIAA-PI"])
    next(b for b in at.button if b.label == "Salva gli enti").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == "Enti dell'utente revisore.lu salvati."
    at.selectbox(key="enti_utente").set_value("revisore.pi").run()
    at.multiselect(key="enti_revisore.pi").set_value(["CCIAA-PI"])
    next(b for b in at.button if b.label == "Salva gli enti").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    con = db.connect(bodies_db)
    lu, pi = users.get_user(con, "revisore.lu"), users.get_user(con, "revisore.pi")
    assert body_access.as_body(con, lu, "CCIAA-PI").ente == "CCIAA-PI"  # reads Pisa now
    assert body_access.readable_bodies(con, pi) == ["CCIAA-PI"]
    with pytest.raises(NotAllowed):  # Lucca removed: no longer read
        body_access.as_body(con, pi, "CCIAA-LU")
    trail = audit.search(con, azione="utente_enti", utente="pianif.lupi")
    assert list(trail["oggetto"]) == ["revisore.pi", "revisore.lu"]
    assert "CCIAA-PI" in trail.iloc[1]["dopo"]
    # An account's own body stays: the refusal is shown, nothing changes.
    with pytest.raises(Refused, match="non può essere tolto"):
        body_access.replace_bodies(con, "revisore.lu", ["CCIAA-PI"], actor=users.get_user(con, "pianif.lupi"))
    db.close(bodies_db)


def test_staff_cannot_open_the_comparison(bodies_db, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(bodies_db))
    # The page itself, as a shared link would open it (the menu does not list it for staff).
    at = AppTest.from_file(str(APP.parents[2] / "pages" / "confronto.py"), default_timeout=90)
    at.session_state["_utente"] = User("staff.ri", "CCIAA-LU", "staff", ("RI",))
    at.run()
    assert not at.dataframe
    assert any("confrontare le Camere" in e.value for e in at.error)


def test_benchmark_smoke_sql_and_pandas_agree(capsys):
    from benchmarks import bench_comparison
    # Without the pages (AppTest, some 20 s on a loaded machine): the page tests above open the same page.
    bench_comparison.main(["--smoke", "--bodies", "6", "--years", "1", "--no-pages"])
    out = capsys.readouterr().out
    assert "stesse cifre" in out and "Stato di 6 enti x 1 anni, livello ente" in out
