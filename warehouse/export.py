"""Parquet exports for dashboards and BI: the only thing readers outside the flow touch.

DuckDB allows one writer process and locks out readers while it writes, so dashboards
read these files instead. Why the details:
- Every table is first written into a temporary folder inside `exports_dir` (same file
  system), then each file is moved into place with `os.replace`: a reader sees the old
  file or the new one, never half of one. Partition files that no longer exist are
  removed afterwards, and a failure before publishing leaves the previous export intact.
- All tables are copied from one transaction, so they come from one snapshot.
- Rows are ordered by key and the copy runs on one thread: DuckDB's parallel
  partitioned writer interleaves rows, so the same data would give different bytes.
  Unchanged files are not rewritten (same bytes, same mtime), which keeps syncs cheap.
- Fact tables and documents are hive-partitioned by `pub_year`/`pub_month`. Rows with no
  publication date go to partition 0/0: a `__HIVE_DEFAULT_PARTITION__` (null) folder
  makes pandas fail ("Cannot yet unify dictionaries with nulls"). An empty table gets
  one empty file there, so globs always match and readers still learn the columns.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import duckdb

from transforms.contract.tables import KEYS, SCHEMAS
from warehouse.marts import MART_KEYS, copy_mart, marts_document
from warehouse.partition_copy import (
    PARQUET_OPTS,
    PARTITION_COLS,
    UNKNOWN_PARTITION,
    copy_partitioned,
    sql_path,
)
from warehouse.schema import SCHEMA_VERSION, VIEW_DESCRIPTIONS, duckdb_type, quote
from warehouse.store import Warehouse

TMP_PREFIX = ".tmp-export-"
SCHEMA_FILE = "_schema.json"

TABLE_DESCRIPTIONS = {
    "documents": "One row per loaded page: where it came from, title, language, "
    "publication time (UTC instant, plus local text and zone), cleaned body.",
    "fact_amount": "Money amounts found in pages, with offsets (and their sentence's), "
    "qualifier, currency and "
    "USD/EUR values at the publication date (fx_date, fx_source; a null value_usd has "
    "fx_missing_reason).",
    "fact_figure": "Percentages, quantities (with SI normalisation) and counts found in pages.",
    "dim_entity": "Organisations, people, projects and funds; aliases sorted and unique.",
    "fact_mention": "Where each entity is mentioned in a page.",
    "fact_deal": "Deal events (investment, acquisition, stake sale, ...) with actor, "
    "counterpart and amount.",
    "fx_rate": "Exchange rates used: units of `currency` per euro on `rate_date`.",
    "dim_currency": "Currencies seen, with minor units and how they are converted.",
    "runs": "One row per pipeline run: page counts, timings, validation summary.",
    "quarantine": "Pages and rows set aside, with the stage, reason and failed expectation.",
    "document_sources": "Every path or URI that carried a document: the page that made it "
    "(first) and its copies (same_bytes, or same_body: the same article in another format).",
    "landing_files": "The landing folder's files as last read (size, mtime, hash, pages): "
    "an unchanged file is not read again.",
}


def partitioned(name: str) -> bool:
    """Tables carrying publication year and month are partitioned by them."""
    return all(c in SCHEMAS[name].names for c in PARTITION_COLS)


def _copy_table(con: duckdb.DuckDBPyConnection, name: str, dest: Path,
                partitions: list[tuple[int, int]] | None = None) -> int:
    """Write one table under `dest` (a folder); returns its row count.

    With `partitions`, a partitioned table writes only those (pub_year, pub_month)
    partitions (and no empty placeholder file).
    """
    schema = SCHEMAS[name]
    order = ", ".join(quote(k) for k in KEYS[name])
    if not partitioned(name):
        dest.mkdir(parents=True)
        select = ", ".join(quote(c) for c in schema.names)
        rows = con.execute(
            f"COPY (SELECT {select} FROM {quote(name)} ORDER BY {order}) "
            f"TO {sql_path(dest / 'data.parquet')} ({PARQUET_OPTS})"
        ).fetchall()
        return int(rows[0][0])
    select = ", ".join(
        f"coalesce({quote(c)}, {UNKNOWN_PARTITION}) AS {quote(c)}"
        if c in PARTITION_COLS
        else quote(c)
        for c in schema.names
    )
    return copy_partitioned(con, select, quote(name), order, dest, partitions)


def _fsync(path: Path) -> None:
    """Flush a file before renaming it: after a crash the name must not point at zeros."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(src: Path, dst: Path) -> None:
    """Move every file of `src` into `dst` atomically, then drop files `src` did not have."""
    new = sorted(p.relative_to(src) for p in src.rglob("*") if p.is_file())
    for rel in new:
        s, d = src / rel, dst / rel
        if d.is_file() and filecmp.cmp(s, d, shallow=False):
            continue  # same bytes: keep the old file and its mtime
        d.parent.mkdir(parents=True, exist_ok=True)
        _fsync(s)
        os.replace(s, d)
    keep = set(new)
    if dst.is_dir():
        for p in sorted(dst.rglob("*.parquet")):
            if p.relative_to(dst) not in keep:
                p.unlink()
        for d in sorted((p for p in dst.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(d.iterdir()):
                d.rmdir()


def _partition_dir(year: int, month: int) -> Path:
    return Path(f"{PARTITION_COLS[0]}={int(year)}", f"{PARTITION_COLS[1]}={int(month)}")


def _publish_partitions(src: Path, dst: Path, partitions: list[tuple[int, int]]) -> None:
    """`_publish` for each touched partition folder only; the others are not looked at."""
    for year, month in partitions:
        rel = _partition_dir(year, month)
        if (src / rel).is_dir():
            _publish(src / rel, dst / rel)
        elif (dst / rel).is_dir():
            for p in (dst / rel).glob("*.parquet"):
                p.unlink()
            for d in (dst / rel, (dst / rel).parent):
                if d.is_dir() and not any(d.iterdir()):
                    d.rmdir()


def partitions_in(tables: dict) -> set[tuple[int, int]]:
    """(pub_year, pub_month) of every row of the partitioned tables in `tables` (0 for null)."""
    out: set[tuple[int, int]] = set()
    for name, table in tables.items():
        if name in SCHEMAS and partitioned(name) and table.num_rows:
            years = table.column(PARTITION_COLS[0]).to_pylist()
            months = table.column(PARTITION_COLS[1]).to_pylist()
            out |= {(y or UNKNOWN_PARTITION, m or UNKNOWN_PARTITION)
                    for y, m in zip(years, months, strict=True)}
    return out


# Partitions loaded but not exported yet. Marked before each batch's load and cleared
# after the export that covers them, so a run killed in between leaves them for the next
# run's export, which rewrites only these (and its own) partitions.
PENDING = "export_pending"


def mark_pending(con: duckdb.DuckDBPyConnection, partitions: Iterable[tuple[int, int]]) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {PENDING} (pub_year INTEGER, pub_month INTEGER, "
                "PRIMARY KEY (pub_year, pub_month))")
    rows = sorted({(int(y), int(m)) for y, m in partitions})
    if rows:
        con.executemany(f"INSERT OR IGNORE INTO {PENDING} VALUES (?, ?)", rows)


def pending(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]] | None:
    """Partitions waiting for export; None when nothing was ever marked (export all)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = ?", [PENDING]).fetchall()[0][0]
    if not exists:
        return None
    return [(int(y), int(m)) for y, m in
            con.execute(f"SELECT pub_year, pub_month FROM {PENDING} ORDER BY 1, 2").fetchall()]


def clear_pending(con: duckdb.DuckDBPyConnection, partitions: Iterable[tuple[int, int]]) -> None:
    rows = sorted({(int(y), int(m)) for y, m in partitions})
    if rows:
        con.executemany(f"DELETE FROM {PENDING} WHERE pub_year = ? AND pub_month = ?", rows)


def _remove_stale_tmp(exports_dir: Path) -> None:
    """Remove temp folders left by an exporter that died (its pid is gone)."""
    for p in exports_dir.glob(TMP_PREFIX + "*"):
        try:
            pid = int(p.name[len(TMP_PREFIX) :].split("-")[0])
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        except PermissionError:
            pass  # alive, owned by someone else


def schema_document() -> dict:
    """The `_schema.json` content: tables, columns, keys and layout, from the Arrow schemas."""
    tables = {}
    for name, schema in SCHEMAS.items():
        part = partitioned(name)
        columns = []
        for f in schema:
            col = {
                "name": f.name,
                "arrow_type": str(f.type),
                "duckdb_type": duckdb_type(f.type),
                "nullable": f.nullable,
                "in_file": not (part and f.name in PARTITION_COLS),
            }
            if f.metadata and b"description" in f.metadata:
                col["description"] = f.metadata[b"description"].decode("utf-8")
            columns.append(col)
        tables[name] = {
            "description": TABLE_DESCRIPTIONS.get(name, ""),
            "glob": f"{name}/**/*.parquet" if part else f"{name}/data.parquet",
            "primary_key": list(KEYS[name]),
            "sorted_by": list(KEYS[name]),
            "partitioned_by": list(PARTITION_COLS) if part else [],
            "columns": columns,
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "format": "parquet (zstd)",
        "notes": [
            "Partitioned tables: read with hive partitioning, e.g. DuckDB "
            "read_parquet('fact_amount/**/*.parquet', hive_partitioning=true), "
            "pandas.read_parquet('fact_amount'), polars.read_parquet("
            "'fact_amount/**/*.parquet', hive_partitioning=True). pub_year and pub_month "
            "come from the folder names (in_file false), not from the files.",
            f"pub_year={UNKNOWN_PARTITION}/pub_month={UNKNOWN_PARTITION} holds rows without "
            "a publication date (null in the warehouse), and one empty file when a table is "
            "empty so that globs always match.",
            "Timestamps are UTC instants (timestamp with time zone). Money columns ending "
            "in _usd/_eur are converted at the publication date.",
            "Files are replaced atomically (rename), so every file a reader opens is "
            "complete. During an export a reader may see old and new partitions side by "
            "side, and a reader that opens one file twice (pyarrow datasets read the footer "
            "and the data separately) may pair two versions and fail: retry such a read.",
        ],
        "tables": tables,
        "marts": marts_document(),
        "views": {
            name: {
                "description": desc,
                "where": "the DuckDB warehouse, newsfacts' query fallback over these files, "
                "and as Parquet files for the marts (see `marts`)",
            }
            for name, desc in VIEW_DESCRIPTIONS.items()
        },
    }


def _read_json(path: Path) -> dict:
    """A previous `_schema.json`, or {} when there is none or it cannot be read."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _write_json(path: Path, doc: dict) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}.json")
    tmp.write_text(text, encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, path)


def export_all(
    source: Warehouse | duckdb.DuckDBPyConnection,
    exports_dir: str | Path,
    *,
    only: Iterable[str] | None = None,
    partitions: Iterable[tuple[int, int]] | None = None,
) -> dict[str, int]:
    """Export every table (or the `only` ones) to Parquet; returns rows per table.

    A full export (no `only`) also writes the marts (`warehouse.marts`: v_amounts,
    v_deals, v_entity_totals) from the same snapshot, with their row counts, limited
    to `partitions` like the tables.

    `partitions` limits the partitioned tables to those (pub_year, pub_month) folders
    (a run rewrites only what it touched; their counts are then of those partitions);
    a table never exported before, or whose `_schema.json` entry changed since (a
    migrated column, a rewritten view), is exported whole.

    `only` refreshes a few tables cheaply (the flow re-exports `runs` after recording
    the run that the full export belongs to); other tables' files are left as they are.
    Must not be called inside an open transaction on `source` (it opens its own, to read
    all tables from one snapshot). Sets DuckDB to one thread while it copies, restoring
    the previous setting afterwards.
    """
    names = list(SCHEMAS) if only is None else [n for n in SCHEMAS if n in set(only)]
    unknown = sorted(set(only or ()) - set(SCHEMAS))
    if unknown:
        raise ValueError(f"unknown tables {unknown}; known: {sorted(SCHEMAS)}")
    con = source.con if isinstance(source, Warehouse) else source
    parts = None if partitions is None else sorted({(int(y), int(m)) for y, m in partitions})
    exports_dir = Path(exports_dir)
    exports_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_tmp(exports_dir)
    tmp = exports_dir / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    # A table or mart whose layout changed since the last export (a column added by a
    # migration, a view rewritten) is exported whole: partitions of two layouts side by
    # side would not read as one dataset. `_schema.json` records the layout exported.
    doc = schema_document()
    before = _read_json(exports_dir / SCHEMA_FILE)
    same = ({n for n in names if before.get("tables", {}).get(n) == doc["tables"][n]}
            | {n for n in MART_KEYS if before.get("marts", {}).get(n) == doc["marts"][n]})
    parts_of = {n: parts if n in same else None for n in [*names, *MART_KEYS]}
    if only is not None:  # the files of the other tables keep the layout they had
        for section in ("tables", "marts"):
            for n, entry in before.get(section, {}).items():
                if n in doc[section] and n not in names:
                    doc[section][n] = entry
    counts: dict[str, int] = {}
    try:
        con.execute("SET threads = 1")
        con.begin()
        try:
            for name in names:
                counts[name] = _copy_table(con, name, tmp / name,
                                           parts if _partial(name, exports_dir, parts_of[name]) else None)
            marts = list(MART_KEYS) if only is None else []  # views over the tables above
            for name in marts:
                counts[name] = copy_mart(con, name, tmp / name,
                                         parts if _partial_mart(name, exports_dir, parts_of[name]) else None)
        finally:
            con.rollback()  # nothing was written to the database
        for name in names:
            if _partial(name, exports_dir, parts_of[name]):
                _publish_partitions(tmp / name, exports_dir / name, parts)
            else:
                _publish(tmp / name, exports_dir / name)
        for name in marts:
            if _partial_mart(name, exports_dir, parts_of[name]):
                _publish_partitions(tmp / name, exports_dir / name, parts)
            else:
                _publish(tmp / name, exports_dir / name)
        _write_json(exports_dir / SCHEMA_FILE, doc)
    finally:
        con.execute(f"SET threads = {int(threads)}")
        shutil.rmtree(tmp, ignore_errors=True)
    return counts


def _partial(name: str, exports_dir: Path, parts: list[tuple[int, int]] | None) -> bool:
    """Export only `parts` of this table: partitioned, and exported before."""
    return (parts is not None and partitioned(name)
            and any((exports_dir / name).rglob("*.parquet")))


def _partial_mart(name: str, exports_dir: Path, parts: list[tuple[int, int]] | None) -> bool:
    """Export only `parts` of this mart (all are partitioned): exported before."""
    return parts is not None and any((exports_dir / name).rglob("*.parquet"))
