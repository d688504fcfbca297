"""DuckDB schema generated from the Arrow schemas in `transforms.tables`.

Nothing here names a column type by hand: the DDL is derived from `SCHEMAS` and `KEYS`,
so a column added there reaches the warehouse on the next `ensure_schema()` (as an
additive `ALTER TABLE ... ADD COLUMN`), and a changed type stops the load with a clear
error instead of silently casting. The analyst views are the only hand-written SQL; they
are plain `LEFT JOIN`s and aggregates so they also answer (with no rows) on an empty
warehouse.
"""

from __future__ import annotations

import hashlib

import duckdb
import pyarrow as pa

from transforms.deals import ATTRIBUTE_TYPES
from transforms.tables import KEYS, SCHEMAS
from warehouse.viewfiles import view_files

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


def table_ddl(name: str) -> str:
    """`CREATE TABLE IF NOT EXISTS` for one table, primary key from `KEYS`."""
    schema = SCHEMAS[name]
    cols = [
        f"    {quote(f.name)} {duckdb_type(f.type)}{'' if f.nullable else ' NOT NULL'}"
        for f in schema
    ]
    cols.append(f"    PRIMARY KEY ({', '.join(quote(k) for k in KEYS[name])})")
    return f"CREATE TABLE IF NOT EXISTS {quote(name)} (\n" + ",\n".join(cols) + "\n)"


def _usd_text(col: str) -> str:
    """SQL turning a USD amount into '$22.50bn' style text an analyst reads at a glance."""
    return (
        f"CASE WHEN {col} IS NULL THEN NULL"
        f" WHEN abs({col}) >= 1e9 THEN printf('$%.2fbn', {col} / 1e9)"
        f" WHEN abs({col}) >= 1e6 THEN printf('$%.2fm', {col} / 1e6)"
        f" WHEN abs({col}) >= 1e3 THEN printf('$%.1fk', {col} / 1e3)"
        f" ELSE printf('$%.2f', {col}) END"
    )


# Publication day: `published_date`, the site's local calendar day (see transforms/tables.py).

VIEWS: dict[str, str] = {
    "v_deals": f"""
SELECT
    f.event_id, f.doc_id, f.published_at, f.published_date AS published_day,
    f.pub_year, f.pub_month, d.site, d.title, d.url,
    f.event_type, f.status,
    f.actor_id, act.name AS actor, f.counterpart_id, cp.name AS counterpart,
    f.value, f.currency, f.value_usd, {_usd_text("f.value_usd")} AS value_usd_text,
    f.amount_id, a.surface AS amount_surface
FROM fact_deal AS f
LEFT JOIN dim_entity AS act ON act.entity_id = f.actor_id
LEFT JOIN dim_entity AS cp ON cp.entity_id = f.counterpart_id
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
LEFT JOIN fact_amount AS a ON a.amount_id = f.amount_id
""",
    "v_entity_totals": f"""
WITH flows AS (
    SELECT actor_id AS entity_id, pub_year, pub_month,
           value_usd AS committed_usd, CAST(NULL AS DOUBLE) AS received_usd,
           1 AS as_actor, 0 AS as_counterpart, value_usd IS NULL AS no_usd
    FROM fact_deal
    WHERE actor_id IS NOT NULL
      AND coalesce(event_type, '') NOT IN ({", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES)})
    UNION ALL
    SELECT counterpart_id, pub_year, pub_month,
           CAST(NULL AS DOUBLE), value_usd, 0, 1, value_usd IS NULL
    FROM fact_deal
    WHERE counterpart_id IS NOT NULL
      AND coalesce(event_type, '') NOT IN ({", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES)})
)
SELECT
    f.entity_id, any_value(e.name) AS name, any_value(e.kind) AS kind,
    f.pub_year, f.pub_month,
    CASE WHEN f.pub_year IS NOT NULL AND f.pub_month IS NOT NULL
         THEN make_date(f.pub_year, f.pub_month, 1) END AS month,
    coalesce(sum(f.committed_usd), 0) AS committed_usd,
    coalesce(sum(f.received_usd), 0) AS received_usd,
    CAST(sum(f.as_actor) AS INTEGER) AS n_deals_as_actor,
    CAST(sum(f.as_counterpart) AS INTEGER) AS n_deals_as_counterpart,
    CAST(count(*) FILTER (WHERE f.no_usd) AS INTEGER) AS n_deals_without_usd
FROM flows AS f
LEFT JOIN dim_entity AS e ON e.entity_id = f.entity_id
GROUP BY f.entity_id, f.pub_year, f.pub_month
""",
}

VIEW_DESCRIPTIONS: dict[str, str] = {
    "v_deals": "Deal events with actor and counterpart names, USD value and a readable "
    "'$1.23bn' text.",
    "v_entity_totals": "Per entity and publication month: USD committed as actor and "
    f"received as counterpart (deal types {', '.join(MEASURE_EVENT_TYPES)} excluded: they "
    "describe the actor, not money it commits); "
    "n_deals_without_usd says how many deals had no USD value and are missing from the "
    "sums. The same deal reported by several pages is counted once per page.",
}

# Views kept as one SQL file each (warehouse/views/NAME.sql, description on top).
for _name, (_sql, _desc) in view_files().items():
    VIEWS[_name] = _sql
    VIEW_DESCRIPTIONS[_name] = _desc

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


def _migrate_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Add columns new in `SCHEMAS`; refuse a changed type (that needs a real migration)."""
    have = _existing_columns(con, name)
    for f in SCHEMAS[name]:
        want = duckdb_type(f.type)
        if f.name not in have:
            con.execute(f"ALTER TABLE {quote(name)} ADD COLUMN {quote(f.name)} {want}")
            continue
        # The catalog spells types its own way (TIMESTAMPTZ is listed as
        # "TIMESTAMP WITH TIME ZONE"): ask DuckDB to spell ours the same way.
        spelled = con.execute(f"SELECT typeof(CAST(NULL AS {want}))").fetchall()[0][0]
        if have[f.name] != spelled:
            raise SchemaMismatch(
                f"{name}.{f.name} is {have[f.name]} in the warehouse but {want} in "
                f"transforms.tables; migrate it by hand and bump SCHEMA_VERSION"
            )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create or migrate tables and views; returns False when nothing had to change.

    Idempotent: a warehouse already at this fingerprint is not written to at all, so
    calling it at every flow start costs one catalog query.
    """
    if _is_current(con):
        return False
    con.begin()
    try:
        con.execute(SCHEMA_VERSION_DDL)
        for name in SCHEMAS:
            con.execute(table_ddl(name))
            _migrate_table(con, name)
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
