"""Incremental runs: a loaded folder that grows costs only the new pages (plus hashes).

Runs happen in this process against the session's Prefect server, with settle_seconds
set as a user would: every page of the corpus is older than that (its mtime is moved
back), so the first run loads them all; later, a page written "just now" must wait.

Run 2 adds one settled page and one still-being-written page: it loads exactly one.
Run 3 lets the waiting page settle and changes an earlier page: the new page loads and
the changed page's rows are replaced, in every document table.

About the time ratio: every run that has a page to load validates, and Great
Expectations spends 3-4 s on its ~250 expectations whatever the row count (profiled:
metric and pydantic bookkeeping per expectation). On PAGES pages that fixed cost is
about half of a full run's in-flow time, so the whole-run ratio (printed) is about 0.5
here; the test asserts what must scale with the pages loaded: the per-page stages
(under 10 % of the first run's, about 2 % measured) and everything but validate and
export (under 25 %; export copies every table again to compare it with its files).
bench/pipeline_speed.py measures the whole ratio on 10,000 pages, in fresh processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.flowutil import query, run_flow
from tests.serverutil import (
    cold_caches,
    export_mismatches,
    make_corpus,
    using_server,
)
from transforms.contract.tables import DOC_TABLES

pytestmark = pytest.mark.slow

PAGES = 400
SETTLE = 60
PER_PAGE_STAGES = ("clean", "extract", "entities", "normalise")
FIXED_STAGES = ("validate", "export")  # GX's per-run cost; all tables are re-exported


def _age(path: Path, seconds: float) -> None:
    """Make a file look last modified `seconds` ago."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def _pair(page: Path) -> list[Path]:
    """A page and its sidecar, if any."""
    meta = page.with_name(page.name[: -len(".txt")] + ".meta.json")
    return [page, meta] if meta.exists() else [page]


def _run_row(wh: Path, run_id: str) -> dict:
    cols = ["flow_run_id", "started", "finished", "pages_new", "pages_changed",
            "pages_unchanged", "pages_waiting", "pages_quarantined", "stage_seconds",
            "gx_success", "gx_summary"]
    row = query(wh, f"SELECT {', '.join(cols)} FROM runs WHERE run_id = ?", run_id)[0]
    out = dict(zip(cols, row, strict=True))
    out["stage_seconds"] = json.loads(out["stage_seconds"])
    out["gx_summary"] = json.loads(out["gx_summary"])
    return out


@pytest.fixture(scope="module")
def history(prefect_api, tmp_path_factory):
    """Three runs over a growing folder, and what the warehouse held after each."""
    import great_expectations  # noqa: F401 - imported once, so run 1's time is work

    base = tmp_path_factory.mktemp("incremental")
    landing = make_corpus(PAGES + 2, base / "landing", seed=7)
    held = base / "held"
    held.mkdir()
    settled, fresh = [next(landing.glob(f"g{n:06d}_*.txt")) for n in (PAGES, PAGES + 1)]
    for page in (settled, fresh):
        for p in _pair(page):
            shutil.move(p, held / p.name)
    for p in [*landing.iterdir(), *held.iterdir()]:
        _age(p, 3600)
    settled, fresh = held / settled.name, held / fresh.name
    wh = base / "wh"
    h = {"landing": landing, "wh": wh, "settled": landing / settled.name,
         "fresh": landing / fresh.name}
    with pytest.MonkeyPatch.context() as mp, using_server(prefect_api):
        mp.setenv("NEWSFACTS_SETTLE_SECONDS", str(SETTLE))
        cold_caches()  # run 1 does its work, whatever earlier tests extracted
        h["run1"] = run_flow(landing, wh)

        # Run 2: one settled page added, one still being written (mtime now).
        for p in _pair(settled):
            shutil.copy2(p, landing / p.name)
        for p in _pair(fresh):
            shutil.copy(p, landing / p.name)
        h["run2"] = run_flow(landing, wh)
        h["paths2"] = {p for (p,) in query(wh, "SELECT source_path FROM documents")}

        # Run 3: the waiting page has settled; an earlier French page changed (a
        # sentence with an amount added after its title).
        _age(h["fresh"], SETTLE + 5)
        (path, h["old_doc"]), = query(
            wh, "SELECT source_path, doc_id FROM documents WHERE lang = 'fr' "
                "ORDER BY source_path LIMIT 1")
        changed = h["changed"] = Path(path)
        changed.write_bytes(changed.read_bytes().replace(
            b"\n", b"\nLe groupe annonce 12,5 millions d'euros.\n", 1))
        _age(changed, SETTLE + 5)
        h["run3"] = run_flow(landing, wh)
    return h


def test_first_run_loads_the_settled_folder(history):
    s = history["run1"]
    assert (s["pages_new"], s["pages_waiting"], s["pages_loaded"]) == (PAGES, 0, PAGES)


def test_one_added_page_loads_alone_at_a_fraction_of_the_cost(history):
    s, wh = history["run2"], history["wh"]
    assert (s["pages_new"], s["pages_changed"], s["pages_unchanged"], s["pages_loaded"]) == \
        (1, 0, PAGES, 1)
    assert str(history["settled"]) in history["paths2"]

    one, two = (_run_row(wh, history[r]["run_id"])["stage_seconds"] for r in ("run1", "run2"))
    total1, total2 = sum(one.values()), sum(two.values())
    per_page1, per_page2 = (sum(st[k] for k in PER_PAGE_STAGES) for st in (one, two))
    stages = ", ".join(f"{k} {one[k]:.2f} -> {v:.2f}" for k, v in two.items())
    print(f"\nin-flow seconds: first run {total1:.2f} ({PAGES} pages), next run {total2:.2f} "
          f"(1 page): ratio {total2 / total1:.3f}; outside validate "
          f"{(total2 - two['validate']) / (total1 - one['validate']):.3f}; {stages}")
    assert per_page2 < 0.1 * per_page1, f"per-page stages ran over old pages: {stages}"
    rest1, rest2 = (sum(v for k, v in st.items() if k not in FIXED_STAGES) for st in (one, two))
    assert rest2 < 0.25 * rest1, f"outside validate and export: {stages}"


def test_page_still_being_written_waits_for_the_next_run(history):
    fresh = str(history["fresh"])
    assert history["run2"]["pages_waiting"] == 1
    assert fresh not in history["paths2"], "a page modified within settle_seconds waits"
    s = history["run3"]
    assert (s["pages_new"], s["pages_waiting"]) == (1, 0)
    assert query(history["wh"], "SELECT count(*) FROM documents WHERE source_path = ?",
                 fresh) == [(1,)]


def test_changed_page_replaces_its_rows(history):
    s, wh, changed, old_doc = history["run3"], history["wh"], history["changed"], history["old_doc"]
    assert (s["pages_changed"], s["pages_unchanged"]) == (1, PAGES)
    for table in DOC_TABLES:
        assert query(wh, f"SELECT count(*) FROM {table} WHERE doc_id = ?", old_doc) == [(0,)], table
    (new_doc, sha, n_amounts), = query(
        wh, "SELECT doc_id, raw_sha256, n_amounts FROM documents WHERE source_path = ?",
        str(changed))
    assert new_doc != old_doc and sha == hashlib.sha256(changed.read_bytes()).hexdigest()
    amounts = query(wh, "SELECT surface FROM fact_amount WHERE doc_id = ?", new_doc)
    assert len(amounts) == n_amounts and any("12,5 millions" in a for (a,) in amounts)
    assert query(wh, "SELECT count(*) FROM documents") == [(PAGES + 2,)]
    assert export_mismatches(wh) == []


def test_runs_table_records_each_run(history):
    """Each run's row: Prefect flow run id, times, page counts, stage seconds, GX summary."""
    wh = history["wh"]
    rows = query(wh, "SELECT run_id FROM runs ORDER BY started")
    assert [r for (r,) in rows] == [history[k]["run_id"] for k in ("run1", "run2", "run3")]
    for (run_id,) in rows:
        r = _run_row(wh, run_id)
        assert r["flow_run_id"] == run_id, "the run id is Prefect's flow run id"
        assert r["started"] < r["finished"]
        assert set(r["stage_seconds"]) >= {"ingest", "clean", "extract", "validate", "load",
                                            "export"}
        assert r["gx_success"] is not None and r["gx_summary"]
    counts = query(wh, "SELECT pages_new, pages_changed, pages_unchanged, pages_waiting, "
                       "pages_quarantined FROM runs ORDER BY started")
    assert counts == [(PAGES, 0, 0, 0, 0), (1, 0, PAGES, 1, 0), (1, 1, PAGES, 0, 0)]
