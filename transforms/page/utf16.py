"""UTF-16 text that comes without a byte-order mark.

Windows tools and some exporters write UTF-16 without a BOM. Read as bytes it is full
of NULs, which otherwise marks a file as binary. The tell: the NULs sit at alternating
positions, because every ASCII character (letters, digits, spaces, punctuation: a large
share of any text, Arabic included through its spaces and digits) has a zero high byte,
at odd offsets in little-endian, even offsets in big-endian, while the other half of
the bytes almost never is zero. A file that shows that pattern and decodes strictly is
UTF-16; a NUL run, a NUL-padded binary or random bytes do not (both halves carry NULs,
or the strict decode hits a lone surrogate), and stay binary. Text and HTML pages share
this test (transforms/page/ingest.py, transforms/page/html.py).
"""

from __future__ import annotations

SNIFF_BYTES = 4096  # the pattern shows in the first few kilobytes
MIN_ZERO_SHARE = 0.1  # of code units with a zero high byte: ASCII spaces alone pass it
MAX_OTHER_SHARE = 0.01  # of code units with a zero low byte (U+0100, U+0400 ... are rare)


def bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when `data` is UTF-16 text without a BOM, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    head = data[:SNIFF_BYTES]
    units = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= MIN_ZERO_SHARE * units and even <= MAX_OTHER_SHARE * units:
        encoding = "utf-16-le"
    elif even >= MIN_ZERO_SHARE * units and odd <= MAX_OTHER_SHARE * units:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding
