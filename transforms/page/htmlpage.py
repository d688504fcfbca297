"""An HTML page (a landing file or a WARC record) as a cleaned Page.

Why it is built this way:

* trafilatura (transforms/page/html.py) has already removed the site's furniture by page
  structure, so the per-site line statistics are not applied; the rest of the cleaning
  (title, publication-time line, language, body map) is the same `clean_page` text pages
  go through, so the extractor sees the same kind of text whatever the format.
* **The stored text is the title, a blank line and the body** (`Page.text`), and every
  raw offset of an HTML page's facts indexes that text (the raw HTML is kept only as its
  SHA-256 and path): offsets into markup would point into tags and entities.
* Metadata: a sidecar (or a WARC record's URI and date, which the reader passes as one)
  wins; the page's own markup fills the gaps (canonical URL, site, declared language,
  publication date from meta tags, JSON-LD or <time>).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from transforms.contract.pages import Page, RawPage, Rejection
from transforms.page.clean import clean_page
from transforms.page.html import HtmlFailure, read_html
from transforms.page.ingest import (
    DEFAULT_MAX_BYTES,
    body_too_long,
    build_page,
    normalise_newlines,
    page_meta,
    prepare_page,
)
from transforms.page.sites import normalise_host, site_from_url


def stored_text(title: str | None, body: str) -> str:
    """The text an HTML page is stored (and its offsets counted) as: title, blank line, body."""
    return normalise_newlines(f"{title}\n\n{body}" if title else body)


def prepare_html(
    raw: RawPage,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    site_tz: Mapping[str, str] | None = None,
    site_country: Mapping[str, str] | None = None,
    today_fallback: datetime | None = None,
) -> Page | Rejection:
    """read_html -> metadata -> clean_page -> publication time, as one Page (or a Rejection)."""
    sha = hashlib.sha256(raw.raw).hexdigest()
    did = sha[:16]
    meta = page_meta(raw, site_tz=site_tz, site_country_map=site_country, today_fallback=today_fallback)
    reading = read_html(raw.raw, charset=raw.charset, url=meta.url, max_bytes=max_bytes)
    if isinstance(reading, HtmlFailure):
        return Rejection(raw.source_path, reading.stage, reading.reason, reading.detail, doc_id=did)
    url = meta.url or reading.url
    site = meta.site or normalise_host(reading.site) or site_from_url(reading.url)
    text = stored_text(reading.title, reading.body)
    cleaned = clean_page(text, site=site, lang_hint=meta.lang or reading.lang)
    if not cleaned.body:
        return Rejection(raw.source_path, "clean", "no_body",
                         "No article paragraph is left once the page's title and date lines are removed.",
                         doc_id=did)
    # A date from the markup is absolute (ISO 8601); a date line of the text may be
    # relative ("hier"), read only against a fetch time we trust.
    page = build_page(raw, sha, reading.encoding, text, cleaned, meta, site=site, url=url,
                      published_text=reading.published or cleaned.published_text,
                      relative_ok=bool(reading.published) or meta.fetched_from == "sidecar",
                      site_tz=site_tz, site_country=site_country, kind="html")
    return body_too_long(page) or page


def prepare_any(raw: RawPage, **kw) -> Page | Rejection:
    """`prepare_html` for an HTML page, `prepare_page` (ingest.py) for a text page.

    Keyword arguments are prepare_page's; the furniture statistics, trust_mtime and rules
    apply to text pages only (trafilatura removes an HTML page's furniture itself).
    """
    if raw.kind == "html":
        return prepare_html(raw, max_bytes=kw.get("max_bytes", DEFAULT_MAX_BYTES),
                            site_tz=kw.get("site_tz"), site_country=kw.get("site_country"),
                            today_fallback=kw.get("today_fallback"))
    return prepare_page(raw, **kw)
