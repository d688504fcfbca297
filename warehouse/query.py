"""Ad-hoc SQL for analysts and the CLI, even while a flow run holds the warehouse.

The DuckDB file is opened read-only. While a writer holds it (DuckDB locks out every
other process) or when it does not exist yet, the same query runs over the Parquet
exports instead: an in-memory DuckDB with one view per exported table, under the same
names, plus the analyst views. The result says which source answered, since exports
can be one run behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from transforms.contract.tables import SCHEMAS
from warehouse.export import PARTITION_COLS, SCHEMA_FILE, partitioned
from warehouse.schema import create_views, duckdb_type, quote
from warehouse.store import DB_NAME, Warehouse, WarehouseBusy


class QueryResult(tuple):
    """`(columns, rows, from_exports)`; `.note` says which source answered and why.

    A 3-tuple so callers unpack it directly; `from_exports` is True when the Parquet
    exports answered (they may be one run behind the warehouse).
    """

    note: str

    def __new__(
        cls, columns: list[str], rows: list[tuple[Any, ...]], from_exports: bool, note: str = ""
    ):
        self = super().__new__(cls, (columns, rows, from_exports))
        self.note = note
        return self

    @property
    def columns(self) -> list[str]:
        return self[0]

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        return self[1]

    @property
    def from_exports(self) -> bool:
        return self[2]


def exports_connection(exports_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB whose tables are views over the exports, typed as in SCHEMAS.

    Casting to the Arrow-derived types keeps answers identical to the warehouse's
    (hive folder names would otherwise come back as BIGINT). A table with no files yet
    is an empty view, so queries joining it still run.
    """
    exports_dir = Path(exports_dir)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, schema in SCHEMAS.items():
        casts = ", ".join(
            f"CAST({quote(f.name)} AS {duckdb_type(f.type)}) AS {quote(f.name)}" for f in schema
        )
        folder = exports_dir / name
        files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
        if not files:
            source = f"(SELECT {', '.join('NULL AS ' + quote(f.name) for f in schema)}) WHERE false"
        elif partitioned(name):
            glob = str(folder / "**" / "*.parquet").replace("'", "''")
            source = f"read_parquet('{glob}', hive_partitioning = true)"
        else:
            source = f"read_parquet('{str(folder / 'data.parquet').replace(chr(39), chr(39) * 2)}')"
        # Partition 0/0 stands for "no publication date": give analysts back the null.
        if partitioned(name) and files:
            casts = ", ".join(
                f"CAST(nullif({quote(f.name)}, 0) AS {duckdb_type(f.type)}) AS {quote(f.name)}"
                if f.name in PARTITION_COLS
                else f"CAST({quote(f.name)} AS {duckdb_type(f.type)}) AS {quote(f.name)}"
                for f in schema
            )
        con.execute(f"CREATE VIEW {quote(name)} AS SELECT {casts} FROM {source}")
    create_views(con)
    return con


def run_sql(
    warehouse_dir: str | Path,
    query: str,
    *,
    exports_dir: str | Path | None = None,
    lock_timeout: float = 1.0,
) -> QueryResult:
    """Run `query` on the warehouse read-only, or on the exports when it is unavailable.

    `exports_dir` defaults to `<warehouse_dir>/exports`.
    """
    warehouse_dir = Path(warehouse_dir)
    exports = Path(exports_dir) if exports_dir is not None else warehouse_dir / "exports"
    try:
        with Warehouse(warehouse_dir, read_only=True, lock_timeout=lock_timeout) as wh:
            rel = wh.con.sql(query)
            if rel is None:
                return QueryResult([], [], False, f"ran on {wh.path}")
            return QueryResult(list(rel.columns), rel.fetchall(), False, f"ran on {wh.path}")
    except FileNotFoundError:
        why = f"no warehouse at {warehouse_dir / DB_NAME}"
    except WarehouseBusy:
        why = f"{warehouse_dir / DB_NAME} is locked by a writer"
    except duckdb.ConnectionException as e:
        # This process already holds the file open for writing (a different config).
        why = f"{warehouse_dir / DB_NAME} is open for writing in this process ({e})"
    if not (exports / SCHEMA_FILE).is_file():
        raise FileNotFoundError(f"{why}, and no Parquet exports at {exports} to fall back on")
    con = exports_connection(exports)
    try:
        rel = con.sql(query)
        note = f"{why}: answered from the Parquet exports at {exports} (may be one run behind)"
        if rel is None:
            return QueryResult([], [], True, note)
        return QueryResult(list(rel.columns), rel.fetchall(), True, note)
    finally:
        con.close()
