"""HTML pages: bytes in, main text and metadata out (trafilatura does the reading).

Why trafilatura: it is among the best open main-text extractors in published
comparisons, it removes navigation, related-article lists, comments and footers by page
structure (something our line rules on flat text can only guess), and its metadata
reader (with htmldate) finds the publication date in meta tags, JSON-LD and <time>.

How it is used, and why:

* `favor_precision=True`: a related-article teaser left in the body ("Bourse : le MASI
  gagne 1,4 %") becomes a false fact of this page; losing a marginal paragraph costs less.
* `include_comments=False`: reader comments are not the article.
* `include_tables=True`: results tables carry the figures we want.
* `with_metadata=True` and htmldate with `extensive_search=False`: a date is taken from
  the page's markup, never guessed from a date printed somewhere in the text; the output
  format keeps the time and offset when the markup has them.
* We decode the bytes ourselves (HTTP charset hint, BOM, <meta charset>, UTF-8, then
  cp1252) so the encoding is recorded and deterministic, and hand trafilatura a string.
* Gzipped input is inflated with a bound: a 1 kB gzip bomb never becomes 1 GB in memory.

The body: trafilatura's paragraphs joined by a blank line, with a leading line equal
to the title removed (the title is its own field). **Offsets of facts read off an HTML
page index this body text**, which is what the warehouse stores; the raw page is kept
only as its SHA-256 and path.

Pure: no I/O, no Prefect, no DuckDB.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from typing import Any

from transforms.page.utf16 import bomless_utf16

DEFAULT_MAX_BYTES = 5_000_000  # same default as newsfacts.settings.Settings.max_bytes
STAGE = "html"
GZIP_MAGIC = b"\x1f\x8b"
# Elements in the parsed DOM. A news article page has a few thousand; trafilatura's cost
# grows with the DOM (~1.6 s for 20,000 text paragraphs here), so past this bound the
# page is refused before extraction ("too_complex") rather than spending seconds on it.
MAX_ELEMENTS = 15_000
MIN_BODY_LETTERS = 20  # same floor as transforms.page.ingest.MIN_LETTERS: a link text is no body
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(?:([+-]\d{2})(\d{2}))?)?$")
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True, slots=True)
class HtmlReading:
    """What an HTML page says: body text (offsets index it) and its metadata.

    `published` is trafilatura/htmldate's date as ISO 8601 text (date only, or with time
    and offset when the markup gives them); `lang` is the page's declared language
    (`<html lang>`, Content-Language, og:locale), lower-case primary subtag, or None;
    `site` is the host trafilatura read (canonical/og:url), `site_name` the brand.
    """

    body: str
    title: str | None
    published: str | None
    lang: str | None
    site: str | None
    site_name: str | None
    url: str | None
    encoding: str
    html_bytes: int  # after gunzip


@dataclass(frozen=True, slots=True)
class HtmlFailure:
    """Why an HTML page gives no article: `reason` is a short code, `detail` a sentence."""

    reason: str  # bad_gzip, too_large, empty, binary, not_html, too_complex, no_main_text
    detail: str
    stage: str = STAGE


def looks_gzipped(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes | HtmlFailure:
    """Inflate gzip bytes, stopping past `max_bytes` (a bomb is refused, not expanded)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        return HtmlFailure("bad_gzip", f"The gzip stream is corrupt: {exc}.")
    if len(out) > max_bytes:
        return HtmlFailure(
            "too_large", f"The page inflates to more than the {max_bytes:,}-byte limit."
        )
    if not inflater.eof:
        return HtmlFailure(
            "bad_gzip", f"The gzip stream is truncated after {len(data):,} compressed bytes."
        )
    return out


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    # The WHATWG Encoding Standard (what browsers do): these labels mean windows-1252,
    # and pages that say iso-8859-1 do use its curly quotes and euro sign.
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, then UTF-16 without a BOM (alternating NULs), then the HTTP charset, then the page's own declaration,
    then UTF-8, then cp1252, then latin-1 (which never fails).

    A declared charset that does not decode the bytes is passed over, not trusted: pages
    that say iso-8859-1 and are UTF-8 are common.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if enc == "utf-8" else enc), enc
            except UnicodeDecodeError:
                break
    head = data[:4096]
    if b"\x00" in head and (utf16 := bomless_utf16(data)):
        return data.decode(utf16), utf16
    declared = _XML_DECL.search(head) or _META_CHARSET.search(head)
    candidates = [
        _known(charset),
        _known(declared.group(1).decode("ascii")) if declared else None,
        "utf-8",
        "cp1252",
    ]
    for enc in dict.fromkeys(c for c in candidates if c):
        if enc.startswith("utf-16") or enc.startswith("utf_16"):
            continue  # without a BOM a UTF-16 label on ASCII-looking bytes is a lie
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _declared_lang(tree: Any) -> str | None:
    """The page's declared language: <html lang>, Content-Language meta, og:locale."""
    values = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            values.append(meta.get("content"))
    for value in values:
        if value:
            value = value.strip().split(",")[0].strip()
            if _LANG.match(value):
                return value.split("-")[0].split("_")[0].lower()
    return None


def _body(text: str, title: str | None) -> str:
    """Paragraphs (trafilatura's lines) joined by a blank line; a leading title dropped."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]  # inner spaces kept: "6 800 MDH" has a NBSP
    if lines and title and _SPACES.sub(" ", title).strip() == _SPACES.sub(" ", lines[0]):
        lines = lines[1:]
    return "\n\n".join(lines)


def read_html(
    data: bytes,
    *,
    charset: str | None = None,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> HtmlReading | HtmlFailure:
    """Main text and metadata of one HTML page (bytes, optionally gzipped).

    `charset` is the HTTP Content-Type charset when known (WARC), `url` the page's
    address when known (helps trafilatura's metadata and site). Failures: bad_gzip,
    too_large, empty, binary (NUL bytes), not_html (no element tree), too_complex (more
    than MAX_ELEMENTS elements), no_main_text (trafilatura found no article body, or
    fewer than MIN_BODY_LETTERS letters: a list page, a paywall stub, a script shell).
    """
    if len(data) > max_bytes:
        return HtmlFailure("too_large", f"The page has {len(data):,} bytes, more than the {max_bytes:,}-byte limit.")
    if looks_gzipped(data):
        inflated = gunzip_bounded(data, max_bytes)
        if isinstance(inflated, HtmlFailure):
            return inflated
        data = inflated
    if not data.strip():
        return HtmlFailure("empty", "The page is empty once whitespace is removed.")
    text, encoding = decode_html(data, charset)
    if "\x00" in text:
        return HtmlFailure("binary", "The page contains NUL characters, so it is binary, not HTML.")

    import trafilatura  # seconds of import (lxml, htmldate, justext): only when HTML comes

    _quiet()

    tree = trafilatura.load_html(text)
    if tree is None:
        return HtmlFailure("not_html", f"No HTML element tree could be parsed from {len(data):,} bytes.")
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        return HtmlFailure(
            "too_complex",
            f"The page has {elements:,} HTML elements, more than the {MAX_ELEMENTS:,} an article page needs.",
        )
    lang = _declared_lang(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        config=_config(),
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "outputformat": _DATE_FORMAT,
        },
    )
    title = ((doc.title or "").strip() or None) if doc is not None else None
    body = _body(doc.text or "", title) if doc is not None else ""
    if sum(c.isalpha() for c in body[:10_000]) < MIN_BODY_LETTERS:
        words = len((title or "").split())
        return HtmlFailure(
            "no_main_text",
            "trafilatura found no article text in "
            f"{len(data):,} bytes of HTML (title: {title!r}, {words} words)"
            + ".",
        )
    return HtmlReading(
        body=body,
        title=title,
        published=_iso(doc.date),
        lang=lang,
        site=(doc.hostname or None),
        site_name=(doc.sitename or None),
        url=doc.url or url,
        encoding=encoding,
        html_bytes=len(data),
    )


_CONFIG: list[Any] = []


def _quiet() -> None:
    """trafilatura logs ERROR for every page it cannot parse; our failure reason says it
    once, in quarantine, so a hostile folder does not flood the run's log."""
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _config() -> Any:
    """trafilatura's settings with our limits: a DOM bound, and no signal-based timeout
    (SIGALRM only works in the main thread, and flow tasks run in worker threads)."""
    if not _CONFIG:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "extraction_timeout", "0")
        _CONFIG.append(config)
    return _CONFIG[0]


def _iso(value: str | None) -> str | None:
    """htmldate's "%z" gives +0100; ISO 8601 wants +01:00 (and date-only stays a date)."""
    if not value:
        return None
    m = _ISO.match(value)
    if not m:
        return value
    if m.group(2) is None or (m.group(2) == "00:00:00" and m.group(3) is None):
        return m.group(1)  # htmldate pads a date-only reading with midnight: keep a date
    if m.group(3) is None:
        return f"{m.group(1)}T{m.group(2)}"
    return f"{m.group(1)}T{m.group(2)}{m.group(3)}:{m.group(4)}"
