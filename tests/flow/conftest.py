"""Flow tier: whole Prefect flow runs on recorded pages: idempotence, incremental runs,
concurrency, crash recovery, schedules on a real loopback server. The slow tier.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The session's real Prefect server and the shared clean corpus run: fixtures of
# tests/serverutil.py, made visible to every test of this tier (listed in __all__).
from tests.serverutil import clean_corpus_fixture, prefect_api_fixture

__all__ = ["clean_corpus_fixture", "prefect_api_fixture"]

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `flow` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.flow)
