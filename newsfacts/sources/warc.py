"""Read WARC archives as a stream of pages (I/O: lives in newsfacts/, not transforms/).

Why FastWARC: on the same files it reads records several times faster than warcio
(bench/warc_speed.py prints both), and it *yields* a record cut off by the end of the
file, so we can report it; warcio drops a record truncated in its headers without a
word. Records are read one at a time from the open file (plain or gzip members): a WARC
of any size streams in the memory of its largest accepted record.

What is a page: a `response` record whose HTTP status is 2xx and whose payload is HTML
or text (Content-Type text/html, application/xhtml+xml, text/plain). Everything else
is counted by kind and skipped: `warcinfo`, `request`, `metadata`, `revisit`, `resource`,
`conversion`, responses with another status or media type. A record is *broken* when
its block is shorter than its Content-Length (an interrupted crawl), its headers are cut,
its HTTP head does not parse, or its declared size is over `max_bytes` (not read then);
a broken page record yields a `WarcProblem` (quarantined by record id), and an
unreadable stretch (a corrupt gzip member, garbage between records) yields one
`WarcProblem`, after which reading resumes at the next record header.

The HTTP head is parsed here (status, Content-Type charset, chunked transfer,
gzip/deflate/br content encoding) rather than by the library, so truncation is judged
on the raw block length and decoding bombs are bounded the same way as for files.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

DEFAULT_MAX_BYTES = 5_000_000  # same default as newsfacts.settings.Settings.max_bytes
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTTP response with an HTML or text payload (payload decoded of transfer and
    content encodings, never of its charset: that is the page reader's job)."""

    record_id: str
    target_uri: str
    fetched_at: datetime | None  # WARC-Date
    content_type: str  # media type, lower-case, without parameters
    charset: str | None  # from the HTTP Content-Type
    payload: bytes
    offset: int  # position of the record in the (compressed) file

    @property
    def is_html(self) -> bool:
        return self.content_type != "text/plain"


@dataclass(frozen=True, slots=True)
class WarcProblem:
    """A record (or the rest of an archive) that could not be read, with a reason."""

    record_id: str | None
    target_uri: str | None
    reason: str  # warc_truncated, warc_too_large, warc_bad_http, warc_bad_encoding, warc_unreadable
    detail: str
    offset: int | None = None


@dataclass(slots=True)
class WarcStats:
    """Counts of one archive: records by kind (`skipped`), pages, problems."""

    records: int = 0
    pages: int = 0
    problems: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def is_warc(path: Path | str) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def iter_warc(source: Path | str | BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES,
              stats: WarcStats | None = None) -> Iterator[WarcPage | WarcProblem]:
    """Pages and problems of one WARC, in file order; `stats` (if given) is filled as it goes.

    After an unreadable stretch (a corrupt gzip member, garbage between records) the
    reader resyncs on the next record header (`_next_record_start`) and goes on, so one
    bad record costs that record, not the rest of the archive; the stretch is reported
    once, as `warc_unreadable`. An unseekable stream ends there instead.
    """
    from fastwarc.warc import ArchiveIterator

    stats = stats if stats is not None else WarcStats()
    stream = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    last_offset: int | None = None
    base = stream.tell() if stream.seekable() else 0
    reported = False  # this unreadable stretch was reported already
    try:
        while True:
            records = ArchiveIterator(stream, parse_http=False)
            read_any = False
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    tail = _cut_tail(stream, last_offset)
                    if tail is not None:
                        stats.problems += 1
                        yield WarcProblem(None, None, "warc_truncated",
                                          f"The archive ends inside an unreadable record at offset {tail} "
                                          "(a gzip member cut off before its WARC headers end).", tail)
                    return
                except OSError as exc:  # a corrupt gzip member or garbage between records
                    if not reported or read_any:
                        stats.problems += 1
                        yield WarcProblem(None, None, "warc_unreadable",
                                          f"The archive is unreadable after offset {last_offset}: {exc}; "
                                          "reading resumes at the next record header, if any.",
                                          last_offset)
                    reported = True
                    break
                read_any, reported = True, False
                stats.records += 1
                last_offset = record.stream_pos
                item = _record(record, max_bytes)
                if isinstance(item, str):
                    stats.skipped[item] += 1
                    continue
                if isinstance(item, WarcProblem):
                    stats.problems += 1
                else:
                    stats.pages += 1
                yield item
            if not stream.seekable():
                return
            after = max(base, last_offset if last_offset is not None else base) + 1
            resume = _next_record_start(stream, after)
            if resume is None:
                return
            stream.seek(resume)
            base = resume
    finally:
        if stream is not source:
            stream.close()


_PLAIN_HEADERS = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_SCAN_CHUNK = 1 << 20


def _next_record_start(stream: BinaryIO, start: int) -> int | None:
    """Offset of the first record header at or after `start`, None when there is none.

    A plain record starts with the line `WARC/1.0` or `WARC/1.1` (CRLF included, which
    keeps article text from matching); a compressed one is a gzip member whose first inflated bytes are such a line (each
    record of a .warc.gz is its own member). Read in chunks (with an overlap for a
    header cut by a chunk edge), so a long corrupt stretch costs a scan, not memory.
    """
    pos = start
    overlap = 16
    while True:
        stream.seek(pos)
        chunk = stream.read(_SCAN_CHUNK + overlap)
        if not chunk:
            return None
        found = [i for i in (chunk.find(h) for h in _PLAIN_HEADERS) if i >= 0]
        i = chunk.find(_GZIP_MEMBER)
        while i >= 0:
            if _member_is_record(stream, pos + i):
                found.append(i)
                break
            i = chunk.find(_GZIP_MEMBER, i + 1)
        if found:
            return pos + min(found)
        if len(chunk) <= _SCAN_CHUNK:
            return None
        pos += _SCAN_CHUNK


def _member_is_record(stream: BinaryIO, offset: int) -> bool:
    """True when a gzip member starting at `offset` inflates to a WARC header line."""
    stream.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(_PLAIN_HEADERS)


def read_record_at(path: Path | str, offset: int, *, max_bytes: int = DEFAULT_MAX_BYTES,
                   ) -> WarcPage | WarcProblem | str | None:
    """The record starting at `offset` of the archive (as `iter_warc` gave it), read alone.

    For the transform pass, which reads a page again on a worker: seeking to the
    record costs its own bytes only, never the archive before it. None when no record
    starts there.
    """
    from fastwarc.warc import ArchiveIterator

    with open(path, "rb") as stream:
        stream.seek(offset)
        try:
            record = next(ArchiveIterator(stream, parse_http=False), None)
        except OSError:
            return None
        return None if record is None else _record(record, max_bytes)


def _record(record, max_bytes: int) -> WarcPage | WarcProblem | str:
    """A page, a problem, or the kind under which a skipped record is counted."""
    headers = record.headers
    kind = (headers.get("WARC-Type") or "unknown").lower()
    rid = headers.get("WARC-Record-ID")
    uri = headers.get("WARC-Target-URI")
    offset = record.stream_pos
    declared = headers.get("Content-Length")
    if declared is None or not declared.strip().isdigit():
        # whatever its (possibly cut) type says: it may have been a page, so it is reported
        return WarcProblem(rid, uri, "warc_truncated",
                           f"The record's WARC headers are cut off (no Content-Length; type {kind!r}).",
                           offset)
    if kind != "response":
        return kind
    length = int(declared)
    if length > max_bytes + 65_536:  # room for the HTTP head
        return WarcProblem(rid, uri, "warc_too_large",
                           f"The record declares {length:,} bytes, more than the {max_bytes:,}-byte limit; not read.",
                           offset)
    block = record.reader.read()
    if len(block) < length:
        return WarcProblem(rid, uri, "warc_truncated",
                           f"The record holds {len(block):,} of its {length:,} declared bytes (cut off).",
                           offset)
    head_end = block.find(b"\r\n\r\n")
    if not block.startswith(b"HTTP/") or head_end < 0:
        return WarcProblem(rid, uri, "warc_bad_http", "The response block has no HTTP status line and head.", offset)
    status, http = _http_head(block[:head_end])
    if status is None:
        return WarcProblem(rid, uri, "warc_bad_http", "The HTTP status line does not parse.", offset)
    if not 200 <= status < 300:
        return f"response_status_{status // 100}xx"
    media, _, params = http.get("content-type", "").partition(";")
    media = media.strip().lower()
    if media not in PAGE_TYPES:
        return "response_not_text"
    payload = block[head_end + 4:]
    decoded = _decode_payload(payload, http, max_bytes)
    if isinstance(decoded, str):
        return WarcProblem(rid, uri, "warc_bad_encoding", decoded, offset)
    return WarcPage(
        record_id=rid or "",
        target_uri=uri or "",
        fetched_at=_warc_date(headers.get("WARC-Date")),
        content_type=media,
        charset=_charset(params),
        payload=decoded,
        offset=offset,
    )


def _cut_tail(stream: BinaryIO, last_offset: int | None) -> int | None:
    """Offset of an incomplete gzip member after the last record read, else None.

    FastWARC (and warcio) end silently when the file ends inside a record's first
    compressed bytes; re-inflating the members from the last record's start (output
    discarded, bounded per step) finds the cut. Plain WARCs and unseekable streams: None.
    """
    if not stream.seekable():
        return None
    start = last_offset or 0
    stream.seek(start)
    if stream.read(2) != b"\x1f\x8b":
        return None
    stream.seek(start)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    member_start, pos, complete = start, start, 0
    while chunk := stream.read(1 << 16):
        pos += len(chunk)
        data = chunk
        while data:
            try:
                inflater.decompress(data, 1 << 20)
                while inflater.unconsumed_tail:
                    inflater.decompress(inflater.unconsumed_tail, 1 << 20)
            except zlib.error:
                return member_start if complete else None
            if not inflater.eof:
                break
            complete += 1
            data = inflater.unused_data
            member_start = pos - len(data)
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = member_start < pos
    # the last record's own member incomplete: already reported as that record's problem
    return member_start if started and complete else None


def _http_head(head: bytes) -> tuple[int | None, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return status, fields


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _decode_payload(payload: bytes, http: dict[str, str], max_bytes: int) -> bytes | str:
    """Undo chunked transfer and gzip/deflate/br content encoding (bounded), or say why not."""
    if "chunked" in http.get("transfer-encoding", "").lower():
        payload = _dechunk(payload)
        if payload is None:
            return "The chunked HTTP body is malformed."
    encoding = http.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return payload
    try:
        if encoding in ("gzip", "x-gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
            inflater = zlib.decompressobj(wbits)
            out = inflater.decompress(payload, max_bytes + 1)
        elif encoding == "br":
            import brotli

            out = brotli.decompress(payload)
        else:
            return f"The content encoding {encoding!r} is not supported."
    except Exception as exc:  # zlib.error, or brotli.error (its own type)
        return f"The {encoding} body does not decode: {exc}."
    if len(out) > max_bytes:
        return f"The {encoding} body inflates past the {max_bytes:,}-byte limit."
    return out


def _dechunk(data: bytes) -> bytes | None:
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return None
        size_text = data[pos:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        out += data[end + 2: end + 2 + size]
        pos = end + 2 + size + 2


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
