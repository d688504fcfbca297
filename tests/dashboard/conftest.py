"""Dashboard tier: the Streamlit app over Parquet exports, through Streamlit's own test
API (AppTest) and through a real headless Chromium served on 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `dashboard` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.dashboard)
