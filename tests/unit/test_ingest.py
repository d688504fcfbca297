"""Tests for transforms.page.ingest (decode, sidecar, prepare_page) and transforms.page.sites.

Includes the seed acceptance test (skipped when ../shared is absent) and the sample
corpus test over data/sample/ (recurring furniture computed over the whole corpus).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from transforms.contract.pages import Page, RawPage, Rejection
from transforms.page.clean import recurring_lines
from transforms.page.ingest import decode_page, doc_id, page_meta, prepare_page
from transforms.page.sites import (
    normalise_host,
    page_site,
    site_country,
    site_from_furniture,
    site_from_url,
    site_info,
    site_timezone,
)

ROOT = Path(__file__).resolve().parents[2]
MTIME = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
ARTICLE = (
    "Titre de l’article sur les résultats annuels du groupe\n\n"
    "Le groupe a annoncé une hausse de 12 % de son chiffre d’affaires, à 5 milliards de "
    "dirhams, portée par la demande européenne et par sa nouvelle usine de Tanger.\n"
)
ARABIC = (
    "أعلنت المجموعة عن ارتفاع رقم معاملاتها بنسبة 12 في المائة ليبلغ 5 مليارات درهم خلال سنة "
    "2024، بفضل الطلب الأوروبي ومصنعها الجديد في طنجة.\n"
)
MAX = 5_000_000


def raw_page(data: bytes, sidecar: dict | None = None, error: str | None = None, path: str = "p.txt") -> RawPage:
    return RawPage(path, data, MTIME, sidecar, error)


def shared_dir() -> Path | None:
    env = os.environ.get("NEWSFACTS_SHARED")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared"
    return path if path.is_dir() else None


# ---------------------------------------------------------------- doc_id and decoding

def test_doc_id_is_sha256_prefix() -> None:
    data = ARTICLE.encode()
    assert doc_id(data) == hashlib.sha256(data).hexdigest()[:16]
    assert len(doc_id(b"")) == 16 and doc_id(b"a") != doc_id(b"b")


@pytest.mark.parametrize(
    ("data", "text_start", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "Titre de l’article", "utf-8"),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "Titre de l’article", "utf-8"),  # BOM stripped
        ("Été : le groupe réalise 5 milliards de bénéfice, selon ses dirigeants".encode("cp1252"), "Été : le groupe", "cp1252"),
        ("“Prix” de 500 € pour l’été, annonce le ministère des finances".encode("cp1252"), "“Prix” de 500 €", "cp1252"),
        (b"\xe9t\xe9 \x81 chaud pour les entreprises du secteur touristique marocain", "été \x81 chaud", "latin-1"),
        (ARTICLE.encode("utf-16"), "Titre de l’article", "utf-16"),
        # UTF-16 without a BOM: told by its NULs at alternating positions
        (ARTICLE.encode("utf-16-le"), "Titre de l’article", "utf-16-le"),
        (ARTICLE.encode("utf-16-be"), "Titre de l’article", "utf-16-be"),
        (ARABIC.encode("utf-16-le"), "أعلنت", "utf-16-le"),  # NULs from spaces and digits only
    ],
)
def test_decode_ok(data: bytes, text_start: str, encoding: str) -> None:
    got = decode_page(raw_page(data), max_bytes=MAX)
    assert isinstance(got, tuple), got
    text, enc = got
    assert text.startswith(text_start) and enc == encoding
    assert "\r" not in text and "\ufeff" not in text


def test_newlines_are_normalised_before_offsets() -> None:
    data = b"Premier titre de la page du jour\r\n\r\nUne ligne de texte\rune autre ligne de texte ici\r\n"
    text, _ = decode_page(raw_page(data), max_bytes=MAX)  # type: ignore[misc]
    assert text == "Premier titre de la page du jour\n\nUne ligne de texte\nune autre ligne de texte ici\n"


BAD_INPUTS = [
    ("empty file", b"", "empty"),
    ("only whitespace", b"  \n\t\r\n  ", "empty"),
    ("PNG header", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    ("PDF", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj", "binary"),
    ("NUL bytes", b"Le groupe a annonc\x00 une hausse de ses ventes" * 3, "binary"),
    ("NUL-padded fields", b"Le groupe\x00\x00\x00\x00 annonce une hausse de ses ventes " * 40, "binary"),
    ("16-bit integers", bytes(range(1, 40)) * 20 + b"\x00" * 2, "binary"),
    ("little-endian words", b"".join(i.to_bytes(2, "little") for i in range(1, 400)), "binary"),
    ("odd-length UTF-16", ARTICLE.encode("utf-16-le") + b"!", "binary"),
    ("UTF-16 with a lone surrogate", ARTICLE.encode("utf-16-le") + b"\x00\xd8A\x00", "binary"),
    ("control characters", b"\x01\x02\x03\x04\x05\x06 text " * 50, "binary"),
    ("100,000 digits", b"7" * 100_000, "no_text"),
    ("digits and blanks", b"12 345 678 90\n" * 5000, "no_text"),
    ("too few letters (latin-1)", b"\xe9t\xe9", "no_text"),
    ("invalid UTF-8 but short", b"caf\xe9", "no_text"),
]


@pytest.mark.parametrize(("data", "reason"), [(d, r) for _, d, r in BAD_INPUTS], ids=[n for n, _, _ in BAD_INPUTS])
def test_decode_rejects(data: bytes, reason: str) -> None:
    got = decode_page(raw_page(data, path="bad.txt"), max_bytes=MAX)
    assert isinstance(got, Rejection)
    assert (got.reason, got.stage, got.source_path) == (reason, "ingest", "bad.txt")
    assert got.doc_id == doc_id(data)
    assert got.detail.endswith(".") and len(got.detail) < 200


def test_too_large_is_rejected_without_decoding() -> None:
    data = ("é" * 10_000_000).encode()  # 20 MB of valid UTF-8
    start = time.perf_counter()
    got = decode_page(raw_page(data), max_bytes=MAX)
    elapsed = time.perf_counter() - start
    assert isinstance(got, Rejection) and got.reason == "too_large"
    assert "20,000,000 bytes" in got.detail
    assert elapsed < 0.5  # a hash, not a decode
    assert isinstance(decode_page(raw_page(ARTICLE.encode()), max_bytes=50), Rejection)


# ---------------------------------------------------------------- sites

@pytest.mark.parametrize(
    ("site", "tz", "country"),
    [
        ("walaw.press", "Africa/Casablanca", "MA"),
        ("www.walaw.press", "Africa/Casablanca", "MA"),
        ("le360.ma", "Africa/Casablanca", "MA"),
        ("fr.le360.ma", "Africa/Casablanca", "MA"),
        ("dakarmarches.sn", "Africa/Dakar", "SN"),
        ("abidjaneco.ci", "Africa/Abidjan", "CI"),
        ("journal.ml", "Africa/Bamako", "ML"),
        ("lefaso.bf", "Africa/Ouagadougou", "BF"),
        ("lemonde.fr", "Europe/Paris", "FR"),
        ("northmarket.ca", "America/Toronto", "CA"),
        ("elpais.es", "Europe/Madrid", "ES"),
        ("handelsblatt.de", "Europe/Berlin", "DE"),
        ("valor.com.br", "America/Sao_Paulo", "BR"),
        ("publico.pt", "Europe/Lisbon", "PT"),
        ("citymoneydesk.co.uk", "Europe/London", "GB"),
        ("globaltradewire.com", "UTC", None),
        # sites the TLD cannot place: the one registry (transforms/page/sites.py)
        ("hespress.com", "Africa/Casablanca", "MA"),
        ("fr.hespress.com", "Africa/Casablanca", "MA"),
        ("ledevoir.com", "America/Toronto", "CA"),
        ("ndtv.com", "Asia/Kolkata", "IN"),
        # a country-code TLD without a zone here still names its country; a vanity one does not
        ("nikkei.jp", "UTC", "JP"),
        ("startup.io", "UTC", None),
        ("https://www.LeMonde.fr:443/eco/", "Europe/Paris", "FR"),
        (None, "UTC", None),
        ("", "UTC", None),
    ],
)
def test_site_defaults(site: str | None, tz: str, country: str | None) -> None:
    assert site_timezone(site) == tz
    assert site_country(site) == country


def test_figures_read_the_same_site_registry() -> None:
    """The extractor's site country is the page stage's: one registry, no second list."""
    from transforms.figures import extract
    from transforms.figures.engine import country_for_site
    from transforms.page.sites import KNOWN_SITES

    hosts = [*KNOWN_SITES, "lapresse.ca", "bbc.co.uk", "lemonde.fr", "nikkei.jp", "example.io",
             "globaltradewire.com"]
    for host in hosts:
        assert country_for_site(host) == site_country(host), host
        assert country_for_site(f"https://www.{host}/eco/1.html") == site_country(host), host
    # and it reaches the figures: "$" on Le Devoir (a .com) is the Canadian dollar
    assert extract("Le projet coûtera 5 millions $.", "fr", site="ledevoir.com")[0].currency == "CAD"


def test_site_overrides() -> None:
    tz_over = {"globaltradewire.com": "America/New_York", "www.lemonde.fr": "Europe/Brussels", "bad.fr": "Nowhere/City"}
    assert site_timezone("globaltradewire.com", tz_over) == "America/New_York"
    assert site_timezone("deals.globaltradewire.com", tz_over) == "America/New_York"  # parent domain
    assert site_timezone("lemonde.fr", tz_over) == "Europe/Brussels"  # keys are normalised too
    assert site_timezone("bad.fr", tz_over) == "Europe/Paris"  # invalid zone ignored
    assert site_country("globaltradewire.com", {"globaltradewire.com": "us"}) == "US"
    info = site_info("globaltradewire.com", tz_over, {"globaltradewire.com": "US"})
    assert (info.site, info.tz, info.country) == ("globaltradewire.com", "America/New_York", "US")


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://www.casaeco.ma/eco/a-1.html", "casaeco.ma"), ("not a url", None), (None, None), ("http://[::1", None)],
)
def test_site_from_url(url: str | None, host: str | None) -> None:
    assert site_from_url(url) == host


def test_normalise_host() -> None:
    assert normalise_host("WWW.Walaw.Press.") == "walaw.press"


@pytest.mark.parametrize(
    ("lines", "site"),
    [
        (["© 2025 Casaeco.ma – Tous droits réservés"], "casaeco.ma"),
        (["Ce site, walaw.press, utilise des cookies afin de vous offrir une bonne expérience."], "walaw.press"),
        (["Lire aussi : reuters.com rachète un concurrent"], None),  # no ownership cue
        (["© AtlasBusiness 2025"], None),  # a brand, not a host
        (["Contact : redaction@casaeco.ma — © 2025"], None),  # an e-mail address is not the site
    ],
)
def test_site_from_furniture(lines: list[str], site: str | None) -> None:
    assert site_from_furniture(lines) == site


@pytest.mark.parametrize(
    ("sidecar", "site"),
    [
        ({"site": "WWW.casaeco.ma"}, "casaeco.ma"),
        ({"url": "https://www.casaeco.ma/a.html"}, "casaeco.ma"),
        ({"site": "", "url": "https://dakarmarches.sn/x"}, "dakarmarches.sn"),
        ({}, None),
        (None, None),
    ],
)
def test_page_site(sidecar: dict | None, site: str | None) -> None:
    assert page_site(raw_page(b"x", sidecar)) == site


# ---------------------------------------------------------------- sidecar metadata

def test_meta_from_full_sidecar() -> None:
    meta = page_meta(raw_page(b"x", {"url": "https://walaw.press/a", "fetched_at": "2025-11-14T09:00:00+01:00",
                                      "site": "walaw.press", "lang": "fr"}))  # fmt: skip
    assert (meta.site, meta.tz, meta.country, meta.lang, meta.error) == ("walaw.press", "Africa/Casablanca", "MA", "fr", None)
    assert meta.fetched_at == datetime.fromisoformat("2025-11-14T09:00:00+01:00")
    assert str(meta.fetched_at.tzinfo) == "Africa/Casablanca" and meta.fetched_from == "sidecar"


@pytest.mark.parametrize(
    ("fetched_at", "expected"),
    [
        ("2025-11-14T09:00:00", datetime(2025, 11, 14, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))),  # naive: site zone
        ("2025-11-14T08:00:00Z", datetime(2025, 11, 14, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))),
        ("2025-11-14", datetime(2025, 11, 14, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))),
    ],
)
def test_meta_fetched_at_forms(fetched_at: str, expected: datetime) -> None:
    meta = page_meta(raw_page(b"x", {"site": "lemonde.fr", "fetched_at": fetched_at}))
    assert meta.fetched_at == expected and meta.error is None


@pytest.mark.parametrize(
    ("sidecar", "error", "error_part"),
    [
        ({"site": "lemonde.fr", "fetched_at": "hier soir"}, None, "fetched_at 'hier soir' is not ISO 8601"),
        ({"site": 12, "fetched_at": 1731571200}, None, "site is not a non-empty string"),
        (None, "p.meta.json: Expecting value: line 1 column 1 (char 0)", "Expecting value"),
        (["not", "a", "dict"], None, "sidecar is not a JSON object"),
    ],
)
def test_bad_sidecar_falls_back_to_mtime(sidecar, error: str | None, error_part: str) -> None:
    meta = page_meta(raw_page(b"x", sidecar, error))
    assert meta.fetched_at == MTIME and meta.fetched_from == "mtime"
    assert meta.error is not None and error_part in meta.error


def test_missing_site_uses_url_then_none() -> None:
    assert page_meta(raw_page(b"x", {"url": "https://www.elpais.es/a"})).tz == "Europe/Madrid"
    meta = page_meta(raw_page(b"x", None))
    assert (meta.site, meta.tz, meta.url) == (None, "UTC", None)


def test_naive_mtime_and_no_mtime() -> None:
    raw = RawPage("p.txt", b"x", datetime(2025, 11, 14, 9, 0), {"site": "lemonde.fr"})
    assert page_meta(raw).fetched_at == datetime(2025, 11, 14, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    raw = RawPage("p.txt", b"x", None, None)  # type: ignore[arg-type]
    fallback = datetime(2025, 1, 2, tzinfo=UTC)
    assert page_meta(raw, today_fallback=fallback).fetched_at == fallback


# ---------------------------------------------------------------- prepare_page

PAGE_FR = (
    "Publicité\nAccueil\n  • Fajr\n  • Isha\n\n"
    "Kinetic Motors investit 2 milliards de dirhams dans une usine à Tanger\n\n"
    "Hier 14:44\n"
    "Kinetic Motors investit 2 milliards de dirhams dans une usine à Tanger\n\n"
    "Le constructeur Kinetic Motors a annoncé un investissement de 2 milliards de dirhams "
    "pour une nouvelle usine à Tanger, qui emploiera 1 200 personnes d’ici 2027.\n\n"
    "Lire la suite\n"
    "Ce site, casaeco.ma, utilise des cookies afin de vous offrir une meilleure expérience.\n"
)
SIDECAR = {"url": "https://www.casaeco.ma/a.html", "fetched_at": "2025-11-14T09:00:00+01:00", "site": "casaeco.ma", "lang": "fr"}


def test_prepare_page_happy_path() -> None:
    page = prepare_page(raw_page(PAGE_FR.encode(), SIDECAR), max_bytes=MAX, site_tz={})
    assert isinstance(page, Page)
    assert page.title == "Kinetic Motors investit 2 milliards de dirhams dans une usine à Tanger"
    assert page.body.startswith("Le constructeur Kinetic Motors") and page.body.endswith("d’ici 2027.")
    assert page.published_at == datetime(2025, 11, 13, 14, 44, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert (page.site, page.tz, page.country, page.lang, page.encoding) == ("casaeco.ma", "Africa/Casablanca", "MA", "fr", "utf-8")
    assert page.doc_id == doc_id(PAGE_FR.encode()) and page.raw_sha256 == hashlib.sha256(PAGE_FR.encode()).hexdigest()
    s = page.body.index("2 milliards")
    a, b = page.raw_span(s, s + len("2 milliards de dirhams"))
    assert page.text[a:b] == "2 milliards de dirhams"
    assert page.sidecar_error is None


def test_prepare_page_without_sidecar() -> None:
    page = prepare_page(raw_page(PAGE_FR.encode(), None), max_bytes=MAX)
    assert isinstance(page, Page)
    assert page.site == "casaeco.ma"  # from the cookie notice
    assert page.tz == "Africa/Casablanca" and page.fetched_at == MTIME
    assert page.published_text == "Hier 14:44" and page.published_at is None  # mtime is not trusted
    trusted = prepare_page(raw_page(PAGE_FR.encode(), None), max_bytes=MAX, trust_mtime=True)
    assert isinstance(trusted, Page) and trusted.published_at is not None


def test_prepare_page_bad_sidecar_is_not_a_rejection() -> None:
    page = prepare_page(raw_page(PAGE_FR.encode(), None, "p.meta.json: Expecting value"), max_bytes=MAX)
    assert isinstance(page, Page) and page.sidecar_error == "p.meta.json: Expecting value"


def test_prepare_page_rejections() -> None:
    assert prepare_page(raw_page(b""), max_bytes=MAX).reason == "empty"  # type: ignore[union-attr]
    assert prepare_page(raw_page(b"\x89PNG\r\n\x1a\n"), max_bytes=MAX).reason == "binary"  # type: ignore[union-attr]
    only_furniture = "Publicité\nAccueil\nLire la suite\n© 2025 Casaeco.ma – Tous droits réservés\n".encode()
    got = prepare_page(raw_page(only_furniture), max_bytes=MAX)
    assert isinstance(got, Rejection) and (got.stage, got.reason) == ("clean", "no_body")


def test_prepare_page_en_us_dates_are_month_first() -> None:
    text = "Helix Robotics raises $250 million in new funding round\n\n04/03/2025\n\n" + (
        "Helix Robotics said on Tuesday it had raised $250 million from a group of investors led by a fund.\n"
    )
    sidecar = {"site": "globaltradewire.com", "fetched_at": "2025-11-05T20:10:00+00:00", "lang": "en"}
    us = prepare_page(raw_page(text.encode(), sidecar), site_tz={"globaltradewire.com": "America/New_York"},
                      site_country={"globaltradewire.com": "US"})  # fmt: skip
    assert isinstance(us, Page) and us.published_at is not None and (us.published_at.month, us.published_at.day) == (4, 3)
    uk = prepare_page(raw_page(text.encode(), dict(sidecar, site="citymoneydesk.co.uk")))
    assert isinstance(uk, Page) and uk.published_at is not None and (uk.published_at.month, uk.published_at.day) == (3, 4)


def test_prepare_page_accepts_furniture_mapping_or_set() -> None:
    other = PAGE_FR.replace("Kinetic Motors", "Atlas Ciments").replace("Tanger", "Safi")
    texts = [PAGE_FR.replace("Accueil", "Casaeco l’info éco"), other.replace("Accueil", "Casaeco l’info éco")] * 2
    furniture = recurring_lines({"casaeco.ma": texts})
    raw = raw_page(texts[0].encode(), SIDECAR)
    by_map = prepare_page(raw, furniture=furniture)
    by_set = prepare_page(raw, furniture=furniture["casaeco.ma"])
    assert isinstance(by_map, Page) and isinstance(by_set, Page)
    assert by_map.body == by_set.body and "Casaeco l’info éco" in by_map.dropped_lines
    # a page without sidecar is matched to the site whose furniture it shares
    lone = prepare_page(raw_page(texts[0].replace("casaeco.ma", "notre site").encode(), None), furniture=furniture)
    assert isinstance(lone, Page) and lone.site == "casaeco.ma"


# ---------------------------------------------------------------- seed (../shared)

def test_seed_page() -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared is absent")
    txt = shared / "seeds" / "000_750ff92621c124c4.txt"
    gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
    raw = RawPage(str(txt), txt.read_bytes(), MTIME, {"site": "walaw.press", "fetched_at": "2025-11-14T09:00:00+01:00"})
    page = prepare_page(raw, furniture=frozenset(), max_bytes=MAX, site_tz={})
    assert isinstance(page, Page)
    assert page.title == gold["title"]
    assert page.published_text == gold["published_text"]
    assert page.published_at == datetime(2025, 11, 13, 14, 44, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert page.published_at.isoformat() == "2025-11-13T14:44:00+01:00"
    assert page.lang == gold["lang"] and page.site == gold["site"]

    body_lines = [line for line in page.body.split("\n") if line]
    for dropped in gold["boilerplate"]["lines_to_drop"]:
        if "..." in dropped:  # abbreviated in the gold: match on its beginning
            head = dropped.split("...")[0].strip()
            assert not any(line.startswith(head) for line in body_lines), dropped
            assert any(line.startswith(head) for line in page.dropped_lines), dropped
            continue
        assert dropped not in body_lines, dropped
    lines = page.text.split("\n")
    first, last = gold["boilerplate"]["body_first_line"], gold["boilerplate"]["body_last_line"]
    expected_body = "\n\n".join(line.strip() for line in lines[first - 1:last] if line.strip())
    assert page.body == expected_body
    assert lines[gold["boilerplate"]["repeated_title_line"] - 1] == gold["title"]

    for amount in gold["amounts"]:
        start, surface = amount["start"], amount["surface"]
        assert page.text[start:start + len(surface)] == surface
        assert surface in page.body
        if amount.get("in_title"):
            assert page.title_start <= start < page.title_start + len(page.title)
            continue
        hits = [i for i in range(len(page.body)) if page.body.startswith(surface, i) and page.body_map[i] == start]
        assert len(hits) == 1, amount
        assert page.raw_span(hits[0], hits[0] + len(surface)) == (start, start + len(surface))


# ---------------------------------------------------------------- sample corpus (data/sample)

SAMPLE = ROOT / "data" / "sample"
# The corpus' .com site has no country in its TLD; its operator would configure this.
SAMPLE_SITE_TZ = {"globaltradewire.com": "America/New_York"}


def _sample_raws() -> dict[str, RawPage]:
    raws = {}
    for txt in sorted(SAMPLE.glob("*.txt")):
        meta = txt.with_name(txt.stem + ".meta.json")
        sidecar = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else None
        raws[txt.stem] = RawPage(str(txt), txt.read_bytes(), MTIME, sidecar)
    return raws


def test_sample_corpus_cleans_to_gold() -> None:
    if not any(SAMPLE.glob("*.gold.json")):
        pytest.skip("data/sample has no gold files yet")
    raws = _sample_raws()
    texts_by_site: dict[str, list[str]] = {}
    for raw in raws.values():
        decoded = decode_page(raw, max_bytes=MAX)
        assert not isinstance(decoded, Rejection), (raw.source_path, decoded)
        texts_by_site.setdefault(page_site(raw) or "", []).append(decoded[0])
    furniture = recurring_lines(texts_by_site)

    problems = []
    for stem, raw in raws.items():
        gold = json.loads((SAMPLE / f"{stem}.gold.json").read_text(encoding="utf-8"))
        page = prepare_page(raw, furniture=furniture, max_bytes=MAX, site_tz=SAMPLE_SITE_TZ)
        if not isinstance(page, Page):
            problems.append((stem, "rejected", page.reason))
            continue
        body_lines = set(page.body.split("\n"))
        for line in gold.get("furniture", []):
            if line.strip() in body_lines:
                problems.append((stem, "furniture in body", line))
        if page.title != gold["title"]:
            problems.append((stem, "title", gold["title"], page.title))
        if page.published_text != gold["published_text"]:
            problems.append((stem, "published_text", gold["published_text"], page.published_text))
        want = datetime.fromisoformat(gold["published_at"]) if gold.get("published_at") else None
        if page.published_at != want or (want and page.published_at.utcoffset() != want.utcoffset()):
            problems.append((stem, "published_at", gold.get("published_at"), page.published_at))
        for key, got in (("lang", page.lang), ("timezone", page.tz), ("encoding", page.encoding), ("site", page.site)):
            if gold.get(key) and gold[key] != got:
                problems.append((stem, key, gold[key], got))
        raw_to_body = {}
        for i in range(len(page.body) - 1, -1, -1):
            raw_to_body[page.body_map[i]] = i
        for item in gold.get("amounts", []) + gold.get("figures", []):
            if item.get("in_title"):
                continue
            i = raw_to_body.get(item["start"])
            if i is None or not page.body.startswith(item["surface"], i):
                problems.append((stem, "not in body at its offset", item["surface"]))
    assert not problems, "\n".join(map(str, problems))


def test_prepare_page_throughput() -> None:
    raws = list(_sample_raws().values()) or [raw_page(PAGE_FR.encode(), SIDECAR)]
    batch = (raws * (2000 // len(raws) + 1))[:2000]
    start = time.perf_counter()
    for raw in batch:
        prepare_page(raw, max_bytes=MAX)
    rate = len(batch) / (time.perf_counter() - start)
    assert rate > 500, f"{rate:.0f} pages/s"
