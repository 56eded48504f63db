"""Values must be plausible (issue 12, point 7): counts are whole, nothing is infinite or beyond any public
body's figures, periods lie in the plan's years, and the JSON the CLI prints is always standard."""
from __future__ import annotations

import json
import math

import pytest

from dashboard import cli
from dashboard.core import corrections
from tests.test_import import count_versions, messages, run, write_csv, write_xlsx


def test_a_count_with_decimals_is_refused(with_users, tmp_path):
    before = count_versions(with_users)
    path = write_csv(tmp_path / "ri.csv", [["RI_FATTURE", "", "n.", "2020-Q1", "12,7", "", "", ""]])
    result = run(with_users, path)
    assert not result.ok and count_versions(with_users) == before
    assert messages(result) == ["ri.csv, riga 2, colonna «valore»: 12,70 non è un numero intero: "
                                "un conteggio si esprime in unità"]
    with pytest.raises(corrections.CorrectionRefused, match="non è un numero intero"):
        corrections.correct_value(with_users, "staff.ri", "RI_FATTURE", 2020, 1, "x", "12,7")


def test_values_beyond_any_plausible_figure_are_refused(with_users, tmp_path):
    before = count_versions(with_users)
    path = write_xlsx(tmp_path / "ri.xlsx", [["RI_FATTURE", "", "n.", "2020-Q1", 1e308, None, None, None],
                                              ["RI_TEMPO_LAV", "", "giorni", "2020-Q1", None, 1e15, 10, None]])
    result = run(with_users, path)
    assert not result.ok and count_versions(with_users) == before
    assert [m.split(": ", 1)[0] for m in messages(result)] == [
        "ri.xlsx, riga 2, colonna «valore (E)»", "ri.xlsx, riga 3, colonna «numeratore (F)»"]
    assert all("fuori misura" in m for m in messages(result))


def test_a_period_outside_the_plans_years_is_refused(with_users, tmp_path):
    path = write_csv(tmp_path / "ri.csv", [["RI_FATTURE", "", "n.", "1900-Q1", "12", "", "", ""]])
    result = run(with_users, path)
    assert messages(result) == ["ri.csv, riga 2, colonna «periodo»: il periodo I trim. 1900 è fuori dagli anni "
                                "del piano (2018–2021)"]


def test_cli_json_never_prints_non_standard_numbers(capsys):
    cli._json({"grado": math.inf, "valori": [1.5, math.nan, {"x": -math.inf}]})
    out = capsys.readouterr().out
    assert json.loads(out) == {"grado": None, "valori": [1.5, None, {"x": None}]}
    assert "Infinity" not in out and "NaN" not in out
