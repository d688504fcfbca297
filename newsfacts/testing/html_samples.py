"""Anchor the HTML sample pages' gold readings (data/sample/html/*.gold.json) in place.

Pages and gold readings are written by hand; this script only (re)computes each
surface's "start", so a hand edit of a page is followed by `python -m newsfacts.testing.html_samples`.
Offsets index the *stored text* of an HTML page: its title, a blank line, then the body
trafilatura reads (transforms.page.html.read_html), which is what the warehouse keeps.
Each surface is looked up in order of appearance (the n-th occurrence when a surface
repeats: give "nth").
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from transforms.page.html import read_html

ROOT = Path(__file__).resolve().parents[2]

HTML_DIR = ROOT / "data" / "sample" / "html"


def stored_text(path: Path) -> tuple[str, object]:
    reading = read_html(path.read_bytes())
    assert not hasattr(reading, "reason"), (path, reading)
    text = f"{reading.title}\n\n{reading.body}" if reading.title else reading.body
    return text, reading


def anchor(text: str, items: list[dict]) -> list[dict]:
    out = []
    for item in items:
        start = -1
        for _ in range(item.get("nth", 1)):
            start = text.index(item["surface"], start + 1)
        rest = {k: v for k, v in item.items() if k not in ("surface", "start")}
        out.append({"surface": item["surface"], "start": start, **rest})
    return out


def main() -> None:
    for path in sorted(HTML_DIR.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text, reading = stored_text(HTML_DIR / gold["doc"])
        assert gold["title"] == reading.title, (path.name, reading.title)
        gold["offsets"] = "stored text: title, blank line, trafilatura body"
        gold["amounts"] = anchor(text, gold.get("amounts", []))
        gold["figures"] = anchor(text, gold.get("figures", []))
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), len(gold["amounts"]), "amounts", len(gold["figures"]), "figures")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "gzip":  # re-gzip a hand-edited page
        for name in sys.argv[2:]:
            src = HTML_DIR / name
            (HTML_DIR / (name + ".gz")).write_bytes(gzip.compress(src.read_bytes(), mtime=0))
            src.unlink()
    else:
        main()
