"""Before any Prefect server starts: is there anything for a run to do?

Measured on the 2-core machine (shared, loaded): a no-op `newsfacts run` on the sample
took 24 s wall. Importing Prefect and the pipeline took about 5 s (`python -X
importtime -c "import flows.pipeline"`: 5.8 s), the work itself 0.5 s (listing and
hashing files, a 0.2 s export), and the remaining ~18 s went to starting the temporary
local Prefect server and reporting the flow run to it (Great Expectations, 11 s to
import alone, is not imported when nothing is validated). So `newsfacts run` first asks
this module, which needs only DuckDB (opened read-only) and the landing folder: when
every ready file is in the warehouse's file manifest (`landing_files`) with the same
size and modification time (so not a byte of it is read, WARC archives included) and no
export is pending, the run ends here (1.6 s wall, most of it starting Python), with a summary and no flow run
(and no `runs` row: nothing happened). Anything doubtful (no warehouse yet, a locked or older warehouse, an
unreadable file) answers "work to do" and the flow runs as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfacts.resources import LandingFile
    from newsfacts.settings import Settings


@dataclass(frozen=True, slots=True)
class Precheck:
    """What the landing folder holds for a run, known before any Prefect import.

    `idle`: the no-op summary when there is nothing to do, else None. `to_read`: files
    the run will have to read (new or changed by size and mtime; every ready file when
    the manifest cannot be read). `archives`: whether a WARC is among them (a WARC is
    many pages). `diff`: the stat diff of the ready files when the manifest was read
    (`warehouse.known.stat_diff`: their indexes to read, the pages of the others),
    which the flow then need not make again (`resources.remember_listing`). The CLI starts the warm parent of the Dask workers
    (newsfacts/dask_forkserver.py) only when these say the run will need a cluster.
    """

    idle: dict | None
    to_read: int
    archives: bool
    diff: tuple[list[int], int] | None = None


def check(settings: Settings, listing: tuple[list[LandingFile], list[LandingFile]] | None = None,
          ) -> Precheck:
    import duckdb

    from newsfacts.resources import list_landing
    from warehouse.export import pending
    from warehouse.known import stat_diff
    from warehouse.store import SchemaMismatch, Warehouse, WarehouseBusy

    ready, waiting = listing or list_landing(settings.input_dir, settle_seconds=settings.settle_seconds)
    unknown = Precheck(None, len(ready), any(e.kind == "warc" for e in ready))
    if not settings.duckdb_path.is_file():
        return unknown
    try:
        wh = Warehouse(settings.warehouse_dir, read_only=True, lock_timeout=0)
    except (WarehouseBusy, duckdb.Error, OSError):
        return unknown  # a writer holds it, or it cannot be read: let the flow decide
    with wh:
        try:
            wh.ensure_schema()
            export_pending = bool(pending(wh.con))
            # the manifest only (no per-page map), joined in DuckDB
            todo, pages = stat_diff(wh.con, ((e.source_path, e.size, e.mtime_ns) for e in ready))
        except (SchemaMismatch, duckdb.Error):
            return unknown
    to_read = len(todo)
    archives = any(ready[i].kind == "warc" for i in todo)
    if to_read or export_pending:
        return Precheck(None, to_read, archives, (todo, pages))
    return Precheck({"pages_seen": pages + len(waiting), "pages_unchanged": pages,
                     "pages_waiting": len(waiting)}, 0, False)
