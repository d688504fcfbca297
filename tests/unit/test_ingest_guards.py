"""Discovery of every landing kind, and the guards of issue 11: a page over max_bytes is
refused on its size, a body past MAX_BODY_CHARS and a figure storm are quarantined with
their counts, and real articles stay far from both bounds.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfacts.resources import landing_kind, list_landing, sidecar_path
from newsfacts.sources.pages import FileCounts, PageRef, iter_file_pages, iter_file_refs, read_ref
from newsfacts.testing import warcgen
from transforms.contract.pages import Page, RawPage, Rejection
from transforms.page.htmlpage import prepare_any, stored_text
from transforms.page.ingest import MAX_BODY_CHARS, prepare_page
from transforms.rows.batch import (
    FIGURE_STORM_CHARS,
    MAX_FIGURES,
    extract_batch,
    figure_storm,
    figures_of,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
NEWS_DEV = ROOT.parent / "shared" / "eval" / "news_dev" / "docs"
ARTICLE = (SAMPLE / "001_atlantis-phosphates-obligataire.txt").read_text(encoding="utf-8")


def raw(text: str, kind: str = "text", path: str = "/x/page.txt") -> RawPage:
    return RawPage(path, text.encode("utf-8"), datetime(2025, 6, 1, tzinfo=UTC), kind=kind)


@pytest.mark.parametrize(("name", "kind"), [
    ("a.txt", "text"), ("A.TXT", "text"), ("a.html", "html"), ("a.HTM", "html"), ("a.html.gz", "html"),
    ("a.Html.GZ", "html"), ("a.warc", "warc"), ("a.WARC.GZ", "warc"), ("a.meta.json", None),
    ("a.gold.json", None), ("a.pdf", None), (".txt", None), ("a.txt.bak", None),
])
def test_landing_kind(name, kind):
    assert landing_kind(name) == kind


def test_sidecar_of_every_page_kind():
    for name in ("p.txt", "p.html", "p.HTM", "p.html.gz"):
        assert sidecar_path(Path("/d") / name) == Path("/d/p.meta.json")


def test_discovery_finds_every_kind_recursively(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.HTML", "sub/c.htm", "sub/d.html.gz", "e.warc.gz", "f.meta.json", ".g.txt", "h.png"):
        (tmp_path / name).write_bytes(b"x")
    ready, waiting = list_landing(tmp_path)
    assert waiting == []
    assert [(e.path.name, e.kind) for e in ready] == [
        ("a.txt", "text"), ("b.HTML", "html"), ("e.warc.gz", "warc"), ("c.htm", "html"), ("d.html.gz", "html")]
    assert all(e.mtime_ns == os.stat(e.path).st_mtime_ns for e in ready)


def test_listing_order_is_path_order_whatever_the_names(tmp_path):
    # folders and files whose names sort differently as strings and as path components
    names = ["a-b.txt", "a/z.txt", "a/b/c.txt", "a.txt", "a0.txt", "A/x.txt", "a b/y.txt",
             "ab/a.txt", "é.txt", "z.txt", "a/b.txt", "a/b/a.html", "_/k.txt", "a-/q.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    ready, _ = list_landing(tmp_path)
    expected = sorted(p for p in tmp_path.resolve().rglob("*") if p.is_file())
    assert [e.path for e in ready] == expected
    assert [e.source_path for e in ready] == [str(p) for p in expected]


def test_a_listed_files_times_are_those_of_its_stat(tmp_path):
    page = tmp_path / "p.txt"
    page.write_bytes(b"x")
    os.utime(page, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    (entry,), _ = list_landing(tmp_path)
    st = os.stat(page)
    assert entry.mtime_ns == st.st_mtime_ns
    assert entry.mtime == datetime.fromtimestamp(st.st_mtime, UTC)
    assert entry.size == 1


def test_a_file_younger_than_the_settle_time_waits(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    for page in (old, new):
        page.write_bytes(b"x")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    ready, waiting = list_landing(tmp_path, settle_seconds=60)
    assert [e.path.name for e in ready] == ["old.txt"]
    assert [e.path.name for e in waiting] == ["new.txt"]


def test_the_prechecks_listing_and_diff_are_handed_over_once(tmp_path):
    from newsfacts import resources

    (tmp_path / "p.txt").write_bytes(b"x")
    listing = list_landing(tmp_path)
    resources.remember_listing(tmp_path, 0.0, listing, ([0], 0))
    taken = resources.take_listing(tmp_path, 0.0)
    assert taken is listing
    assert resources.stat_diff_of(list(taken[0])) is None  # another list: not its diff
    resources.remember_listing(tmp_path, 0.0, listing, ([0], 0))
    ready = resources.take_listing(tmp_path, 0.0)[0]
    assert resources.stat_diff_of(ready) == ([0], 0)
    assert resources.stat_diff_of(ready) is None  # once
    fresh = resources.take_listing(tmp_path, 0.0)  # nothing remembered: listed again
    assert fresh is not listing and fresh == listing


def test_a_page_over_max_bytes_is_refused_unread(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"a" * 2_000)
    (entry,), _ = list_landing(tmp_path)
    big.chmod(0)  # unreadable: the refusal must come from the size alone
    try:
        counts = FileCounts()
        (item,) = iter_file_pages(entry, 1_000, counts)
    finally:
        big.chmod(0o644)
    assert isinstance(item, Rejection) and item.reason == "too_large" and "not read" in item.detail
    assert counts.pages == 1


def test_warc_pages_problems_and_skips(tmp_path):
    html = b"<html><body><article><h1>Titre</h1><p>" + ARTICLE.encode() + b"</p></article></body></html>"
    path = warcgen.write_warc(tmp_path / "c.warc.gz", [
        warcgen.warcinfo("c.warc.gz"),
        warcgen.request("https://ex.ma/a"),
        warcgen.response("https://ex.ma/a", html),
        warcgen.response("https://ex.ma/i.jpg", b"\xff\xd8\xff" + b"\x00" * 100, "image/jpeg"),
        warcgen.response("https://ex.ma/b", html),
    ], truncate_last=60)
    (entry,), _ = list_landing(tmp_path)
    counts = FileCounts()
    items = list(iter_file_pages(entry, 5_000_000, counts))
    assert [type(i).__name__ for i in items] == ["RawPage", "Rejection"]
    page, problem = items
    assert page.source_path.startswith(f"{path}#urn:uuid:") and page.kind == "html"
    assert page.sidecar["url"] == "https://ex.ma/a" and "fetched_at" in page.sidecar
    assert problem.reason == "warc_truncated"
    assert counts.pages == 2 and counts.skipped_records == 3


@pytest.mark.parametrize("name", ["r.warc", "r.warc.gz"])
def test_a_warc_page_is_read_again_by_its_record_offset(tmp_path, name):
    """The transform pass re-reads a WARC page on a worker from its PageRef alone."""
    pages = [warcgen.response(f"https://ex.ma/{i}", (f"<html><body><p>{ARTICLE} {i}</p></body></html>").encode())
             for i in range(3)]
    warcgen.write_warc(tmp_path / name, [warcgen.warcinfo(name), warcgen.request("https://ex.ma/0"), *pages])
    (entry,), _ = list_landing(tmp_path)
    found = list(iter_file_refs(entry, 5_000_000))
    assert len(found) == 3
    offsets = set()
    for page, ref in found:
        assert isinstance(page, RawPage) and ref.source_path == page.source_path
        offsets.add(ref.offset)
        assert read_ref(ref, 5_000_000) == page  # same bytes, URI, date and kind
    assert len(offsets) == 3 and None not in offsets
    # Another record at that offset (the archive was rewritten): refused, never mixed up.
    _, first = found[0]
    _, second = found[1]
    moved = PageRef(entry, first.source_path, second.offset, first.record_id)
    refused = read_ref(moved, 5_000_000)
    assert isinstance(refused, Rejection) and refused.reason == "warc_changed"
    assert refused.source_path == first.source_path


def test_warc_without_pages_is_quarantined(tmp_path):
    warcgen.write_warc(tmp_path / "meta.warc", [warcgen.warcinfo("meta.warc"), warcgen.request("https://ex.ma/a")])
    (entry,), _ = list_landing(tmp_path)
    (item,) = iter_file_pages(entry, 5_000_000)
    assert isinstance(item, Rejection) and item.reason == "warc_no_pages" and "1 request" in item.detail


def test_body_too_long_text_and_html():
    para = "Le groupe investit dans une usine de ciment et recrute des ouvriers. " * 40 + "\n\n"
    long_text = "Un titre\n\n" + para * (MAX_BODY_CHARS // len(para) + 2)
    got = prepare_page(raw(long_text))
    assert isinstance(got, Rejection) and got.reason == "body_too_long" and f"{MAX_BODY_CHARS:,}" in got.detail
    assert isinstance(prepare_page(raw(ARTICLE)), Page)


def test_html_page_text_is_title_blank_line_body():
    doc = (SAMPLE / "html" / "041_oasis-dattes-usine-errachidia.html").read_bytes()
    page = prepare_any(RawPage("/x/041.html", doc, datetime(2026, 1, 1, tzinfo=UTC), kind="html"))
    assert isinstance(page, Page) and page.kind == "html"
    assert page.text.startswith(page.title + "\n\n")
    assert page.text == stored_text(page.title, page.text[len(page.title) + 2:])
    # every body character maps back into the stored text, character for character
    assert all(page.text[page.body_map[i]] == page.body[i] for i in range(0, len(page.body), 7))


def test_currency_storm_is_a_figure_storm_and_an_article_is_not():
    storm = ARTICLE + "\n\nCotations : " + " ".join(f"{i} dirhams" for i in range(3_000))
    pages = [prepare_page(raw(storm, path="/x/storm.txt")), prepare_page(raw(ARTICLE))]
    assert all(isinstance(p, Page) for p in pages)
    result = extract_batch(pages, "run-1")
    assert [r.reason for r in result.rejections] == ["figure_storm"]
    assert result.rejections[0].source_path == "/x/storm.txt"
    assert result.tables["documents"].column("source_path").to_pylist() == ["/x/page.txt"]


@pytest.mark.skipif(not NEWS_DEV.is_dir(), reason="../shared is absent")
def test_real_articles_are_far_from_the_storm_bounds():
    """Real articles (../shared/eval/news_dev) carry a small fraction of the bounds."""
    densest, most = 10**9, 0
    for path in sorted(NEWS_DEV.glob("*.txt")):
        page = prepare_page(raw(path.read_text(encoding="utf-8"), path=str(path)))
        assert isinstance(page, Page), path.name
        assert len(page.body) < MAX_BODY_CHARS / 10
        pf = figures_of(page)
        assert figure_storm(pf) is None, path.name
        n = len(pf.title) + len(pf.body)
        most = max(most, n)
        if n >= 10:
            densest = min(densest, len(page.body) // n)
    assert most < MAX_FIGURES / 10
    assert densest > 2 * FIGURE_STORM_CHARS
