"""The pages' database on the shared store (issue 17): the address, never a file named after it."""
from dashboard.core import config
from dashboard.web import cached


def test_pages_use_the_postgresql_address_as_given(monkeypatch, tmp_path):
    # Path("postgresql://…") folds the "//": the pages then opened a DuckDB file "postgresql:/…" in the working
    # directory — empty figures, and replicas locking each other out ("database occupato").
    url = "postgresql://cruscotto@127.0.0.1:5432/cruscotto"
    monkeypatch.setenv("KPI_DB", url)
    assert cached.path() == url
    assert config.is_postgres(cached.path())


def test_pages_use_the_file_otherwise(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_DB", str(tmp_path / "kpi.duckdb"))
    assert cached.path() == str(tmp_path / "kpi.duckdb")
