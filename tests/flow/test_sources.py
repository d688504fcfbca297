"""Real crawls in (issue 11): HTML pages, WARC archives and duplicates through whole flow runs.

Two identical files give one document with two sources; the same article as .txt and
.html gives one document; a WARC's HTML records load and its other records are counted;
an unchanged file is recognised without being read; and every run's pages add up, in
the summary and in the `runs` row.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR
from tests.flowutil import query, run_flow

pytestmark = pytest.mark.slow

TXT_001 = "001_atlantis-phosphates-obligataire"
TXT_002 = "002_noor-tafilalet-parc-eolien-midelt"
WARC = SAMPLE_DIR / "warc" / "sample-crawl.warc.gz"


def adds_up(s: dict) -> bool:
    return s["pages_seen"] == (s["pages_loaded"] + s["pages_unchanged"] + s["pages_duplicate"]
                               + s["pages_waiting"] + s["pages_quarantined"])


def _copy_page(src_stem: str, dst: Path, name: str) -> Path:
    shutil.copy2(SAMPLE_DIR / f"{src_stem}.txt", dst / f"{name}.txt")
    side = SAMPLE_DIR / f"{src_stem}.meta.json"
    if side.exists():
        shutil.copy2(side, dst / f"{name}.meta.json")
    return dst / f"{name}.txt"


@pytest.fixture(scope="module")
def crawl(prefect_harness, tmp_path_factory):
    """A landing folder of a text page twice (two names), one article as .txt and .HTML,
    a second article, and the sample WARC; run twice."""
    land = tmp_path_factory.mktemp("landing")
    _copy_page(TXT_001, land, "a_first")
    shutil.copy2(SAMPLE_DIR / "html" / f"{TXT_001}.html", land / "b_same_article.HTML")
    _copy_page(TXT_002, land, "c_page")
    _copy_page(TXT_002, land, "d_same_bytes")
    (land / "crawl").mkdir()
    shutil.copy2(WARC, land / "crawl" / WARC.name)
    wh = tmp_path_factory.mktemp("warehouse")
    first = run_flow(land, wh)
    second = run_flow(land, wh)
    return land, wh, first, second


def test_identical_files_are_one_document_with_two_sources(crawl):
    _land, wh, _first, _ = crawl
    docs = query(wh, "SELECT doc_id, source_path FROM documents WHERE source_path LIKE '%c_page.txt' "
                     "OR source_path LIKE '%d_same_bytes.txt'")
    assert len(docs) == 1 and docs[0][1].endswith("c_page.txt")
    sources = query(wh, "SELECT source_path, relation FROM document_sources WHERE doc_id = ? "
                        "ORDER BY source_path", docs[0][0])
    assert [(Path(p).name, r) for p, r in sources] == [("c_page.txt", "first"),
                                                       ("d_same_bytes.txt", "same_bytes")]
    assert query(wh, "SELECT count(*) FROM quarantine WHERE stage = 'validate'") == [(0,)]


def test_txt_and_html_of_one_article_are_one_document(crawl):
    _land, wh, _first, _ = crawl
    rows = query(wh, "SELECT d.source_path, s.source_path, s.relation, s.kind FROM document_sources s "
                     "JOIN documents d USING (doc_id) WHERE s.source_path LIKE '%b_same_article.HTML'")
    assert len(rows) == 1
    doc_path, _src, relation, kind = rows[0]
    assert doc_path.endswith("a_first.txt") and relation == "same_body" and kind == "html"
    assert query(wh, "SELECT count(*) FROM documents WHERE source_path LIKE '%b_same_article%'") == [(0,)]


def test_warc_loads_html_records_and_counts_the_rest(crawl):
    _land, wh, first, _ = crawl
    docs = query(wh, "SELECT source_path, url, source_kind, fetched_at FROM documents "
                     "WHERE source_path LIKE '%sample-crawl.warc.gz#%'")
    # the Spanish HTML article loads; the text/plain record is sample 010 (not in this folder)
    assert {k for _, _, k, _ in docs} >= {"html"}
    assert all(u and u.startswith("http") for _, u, _, _ in docs)
    truncated = query(wh, "SELECT reason FROM quarantine WHERE source_path LIKE '%sample-crawl.warc.gz%'")
    assert truncated == [("warc_truncated",)]
    assert first["records_skipped"] >= 4  # warcinfo, request, image, metadata, 404...
    files = query(wh, "SELECT pages FROM landing_files WHERE path LIKE '%sample-crawl.warc.gz'")
    assert files == [(len(docs) + 1,)]


def test_pages_add_up_in_summary_and_runs_row(crawl):
    _, wh, first, second = crawl
    for s in (first, second):
        assert adds_up(s) and s["accounted"] is True
    assert first["pages_duplicate"] == 2 and first["pages_quarantined"] == 1
    assert second["pages_unchanged"] == first["pages_seen"] and second["pages_loaded"] == 0
    rows = query(wh, "SELECT pages_seen, pages_loaded, pages_unchanged, pages_duplicate, pages_waiting, "
                     "pages_quarantined, accounted FROM runs ORDER BY started")
    assert len(rows) == 2
    for seen, loaded, unchanged, dup, waiting, quarantined, accounted in rows:
        assert accounted and seen == loaded + unchanged + dup + waiting + quarantined


def test_a_duplicate_is_a_duplicate_once_then_unchanged(crawl):
    _, _, first, second = crawl
    assert first["pages_duplicate"] == 2
    assert second["pages_duplicate"] == 0 and second["pages_quarantined"] == 0


def test_unchanged_file_is_not_read(prefect_harness, tmp_path):
    """Same size and mtime: the file is not opened. Proven by swapping its bytes for
    same-length garbage and restoring the mtime: a run that read it would quarantine it."""
    land = tmp_path / "land"
    land.mkdir()
    html = land / "page.html"
    shutil.copy2(SAMPLE_DIR / "html" / "041_oasis-dattes-usine-errachidia.html", html)
    wh = tmp_path / "wh"
    first = run_flow(land, wh)
    assert first["pages_loaded"] == 1
    st = html.stat()
    html.write_bytes(b"\x00" * st.st_size)
    os.utime(html, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = run_flow(land, wh)
    assert second["pages_unchanged"] == 1 and second["pages_quarantined"] == 0 and adds_up(second)
    os.utime(html, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # now it is read
    third = run_flow(land, wh)
    assert third["pages_quarantined"] == 1 and adds_up(third)
    assert query(wh, "SELECT reason FROM quarantine WHERE stage = 'html'") == [("binary",)]


def test_a_page_that_becomes_a_copy_drops_its_old_document(prefect_harness, tmp_path):
    land = tmp_path / "land"
    land.mkdir()
    _copy_page(TXT_002, land, "c_page")
    other = _copy_page(TXT_001, land, "d_other")
    wh = tmp_path / "wh"
    first = run_flow(land, wh)
    assert first["pages_loaded"] == 2
    st = other.stat()
    shutil.copyfile(land / "c_page.txt", other)  # now the same bytes as c_page
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = run_flow(land, wh)
    assert second["pages_duplicate"] == 1 and second["pages_unchanged"] == 1 and adds_up(second)
    assert [Path(p).name for (p,) in query(wh, "SELECT source_path FROM documents")] == ["c_page.txt"]
    assert query(wh, "SELECT relation FROM document_sources WHERE source_path LIKE '%d_other.txt'") == [
        ("same_bytes",)]
    assert query(wh, "SELECT count(*) FROM fact_amount WHERE doc_id NOT IN (SELECT doc_id FROM documents)") == [
        (0,)]
