"""Tests for transforms.money.fx (rates, conversions) and newsfacts.ecb (the bundled ECB data)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from newsfacts import ecb
from newsfacts.ecb import load_rate_book, parse_history
from transforms.contract.tables import FX_RATE
from transforms.money.fx import (
    BAM_BASKET_V1,
    ECB_CURRENT,
    ECB_FORMER,
    Conversion,
    Rate,
    RateBook,
    convert,
    fx_rate_rows,
)

D = date.fromisoformat


@pytest.fixture(scope="module")
def book() -> RateBook:
    return load_rate_book()


@pytest.fixture(scope="module")
def ecb_series() -> dict[str, list[tuple[date, float]]]:
    """The bundled ECB file parsed directly, independent of RateBook's lookup."""
    return parse_history(ecb.read_history_text(ecb.bundled_history_path()))


def ecb_value(series: dict[str, list[tuple[date, float]]], code: str, on: date) -> float:
    return dict(series[code])[on]


# -- newsfacts.ecb -------------------------------------------------------------------


def test_load_rate_book_is_fast_and_cached() -> None:
    load_rate_book.cache_clear()
    start = time.perf_counter()
    first = load_rate_book()
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, elapsed
    assert load_rate_book() is first


def test_bundled_data_matches_the_static_ecb_lists(ecb_series) -> None:
    assert set(ecb_series) == ECB_CURRENT | ECB_FORMER
    last_day = max(d for points in ecb_series.values() for d, _ in points)
    assert {c for c, points in ecb_series.items() if points[-1][0] == last_day} == ECB_CURRENT
    assert ecb_series["USD"][0] == (D("1999-01-04"), 1.1789)


def test_the_books_arrow_reading_equals_the_plain_csv_reading(ecb_series) -> None:
    columns = ecb.read_columns(ecb.bundled_history_path())
    assert set(columns) == set(ecb_series)
    for code, points in ecb_series.items():
        assert columns[code] == ([d.toordinal() for d, _ in points], [v for _, v in points]), code


def test_read_columns_skips_na_and_trailing_comma_and_sorts(tmp_path) -> None:
    path = tmp_path / "hist.csv"
    path.write_text("Date,USD,JPY,CYP,\n2025-11-14,1.1648,179.22,N/A,\n2025-11-13,1.1619,,N/A,\n")
    assert ecb.read_columns(path) == {
        "USD": ([D("2025-11-13").toordinal(), D("2025-11-14").toordinal()], [1.1619, 1.1648]),
        "JPY": ([D("2025-11-14").toordinal()], [179.22]),
    }


def test_a_book_from_columns_answers_as_one_from_points() -> None:
    points = {"USD": [(D("2025-11-13"), 1.1619), (D("2025-11-14"), 1.1648)]}
    columns = {"USD": ([d.toordinal() for d, _ in points["USD"]], [v for _, v in points["USD"]])}
    from_points, from_columns = RateBook(points), RateBook.from_columns(columns)
    for day in ("2025-11-12", "2025-11-13", "2025-11-15", "2026-01-30"):
        assert from_columns.lookup("USD", D(day)) == from_points.lookup("USD", D(day))
    with pytest.raises(ValueError, match="not strictly sorted"):
        RateBook.from_columns({"USD": (columns["USD"][0][::-1], columns["USD"][1])})
    with pytest.raises(ValueError, match="2 days and 1 values"):
        RateBook.from_columns({"USD": (columns["USD"][0], [1.0])})


def test_parse_history_skips_na_and_trailing_comma_and_sorts() -> None:
    text = "Date,USD,JPY,CYP,\n2025-11-14,1.1648,179.22,N/A,\n2025-11-13,1.1619,,N/A,\n"
    assert parse_history(text) == {
        "USD": [(D("2025-11-13"), 1.1619), (D("2025-11-14"), 1.1648)],
        "JPY": [(D("2025-11-14"), 179.22)],
    }


# -- RateBook on a literal book: the publication-date rule ----------------------------

SMALL = RateBook(
    {
        "USD": [(D("2025-11-12"), 1.16), (D("2025-11-13"), 1.1619), (D("2025-11-14"), 1.1648)],
        "JPY": [(D("2025-10-01"), 170.0)],
    }
)


@pytest.mark.parametrize(
    ("code", "on", "per_eur", "rate_date"),
    [
        ("USD", "2025-11-13", 1.1619, "2025-11-13"),  # the day itself
        ("USD", "2025-11-15", 1.1648, "2025-11-14"),  # Saturday: Friday's rate
        ("USD", "2025-11-16", 1.1648, "2025-11-14"),  # Sunday
        ("USD", "2025-11-24", 1.1648, "2025-11-14"),  # 10 days: still the last one
        ("USD", "2025-11-25", None, None),  # 11 days: a gap, not a stale rate
        ("USD", "2025-11-11", None, None),  # before the series: never a later date
        ("JPY", "2025-10-11", 170.0, "2025-10-01"),
        ("JPY", "2025-10-12", None, None),
    ],
)
def test_last_publication_on_or_before(
    code: str, on: str, per_eur: float | None, rate_date: str | None
) -> None:
    rate, reason = SMALL.lookup(code, D(on))
    if per_eur is None:
        assert rate is None
        assert reason and reason.startswith(f"no rate for {code} on {on}: ")
    else:
        assert rate == Rate(code, per_eur, D(rate_date), "ecb")
        assert reason is None


def test_carry_forward_only_past_the_end_of_the_bundle() -> None:
    """Stale bundled data may serve news newer than it, flagged; a suspended series may not."""
    series = {"USD": [(D("2025-11-13"), 1.1619), (D("2025-11-14"), 1.1648)],
              "JPY": [(D("2025-10-01"), 170.0)]}
    book = RateBook(series, carry_forward_days=30)
    rate, reason = book.lookup("USD", D("2025-12-01"))
    assert reason is None
    assert rate == Rate("USD", 1.1648, D("2025-11-14"), "ecb_latest")
    assert book.lookup("USD", D("2025-12-20"))[0] is None, "beyond the allowed days"
    # JPY stopped in October while the bundle goes on: a suspension, never carried
    assert book.lookup("JPY", D("2025-11-20"))[0] is None
    # the default is strict
    assert RateBook(series).lookup("USD", D("2025-12-01"))[0] is None


def test_unsorted_series_is_rejected() -> None:
    with pytest.raises(ValueError, match="sorted"):
        RateBook({"USD": [(D("2025-11-14"), 1.1648), (D("2025-11-13"), 1.1619)]})


# -- convert on the bundled book -----------------------------------------------------

CASES = [
    # (value, currency, date, fx_source, fx_date); fx_source None = no rate
    (100.0, "EUR", "2025-11-13", "identity", "2025-11-13"),
    (100.0, "USD", "2025-11-13", "ecb", "2025-11-13"),
    (100.0, "USD", "2025-11-15", "ecb", "2025-11-14"),
    (100.0, "JPY", "2025-11-16", "ecb", "2025-11-14"),
    (655.957, "XOF", "2025-11-13", "peg", "2025-11-13"),
    (655.957, "XAF", "2025-11-15", "peg", "2025-11-14"),
    (1000.0, "AED", "2025-11-13", "peg", "2025-11-13"),
    (1000.0, "SAR", "2025-11-13", "peg", "2025-11-13"),
    (1000.0, "MAD", "2025-11-13", "bam_basket_v1", "2025-11-13"),
    (1000.0, "FRF", "2024-05-02", "peg", "2024-05-02"),  # legacy: irrevocable rate
    (1000.0, "BGN", "2026-03-02", "peg", "2026-03-02"),  # after the ECB stopped BGN
    (1000.0, "LSL", "2025-11-13", "peg", "2025-11-13"),
    (1000.0, "usd", "2025-11-13", "ecb", "2025-11-13"),
    (1000.0, "XYZ", "2025-01-01", None, None),
    (1000.0, "NGN", "2025-01-01", None, None),
    (1000.0, "RUB", "2024-05-02", None, None),  # ECB suspended RUB in March 2022
    (1000.0, "USD", "1998-06-30", None, None),
    (1000.0, "EUR", "1998-06-30", None, None),
    (1000.0, "XOF", "1998-06-30", None, None),
    (1000.0, "FRF", "1998-06-30", None, None),
    (1000.0, "MAD", "2014-06-30", None, None),  # before the 60/40 basket
]


@pytest.mark.parametrize(("value", "code", "on", "source", "fx_date"), CASES)
def test_convert_cases(
    book: RateBook, value: float, code: str, on: str, source: str | None, fx_date: str | None
) -> None:
    conv = convert(value, code, D(on), book)
    assert conv.fx_source == source
    if source is None:
        assert conv.usd_per_unit is None and conv.eur_per_unit is None
        assert conv.value_usd is None and conv.value_eur is None
        assert conv.fx_date is None and conv.rates == ()
        assert conv.missing_reason.startswith(f"no rate for {code} on {on}: ")  # type: ignore[union-attr]
    else:
        assert conv.fx_date == D(fx_date)
        assert conv.missing_reason is None
        assert conv.value_usd == value * conv.usd_per_unit  # exact, one multiplication
        assert conv.value_eur == value * conv.eur_per_unit
        assert conv.value_usd > 0 and conv.value_eur > 0


def test_eur_identity(book: RateBook, ecb_series) -> None:
    conv = convert(250.0, "EUR", D("2025-11-13"), book)
    assert conv.eur_per_unit == 1.0 and conv.value_eur == 250.0
    assert conv.usd_per_unit == ecb_value(ecb_series, "USD", D("2025-11-13"))


def test_usd_on_a_known_date_matches_the_ecb_file(book: RateBook, ecb_series) -> None:
    published = ecb_value(ecb_series, "USD", D("2025-11-13"))
    assert published == 1.1619  # the ECB reference rate of 13 November 2025
    conv = convert(1.0, "USD", D("2025-11-13"), book)
    assert conv.usd_per_unit == 1.0
    assert conv.eur_per_unit == 1.0 / published
    assert conv.rates == (Rate("USD", published, D("2025-11-13"), "ecb"),)


def test_weekend_uses_friday(book: RateBook, ecb_series) -> None:
    friday = ecb_value(ecb_series, "USD", D("2025-11-14"))
    for weekend_day in ("2025-11-15", "2025-11-16"):
        conv = convert(1.0, "EUR", D(weekend_day), book)
        assert conv.fx_date == D("2025-11-14")
        assert conv.usd_per_unit == friday


def test_timestamps_convert_on_their_utc_date(book: RateBook) -> None:
    # 01:00 in UTC+5 on Friday is Thursday 20:00 UTC: Thursday's rate.
    late = datetime(2025, 11, 14, 1, 0, tzinfo=timezone(timedelta(hours=5)))
    assert convert(1.0, "EUR", late, book).fx_date == D("2025-11-13")
    assert convert(1.0, "EUR", datetime(2025, 11, 14, 1, tzinfo=UTC), book).fx_date == D(
        "2025-11-14"
    )


def test_rate_accepts_datetimes(book: RateBook) -> None:
    when = datetime(2025, 11, 15, 9, tzinfo=UTC)
    assert book.rate("USD", when) == book.rate("USD", D("2025-11-15"))
    assert (
        book.lookup("XYZ", when)[1]
        == "no rate for XYZ on 2025-11-15: not an ISO 4217 currency code"
    )


def test_xof_peg_is_exact(book: RateBook) -> None:
    rate = book.rate("XOF", D("2025-11-13"))
    assert rate is not None and rate.per_eur == 655.957 and rate.source == "peg"
    conv = convert(655.957, "XOF", D("2025-11-13"), book)
    assert conv.value_eur == pytest.approx(1.0, abs=1e-12)
    eur = convert(1.0, "EUR", D("2025-11-13"), book)
    assert conv.value_usd == pytest.approx(eur.value_usd, rel=1e-12)


def test_usd_pegs_go_through_the_ecb_usd_rate(book: RateBook) -> None:
    usd = book.rate("USD", D("2025-11-13"))
    assert usd is not None
    for code, per_usd in [("AED", 3.6725), ("SAR", 3.75), ("QAR", 3.64), ("OMR", 0.3845)]:
        rate = book.rate(code, D("2025-11-13"))
        assert rate is not None and rate.per_eur == per_usd * usd.per_eur
        conv = convert(per_usd, code, D("2025-11-13"), book)
        assert conv.value_usd == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("year", range(2020, 2026))
def test_mad_basket_in_a_plausible_band(book: RateBook, year: int) -> None:
    for month in (1, 4, 7, 10):
        rate = book.rate("MAD", date(year, month, 15))
        assert rate is not None and rate.source == "bam_basket_v1"
        assert 9.0 < rate.per_eur < 12.0, (year, month, rate)
        usd = book.rate("USD", date(year, month, 15))
        assert usd is not None and 8.0 < rate.per_eur / usd.per_eur < 11.5  # MAD per USD


def test_mad_basket_reproduces_its_anchor() -> None:
    b = BAM_BASKET_V1
    cross = b.anchor_per_eur / b.anchor_per_usd
    assert b.per_eur(cross) == pytest.approx(b.anchor_per_eur, rel=1e-12)
    # A stronger euro against the dollar buys more dirhams, less than proportionally.
    assert b.anchor_per_eur < b.per_eur(cross * 1.1) < b.anchor_per_eur * 1.1


@pytest.mark.parametrize(
    ("code", "on", "reason"),
    [
        (None, "2025-01-01", "no currency in text"),
        ("", "2025-01-01", "no currency in text"),
        ("XYZ", "2025-01-01", "no rate for XYZ on 2025-01-01: not an ISO 4217 currency code"),
        ("NGN", "2025-01-01", "no rate for NGN on 2025-01-01: no source"),
        ("USD", "1998-06-30", "no rate for USD on 1998-06-30: before the ECB series starts"),
        ("EUR", "1998-06-30", "no rate for EUR on 1998-06-30: the euro did not exist"),
        (
            "RUB",
            "2024-05-02",
            "no rate for RUB on 2024-05-02: the last ECB rate is from 2022-03-01",
        ),
    ],
)
def test_missing_reasons(book: RateBook, code: str | None, on: str, reason: str) -> None:
    conv = convert(5.0, code, D(on), book)
    assert conv.usd_per_unit is None and conv.value_usd is None
    assert conv.missing_reason is not None and conv.missing_reason.startswith(reason)


def test_no_date_is_no_rate(book: RateBook) -> None:
    conv = convert(5.0, "USD", None, book)
    assert conv.value_usd is None and "no publication date" in conv.missing_reason  # type: ignore[operator]


def test_eur_peg_after_the_bundled_data_keeps_eur_only(book: RateBook) -> None:
    last = book.ecb_range("USD")[1]  # type: ignore[index]
    on = last + timedelta(days=30)
    conv = convert(655.957, "XOF", on, book)
    assert conv.value_eur == pytest.approx(1.0, abs=1e-12)
    assert conv.value_usd is None and conv.usd_per_unit is None
    assert conv.missing_reason is not None and conv.missing_reason.startswith("no rate for USD")


def test_fx_rate_rows_one_per_rate_used(book: RateBook) -> None:
    convs = [
        convert(1.0, c, D(on), book)
        for c, on in [
            ("EUR", "2025-11-13"),
            ("USD", "2025-11-13"),
            ("MAD", "2025-11-13"),
            ("MAD", "2025-11-13"),
            ("XOF", "2025-11-15"),
            ("XYZ", "2025-11-13"),
        ]
    ]
    table = fx_rate_rows(convs)
    assert table.schema == FX_RATE
    rows = {(r["rate_date"], r["currency"]): (r["per_eur"], r["source"]) for r in table.to_pylist()}
    assert len(rows) == table.num_rows == 5
    assert rows[(D("2025-11-13"), "USD")] == (1.1619, "ecb")
    assert rows[(D("2025-11-13"), "EUR")] == (1.0, "identity")
    assert rows[(D("2025-11-13"), "MAD")][1] == "bam_basket_v1"
    assert rows[(D("2025-11-14"), "XOF")] == (655.957, "peg")
    assert (D("2025-11-14"), "USD") in rows  # XOF's dollar value used Friday's USD rate
    # Every converted amount finds its own rate by (fx_date, currency).
    for c in convs:
        if c.fx_source:
            assert (c.fx_date, c.currency) in rows


def test_fx_rate_rows_refuse_conflicting_rates() -> None:
    a = Conversion(
        "USD",
        1.0,
        0.9,
        D("2025-11-13"),
        "ecb",
        None,
        rates=(Rate("USD", 1.1, D("2025-11-13"), "ecb"),),
    )
    b = Conversion(
        "USD",
        1.0,
        0.8,
        D("2025-11-13"),
        "ecb",
        None,
        rates=(Rate("USD", 1.2, D("2025-11-13"), "ecb"),),
    )
    with pytest.raises(ValueError, match="conflicting"):
        fx_rate_rows([a, b])
    assert fx_rate_rows([]).schema == FX_RATE and fx_rate_rows([]).num_rows == 0
    assert isinstance(fx_rate_rows([a]), pa.Table)
