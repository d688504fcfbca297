"""Parquet exports and the read path: what dashboards and analysts actually open."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfacts.testing.synthetic import make_row, make_table, source_path, synthetic_batch
from transforms.contract.tables import DOC_TABLES, KEYS, SCHEMAS
from warehouse.export import SCHEMA_FILE, TMP_PREFIX, export_all, partitioned
from warehouse.query import run_sql
from warehouse.schema import ensure_schema
from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
PART = ("pub_year", "pub_month")


def undated_batch() -> dict[str, pa.Table]:
    """One page with no publication date: its rows have null pub_year/pub_month."""
    batch = synthetic_batch(1, first_doc=500)
    out = {}
    for name, t in batch.items():
        if name in DOC_TABLES:
            for col in ("published_at", *PART):
                i = t.schema.get_field_index(col)
                t = t.set_column(i, t.schema.field(i), pa.nulls(t.num_rows, t.schema.field(i).type))
        out[name] = t
    return out


def fill(wh: Warehouse) -> None:
    wh.ensure_schema()
    wh.load_batch(synthetic_batch(40, hours_between_docs=300, n_entities=7))  # ~17 months
    wh.load_batch(undated_batch())
    wh.load_batch({"quarantine": make_table("quarantine", [make_row("quarantine", 1)])})
    wh.record_run({"run_id": "r1", "status": "ok", "started": datetime(2025, 1, 1, tzinfo=UTC)})


@pytest.fixture
def loaded(tmp_path: Path):
    with Warehouse(tmp_path / "wh") as wh:
        fill(wh)
        yield wh


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def norm(v):
    """One Python value per cell whatever the reader (pandas NaN, numpy arrays, Timestamps)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.ndarray | list):
        return [norm(x) for x in v]
    if isinstance(v, np.generic):
        return norm(v.item())
    if isinstance(v, datetime):
        return v.astimezone(UTC)
    return v


def rows_of(records: list[dict], name: str) -> list[tuple]:
    cols = SCHEMAS[name].names
    rows = [tuple(norm(r[c]) for c in cols) for r in records]
    key = [cols.index(k) for k in KEYS[name]]
    return sorted(rows, key=lambda r: tuple(str(r[i]) for i in key))


def expected_rows(wh: Warehouse, name: str) -> list[tuple]:
    """Warehouse rows as exported: unknown publication month in partition 0/0."""
    records = wh.read_table(name).to_pylist()
    if partitioned(name):
        for r in records:
            for c in PART:
                r[c] = 0 if r[c] is None else r[c]
    return rows_of(records, name)


def read_all_ways(exports: Path, name: str) -> dict[str, list[tuple]]:
    folder = exports / name
    if partitioned(name):
        glob = str(folder / "**" / "*.parquet")
        ddb = duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
        pdf = pd.read_parquet(folder)
        pldf = pl.read_parquet(glob, hive_partitioning=True)
    else:
        ddb = duckdb.sql(f"SELECT * FROM read_parquet('{folder / 'data.parquet'}')")
        pdf = pd.read_parquet(folder / "data.parquet")
        pldf = pl.read_parquet(folder / "data.parquet")
    return {
        "duckdb": rows_of(ddb.to_arrow_table().to_pylist(), name),
        "pandas": rows_of(pdf.astype(object).to_dict("records"), name),
        "polars": rows_of(pldf.to_dicts(), name),
    }


# -- readers --------------------------------------------------------------------------------
def test_duckdb_pandas_polars_read_the_same_rows(loaded: Warehouse, tmp_path: Path):
    exports = tmp_path / "exports"
    counts = export_all(loaded, exports)
    assert counts["fact_amount"] == 410 and counts["documents"] == 41
    for name in SCHEMAS:
        want = expected_rows(loaded, name)
        assert want, name
        for reader, got in read_all_ways(exports, name).items():
            assert got == want, (name, reader)
    years = {p.name for p in (exports / "fact_amount").iterdir()}
    assert {"pub_year=2025", "pub_year=2026", "pub_year=0"} <= years
    assert (exports / "fact_amount" / "pub_year=2025" / "pub_month=11").is_dir()
    assert (exports / "dim_entity" / "data.parquet").is_file()


def test_schema_json_describes_every_table_and_column(loaded: Warehouse, tmp_path: Path):
    export_all(loaded, tmp_path / "exports")
    doc = json.loads((tmp_path / "exports" / SCHEMA_FILE).read_text())
    assert list(doc["tables"]) == list(SCHEMAS)
    for name, schema in SCHEMAS.items():
        t = doc["tables"][name]
        assert [c["name"] for c in t["columns"]] == schema.names
        assert [c["arrow_type"] for c in t["columns"]] == [str(f.type) for f in schema]
        assert t["primary_key"] == list(KEYS[name])
        assert t["partitioned_by"] == (list(PART) if name in DOC_TABLES else [])
        assert t["description"]
        in_file = {c["name"] for c in t["columns"] if c["in_file"]}
        assert in_file == set(schema.names) - (set(PART) if name in DOC_TABLES else set())
    assert set(doc["views"]) == {"v_amounts", "v_deals", "v_entity_totals"}


# -- determinism and atomic replacement ---------------------------------------------------------
def test_same_data_gives_byte_identical_files(loaded: Warehouse, tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    export_all(loaded, a)
    mtimes = {p: p.stat().st_mtime_ns for p in a.rglob("*.parquet")}
    export_all(loaded, a)  # again into the same folder: unchanged files are left alone
    assert {p: p.stat().st_mtime_ns for p in a.rglob("*.parquet")} == mtimes
    # the same data loaded in another order, into another warehouse, gives the same bytes
    with Warehouse(tmp_path / "other") as other:
        other.ensure_schema()
        other.record_run(
            {"run_id": "r1", "status": "ok", "started": datetime(2025, 1, 1, tzinfo=UTC)}
        )
        other.load_batch({"quarantine": make_table("quarantine", [make_row("quarantine", 1)])})
        other.load_batch(undated_batch())
        other.load_batch(synthetic_batch(20, first_doc=20, hours_between_docs=300, n_entities=7))
        other.load_batch(synthetic_batch(20, hours_between_docs=300, n_entities=7))
        export_all(other, b)
    assert files_of(a) == files_of(b)


def test_stale_partitions_are_removed_and_no_temp_left(loaded: Warehouse, tmp_path: Path):
    exports = tmp_path / "exports"
    export_all(loaded, exports)
    nov = exports / "fact_amount" / "pub_year=2025" / "pub_month=11"
    assert nov.is_dir()
    in_nov = loaded.con.sql(
        "SELECT source_path FROM documents WHERE pub_year = 2025 AND pub_month = 11"
    ).fetchall()
    loaded.load_batch({}, replace_source_paths=[p for (p,) in in_nov])
    export_all(loaded, exports)
    assert not nov.exists() and not nov.parent.joinpath("pub_month=11").exists()
    for reader, got in read_all_ways(exports, "fact_amount").items():
        assert got == expected_rows(loaded, "fact_amount"), reader
    assert not [p for p in exports.rglob("*") if p.name.startswith(TMP_PREFIX)]


def test_failed_export_leaves_previous_files_untouched(loaded: Warehouse, tmp_path: Path):
    exports = tmp_path / "exports"
    export_all(loaded, exports)
    before = files_of(exports)
    broken = duckdb.connect()
    ensure_schema(broken)
    broken.execute("DROP VIEW v_deals")
    broken.execute("DROP TABLE fact_deal")  # fails after documents/fact_amount were copied
    with pytest.raises(duckdb.CatalogException):
        export_all(broken, exports)
    assert files_of(exports) == before
    assert not [p for p in exports.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_stale_temp_folder_of_a_dead_exporter_is_cleaned(loaded: Warehouse, tmp_path: Path):
    exports = tmp_path / "exports"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = exports / f"{TMP_PREFIX}{dead}-deadbeef" / "fact_amount"
    stale.mkdir(parents=True)
    (stale / "data_0.parquet").write_bytes(b"PAR1 half")
    stale_json = exports / f"{TMP_PREFIX}{dead}-deadbeef.json"
    stale_json.write_text("{")
    export_all(loaded, exports)
    assert not stale.parent.exists() and not stale_json.exists()


def test_readers_never_see_half_written_files(loaded: Warehouse, tmp_path: Path):
    """A reader thread reads every file while exports of changing data replace them.

    It reads through one open handle: the guarantee is that every file a reader opens is
    complete. (A reader that opens one path twice, as pyarrow datasets do for footer and
    data, can pair two complete versions; see the note in _schema.json.)
    """
    exports = tmp_path / "exports"
    export_all(loaded, exports)
    stop = threading.Event()
    errors: list[str] = []
    reads = [0]

    def reader() -> None:
        while not stop.is_set():
            for p in list((exports / "fact_amount").rglob("*.parquet")):
                try:
                    with open(p, "rb") as f:
                        pq.read_table(f)
                    reads[0] += 1
                except FileNotFoundError:
                    pass  # a partition removed between listing and opening: allowed
                except Exception as e:
                    errors.append(f"{p}: {e!r}")

    t = threading.Thread(target=reader)
    t.start()
    try:
        for version in (1, 2, 3, 4):
            loaded.load_batch(
                synthetic_batch(40, version=version, hours_between_docs=300),
                replace_source_paths=[source_path(i) for i in range(40)],
            )
            export_all(loaded, exports)
    finally:
        stop.set()
        t.join()
    assert not errors
    assert reads[0] > 0


def test_empty_warehouse_exports_readable_empty_tables(tmp_path: Path):
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        counts = export_all(wh, tmp_path / "exports")
    assert set(counts.values()) == {0}
    for name in SCHEMAS:
        files = list((tmp_path / "exports" / name).rglob("*.parquet"))
        assert len(files) == 1, name
        for reader, got in read_all_ways(tmp_path / "exports", name).items():
            assert got == [], (name, reader)
    res = run_sql(
        tmp_path / "nowhere", "SELECT count(*) FROM v_deals", exports_dir=tmp_path / "exports"
    )
    assert res.from_exports and res.rows == [(0,)]


# -- query: warehouse first, exports when it is locked or missing ---------------------------------
@contextmanager
def held_by_other_process(directory: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = f"""
        import time
        from warehouse.store import Warehouse
        with Warehouse({str(directory)!r}) as w:
            print("locked", flush=True)
            time.sleep(60)
        """
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked", proc.stderr.read()
        yield
    finally:
        proc.kill()
        proc.wait()


QUERIES = [
    "SELECT site, count(*), round(sum(value_usd), 2) FROM v_amounts GROUP BY ALL ORDER BY ALL",
    "SELECT actor, counterpart, value_usd_text FROM v_deals ORDER BY ALL",
    "SELECT name, month, committed_usd, received_usd FROM v_entity_totals ORDER BY ALL",
    "SELECT doc_id, pub_year, pub_month, published_at FROM documents ORDER BY ALL",
    "SELECT entity_id, aliases FROM dim_entity ORDER BY ALL",
]


def test_run_sql_falls_back_to_exports_when_locked_or_missing(tmp_path: Path):
    wh_dir = tmp_path / "wh"
    with Warehouse(wh_dir) as wh:
        fill(wh)
        export_all(wh, wh_dir / "exports")
    direct = [run_sql(wh_dir, q) for q in QUERIES]
    assert not any(r.from_exports for r in direct)
    assert any(r[1] is None for r in direct[3].rows)  # the undated page keeps a null year
    with held_by_other_process(wh_dir):
        fallback = [run_sql(wh_dir, q, lock_timeout=0.2) for q in QUERIES]
    assert all(r.from_exports and "locked" in r.note for r in fallback)
    for d, f in zip(direct, fallback, strict=True):
        assert (d.columns, d.rows) == (f.columns, f.rows)
    with Warehouse(wh_dir) as wh:  # the same process holds it for writing
        same_process = run_sql(wh_dir, QUERIES[0])
    assert same_process.from_exports and same_process.rows == direct[0].rows
    (wh_dir / "newsfacts.duckdb").rename(tmp_path / "moved.duckdb")
    missing = run_sql(wh_dir, QUERIES[1])
    assert missing.from_exports and "no warehouse" in missing.note
    assert missing.rows == direct[1].rows
    with pytest.raises(FileNotFoundError):
        run_sql(tmp_path / "empty", "SELECT 1")


def test_large_export_is_byte_identical_whatever_threads_and_insert_order(tmp_path: Path):
    """Big enough for DuckDB to write in parallel, which would interleave rows."""
    cols = SCHEMAS["fact_amount"].names
    fill_sql = ", ".join(
        {
            "amount_id": "md5(i::VARCHAR)[:16]",
            "doc_id": "md5((i // 10)::VARCHAR)[:16]",
            "value": "i * 1.5",
            "currency": "['USD', 'EUR', 'MAD'][1 + i % 3]",
            "published_at": "TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_minutes(i)",
            "pub_year": "2025",
            "pub_month": "1 + i % 4",
        }.get(c, "NULL")
        for c in cols
    )
    outs = []
    for k, order in enumerate(("i", "-i")):
        con = duckdb.connect()
        ensure_schema(con)
        con.execute("SET threads = 4")
        con.execute(
            f"INSERT INTO fact_amount SELECT {fill_sql} FROM range(300000) r(i) ORDER BY {order}"
        )
        export_all(con, tmp_path / f"e{k}")
        assert con.sql("SELECT current_setting('threads')").fetchall() == [(4,)]
        outs.append(files_of(tmp_path / f"e{k}" / "fact_amount"))
    assert len(outs[0]) == 4 and outs[0] == outs[1]


def test_only_refreshes_the_named_tables(loaded: Warehouse, tmp_path: Path):
    exports = tmp_path / "exports"
    export_all(loaded, exports)
    amounts = files_of(exports / "fact_amount")
    loaded.load_batch(synthetic_batch(3, version=7), replace_source_paths=[source_path(0)])
    loaded.record_run({"run_id": "r2", "status": "ok"})
    counts = export_all(loaded, exports, only=("runs",))
    assert counts == {"runs": 2}
    assert files_of(exports / "fact_amount") == amounts
    assert pl.read_parquet(exports / "runs" / "data.parquet")["run_id"].to_list() == ["r1", "r2"]
    with pytest.raises(ValueError, match="unknown tables"):
        export_all(loaded, exports, only=("run",))


def test_run_sql_result_unpacks_as_three_values(loaded: Warehouse, tmp_path: Path):
    export_all(loaded, tmp_path / "exports")
    columns, rows, from_exports = run_sql(
        tmp_path / "nowhere", "SELECT 1 AS one", exports_dir=tmp_path / "exports"
    )
    assert (columns, rows, from_exports) == (["one"], [(1,)], True)
