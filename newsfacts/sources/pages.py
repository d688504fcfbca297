"""The pages of one landing file: a text or HTML file is one page, a WARC archive many.

Why a generator: a WARC of 10,000 pages (or 1 GB) is streamed record by record and
never held whole; the caller decides what to keep of each page (its hash, its bytes
while the batch is processed). Every page or problem comes out as a RawPage or a
Rejection, so the caller accounts for each one the same way whatever the file kind.

Guards that cost nothing: a page file larger than `max_bytes` is refused on its
`stat` size, before a byte is read (a 6 GB file costs one system call); a WARC record
larger than `max_bytes` is refused by the WARC reader without being buffered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from newsfacts.resources import LandingFile, read_page
from newsfacts.sources.warc import WarcPage, WarcProblem, WarcStats, iter_warc, read_record_at
from transforms.contract.pages import RawPage, Rejection

STAGE = "ingest"


@dataclass(slots=True)
class FileCounts:
    """What one file gave: pages (including problems) and records that are not pages."""

    pages: int = 0
    skipped_records: int = 0
    skipped_kinds: dict[str, int] = field(default_factory=dict)


def too_large(entry: LandingFile, max_bytes: int) -> Rejection | None:
    """A Rejection for a page file over `max_bytes`, decided on its size alone."""
    if entry.kind == "warc" or entry.size <= max_bytes:
        return None
    return Rejection(entry.source_path, STAGE, "too_large",
                     f"The file has {entry.size:,} bytes, more than the {max_bytes:,}-byte limit; "
                     "it was not read.")


def warc_source(path: str, record_id: str | None, offset: int | None) -> str:
    """The source path of a WARC record: PATH#RECORD-ID (PATH@OFFSET when it has no id)."""
    if record_id:
        return f"{path}#{record_id.strip('<>')}"
    return f"{path}@{offset if offset is not None else 0}"


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where one page lies, so another process can read it again without the bytes.

    The transform pass re-reads each new page on a worker (the flow keeps no page
    bytes between its two passes). A text or HTML page is its file; a WARC page is the
    record at `offset` in its archive (the position FastWARC reports, in the compressed
    file for a .warc.gz of one gzip member per record), checked against `record_id`.
    """

    entry: LandingFile
    source_path: str
    offset: int | None = None
    record_id: str | None = None


def iter_file_pages(entry: LandingFile, max_bytes: int,
                    counts: FileCounts | None = None) -> Iterator[RawPage | Rejection]:
    """Every page of `entry` as a RawPage, every unusable one as a Rejection (see `iter_file_refs`)."""
    for item, _ in iter_file_refs(entry, max_bytes, counts):
        yield item


def iter_file_refs(entry: LandingFile, max_bytes: int, counts: FileCounts | None = None,
                   ) -> Iterator[tuple[RawPage | Rejection, PageRef | None]]:
    """Every page of `entry` as a RawPage, every unusable one as a Rejection.

    A text or HTML file gives exactly one item. A WARC gives one per HTTP response with
    an HTML or text payload and one per unreadable record; requests, metadata, images
    and the like are counted in `counts.skipped_records`. A WARC with no page at all
    gives one Rejection ("warc_no_pages"), so every file is accounted for.
    """
    counts = counts if counts is not None else FileCounts()
    refused = too_large(entry, max_bytes)
    if refused is not None:
        counts.pages += 1
        yield refused, None
        return
    if entry.kind != "warc":
        counts.pages += 1
        try:
            page = read_page(entry)
        except OSError as exc:
            yield Rejection(entry.source_path, STAGE, "unreadable", str(exc)), None
            return
        yield page, PageRef(entry, entry.source_path)
        return
    stats = WarcStats()
    try:
        for item in iter_warc(entry.path, max_bytes=max_bytes, stats=stats):
            counts.pages += 1
            if isinstance(item, WarcProblem):
                yield Rejection(warc_source(entry.source_path, item.record_id, item.offset), STAGE,
                                item.reason, item.detail), None
            else:
                page = _warc_page(entry, item)
                yield page, PageRef(entry, page.source_path, item.offset, item.record_id)
    except OSError as exc:
        counts.pages += 1
        yield Rejection(entry.source_path, STAGE, "warc_unreadable", f"The archive cannot be read: {exc}."), None
    counts.skipped_records = sum(stats.skipped.values())
    counts.skipped_kinds = dict(stats.skipped)
    if counts.pages == 0:
        counts.pages = 1
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(stats.skipped.items())) or "no records"
        yield Rejection(entry.source_path, STAGE, "warc_no_pages",
                        f"The archive holds no HTTP response with an HTML or text page ({kinds})."), None


def read_ref(ref: PageRef, max_bytes: int) -> RawPage | Rejection:
    """The page `ref` points at, read again (a page file whole, a WARC record by offset).

    A file or record that changed since it was found (unreadable now, or another
    record at the offset) is a Rejection, not a wrong page.
    """
    if ref.offset is None:
        try:
            return read_page(ref.entry)
        except OSError as exc:
            return Rejection(ref.source_path, STAGE, "unreadable", str(exc))
    try:
        item = read_record_at(ref.entry.path, ref.offset, max_bytes=max_bytes)
    except OSError as exc:
        return Rejection(ref.source_path, STAGE, "warc_unreadable", f"The archive cannot be read: {exc}.")
    if not isinstance(item, WarcPage) or item.record_id != (ref.record_id or ""):
        return Rejection(ref.source_path, STAGE, "warc_changed",
                         f"The archive changed during the run: no page record {ref.record_id!r} "
                         f"at offset {ref.offset} any more.")
    return _warc_page(ref.entry, item)


def _warc_page(entry: LandingFile, page: WarcPage) -> RawPage:
    """A WARC record as a page: its URI and WARC-Date stand in for a sidecar."""
    sidecar: dict = {"url": page.target_uri} if page.target_uri else {}
    if page.fetched_at is not None:
        sidecar["fetched_at"] = page.fetched_at.isoformat()
    return RawPage(
        warc_source(entry.source_path, page.record_id, page.offset),
        page.payload,
        page.fetched_at or entry.mtime,
        sidecar or None,
        kind="html" if page.is_html else "text",
        charset=page.charset,
    )
