"""A process-local hook the CLI uses to draw a progress bar while a flow runs.

Prefect parameters must be serialisable, so a callback cannot be passed to the flow;
the CLI registers one here instead. With no hook registered, reporting is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

_hooks: list[Callable[[str, int, int], None]] = []


def register(hook: Callable[[str, int, int], None]) -> None:
    _hooks.append(hook)


def clear() -> None:
    _hooks.clear()


def report(stage: str, done: int, total: int) -> None:
    for hook in list(_hooks):
        hook(stage, done, total)
