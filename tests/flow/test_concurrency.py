"""One writer: runs started at once on one warehouse load it exactly once, cleanly.

Two `newsfacts run` processes start together (lock_timeout 120 s): one takes DuckDB's
writer lock and loads; the other waits (retrying with backoff) and then finds every
page unchanged. A third one, started while the lock is held and told to wait only
1 s, must exit 3 with the "warehouse busy" message: no traceback, no Prefect error.
Afterwards the tables equal one clean run's (the shared corpus, same batch size), and
the exports equal the tables.
"""

from __future__ import annotations

import pytest

from tests.flowutil import query
from tests.serverutil import (
    CLEAN_BATCH,
    CLEAN_PAGES,
    export_mismatches,
    leftovers,
    snapshot_diff,
    stable_snapshot,
    start_run,
    stop_group,
)

pytestmark = pytest.mark.slow

PAGES = CLEAN_PAGES  # the first run holds the lock for seconds after the third one starts


def test_two_runs_at_once_load_once_and_a_third_exits_busy(prefect_api, clean_corpus, tmp_path):
    corpus, clean = clean_corpus
    wh = tmp_path / "shared_wh"
    runs = [start_run(prefect_api, corpus, wh, batch_size=CLEAN_BATCH,
                      NEWSFACTS_LOCK_TIMEOUT="120") for _ in range(2)]
    busy = None
    try:
        # Ingest runs inside the warehouse's `with`: whoever logs it holds the lock.
        holder = None
        while holder is None:
            for r in runs:
                if r.wait_for("ingest", 1, timeout=0.2):
                    holder = r
                    break
            assert not all(r.proc.poll() is not None for r in runs), "both runs ended early"
        busy = start_run(prefect_api, corpus, wh, batch_size=CLEAN_BATCH, log_level="WARNING",
                         NEWSFACTS_LOCK_TIMEOUT="1")
        logs = [r.finish(timeout=300) for r in runs]
        busy_log = busy.finish(timeout=120)
    finally:
        for r in [*runs, busy]:
            if r is not None:
                stop_group(r.proc, grace=1)

    assert [r.proc.returncode for r in runs] == [0, 0], "\n".join(logs)
    assert busy.proc.returncode == 3, busy_log
    assert "warehouse busy" in busy_log and "is locked by another process" in busy_log
    for log in [*logs, busy_log]:
        assert "Traceback" not in log and "ERROR" not in log, log

    counts = sorted(query(wh, "SELECT pages_new, pages_unchanged, pages_seen FROM runs"))
    assert counts == [(0, PAGES, PAGES), (PAGES, 0, PAGES)], "one loaded, the other waited"

    assert snapshot_diff(stable_snapshot(wh), stable_snapshot(clean)) == ""
    assert export_mismatches(wh) == []
    assert leftovers(wh) == []
