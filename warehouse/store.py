"""The DuckDB warehouse: one file, one writer, idempotent transactional batch loads.

Why it looks like this:
- Ids are content hashes computed upstream, so a load can simply delete the slice of
  documents it is about to write and insert them again: a re-run gives the same rows,
  a changed page replaces its old rows, and nothing needs an "update" path.
- The delete and the inserts of a batch share one transaction: an error (a bad table,
  a duplicate key, a killed process) leaves the warehouse exactly as it was.
- DuckDB lets one process write a file. A second opener gets an IO error about the
  lock; we retry with backoff up to `lock_timeout` and then raise `WarehouseBusy`
  naming the file, so a scheduled run that overlaps a long one fails clearly.
- Arrow tables are registered and inserted with `INSERT ... SELECT` by column name:
  no Python row loop, and column order in the incoming table does not matter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from transforms.contract.tables import DOC_TABLES, KEYS, MERGE_TABLES, SCHEMAS
from transforms.rows.sources import source_row
from warehouse.known import KnownPages
from warehouse.schema import DERIVED_KEY_TABLES, SchemaMismatch, check_schema, ensure_schema, quote

DB_NAME = "newsfacts.duckdb"

# Quarantine stages that reject a whole page (as opposed to one row of it): such a row
# stands for the page in `known_pages()`, and is cleared once the page loads.
PAGE_STAGES = ("ingest", "html", "clean", "extract")

# How shared (non-document) tables absorb incoming rows (MERGE_TABLES: the contract).
IGNORE_TABLES = ("quarantine",)  # first write wins: a re-run leaves the row identical
# Every other shared table (fx_rate, dim_currency, runs) is insert-or-replace by key.


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file lock for longer than `lock_timeout`."""

    def __init__(self, path: Path, waited: float, cause: str) -> None:
        super().__init__(
            f"warehouse {path} is locked by another process (waited {waited:.1f}s); "
            f"DuckDB allows one writer: wait for the other run, or read the Parquet "
            f"exports instead. DuckDB said: {cause}"
        )
        self.path = path
        self.waited = waited


@dataclass
class LoadResult:
    """What one `load_batch` changed, for the run record and the logs."""

    docs_replaced: int = 0
    deleted: dict[str, int] = field(default_factory=dict)
    inserted: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    quarantine_cleared: int = 0


def _castable(src: pa.DataType, dst: pa.DataType) -> bool:
    """Casts we accept silently: lossless in kind, checked for overflow by Arrow.

    Anything else (a string where a number belongs, a naive timestamp for an instant)
    is an upstream bug that must stop the batch, not be coerced.
    """
    if pa.types.is_null(src):
        return True
    if pa.types.is_integer(dst):
        return pa.types.is_integer(src)
    if pa.types.is_floating(dst):
        return pa.types.is_integer(src) or pa.types.is_floating(src)
    if pa.types.is_timestamp(dst):
        return pa.types.is_timestamp(src) and bool(src.tz) == bool(dst.tz)
    if pa.types.is_date(dst):
        return pa.types.is_date(src)
    if pa.types.is_string(dst) or pa.types.is_large_string(dst):
        return pa.types.is_string(src) or pa.types.is_large_string(src)
    if pa.types.is_list(dst):
        return (pa.types.is_list(src) or pa.types.is_large_list(src)) and _castable(
            src.value_type, dst.value_type
        )
    return False


def conform(name: str, table: pa.Table) -> pa.Table:
    """Return `table` with exactly the columns of `SCHEMAS[name]`, in order and type.

    Missing non-key columns become nulls (upstream may not produce a new column yet);
    unknown columns and wrong types raise `SchemaMismatch` before anything is written.
    """
    schema = SCHEMAS[name]
    names = table.column_names
    if len(set(names)) != len(names):
        raise SchemaMismatch(f"{name}: duplicate column names {sorted(names)}")
    extra = sorted(set(names) - set(schema.names))
    if extra:
        raise SchemaMismatch(f"{name}: unknown columns {extra}")
    required = set(KEYS[name]) | ({"doc_id"} if name in DOC_TABLES else set())
    missing = sorted(required - set(names))
    if missing:
        raise SchemaMismatch(f"{name}: missing key columns {missing}")
    arrays = []
    for f in schema:
        if f.name not in names:
            arrays.append(pa.nulls(table.num_rows, f.type))
            continue
        col = table.column(f.name)
        if col.type.equals(f.type):
            arrays.append(col)
            continue
        if not _castable(col.type, f.type):
            raise SchemaMismatch(f"{name}.{f.name}: expected {f.type}, got {col.type}")
        try:
            arrays.append(col.cast(f.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise SchemaMismatch(f"{name}.{f.name}: cannot cast {col.type} to {f.type}: {e}") from e
    return pa.Table.from_arrays(arrays, schema=schema)


def _cols(name: str) -> str:
    return ", ".join(quote(c) for c in SCHEMAS[name].names)


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    """Run a statement and return its row count (DuckDB returns it as the only row)."""
    rows = con.execute(sql, params or []).fetchall()
    return int(rows[0][0]) if rows else 0


class Warehouse:
    """The DuckDB warehouse at `<directory>/newsfacts.duckdb`; use as a context manager.

    Hold it only for the load (and export) of a run: while it is open, no other process
    can read or write the file.
    """

    def __init__(
        self, directory: str | Path, *, read_only: bool = False, lock_timeout: float = 30.0
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.con = self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.read_only and not self.path.exists():
            raise FileNotFoundError(f"no warehouse at {self.path}")
        if not self.read_only:
            self.directory.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                break
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise
                waited = time.monotonic() - start
                if waited >= self.lock_timeout:
                    raise WarehouseBusy(self.path, waited, str(e)) from e
                time.sleep(min(delay, self.lock_timeout - waited))
                delay = min(delay * 2, 1.0)
        # Instants come back as UTC whatever the machine's zone, so Arrow round-trips.
        con.execute("SET TimeZone = 'UTC'")
        return con

    # -- life cycle -------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection, releasing the file lock."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"warehouse {self.path} was opened read_only")

    # -- schema and reads --------------------------------------------------------------
    def ensure_schema(self) -> bool:
        """Create or migrate the schema; False when it was already current."""
        if self.read_only:
            check_schema(self.con)
            return False
        return ensure_schema(self.con)

    def known_pages(self) -> KnownPages:
        """What is already handled: `source_path -> raw_sha256` of every page (a Mapping)
        plus the file manifest and the duplicate lookups (warehouse/known.py).

        Loaded documents, their copies, and pages rejected whole (page-level quarantine),
        so the flow skips an unchanged bad file instead of re-processing it every run.
        """
        return KnownPages(self.con, PAGE_STAGES)

    def record_sources(self, run_id: str, copies: pa.Table | None, files: pa.Table | None) -> None:
        """Record this run's document sources and the files it read, in one transaction.

        Each document loaded by the run (or left without one by a killed run) is its own
        first source; `copies` are the pages
        found to duplicate one (same bytes or same body); `files` the manifest rows of
        the files read. Written after the documents, so a run killed earlier leaves no
        manifest row claiming a file whose pages are not loaded.
        """
        self._writable()
        # This run's documents, and any whose source row a killed run never wrote.
        first = self.con.execute(
            "SELECT doc_id, source_path, url, raw_sha256, body_key, source_kind FROM documents d "
            "WHERE run_id = ? OR NOT EXISTS (SELECT 1 FROM document_sources s "
            "WHERE s.source_path = d.source_path AND s.doc_id = d.doc_id)", [run_id]).fetchall()
        rows = [source_row(run_id, doc_id, path, url, kind, sha, key, "first")
                for doc_id, path, url, sha, key, kind in first]
        if not rows and (copies is None or not copies.num_rows) and (files is None or not files.num_rows):
            return
        tables: dict[str, pa.Table] = {
            "document_sources": pa.Table.from_pylist(rows, schema=SCHEMAS["document_sources"])}
        if copies is not None and copies.num_rows:
            tables["document_sources"] = pa.concat_tables(
                [tables["document_sources"], conform("document_sources", copies)])
        if files is not None and files.num_rows:
            tables["landing_files"] = files
        # A path that now carries a copy no longer carries the document it had before.
        copy_paths = copies.column("source_path").to_pylist() if copies is not None else []
        self.load_batch(tables, replace_source_paths=copy_paths)

    def partitions_of(self, paths: Sequence[str]) -> set[tuple[int, int]]:
        """(pub_year, pub_month) of the loaded documents of `paths` (0 for no date)."""
        if not paths:
            return set()
        rows = self.con.execute(
            "SELECT DISTINCT coalesce(pub_year, 0), coalesce(pub_month, 0) FROM documents "
            "WHERE source_path IN (SELECT unnest(?::VARCHAR[]))", [list(paths)]).fetchall()
        return {(int(y), int(m)) for y, m in rows}

    def read_table(self, name: str) -> pa.Table:
        """A whole table ordered by its key (tests, small tables, GX checks)."""
        if name not in SCHEMAS:
            raise KeyError(name)
        order = ", ".join(quote(k) for k in KEYS[name])
        return self.con.sql(
            f"SELECT {_cols(name)} FROM {quote(name)} ORDER BY {order}"
        ).to_arrow_table()

    # -- writes ------------------------------------------------------------------------
    def load_batch(
        self, tables: Mapping[str, pa.Table], *, replace_source_paths: Iterable[str] = ()
    ) -> LoadResult:
        """Write one batch in one transaction; re-running the same batch is a no-op.

        The slice replaced is every document whose `source_path` is in
        `replace_source_paths` (changed or deleted pages) or whose `doc_id` appears in
        any incoming document table: all its rows in `DOC_TABLES` are deleted, then the
        incoming rows inserted, so a batch carries the complete new state of each
        document it names. Shared tables are upserted (see MERGE_TABLES/IGNORE_TABLES).
        Page-level quarantine rows of pages that now load are cleared.
        """
        self._writable()
        unknown = sorted(set(tables) - set(SCHEMAS))
        if unknown:
            raise ValueError(f"unknown tables {unknown}; known: {sorted(SCHEMAS)}")
        if isinstance(replace_source_paths, str):
            raise TypeError("replace_source_paths must be a list of paths, not a string")
        paths = [str(p) for p in replace_source_paths]
        incoming = {n: conform(n, t) for n, t in tables.items()}

        con = self.con
        result = LoadResult()
        views = {n: f"_in_{n}" for n in incoming}
        con.begin()
        try:
            for n, t in incoming.items():
                con.register(views[n], t)
            con.execute("CREATE OR REPLACE TEMP TABLE _slice (doc_id VARCHAR)")
            con.execute(
                "INSERT INTO _slice SELECT doc_id FROM documents "
                "WHERE source_path IN (SELECT unnest(?::VARCHAR[]))",
                [paths],
            )
            for n in DOC_TABLES:
                if n in incoming:
                    con.execute(f"INSERT INTO _slice SELECT DISTINCT doc_id FROM {views[n]}")
            result.docs_replaced = _count(
                con, "SELECT count(*) FROM documents WHERE doc_id IN (SELECT doc_id FROM _slice)"
            )
            if "documents" in incoming:
                result.quarantine_cleared = _count(
                    con,
                    "DELETE FROM quarantine WHERE stage IN (SELECT unnest(?::VARCHAR[])) "
                    f"AND source_path IN (SELECT source_path FROM {views['documents']})",
                    [list(PAGE_STAGES)],
                )
            for n in DOC_TABLES:
                self._replace_slice(n, views.get(n), result)
            for n in incoming:
                if n not in DOC_TABLES:
                    result.inserted[n] = self._upsert_shared(n, views[n])
            con.execute("DROP TABLE _slice")
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            for v in views.values():
                con.unregister(v)
        return result

    def _replace_slice(self, name: str, view: str | None, result: LoadResult) -> None:
        """Make the slice's rows of one document table equal to the incoming rows.

        Logically "delete the slice, insert the batch". Rows already present with
        identical content are left alone: deleting and re-inserting a key costs DuckDB
        about 40 µs per row at commit (primary-key index upkeep), which made re-running a
        100k-row batch ten times slower than loading it the first time.
        """
        con = self.con
        tbl = quote(name)
        in_slice = "doc_id IN (SELECT doc_id FROM _slice)"
        if view is None:
            result.deleted[name] = _count(con, f"DELETE FROM {tbl} WHERE {in_slice}")
            return
        cols = _cols(name)
        keys = [quote(k) for k in KEYS[name]]
        if name in DERIVED_KEY_TABLES:  # no primary key in DuckDB: the batch is checked here
            dups = con.execute(f"SELECT {', '.join(keys)} FROM {view} GROUP BY ALL "
                               "HAVING count(*) > 1 LIMIT 1").fetchall()
            if dups:
                dup = dups[0]
                raise duckdb.ConstraintException(
                    f"Duplicate key {dict(zip(KEYS[name], dup, strict=True))} in the batch's "
                    f"{name} rows: a key is the content hash of one row")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _same AS SELECT {', '.join(keys)} FROM ("
            f"SELECT {cols} FROM {tbl} WHERE {in_slice} INTERSECT SELECT {cols} FROM {view})"
        )
        match = " AND ".join(f"s.{k} = t.{k}" for k in keys)
        result.unchanged[name] = _count(con, "SELECT count(*) FROM _same")
        result.deleted[name] = _count(
            con,
            f"DELETE FROM {tbl} AS t WHERE {in_slice} "
            f"AND NOT EXISTS (SELECT 1 FROM _same AS s WHERE {match})",
        )
        # Anti join rather than NOT IN: a null key must reach the insert and fail there.
        result.inserted[name] = _count(
            con,
            f"INSERT INTO {tbl} ({cols}) SELECT {', '.join('t.' + quote(c) for c in SCHEMAS[name].names)} "
            f"FROM {view} AS t ANTI JOIN _same AS s ON {match}",
        )
        con.execute("DROP TABLE _same")

    def _upsert_shared(self, name: str, view: str) -> int:
        """Upsert a shared table from a registered view; returns the rows written."""
        con = self.con
        schema = SCHEMAS[name]
        keys = KEYS[name]
        key_sql = ", ".join(quote(k) for k in keys)
        cols = _cols(name)
        others = [f.name for f in schema if f.name not in keys]
        if name in MERGE_TABLES:
            # Many pages name the same entity: collapse them first, deterministically.
            aggs = []
            sets = []
            for f in schema:
                c = quote(f.name)
                if f.name in keys:
                    aggs.append(c)
                elif pa.types.is_list(f.type):
                    aggs.append(
                        f"CASE WHEN count({c}) = 0 THEN NULL "
                        f"ELSE list_sort(list_distinct(flatten(list({c})))) END AS {c}"
                    )
                    sets.append(
                        f"{c} = CASE WHEN {quote(name)}.{c} IS NULL AND excluded.{c} IS NULL "
                        f"THEN NULL ELSE list_sort(list_distinct(list_concat("
                        f"coalesce({quote(name)}.{c}, []), coalesce(excluded.{c}, [])))) END"
                    )
                else:
                    aggs.append(f"min({c}) AS {c}")
                    sets.append(f"{c} = coalesce({quote(name)}.{c}, excluded.{c})")
            return _count(
                con,
                f"INSERT INTO {quote(name)} ({cols}) SELECT {', '.join(aggs)} FROM {view} "
                f"GROUP BY {key_sql} ON CONFLICT ({key_sql}) DO UPDATE SET {', '.join(sets)}",
            )
        if name in IGNORE_TABLES:
            order = ", ".join(quote(c) for c in [*keys, *others])
            return _count(
                con,
                f"INSERT OR IGNORE INTO {quote(name)} ({cols}) "
                f"SELECT DISTINCT ON ({key_sql}) {cols} FROM {view} ORDER BY {order}",
            )
        # Replace by key. Identical duplicates are fine (many pages, one rate); two
        # different rows for one key in a batch are an upstream bug we refuse to pick from.
        clash = con.execute(
            f"SELECT {key_sql} FROM (SELECT DISTINCT {cols} FROM {view}) "
            f"GROUP BY {key_sql} HAVING count(*) > 1 ORDER BY {key_sql} LIMIT 5"
        ).fetchall()
        if clash:
            raise ValueError(f"{name}: conflicting rows for keys {clash} in one batch")
        return _count(
            con, f"INSERT OR REPLACE INTO {quote(name)} ({cols}) SELECT DISTINCT {cols} FROM {view}"
        )

    def record_run(self, row: Mapping[str, Any]) -> None:
        """Insert or replace one `runs` row (a run is recorded at start and at end).

        Dicts and lists given for text columns (stage_seconds, gx_summary) are stored as
        sorted JSON so the same summary always gives the same text.
        """
        self._writable()
        unknown = sorted(set(row) - set(SCHEMAS["runs"].names))
        if unknown:
            raise ValueError(f"runs: unknown columns {unknown}")
        if not row.get("run_id"):
            raise ValueError("runs: run_id is required")
        full: dict[str, Any] = {}
        for f in SCHEMAS["runs"]:
            v = row.get(f.name)
            if pa.types.is_string(f.type) and isinstance(v, dict | list):
                v = json.dumps(v, sort_keys=True, ensure_ascii=False)
            full[f.name] = v
        self.load_batch({"runs": pa.Table.from_pylist([full], schema=SCHEMAS["runs"])})
