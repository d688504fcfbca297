"""Unit tier: pure functions of transforms/ and the import layout, on plain data; no
DuckDB file, no Prefect. Seconds in all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `unit` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.unit)
