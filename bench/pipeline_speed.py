"""Throughput of `newsfacts run` on a generated corpus: pages/s, memory, stages, increments.

    python bench/pipeline_speed.py [--pages 10000] [--workers W] [--scaling] [--large N]
                                   [--html] [--keep DIR]

Generates the corpus with newsfacts/testing/corpus.py, then runs the CLI in fresh
processes, all in this one invocation, and prints every figure issue 12 asks for:

* with `--scaling`, a full run with one worker (in process, no Dask) bound to one core
  (its validator process too: "one core" is one core), then the same run free to use a
  second core for its validator, each into a warehouse of its own;
* a full run with `--workers W` (default 0: one worker process per core): wall seconds,
  pages per second, the share of time per stage (from the `runs` table; CPU stages are
  summed over workers), and the peak memory of the whole process tree (the CLI, its
  validator process and its Dask workers; proportional set size, sampled every 100 ms);
  with `--scaling`, the speed-up of W workers over one core (and over the free run);
* with `--large N`, a full run over an N-page corpus of the same generator with W workers, and its peak memory against the
  `--pages` run's (the ratio: memory must not grow with the corpus);
* an incremental run after adding one page to the largest corpus: wall seconds and
  their share of that corpus's full run;
* a run with nothing to do (wall seconds);
* with `--html`, the same articles as HTML pages (newsfacts/testing/htmlcorpus.py) into a
  warehouse of their own: text and HTML pages/s side by side.

Scheduled runs talk to a long-lived Prefect server, so the bench does too: when none
answers on 127.0.0.1:4200 it starts one (`prefect server start`, its own PREFECT_HOME in
the work folder) before the first run, says so, and stops it at the end. Its memory is
not the run's (it serves every run): it is printed apart. Without it each run would
start a temporary server (10-20 s and 200+ MiB each on two busy cores).

The machine is shared: run it under `nice` and read the figures as indications.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from newsfacts.testing import htmlcorpus

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("newsfacts")


def _tree_memory(proc: psutil.Process) -> int:
    """Proportional set size summed over the tree (Linux): shared pages counted once.

    Plain RSS would count the libraries every worker maps (Python, Arrow, pandas) once
    per process and overstate a Dask run's footprint; elsewhere RSS is what there is.
    """
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
    return total


def run_cli(input_dir: Path, warehouse: Path, workers: int, one_core: bool = False,
            ) -> tuple[float, float, str]:
    """Wall seconds, peak memory (PSS) of the process tree (MiB) and output of one `newsfacts run`.

    `one_core`: the run and every process it starts are bound to one CPU (Linux
    `sched_setaffinity`; the children inherit it), so "one core" means one core: a
    one-worker run still has its validator process, which would otherwise work on a
    second core beside it.
    """
    argv = [str(CLI), "run", "--input", str(input_dir), "--warehouse", str(warehouse),
            "--workers", str(workers)]
    pin = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=os.environ.copy(), preexec_fn=pin)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        ps = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                peak = max(peak, _tree_memory(ps))
            except psutil.Error:
                return
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{text}")
    return wall, peak / 2**20, text


def last_run(warehouse: Path) -> dict:
    con = duckdb.connect(str(warehouse / "newsfacts.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT pages_new, pages_unchanged, stage_seconds, n_amounts, epoch(finished) - epoch(started) "
                          "FROM runs ORDER BY started DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return {"pages_new": row[0], "pages_unchanged": row[1], "stage_seconds": json.loads(row[2]),
            "amounts": row[3], "seconds": row[4]}


@dataclass(frozen=True)
class Full:
    wall: float  # seconds
    staged: float  # seconds inside the flow's stages (CPU stages summed over workers)
    peak: float  # MiB, PSS of the process tree


def full_run(label: str, corpus: Path, warehouse: Path, pages: int, workers: int,
             one_core: bool = False) -> Full:
    """One full run (printed)."""
    shutil.rmtree(warehouse, ignore_errors=True)
    wall, rss, _ = run_cli(corpus, warehouse, workers, one_core)
    run = last_run(warehouse)
    stages = run["stage_seconds"]
    staged = sum(stages.values()) or 1.0
    print(f"{label:<18}{wall:.1f} s wall, {pages / wall:.0f} pages/s "
          f"({run['seconds']:.1f} s inside the flow); peak memory {rss:.0f} MiB (process tree, PSS)")
    print(f"{'  stage shares':<18}" + ", ".join(f"{k} {v / staged:.0%}" for k, v in stages.items()
                                                 if v >= 0.005 * staged), flush=True)
    return Full(wall, staged, rss)


SERVER = "http://127.0.0.1:4200/api"


def server_up() -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(SERVER + "/health", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def prefect_server(work: Path):
    """A long-lived local Prefect server for the runs: the one on :4200, or one started here."""
    if server_up():
        print("prefect server    already running on 127.0.0.1:4200: the runs use it")
        yield None
        return
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect"), PREFECT_SERVER_LOGGING_LEVEL="WARNING",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    t0 = time.perf_counter()
    log = open(work / "prefect_server.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", "4200"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        while not server_up():
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                sys.exit(f"prefect server did not start (see {work / 'prefect_server.log'})")
            time.sleep(0.5)
        print(f"prefect server    started once by this bench (`prefect server start`, "
              f"{time.perf_counter() - t0:.0f} s), as scheduled runs use a long-lived one; "
              "every run below reuses it")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def server_memory(proc: subprocess.Popen | None) -> str:
    if proc is None:
        return "not ours"
    with contextlib.suppress(psutil.Error):
        return f"{_tree_memory(psutil.Process(proc.pid)) / 2**20:.0f} MiB"
    return "unknown"


def generate(out: Path, pages: int) -> float:
    """Write `pages` generated pages into `out`; MB of text."""
    subprocess.run([sys.executable, "-m", "newsfacts.testing.corpus", "--pages", str(pages),
                    "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return sum(p.stat().st_size for p in out.glob("*.txt")) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=0, help="0 = one per core")
    ap.add_argument("--scaling", action="store_true", help="also run with one worker first")
    ap.add_argument("--large", type=int, default=0, help="also a full run over this many pages")
    ap.add_argument("--html", action="store_true", help="also the same articles as HTML pages")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, warehouse = work / "corpus", work / "warehouse"
    for p in (corpus, warehouse, work / "warehouse1", work / "large", work / "warehouse_large"):
        shutil.rmtree(p, ignore_errors=True)
    size_mb = generate(corpus, a.pages)
    workers = a.workers or (os.cpu_count() or 1)
    print(f"corpus            {a.pages} pages, {size_mb:.1f} MB; {os.cpu_count()} cores", flush=True)

    with prefect_server(work) as server:
        one = None
        if a.scaling:
            one = full_run("full, 1 core", corpus, work / "warehouse1", a.pages, 1, one_core=True)
            shared = full_run("1 worker, free", corpus, work / "warehouse1", a.pages, 1)
        full = full_run(f"full, {workers} workers", corpus, warehouse, a.pages, workers)
        if one is not None:
            print(f"speed-up          {one.wall / full.wall:.2f} ({workers} workers over one core, wall); "
                  f"{shared.wall / full.wall:.2f} over one worker whose validator may use a second core",
                  flush=True)

        last, last_dir, last_wh, last_pages = full, corpus, warehouse, a.pages
        if a.large:
            large = work / "large"
            large_mb = generate(large, a.large)
            big = full_run(f"full, {a.large} pages", large, work / "warehouse_large", a.large, workers)
            print(f"memory vs size    peak {big.peak:.0f} MiB at {a.large} pages ({large_mb:.0f} MB) vs "
                  f"{full.peak:.0f} MiB at {a.pages}: ratio {big.peak / full.peak:.3f}", flush=True)
            last, last_dir, last_wh, last_pages = big, large, work / "warehouse_large", a.large

        if a.html:
            html_run(corpus, work, a.pages, workers, full)

        extra = sorted(last_dir.glob("*.txt"))[0]
        (last_dir / "zz_added_page.txt").write_text(
            extra.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour changer le contenu.\n",
            encoding="utf-8")
        inc_wall, inc_rss, _ = run_cli(last_dir, last_wh, workers)
        inc = last_run(last_wh)
        print(f"incremental run   1 page over {last_pages}: {inc_wall:.1f} s wall, pages new {inc['pages_new']}, "
              f"unchanged {inc['pages_unchanged']}; {inc['seconds']:.2f} s inside the flow; "
              f"peak memory {inc_rss:.0f} MiB", flush=True)
        print("  stages          " + ", ".join(f"{k} {v:.2f}s" for k, v in inc["stage_seconds"].items()
                                                   if v >= 0.01))
        print(f"ratio incremental/full: wall {inc_wall / last.wall:.3f} (over {last_pages} pages)", flush=True)
        idle_wall, _, idle_out = run_cli(last_dir, last_wh, workers)
        print(f"nothing to do     {idle_wall:.2f} s wall ({' '.join(idle_out.split())[:90]})")
        print(f"prefect server    memory {server_memory(server)} (PSS; serves every run, not in the peaks above)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def html_run(corpus: Path, work: Path, pages: int, workers: int, full: Full) -> None:
    """The same articles as HTML pages (trafilatura reads them), in a warehouse of their own."""
    html_dir, html_wh = work / "html", work / "warehouse_html"
    shutil.rmtree(html_dir, ignore_errors=True)
    shutil.rmtree(html_wh, ignore_errors=True)
    htmlcorpus.convert(corpus, html_dir)
    html_wall, html_rss, _ = run_cli(html_dir, html_wh, workers)
    html_staged = sum(last_run(html_wh)["stage_seconds"].values()) or 1.0
    print(f"text vs HTML      {pages / full.staged:.0f} vs {pages / html_staged:.0f} pages/s inside the flow, "
          f"{pages / full.wall:.0f} vs {pages / html_wall:.0f} pages/s wall; HTML peak memory {html_rss:.0f} MiB",
          flush=True)


if __name__ == "__main__":
    main()
