"""Deterministic ids: content hashes, so a re-run produces the same keys."""

from __future__ import annotations

import hashlib


def stable_id(*parts: object) -> str:
    """16 hex chars of sha256 over the parts joined by a unit separator.

    None and numbers are rendered with repr-free str() so the same logical key gives the
    same id on every machine and Python version.
    """
    h = hashlib.sha256()
    for i, part in enumerate(parts):
        if i:
            h.update(b"\x1f")
        h.update(("" if part is None else str(part)).encode("utf-8"))
    return h.hexdigest()[:16]
