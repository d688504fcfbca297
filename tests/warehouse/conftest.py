"""Warehouse tier: DuckDB loads, Parquet exports, views and the Great Expectations
suites, on synthetic tables (newsfacts/testing/synthetic.py) and real DuckDB files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `warehouse` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.warehouse)
