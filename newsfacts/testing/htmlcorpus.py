"""An HTML corpus from a text corpus: each page as the article page a news site would serve.

    python -m newsfacts.testing.htmlcorpus TEXT_DIR OUT_DIR

The text page's first paragraph becomes the <h1> and <title>, a "Publié le ..." line
its <time>, the rest <p> paragraphs inside <article>, with the navigation, a related
articles list and a footer around it (what trafilatura must remove); the sidecar is
copied beside it. Same articles, other format: the benchmark compares text and HTML
throughput on equal content. Test and bench support only, never used at run time.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
from pathlib import Path

NAV = ("<header><nav><ul><li><a href='/'>Accueil</a></li><li><a href='/eco'>Économie</a></li>"
       "<li><a href='/bourse'>Bourse</a></li><li><a href='/contact'>Contact</a></li></ul></nav></header>")
RELATED = ("<aside class='related'><h2>À lire aussi</h2><ul>"
           "<li><a href='/a'>Bourse : le MASI gagne 1,4 % sur la semaine</a></li>"
           "<li><a href='/b'>Le dirham se stabilise face à l'euro</a></li></ul></aside>")
FOOTER = "<footer><p>© 2025 Exemple. Tous droits réservés.</p><p>Mentions légales</p></footer>"


def to_html(text: str) -> str:
    """The HTML page of one text page (paragraphs are blocks separated by blank lines)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    title = html.escape(blocks[0].replace("\n", " ")) if blocks else ""
    paras = []
    for b in blocks[1:]:
        tag = "time" if b.lower().startswith(("publié", "published", "publicado")) else "p"
        paras.append(f"<{tag}>{html.escape(b)}</{tag}>" if tag == "p" else f"<p><time>{html.escape(b)}</time></p>")
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{NAV}<main><article><h1>{title}</h1>{''.join(paras)}</article>{RELATED}</main>"
            f"{FOOTER}</body></html>")


def convert(text_dir: Path, out: Path) -> int:
    """Write OUT/NAME.html (and NAME.meta.json) for every TEXT_DIR/NAME.txt; returns pages."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for page in sorted(text_dir.glob("*.txt")):
        stem = page.name[: -len(".txt")]
        target = out / f"{stem}.html"
        data = page.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # the corpus has cp1252 pages, as real scrapes do
            text = data.decode("cp1252", "replace")
        target.write_text(to_html(text), encoding="utf-8")
        st = page.stat()  # the text page's times: a settled page stays settled
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        meta = text_dir / f"{stem}.meta.json"
        if meta.exists():
            shutil.copy2(meta, out / meta.name)
        n += 1
    return n


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "pages")
