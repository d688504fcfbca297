"""The sample WARC of data/sample/warc/: what a crawl hands over, in one small file.

    python -m newsfacts.testing.samplewarc [PATH]

Records, in order (each kind a reader must handle):

1. warcinfo                                  -> counted, skipped
2. request for the Spanish article           -> counted, skipped
3. response, text/html, 200: a new article   -> a page
4. response, image/jpeg                      -> counted, skipped (not text)
5. metadata                                  -> counted, skipped
6. response, text/plain, 200: sample page 010 as a crawler saved it
                                             -> a page (same body as the .txt sample)
7. response, text/html, 404                  -> counted, skipped (not a 2xx page)
8. response, text/html, cut mid-record       -> reported as truncated, never a page
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from newsfacts.testing import warcgen

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
DEFAULT_PATH = SAMPLE_DIR / "warc" / "sample-crawl.warc.gz"

ARTICLE_URL = "https://www.diariodelestrecho.es/economia/puerto-algeciras-terminal-hidrogeno"
ARTICLE = """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>El puerto de Algeciras adjudica una terminal de hidrógeno por 240 millones de euros | Diario del Estrecho</title>
<meta property="og:site_name" content="Diario del Estrecho">
<meta property="og:title" content="El puerto de Algeciras adjudica una terminal de hidrógeno por 240 millones de euros">
<meta property="article:published_time" content="2025-11-12T18:05:00+01:00">
</head>
<body>
<header><nav><a href="/">Portada</a> <a href="/economia">Economía</a> <a href="/deportes">Deportes</a></nav></header>
<article>
<h1>El puerto de Algeciras adjudica una terminal de hidrógeno por 240 millones de euros</h1>
<p class="firma">Redacción · 12 de noviembre de 2025</p>
<p>La Autoridad Portuaria de la Bahía de Algeciras ha adjudicado a la sociedad Estrecho Green Molecules la concesión de una terminal de amoníaco verde, con una inversión prevista de 240 millones de euros durante los próximos cinco años.</p>
<p>La terminal tendrá una capacidad de 500.000 toneladas anuales y generará unos 320 empleos directos. El consejo de administración aprobó además un crédito de 45 millones de euros del Banco Europeo de Inversiones para las obras de acceso.</p>
<p>Según la Autoridad Portuaria, el tráfico de graneles líquidos creció un 6,5 % hasta septiembre.</p>
</article>
<aside><h3>Lo más leído</h3><ul><li><a href="/x">La bolsa de Madrid sube un 1,2 %</a></li></ul></aside>
<footer>© 2025 Diario del Estrecho</footer>
</body>
</html>
"""

TRUNCATED_URL = "https://www.diariodelestrecho.es/economia/naviera-compra-ferries"
TRUNCATED = ("<html lang='es'><body><article><h1>Una naviera compra tres ferris</h1>"
             + "<p>La naviera ha cerrado la compra de tres ferris por 90 millones de euros.</p>" * 40
             + "</article></body></html>")


def _jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4 + b"\xff\xd9"


def records() -> list[bytes]:
    fetched = datetime(2025, 11, 13, 7, 30, tzinfo=UTC)
    paytiz = (SAMPLE_DIR / "010_paytiz-levee-serie-b.txt").read_bytes()
    return [
        warcgen.warcinfo("sample-crawl.warc.gz"),
        warcgen.request(ARTICLE_URL, date=fetched),
        warcgen.response(ARTICLE_URL, ARTICLE.encode("utf-8"), date=fetched,
                         http_headers={"Content-Language": "es"}),
        warcgen.response("https://www.diariodelestrecho.es/img/terminal.jpg", _jpeg(),
                         "image/jpeg", date=fetched),
        warcgen.metadata(ARTICLE_URL, "fetchTimeMs: 412\r\n"),
        warcgen.response("https://www.paytiz-news.ma/levee-serie-b.txt", paytiz,
                         "text/plain; charset=utf-8", date=fetched),
        warcgen.response("https://www.diariodelestrecho.es/economia/no-existe",
                         b"<html><body><h1>Not found</h1></body></html>", date=fetched,
                         status="404 Not Found"),
        warcgen.response(TRUNCATED_URL, TRUNCATED.encode("utf-8"), date=fetched),
    ]


def write_sample_warc(path: Path = DEFAULT_PATH) -> Path:
    """Write the sample; the last record's gzip member is cut at half its length."""
    recs = records()
    last = len(warcgen.gz_member(recs[-1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    return warcgen.write_warc(path, recs, truncate_last=last // 2)


if __name__ == "__main__":
    print(write_sample_warc(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH))
