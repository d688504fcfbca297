"""Helpers for the dashboard tests: the sample's exports (one flow run per session) and
SQL over the Parquet files written independently of the dashboard's own data layer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from tests.conftest import SAMPLE_DIR

APP = Path(__file__).resolve().parents[2] / "newsfacts" / "dashboard" / "app.py"
# Two bad inputs beside the sample pages, so that quarantine has reasons to show.
BAD_INPUTS = {"empty_page.txt": b"", "binary_page.txt": b"\x00\x01\x02" * 50}

_cache: dict[str, Path] = {}


def sample_exports(tmp_root: Path) -> Path:
    """Run the flow once on data/sample (+ two bad files); returns its exports folder."""
    if "sample" in _cache:
        return _cache["sample"]
    from tests.flowutil import run_flow

    landing = tmp_root / "landing"
    landing.mkdir(parents=True)
    for p in SAMPLE_DIR.glob("*"):
        if p.suffix in (".txt", ".json") and not p.name.endswith(".gold.json"):
            shutil.copy2(p, landing / p.name)
    for name, data in BAD_INPUTS.items():
        (landing / name).write_bytes(data)
        os.utime(landing / name, (1_700_000_000, 1_700_000_000))  # settled long ago
    warehouse = tmp_root / "warehouse"
    run_flow(landing, warehouse)
    _cache["sample"] = warehouse / "exports"
    return _cache["sample"]


def exports_sql(exports: Path, query: str, params: list | None = None) -> list[tuple]:
    """Run `query` on views named after the export folders (marts and tables)."""
    con = duckdb.connect()
    try:
        for folder in sorted(p for p in exports.iterdir() if p.is_dir()):
            files = list(folder.rglob("*.parquet"))
            if not files:
                continue
            if (folder / "data.parquet").is_file():
                src = f"read_parquet('{folder / 'data.parquet'}')"
            else:
                src = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
            con.execute(f"CREATE VIEW {folder.name} AS SELECT * FROM {src}")
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def one(exports: Path, query: str, params: list | None = None):
    return exports_sql(exports, query, params)[0][0]
