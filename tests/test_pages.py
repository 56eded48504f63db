"""Every page through Streamlit's AppTest, on a real DuckDB file with the seed plan and the demo data.
Each test checks what a person would read on the page against the core's own figures."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import db
from dashboard.core.roles import User
from queries import status as status_queries

SEGRETARIO = User("segretario", "CCIAA-LU", "segretario_generale", ())

APP = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"


def open_page(page: str | None = None, user: User = SEGRETARIO, **params) -> AppTest:
    """The app as `user` would see it (logged in), on `page` with the address's query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_utente"] = user
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"../../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_cruscotto_counts_equal_the_core(db_file):
    at = open_page()
    assert at.title[0].value == "Cruscotto della performance"
    assert "Dati dimostrativi" in at.warning[0].value
    assert at.sidebar.selectbox[0].value == (2020, 4)  # default: the latest quarter with data
    con = db.connect(db_file)
    expected = status_queries.status(con, 2020, 4, "target")
    ente = status_queries.status(con, 2020, 4, "ente").iloc[0]
    m = metrics(at)
    assert m["Grado complessivo"] == f"{ente['grado']:.1f} %".replace(".", ",")
    assert m["✔ Raggiunto"] == str((expected["status"] == "raggiunto").sum()) == "22"
    assert m["◐ Parzialmente raggiunto"] == "8"
    assert m["✖ Non raggiunto"] == "1"
    assert m["○ Non rilevato"] == "0"
    risky = at.dataframe[2].value
    assert risky.iloc[0]["Target"].endswith("target=1E.2") and risky.iloc[0]["Grado"] == "✖ 0,0 %"  # worst first
    area_table = at.dataframe[1].value
    assert list(area_table["Area"]) == ["1 Competitività del territorio", "2 Servizi alle imprese", "3 Competitività dell'Ente"]


def test_cruscotto_in_year_at_risk_worst_first(db_file):
    at = open_page(anno="2020", trimestre="2")
    con = db.connect(db_file)
    expected = status_queries.status(con, 2020, 2, "target")
    at_risk = expected[expected["status"] == "a_rischio"].sort_values(["grado", "target"])
    assert metrics(at)["⚠ A rischio"] == str(len(at_risk))
    assert "situazione al II trim. 2020" in at.caption[0].value
    links = at.dataframe[2].value["Target"]
    assert [link.rsplit("target=", 1)[1] for link in links] == list(at_risk["target"])
    assert at.query_params["anno"] == "2020" and at.query_params["trimestre"] == "2"


def test_cruscotto_lists_offices_without_data(db_file):
    at = open_page(anno="2019", trimestre="2")
    late = at.dataframe[-1].value
    row = late.set_index("Ufficio").loc["Arbitrato e conciliazione"]
    # The 2019 mediation results are a year-to-date figure at September: no quarterly values.
    assert row["Indicatori mancanti"] == row["Su"] == 3
    assert row["Quali"] == ("Campagne di promozione/informazione sui servizi ADR realizzate; Giudizio complessivo "
                            "sull'attività del mediatore (scala 1-5); Voto di gradimento complessivo sul servizio "
                            "dell'Organismo di mediazione (scala 1-5)")


def test_area_drill_down(db_file):
    at = open_page("aree", area="2", obiettivo="2B", anno="2020", trimestre="4")
    assert at.title[0].value == "Aree e obiettivi"
    assert metrics(at)["Grado dell'area"] == "96,5 %"
    objectives = at.dataframe[0].value.set_index("Obiettivo")
    assert list(objectives.index) == ["2A", "2B", "2C", "2D", "2E"]
    assert objectives.loc["2B", "Nel piano"] == "Modificato"
    assert objectives.loc["2D", "Stato"] == "✔ Raggiunto"
    histories = [e.label for e in at.expander]
    assert "Storia dell'obiettivo 2B — Modificato" in histories
    targets = at.table[0].value.set_index("Target")  # issue 13.4: a static table, nothing off-screen
    assert list(targets.index) == ["2B.1", "2B.2", "2B.3"]
    assert targets.loc["2B.1", "Stato"] == "◐ Parzialmente raggiunto"
    assert targets.loc["2B.1", "Condizione"] == "> 1"
    assert targets.loc["2B.1", "Grado"].endswith(" %") and "," in targets.loc["2B.1", "Grado"]  # not "80.0 %"
    import re
    chart = at.get("vega_lite_chart")[0].proto.SerializeToString()
    assert re.search(rb"2B [A-Z][a-z]", chart)  # issue 13.3: objectives by name in the chart, not "2B" alone


def test_area_one_shows_eliminated_objective_history(db_file):
    at = open_page("aree", area="1")
    objectives = at.dataframe[0].value.set_index("Obiettivo")
    assert objectives.loc["1C", "Nel piano"] == "Eliminato"
    assert objectives.loc["1A", "Nel piano"] == "Proposto per l'eliminazione"
    assert objectives.loc["1C", "Stato"] == "— nessun target nel 2020"
    assert any(e.label == "Storia dell'obiettivo 1C — Eliminato" for e in at.expander)


def test_target_detail(db_file):
    at = open_page("aree", target="2A.2", anno="2020", trimestre="2")
    assert at.title[0].value == "Target 2A.2"
    m = metrics(at)
    assert m["Stato"] == "⚠ A rischio"
    assert m["Valore al II trim. 2020"] == "3,68"
    assert "non superiori a 3 giorni" in at.markdown[0].value
    assert at.subheader[0].value == "Durata media della sospensione delle pratiche del Registro Imprese"
    quarters = at.dataframe[0].value
    assert list(quarters["Trimestre"]) == ["I", "II"]  # nothing after the quarter asked for
    projects = at.table[0].value  # issue 13.4: static, the CdC on screen
    assert list(projects.index) == ["2A0101", "2A0102"] and "CdC" in projects.columns
    budget = at.dataframe[1].value
    assert budget.iloc[0]["Oneri"] == "€ 12.976,00"


def test_target_chart_and_its_table_show_the_same_quantity(db_file):
    """Issue 13.5: the chart plots year-to-date values; its table shows them too (II trim. 3,68, as the metric),
    beside each quarter's own value, and the lines are explained."""
    import json
    at = open_page("aree", target="2A.2", anno="2020", trimestre="2")
    table = at.dataframe[0].value.set_index("Trimestre")
    assert table.loc["II", "Progressivo dall'inizio dell'anno (nel grafico)"] == "3,68"
    assert table.loc["II", "Valore del trimestre"] == "3,97"
    chart = at.get("vega_lite_chart")[0].proto
    assert "(progressivo)" in json.loads(chart.spec)["layer"][0]["encoding"]["y"]["title"]
    assert b"3,68" in chart.SerializeToString() and b"3,97" not in chart.SerializeToString()
    note = next(c.value for c in at.caption if c.value.startswith("Valori progressivi"))
    assert "linea blu continua 2020" in note and "2019" not in note  # no 2019 values: no 2019 line to explain


def test_target_detail_2019_with_evidence(db_file):
    at = open_page("aree", target="1D.2", anno="2019", trimestre="4")
    assert metrics(at)["Stato"] == "✔ Raggiunto"
    assert [e.label for e in at.expander][0].startswith("III trim. 2019 — RPP 2020")
    assert "Voto di gradimento sul servizio dell'Organismo : 4,5" in at.text[0].value


def test_unknown_target_says_so(db_file):
    at = open_page("aree", target="9Z.9", anno="2020", trimestre="4")
    assert at.error[0].value == "Il target 9Z.9 non è in vigore nel 2020."


def test_servizi(db_file):
    at = open_page("servizi", anno="2020", trimestre="4")
    assert at.title[0].value == "Servizi"
    subheaders = [s.value for s in at.subheader]
    assert subheaders == ["Registro Imprese: tempi di lavorazione", "Registro Imprese: sospensioni",
                          "Soddisfazione per sportello (scala 1-10)", "Soddisfazione per la mediazione (scala 1-5)",
                          "Tempestività dei pagamenti"]
    first = at.dataframe[0].value
    assert list(first["Anno"]) == [2020] * 4  # RI processing time: no 2019 quarters in the seed
    captions = [c.value for c in at.caption]
    # Said where there is nothing to compare with: the RI sections; the ITP has the seed's 2019 quarters.
    assert captions.count("Nessun dato del 2019 da confrontare: solo il 2020.") == 2
    itp = at.dataframe[-1].value
    assert list(itp["Anno"]) == [2019, 2019, 2020, 2020, 2020, 2020]  # the seed's 2019 quarters beside the year
    assert list(itp["Dimostrativo"]) == ["no", "no", "sì", "sì", "sì", "sì"]
    desks = at.dataframe[3].value
    assert set(desks["Indicatore"]) == {"Sportelli nel complesso", "Marchi e Brevetti", "Finanziamenti e Nuova Impresa",
                                        "Seminari e corsi"}


def test_servizi_2019_shows_seed_itp(db_file):
    at = open_page("servizi", anno="2019", trimestre="2")
    itp = at.dataframe[-1].value
    assert list(itp["Valore"]) == ["-4,48", "-17,37"]
    assert list(itp["Dimostrativo"]) == ["no", "no"]


def test_budget(db_file):
    at = open_page("budget")
    m = metrics(at)
    assert m["Costi esterni (con investimenti)"] == "€ 1.318.976,00"
    assert m["di cui investimenti"] == "€ 161.500,00"
    assert m["Contributi e ricavi"] == "€ 754.750,00"
    areas = at.dataframe[0].value.set_index("Area")
    assert areas.loc["1 Competitività del territorio", "Oneri"] == "134.800"
    check = at.dataframe[2].value
    assert set(check["Esito"]) == {"✔ coincide"}
    # Issue 13.3: readable values, not snake_case codes.
    assert set(check["Voce"]) == {"Costi esterni", "Investimenti", "Oneri", "Ricavi e contributi"}
    assert "Area 1" in set(check["Livello"]) and "area" not in set(check["Livello"])
    warnings = at.table[0].value  # issue 13.4: the description wraps, read whole
    assert "CdC A005" in set(warnings["Oggetto"])
    assert "budget obiettivo 3E" in set(warnings["Oggetto"])


def test_piano_search_and_filters(db_file):
    at = open_page("piano", q="mediazione")
    assert at.title[0].value == "Piano"
    labels = [e.label for e in at.expander]
    assert any(lbl.startswith("1D — Promozione dei servizi di giustizia alternativa") for lbl in labels)
    assert not any(lbl.startswith("3F") for lbl in labels)
    at = open_page("piano", cdc="A005 Partecipazioni e quote associative")
    projects = at.dataframe[-1].value
    assert list(projects["Progetto"]) == ["2C0104", "2E0102", "2E0103"]
    assert "3 progetti su 24" in [c.value for c in at.caption]
    assert projects.iloc[0]["Ufficio"] != "PROGCONTR" and not projects["Ufficio"].str.fullmatch(r"[A-Z_]+").any()
    assert at.multiselect[0].placeholder == "Tutti gli uffici" and at.multiselect[1].placeholder == "Tutti i CdC"


@pytest.mark.parametrize("page", ["cruscotto", "aree", "servizi", "budget", "piano"])
def test_every_page_has_downloads(db_file, page):
    at = open_page(None if page == "cruscotto" else page)
    labels = {b.label for b in at.get("download_button")}
    assert {"Scarica CSV", "Scarica XLSX"} <= labels


def test_unexpected_error_shows_italian_message_not_traceback(db_file, monkeypatch, caplog):
    from dashboard.web import ui

    def boom(*a, **k):
        raise RuntimeError("segreto-interno: /percorso/del/server")

    monkeypatch.setattr(ui, "pick_ente", boom)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_utente"] = SEGRETARIO
    with caplog.at_level("ERROR", logger="dashboard.web"):
        at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Si è verificato un errore interno: è stato registrato. "
                                            "Riprovare o segnalarlo a Programmazione e controllo."]
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert "segreto-interno" not in shown and "Traceback" not in shown
    assert "segreto-interno" in caplog.text and "RuntimeError" in caplog.text


def test_streamlit_control_flow_passes_the_guard(db_file):
    # st.stop (unknown target) and st.switch_page still work: no internal-error message.
    at = open_page("aree", target="9Z.9", anno="2020", trimestre="4")
    assert not any("errore interno" in e.value for e in at.error)


EVIL = ["[x](http://evil.example)", "![i](http://evil.example/p.png)", "<img src=x onerror=alert(1)>"]


def unescaped_markup(text: str) -> list[str]:
    """Link/image/HTML openings not preceded by a backslash."""
    import re
    return re.findall(r"(?<!\\)(?:\]\(|\[|<[a-z])", text)


@pytest.mark.parametrize("evil", EVIL)
def test_shared_links_never_render_parameters_as_markup(db_file, evil):
    aree = open_page("aree", target=evil, anno="2020", trimestre="4")
    shown = aree.error[0].value
    assert shown.startswith("Il target ") and "evil.example" in shown or "img" in shown
    assert unescaped_markup(shown) == [], shown
    piano = open_page("piano", q=evil)
    shown = piano.info[0].value
    assert "Nessun elemento del piano contiene" in shown
    assert unescaped_markup(shown) == [], shown


def test_plain_escapes_markdown_and_html():
    from dashboard.web.ui import plain
    assert plain("9Z.9") == "9Z.9"
    assert plain("[x](http://e)") == r"\[x\](http://e)"  # no "[" or "]": no link can open
    assert plain("![i](u)") == r"!\[i\](u)"
    assert plain("staff.ri — Personale (RI)!") == "staff.ri — Personale (RI)!"
    assert plain("<b>a_b*c*</b>") == r"\<b\>a\_b\*c\*\</b\>"
    assert plain("# t\n- a\n1. b") == "\\# t\n\\- a\n1\\. b"
