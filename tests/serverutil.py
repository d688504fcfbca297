"""A real Prefect server for the scheduling and exactly-once tests, and helpers to drive runs.

Modules import the `prefect_api` fixture (as `prefect_api_fixture`); the server starts
once per pytest process for all of them: a run against a server that is already up
costs a few seconds, against a fresh ephemeral one ten or more.

Why the details:
- The server is `newsfacts server --port P` itself (it execs `prefect server start` on
  127.0.0.1), on a free port, with a temporary PREFECT_HOME and the UI off. It runs in
  its own process group, which is killed whatever happens (`stop_group`).
- Child processes share one bytecode cache under the session's temp folder when the
  environment forbids writing one (PYTHONDONTWRITEBYTECODE): every `newsfacts run`
  imports Prefect and Great Expectations, and compiling them again each time would cost
  more than the runs.
- Comparing two warehouses ("identical to one clean run") must ignore only what names
  the run that wrote a row: `documents.run_id`, `quarantine.run_id`, `quarantined_at`,
  and the `run_id` of the ingest bookkeeping (`document_sources`, `landing_files`).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pytest

from transforms.contract.tables import KEYS, SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
NEWSFACTS = Path(sys.executable).with_name("newsfacts")

QUIET = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "TQDM_DISABLE": "1",
}
# Columns that say which run wrote a row, not what the row is.
RUN_COLUMNS = {"documents": {"run_id"}, "quarantine": {"run_id", "quarantined_at"},
               "document_sources": {"run_id"}, "landing_files": {"run_id"}}
# A Prefect task run finishing, as the console logs it at INFO level.
TASK_DONE = re.compile(r"Task run '([a-z_]+)-[0-9a-f]+' - Finished in state Completed")

_child_extra: dict[str, str] = {}


def child_env(api_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a child process: quiet, this session's server, no stray settings.

    NEWSFACTS_* variables of the developer's shell are dropped so the test decides.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NEWSFACTS_") and k != "PREFECT_API_URL"}
    env.update(QUIET)
    env.update(_child_extra)
    if _child_extra.get("PYTHONPYCACHEPREFIX"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def free_port() -> int:
    """A port nobody listens on right now (the server may still lose a race: retried)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(api_url + "/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read(10).strip() == b"true"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def stop_group(proc: subprocess.Popen, grace: float = 10.0, sig: int = signal.SIGTERM) -> None:
    """Stop a child started with `start_new_session=True` and everything it started."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers: processes the child started
    proc.wait()


@contextmanager
def prefect_server(home: Path, startup_timeout: float = 240.0) -> Iterator[str]:
    """Start `newsfacts server` on a free loopback port; yield its API URL; stop it."""
    last_log = ""
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}/api"
        log_path = home / f"server-{port}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(NEWSFACTS), "server", "--port", str(port)], cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                env=child_env(PREFECT_HOME=str(home), PREFECT_SERVER_UI_ENABLED="false"))
        try:
            deadline = time.monotonic() + startup_timeout
            while proc.poll() is None and time.monotonic() < deadline and not healthy(url):
                time.sleep(0.25)
            if proc.poll() is None and healthy(url):
                break
        except BaseException:
            stop_group(proc)
            raise
        stop_group(proc)
        last_log = log_path.read_text(errors="replace")[-3000:]
    else:
        raise RuntimeError(f"the Prefect server did not start:\n{last_log}")
    try:
        yield url
    finally:
        stop_group(proc)


_SERVER = pytest.StashKey[str]()


@pytest.fixture(scope="session", name="prefect_api")
def prefect_api_fixture(request, tmp_path_factory) -> str:
    """The API URL of a real Prefect server, started once per pytest process.

    Test modules import this fixture by name; each import makes its own session
    fixture, so the server itself lives in the config stash and stops at pytest's exit.
    """
    config = request.config
    if _SERVER not in config.stash:
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            _child_extra["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
        server = prefect_server(tmp_path_factory.mktemp("prefect_server_home"))
        config.stash[_SERVER] = server.__enter__()
        config.add_cleanup(lambda: server.__exit__(None, None, None))
    return config.stash[_SERVER]


# The shared corpus: measured on 2 busy cores, 150 pages in a fresh process spend 3-5 s
# starting, ~0.3 s in 10 ingest batches, ~1.5 s in clean/extract, 6-11 s in validate
# (GX import and its fixed cost), ~1.2 s in 10 load transactions, ~0.3 s in export.
CLEAN_PAGES = 150
CLEAN_BATCH = 15
_CLEAN = pytest.StashKey[tuple]()


@pytest.fixture(scope="session", name="clean_corpus")
def clean_corpus_fixture(request, tmp_path_factory, prefect_api) -> tuple[Path, Path]:
    """A generated corpus and the warehouse of one clean run over it (batch CLEAN_BATCH).

    Shared by the modules that compare a warehouse with "one clean run" (cached like the
    server): compare runs made with the same batch size, since an entity's name is the
    smallest of the names its batches chose.
    """
    config = request.config
    if _CLEAN not in config.stash:
        from tests.flowutil import run_flow

        base = tmp_path_factory.mktemp("clean_corpus")
        corpus = make_corpus(CLEAN_PAGES, base / "corpus")
        with using_server(prefect_api):
            summary = run_flow(corpus, base / "clean", batch_size=CLEAN_BATCH)
        assert summary["pages_loaded"] == CLEAN_PAGES
        assert export_mismatches(base / "clean") == []
        config.stash[_CLEAN] = (corpus, base / "clean")
    return config.stash[_CLEAN]


@contextmanager
def using_server(api_url: str) -> Iterator[None]:
    """Run flows in this process against `api_url` (no ephemeral server)."""
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        try:
            yield
        finally:
            APILogWorker.drain_all(timeout=5)  # send the runs' logs while the server is up


def make_corpus(pages: int, out: Path, seed: int = 1) -> Path:
    subprocess.run([sys.executable, "-m", "newsfacts.testing.corpus", "--pages", str(pages), "--out", str(out),
                    "--seed", str(seed)], check=True, capture_output=True)
    return out


class Output:
    """Lines a child writes (stdout and stderr merged), read by a thread as they come."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.done = Counter()  # task name -> task runs finished
        self.events: list[str] = []  # task names, in the order their runs finished
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                self.lines.append(line)
                m = TASK_DONE.search(line)
                if m:
                    self.done[m.group(1)] += 1
                    self.events.append(m.group(1))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, task: str, count: int = 1, timeout: float = 180.0) -> bool:
        """Wait until `count` runs of `task` have finished; False if the child ended first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.done[task] < count:
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    return self.done[task] >= count
                self._cond.wait(timeout=0.05)
            return True

    def finish(self, timeout: float = 60.0) -> str:
        """Wait for the child to end and its output to be read; the whole output."""
        self.proc.wait(timeout=timeout)
        self._thread.join(timeout=timeout)
        return "\n".join(self.lines)


def start_run(api_url: str, input_dir: Path, warehouse_dir: Path, *, batch_size: int | None = None,
              log_level: str = "INFO", **env: str) -> Output:
    """`newsfacts run` in its own process group, its output read line by line."""
    argv = [str(NEWSFACTS), "run", "--input", str(input_dir), "--warehouse", str(warehouse_dir)]
    if batch_size:
        argv += ["--batch-size", str(batch_size)]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True,
                            env=child_env(api_url, PREFECT_LOGGING_LEVEL=log_level, **env))
    return Output(proc)


def stable_snapshot(warehouse_dir: Path) -> dict[str, list[tuple]]:
    """Every table but `runs`, ordered by key, without the columns naming the writing run."""
    con = duckdb.connect(str(warehouse_dir / "newsfacts.duckdb"), read_only=True)
    try:
        out = {}
        for name, schema in SCHEMAS.items():
            if name == "runs":
                continue
            cols = [c for c in schema.names if c not in RUN_COLUMNS.get(name, ())]
            out[name] = con.execute(f"SELECT {', '.join(cols)} FROM {name} "
                                    f"ORDER BY {', '.join(KEYS[name])}").fetchall()
        return out
    finally:
        con.close()


def export_mismatches(warehouse_dir: Path) -> list[str]:
    """Tables whose Parquet export differs from the DuckDB table (rows and content)."""
    from warehouse.export import PARTITION_COLS, UNKNOWN_PARTITION, partitioned

    exports = warehouse_dir / "exports"
    con = duckdb.connect(str(warehouse_dir / "newsfacts.duckdb"), read_only=True)
    bad = []
    try:
        for name, schema in SCHEMAS.items():
            order = ", ".join(KEYS[name])
            if partitioned(name):
                db_cols = ", ".join(f"coalesce({c}, {UNKNOWN_PARTITION}) AS {c}"
                                    if c in PARTITION_COLS else c for c in schema.names)
                source = (f"read_parquet('{exports / name}/**/*.parquet', "
                          "hive_partitioning=true, union_by_name=true)")
            else:
                db_cols = ", ".join(schema.names)
                source = f"read_parquet('{exports / name / 'data.parquet'}')"
            in_db = con.execute(f"SELECT {db_cols} FROM {name} ORDER BY {order}").fetchall()
            try:
                in_files = con.execute(f"SELECT {', '.join(schema.names)} FROM {source} "
                                       f"ORDER BY {order}").fetchall()
            except duckdb.Error as exc:
                bad.append(f"{name}: unreadable export ({exc})")
                continue
            if in_files != in_db:
                bad.append(f"{name}: {len(in_files)} exported rows vs {len(in_db)} in DuckDB")
    finally:
        con.close()
    return bad


def leftovers(warehouse_dir: Path) -> list[str]:
    """Temporary files a writer leaves behind when it dies (exports, DuckDB WAL)."""
    from warehouse.export import TMP_PREFIX

    found = [str(p.relative_to(warehouse_dir)) for p in warehouse_dir.rglob("*")
             if p.name.startswith(TMP_PREFIX) or ".tmp" in p.name]
    wal = warehouse_dir / "newsfacts.duckdb.wal"
    if wal.exists():
        found.append(wal.name)
    return found


def unreadable_parquet(exports_dir: Path) -> list[str]:
    """Published Parquet files (outside temp folders) that are not whole files."""
    import pyarrow.parquet as pq

    from warehouse.export import TMP_PREFIX

    bad = []
    for p in sorted(exports_dir.rglob("*.parquet")):
        if any(part.startswith(TMP_PREFIX) for part in p.relative_to(exports_dir).parts):
            continue
        try:
            pq.read_table(p)
        except Exception as exc:  # any failure to read means a torn file
            bad.append(f"{p.relative_to(exports_dir)}: {exc}")
    return bad


def snapshot_diff(got: dict[str, list[tuple]], want: dict[str, list[tuple]]) -> str:
    """A short account of how two stable snapshots differ (empty when they do not)."""
    lines = []
    for name in want:
        if got.get(name) != want[name]:
            have, need = set(map(repr, got.get(name, []))), set(map(repr, want[name]))
            extra, missing = sorted(have - need), sorted(need - have)
            lines.append(f"{name}: {len(got.get(name, []))} rows vs {len(want[name])}; "
                         f"unexpected {extra[:2]}; missing {missing[:2]}")
    return "\n".join(lines)


def cold_caches() -> None:
    """Forget the project's memoised results, as a fresh process would not have them.

    Flows run in this process reuse what earlier tests extracted (`lru_cache`s keyed on
    text): a run timed after them would look cheaper than it is.
    """
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("transforms", "newsfacts", "flows", "expectations"):
            for obj in list(vars(module).values()):
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()
