"""The dashboard's server process: import what the pages need, then run Streamlit.

Streamlit imports a page's modules on the first visit, and pandas, Altair and the
warehouse schema take seconds to import on a small machine: the first visitor would wait
for them. Importing them here, before the server listens, makes the first render cost
what it must (reading the overview's columns, querying, drawing), not imports.
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


def main(argv: list[str]) -> int:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
