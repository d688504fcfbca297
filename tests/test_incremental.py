"""Incremental runs: a loaded folder that grows costs only the new pages (plus hashes).

Runs happen in this process against the session's Prefect server, with settle_seconds
set as a user would: every page of the corpus is older than that (its mtime is moved
back), so the first run loads them all; later, a page written "just now" must wait.

Run 2 adds one settled page and one still-being-written page: it loads exactly one.
Run 3 lets the waiting page settle and changes an earlier page: the new page loads and
the changed page's rows are replaced, in every document table.

About the time ratio: an incremental run still validates (Great Expectations builds its
context and runs every suite: about 2 s whatever the page count, more on a busy
machine) and re-exports the tables; those fixed costs are why the whole-run ratio is
bounded loosely here, on PAGES pages, while the per-page stages must almost vanish.
bench/pipeline_speed.py measures the ratio on 10,000 pages.
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
    export_mismatches,
    make_corpus,
    prefect_api_fixture,  # noqa: F401 - the session's Prefect server
    using_server,
)
from transforms.tables import DOC_TABLES

pytestmark = pytest.mark.slow

PAGES = 400
SETTLE = 60
PER_PAGE_STAGES = ("clean", "extract", "entities", "normalise", "load")


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
def folder(prefect_api, tmp_path_factory):
    """A landing folder of PAGES settled pages, two more pages held back, a warehouse."""
    import great_expectations  # noqa: F401 - imported once, so run 1's time is work

    base = tmp_path_factory.mktemp("incremental")
    landing = make_corpus(PAGES + 2, base / "landing", seed=7)
    held = base / "held"
    held.mkdir()
    extra = [next(landing.glob(f"g{n:06d}_*.txt")) for n in (PAGES, PAGES + 1)]
    for page in extra:
        for p in _pair(page):
            shutil.move(p, held / p.name)
    for p in landing.iterdir():
        _age(p, 3600)
    with pytest.MonkeyPatch.context() as mp, using_server(prefect_api):
        mp.setenv("NEWSFACTS_SETTLE_SECONDS", str(SETTLE))
        yield landing, sorted(held.glob("*.txt")), base / "wh"


def test_growing_folder_loads_only_new_and_changed_pages(folder):
    landing, (settled, fresh), wh = folder

    first = run_flow(landing, wh)
    assert first["pages_new"] == PAGES and first["pages_waiting"] == 0
    run1 = _run_row(wh, first["run_id"])

    # Run 2: one settled page added, one still being written (mtime now).
    for p in _pair(settled):
        shutil.copy2(p, landing / p.name)
    for p in _pair(fresh):
        shutil.copy(p, landing / p.name)
    second = run_flow(landing, wh)
    assert (second["pages_new"], second["pages_changed"], second["pages_waiting"],
            second["pages_unchanged"]) == (1, 0, 1, PAGES)
    assert second["pages_loaded"] == 1
    paths = {p for (p,) in query(wh, "SELECT source_path FROM documents")}
    assert str(landing / settled.name) in paths
    assert str(landing / fresh.name) not in paths, "a page still being written waits"
    run2 = _run_row(wh, second["run_id"])

    t1, t2 = sum(run1["stage_seconds"].values()), sum(run2["stage_seconds"].values())
    w1 = sum(run1["stage_seconds"][s] for s in PER_PAGE_STAGES)
    w2 = sum(run2["stage_seconds"][s] for s in PER_PAGE_STAGES)
    print(f"\nin-flow seconds: first run {t1:.2f} ({PAGES} pages), next run {t2:.2f} (1 page): "
          f"ratio {t2 / t1:.3f}; per-page stages {w1:.2f} -> {w2:.3f}; "
          f"validate {run1['stage_seconds']['validate']:.2f} -> "
          f"{run2['stage_seconds']['validate']:.2f}")
    assert w2 < 0.05 * w1, "the per-page stages ran over more than the new page"
    assert t2 < 0.5 * t1, "an incremental run costs a fraction of a full one"

    # Run 3: the waiting page has settled; an earlier page changed (a figure edited).
    _age(landing / fresh.name, SETTLE + 5)
    (path, old_doc), = query(wh, "SELECT source_path, doc_id FROM documents WHERE lang = 'fr' "
                                 "ORDER BY source_path LIMIT 1")
    changed = Path(path)
    raw = changed.read_bytes()
    changed.write_bytes(raw.replace(b"\n", b"\nLe groupe annonce 12,5 millions d'euros.\n", 1))
    _age(changed, SETTLE + 5)
    third = run_flow(landing, wh)
    assert (third["pages_new"], third["pages_changed"], third["pages_waiting"]) == (1, 1, 0)
    assert str(landing / fresh.name) in {p for (p,) in query(wh, "SELECT source_path FROM documents")}
    for table in DOC_TABLES:
        assert query(wh, f"SELECT count(*) FROM {table} WHERE doc_id = ?", old_doc) == [(0,)], table
    (new_doc, sha, n_amounts), = query(
        wh, "SELECT doc_id, raw_sha256, n_amounts FROM documents WHERE source_path = ?", str(changed))
    assert new_doc != old_doc and sha == hashlib.sha256(changed.read_bytes()).hexdigest()
    amounts = query(wh, "SELECT surface FROM fact_amount WHERE doc_id = ?", new_doc)
    assert len(amounts) == n_amounts and any("12,5 millions" in s for (s,) in amounts)
    assert query(wh, "SELECT count(*) FROM documents") == [(PAGES + 2,)]
    assert export_mismatches(wh) == []


def test_runs_table_records_each_run(folder):
    """Each run's row: Prefect flow run id, times, page counts, stage seconds, GX summary."""
    _, _, wh = folder
    rows = query(wh, "SELECT run_id FROM runs ORDER BY started")
    assert len(rows) == 3
    for (run_id,) in rows:
        r = _run_row(wh, run_id)
        assert r["flow_run_id"] == run_id, "the run id is Prefect's flow run id"
        assert r["started"] < r["finished"]
        assert set(r["stage_seconds"]) >= {"ingest", "clean", "extract", "validate", "load", "export"}
        assert r["gx_success"] is not None and r["gx_summary"]
    counts = query(wh, "SELECT pages_new, pages_changed, pages_unchanged, pages_waiting, "
                       "pages_quarantined FROM runs ORDER BY started")
    assert counts == [(PAGES, 0, 0, 0, 0), (1, 0, PAGES, 1, 0), (1, 1, PAGES, 0, 0)]
