"""The hostile corpus: every file gets a page or a precise reason from the pure readers.

This is phase 1 of issue 11 (readers only); the run-level test (summary adds up, every
file in documents/document_sources/quarantine, peak RSS) comes with the integration.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfacts.sources.warc import WarcPage, iter_warc
from newsfacts.testing.hostile import write_hostile_corpus
from transforms.contract.pages import RawPage, Rejection
from transforms.figures import extract
from transforms.page.html import HtmlFailure, read_html
from transforms.page.ingest import prepare_page

PAGE = "page"
# kind -> outcomes allowed today (PAGE, or a quarantine reason)
EXPECTED: dict[str, set[str]] = {
    "binary": {"binary", "no_text"},  # a random blob without a magic number may fail either way
    "nul_bytes": {"binary"},
    "bad_utf8": {PAGE},
    "utf16_bom": {PAGE},
    "utf16_no_bom": {PAGE},  # no BOM, but NULs at alternating positions: UTF-16
    "huge_page": {"too_large"},
    "digit_run": {"no_text"},
    "long_line": {"body_too_long"},  # a 2 MB line is a dump: refused before extraction
    "separator_storm": {PAGE, "no_text"},
    "currency_storm": {PAGE},
    "broken_sidecar": {PAGE},
    "lying_sidecar": {PAGE},
    "odd_name": {PAGE},
    "broken_html": {PAGE, "no_main_text", "not_html", "too_complex"},
    "html_bomb": {"too_large"},
    "broken_gzip": {"bad_gzip"},
    "truncated_warc": {PAGE, "warc_truncated"},
    "garbage_warc": {"warc_unreadable"},
    "empty": {"empty"},
    "good": {PAGE},
    "duplicate": {PAGE},  # each copy reads; the flow keeps one document (tests/flow/test_sources.py)
}
SECONDS_PER_FILE = 5.0  # the goal is 1 s; a shared 2-core machine needs the margin


def outcomes(path: Path) -> list[str]:
    """What the readers make of one landing file (one outcome per page it holds)."""
    data = path.read_bytes()
    name = path.name.lower()
    if name.endswith((".html", ".htm", ".html.gz")):
        r = read_html(data)
        return [r.reason if isinstance(r, HtmlFailure) else PAGE]
    if ".warc" in name:
        return [PAGE if isinstance(i, WarcPage) else i.reason for i in iter_warc(path)]
    sidecar = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json")
    meta, error = None, None
    if sidecar.exists():
        import json

        try:
            meta = json.loads(sidecar.read_bytes())
            if not isinstance(meta, dict):
                meta, error = None, "not an object"
        except ValueError as exc:
            error = str(exc)
    page = prepare_page(RawPage(str(path), data, datetime.now(UTC), meta, error))
    if isinstance(page, Rejection):
        return [page.reason]
    extract(page.body, page.lang)
    return [PAGE]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("hostile")
    return root, write_hostile_corpus(root)


def test_corpus_has_every_kind_and_500_files(corpus):
    root, manifest = corpus
    assert set(manifest) == set(EXPECTED)
    assert sum(len(v) for v in manifest.values()) >= 500
    for names in manifest.values():
        for name in names:
            assert (root / name).is_file(), name


def test_corpus_is_deterministic(tmp_path):
    a = write_hostile_corpus(tmp_path / "a", scale=0.1)
    b = write_hostile_corpus(tmp_path / "b", scale=0.1)
    assert a == b
    for names in a.values():
        for name in names:
            digest = [hashlib.sha256((tmp_path / d / name).read_bytes()).digest() for d in "ab"]
            assert digest[0] == digest[1], name


@pytest.mark.slow
def test_every_file_is_a_page_or_a_precise_reason_quickly(corpus):
    root, manifest = corpus
    slow: list[tuple[str, float]] = []
    wrong: list[tuple[str, str, list[str]]] = []
    for kind, names in manifest.items():
        for name in names:
            started = time.perf_counter()
            got = outcomes(root / name)
            seconds = time.perf_counter() - started
            if seconds > SECONDS_PER_FILE:
                slow.append((name, seconds))
            if not got or not set(got) <= EXPECTED[kind]:
                wrong.append((kind, name, got))
    assert wrong == []
    assert slow == []
    truncated = [o for n in manifest["truncated_warc"] for o in outcomes(root / n)]
    assert truncated.count("warc_truncated") == len(manifest["truncated_warc"])
