"""Prefect flows: thin orchestration over batches of pages.

Tasks call pure functions from `transforms/`, `expectations/` and `warehouse/`; each
task handles a whole batch (a Prefect task costs ~15 ms, so one task per page would not
scale).
"""
