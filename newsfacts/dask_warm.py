"""Imported by the warm server local Dask workers are forked from (newsfacts/dask_forkserver.py).

Importing this module is the warm-up: the modules a worker runs (distributed,
prefect-dask, the flow's tasks, pyarrow with the pandas it imports on its first table),
every language's lexicons (`transforms.rows.warm`) and the exchange-rate book.
A failure here must not stop the server (a worker would then fail to start, and the
run with it): the worker would only compile what it needs itself, so the error is
logged and the import completes.
"""

from __future__ import annotations

import logging

try:
    import distributed  # noqa: F401
    import prefect_dask  # noqa: F401
    import pyarrow as pa

    import flows.tasks  # noqa: F401
    import newsfacts.dask_worker  # noqa: F401
    from newsfacts.resources import rate_book
    from newsfacts.settings import Settings
    from transforms.rows.warm import warm_up

    warm_up()
    rate_book(Settings().fx_carry_forward_days)  # the ECB history, parsed once (0.5 s)
    # pyarrow imports pandas the first time it builds a table from Python rows (every
    # batch does): once here, not once per worker
    pa.Table.from_pylist([{"warm": 1}])
except Exception:  # see the module docstring
    logging.getLogger(__name__).exception("worker warm-up failed; workers start cold")
