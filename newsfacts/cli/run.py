"""What the CLI's `run` command does, with rich output.

Kept out of newsfacts/cli/__init__.py so the commands stay declarations and the heavy imports (Prefect,
DuckDB) happen only when a command that needs them runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsfacts.settings import PROJECT_ROOT, Settings, quiet_environment

console = Console(stderr=False)
err = Console(stderr=True)


def prepare_prefect_environment() -> None:
    """Quiet, local Prefect: the project's PREFECT_HOME and no server log noise at exit."""
    quiet_environment()
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    # The local server's first start migrates its database; on a busy 2-core machine
    # that takes longer than Prefect's default 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    # A locked Prefect SQLite database (two local runs, each with its ephemeral server on
    # one prefect.db): the server waits on the lock (SQLite busy_timeout, fixed at 60 s in
    # Prefect 3.9, whatever PREFECT_SERVER_DATABASE_TIMEOUT says), then answers 503, which
    # the client retries with exponential backoff (2, 4, 8, ... s, with jitter). Six
    # retries ride out about two minutes of lock on top of those waits (default: five).
    os.environ.setdefault("PREFECT_CLIENT_MAX_RETRIES", "6")
    reuse_local_server()


def reuse_local_server(port: int = 4200) -> None:
    """Use the project's long-lived server (`make server`) when it runs: no temporary one.

    Starting Prefect's temporary local server is most of a small run's wall time
    (10-20 s on two busy cores); a server already answering on 127.0.0.1:`port` costs a
    health check instead. Only when PREFECT_API_URL is not set; NEWSFACTS_REUSE_SERVER=0
    turns it off.
    """
    if os.environ.get("PREFECT_API_URL") or os.environ.get("NEWSFACTS_REUSE_SERVER") == "0":
        return
    import urllib.error
    import urllib.request

    url = f"http://127.0.0.1:{port}/api"
    try:
        with urllib.request.urlopen(url + "/health", timeout=0.5) as resp:
            if resp.status == 200 and resp.read(10).strip() == b"true":
                os.environ["PREFECT_API_URL"] = url
    except (urllib.error.URLError, OSError, ValueError):
        return  # none running: Prefect starts its temporary server


def run_command(input_dir: Path | None, warehouse_dir: Path | None, batch_size: int | None,
                workers: int | None = None, dask_address: str | None = None) -> int:
    prepare_prefect_environment()
    settings = Settings(**{k: v for k, v in {"input_dir": input_dir, "warehouse_dir": warehouse_dir,
                                              "batch_size": batch_size, "workers": workers,
                                              "dask_address": dask_address}.items()
                           if v is not None})
    if not settings.input_dir.is_dir():
        err.print(f"[red]input folder not found:[/red] {settings.input_dir}")
        return 2
    from newsfacts.precheck import check
    from newsfacts.resources import list_landing, remember_listing

    listing = list_landing(settings.input_dir, settle_seconds=settings.settle_seconds)
    found = check(settings, listing)
    idle = found.idle
    if idle is not None:
        console.print(f"newsfacts: nothing new in {settings.input_dir}: {idle['pages_unchanged']} "
                      f"page(s) unchanged, {idle['pages_waiting']} waiting; no flow run started")
        return 0
    from newsfacts import validator

    if settings.validate_with_gx:
        validator.start()  # imports Great Expectations on the other core meanwhile
    if not settings.dask_address and settings.n_workers > 1 and (
            found.archives or found.to_read > settings.batch_size):
        # the flow will run a local cluster (more than one batch): the workers' warm
        # parent imports and compiles meanwhile (newsfacts/dask_forkserver.py)
        from newsfacts import dask_forkserver

        dask_forkserver.start()
    # the flow's discover and stat diff
    remember_listing(settings.input_dir, settings.settle_seconds, listing, found.diff)
    del listing
    try:
        return _run_flow(settings)
    finally:
        validator.stop()


def _run_flow(settings: Settings) -> int:
    from flows import progress
    from flows.pipeline import newsfacts_flow
    from warehouse.store import WarehouseBusy

    bar = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=err, transient=True)
    task_ids: dict[str, int] = {}

    def hook(stage: str, done: int, total: int) -> None:
        if stage not in task_ids:
            task_ids[stage] = bar.add_task(stage, total=max(total, 1))
        bar.update(task_ids[stage], completed=done, total=max(total, 1))

    progress.register(hook)
    try:
        with bar:
            bar.console.print(f"newsfacts: starting a flow run over {settings.input_dir} "
                              "(the first run starts a local Prefect server)")
            summary = newsfacts_flow(input_dir=str(settings.input_dir.resolve()),
                                     warehouse_dir=str(settings.warehouse_dir.resolve()),
                                     batch_size=settings.batch_size,
                                     workers=settings.workers,
                                     dask_address=settings.dask_address)
    except WarehouseBusy as exc:
        err.print(f"[yellow]warehouse busy:[/yellow] {exc}")
        return 3
    except Exception as exc:  # the flow failed: say why in one line, keep the log
        message = str(exc)
        message = message if len(message) <= 400 else message[:400] + " ..."
        err.print(f"[red]run failed:[/red] {type(exc).__name__}: {message}")
        return 1
    finally:
        progress.clear()
    print_summary(summary, settings)
    return 0


def print_summary(s: dict, settings: Settings) -> None:
    table = Table(title="newsfacts run", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    gx = {True: "[green]passed[/green]", False: "[yellow]failures quarantined[/yellow]",
          None: "not run"}[s["gx_success"]]
    for label, value in [
        ("pages seen", s["pages_seen"]),
        ("read as new + changed", f"{s['pages_new']} + {s['pages_changed']}"),
        ("loaded", s["pages_loaded"]),
        ("unchanged", s["pages_unchanged"]),
        ("duplicates (another copy loaded)", s["pages_duplicate"]),
        ("waiting (still being written)", s["pages_waiting"]),
        ("quarantined pages", s["pages_quarantined"]),
        ("pages add up", {True: "yes", False: "[red]NO[/red]", None: "-"}[s["accounted"]]),
        ("WARC records skipped (not pages)", s["records_skipped"]),
        ("quarantined rows", s["rows_quarantined"]),
        ("amounts", s["amounts"]),
        ("figures", s["figures"]),
        ("deals", s["deals"]),
        ("validation", gx),
        ("seconds", f"{s['seconds']:.1f}"),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in s["stage_seconds"].items() if v >= 0.005)
    console.print(f"stages: {stages}")
    console.print(f"warehouse: {settings.duckdb_path}")
    console.print(f"parquet:   {settings.exports_dir}")
    console.print(f"data docs: {settings.data_docs_dir / 'index.html'}")
    for w in s["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {w}")

