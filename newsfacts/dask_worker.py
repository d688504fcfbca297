"""Preload of a local cluster's Dask workers: they end with the run that started them.

A local cluster's worker processes are children of the `newsfacts run` process, which
also holds the scheduler. When that process is killed (SIGKILL, OOM), the workers are
orphaned: their next heartbeat finds the scheduler gone and distributed logs it as an
ERROR with a traceback, then they linger until their own timeouts. Crash safety does
not depend on them (the flow process is the one writer), so a killed run should leave
neither processes nor tracebacks behind. This preload (named in `resources.task_runner`,
local clusters only; a remote cluster's workers outlive any one run, as they should):

* watches the parent process and exits at once when it is gone;
* drops the one heartbeat error distributed logs when the scheduler died *with* the
  parent, so it is not mistaken for a failure of the run. The same error while the
  parent lives (a real scheduler problem) is still logged.
"""

from __future__ import annotations

import logging
import os
import threading
import time

_WATCH_SECONDS = 0.1
_HEARTBEAT_FAILED = "Failed to communicate with scheduler"


def _parent_gone(parent: int) -> bool:
    return os.getppid() != parent


class _OrphanHeartbeat(logging.Filter):
    """Drops the heartbeat failure that follows the death of the run's process."""

    def __init__(self, parent: int) -> None:
        super().__init__()
        self.parent = parent

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(_HEARTBEAT_FAILED):
            return True
        # The parent's sockets close a moment before the kernel reparents this
        # process: give the reparenting that moment before deciding.
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if _parent_gone(self.parent):
                os._exit(0)
            time.sleep(0.05)
        return True


def dask_setup(worker: object) -> None:
    """Called by distributed in the worker process when the worker starts."""
    parent = os.getppid()
    logging.getLogger("distributed.worker").addFilter(_OrphanHeartbeat(parent))

    def watch() -> None:
        while not _parent_gone(parent):
            time.sleep(_WATCH_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="newsfacts-parent-watch").start()
