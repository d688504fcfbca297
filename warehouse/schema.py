"""DuckDB schema generated from the Arrow schemas in `transforms.contract.tables`.

Nothing here names a column type by hand: the DDL is derived from `SCHEMAS` and `KEYS`,
so a column added there reaches the warehouse on the next `ensure_schema()` (as an
additive `ALTER TABLE ... ADD COLUMN`), and a changed type stops the load with a clear
error instead of silently casting. The analyst views are the only hand-written SQL; they
are plain `LEFT JOIN`s and aggregates so they also answer (with no rows) on an empty
warehouse.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.contract.tables import KEYS, SCHEMAS
from transforms.deals.confidence import VIEW_MIN
from transforms.deals.vocabulary import ATTRIBUTE_TYPES

# Bump by hand for a change that needs a real migration (a type change, a dropped
# column); additive column changes are detected through the fingerprint alone.
SCHEMA_VERSION = 1

# Deal types that describe the actor (its worth, results or budget) rather than money it
# puts in: counting them as "committed" would add a company's revenue to what it invested.
MEASURE_EVENT_TYPES = tuple(sorted(ATTRIBUTE_TYPES))


class SchemaMismatch(RuntimeError):
    """An existing table or an incoming Arrow table disagrees with `SCHEMAS`."""


def quote(name: str) -> str:
    """Quote an identifier: some columns (`min`, `max`) are SQL keywords."""
    return '"' + name.replace('"', '""') + '"'


def duckdb_type(t: pa.DataType) -> str:
    """DuckDB type for an Arrow type; raises for types we never use, rather than guess."""
    simple = {
        pa.string(): "VARCHAR",
        pa.large_string(): "VARCHAR",
        pa.bool_(): "BOOLEAN",
        pa.int8(): "TINYINT",
        pa.int16(): "SMALLINT",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.uint8(): "UTINYINT",
        pa.uint16(): "USMALLINT",
        pa.uint32(): "UINTEGER",
        pa.uint64(): "UBIGINT",
        pa.float32(): "FLOAT",
        pa.float64(): "DOUBLE",
        pa.date32(): "DATE",
        pa.binary(): "BLOB",
    }
    if t in simple:
        return simple[t]
    if pa.types.is_timestamp(t):
        # Instants (tz-aware) and wall-clock times (naive) must never be confused.
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision},{t.scale})"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return duckdb_type(t.value_type) + "[]"
    raise SchemaMismatch(f"no DuckDB mapping for Arrow type {t}")


# Fact tables whose key is a content hash of the row's document and position
# (`transforms.contract.ids`): two documents' rows can never share a key, and a
# document's rows are only ever replaced whole, in one transaction, by the loader, which
# refuses a batch whose rows repeat a key (`Warehouse._replace_slice`). DuckDB keeps a
# primary key's index in memory, and these four tables are most of a warehouse's rows
# (2 million keys, about 110 MB of index at 100,000 pages, growing with every page):
# they have no primary key in DuckDB. Their `KEYS` still order exports and match rows.
DERIVED_KEY_TABLES = frozenset({"fact_amount", "fact_figure", "fact_mention", "fact_deal"})


def table_ddl(name: str) -> str:
    """`CREATE TABLE IF NOT EXISTS` for one table, primary key from `KEYS` (except the
    `DERIVED_KEY_TABLES`)."""
    schema = SCHEMAS[name]
    cols = [
        f"    {quote(f.name)} {duckdb_type(f.type)}{'' if f.nullable else ' NOT NULL'}"
        for f in schema
    ]
    if name not in DERIVED_KEY_TABLES:
        cols.append(f"    PRIMARY KEY ({', '.join(quote(k) for k in KEYS[name])})")
    return f"CREATE TABLE IF NOT EXISTS {quote(name)} (\n" + ",\n".join(cols) + "\n)"


def _drop_primary_key(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Rebuild `name` without its primary key when it has one (a warehouse made before
    `DERIVED_KEY_TABLES`): same columns, same rows. True when it did."""
    keyed = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = 'main' AND table_name = ? "
        "AND constraint_type = 'PRIMARY KEY'", [name]).fetchall()[0][0]
    if not keyed:
        return False
    old = f"{name}__keyed"
    cols = ", ".join(quote(f.name) for f in SCHEMAS[name])
    con.execute(f"ALTER TABLE {quote(name)} RENAME TO {quote(old)}")
    con.execute(table_ddl(name))
    con.execute(f"INSERT INTO {quote(name)} ({cols}) SELECT {cols} FROM {quote(old)}")
    con.execute(f"DROP TABLE {quote(old)}")
    return True


def _usd_text(col: str) -> str:
    """SQL turning a USD amount into '$22.50bn' style text an analyst reads at a glance."""
    return (
        f"CASE WHEN {col} IS NULL THEN NULL"
        f" WHEN abs({col}) >= 1e9 THEN printf('$%.2fbn', {col} / 1e9)"
        f" WHEN abs({col}) >= 1e6 THEN printf('$%.2fm', {col} / 1e6)"
        f" WHEN abs({col}) >= 1e3 THEN printf('$%.1fk', {col} / 1e3)"
        f" ELSE printf('$%.2f', {col}) END"
    )


_VIEWS_DIR = Path(__file__).with_name("views")
# Values the view files spell as {placeholders}: generated from the deal vocabulary and
# one USD formatter, so the SQL cannot drift from them.
_PLACEHOLDERS = {
    "{value_usd_text}": _usd_text("f.value_usd"),
    "{measure_event_types}": ", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES),
    "{measure_event_type_names}": ", ".join(MEASURE_EVENT_TYPES),
    "{view_min}": str(VIEW_MIN),
}


def _fill(text: str) -> str:
    for key, value in _PLACEHOLDERS.items():
        text = text.replace(key, value)
    return text


def _load_views() -> tuple[dict[str, str], dict[str, str]]:
    """The analyst views, one warehouse/views/NAME.sql each: its leading `-- ` lines are
    the view's description (exported beside the data), the rest is its SELECT."""
    views: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for path in sorted(_VIEWS_DIR.glob("*.sql")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        n = 0
        while n < len(lines) and lines[n].startswith("-- "):
            n += 1
        descriptions[path.stem] = _fill(" ".join(ln[3:].rstrip("\n") for ln in lines[:n]))
        views[path.stem] = _fill("".join(lines[n:]))
    return views, descriptions


VIEWS, VIEW_DESCRIPTIONS = _load_views()

SCHEMA_VERSION_DDL = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    fingerprint VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (version, fingerprint)
)"""


def fingerprint() -> str:
    """Hash of every table DDL and view: changes exactly when the schema code changes."""
    text = "\n".join([table_ddl(n) for n in SCHEMAS] + [VIEWS[v] for v in VIEWS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def view_ddl(name: str) -> str:
    """`CREATE OR REPLACE VIEW` for one analyst view."""
    return f"CREATE OR REPLACE VIEW {quote(name)} AS {VIEWS[name].strip()}"


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the analyst views; also used over the Parquet exports by query.py."""
    for name in VIEWS:
        con.execute(view_ddl(name))


def _existing_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return dict(rows)


def _is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the recorded fingerprint matches and every table and view exists."""
    names = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main'"
        ).fetchall()
    }
    if "schema_version" not in names or not (set(SCHEMAS) | set(VIEWS)) <= names:
        return False
    rows = con.execute(
        "SELECT count(*) FROM schema_version WHERE version = ? AND fingerprint = ?",
        [SCHEMA_VERSION, fingerprint()],
    ).fetchall()
    return rows[0][0] > 0


def _migrate_table(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Add columns new in `SCHEMAS` (returned); refuse a changed type (that needs a real
    migration)."""
    have = _existing_columns(con, name)
    added: list[str] = []
    for f in SCHEMAS[name]:
        want = duckdb_type(f.type)
        if f.name not in have:
            con.execute(f"ALTER TABLE {quote(name)} ADD COLUMN {quote(f.name)} {want}")
            added.append(f.name)
            continue
        # The catalog spells types its own way (TIMESTAMPTZ is listed as
        # "TIMESTAMP WITH TIME ZONE"): ask DuckDB to spell ours the same way.
        spelled = con.execute(f"SELECT typeof(CAST(NULL AS {want}))").fetchall()[0][0]
        if have[f.name] != spelled:
            raise SchemaMismatch(
                f"{name}.{f.name} is {have[f.name]} in the warehouse but {want} in "
                f"transforms.contract.tables; migrate it by hand and bump SCHEMA_VERSION"
            )
    return added


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create or migrate tables and views; returns False when nothing had to change.

    Idempotent: a warehouse already at this fingerprint is not written to at all, so
    calling it at every flow start costs one catalog query. A column added to rows
    already loaded is filled where `warehouse.backfill` knows how.
    """
    if _is_current(con):
        return False
    con.begin()
    try:
        con.execute(SCHEMA_VERSION_DDL)
        added = []
        for name in SCHEMAS:
            con.execute(table_ddl(name))
            added += [(name, c) for c in _migrate_table(con, name)]
            if name in DERIVED_KEY_TABLES:
                _drop_primary_key(con, name)
        from warehouse.backfill import BACKFILLS  # imports transforms.rows (lazily)

        for key in added:
            if key in BACKFILLS:
                BACKFILLS[key](con)
        create_views(con)
        con.execute(
            "INSERT OR IGNORE INTO schema_version (version, fingerprint) VALUES (?, ?)",
            [SCHEMA_VERSION, fingerprint()],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Read-only check used where the warehouse may not be written (read_only mode)."""
    missing = [n for n in SCHEMAS if not _existing_columns(con, n)]
    if missing:
        raise SchemaMismatch(f"warehouse lacks tables {missing}; open it writable once")
