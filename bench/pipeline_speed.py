"""Throughput of `newsfacts run` on a generated corpus, with stage shares and peak memory.

    python bench/pipeline_speed.py [--pages 10000] [--keep DIR]

Generates the corpus with newsfacts/testing/corpus.py, runs the CLI twice in fresh processes
(a first full run, then an incremental run after adding one page) and prints pages per
second, the share of time per stage (from the `runs` table), the peak resident memory
of each run, and the incremental/full time ratio, all measured in this one invocation;
then the same articles as HTML pages (newsfacts/testing/htmlcorpus.py), text and HTML
pages/s side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from newsfacts.testing import htmlcorpus

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("newsfacts")


def run_cli(input_dir: Path, warehouse: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `newsfacts run` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([str(CLI), "run", "--input", str(input_dir), "--warehouse", str(warehouse)],
                          capture_output=True, text=True, env=os.environ.copy())
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def last_run(warehouse: Path) -> dict:
    con = duckdb.connect(str(warehouse / "newsfacts.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT pages_new, pages_unchanged, stage_seconds, n_amounts "
                          "FROM runs ORDER BY started DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return {"pages_new": row[0], "pages_unchanged": row[1], "stage_seconds": json.loads(row[2]),
            "amounts": row[3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    corpus, warehouse = work / "corpus", work / "warehouse"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(warehouse, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "newsfacts.testing.corpus", "--pages", str(a.pages),
                    "--out", str(corpus)], check=True)
    size_mb = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6

    full_wall, full_rss = run_cli(corpus, warehouse)
    full = last_run(warehouse)
    stages = full["stage_seconds"]
    staged = sum(stages.values()) or 1.0
    print(f"corpus            {a.pages} pages, {size_mb:.1f} MB")
    print(f"full run          {full_wall:.1f} s wall (process incl. Prefect start), "
          f"{a.pages / full_wall:.0f} pages/s; {a.pages / staged:.0f} pages/s inside the flow")
    print(f"amounts loaded    {full['amounts']}")
    print("stage shares      " + ", ".join(f"{k} {v / staged:.0%}" for k, v in stages.items() if v))
    print(f"peak RSS          {full_rss:.0f} MiB")

    # The same articles as HTML pages (trafilatura reads them), in a warehouse of their own.
    html_dir, html_wh = work / "html", work / "warehouse_html"
    shutil.rmtree(html_dir, ignore_errors=True)
    shutil.rmtree(html_wh, ignore_errors=True)
    htmlcorpus.convert(corpus, html_dir)
    html_wall, html_rss = run_cli(html_dir, html_wh)
    html_staged = sum(last_run(html_wh)["stage_seconds"].values()) or 1.0
    print(f"text vs HTML      {a.pages / staged:.0f} vs {a.pages / html_staged:.0f} pages/s inside the flow, "
          f"{a.pages / full_wall:.0f} vs {a.pages / html_wall:.0f} pages/s wall; HTML peak RSS {html_rss:.0f} MiB")

    extra = sorted(corpus.glob("*.txt"))[0]
    new_page = corpus / "zz_added_page.txt"
    new_page.write_text(extra.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour changer le contenu.\n",
                        encoding="utf-8")
    inc_wall, _ = run_cli(corpus, warehouse)
    inc = last_run(warehouse)
    inc_staged = sum(inc["stage_seconds"].values())
    print(f"incremental run   {inc_wall:.1f} s wall, pages new {inc['pages_new']}, "
          f"unchanged {inc['pages_unchanged']}; inside the flow {inc_staged:.2f} s")
    print(f"ratio incremental/full: wall {inc_wall / full_wall:.3f}, in-flow {inc_staged / staged:.3f}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
