"""Write small WARC files (ISO 28500, WARC/1.0) by hand, for samples, tests and benches.

Written with the standard library on purpose: the readers under test (FastWARC, warcio)
must not also be the writers of their own test input, and we need files that no
well-behaved writer produces: a record cut off in the middle (an interrupted crawl), a
Content-Length that lies, a gzip member that ends early.

A `.warc.gz` is a series of gzip members, one per record (what Common Crawl and every
crawler write), so a reader can seek to a record and a broken member spoils only itself.
"""

from __future__ import annotations

import gzip
import hashlib
import uuid
from base64 import b32encode
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

CRLF = b"\r\n"


def _digest(data: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record_id(seed: str) -> str:
    """A stable `<urn:uuid:...>` from `seed`, so generated files are byte-reproducible."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}>"


def warc_record(rtype: str, block: bytes, *, target_uri: str | None = None,
                date: datetime | None = None, rid: str | None = None,
                extra: dict[str, str] | None = None, content_type: str | None = None,
                content_length: int | None = None) -> bytes:
    """One uncompressed WARC record: header block, CRLF, content block, CRLF CRLF.

    `content_length` overrides the true length (to write a lying record).
    """
    date = date or datetime(2025, 11, 14, 8, 0, tzinfo=UTC)
    headers = {
        "WARC-Type": rtype,
        "WARC-Record-ID": rid or record_id(f"{rtype}:{target_uri}:{len(block)}:{_digest(block)}"),
        "WARC-Date": date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if target_uri:
        headers["WARC-Target-URI"] = target_uri
    if content_type:
        headers["Content-Type"] = content_type
    headers["WARC-Block-Digest"] = _digest(block)
    headers.update(extra or {})
    headers["Content-Length"] = str(len(block) if content_length is None else content_length)
    head = b"WARC/1.0\r\n" + b"".join(f"{k}: {v}".encode() + CRLF for k, v in headers.items())
    return head + CRLF + block + CRLF + CRLF


def http_response_block(body: bytes, content_type: str = "text/html; charset=utf-8",
                        status: str = "200 OK", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}",
             f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", *,
             date: datetime | None = None, http_headers: dict[str, str] | None = None,
             status: str = "200 OK") -> bytes:
    block = http_response_block(body, content_type, status, http_headers)
    return warc_record("response", block, target_uri=url, date=date,
                       content_type="application/http; msgtype=response",
                       extra={"WARC-Payload-Digest": _digest(body)})


def request(url: str, *, date: datetime | None = None) -> bytes:
    host = url.split("/")[2]
    block = f"GET /{url.split('/', 3)[3] if url.count('/') > 2 else ''} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: newsfacts-test\r\n\r\n".encode()
    return warc_record("request", block, target_uri=url, date=date,
                       content_type="application/http; msgtype=request")


def warcinfo(filename: str) -> bytes:
    block = f"software: newsfacts warcgen\r\nformat: WARC File Format 1.0\r\nfilename: {filename}\r\n".encode()
    return warc_record("warcinfo", block, content_type="application/warc-fields",
                       rid=record_id(f"warcinfo:{filename}"))


def metadata(url: str, text: str) -> bytes:
    return warc_record("metadata", text.encode(), target_uri=url,
                       content_type="application/warc-fields")


def gz_member(record: bytes) -> bytes:
    return gzip.compress(record, compresslevel=6, mtime=0)


def write_warc(path: Path, records: Iterable[bytes], *, compress: bool | None = None,
               truncate_last: int | None = None) -> Path:
    """Write records to `path` (gzip members when it ends in .gz, unless `compress` says).

    `truncate_last`: keep only this many bytes of the last (possibly compressed) record,
    as an interrupted download leaves it.
    """
    path = Path(path)
    compress = path.name.endswith(".gz") if compress is None else compress
    with path.open("wb") as out:
        chunks = [gz_member(r) if compress else r for r in records]
        for i, chunk in enumerate(chunks):
            if truncate_last is not None and i == len(chunks) - 1:
                chunk = chunk[:truncate_last]
            out.write(chunk)
    return path
