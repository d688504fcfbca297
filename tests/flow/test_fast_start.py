"""A run with nothing to do ends before any Prefect server or flow run: in seconds."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.flowutil import query
from tests.serverutil import NEWSFACTS, ROOT, child_env

pytestmark = pytest.mark.slow


def test_nothing_new_ends_before_prefect_starts(prefect_api, clean_corpus):
    corpus, clean = clean_corpus
    runs = query(clean, "SELECT count(*) FROM runs")[0][0]
    t0 = time.perf_counter()
    proc = subprocess.run([str(NEWSFACTS), "run", "--input", str(corpus), "--warehouse", str(clean)],
                          cwd=ROOT, env=child_env(prefect_api), capture_output=True, text=True,
                          timeout=120)
    wall = time.perf_counter() - t0
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "nothing new" in out and "no flow run started" in out, out
    assert query(clean, "SELECT count(*) FROM runs")[0][0] == runs  # nothing was recorded
    print(f"\nno-op run: {wall:.2f} s wall")
    assert wall <= 5.0, f"a run with nothing to do took {wall:.1f} s"
