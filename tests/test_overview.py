"""The overview a Segretario opens every morning and the OIV's dossier: the default period (the latest collected
quarter whose data deadline has passed, never moved by one office), the Cruscotto's tiles, heat map, at-risk
table and late offices, and the dossier of one target with every version of its values."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core import corrections, db, periods, users
from dashboard.files import measurement_import
from queries import status as status_queries
from tests.test_import import write_csv
from tests.test_pages import metrics, open_page

ENTE = "CCIAA-LU"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def app_db(db_file):
    con = db.connect(db_file)
    for name, role, offices in [("staff.ri", "staff", ["RI"]), ("oiv", "oiv", []), ("segretario", "segretario_generale", [])]:
        users.add_user(con, name, role, ENTE, offices, f"password-{name}")
    db.close(db_file)
    return db_file


def upload_ri_2021_q1(path, tmp_path):
    """Registro Imprese alone enters its 2021-Q1 values early (the 2020-Q4 figures again)."""
    con = db.connect(path)
    rows = con.execute("""
        SELECT m.indicatore, i.nome, i.unita, m.valore, m.numeratore, m.denominatore
        FROM misure_correnti m JOIN indicatori i ON i.ente = m.ente AND i.codice = m.indicatore
        WHERE m.ente = ? AND i.ufficio = 'RI' AND m.anno = 2020 AND m.trimestre = 4 AND m.ambito = 'trimestre'
        ORDER BY 1""", [ENTE]).fetchall()
    assert rows

    def it(x):
        return "" if x is None else str(x).replace(".", ",")
    csv = write_csv(tmp_path / "ri_2021.csv", [(c, n, u, "2021-Q1", it(v), it(num), it(den), "") for c, n, u, v, num, den in rows])
    result = measurement_import.import_file(con, csv, "staff.ri", today=TODAY)
    assert not result.problems, result.problems
    db.close(path)
    return len(rows)


def test_default_period_is_the_latest_collected_quarter_past_its_deadline(demo_db, seeded):
    assert periods.default_period(demo_db, ENTE, TODAY) == (2020, 4)
    # II trim. 2020 ends on 30/06; its values are due by 20/07: the day after, it becomes the default.
    assert periods.data_deadline(2020, 2) == dt.date(2020, 7, 20)
    assert periods.default_period(demo_db, ENTE, dt.date(2020, 7, 20)) == (2020, 1)
    assert periods.default_period(demo_db, ENTE, dt.date(2020, 7, 21)) == (2020, 2)
    # Before the plan's first deadline: its first quarter. Without collected quarters: the latest with values.
    assert periods.default_period(demo_db, ENTE, dt.date(2017, 1, 1)) == (2018, 1)
    assert periods.default_period(seeded, ENTE, TODAY) == (2019, 2)


def test_one_office_uploading_early_does_not_move_the_default(app_db, tmp_path):
    n = upload_ri_2021_q1(app_db, tmp_path)
    con = db.connect(app_db)
    assert status_queries.latest_period_with_data(con, ENTE) == (2021, 1)  # what the old default followed
    assert periods.default_period(con, ENTE, TODAY) == (2020, 4)
    at = open_page()
    assert at.sidebar.selectbox[0].value == (2020, 4)
    assert "I trim. 2021" in at.sidebar.selectbox[0].options  # the early values can still be looked at
    assert "situazione al IV trim. 2020 · misurati 31 di 31 target" in at.caption[0].value
    oiv = users.get_user(con, "oiv")
    assert open_page("valutazione", user=oiv).selectbox[0].value == 2020
    # Looking at 2021-Q1 anyway, the page says how little is measured.
    at = open_page(anno="2021", trimestre="1")
    assert "misurati" in at.caption[0].value and n > 0
    assert at.warning[0].value.startswith("Nel I trim. 2021 sono misurati solo ")


def test_cruscotto_tiles_show_change_and_coverage(app_db):
    at = open_page()
    con = db.connect(app_db)
    now = status_queries.status(con, 2020, 4, "ente").iloc[0]
    before = status_queries.status(con, 2020, 3, "ente").iloc[0]
    m = metrics(at)
    assert m["Grado complessivo"] == f"{now['grado']:.1f} %".replace(".", ",") == "92,6 %"
    tile = next(x for x in at.metric if x.label == "Grado complessivo")
    change = now["grado"] - before["grado"]
    assert tile.proto.delta == f"{'+' if change >= 0 else '-'}{abs(change):.1f}".replace(".", ",") + " punti sul III trim. 2020"
    assert m["Target misurati"] == "31 di 31"
    assert m["Grado al IV trim. 2019"] == "100,0 %"
    assert m["✔ Raggiunto"] == "22" and m["◐ Parzialmente raggiunto"] == "8" and m["✖ Non raggiunto"] == "1"


def test_cruscotto_heat_map_table_and_areas(app_db):
    at = open_page()
    heat = at.dataframe[0].value.set_index("")
    assert list(heat.columns) == [f"{r} trim. {y}" for y in (2019, 2020) for r in ("I", "II", "III", "IV")]
    assert heat.loc["2 Servizi alle imprese", "IV trim. 2020"] == "◐ Parzialmente raggiunto 96,5 %"
    assert heat.loc["1 Competitività del territorio", "II trim. 2020"] == "⚠ A rischio 83,5 %"
    areas = at.dataframe[1].value
    assert list(areas["Area"]) == ["1 Competitività del territorio", "2 Servizi alle imprese", "3 Competitività dell'Ente"]
    # Objectives as rows: names, not only codes.
    at.segmented_control[0].set_value("Obiettivi").run()
    rows = list(at.dataframe[0].value[""])
    assert rows[0].startswith("1B ") and len(rows[0]) > 10


def test_cruscotto_at_risk_table_worst_first(app_db):
    at = open_page(anno="2020", trimestre="2")
    con = db.connect(app_db)
    expected = status_queries.status(con, 2020, 2, "target")
    at_risk = expected[expected["status"] == "a_rischio"].sort_values(["grado", "target"])
    assert metrics(at)["⚠ A rischio"] == str(len(at_risk))
    table = at.dataframe[2].value
    assert [link.rsplit("target=", 1)[1] for link in table["Target"]] == list(at_risk["target"])
    first = table.iloc[0]
    assert first["Target"] == f"aree?ente={ENTE}&anno=2020&trimestre=2&target={at_risk.iloc[0]['target']}"
    row = table.set_index(table["Target"].str.rsplit("target=", n=1).str[1]).loc["2A.2"]
    assert row["Ufficio"] == "Registro Imprese – Artigianato Protesti e documenti Export"
    assert row["Soglia"] == "≤ 3" and row["Valore"] == "3,68" and row["Grado"].startswith("⚠ ") and row["Stato"] == "A rischio"
    assert len(row["Andamento"]) == 2  # the grado in I and II trim.
    assert not any(len(t) == 111 and t.endswith("…") for t in table["Testo"])  # whole texts


def test_cruscotto_late_offices_by_name(app_db):
    at = open_page(anno="2019", trimestre="2")
    late = at.dataframe[-1].value.set_index("Ufficio")
    row = late.loc["Arbitrato e conciliazione"]
    assert row["Indicatori mancanti"] == row["Su"] == 3
    assert "Giudizio complessivo sull'attività del mediatore (scala 1-5)" in row["Quali"]
    assert "ADR_" not in row["Quali"]


def test_dossier_shows_threshold_and_every_version_of_a_corrected_value(app_db):
    con = db.connect(app_db)
    corrections.correct_value(con, "staff.ri", "RI_SOSP_GIORNI", 2020, 2, "ricalcolo dal gestionale",
                              numeratore=3830.4, denominatore=1197)
    db.close(app_db)
    con = db.connect(app_db)
    oiv = users.get_user(con, "oiv")
    at = open_page("valutazione", user=oiv, anno="2020", target="2A.2")
    listed = at.dataframe[0].value
    assert list(listed.columns) == ["Target", "Stato", "Grado", "Verdetto"]
    assert listed.set_index("Target").loc["2A.2", "Stato"] == "◐"
    assert at.selectbox[1].value == "2A.2"
    shown = " ".join(m.value for m in at.markdown)
    assert "condizione ≤ 3 giorni" in shown
    assert "dal 07/11/2019: ≤ 3 giorni — versione 1" in " ".join(c.value for c in at.caption)
    values = at.dataframe[1].value
    second = values[values["Periodo"] == "II trim. 2020"]
    assert list(second["Versione"]) == [1, 2]
    assert list(second["Valore"]) == ["3,97", "3,20"]
    assert list(second["In vigore"]) == ["sostituito", "sì"]
    assert "II trim. 2020: da 3,97 a 3,20 — staff.ri" in shown and "Motivo: ricalcolo dal gestionale" in shown
    assert "**Evidenze:** nessuna" in shown


def test_dossier_verdict_clears_the_comment_and_confirms(app_db):
    oiv = users.get_user(db.connect(app_db), "oiv")
    at = open_page("valutazione", user=oiv, anno="2020", target="2A.2")
    at.radio[0].set_value("validato_con_riserva")
    at.text_area[0].input("valori da verificare")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Verdetto registrato per il target 2A.2: Validato con riserva."]
    assert at.dataframe[0].value.set_index("Target").loc["2A.2", "Verdetto"] == "Validato con riserva"
    # The box was emptied: submitting again does not send the same comment a second time.
    at.radio[0].set_value("validato_con_riserva")
    at.button[0].click().run()
    assert "richiede un commento" in at.error[0].value


def test_heat_map_reads_without_colour_and_a_click_on_cell_or_text_selects(demo_db):
    from types import SimpleNamespace

    from dashboard.web import overview, overview_charts
    quarters = overview.quarters_shown(2020, 2)
    assert quarters[0] == (2018, 3) and quarters[-1] == (2020, 2)
    heat = overview.heat_frame({q: status_queries.status(demo_db, *q, "area", ENTE) for q in quarters}, "area", "nome")
    cell = heat[(heat["codice"] == "2") & (heat["trimestre"] == 2) & (heat["anno"] == 2020)].iloc[0]
    assert cell["etichetta"] == "⚠ 80" and cell["stato"] == "A rischio"  # symbol and grado in the cell
    spec = overview_charts.status_heatmap(heat).to_dict()
    params = {p["name"]: p["views"] for p in spec["params"]}  # one selection per layer: cells and their text
    assert set(params) == {"scelta", "scelta_testo"} and params["scelta"] != params["scelta_testo"]
    legend = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "⚠ A rischio" in legend and "◐ Parzialmente raggiunto" in legend
    on_text = SimpleNamespace(selection={"scelta": [], "scelta_testo": [{"codice": "2", "anno": 2020, "trimestre": 2}]})
    assert overview_charts.picked(on_text) == {"codice": "2", "anno": 2020, "trimestre": 2}
    assert overview_charts.picked(SimpleNamespace(selection={"scelta": [], "scelta_testo": []})) is None
    assert overview.points(-7.4) == "-7,4 punti" and overview.points(None) is None
