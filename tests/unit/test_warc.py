"""The WARC reader: pages from HTML/text responses, everything else counted, breaks reported."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfacts.sources.warc import (
    WarcPage,
    WarcProblem,
    WarcStats,
    is_warc,
    iter_warc,
    read_record_at,
)
from newsfacts.testing import samplewarc, warcgen
from transforms.page.html import HtmlReading, read_html

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "warc" / "sample-crawl.warc.gz"
HTML = b"<html lang='fr'><body><article><h1>T</h1><p>" + b"Le groupe investit 5 millions. " * 20 + b"</p></article></body></html>"


def read(path, **kw):
    stats = WarcStats()
    items = list(iter_warc(path, stats=stats, **kw))
    return items, stats


def test_committed_sample_is_what_the_script_writes(tmp_path):
    fresh = samplewarc.write_sample_warc(tmp_path / "s.warc.gz")
    assert fresh.read_bytes() == SAMPLE.read_bytes()


def test_sample_pages_skips_and_truncation():
    items, stats = read(SAMPLE)
    pages = [i for i in items if isinstance(i, WarcPage)]
    problems = [i for i in items if isinstance(i, WarcProblem)]
    assert [p.target_uri for p in pages] == [samplewarc.ARTICLE_URL,
                                           "https://www.paytiz-news.ma/levee-serie-b.txt"]
    html, text = pages
    assert (html.content_type, html.charset, html.is_html) == ("text/html", "utf-8", True)
    assert (text.content_type, text.is_html) == ("text/plain", False)
    assert html.fetched_at == datetime(2025, 11, 13, 7, 30, tzinfo=UTC)
    assert html.record_id.startswith("<urn:uuid:")
    assert text.payload == (ROOT / "data/sample/010_paytiz-levee-serie-b.txt").read_bytes()
    assert [(p.reason, p.target_uri) for p in problems] == [("warc_truncated", samplewarc.TRUNCATED_URL)]
    assert stats.records == 8 and stats.pages == 2 and stats.problems == 1
    assert stats.skipped == {"warcinfo": 1, "request": 1, "response_not_text": 1, "metadata": 1,
                             "response_status_4xx": 1}
    # every record is accounted for
    assert stats.pages + stats.problems + sum(stats.skipped.values()) == stats.records
    reading = read_html(html.payload, charset=html.charset, url=html.target_uri)
    assert isinstance(reading, HtmlReading)
    assert reading.lang == "es" and "240 millones de euros" in reading.body


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("cut", ["headers", "type", "payload"])
def test_last_record_cut_anywhere_is_reported(tmp_path, compress, cut):
    recs = [warcgen.response("https://a.ma/1", HTML), warcgen.response("https://a.ma/2", HTML)]
    size = len(warcgen.gz_member(recs[-1]) if compress else recs[-1])
    keep = {"headers": 40, "type": 35, "payload": size - 60}[cut]
    path = warcgen.write_warc(tmp_path / ("x.warc.gz" if compress else "x.warc"), recs,
                              compress=compress, truncate_last=keep)
    items, stats = read(path)
    assert [type(i).__name__ for i in items] == ["WarcPage", "WarcProblem"]
    assert stats.pages == 1 and stats.problems == 1
    assert items[1].reason == "warc_truncated"


def _corrupt_middle(compress: bool) -> tuple[bytes, int]:
    """Five page records with the middle one corrupt; returns the bytes and the number of
    the first record after the damage."""
    recs = [warcgen.response(f"https://a.ma/{n}", HTML) for n in range(5)]
    if compress:
        members = [warcgen.gz_member(r) for r in recs]
        # record 2's member cut after 50 bytes: its header inflates, its body does not
        return members[0] + members[1] + members[2][:50] + members[3] + members[4], 3
    # record 2's first line garbled (FastWARC resyncs by itself after a record cut
    # short, not after a header it cannot read)
    return recs[0] + recs[1] + b"\x00\x01" + recs[2][10:] + recs[3] + recs[4], 3


@pytest.mark.parametrize("compress", [True, False])
def test_reading_resumes_after_a_corrupt_record_in_the_middle(tmp_path, compress):
    """A corrupt record costs itself, not the rest of the archive: the reader reports the
    unreadable stretch once and resyncs on the next WARC/1. record header."""
    data, first_after = _corrupt_middle(compress)
    path = tmp_path / ("mid.warc.gz" if compress else "mid.warc")
    path.write_bytes(data)
    items, stats = read(path)
    pages = [i for i in items if isinstance(i, WarcPage)]
    problems = [i for i in items if isinstance(i, WarcProblem)]
    assert [p.target_uri for p in pages] == [f"https://a.ma/{n}" for n in (0, 1, first_after, 4)]
    assert all(p.payload == HTML for p in pages)
    assert [p.reason for p in problems].count("warc_unreadable") == 1
    assert stats.pages == 4 and stats.problems == len(problems)
    # offsets stay those of the file: each page is found again by its offset alone
    for p in pages:
        again = read_record_at(path, p.offset)
        assert isinstance(again, WarcPage) and again.record_id == p.record_id


def test_an_archive_with_no_record_after_the_damage_ends_with_one_problem(tmp_path):
    members = [warcgen.gz_member(warcgen.response(f"https://a.ma/{n}", HTML)) for n in range(2)]
    path = tmp_path / "end.warc.gz"
    path.write_bytes(members[0] + b"junk" * 50 + members[1][:60] + b"\x1f\x8b\x08" + b"junk" * 50)
    items, stats = read(path)
    assert isinstance(items[0], WarcPage)
    assert [i.reason for i in items[1:]] == ["warc_unreadable"]
    assert stats.pages == 1 and stats.problems == 1


def test_http_encodings_and_statuses(tmp_path):
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (HTML[:100], HTML[100:])) + b"0\r\n\r\n"
    recs = [
        warcgen.response("https://a.ma/gz", gzip.compress(HTML), "text/html; charset=\"ISO-8859-1\"",
                         http_headers={"Content-Encoding": "gzip"}),
        warcgen.response("https://a.ma/ch", chunked, http_headers={"Transfer-Encoding": "chunked"}),
        warcgen.response("https://a.ma/bad", b"\x00garbage", http_headers={"Content-Encoding": "gzip"}),
        warcgen.response("https://a.ma/moved", b"", status="301 Moved Permanently"),
        warcgen.response("https://a.ma/x.pdf", b"%PDF-1.4", "application/pdf"),
        warcgen.warc_record("response", b"not http at all", target_uri="https://a.ma/raw"),
        warcgen.warc_record("revisit", b"", target_uri="https://a.ma/gz"),
    ]
    items, stats = read(warcgen.write_warc(tmp_path / "e.warc.gz", recs))
    gz, ch, bad, raw = items
    assert gz.payload == HTML and gz.charset == "ISO-8859-1"
    assert ch.payload == HTML
    assert bad.reason == "warc_bad_encoding"
    assert raw.reason == "warc_bad_http"
    assert stats.skipped == {"response_status_3xx": 1, "response_not_text": 1, "revisit": 1}


def test_oversized_record_is_not_read(tmp_path):
    big = b"<p>" + b"x" * 300_000 + b"</p>"
    path = warcgen.write_warc(tmp_path / "b.warc.gz", [warcgen.response("https://a.ma/big", big),
                                                       warcgen.response("https://a.ma/ok", HTML)])
    items, _ = read(path, max_bytes=100_000)
    assert items[0].reason == "warc_too_large"
    assert isinstance(items[1], WarcPage)


def test_is_warc():
    assert is_warc("a/b.warc.gz") and is_warc("B.WARC") and not is_warc("a.warc.json")
