"""Helpers for flow tests: run the flow, snapshot every table of a warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.contract.tables import KEYS, SCHEMAS


def run_flow(input_dir: Path, warehouse_dir: Path, **kw) -> dict:
    from flows.pipeline import newsfacts_flow

    return newsfacts_flow(input_dir=str(input_dir), warehouse_dir=str(warehouse_dir), **kw)


def snapshot(warehouse_dir: Path, skip: tuple[str, ...] = ("runs",)) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by key, read-only (what 'identical tables' compares)."""
    con = duckdb.connect(str(warehouse_dir / "newsfacts.duckdb"), read_only=True)
    try:
        out = {}
        for name in SCHEMAS:
            if name in skip:
                continue
            order = ", ".join(KEYS[name])
            out[name] = con.execute(f"SELECT * FROM {name} ORDER BY {order}").fetchall()
        return out
    finally:
        con.close()


def query(warehouse_dir: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(warehouse_dir / "newsfacts.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
