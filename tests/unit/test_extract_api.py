"""The public contract of transforms.figures: signature, language handling, context."""

from __future__ import annotations

import pytest

from transforms.figures import extract
from transforms.figures.engine import country_for_site
from transforms.figures.numbers import digits_value


def test_empty_and_plain_text() -> None:
    assert extract("") == []
    assert extract("Le ministre a parlé hier.", "fr") == []


def test_auto_language_and_none() -> None:
    for lang in ("auto", None, "xx"):
        figs = extract("Der Konzern investiert 2 Milliarden Euro.", lang)
        assert [(f.value, f.currency) for f in figs] == [(2e9, "EUR")]


def test_long_scale_billion_by_language() -> None:
    assert extract("2 billion dollars", "en")[0].value == 2e9
    assert extract("2 billions de dollars", "fr")[0].value == 2e12
    assert extract("2 billones de dólares", "es")[0].value == 2e12
    assert extract("2 Billionen Euro", "de")[0].value == 2e12
    assert extract("2 bilhões de reais", "pt")[0].value == 2e9
    assert extract("2 biliões de euros", "pt")[0].value == 2e12


@pytest.mark.parametrize(("site", "country", "want"), [
    ("lapresse.ca", None, "CAD"), ("www.walaw.press", None, "USD"), (None, "CA", "CAD"),
    (None, "MA", "USD"), ("nytimes.com", None, "USD")])
def test_dollar_sign_by_site(site, country, want) -> None:
    (f,) = extract("Le prix est de 10 $.", "fr", site=site, country=country)
    assert f.currency == want


def test_ambiguous_families() -> None:
    assert extract("10 riyals", "en")[0].currency is None
    assert extract("10 riyals", "en", country="SA")[0].currency == "SAR"
    assert extract("10 dirhams", "fr")[0].currency == "MAD"
    assert extract("10 livres sterling", "fr")[0].currency == "GBP"
    assert extract("10 yuan", "en")[0].currency == "CNY"
    assert extract("500 F CFA au Gabon", "fr")[0].currency == "XAF"
    assert extract("500 F CFA", "fr", country="SN")[0].currency == "XOF"


def test_country_for_site() -> None:
    assert country_for_site("https://www.lapresse.ca/affaires") == "CA"
    assert country_for_site("bbc.co.uk") == "GB"
    assert country_for_site("example.io") is None
    assert country_for_site(None) is None


@pytest.mark.parametrize(("s", "dec", "want"), [
    ("22,5", ",", 22.5), ("1.234.567,89", ",", 1234567.89), ("1,234,567.89", ".", 1234567.89),
    ("12,34,567.89", ".", 1234567.89), ("10.000", ",", 10000.0), ("10.000", ".", 10.0),
    ("1,234", ",", 1.234), ("1,234", ".", 1234.0), ("1'000", ".", 1000.0),
    ("10\u202f000,50", ",", 10000.5)])
def test_digits_value(s: str, dec: str, want: float) -> None:
    assert digits_value(s, dec)[0] == pytest.approx(want)


def test_not_figures() -> None:
    text = "Hier 14:44, à 9h05, le 12 mars 2025, Covid-19, un A320, le G7, en 2024, T-Mobile US"
    assert extract(text, "fr") == []
