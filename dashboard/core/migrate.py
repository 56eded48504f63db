"""`migrate --from FILE --to postgresql://…`: a DuckDB file copied verbatim into an empty shared store.

Every table of the file (the audit trail included) is copied in one PostgreSQL transaction, so a failure leaves
the store empty; then each table's row count and content hash (an order-free sum of the rows' hashes, the
columns in the file's order) are read on both sides and compared, and the store's sequences are moved past the
copied ids. A difference, or a store that already holds data, is refused with an Italian message (exit 1)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

import queries
from dashboard.core import db
from dashboard.core.errors import Refused


class MigrationRefused(Refused):
    """The copy could not be made or does not match its source: nothing usable was written."""


@dataclass
class TableCheck:
    table: str
    rows_from: int
    rows_to: int
    hash_from: int | None
    hash_to: int | None

    @property
    def same(self) -> bool:
        return (self.rows_from, self.hash_from) == (self.rows_to, self.hash_to)


def migrate(source: Path, target: str) -> list[TableCheck]:
    """Copy every table of the file `source` into the empty PostgreSQL store `target`; the checks per table."""
    source = Path(source)
    if not source.is_file():
        raise MigrationRefused(f"Il file {source} non esiste: nessuna copia fatta.")
    db.connect(source)  # brings the file's schema to this code's version, as any command would
    db.close(source)
    con = db.connect(target)
    con.execute(queries.query("migrate", "attach_source").inline({"path": str(source.resolve())}))
    try:
        tables = [r[0] for r in con.execute(queries.sql("migrate", "source_tables")).fetchall()]
        present = {r[0] for r in con.execute(queries.sql("migrate", "target_tables")).fetchall()}
        missing = [t for t in tables if t not in present]
        if missing:
            raise MigrationRefused("Il database di destinazione non ha le tabelle " + ", ".join(missing)
                                   + ": nessuna copia fatta.")
        full = [t for t in tables if con.execute(f'SELECT count(*) FROM cruscotto."{t}"').fetchone()[0]]
        if full:
            raise MigrationRefused(f"Il database di destinazione {db.redacted(target)} contiene già dati (tabelle "
                                   + ", ".join(full) + "): la migrazione copia solo in un database vuoto. "
                                   "Nessuna copia fatta.")
        with db.transaction(con):
            for t in tables:  # names from the file's own catalog, never from input
                con.execute(f'INSERT INTO cruscotto."{t}" BY NAME SELECT * FROM sorgente."{t}"')
        checks = [_check(con, t) for t in tables]
        for table, column, sequence in db.sequence_columns():
            if table in tables:
                top = con.execute(f'SELECT coalesce(max("{column}"), 0) FROM cruscotto."{table}"').fetchone()[0]
                db.set_sequence(con, sequence, int(top) + 1)
    finally:
        con.execute(queries.sql("migrate", "detach_source"))
        db.close(target)
    bad = [c for c in checks if not c.same]
    if bad:
        raise MigrationRefused("La copia non corrisponde all'originale: " + "; ".join(
            f"tabella {c.table}: {c.rows_from} righe nel file, {c.rows_to} in PostgreSQL"
            + ("" if c.rows_from != c.rows_to else ", contenuto diverso") for c in bad)
            + ". Svuotare il database di destinazione e ripetere la migrazione; segnalarlo all'assistenza.")
    return checks


def _check(con: duckdb.DuckDBPyConnection, table: str) -> TableCheck:
    columns = [r[0] for r in con.execute(queries.sql("migrate", "source_columns"), {"t": table}).fetchall()]
    row = ", ".join(f'"{c}"' for c in columns)
    both = []
    for side in ("sorgente", "cruscotto"):
        both.append(con.execute(f'SELECT count(*), sum(hash(row({row}))::HUGEINT) FROM {side}."{table}"').fetchone())
    (n_from, h_from), (n_to, h_to) = both
    return TableCheck(table, n_from, n_to, h_from, h_to)
