"""All I/O resources of a run: the landing folder, the warehouse, the rate book, the workers.

Kept apart from `transforms/` (pure) and `flows/` (orchestration) so tests can point it
at a temporary folder and the transforms never see a path, only bytes; the flow asks
this module for its warehouse, rate book and task runner (where the CPU stages run: in
process or on Dask workers), built from the settings, instead of constructing them itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from transforms.contract.pages import RawPage

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

    from newsfacts.settings import Settings
    from transforms.money.fx import RateBook
    from warehouse.store import Warehouse

PAGE_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".meta.json"
# File kinds by name ending, matched case-insensitively (crawlers write PAGE.HTM too).
SUFFIX_KINDS = (
    (".txt", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".html.gz", "html"),
    (".htm.gz", "html"),
    (".warc", "warc"),
    (".warc.gz", "warc"),
)


# Kinds by the name's last extension: most names of a landing folder (sidecars, other
# files) are turned down by one dictionary lookup; ".gz" names need the two last ones.
_LAST_EXTENSION_KINDS = {suffix[1:]: kind for suffix, kind in SUFFIX_KINDS if suffix.count(".") == 1}


def landing_kind(name: str) -> str | None:
    """"text", "html" or "warc" for a landing file name, None for anything else."""
    dot = name.rfind(".")
    if dot <= 0:  # no extension, or nothing before it (".txt" is not a page)
        return None
    extension = name[dot + 1 :].lower()
    if extension != "gz":
        return _LAST_EXTENSION_KINDS.get(extension)
    lower = name.lower()
    for suffix, kind in SUFFIX_KINDS:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class LandingFile:
    """A page file (or a WARC archive) found in the landing folder, before it is read.

    Held as the listing gives it (a path string and the stat's integers): a 100,000-file
    folder is listed by every run, and building a `Path` and a `datetime` per file was
    most of that listing (1.5 s of a one-page run's ten); they are made on demand, for
    the few files a run reads.
    """

    source_path: str
    size: int
    mtime_ns: int  # st_mtime_ns: with size, tells an unchanged file without reading it
    kind: str = "text"  # text | html | warc

    @property
    def path(self) -> Path:
        return Path(self.source_path)

    @property
    def mtime(self) -> datetime:
        # the float `os.stat` gives as st_mtime, so the instant is the one it gave
        seconds, nanos = divmod(self.mtime_ns, 10**9)
        return datetime.fromtimestamp(seconds + nanos * 1e-9, UTC)


def list_landing(input_dir: Path, *, settle_seconds: float = 0.0,
                 now: datetime | None = None) -> tuple[list[LandingFile], list[LandingFile]]:
    """Page files under `input_dir` (recursively, sorted), split into ready and waiting.

    Pages are *.txt, *.html, *.htm (optionally gzipped) and WARC archives (*.warc,
    *.warc.gz), suffixes in any case. A file modified less than `settle_seconds` ago may
    still be being written: it waits for the next run instead of being loaded half-written.
    """
    now_ns = int((now or datetime.now(UTC)).timestamp() * 1e9)
    settle_ns = settle_seconds * 1e9
    ready: list[LandingFile] = []
    waiting: list[LandingFile] = []
    for path_text, kind, st in _page_files(str(Path(input_dir).resolve())):
        entry = LandingFile(path_text, st.st_size, st.st_mtime_ns, kind)
        if settle_seconds and now_ns - st.st_mtime_ns < settle_ns:
            waiting.append(entry)
        else:
            ready.append(entry)
    return ready, waiting


_listing: tuple[tuple[str, float], tuple[list[LandingFile], list[LandingFile]]] | None = None
# The pre-check's stat diff of the remembered listing's ready files: (indexes to read,
# pages unchanged), kept with the `ready` list it was made of (`stat_diff_of`).
_diff: tuple[list[LandingFile], tuple[list[int], int]] | None = None


def remember_listing(input_dir: Path, settle_seconds: float,
                     listing: tuple[list[LandingFile], list[LandingFile]],
                     diff: tuple[list[int], int] | None = None) -> None:
    """Keep a listing just made (by the pre-check) for this process's next `take_listing`,
    and the pre-check's stat diff of it (`warehouse.known.stat_diff`) when it made one.

    `newsfacts run` lists the folder in its pre-check, then the flow it starts a second
    later would list it again: at 100,000 files that is a second of a one-page run's
    ten, and the diff against the file manifest half a second more. They are handed
    over once, in this process only. A run that wrote the warehouse in between cannot
    make the diff wrong: the files it says are unchanged still have the size and mtime
    their manifest rows were written with (a writer only rewrites a row whose file's
    stat changed, and then this listing is stale for the next run anyway), and a file
    it says to read that the other run has recorded is read and found unchanged by hash.
    """
    global _listing, _diff
    _listing = ((str(Path(input_dir).resolve()), settle_seconds), listing)
    _diff = None if diff is None else (listing[0], diff)


def take_listing(input_dir: Path, settle_seconds: float) -> tuple[list[LandingFile], list[LandingFile]]:
    """The remembered listing of `input_dir` (then forgotten), else a fresh `list_landing`."""
    global _listing
    held, _listing = _listing, None
    if held is not None and held[0] == (str(Path(input_dir).resolve()), settle_seconds):
        return held[1]
    return list_landing(Path(input_dir), settle_seconds=settle_seconds)


def stat_diff_of(ready: list[LandingFile]) -> tuple[list[int], int] | None:
    """The remembered stat diff when it was made of this very `ready` list (then
    forgotten), else None."""
    global _diff
    held, _diff = _diff, None
    return held[1] if held is not None and held[0] is ready else None


def _page_files(root: str):
    """(path, kind, stat) of every page file under `root`, in `Path` order.

    What `sorted(Path(root).rglob("*"))` then a name and `is_file` test per path gave,
    with `os.scandir`: directory entries carry their type, so only page files are
    stat'ed. The order is that of comparing the paths' component tuples (how `Path`
    compares), got without building one: each folder's entries are visited in name
    order, a subfolder's files where its name falls among them, since two paths first
    differ in the entry names of the folder they share. Sorting 100,000 tuples, or
    `Path`s, was most of listing such a folder (twice per run: the pre-check and the
    flow). Like `rglob`, it does not descend into symlinked directories; a symlinked
    file counts.
    """
    try:
        with os.scandir(root) as listing:
            # page files and folders only (a landing folder is half sidecars), by name
            entries = sorted((entry.name, kind, entry) for entry in listing
                             if (kind := landing_kind(entry.name)) is not None
                             or _is_folder(entry))
    except OSError:
        return
    for name, kind, entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                yield from _page_files(entry.path)
                continue
            if kind is None or name.startswith(".") or not entry.is_file():
                continue
            st = entry.stat()
        except OSError:
            continue
        yield entry.path, kind, st


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def sidecar_path(page_path: Path) -> Path:
    """NAME.meta.json beside NAME.txt, NAME.html, NAME.htm or NAME.html.gz."""
    name = page_path.name
    for suffix, _ in sorted(SUFFIX_KINDS, key=lambda sk: -len(sk[0])):
        if name.lower().endswith(suffix):
            return page_path.with_name(name[: -len(suffix)] + SIDECAR_SUFFIX)
    return page_path.with_name(name + SIDECAR_SUFFIX)


def read_page(entry: LandingFile) -> RawPage:
    """The page's bytes and its parsed sidecar; a broken sidecar is reported, not fatal."""
    raw = entry.path.read_bytes()
    sidecar = None
    sidecar_error = None
    meta = sidecar_path(entry.path)
    if meta.is_file():
        try:
            sidecar = json.loads(meta.read_text(encoding="utf-8"))
            if not isinstance(sidecar, dict):
                raise ValueError("sidecar is not a JSON object")
        except (OSError, ValueError) as exc:
            sidecar, sidecar_error = None, f"{meta.name}: {exc}"
    return RawPage(entry.source_path, raw, entry.mtime, sidecar, sidecar_error,
                   kind="html" if entry.kind == "html" else "text")


def open_warehouse(settings: Settings) -> Warehouse:
    """The DuckDB warehouse of `settings` (its folder created), holding the writer lock.

    Raises warehouse.store.WarehouseBusy when another run holds the lock longer than
    `settings.lock_timeout`.
    """
    from warehouse.store import Warehouse

    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    wh = Warehouse(settings.warehouse_dir, lock_timeout=settings.lock_timeout)
    # DuckDB keeps the table blocks a run reads and writes cached up to its limit (80 %
    # of RAM by default), which made the run's memory grow with the warehouse. The
    # default ("auto", `duckdb_limit`) caps it with room for what cannot be evicted.
    fit_duckdb_limit(wh, settings)
    return wh


AUTO_BASE_MB = 192
AUTO_BYTES_PER_KEY = 1024


def duckdb_limit(con, setting: str | None, pending_rows: int = 0) -> str | None:
    """DuckDB's memory limit for a run: `setting` as given ('1GB'), None for DuckDB's own
    default, or for "auto" 192 MB plus 1 KB per row of the tables that keep a primary
    key, counting `pending_rows` about to be written.

    Why that: DuckDB holds primary-key indexes in memory and cannot evict them (a
    128 MB limit failed a load, "failed to pin block", at 85,000 pages when the fact
    tables still had keys); about 120 bytes a key were measured, so 1 KB leaves room
    for the cache and the queries of a batch. The big fact tables have no primary key
    (`warehouse.schema.DERIVED_KEY_TABLES`), so the keyed rows are about three per page
    (documents, their sources, the file manifest). The flow fits the limit again as
    the warehouse grows (`fit_duckdb_limit`): a first run over 100,000 pages starts
    with an empty warehouse and ends by writing 200,000 keyed rows in one transaction.
    Sorts of a large export spill to disk instead of growing the process.
    """
    if setting is None or setting == "":
        return None
    if setting != "auto":
        return setting
    from warehouse.schema import DERIVED_KEY_TABLES

    rows = con.execute(
        "SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() WHERE schema_name = 'main' "
        "AND has_primary_key AND NOT list_contains(?, table_name)", [sorted(DERIVED_KEY_TABLES)],
    ).fetchall()[0][0]
    return f"{AUTO_BASE_MB + ((int(rows) + pending_rows) * AUTO_BYTES_PER_KEY >> 20)}MB"


def fit_duckdb_limit(wh: Warehouse, settings: Settings, pending_rows: int = 0) -> None:
    """Set the run's DuckDB limit (`duckdb_limit`) for the warehouse as it is now."""
    limit = duckdb_limit(wh.con, settings.duckdb_memory_limit, pending_rows)
    if limit:
        wh.con.execute("SET memory_limit = ?", [limit])


def rate_book(carry_forward_days: int = 0) -> RateBook:
    """The exchange-rate book (bundled ECB history, pegs, baskets), read offline."""
    from newsfacts.ecb import load_rate_book

    return load_rate_book(carry_forward_days)


def task_runner(settings: Settings) -> TaskRunner | None:
    """Where the CPU stages run: None (in the flow's process) or a Dask task runner.

    `dask_address` connects to an existing cluster; otherwise `workers` (0 = one per
    core) local worker processes, one thread each (the stages are pure Python: threads
    would share one GIL), started for the run and stopped after it. One worker means
    no Dask at all: no cluster start-up, and the same code path the tests debug with.
    """
    if not settings.dask_address and settings.n_workers <= 1:
        return None
    from prefect_dask import DaskTaskRunner

    _quiet_dask()

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    from prefect.context import FlowRunContext

    from newsfacts import dask_forkserver

    dask_forkserver.use_for_local_cluster()  # workers forked from a warm process
    # The workers report their task runs to this run's Prefect API, which may be a
    # temporary server this process started (then no setting names it): without its
    # address each worker would start a temporary server of its own, and a worker
    # forked from the warm process ends without the exit hooks that stop it, leaving
    # the server behind. The client of the flow run knows the address (Nanny env);
    # outside a flow run there is none to give (and none is started here to find one).
    run = FlowRunContext.get()
    env = {"PREFECT_API_URL": str(run.client.api_url)} if run is not None else {}
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs={
        "n_workers": settings.n_workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": None, "host": "127.0.0.1", "env": env,
        # workers end with the run that started them (newsfacts/dask_worker.py)
        "preload": ["newsfacts.dask_worker"]})


def _quiet_dask() -> None:
    """Keep Dask's own INFO chatter out of a run's output.

    A local cluster's start and stop log a dozen INFO lines per run, and its shutdown
    logs a closed connection to a worker that is already gone *with its traceback*
    (distributed.batched, INFO with exc_info): harmless, but a user reading the run's
    output sees a Traceback. Warnings and errors still show. The environment variable
    reaches the worker processes the cluster spawns; the logger level covers this one.
    """
    import logging
    import os

    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
