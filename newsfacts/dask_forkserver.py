"""A local cluster's Dask workers are forked from one warm process, not started cold.

Why: each worker process used to start from nothing (distributed's default start method
is "spawn"): import Prefect, Dask and the transforms, then compile the lexicons of every
language on its first pages. Measured on the 2-core machine (py-spy over a 4,000-page
run with 2 workers), that was a fifth of each worker's CPU time, paid once per worker,
and each worker held its own copy of everything.

Python's "forkserver" start method, which distributed supports
(`distributed.worker.multiprocessing-method`), forks each new process from a server
process that imported a list of modules once. `start()` launches that server as soon as
`newsfacts run` knows a cluster will be needed, with `newsfacts.dask_warm` as its
preload: the server imports the worker's modules and runs `transforms.rows.warm`
while this process is still importing Prefect and reading the landing folder, and
every worker forked from it starts ready, sharing those pages of memory copy-on-write
until it writes them.

The server is a child of the run's process and exits when the run does (it watches its
parent through a pipe, SIGKILL included); a worker watches the server
(`newsfacts/dask_worker.py`), so no worker outlives a killed run. Its environment is the
one it started with: `start()` sets what the workers must see (Dask's log level) first.
"""

from __future__ import annotations

import multiprocessing
import os

PRELOAD = ["newsfacts.dask_warm"]
# A Dask worker samples its own stack every 10 ms and keeps an hour of those profiles
# (for the Dask dashboard, which a run does not serve): measured, each worker grew by
# about 1 MB a second of work, 190 MB more at 100,000 pages than at 10,000, and the
# sampling thread took CPU from the stages. Local workers run without it.
PROFILE_ENV = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"
PROFILE_KEY = "distributed.worker.profile.enabled"
METHOD = "forkserver"
_started = False


def start() -> None:
    """Launch the warm server now (returns at once; idempotent within a process)."""
    global _started
    if _started:
        return
    from multiprocessing import forkserver

    # what the workers forked from the server must find in their environment
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    os.environ.setdefault(PROFILE_ENV, "False")
    multiprocessing.get_context(METHOD).set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    _started = True


def use_for_local_cluster() -> None:
    """Make distributed start local workers from the server (started here if need be).

    distributed sets its own preload list the first time it asks for a forkserver
    context, importing numpy and pandas into this process to do so; the server is
    already running with ours by then, so that list could no longer take effect:
    distributed is told it is set (`distributed.utils._forkserver_preload_set`).
    """
    import dask
    import distributed.utils

    start()
    dask.config.set({"distributed.worker.multiprocessing-method": METHOD, PROFILE_KEY: False})
    distributed.utils._forkserver_preload_set = True
