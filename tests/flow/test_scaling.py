"""Same tables whatever runs the CPU stages: one process, every local core, a Dask cluster.

The flow process is the only writer and loads batches in batch order, so the number and
kind of workers must not change a single value. Each run here loads the shared clean
corpus (generated pages, CLEAN_BATCH pages a batch, so there are several batches to
spread) into a fresh warehouse and is compared, table by table and column by column
(all but the columns naming the run), with the session's clean run. The cluster is real:
a `dask scheduler` and two `dask worker` processes on 127.0.0.1, stopped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.flowutil import run_flow
from tests.serverutil import (
    CLEAN_BATCH,
    CLEAN_PAGES,
    ROOT,
    child_env,
    export_mismatches,
    free_port,
    snapshot_diff,
    stable_snapshot,
    stop_group,
    using_server,
)

pytestmark = pytest.mark.slow

DASK = Path(sys.executable).with_name("dask")


def _load(prefect_api: str, corpus: Path, wh: Path, **kw) -> dict:
    with using_server(prefect_api):
        summary = run_flow(corpus, wh, batch_size=CLEAN_BATCH, **kw)
    assert summary["pages_loaded"] == CLEAN_PAGES
    return summary


def _same_as_clean(clean: Path, wh: Path) -> None:
    diff = snapshot_diff(stable_snapshot(wh), stable_snapshot(clean))
    assert not diff, diff
    assert export_mismatches(wh) == []


def test_one_worker_and_every_core_give_the_clean_tables(prefect_api, clean_corpus, tmp_path):
    corpus, clean = clean_corpus
    for workers in (1, 0):  # 0: one worker process per core
        wh = tmp_path / f"workers{workers}"
        _load(prefect_api, corpus, wh, workers=workers)
        _same_as_clean(clean, wh)


def _wait_for_workers(address: str, n: int, timeout: float = 120.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


def test_a_two_worker_dask_cluster_gives_the_clean_tables(prefect_api, clean_corpus, tmp_path):
    corpus, clean = clean_corpus
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = child_env(prefect_api)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(1.0)
        procs += [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1",
                                    "--host", "127.0.0.1", "--no-dashboard",
                                    "--name", f"w{i}"], cwd=ROOT, env=env,
                                   start_new_session=True, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                  for i in range(2)]
        _wait_for_workers(address, 2)
        wh = tmp_path / "cluster"
        summary = _load(prefect_api, corpus, wh, dask_address=address)
        assert summary["pages_new"] == CLEAN_PAGES
        _same_as_clean(clean, wh)
    finally:
        for proc in reversed(procs):
            stop_group(proc)
    assert all(p.poll() is not None for p in procs)
