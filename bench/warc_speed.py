"""FastWARC against warcio on the same generated WARC files: pages/s and correctness.

    python bench/warc_speed.py [--pages 10000] [--big-mb 0]

Writes one .warc.gz of `--pages` HTML responses (with request records between them, as
crawlers write) with newsfacts.testing.warcgen, then times, each in a fresh process so
peak memory is its own:

* fastwarc:   the project's reader (newsfacts.sources.warc.iter_warc, FastWARC below)
* fastwarc-raw / warcio-raw: the bare libraries, every record's payload read
  (warcio via `content_stream()`, which also undoes chunked and gzip bodies)

and prints pages/s and peak RSS. Correctness: each reader is run on the file with its
last record cut inside the headers and inside the payload, and on a file with a corrupt
gzip member in the middle; the table says what each one reports. `--big-mb N` also
writes an N MB archive and prints the project reader's peak RSS on it (streaming check).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsfacts.testing import warcgen  # noqa: E402

PARA = ("<p>Le groupe {n} a annoncé un investissement de {m} millions de dirhams dans une "
        "nouvelle usine, selon un communiqué publié mardi par la direction.</p>")


def page(n: int, paras: int = 12) -> bytes:
    body = "".join(PARA.format(n=n, m=100 + i) for i in range(paras))
    return (f"<html lang='fr'><head><title>Article {n}</title></head><body><nav>Accueil</nav>"
            f"<article><h1>Article {n}</h1>{body}</article><footer>© 2025</footer></body></html>").encode()


def make(path: Path, pages: int, paras: int = 12) -> Path:
    def records():
        for n in range(pages):
            url = f"https://news.example.ma/eco/{n}.html"
            yield warcgen.request(url)
            yield warcgen.response(url, page(n, paras))
    with path.open("wb") as out:
        for rec in records():
            out.write(warcgen.gz_member(rec))
    return path


CHILD = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
t = time.perf_counter(); pages = 0; problems = []
try:
    if kind == "fastwarc":
        from newsfacts.sources.warc import WarcPage, iter_warc
        for item in iter_warc(path, max_bytes=10**9):
            if isinstance(item, WarcPage): pages += 1
            else: problems.append(item.reason)
    elif kind == "fastwarc-raw":
        from fastwarc.warc import ArchiveIterator, WarcRecordType
        for r in ArchiveIterator(open(path, "rb"), record_types=WarcRecordType.response, parse_http=True):
            data = r.reader.read()
            if r.http_headers is not None and r.http_headers.status_code == 200: pages += 1
    else:
        from warcio.archiveiterator import ArchiveIterator
        for r in ArchiveIterator(open(path, "rb")):
            if r.rec_type == "response":
                data = r.content_stream().read()
                if r.http_headers.get_statuscode() == "200": pages += 1
except Exception as exc:
    problems.append(f"raised {type(exc).__name__}")
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - t, "problems": problems,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

KINDS = ("fastwarc", "fastwarc-raw", "warcio-raw")


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True,
                         text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def broken_files(tmp: Path) -> dict[str, Path]:
    recs = [warcgen.request("https://a.ma/1"), warcgen.response("https://a.ma/1", page(1)),
            warcgen.response("https://a.ma/2", page(2)), warcgen.response("https://a.ma/3", page(3))]
    last = warcgen.gz_member(recs[-1])
    cut_head = warcgen.write_warc(tmp / "cut-head.warc.gz", recs, truncate_last=60)
    cut_body = warcgen.write_warc(tmp / "cut-body.warc.gz", recs, truncate_last=len(last) - 40)
    mid = tmp / "corrupt-middle.warc.gz"
    members = [warcgen.gz_member(r) for r in recs]
    mid.write_bytes(members[0] + members[1] + members[2][:50] + members[3])
    return {"last record cut in its headers": cut_head, "last record cut in its payload": cut_body,
            "corrupt gzip member in the middle": mid}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--big-mb", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = make(tmp / "bench.warc.gz", args.pages)
        print(f"{args.pages:,} HTML responses + {args.pages:,} requests, "
              f"{path.stat().st_size / 2**20:.1f} MiB gzipped")
        print(f"{'reader':<14} {'pages':>7} {'seconds':>8} {'pages/s':>9} {'peak RSS MiB':>13}")
        for kind in KINDS:
            m = measure(kind, path)
            print(f"{kind:<14} {m['pages']:>7} {m['seconds']:>8.2f} {m['pages'] / m['seconds']:>9.0f} {m['rss_mib']:>13.0f}")
        print("\n4 records (1 request, 3 HTML responses), broken as said; pages read / what is reported:")
        for label, broken in broken_files(tmp).items():
            cells = []
            for kind in KINDS:
                m = measure(kind, broken)
                cells.append(f"{kind}: {m['pages']} pages, {m['problems'] or 'nothing reported'}")
            print(f"- {label}\n    " + "\n    ".join(cells))
        if args.big_mb:
            n = args.big_mb * 2**20 // 12_000
            big = make(tmp / "big.warc.gz", n, paras=80)
            m = measure("fastwarc", big)
            print(f"\n{n:,} pages, {big.stat().st_size / 2**20:.0f} MiB gzipped "
                  f"(~{n * 12_000 / 2**20:.0f} MiB of records): {m['pages'] / m['seconds']:.0f} pages/s, "
                  f"peak RSS {m['rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
