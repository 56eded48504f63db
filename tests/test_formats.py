import datetime as dt

import pytest

from dashboard.core import formats


@pytest.mark.parametrize("raw, expected", [
    ("1.234,56", 1234.56), ("26,22%", 26.22), ("26,22 %", 26.22), ("€ 1.234,56", 1234.56), ("-4,48", -4.48),
    ("2,1", 2.1), ("1.318.976,00", 1318976.0), ("1.234", 1234.0), ("2.5", 2.5), ("12", 12.0), (" 7 ", 7.0),
    ("(1.000,00)", -1000.0), (3, 3.0), (4.5, 4.5), ("", None), (None, None), ("\u00a01.000,5", 1000.5),
])
def test_parse_number_italian(raw, expected):
    assert formats.parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "12a", "1.23.4", "--1", True])
def test_parse_number_refuses_text(raw):
    with pytest.raises(formats.FormatError):
        formats.parse_number(raw)


@pytest.mark.parametrize("raw, expected", [
    ("2020-Q1", (2020, 1)), ("2020-T4", (2020, 4)), ("Q3 2019", (2019, 3)), ("I trim. 2020", (2020, 1)),
    ("IV trimestre 2020", (2020, 4)), ("2° trimestre 2020", (2020, 2)), ("iii trim. 2021", (2021, 3)),
])
def test_parse_period(raw, expected):
    assert formats.parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2020-Q5", "2020", "Q0 2020", "", None, "primo trimestre"])
def test_parse_period_refuses(raw):
    with pytest.raises(formats.FormatError):
        formats.parse_period(raw)


def test_italian_output_formats():
    assert formats.fmt_num(1234.56) == "1.234,56"
    assert formats.fmt_euro(134800) == "€ 134.800,00"
    assert formats.fmt_euro(1318976) == "€ 1.318.976,00"
    assert formats.fmt_date(dt.date(2019, 9, 30)) == "30/09/2019"
    assert formats.fmt_period(2020, 1) == "I trim. 2020"
    assert formats.fmt_period(2020, 4) == "IV trim. 2020"
    assert formats.fmt_pct(92.6) == "92,6 %"
    assert formats.fmt_num(None) == "–"


def test_parse_date():
    assert formats.parse_date("30/09/2019") == dt.date(2019, 9, 30)
    assert formats.parse_date("2019-09-30") == dt.date(2019, 9, 30)
    with pytest.raises(formats.FormatError):
        formats.parse_date("31/02/2019")


def test_italian_frame_for_display():
    import pandas as pd

    df = pd.DataFrame({"a": [1234.5, None], "b": [2.0, 3.0], "c": ["x", "y"]})
    out = formats.italian_frame(df)
    assert list(out["a"]) == ["1.234,50", ""]
    assert list(out["b"]) == ["2", "3"]
    assert list(out["c"]) == ["x", "y"]


def test_counts_read_without_decimals_and_conditions_with_signs():
    """Issue 13.8: "402" not "402,00" beside "3,68"; ≥ and ≤, not >= and <=; titles cut at a word."""
    import pandas as pd

    out = formats.italian_frame(pd.DataFrame({"Valore": [402.0, 3.675, None]}))
    assert list(out["Valore"]) == ["402", "3,67" if round(3.675, 2) == 3.67 else "3,68", ""]
    assert formats.fmt_condition(">=", 80, "%") == "≥ 80 %" and formats.fmt_condition("<=", 3.5) == "≤ 3,50"
    assert formats.shorten("Competitività del territorio e delle imprese", 30) == "Competitività del territorio…"
    assert formats.plural(1, "indicatore", "indicatori") == "1 indicatore"
