"""Tests for transforms.money.currencies: the ISO 4217 list and the dim_currency table."""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest

from newsfacts.ecb import load_rate_book
from transforms.contract.tables import DIM_CURRENCY
from transforms.money.currencies import (
    ACTIVE_CODES,
    CURRENCIES,
    HISTORIC_CODES,
    currency,
    is_iso4217,
)
from transforms.money.fx import BASKETS, PEGS, fx_method
from transforms.money.normalise import dim_currency_table

CODES = [
    # (code, minor units, historic)
    ("USD", 2, False),
    ("EUR", 2, False),
    ("JPY", 0, False),
    ("ISK", 0, False),
    ("XOF", 0, False),
    ("BHD", 3, False),
    ("KWD", 3, False),
    ("CLF", 4, False),
    ("MAD", 2, False),
    ("XAU", None, False),
    ("XDR", None, False),
    ("ESP", 0, True),
    ("FRF", 2, True),
    ("DEM", 2, True),
    ("ITL", 0, True),
    ("HRK", 2, True),
]


@pytest.mark.parametrize(("code", "minor", "historic"), CODES)
def test_code_records(code: str, minor: int | None, historic: bool) -> None:
    rec = currency(code)
    assert rec is not None
    assert rec.minor_units == minor
    assert rec.historic is historic
    assert rec.name


def test_list_is_complete_enough_and_well_formed() -> None:
    assert len(ACTIVE_CODES) >= 155
    assert not ACTIVE_CODES & HISTORIC_CODES
    for code in CURRENCIES:
        assert len(code) == 3 and code.isascii() and code.isupper(), code


@pytest.mark.parametrize(
    ("code", "historic_ok", "expected"),
    [
        ("USD", True, True),
        ("MAD", True, True),
        ("XCG", True, True),
        ("FRF", True, True),
        ("FRF", False, False),
        ("EUR", False, True),
        ("XYZ", True, False),
        ("usd", True, False),  # the extractor emits upper case; no silent fix-up here
        ("", True, False),
        (None, True, False),
        ("US", True, False),
    ],
)
def test_is_iso4217(code: str | None, historic_ok: bool, expected: bool) -> None:
    assert is_iso4217(code, include_historic=historic_ok) is expected


def test_every_fx_source_currency_is_a_known_code() -> None:
    for code in (
        {p.currency for p in PEGS} | {p.anchor for p in PEGS} | {b.currency for b in BASKETS}
    ):
        assert is_iso4217(code), code


def test_dim_currency_table_shape_and_methods() -> None:
    table = dim_currency_table()
    assert table.schema == DIM_CURRENCY
    assert table.num_rows == len(CURRENCIES)
    assert pc.count_distinct(table["currency"]).as_py() == table.num_rows
    methods = dict(zip(table["currency"].to_pylist(), table["fx_method"].to_pylist(), strict=True))
    assert set(methods.values()) <= {"ecb", "peg", "basket", "none"}
    expected = {
        "EUR": "ecb",
        "USD": "ecb",
        "JPY": "ecb",
        "XOF": "peg",
        "XAF": "peg",
        "AED": "peg",
        "DEM": "peg",
        "BGN": "peg",
        "MAD": "basket",
        "NGN": "none",
        "XAU": "none",
        "RUB": "ecb",
    }
    for code, method in expected.items():
        assert methods[code] == method, code
    assert all(methods[c] == fx_method(c) for c in methods)


def test_fx_method_agrees_with_what_converts() -> None:
    """A currency's dim_currency method is the source that actually converts it today."""
    book = load_rate_book()
    on = date(2025, 11, 13)
    source_of = {"ecb": "ecb", "peg": "peg", "basket": "bam_basket_v1"}
    # Methods with no rate on `on`: the ECB stopped RUB in 2022; STD became STN in 2018.
    no_rate_today = {"RUB", "STD"}
    for row in dim_currency_table().to_pylist():
        code, method = row["currency"], row["fx_method"]
        rate = book.rate(code, on)
        if method == "none" or code in no_rate_today:
            assert rate is None, code
        elif code == "EUR":
            assert rate is not None and rate.source == "identity"
        elif code == "BGN":  # ECB reference rates through 2025, its euro parity after
            assert rate is not None and rate.source == "ecb"
            assert book.rate(code, date(2026, 3, 2)).source == "peg"  # type: ignore[union-attr]
        else:
            assert rate is not None, code
            assert rate.source == source_of[method], code
