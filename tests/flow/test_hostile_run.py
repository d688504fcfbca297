"""A landing folder of 500+ hostile files through `newsfacts run` (issue 11).

Binary, NUL bytes, bad UTF-8, UTF-16, 6 MB pages, 100,000-digit runs, 2 MB lines,
separator and currency storms, broken or lying sidecars, odd names, broken HTML, gzip
bombs, truncated and garbage WARCs, empty files, duplicates: the run must finish, its
pages must add up, every file must be a document, a source of one, or quarantined, and
the whole process must stay under 1.5 GB resident. The run is a separate process (the
command a user types), so its peak memory is its own, not pytest's.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from newsfacts.testing.hostile import write_hostile_corpus
from tests.flowutil import query

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS = 1.5 * 2**30


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    land = tmp_path_factory.mktemp("hostile")
    manifest = write_hostile_corpus(land)
    wh = tmp_path_factory.mktemp("warehouse")
    env = {**os.environ, "NEWSFACTS_SETTLE_SECONDS": "0", "DO_NOT_TRACK": "1",
           "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect_home")),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    cli = Path(sys.executable).with_name("newsfacts")
    out = subprocess.run([str(cli), "run", "--input", str(land), "--warehouse", str(wh)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)
    # the largest process any child of this test session reached (the run is one of them)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return land, wh, manifest, out, peak


def test_hostile_folder_runs_to_the_end(hostile_run):
    _, _, manifest, out, _ = hostile_run
    assert sum(len(v) for v in manifest.values()) >= 500
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]


def test_hostile_run_adds_up(hostile_run):
    _, wh, manifest, _, _ = hostile_run
    rows = query(wh, "SELECT pages_seen, pages_loaded, pages_unchanged, pages_duplicate, "
                     "pages_waiting, pages_quarantined, accounted FROM runs")
    assert len(rows) == 1
    seen, loaded, unchanged, dup, waiting, quarantined, accounted = rows[0]
    assert accounted and seen == loaded + unchanged + dup + waiting + quarantined
    assert loaded >= len(manifest["good"]) and quarantined > 0 and dup >= len(manifest["duplicate"]) // 2


def test_every_hostile_file_is_a_document_a_source_or_quarantined(hostile_run):
    land, wh, manifest, _, _ = hostile_run
    where = query(wh, "SELECT source_path FROM documents UNION SELECT source_path FROM document_sources "
                      "UNION SELECT source_path FROM quarantine")
    held = {p for (p,) in where}
    files = {p.split("#")[0].split("@")[0] for p in held if ".warc" in p.lower()}
    missing = [(kind, name) for kind, names in manifest.items() for name in names
               if str((land / name).resolve()) not in held | files]
    assert missing == []
    reasons = {r for (r,) in query(wh, "SELECT DISTINCT reason FROM quarantine")}
    assert {"binary", "too_large", "figure_storm", "warc_truncated", "bad_gzip"} <= reasons


def test_hostile_run_peak_memory(hostile_run):
    *_, peak = hostile_run
    assert peak < MAX_RSS, f"peak RSS {peak / 2**20:.0f} MiB"
