"""A 1 GB WARC streams through the landing reader with peak memory under 1 GB (issue 11).

The archive is generated in a temporary folder (10,000+ HTML responses of ~100 kB, with
requests between them), then read in a fresh Python process the way ingest reads it:
every page as a RawPage, hashed, never the archive whole. The child reports its peak
resident memory (ru_maxrss) and what it counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsfacts.testing import warcgen

ROOT = Path(__file__).resolve().parents[2]
GB = 1 << 30
PAGE = 100_000

CHILD = """
import hashlib, json, resource, sys
from datetime import UTC, datetime
from pathlib import Path
from newsfacts.resources import list_landing
from newsfacts.sources.pages import FileCounts, iter_file_pages
from transforms.contract.pages import RawPage
ready, _ = list_landing(Path(sys.argv[1]))
counts, pages, digest = FileCounts(), 0, hashlib.sha256()
for entry in ready:
    for item in iter_file_pages(entry, 5_000_000, counts):
        if isinstance(item, RawPage):
            pages += 1
            digest.update(hashlib.sha256(item.raw).digest())
print(json.dumps({"pages": pages, "counted": counts.pages, "skipped": counts.skipped_records,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def _write_gb_warc(path: Path) -> int:
    """Write records straight to disk (never a list of them) until the file passes 1 GB."""
    filler = ("<p>Le groupe investit 1,2 milliard de dirhams dans une usine. </p>" * (PAGE // 66)).encode()
    n = 0
    with path.open("wb") as out:
        out.write(warcgen.warcinfo(path.name))
        while out.tell() < GB:
            url = f"https://exemple.ma/eco/{n}.html"
            out.write(warcgen.request(url))
            out.write(warcgen.response(url, b"<html><body><article><h1>Page %d</h1>" % n + filler
                                       + b"</article></body></html>"))
            n += 1
    return n


@pytest.mark.slow
def test_one_gb_warc_streams_under_one_gb(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    n = _write_gb_warc(landing / "big.warc")
    assert (landing / "big.warc").stat().st_size >= GB
    out = subprocess.run([sys.executable, "-c", CHILD, str(landing)], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=600)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["pages"] == got["counted"] == n
    assert got["skipped"] == n + 1  # the requests and the warcinfo record
    assert got["peak"] < GB, f"peak RSS {got['peak'] / 2**20:.0f} MiB"
    print(f"1 GB WARC: {n} pages, peak RSS {got['peak'] / 2**20:.0f} MiB")
