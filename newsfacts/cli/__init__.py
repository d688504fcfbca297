"""The `newsfacts` command line: `app` (the Typer application) and `main`.

The commands are declared in `app.py` and run by one module each (extract.py, run.py,
sql.py, serve.py); nothing below the CLI imports this package.
"""

from newsfacts.cli.app import app, main

__all__ = ["app", "main"]
