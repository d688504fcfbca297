"""Flow tier: whole Prefect flow runs on recorded pages: idempotence, incremental runs,
concurrency, crash recovery, schedules on a real loopback server. The slow tier.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The session's real Prefect server and the shared clean corpus run: fixtures of
# tests/serverutil.py, made visible to every test of this tier (listed in __all__).
from tests.serverutil import clean_corpus_fixture, prefect_api_fixture

__all__ = ["clean_corpus_fixture", "prefect_api_fixture", "prefect_harness"]

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `flow` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.flow)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server for every flow test of the session (it costs seconds)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect_home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
