"""The run's validator process: Great Expectations imported beside the flow, not in it.

Why a process: importing GX (with pandas, scipy, SQLAlchemy and Altair behind it) takes
5 to 11 s on the 2-core machine, more than everything else a one-page run does. `newsfacts
run` calls `start()` as soon as it knows there is work (before it even imports Prefect),
so the import runs on the other core while this process imports Prefect, creates the
flow run, reads and transforms the new pages; when the first group of batches is ready
to validate, GX is usually ready too. It also keeps GX and pandas out of the Dask
workers and of the flow's own process: one copy per run, whatever the number of workers.

Without `start()` (the flow called as a library, the tests), `validate` runs in the
calling process. Both call `expectations.validate.validate_batches` on the same group,
so the rows kept and quarantined do not depend on where it ran.

The process watches its parent: when the run dies (SIGKILL included) it exits too,
instead of waiting forever for work.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from expectations.validate import GroupOutcome

_pool: ProcessPoolExecutor | None = None
_warm: Future | None = None


def start() -> None:
    """Start the validator process now and let it import GX (returns at once)."""
    global _pool, _warm
    if _pool is not None:
        return
    import multiprocessing

    _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                initializer=_init, initargs=(os.getpid(),))
    _warm = _pool.submit(_ready)


def stop() -> None:
    """End the validator process (its pending work is dropped)."""
    global _pool, _warm
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
    _pool, _warm = None, None


def running() -> bool:
    return _pool is not None


def submit(batches: list[dict[str, pa.Table]], docs_dir: str | None) -> Future:
    """Start `validate_batches` on `batches`; the future gives (outcome, seconds it took).

    In the validator process when one was started: the caller goes on (the flow takes
    the next batches from the workers and loads the previous group) while the group is
    validated on another core. Otherwise it is validated here, now.
    """
    if _pool is None:
        done: Future = Future()
        done.set_result(_timed(batches, docs_dir))
        return done
    return _pool.submit(_timed, batches, docs_dir)


def validate(batches: list[dict[str, pa.Table]], docs_dir: str | None) -> GroupOutcome:
    """`validate_batches` on `batches`, in the validator process when one was started."""
    return submit(batches, docs_dir).result()[0]


def _timed(batches: list[dict[str, pa.Table]], docs_dir: str | None) -> tuple[GroupOutcome, float]:
    from expectations.validate import validate_batches
    from transforms.money.currencies import CURRENCIES

    t0 = time.perf_counter()
    outcome = validate_batches(batches, currencies=set(CURRENCIES),
                               docs_dir=Path(docs_dir) if docs_dir else None)
    return outcome, time.perf_counter() - t0


def _init(parent: int) -> None:
    """In the validator process: watch the parent, then import GX and the suites."""

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(0)
            threading.Event().wait(0.5)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    from expectations.rules import load_gx

    load_gx()
    import expectations.validate  # noqa: F401

    # Registered last, so run first at exit: the process then ends at once instead of
    # tearing down GX, pandas and SciPy module by module (about a second the run's
    # `stop()` waited for, a tenth of a one-page run). It owns no file or buffer that
    # a normal exit would still have to write.
    atexit.register(_exit_now)


def _exit_now() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _ready() -> bool:
    return True
