"""Exactly once: `newsfacts run` killed with SIGKILL anywhere, then run again, leaves the
warehouse identical to one clean run, with Parquet exports that are never half-written.

Each trial starts the real CLI against the session's Prefect server, waits for a point
inside one stage (the Prefect console log says when each task run finishes), waits a
seeded random delay and kills the process group. The stage the kill landed in is read
from the same log afterwards (every line written before the kill is in the pipe) and
printed. Then, before the re-run, every published Parquet file must be a whole file;
after the re-run (in this process, against the same server) the tables must equal the
clean run's, every export must equal its table, and no temporary file may be left.

Small batches (PAGES / BATCH transactions) make the load stage a sequence of commits, so
kills land between and inside transactions; the first trials cycle through the stages,
and extra trials (at most EXTRA) aim at any stage no kill has landed in yet. The next
trials' runs are started and killed while the current one re-runs, so both cores work.

"Identical" compares every table but `runs`, without the columns naming the run that
wrote a row (`documents.run_id`, `quarantine.run_id`, `quarantine.quarantined_at`, and the
`run_id` of `document_sources` and `landing_files`):
after a kill, the rows committed before it rightly keep the killed run's id.
"""

from __future__ import annotations

import math
import random
import shutil
import signal
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.flowutil import query, run_flow
from tests.serverutil import (
    CLEAN_BATCH,
    CLEAN_PAGES,
    Output,
    export_mismatches,
    leftovers,
    snapshot_diff,
    stable_snapshot,
    start_run,
    stop_group,
    unreadable_parquet,
    using_server,
)

pytestmark = pytest.mark.slow

# Kills aim at log events, so the page count sets how long each stage lasts, not
# whether a kill can land inside it: CLEAN_PAGES pages in CLEAN_BATCH-page batches keep
# every stage a sequence of task runs at the least cost per trial.
PAGES = CLEAN_PAGES
BATCH = CLEAN_BATCH
TRIALS = 10
AHEAD = 2  # killed runs in flight while a trial re-runs
EXTRA = 4
SEED = 20250605
TARGETS = ("ingest", "clean/extract", "validate", "load", "export")
NB = math.ceil(PAGES / BATCH)


GROUP = 3  # batches validated in one pass by the killed runs (NEWSFACTS_VALIDATE_GROUP_PAGES)


def stage_at_kill(done, events: list[str]) -> str:
    """The stages running when the process died, from the task runs it saw finish.

    Batches go ingest (all of them, in the flow), then one `transform` task run each on
    the workers (read, clean, extract, normalise); transformed batches are validated a
    group at a time in the validator process (about GROUP batches, fewer when the
    validator is idle, the last batch alone), and a group's `validate` task run in the
    flow ends when the flow takes the outcome, just before it loads the group's batches
    one by one. Several batches are in flight at once, so a kill in the transform pass
    can land in more than one stage: each stage with a batch pending in it counts ("+"
    joins them): a transformed batch not yet loaded is pending validation, and right
    after a `validate` (or a `load` with batches still pending) a group is loading.
    """
    if done["discover"] < 1:
        return "startup"
    if done["ingest"] < NB:
        return "ingest"
    if done["load"] >= NB:
        return "export" if done["export"] < 1 else "run record"
    active = []
    if done["transform"] < NB:
        active.append("clean/extract")
    pending = done["transform"] - done["load"]
    if pending > 0:
        active.append("validate")
    flow_events = [e for e in events if e in ("validate", "load")]
    if flow_events and (flow_events[-1] == "validate" or pending > 0):
        active.append("load")  # a validated batch waits for (or is in) its load
    return "+".join(active) or "clean/extract"


def kill_plan(target: str, rng: random.Random) -> tuple[str, int, float]:
    """(task, count, delay): kill `delay` s after the `count`-th `task` run finished.

    Every stage but validation runs one task per batch, so waiting for the k-th of NB
    lands the kill inside the stage, after k batches; validating a group takes the
    longest (a GX pass: about two seconds, more while the validator process still
    imports GX), so a kill just after the transform that completes a group lands in its
    validation.
    """
    k = rng.randint(1, NB - 1)
    if target == "ingest":
        return "ingest", k, rng.uniform(0.0, 0.01)
    if target == "clean/extract":
        return "transform", k, rng.uniform(0.0, 0.05)
    if target == "validate":
        return "transform", min(NB, GROUP * rng.randint(1, math.ceil(NB / GROUP))), rng.uniform(0.0, 0.1)
    if target == "load":
        return "load", k, rng.uniform(0.0, 0.06)
    return "load", NB, rng.uniform(0.0, 0.2)


@dataclass
class Kill:
    """One killed run: where it was aimed, what it had done, how long it lived."""

    trial: int
    wh: Path
    task: str
    count: int
    delay: float
    out: Output | None = None
    seconds: float = 0.0
    log: str = ""


def kill_run(api_url: str, corpus: Path, k: Kill) -> Kill:
    """Start `newsfacts run`, SIGKILL its process group at the planned point."""
    k.out = start_run(api_url, corpus, k.wh, batch_size=BATCH,
                      NEWSFACTS_VALIDATE_GROUP_PAGES=str(GROUP * BATCH))
    t0 = time.monotonic()
    try:
        if k.out.wait_for(k.task, k.count, timeout=300):
            time.sleep(k.delay)
    finally:
        stop_group(k.out.proc, grace=1, sig=signal.SIGKILL)
    k.seconds = time.monotonic() - t0
    k.log = k.out.finish()
    return k


def test_killed_runs_rerun_to_the_clean_state(prefect_api, clean_corpus, tmp_path):
    corpus, clean = clean_corpus
    expected, base = stable_snapshot(clean), tmp_path
    rng = random.Random(SEED)
    landed: dict[str, int] = dict.fromkeys(TARGETS, 0)
    report = []

    def plan(trial: int) -> Kill | None:
        missing = [t for t in TARGETS if not landed[t]]
        if trial >= TRIALS + EXTRA or (trial >= TRIALS and not missing):
            return None
        target = TARGETS[trial % len(TARGETS)] if trial < TRIALS else missing[0]
        return Kill(trial, base / f"trial{trial:02d}", *kill_plan(target, rng))

    # Later trials' runs start (and are killed) while this one re-runs in-process: the
    # killed runs spend most of their life importing, so two of them and a re-run share
    # the two cores well.
    with ThreadPoolExecutor(max_workers=AHEAD) as pool:
        pending = deque()
        planned = 0
        while planned < AHEAD and (k := plan(planned)):
            pending.append(pool.submit(kill_run, prefect_api, corpus, k))
            planned += 1
        while pending:
            k = pending.popleft().result()
            stage = stage_at_kill(k.out.done, k.out.events)
            for one in stage.split("+"):
                if one in landed:
                    landed[one] += 1
            if nxt := plan(planned):
                pending.append(pool.submit(kill_run, prefect_api, corpus, nxt))
                planned += 1
            check_rerun(prefect_api, corpus, expected, k, stage, report)
    print("\n" + "\n".join(report))
    assert all(landed.values()), f"no kill landed in some stage: {landed}"


def check_rerun(api_url: str, corpus: Path, expected: dict, k: Kill, stage: str,
                report: list[str]) -> None:
    """After the kill: whole files only. After a re-run: the clean state, nothing left over."""
    wh = k.wh
    assert k.out.done[k.task] >= k.count, f"trial {k.trial}: ended before the kill\n{k.log}"
    assert "Traceback" not in k.log, k.log
    torn = unreadable_parquet(wh / "exports") if (wh / "exports").is_dir() else []
    assert not torn, f"trial {k.trial} ({stage}): half-written exports {torn}"
    committed = (query(wh, "SELECT count(*) FROM documents")[0][0]
                 if (wh / "newsfacts.duckdb").exists() else 0)
    left = leftovers(wh) if wh.exists() else []

    # The killed runs used every core (the CLI's default: a local Dask cluster); the
    # re-run stays in this process, as a re-run always did here, to spare a cluster
    # start per trial (tests/flow/test_scaling.py shows the tables do not depend on it).
    with using_server(api_url):
        summary = run_flow(corpus, wh, batch_size=BATCH, workers=1)
    assert summary["pages_seen"] == PAGES
    assert summary["pages_new"] + summary["pages_unchanged"] == PAGES
    assert summary["pages_unchanged"] == committed, "pages committed before the kill stay"
    diff = snapshot_diff(stable_snapshot(wh), expected)
    assert not diff, f"trial {k.trial}, killed in {stage}:\n{diff}"
    assert export_mismatches(wh) == [], f"trial {k.trial}: killed in {stage}"
    assert leftovers(wh) == [], f"trial {k.trial}: killed in {stage}"
    runs = query(wh, "SELECT run_id, status FROM runs")
    killed = [r for r in runs if r[0] != summary["run_id"]]
    assert (summary["run_id"], "completed") in runs
    if stage == "run record":
        # It died after its export, around its own run row: the row is there (it
        # finished) or not (it did not), never twice.
        assert len(killed) <= 1 and all(st == "completed" for _, st in killed), runs
    else:
        assert killed == [], f"trial {k.trial}: a run killed in {stage} recorded a run"
    report.append(f"trial {k.trial:2d}: {k.delay:.2f}s after {k.task} #{k.count:<2d} -> killed "
                  f"in {stage:<13} after {k.seconds:4.1f}s, {committed:3d} pages committed, "
                  f"left {left}")
    shutil.rmtree(wh)
