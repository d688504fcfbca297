"""First render of the dashboard's overview on the exports of a 100,000-page warehouse.

`python bench/dashboard_render.py [N_PAGES] [--exports DIR]` builds a synthetic warehouse
(newsfacts/testing/synthetic.py: every column filled, ids and relations consistent; here each
page also gets a realistic ~2,500-character body with its amounts inside sentences, so
the v_amounts mart carries real sentences), exports it (tables and marts), then times,
each in a fresh Python process as a new server would be:
- the data layer alone: loading the exports into the locked in-memory DuckDB;
- the Overview page's first run with Streamlit's AppTest (imports, load, every query,
  every chart), which is what a first visitor waits for on the server side.
The exports are kept in DIR (default /tmp/newsfacts-bench-100k) and reused when present.
Target: first render under 3 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsfacts.testing.synthetic import synthetic_batch  # noqa: E402
from warehouse.export import SCHEMA_FILE, export_all  # noqa: E402
from warehouse.store import Warehouse  # noqa: E402

SENTENCE = ("Le groupe {e} a annoncé un programme de {v} pour moderniser ses activités "
            "dans la région, selon un communiqué publié mardi. ")
FILLER = ("Les analystes du secteur estiment que la demande restera soutenue au cours des "
          "prochains trimestres, malgré la hausse des coûts de financement. ")


def realistic_bodies(batch: dict[str, pa.Table], amounts_per_doc: int) -> dict[str, pa.Table]:
    """Give each page a long body holding its amounts at the right offsets."""
    docs, amounts = batch["documents"], batch["fact_amount"]
    bodies, starts, ends = [], [], []
    for d in range(docs.num_rows):
        parts, offs = [], []
        pos = 0
        for j in range(amounts_per_doc):
            filler = FILLER * 2
            parts.append(filler)
            pos += len(filler)
            v = f"{(d * 31 + j * 7) % 1000 + 1} millions de dirhams"
            s = SENTENCE.format(e=f"Entity {d % 997}", v=v)
            at = s.index(v)
            offs.append((pos + at, pos + at + len(v)))
            parts.append(s)
            pos += len(s)
        parts.append(FILLER * 3)
        bodies.append("".join(parts))
        starts.extend(o[0] for o in offs)
        ends.extend(o[1] for o in offs)
    docs = docs.set_column(docs.schema.get_field_index("body"), "body", pa.array(bodies))
    i = amounts.schema.get_field_index("body_start")
    amounts = amounts.set_column(i, amounts.schema.field(i), pa.array(starts, pa.int32()))
    i = amounts.schema.get_field_index("body_end")
    amounts = amounts.set_column(i, amounts.schema.field(i), pa.array(ends, pa.int32()))
    return {**batch, "documents": docs, "fact_amount": amounts}


def build(exports: Path, n_pages: int, batch: int = 10_000, amounts_per_doc: int = 6) -> None:
    with tempfile.TemporaryDirectory() as d, Warehouse(Path(d)) as wh:
        wh.ensure_schema()
        t = time.perf_counter()
        for first in range(0, n_pages, batch):
            b = synthetic_batch(min(batch, n_pages - first), first_doc=first,
                                amounts_per_doc=amounts_per_doc, n_entities=20_000,
                                hours_between_docs=0.2)
            wh.load_batch(realistic_bodies(b, amounts_per_doc))
        wh.record_run({"run_id": "bench", "status": "completed", "pages_seen": n_pages,
                       "pages_new": n_pages, "pages_quarantined": 0})
        print(f"generate + load {n_pages} pages: {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        counts = export_all(wh, exports)
        print(f"export (tables + marts): {time.perf_counter() - t:.1f}s  "
              + json.dumps({k: counts[k] for k in ("documents", "v_amounts", "v_deals",
                                                   "v_entity_totals")}))


LOAD = """
import sys, time
from newsfacts.dashboard.data import ExportsData
t = time.perf_counter()
d = ExportsData(sys.argv[1], sys.argv[2] if sys.argv[2] != "all" else None)
print(f"{time.perf_counter() - t:.3f}")
"""

# The server (newsfacts.dashboard.server) imports Streamlit and the pages' modules before
# it listens: time the app's first run from that state (loading the overview's columns,
# every query, every chart), and the whole process for reference.
RENDER = """
import os, sys, time, logging
t0 = time.perf_counter()
os.environ["NEWSFACTS_DASHBOARD_EXPORTS"] = sys.argv[1]
logging.disable(logging.WARNING)
from streamlit.testing.v1 import AppTest
from newsfacts.dashboard.server import preload
preload()
t = time.perf_counter()
at = AppTest.from_file(sys.argv[2], default_timeout=60).run()
t1 = time.perf_counter()
assert not at.exception, at.exception
assert len(at.metric) == 5, [m.label for m in at.metric]
print(f"{t1 - t:.3f} {t1 - t0:.3f}", [m.value for m in at.metric])
"""


def timed(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return out.stdout.strip().splitlines()[-1]


def browser_first_render(exports: Path, repeat: int = 2) -> list[float]:
    """Seconds from opening the overview to its metrics and charts drawn, in Chromium.

    Each try starts a new `newsfacts dashboard` (nothing cached) and waits until it
    answers before opening the page. Skipped (empty list) without chromium.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from browserutil import chromium_paths, dashboard_server, open_browser, wait_for_page

    if chromium_paths() is None:
        print("browser: chromium not found, skipped")
        return []
    out = []
    for _ in range(repeat):
        with dashboard_server(exports) as url, open_browser() as driver:
            t = time.perf_counter()
            driver.get(url)
            wait_for_page(driver, metrics=5, charts=5)
            out.append(time.perf_counter() - t)
    return out


def browser_floor(repeat: int = 2) -> list[float]:
    """The same with no exports (an info box only): Streamlit's own page-load floor."""
    from browserutil import dashboard_server, open_browser
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out = []
    with tempfile.TemporaryDirectory() as empty:
        for _ in range(repeat):
            with dashboard_server(Path(empty)) as url, open_browser() as driver:
                t = time.perf_counter()
                driver.get(url)
                WebDriverWait(driver, 60, poll_frequency=0.05).until(
                    lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="stAlert"]'))
                out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="?", type=int, default=100_000)
    ap.add_argument("--exports", type=Path, default=Path("/tmp/newsfacts-bench-100k"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    if args.rebuild and args.exports.exists():
        shutil.rmtree(args.exports)
    if not (args.exports / SCHEMA_FILE).is_file():
        build(args.exports, args.pages)
    size = sum(p.stat().st_size for p in args.exports.rglob("*.parquet")) / 1e6
    print(f"exports: {args.exports} ({size:.0f} MB of Parquet)")
    app = str(ROOT / "newsfacts" / "dashboard" / "app.py")
    for page in ("overview", "all"):
        loads = [float(timed(LOAD, str(args.exports), page)) for _ in range(args.repeat)]
        print(f"data layer load, {page} page(s) (s): " + ", ".join(f"{x:.2f}" for x in loads))
    renders = [timed(RENDER, str(args.exports), app) for _ in range(args.repeat)]
    secs = [float(r.split()[0]) for r in renders]
    whole = [float(r.split()[1]) for r in renders]
    print("overview first render, server started (s): " + ", ".join(f"{x:.2f}" for x in secs))
    print("same plus starting a process and importing Streamlit and pandas (s): "
          + ", ".join(f"{x:.2f}" for x in whole))
    print("overview metrics: " + renders[-1].split(" ", 2)[2])
    if not args.no_browser:
        browser = browser_first_render(args.exports)
        if browser:
            print("browser, new server, navigation to metrics + 5 charts drawn (s): "
                  + ", ".join(f"{x:.2f}" for x in browser))
            print("browser floor, same server with no exports, info box shown (s): "
                  + ", ".join(f"{x:.2f}" for x in browser_floor()))
    print(f"first render: best {min(secs):.2f}s, worst {max(secs):.2f}s: "
          f"{'OK' if max(secs) < 3 else 'OVER'} (< 3 s)")


if __name__ == "__main__":
    main()
