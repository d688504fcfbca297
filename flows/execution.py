"""Running a task over many batches: in this process, or on Dask workers, results in order.

The flow keeps one writer (it alone loads DuckDB and writes exports) and needs the
batches' results in batch order, so the tables come out identical whatever the number
of workers. `ordered` submits at most `window` batches ahead and hands results back in
submission order: the workers stay busy while the flow loads, and memory holds a
bounded number of batches, never the corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from prefect import Task
from prefect.task_runners import TaskRunner


def ordered(task: Task, calls: Iterable[dict[str, Any]], runner: TaskRunner | None,
            window: int) -> Iterator[Any]:
    """Results of `task(**params)` for each params of `calls`, in order.

    With no runner the task is called here, one batch at a time. With a runner (entered
    by the caller) up to `window` calls are in flight; a failed call raises here, at
    its turn, after the Prefect retries the task declares.
    """
    if runner is None:
        for params in calls:
            yield task(**params)
        return
    pending: deque = deque()
    for params in calls:
        pending.append(runner.submit(task, parameters=params))
        if len(pending) >= max(1, window):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def worker_count(runner: TaskRunner | None) -> int:
    """Workers behind `runner` (an entered Dask task runner), 1 when there is none."""
    if runner is None:
        return 1
    client = getattr(runner, "client", None)
    if client is None:
        return 1
    return max(1, len(client.scheduler_info().get("workers", {})))
