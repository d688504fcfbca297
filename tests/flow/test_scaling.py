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
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
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


def test_copies_found_by_their_body_are_left_out_whatever_the_workers(prefect_api, clean_corpus,
                                                                       tmp_path):
    """Workers transform a batch whole; the flow, in batch order, finds the pages whose
    cleaned body a document already has and has the batch transformed again without
    them. Same tables from one process and every core, and no copy has a row.

    A copy here is a page saved with Windows line ends: other bytes, the same article."""
    corpus, _clean = clean_corpus
    mixed = tmp_path / "mixed"
    shutil.copytree(corpus, mixed)
    names = sorted(p.name for p in corpus.glob("*.txt"))
    # (page copied, the page it is listed just before): a copy in its original's batch,
    # one batches later, and one listed before its original (it is then the document
    # and the original, many batches on, the copy)
    placed = [(0, 1), (20, 40), (140, 1)]
    copies = []
    for k, before in placed:
        name = names[before][:len("g000000")] + f"_copy{k}.txt"
        (mixed / name).write_bytes((corpus / names[k]).read_bytes().replace(b"\n", b"\r\n"))
        copies.append(name)
    results = {}
    for workers in (1, 0):
        wh = tmp_path / f"w{workers}"
        with using_server(prefect_api):
            summary = run_flow(mixed, wh, batch_size=CLEAN_BATCH, workers=workers)
        assert summary["pages_duplicate"] == len(placed)
        assert summary["pages_loaded"] == CLEAN_PAGES
        results[workers] = stable_snapshot(wh)
        con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
        try:
            doc_paths = {Path(p).name for (p,) in con.execute("SELECT source_path FROM documents").fetchall()}
            copy_paths = {Path(p).name for (p,) in con.execute(
                "SELECT source_path FROM document_sources WHERE relation = 'same_body'").fetchall()}
            rows_of_copies = con.execute(
                "SELECT count(*) FROM fact_amount a JOIN documents d USING (doc_id) "
                "WHERE d.source_path IN (SELECT source_path FROM document_sources "
                "WHERE relation = 'same_body')").fetchall()[0][0]
        finally:
            con.close()
        assert copies[2] in doc_paths and names[140] not in doc_paths
        assert copy_paths == {copies[0], copies[1], names[140]}
        assert rows_of_copies == 0
    diff = snapshot_diff(results[0], results[1])
    assert not diff, diff
