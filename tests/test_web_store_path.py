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


def test_two_uploads_taking_the_same_version_are_run_again():
    # Found by benchmarks/load_test.py on PostgreSQL: two processes' uploads of the same office and quarter
    # both drew version N+1; the second got this unique violation, not retried, shown to the user as an error.
    import duckdb

    from dashboard.core import db
    exc = duckdb.ConstraintException(
        'Failed to copy data: ERROR:  duplicate key value violates unique constraint '
        '"misure_ente_indicatore_anno_trimestre_ambito_versione_key" DETAIL:  Key (ente, indicatore, anno, '
        'trimestre, ambito, versione)=(CCIAA-LU, RI_CONDIVISIONI, 2021, 4, trimestre, 1) already exists.')
    assert db.is_conflict(exc)
    assert "db.retrying(measurement_import.import_file" in (
        __import__("pathlib").Path(__file__).resolve().parents[1] / "pages" / "carica.py").read_text()
