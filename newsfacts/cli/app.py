"""The `newsfacts` command line declared: run, extract, sql, server, serve.

Each command's body lives in a module of its own (extract.py, run.py, sql.py, serve.py).
Heavy imports (Prefect, GX, DuckDB) happen inside the commands that need them, so
`newsfacts extract` starts in a fraction of a second and speaks the scorers' contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Scraped news pages in, validated money and figure fact tables out.",
)


def _langs() -> tuple[str, ...]:
    """"auto" and every language folder of transforms/languages/ (a cheap directory scan)."""
    from transforms.languages import LANGS

    return ("auto", *LANGS)


@app.command()
def extract(
    lang: Annotated[str, typer.Option(help="fr, en, es, pt, de or auto")] = "auto",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="one JSON object a line in and out")] = False,
    site: Annotated[str | None, typer.Option(help="site domain, resolves ambiguous symbols")] = None,
) -> None:
    """Read text on stdin and print the figures it holds as JSON (the extract contract)."""
    langs = _langs()
    if lang not in langs:
        raise typer.BadParameter(f"--lang must be one of {', '.join(langs)}")
    from newsfacts.cli.extract import extract_stdin

    extract_stdin(lang, jsonl, site)


@app.command()
def run(
    input: Annotated[Path | None, typer.Option("--input", help="landing folder of *.txt pages")] = None,
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="warehouse folder")] = None,
    batch_size: Annotated[int | None, typer.Option(help="pages per task and transaction")] = None,
    workers: Annotated[int | None, typer.Option(
        help="local Dask worker processes (0 = one per core, 1 = in this process)")] = None,
    dask_address: Annotated[str | None, typer.Option(
        help="an existing Dask scheduler, tcp://HOST:PORT (its workers read the landing folder)")] = None,
) -> None:
    """One flow run over every new or changed page of the landing folder."""
    from newsfacts.cli.run import run_command

    raise typer.Exit(run_command(input_dir=input, warehouse_dir=warehouse, batch_size=batch_size,
                                 workers=workers, dask_address=dask_address))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run, read-only")],
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="warehouse folder")] = None,
    format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Ad-hoc SQL on the warehouse, opened read-only (falls back to the Parquet exports)."""
    from newsfacts.cli.sql import sql_command

    raise typer.Exit(sql_command(query, warehouse_dir=warehouse, fmt=format))


def main() -> None:  # pragma: no cover - console entry for `python -m newsfacts`
    app()


@app.command()
def server(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 4200,
) -> None:
    """Start a Prefect server on 127.0.0.1 with the project's PREFECT_HOME (for `serve`)."""
    from newsfacts.cli.serve import run_server

    raise typer.Exit(run_server(port))


@app.command()
def serve(
    input: Annotated[Path, typer.Option("--input", help="landing folder of *.txt pages")],
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="warehouse folder")] = None,
    cron: Annotated[str | None, typer.Option(help='cron schedule in UTC, e.g. "*/15 * * * *"')] = None,
    interval: Annotated[float | None, typer.Option(help="seconds between runs")] = None,
    name: Annotated[str, typer.Option(help="deployment name")] = "scheduled",
    batch_size: Annotated[int | None, typer.Option(help="pages per task and transaction")] = None,
) -> None:
    """Register a scheduled deployment of the flow on a Prefect server and serve it."""
    from newsfacts.cli.serve import serve_command

    raise typer.Exit(serve_command(input, warehouse, cron, interval, name, batch_size))


@app.command()
def dashboard(
    exports: Annotated[Path | None, typer.Option("--exports", help="Parquet exports folder")] = None,
    port: Annotated[int, typer.Option(help="port to serve on")] = 8501,
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you mean it")] = "127.0.0.1",
) -> None:
    """Serve the dashboard over the Parquet exports (read-only, works offline)."""
    from newsfacts.dashboard.launch import run_dashboard
    from newsfacts.settings import Settings

    raise typer.Exit(run_dashboard(exports or Settings().exports_dir, host, port))
