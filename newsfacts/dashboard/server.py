"""The dashboard's server process: import what the pages need, then run Streamlit.

Streamlit imports a page's modules on the first visit, and pandas, Altair and the
warehouse schema take seconds to import on a small machine: the first visitor would wait
for them. Importing them here, before the server listens, makes the first render cost
what it must (querying and drawing), not imports; the overview's columns are loaded
before listening too (`warm_overview`).
Run as `python -m newsfacts.dashboard.server APP [streamlit run options]`.
"""

from __future__ import annotations

import sys


def preload() -> None:
    """Import every module the pages use (they stay in sys.modules for the scripts)."""
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import newsfacts.dashboard.charts
    import newsfacts.dashboard.data
    import newsfacts.dashboard.fmt
    import newsfacts.dashboard.state  # noqa: F401


def warm_overview() -> None:
    """Load the overview's data into the page cache, so the first visitor does not wait.

    `st.cache_resource` keeps one in-process store, filled here before the runtime
    starts; exports that change before the first visit only mean a new load then.
    """
    import logging

    from newsfacts.dashboard import state
    from newsfacts.dashboard.data import exports_version

    folder = state.exports_dir().resolve()
    version = exports_version(folder)
    if not version:
        return
    quiet = logging.getLogger("streamlit")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "no runtime" warnings: expected before the server runs
    try:
        state._load(str(folder), version, "overview")
    except Exception as exc:  # the page will show the error on its own load
        print(f"note: could not pre-load the overview ({exc})", file=sys.stderr)
    finally:
        quiet.setLevel(level)


def main(argv: list[str]) -> int:
    preload()
    warm_overview()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
