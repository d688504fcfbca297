"""Records that travel between the ingest, clean and extract stages.

`RawPage` is what the flow hands in after reading a file (bytes, never decoded yet);
`Page` is a decoded, cleaned page ready for extraction; `Rejection` is a page that
goes to quarantine with a reason a person can act on.
"""

from __future__ import annotations

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


@dataclass(slots=True)
class Page:
    """A decoded and cleaned page.

    `text` is the whole decoded file; `body` the article text with furniture removed.
    `body_map[i]` is the offset in `text` of body character i (len(body_map) ==
    len(body)), so any body span maps back to raw offsets. `title_start` is the raw
    offset of the title (or -1).
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
    body_map: list[int]
    published_at: datetime | None
    published_text: str | None
    fetched_at: datetime
    tz: str
    dropped_lines: list[str] = field(default_factory=list)
    country: str | None = None  # ISO alpha-2 of the site (TLD or override): "$" on a .ca site is CAD
    sidecar_error: str | None = None  # why the sidecar (or one of its fields) was not used

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
