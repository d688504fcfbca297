"""HTML pages read with trafilatura: body, title, date, language, site, and why not."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from transforms.page.clean import clean_page
from transforms.page.html import (
    MAX_ELEMENTS,
    HtmlFailure,
    HtmlReading,
    decode_html,
    gunzip_bounded,
    read_html,
)
from transforms.page.identity import body_key

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
HTML = SAMPLE / "html"

ARTICLE = (
    "<html lang='{lang}'><head><title>{title}</title>{meta}</head><body>"
    "<nav><a href='/'>Accueil</a> <a href='/eco'>Économie</a></nav>"
    "<article><h1>{title}</h1>{paras}</article>"
    "<aside><h3>À lire aussi</h3><ul><li><a href='/x'>Bourse : le MASI gagne 1,4 %</a></li>"
    "<li><a href='/y'>Immobilier : les ventes reculent de 8 %</a></li></ul></aside>"
    "<div class='comments'><p>Commentaire : 12 milliards gaspillés !</p></div>"
    "<footer>© 2025 Exemple.ma</footer></body></html>"
)
PARAS = [
    "La société Exemple Industries a annoncé mardi un investissement de 1,5 milliard de "
    "dirhams dans une nouvelle usine de composants à Kénitra, selon un communiqué.",
    "Le site emploiera 1 200 personnes à partir de 2027 et exportera 80 % de sa production "
    "vers l’Europe, a précisé la direction du groupe lors d’une conférence de presse.",
]


def page(lang="fr", title="Exemple Industries investit 1,5 milliard de dirhams", meta="",
         paras=PARAS) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return ARTICLE.format(lang=lang, title=title, meta=meta, paras=body).encode("utf-8")


def test_article_body_title_and_furniture():
    r = read_html(page())
    assert isinstance(r, HtmlReading)
    assert r.title == "Exemple Industries investit 1,5 milliard de dirhams"
    assert r.body == "\n\n".join(PARAS)  # title line dropped, paragraphs by blank lines
    for furniture in ("Accueil", "MASI", "Commentaire", "© 2025"):
        assert furniture not in r.body
    assert r.lang == "fr"
    assert r.encoding == "utf-8"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="article:published_time" content="2025-03-04T09:30:00+01:00">',
         "2025-03-04T09:30:00+01:00"),
        ('<meta property="article:published_time" content="2025-03-04">', "2025-03-04"),
        ("", None),
    ],
)
def test_publication_date_from_markup_only(meta, expected):
    paras = [*PARAS, "Le précédent plan, présenté le 12 janvier 2021, visait 900 millions."]
    r = read_html(page(meta=meta, paras=paras))
    assert isinstance(r, HtmlReading)
    assert r.published == expected  # a date printed in the text is never taken as the date


def test_site_and_url_from_canonical_link():
    meta = '<link rel="canonical" href="https://www.exemple.ma/eco/usine-1.html">'
    r = read_html(page(meta=meta))
    assert r.site == "exemple.ma"
    assert r.url == "https://www.exemple.ma/eco/usine-1.html"
    # trafilatura reports the registered domain, without "www." or "news."
    assert read_html(page(), url="https://news.example.org/a/1").site == "example.org"


@pytest.mark.parametrize(("lang", "expected"), [("en-GB", "en"), ("pt_BR", "pt"), ("", None),
                                                ("not a tag!", None)])
def test_declared_language(lang, expected):
    assert read_html(page(lang=lang)).lang == expected


def test_gzipped_page_reads_like_the_plain_one():
    assert read_html(gzip.compress(page())) == read_html(page())


def test_encodings_http_hint_meta_and_lies():
    text = page().decode("utf-8")
    latin = text.replace("<head>", '<head><meta charset="iso-8859-1">').encode("cp1252")
    # iso-8859-1 is read as windows-1252 (WHATWG): the ’ is 0x92, not a C1 control
    assert decode_html(latin) == (latin.decode("cp1252"), "cp1252")
    assert "\x92" not in read_html(latin).body
    assert decode_html(latin, "windows-1252")[1] == "cp1252"  # the HTTP header wins
    lying = text.replace("<head>", '<head><meta charset="utf-16">').encode("utf-8")
    assert decode_html(lying)[1] == "utf-8"  # a UTF-16 label without a BOM is a lie
    assert decode_html(text.encode("utf-8"), "koi8-unknown")[1] == "utf-8"
    assert read_html(latin).body == read_html(page()).body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"\x1f\x8b\x08\x00garbage", "bad_gzip"),
        (gzip.compress(page())[:60], "bad_gzip"),
        (b"<html>\x00\x00\x00</html>", "binary"),
        (b"<html><body><nav><a href='/'>x</a></nav></body></html>", "no_main_text"),
        (b"<html><head><script>var a=1;</script></head><body></body></html>", "no_main_text"),
        (b"<html><body>" + b"<p>a</p>" * (MAX_ELEMENTS + 10) + b"</body></html>", "too_complex"),
    ],
)
def test_failures_have_precise_reasons(data, reason):
    r = read_html(data)
    assert isinstance(r, HtmlFailure), r
    assert r.reason == reason
    assert r.detail


def test_size_limits_before_and_after_gunzip():
    assert read_html(page(), max_bytes=100).reason == "too_large"
    bomb = gzip.compress(b"<p>" + b"a" * 3_000_000)
    assert len(bomb) < 10_000
    out = gunzip_bounded(bomb, 1_000_000)
    assert isinstance(out, HtmlFailure) and out.reason == "too_large"


def test_same_article_as_txt_and_html_has_one_body_key():
    """The HTML sample 001 is the .txt sample 001: the cleaned bodies must share a key."""
    txt = (SAMPLE / "001_atlantis-phosphates-obligataire.txt").read_text(encoding="utf-8")
    cleaned = clean_page(txt, site="casaeco.ma", furniture=frozenset(), lang_hint="fr")
    html = read_html((HTML / "001_atlantis-phosphates-obligataire.html").read_bytes())
    assert html.title == cleaned.title
    assert html.body != cleaned.body  # trafilatura writes NBSPs as spaces...
    assert body_key(html.body) == body_key(cleaned.body)  # ...the key folds them
    assert body_key(html.body) != body_key(html.body.replace("2,5", "2,6"))


@pytest.mark.parametrize("gold_path", sorted(HTML.glob("*.gold.json")), ids=lambda p: p.name)
def test_sample_html_pages_match_their_gold(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    r = read_html((HTML / gold["doc"]).read_bytes())
    assert isinstance(r, HtmlReading)
    assert (r.title, r.lang, r.site, r.encoding) == (
        gold["title"], gold["lang"], gold["site"], gold["encoding"]
    )
    assert r.published == gold["published_at"]
    stored = f"{r.title}\n\n{r.body}"
    for item in gold["amounts"] + gold["figures"]:
        assert stored[item["start"]: item["start"] + len(item["surface"])] == item["surface"]
    for teaser in gold["not_figures"]:
        if "removed" in teaser:
            assert teaser.split(" (")[0] not in stored


def test_site_found_in_the_page_sets_zone_and_country_for_text_and_html_alike():
    """Neither page has a sidecar site: the HTML page names its site in a canonical link,
    the text page in its footer. Both are then built the same way (one Page builder): the
    site's zone and country, the fetch time moved to that zone, the same publication time."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from transforms.contract.pages import Page, RawPage
    from transforms.page.htmlpage import prepare_any

    fetched = {"fetched_at": "2025-03-04T15:00:00+00:00"}
    meta = ('<link rel="canonical" href="https://www.exemple.ca/eco/usine-1.html">'
            '<meta property="article:published_time" content="2025-03-04T09:30:00-05:00">')
    html = prepare_any(RawPage("a.html", page(meta=meta), None, fetched, kind="html"))
    text = ("Exemple Industries investit 1,5 milliard de dirhams\n"
            "Publié le 4 mars 2025 à 09h30\n\n" + "\n\n".join(PARAS) + "\n\n© 2025 Exemple.ca\n")
    plain = prepare_any(RawPage("a.txt", text.encode(), None, fetched))
    assert isinstance(html, Page) and isinstance(plain, Page)
    assert (html.kind, plain.kind) == ("html", "text")
    for p in (html, plain):
        assert (p.site, p.country, p.tz) == ("exemple.ca", "CA", "America/Toronto")
        assert p.fetched_at.utcoffset() == datetime(2025, 3, 4, tzinfo=ZoneInfo(p.tz)).utcoffset()
        assert p.published_at == datetime(2025, 3, 4, 14, 30, tzinfo=UTC)
        assert p.title == "Exemple Industries investit 1,5 milliard de dirhams"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_page_without_bom_reads_like_the_utf8_one(encoding):
    """UTF-16 without a BOM is told by its NULs at alternating positions, not refused as binary."""
    data = page().decode("utf-8").encode(encoding)
    assert decode_html(data) == (page().decode("utf-8"), encoding)
    plain, wide = read_html(page()), read_html(data)
    assert isinstance(wide, HtmlReading), wide
    assert (wide.title, wide.body, wide.lang) == (plain.title, plain.body, plain.lang)
    # NULs that do not alternate are still binary
    assert read_html(page().replace(b"<p>", b"<p>\x00\x00\x00\x00")).reason == "binary"
