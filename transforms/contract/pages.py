"""Records that travel between the ingest, clean and extract stages.

`RawPage` is what the flow hands in after reading a file (bytes, never decoded yet);
`Page` is a decoded, cleaned page ready for extraction; `Rejection` is a page that
goes to quarantine with a reason a person can act on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class RawPage:
    """A landing file as read by the flow: raw bytes plus what the file system says."""

    source_path: str
    raw: bytes
    mtime: datetime  # timezone-aware
    sidecar: dict | None = None  # parsed NAME.meta.json, if any
    sidecar_error: str | None = None  # why the sidecar could not be read, if it exists
    kind: str = "text"  # "text" or "html" (how the bytes are read)
    charset: str | None = None  # HTTP charset when known (a WARC record's Content-Type)


class BodyMap(Sequence[int]):
    """Body offset -> raw offset, stored as runs instead of one int per character.

    Behaves like the list it replaces (`len`, `bm[i]`, slices, iteration, `==` with a
    list), but a 4,000-character body costs a handful of runs, not 4,000 int objects
    (~130 kB per page before), and lookups are a bisect. A run is (body_start,
    raw_start, length): body characters body_start.. map to raw_start.. one for one.
    """

    __slots__ = ("_body_starts", "_length", "_lengths", "_raw_starts")

    def __init__(self, runs: Sequence[tuple[int, int, int]] = ()) -> None:
        self._body_starts: list[int] = []
        self._raw_starts: list[int] = []
        self._lengths: list[int] = []
        self._length = 0
        for body_start, raw_start, length in runs:
            if body_start != self._length:
                raise ValueError("BodyMap runs must be contiguous in the body")
            self.append_run(raw_start, length)

    def append_run(self, raw_start: int, length: int) -> None:
        """Map the next `length` body characters to raw_start.. (merged when contiguous)."""
        if length <= 0:
            return
        if self._lengths and self._raw_starts[-1] + self._lengths[-1] == raw_start:
            self._lengths[-1] += length
        else:
            self._body_starts.append(self._length)
            self._raw_starts.append(raw_start)
            self._lengths.append(length)
        self._length += length

    @property
    def runs(self) -> list[tuple[int, int, int]]:
        """(body_start, raw_start, length) runs, in body order."""
        return list(zip(self._body_starts, self._raw_starts, self._lengths, strict=True))

    def to_raw(self, offset: int) -> int:
        """Raw offset of body character `offset` (negative indexes count from the end)."""
        if offset < 0:
            offset += self._length
        if not 0 <= offset < self._length:
            raise IndexError("body offset out of range")
        k = bisect_right(self._body_starts, offset) - 1
        return self._raw_starts[k] + (offset - self._body_starts[k])

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self.to_raw(i) for i in range(*index.indices(self._length))]
        return self.to_raw(index)

    def __iter__(self) -> Iterator[int]:
        for r, n in zip(self._raw_starts, self._lengths, strict=True):
            yield from range(r, r + n)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BodyMap):
            return self.runs == other.runs
        if isinstance(other, Sequence):
            return len(other) == self._length and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BodyMap({self.runs!r})"


@dataclass(slots=True)
class Page:
    """A decoded and cleaned page.

    `text` is the whole decoded, newline-normalised file ("raw offsets" index it);
    `body` the article text with furniture removed. `body_map[i]` is the offset in
    `text` of body character i (len(body_map) == len(body)), so any body span maps back
    to raw offsets; it is a compact BodyMap (runs) that indexes like a list[int].
    `title_start` is the raw offset of the title (or -1).
    """

    doc_id: str
    source_path: str
    raw_sha256: str
    encoding: str
    text: str
    url: str | None
    site: str | None
    lang: str
    title: str | None
    title_start: int
    body: str
    body_map: BodyMap | list[int]
    published_at: datetime | None
    published_text: str | None
    fetched_at: datetime
    tz: str
    dropped_lines: list[str] = field(default_factory=list)
    country: str | None = None  # ISO alpha-2 of the site (TLD or override): "$" on a .ca site is CAD
    sidecar_error: str | None = None  # why the sidecar (or one of its fields) was not used
    kind: str = "text"  # "text" or "html": an HTML page's `text` is its title + body as stored

    def raw_span(self, body_start: int, body_end: int) -> tuple[int, int]:
        """Raw-text offsets of the body span [body_start, body_end)."""
        if body_end <= body_start:
            start = self.body_map[body_start] if body_start < len(self.body_map) else len(self.text)
            return start, start
        return self.body_map[body_start], self.body_map[body_end - 1] + 1


@dataclass(slots=True)
class Rejection:
    """A page (or a row) that could not be used, with a clear reason."""

    source_path: str
    stage: str
    reason: str  # short machine-friendly code, e.g. "empty", "binary", "too_large"
    detail: str  # one sentence for a person
    doc_id: str | None = None
