"""Content identity of a page, for finding the same article under two names.

Two keys, because copies come in two kinds:

* `raw_sha256` of the bytes: the same file saved twice (`a.txt`, `a (1).txt`), or the
  same WARC record archived twice. Cheap, exact, known before decoding.
* `body_key` of the article text: the same article as a `.txt` scrape and as an `.html`
  page, or re-fetched with a different ad slot. The body is compared after the
  differences that carry no meaning are folded away: Unicode normal form (NFC), every
  kind of space (trafilatura writes NBSP and narrow NBSP as plain spaces, a text
  scrape keeps them) and line structure (a blank line or a newline between paragraphs).
  Case, punctuation and digits are kept: an article whose figures changed is a new one.
"""

from __future__ import annotations

import hashlib
import unicodedata

KEY_CHARS = 32  # hex characters of SHA-256 kept: 128 bits, no collision in any real corpus


def raw_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body_key(body: str) -> str:
    """Hex key of an article body, equal for bodies that differ only in spacing or form."""
    folded = " ".join(unicodedata.normalize("NFC", body).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:KEY_CHARS]
