"""What the CLI's `sql` command does: ad-hoc read-only SQL, as a table, CSV or JSON lines.

Falls back to the Parquet exports while a run holds the DuckDB file (warehouse.query).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsfacts.settings import Settings

console = Console(stderr=False)
err = Console(stderr=True)


def sql_command(query: str, warehouse_dir: Path | None, fmt: str) -> int:
    import csv
    import json
    import sys

    from warehouse.query import run_sql

    settings = Settings(**({"warehouse_dir": warehouse_dir} if warehouse_dir else {}))
    if fmt not in ("table", "csv", "json"):
        err.print("--format must be table, csv or json")
        return 2
    try:
        columns, rows, from_exports = run_sql(settings.warehouse_dir, query)
    except Exception as exc:  # a SQL error is the user's to fix: say it plainly
        err.print(f"[red]query failed:[/red] {exc}")
        return 1
    if from_exports:
        err.print("[dim]the DuckDB file is busy or missing: answered from the Parquet exports[/dim]")
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows(rows)
    elif fmt == "json":
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False))
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        # piped output: no terminal width to respect, so never squash the columns
        out = console if sys.stdout.isatty() else Console(width=10_000)
        out.print(table)
    return 0
