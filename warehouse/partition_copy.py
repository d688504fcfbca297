"""The one partitioned Parquet COPY shared by the table exports and the marts.

Tables (`warehouse.export`) and marts (`warehouse.marts`) are laid out alike: hive
folders `pub_year=Y/pub_month=M`, rows with no publication date in 0/0 (a
`__HIVE_DEFAULT_PARTITION__` null folder makes pandas fail), files named `data_{i}`, and
one empty file in 0/0 when nothing at all was written, so globs always match and readers
still learn the columns. Keeping that in one place keeps the two layouts from drifting.
It lives apart from `export` because `export` imports `marts`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.schema import quote

PARTITION_COLS = ("pub_year", "pub_month")
UNKNOWN_PARTITION = 0
PARQUET_OPTS = "FORMAT PARQUET, COMPRESSION ZSTD"


def sql_path(p: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(p).replace("'", "''") + "'"


def partition_filter(partitions: list[tuple[int, int]] | None) -> str:
    """` WHERE (year, month) IN (...)` over the 0-for-null partition keys ('' for all)."""
    if partitions is None:
        return ""
    keys = ", ".join(f"({int(y)}, {int(m)})" for y, m in partitions) or "(NULL, NULL)"
    cols = ", ".join(f"coalesce({quote(c)}, {UNKNOWN_PARTITION})" for c in PARTITION_COLS)
    return f" WHERE ({cols}) IN ({keys})"


def copy_partitioned(con: duckdb.DuckDBPyConnection, select: str, source: str, order: str,
                     dest: Path, partitions: list[tuple[int, int]] | None = None) -> int:
    """COPY `SELECT {select} FROM {source}` sorted by `order` into hive folders under `dest`.

    `select` must give the partition columns already coalesced to UNKNOWN_PARTITION.
    With `partitions`, only those (pub_year, pub_month) are written and no empty
    placeholder (a partial export leaves the other folders alone). Returns the row count.
    """
    parts = ", ".join(quote(c) for c in PARTITION_COLS)
    rows = con.execute(
        f"COPY (SELECT {select} FROM {source}{partition_filter(partitions)} ORDER BY {order}) "
        f"TO {sql_path(dest)} ({PARQUET_OPTS}, PARTITION_BY ({parts}), "
        "FILENAME_PATTERN 'data_{i}')"
    ).fetchall()
    n = int(rows[0][0])
    if n == 0 and partitions is None:
        empty = dest.joinpath(*(f"{c}={UNKNOWN_PARTITION}" for c in PARTITION_COLS))
        empty.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT * EXCLUDE ({parts}) FROM (SELECT {select} FROM {source}) AS s "
            f"LIMIT 0) TO {sql_path(empty / 'data_0.parquet')} ({PARQUET_OPTS})"
        ).fetchall()
    return n
