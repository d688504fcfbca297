"""Ingest stage: bytes of a landing file -> decoded text, metadata, and a cleaned Page.

Why these rules:

* Decoding tries UTF-8 (BOM stripped), then cp1252, then latin-1: scrapers of French,
  Spanish and Portuguese sites still produce Windows-1252 files, and latin-1 never
  fails, so a page is only rejected for what it *is* (binary, empty, too large, not
  text), never because of its encoding. A UTF-16 BOM is honoured too, and UTF-16
  without one is recognised by its alternating NUL bytes (transforms/page/utf16.py).
* Newlines are normalised (\\r\\n and lone \\r -> \\n) right after decoding and before
  anything else. **"Raw offsets" everywhere in the pipeline index this decoded,
  newline-normalised text** (Page.text), in Python code points — not the file's bytes.
* Size is checked on the byte length before decoding, so a 20 MB file costs a hash,
  not a decode.
* A broken or partial sidecar is not a rejection: the page is still worth reading, so
  we fall back (site from the url, fetched_at from the file mtime) and keep the
  reason in Page.sidecar_error.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from transforms.contract.pages import Page, RawPage, Rejection
from transforms.page.clean import Cleaned, Rules, clean_page, guess_site
from transforms.page.published import resolve_published
from transforms.page.sites import (
    get_zone,
    normalise_host,
    page_site,
    site_from_furniture,
    site_from_url,
    site_timezone,
)
from transforms.page.sites import site_country as site_country_of
from transforms.page.utf16 import bomless_utf16

DEFAULT_MAX_BYTES = 5_000_000  # same default as newsfacts.settings.Settings.max_bytes
STAGE = "ingest"

# File signatures of formats that are never article text.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or docx/xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NON_LETTER_ASCII = bytes(b for b in range(128) if not chr(b).isalpha())
_BLANK_ASCII = b" \t\n\r\x0b\x0c"
MAX_CONTROL_SHARE = 0.01  # more than 1 % control characters: not text
MIN_CONTROLS = 3  # ...but a stray byte or two in a short page is not binary
MIN_LETTERS = 20  # fewer letters than a short sentence: not an article
MIN_LETTER_SHARE = 0.3  # of non-blank characters; prose is ~0.8, a table ~0.4
_LETTER_SAMPLE = 200_000  # bytes inspected for the letter share
# Longest article body kept. Real articles run to ~30,000 characters and long reports
# ~150,000; past this it is a dump (a log, a table export, a 2 MB line) whose extraction
# would cost seconds and fill the warehouse with junk figures.
MAX_BODY_CHARS = 500_000


def doc_id(raw: bytes) -> str:
    """First 16 hex characters of the SHA-256 of the raw bytes (stable across runs)."""
    return hashlib.sha256(raw).hexdigest()[:16]


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n (the basis of every raw offset)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes, max_bytes: int) -> tuple[str, str] | tuple[None, str, str]:
    """(text, encoding) or (None, reason, detail)."""
    n = len(data)
    if n == 0:
        return None, "empty", "The file is empty (0 bytes)."
    if n > max_bytes:
        return None, "too_large", f"The file has {n:,} bytes, more than the {max_bytes:,}-byte limit."
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return None, "binary", f"The file starts with the signature of {what}, not text."
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "binary", "The file has a UTF-16 byte-order mark but does not decode as UTF-16."
    elif b"\x00" in data:
        encoding = bomless_utf16(data)
        if encoding is None:
            return None, "binary", "The file contains NUL bytes, so it is binary, not text."
        text = data.decode(encoding)
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
    text = normalise_newlines(text)
    if not text.strip():
        return None, "empty", "The file contains only whitespace."
    if _CONTROL.search(text):
        controls = len(_CONTROL.findall(text))
        if controls > max(MIN_CONTROLS, MAX_CONTROL_SHARE * len(text)):
            return (
                None,
                "binary",
                f"{controls:,} of {len(text):,} characters are control characters, so this is not text.",
            )
    # Letter share on bytes: bytes.translate runs at memory speed where a Unicode regex
    # cost ~0.2 ms a page. Non-ASCII bytes count as letters (accents, mostly).
    utf16 = encoding.startswith("utf-16")
    sample = text[:_LETTER_SAMPLE].encode() if utf16 else data[:_LETTER_SAMPLE]
    letters = len(sample.translate(None, _NON_LETTER_ASCII))
    visible = len(sample.translate(None, _BLANK_ASCII))
    if letters < MIN_LETTERS or letters < MIN_LETTER_SHARE * visible:
        return (
            None,
            "no_text",
            f"Only about {letters:,} of {visible:,} visible characters are letters: too few to be an article.",
        )
    return text, encoding


def decode_page(raw: RawPage, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str] | Rejection:
    """Decoded, newline-normalised text and its encoding, or a Rejection saying why not.

    Reasons: empty, binary, too_large, no_text (see module doc for the decoding order).
    """
    out = _decode(raw.raw, max_bytes)
    if out[0] is None:
        return Rejection(raw.source_path, STAGE, out[1], out[2], doc_id=doc_id(raw.raw))  # type: ignore[misc]
    return out  # type: ignore[return-value]


# ---------------------------------------------------------------- sidecar


@dataclass(frozen=True, slots=True)
class Meta:
    """Page metadata after sidecar parsing and fallbacks."""

    url: str | None
    site: str | None
    lang: str | None
    fetched_at: datetime  # aware, in the site's zone
    tz: str
    country: str | None
    error: str | None
    fetched_from: str = "sidecar"  # "sidecar", "mtime" or "fallback"


def _parse_when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def page_meta(
    raw: RawPage,
    *,
    site_tz: Mapping[str, str] | None = None,
    site_country_map: Mapping[str, str] | None = None,
    today_fallback: datetime | None = None,
) -> Meta:
    """url, site, lang, fetched_at from the sidecar with fallbacks; field errors collected.

    site: sidecar "site", else the url's host, else None. fetched_at: sidecar ISO 8601
    (a naive value is read in the site's zone), else the file mtime, else
    `today_fallback`, else now. The result is expressed in the site's zone.
    """
    errors: list[str] = [raw.sidecar_error] if raw.sidecar_error else []
    meta = raw.sidecar
    if meta is not None and not isinstance(meta, dict):
        errors.append("sidecar is not a JSON object")
        meta = None
    meta = meta or {}

    def text_field(name: str) -> str | None:
        value = meta.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{name} is not a non-empty string")
            return None
        return value.strip()

    url = text_field("url")
    site = normalise_host(text_field("site")) or site_from_url(url)
    lang = text_field("lang")
    tz = site_timezone(site, site_tz)
    zone = get_zone(tz)

    fetched = _parse_when(meta.get("fetched_at"))
    if fetched is None and meta.get("fetched_at") is not None:
        errors.append(f"fetched_at {meta.get('fetched_at')!r} is not ISO 8601; used the file time")
    fetched_from = "sidecar"
    if fetched is None:
        fetched_from = "mtime"
        fetched = raw.mtime if isinstance(raw.mtime, datetime) else None
    if fetched is None:
        fetched_from = "fallback"
        fetched = today_fallback or datetime.now(UTC)
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=zone)
    return Meta(
        url=url,
        site=site,
        lang=lang,
        fetched_at=fetched.astimezone(zone),
        tz=tz,
        country=site_country_of(site, site_country_map),
        error="; ".join(errors) or None,
        fetched_from=fetched_from,
    )


# ---------------------------------------------------------------- whole page


def prepare_page(
    raw: RawPage,
    *,
    furniture: Mapping[str, frozenset[str]] | frozenset[str] = frozenset(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    site_tz: Mapping[str, str] | None = None,
    site_country: Mapping[str, str] | None = None,
    today_fallback: datetime | None = None,
    trust_mtime: bool = False,
    rules: Rules | None = None,
) -> Page | Rejection:
    """decode -> sidecar -> clean -> publication time, as one Page (or a Rejection).

    `furniture` is either this page's site entry from `recurring_lines` or the whole
    site -> lines mapping (looked up with `page_site(raw)`, "" when unknown, the key
    the flow groups by). A page whose body is empty once furniture is removed is
    rejected as "no_body" (stage "clean"): nothing to extract, a person should look.

    Without sidecar site or url, the site is the one whose recurring furniture the page
    shares (when `furniture` is the mapping), else the host printed in its own footer
    or cookie notice ("© 2025 Casaeco.ma"); either fixes the time zone. Without a sidecar
    fetched_at, relative times ("Hier 14:44") stay unresolved unless `trust_mtime`:
    a checkout, copy or rsync resets the mtime, and a wrong date is worse than none.
    Absolute dates are still resolved.
    """
    data = raw.raw
    sha = hashlib.sha256(data).hexdigest()
    did = sha[:16]
    decoded = _decode(data, max_bytes)
    if decoded[0] is None:
        return Rejection(raw.source_path, STAGE, decoded[1], decoded[2], doc_id=did)  # type: ignore[misc]
    text, encoding = decoded  # type: ignore[misc]
    meta = page_meta(raw, site_tz=site_tz, site_country_map=site_country, today_fallback=today_fallback)
    site = meta.site
    if isinstance(furniture, Mapping):
        lines = furniture.get(page_site(raw) or "", frozenset())
        if site is None:
            site = guess_site(text, furniture)
            if site is not None:
                lines = furniture.get(site, lines)
    else:
        lines = furniture
    cleaned = clean_page(text, site=site, furniture=lines, lang_hint=meta.lang, rules=rules)
    if not cleaned.body:
        return Rejection(
            raw.source_path,
            "clean",
            "no_body",
            f"No article paragraph is left once {len(cleaned.dropped_lines)} furniture lines are removed.",
            doc_id=did,
        )
    if len(cleaned.body) > MAX_BODY_CHARS:
        return _too_long(raw.source_path, len(cleaned.body), did)
    if site is None:
        site = site_from_furniture(cleaned.dropped_lines)
    return build_page(raw, sha, encoding, text, cleaned, meta, site=site, url=meta.url,
                      published_text=cleaned.published_text,
                      relative_ok=meta.fetched_from == "sidecar" or trust_mtime,
                      site_tz=site_tz, site_country=site_country)


def build_page(
    raw: RawPage,
    sha: str,
    encoding: str,
    text: str,
    cleaned: Cleaned,
    meta: Meta,
    *,
    site: str | None,
    url: str | None,
    published_text: str | None,
    relative_ok: bool,
    site_tz: Mapping[str, str] | None = None,
    site_country: Mapping[str, str] | None = None,
    kind: str = "text",
) -> Page:
    """The Page of a cleaned text or HTML page, in one place for both formats.

    A site found in the page itself (markup, footer, shared furniture) rather than the
    sidecar brings its own zone and country, which then decide the publication time:
    day-first dates everywhere but English pages of US sites. `relative_ok` says whether
    the fetch time can anchor a relative date ("hier").
    """
    tz, country, fetched_at = meta.tz, meta.country, meta.fetched_at
    if site is not None and site != meta.site:  # found from the page: its zone now applies
        tz = site_timezone(site, site_tz)
        country = site_country_of(site, site_country)
        fetched_at = fetched_at.astimezone(get_zone(tz))
    day_first = not (cleaned.lang == "en" and country == "US")
    published_at = resolve_published(
        published_text, fetched_at, tz, lang=cleaned.lang, day_first=day_first,
        relative_ok=relative_ok,
    )
    return Page(
        doc_id=sha[:16],
        source_path=raw.source_path,
        raw_sha256=sha,
        encoding=encoding,
        text=text,
        url=url,
        site=site,
        lang=cleaned.lang,
        title=cleaned.title,
        title_start=cleaned.title_start,
        body=cleaned.body,
        body_map=cleaned.body_map,
        published_at=published_at,
        published_text=published_text,
        fetched_at=fetched_at,
        tz=tz,
        dropped_lines=cleaned.dropped_lines,
        country=country,
        sidecar_error=meta.error,
        kind=kind,
    )


def body_too_long(page: Page | Rejection) -> Rejection | None:
    """A Rejection for a page whose body passes MAX_BODY_CHARS, else None."""
    if isinstance(page, Page) and len(page.body) > MAX_BODY_CHARS:
        return _too_long(page.source_path, len(page.body), page.doc_id)
    return None


def _too_long(source_path: str, n: int, did: str) -> Rejection:
    return Rejection(source_path, "clean", "body_too_long",
                     f"The article body has {n:,} characters, more than the {MAX_BODY_CHARS:,} "
                     "an article can have: a dump or a table export, not a page.", doc_id=did)
