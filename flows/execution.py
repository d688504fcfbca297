"""Running a task over many batches: in this process, or on Dask workers, results in order.

The flow keeps one writer (it alone loads DuckDB and writes exports) and needs the
batches' results in batch order, so the tables come out identical whatever the number
of workers. `ordered` submits at most `window` batches ahead and hands results back in
submission order: the workers stay busy while the flow loads, and memory holds a
bounded number of batches, never the corpus.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

from prefect import Task
from prefect.task_runners import TaskRunner

T = TypeVar("T")


class Parcel(Generic[T]):
    """A task argument that Prefect hands over without walking it.

    Prefect visits every element of a task's parameters, in the flow when the task is
    submitted (to find futures in them) and again where it runs (to record its inputs
    and resolve futures). A batch of 500 pages is some 10^5 objects: those visits took
    a fifth of a Dask worker's time and as much of the flow's. Prefect's own `quote`
    does not help with a Dask task runner (prefect-dask walks into annotations), so a
    batch travels in this plain object, which Prefect takes as one value; the task
    reads `.value`. Dask names a task by hashing its arguments (`tokenize`, which
    pickles an unknown object whole to hash it): a parcel's name is a random one, given
    once, since no two batches are the same task anyway.
    """

    __slots__ = ("_token", "value")

    def __init__(self, value: T) -> None:
        self.value = value
        self._token: str | None = None

    def __reduce__(self) -> tuple:
        return (Parcel, (self.value,))

    def __dask_tokenize__(self) -> str:
        if self._token is None:
            self._token = uuid.uuid4().hex
        return self._token

    def __repr__(self) -> str:  # Prefect logs parameters' reprs: never the whole batch
        return f"Parcel({type(self.value).__name__})"


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


def run_one(task: Task, params: dict[str, Any], runner: TaskRunner | None) -> Any:
    """`task(**params)` now, where `ordered` would run it, waiting for its result."""
    if runner is None:
        return task(**params)
    return runner.submit(task, parameters=params).result()


def worker_count(runner: TaskRunner | None) -> int:
    """Workers behind `runner` (an entered Dask task runner), 1 when there is none."""
    if runner is None:
        return 1
    client = getattr(runner, "client", None)
    if client is None:
        return 1
    return max(1, len(client.scheduler_info().get("workers", {})))
