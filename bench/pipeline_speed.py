"""Throughput of `newsfacts run` on a generated corpus: pages/s, memory, stages, increments.

    python bench/pipeline_speed.py [--pages 10000] [--workers W] [--scaling] [--keep DIR]

Generates the corpus with newsfacts/testing/corpus.py, then runs the CLI in fresh
processes, all in this one invocation:

* a full run with `--workers W` (default 0: one worker process per core): wall seconds,
  pages per second, the share of time per stage (from the `runs` table; CPU stages are
  summed over workers), and the peak resident memory of the whole process tree (the
  CLI, its Prefect server and its Dask workers, proportional set size, sampled every 100 ms);
* an incremental run after adding one page, and its cost as a share of the full run;
* a run with nothing to do (wall seconds);
* the same articles as HTML pages (newsfacts/testing/htmlcorpus.py) into a warehouse of
  their own: text and HTML pages/s side by side;
* with `--scaling`, first a full run with one worker (in process, no Dask) on the same
  corpus into another warehouse, and the speed-up of W workers over it.

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


def run_cli(input_dir: Path, warehouse: Path, workers: int) -> tuple[float, float, str]:
    """Wall seconds, peak memory (PSS) of the process tree (MiB) and output of one `newsfacts run`."""
    argv = [str(CLI), "run", "--input", str(input_dir), "--warehouse", str(warehouse),
            "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=os.environ.copy())
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


def full_run(label: str, corpus: Path, warehouse: Path, pages: int, workers: int) -> tuple[float, float]:
    """Wall seconds and seconds inside the flow's stages of one full run (printed)."""
    wall, rss, _ = run_cli(corpus, warehouse, workers)
    run = last_run(warehouse)
    stages = run["stage_seconds"]
    staged = sum(stages.values()) or 1.0
    print(f"{label:<18}{wall:.1f} s wall, {pages / wall:.0f} pages/s "
          f"({run['seconds']:.1f} s inside the flow); peak memory {rss:.0f} MiB (process tree, PSS)")
    print(f"{'  stage shares':<18}" + ", ".join(f"{k} {v / staged:.0%}" for k, v in stages.items()
                                                 if v >= 0.005 * staged))
    return wall, staged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=0, help="0 = one per core")
    ap.add_argument("--scaling", action="store_true", help="also run with one worker first")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    corpus, warehouse = work / "corpus", work / "warehouse"
    for p in (corpus, warehouse, work / "warehouse1"):
        shutil.rmtree(p, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "newsfacts.testing.corpus", "--pages", str(a.pages),
                    "--out", str(corpus)], check=True)
    size_mb = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
    workers = a.workers or (os.cpu_count() or 1)
    print(f"corpus            {a.pages} pages, {size_mb:.1f} MB; {os.cpu_count()} cores")

    one = full_run("full, 1 worker", corpus, work / "warehouse1", a.pages, 1)[0] if a.scaling else None
    full, staged = full_run(f"full, {workers} workers", corpus, warehouse, a.pages, workers)
    if one is not None:
        print(f"speed-up          {one / full:.2f} ({workers} workers over 1, wall)")

    # The same articles as HTML pages (trafilatura reads them), in a warehouse of their own.
    html_dir, html_wh = work / "html", work / "warehouse_html"
    shutil.rmtree(html_dir, ignore_errors=True)
    shutil.rmtree(html_wh, ignore_errors=True)
    htmlcorpus.convert(corpus, html_dir)
    html_wall, html_rss, _ = run_cli(html_dir, html_wh, workers)
    html_staged = sum(last_run(html_wh)["stage_seconds"].values()) or 1.0
    print(f"text vs HTML      {a.pages / staged:.0f} vs {a.pages / html_staged:.0f} pages/s inside the flow, "
          f"{a.pages / full:.0f} vs {a.pages / html_wall:.0f} pages/s wall; HTML peak memory {html_rss:.0f} MiB")

    extra = sorted(corpus.glob("*.txt"))[0]
    (corpus / "zz_added_page.txt").write_text(
        extra.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour changer le contenu.\n",
        encoding="utf-8")
    inc_wall, inc_rss, _ = run_cli(corpus, warehouse, workers)
    inc = last_run(warehouse)
    print(f"incremental run   {inc_wall:.1f} s wall, pages new {inc['pages_new']}, unchanged "
          f"{inc['pages_unchanged']}; {inc['seconds']:.2f} s inside the flow; "
          f"peak memory {inc_rss:.0f} MiB")
    print(f"ratio incremental/full: wall {inc_wall / full:.3f}")
    idle_wall, _, idle_out = run_cli(corpus, warehouse, workers)
    print(f"nothing to do     {idle_wall:.2f} s wall ({' '.join(idle_out.split())[:90]})")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
