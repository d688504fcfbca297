"""Load and export timings on a synthetic warehouse: `python bench/warehouse_speed.py [N_DOCS]`.

Prints seconds for the three load shapes a flow meets (new pages, an identical re-run,
every page changed) and for a full export, measured in one run on one machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from newsfacts.testing.synthetic import source_path, synthetic_batch
from warehouse.export import export_all
from warehouse.store import Warehouse


def main(n_docs: int = 10_000) -> None:
    """Run each step once and print its wall time."""
    t = time.perf_counter()
    first = synthetic_batch(n_docs)
    changed = synthetic_batch(n_docs, version=1)
    print(f"generate 2 x {n_docs} docs: {time.perf_counter() - t:.1f}s")
    with tempfile.TemporaryDirectory() as d, Warehouse(Path(d)) as wh:
        wh.ensure_schema()
        steps = [
            ("load new", lambda: wh.load_batch(first)),
            ("load identical re-run", lambda: wh.load_batch(first)),
            (
                "load all pages changed",
                lambda: wh.load_batch(
                    changed, replace_source_paths=[source_path(i) for i in range(n_docs)]
                ),
            ),
            ("export_all", lambda: export_all(wh, Path(d) / "exports")),
            ("export_all unchanged", lambda: export_all(wh, Path(d) / "exports")),
        ]
        for label, step in steps:
            t = time.perf_counter()
            step()
            print(f"{label}: {time.perf_counter() - t:.2f}s")
        n = wh.con.sql("SELECT count(*) FROM fact_amount").fetchall()[0][0]
        print(f"fact_amount rows: {n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
