"""Tests for transforms.money.normalise.normalise_amounts on FACT_AMOUNT-shaped tables."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from newsfacts.ecb import load_rate_book
from transforms.contract.tables import FACT_AMOUNT, FX_RATE
from transforms.money.fx import RateBook, convert
from transforms.money.normalise import normalise_amounts


@pytest.fixture(scope="module")
def book() -> RateBook:
    return load_rate_book()


def amounts(rows: list[dict]) -> pa.Table:
    """A FACT_AMOUNT table with the given columns filled and the rest null."""
    cols = {f.name: [r.get(f.name) for r in rows] for f in FACT_AMOUNT}
    cols["amount_id"] = [str(i) for i in range(len(rows))]
    return pa.table(cols, schema=FACT_AMOUNT)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


ROWS = [
    # value, value_min, value_max, currency, published_at; expected fx_source, fx_date
    (dict(value=100.0, currency="EUR", published_at=at("2025-11-13")), "identity", "2025-11-13"),
    (dict(value=100.0, currency="USD", published_at=at("2025-11-13")), "ecb", "2025-11-13"),
    (dict(value=5e9, currency="USD", published_at=at("2025-11-15")), "ecb", "2025-11-14"),
    (dict(value=655.957, currency="XOF", published_at=at("2025-11-13")), "peg", "2025-11-13"),
    (dict(value=1e6, currency="MAD", published_at=at("2024-03-01")), "bam_basket_v1", "2024-03-01"),
    (
        dict(value_min=1e6, value_max=2e6, currency="AED", published_at=at("2025-11-13")),
        "peg",
        "2025-11-13",
    ),
    (dict(value=7.0, currency="XYZ", published_at=at("2025-01-01")), None, None),
    (dict(value=7.0, currency=None, published_at=at("2025-01-01")), None, None),
    (dict(value=7.0, currency="USD", published_at=None), None, None),
    (dict(value=7.0, currency="USD", published_at=at("1998-06-30")), None, None),
    # 23:30 UTC on Friday stays Friday (the rate date is the UTC date).
    (dict(value=1.0, currency="EUR", published_at=at("2025-11-14", 23)), "identity", "2025-11-14"),
]


@pytest.fixture(scope="module")
def result(book: RateBook) -> tuple[pa.Table, pa.Table]:
    return normalise_amounts(amounts([r for r, _, _ in ROWS]), book)


def test_schema_kept(result) -> None:
    out, fx = result
    assert out.schema == FACT_AMOUNT
    assert fx.schema == FX_RATE
    assert out.num_rows == len(ROWS)


@pytest.mark.parametrize("i", range(len(ROWS)))
def test_rows(result, book: RateBook, i: int) -> None:
    row_in, source, fx_date = ROWS[i]
    row = result[0].slice(i, 1).to_pylist()[0]
    assert row["fx_source"] == source
    assert row["fx_date"] == (date.fromisoformat(fx_date) if fx_date else None)
    when = row_in.get("published_at")
    conv = convert(row_in.get("value"), row_in.get("currency"), when, book)
    assert row["usd_per_unit"] == conv.usd_per_unit
    assert row["eur_per_unit"] == conv.eur_per_unit
    assert row["fx_missing_reason"] == conv.missing_reason
    if source is None:
        assert row["value_usd"] is None and row["value_eur"] is None
        assert row["fx_missing_reason"]
    for col, base in [
        ("value_usd", "value"),
        ("value_min_usd", "value_min"),
        ("value_max_usd", "value_max"),
    ]:
        if row[base] is None or row["usd_per_unit"] is None:
            assert row[col] is None
        else:
            assert row[col] == row[base] * row["usd_per_unit"]  # exact


def test_known_values(result) -> None:
    rows = result[0].to_pylist()
    assert rows[0]["value_eur"] == 100.0 and rows[0]["value_usd"] == 116.19
    assert rows[3]["value_eur"] == pytest.approx(1.0, abs=1e-12)
    assert rows[5]["value_min_usd"] == pytest.approx(1e6 / 3.6725, rel=1e-12)
    assert rows[6]["fx_missing_reason"].startswith("no rate for XYZ on 2025-01-01")
    assert rows[7]["fx_missing_reason"] == "no currency in text"


def test_fx_table_holds_every_rate_used(result) -> None:
    out, fx = result
    keys = {(r["rate_date"], r["currency"]) for r in fx.to_pylist()}
    assert len(keys) == fx.num_rows
    for row in out.to_pylist():
        if row["fx_source"]:
            assert (row["fx_date"], row["currency"]) in keys
    assert (date(2025, 11, 14), "USD") in keys and (date(2024, 3, 1), "MAD") in keys


def test_empty_and_chunked_inputs(book: RateBook) -> None:
    out, fx = normalise_amounts(amounts([]), book)
    assert out.num_rows == 0 and fx.num_rows == 0 and out.schema == FACT_AMOUNT
    one = amounts([r for r, _, _ in ROWS])
    chunked = pa.concat_tables([one, one])
    out, _ = normalise_amounts(chunked, book)
    assert (
        out["value_usd"].to_pylist() == normalise_amounts(one, book)[0]["value_usd"].to_pylist() * 2
    )


def big_table(n: int) -> pa.Table:
    rng = random.Random(7)
    codes = ["USD", "EUR", "MAD", "XOF", "GBP", "JPY", "AED", "NGN", "XYZ", None]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    return pa.table(
        {
            "value": [rng.uniform(1, 1e9) for _ in range(n)],
            "value_min": [None] * n,
            "value_max": [None] * n,
            "currency": [rng.choice(codes) for _ in range(n)],
            "published_at": [
                start + timedelta(hours=rng.randrange(24 * 365 * 10)) for _ in range(n)
            ],
        },
        schema=pa.schema(
            [
                FACT_AMOUNT.field(c)
                for c in ("value", "value_min", "value_max", "currency", "published_at")
            ]
        ),
    )


def test_200k_rows_about_a_second(book: RateBook) -> None:
    table = big_table(200_000)
    start = time.perf_counter()
    out, fx = normalise_amounts(table, book)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, elapsed  # ~0.5 s here; slack for loaded CI machines
    assert out.num_rows == 200_000 and fx.num_rows > 1000
    assert pc.all(
        pc.equal(out["value_usd"], pc.multiply(out["value"], out["usd_per_unit"]))
    ).as_py()
    converted = pc.invert(pc.is_null(out["value_usd"]))
    reasons = pc.is_null(out["fx_missing_reason"])
    assert pc.all(pc.equal(converted, reasons)).as_py()  # null value_usd <=> a reason
