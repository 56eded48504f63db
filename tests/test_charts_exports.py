"""Chart builders and downloads, tested without Streamlit."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.files import exports
from dashboard.web import charts, plan_views
from queries import plan as plan_queries


def test_grado_bars_label_in_words_and_italian_numbers():
    df = pd.DataFrame({"Area": ["1 Territorio", "2 Imprese"], "grado": [92.6, None], "status": ["parzialmente_raggiunto", "non_rilevato"]})
    chart = charts.grado_bars(df, "Area")
    spec = chart.to_dict()  # a valid Vega-Lite spec
    data = chart.data
    assert list(data["etichetta"]) == ["92,6 % · Parzialmente raggiunto", "Non rilevato"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"][0] == "#009E73"


def test_ytd_series_follows_each_rule():
    q = pd.DataFrame({"anno": [2020] * 3, "trimestre": [1, 2, 3], "ambito": ["trimestre"] * 3,
                      "valore": [2.0, 6.0, 1.0], "numeratore": [20.0, 540.0, 10.0], "denominatore": [10.0, 90.0, 10.0]})
    assert list(charts.ytd_series(q, "somma")["valore"]) == [2.0, 8.0, 9.0]
    assert list(charts.ytd_series(q, "ultimo")["valore"]) == [2.0, 6.0, 1.0]
    cases = list(charts.ytd_series(q, "casi")["valore"])
    assert cases[0] == 2.0 and cases[1] == 5.6 and round(cases[2], 4) == round(570 / 110, 4)
    prog = pd.DataFrame({"anno": [2019], "trimestre": [3], "ambito": ["progressivo"], "valore": [4.5],
                         "numeratore": [None], "denominatore": [None]})
    assert charts.ytd_series(prog, "casi").to_dict("records") == [{"anno": 2019, "trimestre": 3, "valore": 4.5}]


def test_target_progress_draws_threshold_and_projection():
    ytd = pd.DataFrame({"anno": [2020, 2020, 2019], "trimestre": [1, 2, 1], "valore": [1.0, 1.0, 3.0]})
    chart = charts.target_progress(ytd, 2, ">=", "n.", 2020, proiezione=2.0)
    spec = chart.to_dict()
    assert len(spec["layer"]) == 4  # lines, threshold rule, its label, projection
    rule_data = chart.layer[2].data
    assert rule_data["etichetta"][0] == "Soglia ≥ 2"  # issue 13.8: the sign people read
    assert list(chart.layer[0].data["periodo"]) == ["I trim.", "II trim.", "I trim."]


def test_quarterly_bars_and_budget_bars_are_valid_specs():
    df = pd.DataFrame({"anno": [2020, 2019], "trimestre": [1, 1], "valore": [-4.48, -17.37]})
    spec = charts.quarterly_bars(df, 2020, "giorni", 0, "Termine").to_dict()
    assert spec["layer"][1]["mark"]["type"] == "rule"
    b = pd.DataFrame({"Area": ["1"], "oneri": [134800.0], "investimenti": [500.0], "ricavi_contributi": [225750.0]})
    chart = charts.budget_bars(b, "Area")
    chart.to_dict()
    assert "€ 134.800,00" in list(chart.data["euro_it"])


def test_csv_export_is_italian_and_safe():
    df = pd.DataFrame({"Nome": ["=HYPERLINK(\"x\")", "+39 0583", "Lucca"], "Valore": [1234.5, -4.48, None], "N": [1, 2, 3]})
    text = exports.csv_bytes(df).decode("utf-8")
    assert text.startswith("\ufeffNome;Valore;N\r\n")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""x"")";1234,5;1'
    assert lines[2] == "'+39 0583;-4,48;2"
    assert lines[3] == "Lucca;;3"


def test_xlsx_export_keeps_numbers_and_neutralises_text():
    df = pd.DataFrame({"Nome": ["@SUM(A1)", "\tx", "Lucca"], "Valore": [1234.5, -4.48, None]})
    wb = load_workbook(io.BytesIO(exports.xlsx_bytes(df, "Prova")))
    ws = wb["Prova"]
    assert [c.value for c in ws[1]] == ["Nome", "Valore"]
    assert ws["A2"].value == "'@SUM(A1)" and ws["A2"].data_type == "s"
    assert ws["A3"].value == "'\tx"
    assert ws["B2"].value == 1234.5 and ws["B3"].value == -4.48 and ws["B4"].value is None


def test_plan_search_and_project_filters(seeded):
    plan = plan_queries.plan_tree(seeded)["enti"][0]
    found = plan_views.search(plan, "mediazione")
    codes = {o["code"] for _, objs in found for o, _ in objs}
    assert "1D" in codes and "3F" not in codes
    everything = plan_views.search(plan, "")
    assert sum(len(objs) for _, objs in everything) == 17
    projects = plan_views.projects_frame(plan)
    assert len(projects) == 24
    ri = plan_views.filter_projects(projects, ["Registro Imprese – Artigianato Protesti e documenti Export"], [])
    assert list(ri["Progetto"]) == ["2A0101", "2B0101"]
    a005 = plan_views.filter_projects(projects, [], ["A005 Partecipazioni e quote associative"])
    assert list(a005["Progetto"]) == ["2C0104", "2E0102", "2E0103"]


def test_objectives_overview_keeps_eliminated_objectives(demo_db):
    from queries import status as status_queries

    plan = plan_queries.plan_tree(demo_db)["enti"][0]
    area1 = plan["areas"][0]["objectives"]
    status = status_queries.status(demo_db, 2020, 4, "obiettivo")
    df = plan_views.objectives_overview(area1, status).set_index("codice")
    assert list(df.index) == ["1A", "1B", "1C", "1D", "1E", "1F"]
    assert df.loc["1C", "stato_piano"] == "eliminato" and df.loc["1C", "n_target"] == 0
    assert df.loc["1C", "status"] == "non_rilevato"
    assert df.loc["1D", "n_target"] == 2 and df.loc["1D", "status"] == "raggiunto"


def test_xlsx_export_is_ready_to_attach():
    """Issue 13.10: number formats Excel localises, real dates, frozen header, sensible widths, no 15 decimals."""
    import datetime as dt
    df = pd.DataFrame({"Testo": ["a" * 200, "b"], "Valore": [3.967213114754098, 1234.5], "N": [402, 3],
                       "Quando": ["26/11/2020 10:30", "01/02/2021"], "Il": [pd.Timestamp("2020-03-31"), pd.NaT]})
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(df, "Prova")))["Prova"]
    assert ws.freeze_panes == "A2"
    assert ws["B2"].value == 3.9672 and ws["B2"].number_format == "#,##0.00"
    assert ws["C2"].value == 402 and ws["C2"].number_format == "#,##0"  # counts without decimals
    assert ws["D2"].value == dt.datetime(2020, 11, 26, 10, 30) and ws["D2"].number_format == "DD/MM/YYYY HH:MM"
    assert ws["D3"].value == dt.datetime(2021, 2, 1) and ws["D3"].number_format == "DD/MM/YYYY"
    assert ws["E2"].value == dt.datetime(2020, 3, 31) and ws["E2"].is_date
    assert ws.column_dimensions["A"].width == 60 and ws["A2"].alignment.wrap_text
    assert 8 <= ws.column_dimensions["C"].width <= 12
    assert "3,9672" in exports.csv_bytes(df).decode("utf-8")


def test_service_charts_legend_only_years_with_data_and_threshold_label_off_the_bars():
    """Issue 13.9: no 2019 in the legend without 2019 data; the reference label is a subtitle, not over the bars;
    the ITP's zero line says what zero means."""
    from dashboard.web import service_metrics
    only_2020 = pd.DataFrame({"anno": [2020, 2020], "trimestre": [1, 2], "valore": [4.0, 5.0]})
    spec = charts.quarterly_bars(only_2020, 2020, "giorni", 5, "Target: meno di 5 giorni").to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["2020"]
    assert len(spec["layer"]) == 2 and spec["title"]["text"] == "Linea arancione tratteggiata: Target: meno di 5 giorni"
    both = pd.DataFrame({"anno": [2020, 2019], "trimestre": [1, 1], "valore": [1.0, 2.0]})
    assert charts.quarterly_bars(both, 2020, "n.").to_dict()["layer"][0]["encoding"]["color"]["scale"]["domain"] == \
        ["2020", "2019"]
    panels = charts.quarterly_panels(only_2020.assign(t="x"), 2020, "punti", "t").to_dict()
    assert panels["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["2020"]
    itp = next(m for _, _, ms in service_metrics.SECTIONS for m in ms if m.code == "ITP")
    assert itp.reference == 0 and "alla scadenza" in itp.reference_label and "fattura" not in itp.reference_label
