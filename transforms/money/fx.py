"""Exchange rates for the normalise stage: which rate converts a currency on a date, and why.

Every converted amount must say where its rate came from (`fx_source`) and on which
date it was published (`fx_date`), and an amount we cannot convert must stay null with
a reason rather than be guessed. This module holds that logic as pure functions over a
`RateBook` built from plain data; reading the ECB file is newsfacts.ecb's job.

Rates are expressed as units of the currency for one euro (`per_eur`), the ECB's own
quotation, so a conversion to USD is `usd_per_eur / x_per_eur`: one division, no
intermediate rounding.

Sources, in the order they are tried for a currency on a date:

- `identity`: EUR itself, 1.0 (from 1999-01-01; the euro did not exist before).
- `ecb`: the ECB euro foreign exchange reference rates. The rate used is the last one
  published on or before the date (a weekend or TARGET holiday uses the previous
  business day), never a later one. If that publication is more than `MAX_GAP_DAYS`
  days before the date, the series has stopped or is suspended (RUB after March 2022,
  ISK 2008-2018, or the bundled data is stale) and there is no rate. One exception, off
  unless asked for (`carry_forward_days`): a date after the end of the whole bundled
  history (the package's data is older than the news) uses the last published rate
  with source `ecb_latest`; `fx_date` then says which day's rate it is, so nothing
  pretends to be that day's rate.
- `peg`: a fixed parity to the euro or to a currency with its own rate (`PEGS`): the
  CFA francs, the Comorian franc, the Cabo Verde escudo, the convertible mark; Gulf and
  Caribbean dollar pegs, converted through the ECB USD rate of that day; 1:1 parities
  with the rand, the rupee, sterling and the Singapore dollar; and the irrevocable
  conversion rates of the euro's legacy currencies (a 1998 "francs" figure on a page
  published in 2024 still converts). The ECB rate wins where both exist (BGN until
  2025), because it is the published reference; the parity takes over where it stops.
- `bam_basket_v1`: the Moroccan dirham, which the ECB does not publish (see `Basket`).

Everything else is "no rate" with the reason spelled out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import lt

import pyarrow as pa

from transforms.contract.tables import FX_RATE
from transforms.money.currencies import is_iso4217

EURO_START = date(1999, 1, 1)
# Longest normal ECB silence is Easter or Christmas (4-5 calendar days); 10 leaves room
# for a missing file day without ever bridging a suspension or a stale bundle.
MAX_GAP_DAYS = 10

# Currencies in the ECB's daily reference rates today, and those it used to publish.
# Kept static so `fx_method` needs no data; tests check them against the bundled file.
# fmt: off
ECB_CURRENT: frozenset[str] = frozenset((
    "USD", "JPY", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK",
    "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR",
    "NZD", "PHP", "SGD", "THB", "ZAR",
))
ECB_FORMER: frozenset[str] = frozenset((
    "BGN", "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "RUB", "SIT", "SKK", "TRL",
))
# fmt: on


@dataclass(frozen=True, slots=True)
class Rate:
    """Units of `currency` for one euro, as of `rate_date`, from `source`."""

    currency: str
    per_eur: float
    rate_date: date
    source: str


@dataclass(frozen=True, slots=True)
class Peg:
    """A fixed parity: `per_anchor` units of `currency` for one unit of `anchor`.

    `anchor` is EUR or a currency that has its own rate (USD, ZAR, INR...). The parity
    applies from `valid_from` to `valid_to` inclusive (None: still in force).
    """

    currency: str
    anchor: str
    per_anchor: float
    valid_from: date
    valid_to: date | None = None


def _euro_legacy(code: str, rate: float, adopted: date) -> Peg:
    return Peg(code, "EUR", rate, adopted)


PEGS: tuple[Peg, ...] = (
    # Fixed to the euro since its launch (before: to the French franc / escudo / DEM).
    Peg("XOF", "EUR", 655.957, EURO_START),
    Peg("XAF", "EUR", 655.957, EURO_START),
    Peg("KMF", "EUR", 491.96775, EURO_START),
    Peg("CVE", "EUR", 110.265, EURO_START),
    Peg("BAM", "EUR", 1.95583, EURO_START),
    Peg("XPF", "EUR", 1000 / 8.38, EURO_START),  # 1000 XPF = 8.38 EUR
    Peg("BGN", "EUR", 1.95583, EURO_START),  # currency board, then the euro in 2026
    Peg("STD", "EUR", 24500.0, date(2010, 1, 1), date(2017, 12, 31)),
    Peg("STN", "EUR", 24.5, date(2018, 1, 1)),  # STD redenominated 1000:1
    # Fixed to the US dollar (units per USD); through the ECB USD rate of the day.
    Peg("AED", "USD", 3.6725, EURO_START),
    Peg("SAR", "USD", 3.75, EURO_START),
    Peg("QAR", "USD", 3.64, EURO_START),
    Peg("OMR", "USD", 0.3845, EURO_START),
    Peg("BHD", "USD", 0.376, EURO_START),
    Peg("JOD", "USD", 0.709, EURO_START),
    Peg("BSD", "USD", 1.0, EURO_START),
    Peg("BMD", "USD", 1.0, EURO_START),
    Peg("PAB", "USD", 1.0, EURO_START),
    Peg("BBD", "USD", 2.0, EURO_START),
    Peg("BZD", "USD", 2.0, EURO_START),
    Peg("XCD", "USD", 2.7, EURO_START),
    Peg("DJF", "USD", 177.721, EURO_START),
    Peg("AWG", "USD", 1.79, EURO_START),
    Peg("ANG", "USD", 1.79, EURO_START),
    Peg("XCG", "USD", 1.79, date(2025, 3, 31)),
    Peg("KYD", "USD", 1 / 1.2, EURO_START),  # 1 KYD = 1.20 USD
    # 1:1 (or fixed) parities with currencies the ECB publishes.
    Peg("LSL", "ZAR", 1.0, EURO_START),
    Peg("NAD", "ZAR", 1.0, EURO_START),
    Peg("SZL", "ZAR", 1.0, EURO_START),
    Peg("BTN", "INR", 1.0, EURO_START),
    Peg("NPR", "INR", 1.6, EURO_START),
    Peg("FKP", "GBP", 1.0, EURO_START),
    Peg("GIP", "GBP", 1.0, EURO_START),
    Peg("SHP", "GBP", 1.0, EURO_START),
    Peg("BND", "SGD", 1.0, EURO_START),
    Peg("MOP", "HKD", 1.03, EURO_START),
    # Redenominations of currencies the ECB published.
    Peg("TRL", "TRY", 1_000_000.0, date(2005, 1, 1)),
    Peg("ROL", "RON", 10_000.0, date(2005, 7, 1)),
    # Irrevocable euro conversion rates (Council regulations), from adoption day.
    _euro_legacy("ATS", 13.7603, EURO_START),
    _euro_legacy("BEF", 40.3399, EURO_START),
    _euro_legacy("DEM", 1.95583, EURO_START),
    _euro_legacy("ESP", 166.386, EURO_START),
    _euro_legacy("FIM", 5.94573, EURO_START),
    _euro_legacy("FRF", 6.55957, EURO_START),
    _euro_legacy("IEP", 0.787564, EURO_START),
    _euro_legacy("ITL", 1936.27, EURO_START),
    _euro_legacy("LUF", 40.3399, EURO_START),
    _euro_legacy("NLG", 2.20371, EURO_START),
    _euro_legacy("PTE", 200.482, EURO_START),
    _euro_legacy("GRD", 340.750, date(2001, 1, 1)),
    _euro_legacy("SIT", 239.640, date(2007, 1, 1)),
    _euro_legacy("CYP", 0.585274, date(2008, 1, 1)),
    _euro_legacy("MTL", 0.429300, date(2008, 1, 1)),
    _euro_legacy("SKK", 30.1260, date(2009, 1, 1)),
    _euro_legacy("EEK", 15.6466, date(2011, 1, 1)),
    _euro_legacy("LVL", 0.702804, date(2014, 1, 1)),
    _euro_legacy("LTL", 3.45280, date(2015, 1, 1)),
    _euro_legacy("HRK", 7.53450, date(2023, 1, 1)),
)


@dataclass(frozen=True, slots=True)
class Basket:
    """A currency managed against a EUR/USD basket, priced from the ECB EUR/USD rate.

    The basket holds fixed amounts a EUR + b USD, chosen so that at the anchor date it
    is worth one unit of the currency and the euro is `eur_weight` of it:
    a = eur_weight / anchor_per_eur, b = usd_weight / anchor_per_usd. Holding the
    basket's value constant, units per EUR on a day with u USD per EUR is

        per_eur(u) = 1 / (eur_weight / anchor_per_eur + usd_weight / (anchor_per_usd * u))

    which returns `anchor_per_eur` when u equals the anchor cross rate. The only daily
    input is the ECB USD rate, so the result is as reproducible as the ECB's.
    """

    currency: str
    source: str
    eur_weight: float
    usd_weight: float
    anchor_per_eur: float
    anchor_per_usd: float
    anchor_date: date
    valid_from: date
    valid_to: date | None = None

    def per_eur(self, usd_per_eur: float) -> float:
        """Units of the currency for one euro when one euro buys `usd_per_eur` dollars."""
        return 1.0 / (
            self.eur_weight / self.anchor_per_eur
            + self.usd_weight / (self.anchor_per_usd * usd_per_eur)
        )


BAM_BASKET_V1 = Basket(
    currency="MAD",
    source="bam_basket_v1",
    eur_weight=0.60,
    usd_weight=0.40,
    anchor_per_eur=10.88,
    anchor_per_usd=9.88,
    anchor_date=date(2024, 1, 2),
    valid_from=date(2015, 4, 13),
)
"""The Moroccan dirham (MAD), which the ECB does not publish.

Bank Al-Maghrib manages the dirham against a basket of 60 % EUR and 40 % USD (weights
in force since 13 April 2015; 80/20 before, so the method starts there), letting the
market rate float within a band around the basket's central value: ±0.3 % until
January 2018, ±2.5 % until March 2020, ±5 % since.

Anchor: about 10.88 MAD per EUR and 9.88 MAD per USD, the rounded public quotes of Bank
Al-Maghrib's reference rates at the turn of 2024 (late December 2023 / 2 January 2024;
their cross, 1.101 USD per EUR, matches the ECB's 1.0956-1.1050 over those days). They
are rounded to 0.01 and were not read from an official file when this was written.

Honest limits: this is an approximation, not a quoted rate. It assumes the central
value of the basket and the dirham's position in the band stayed as at the anchor. When
the dirham moves within its band (up to ±5 %) or the central rate is revised, the error
follows: expect a few percent, more far from the anchor date. Analysts should treat MAD
conversions as estimates; `fx_source` says so on every row.
"""

BASKETS: tuple[Basket, ...] = (BAM_BASKET_V1,)


def fx_method(code: str) -> str:
    """How `code` is converted today, for `dim_currency`: ecb | peg | basket | none.

    EUR is "ecb" (the reference rates are quoted against it). A currency the ECB
    stopped publishing but that has a parity (BGN, HRK, legacy currencies) is "peg",
    because that is what converts a current-date amount; RUB stays "ecb" (rates until
    March 2022, none after).
    """
    if code == "EUR" or code in ECB_CURRENT:
        return "ecb"
    if any(p.currency == code for p in PEGS):
        return "peg"
    if any(b.currency == code for b in BASKETS):
        return "basket"
    if code in ECB_FORMER:
        return "ecb"
    return "none"


class RateBook:
    """Rates for every supported currency on any date, from plain data.

    `ecb` maps a currency to its (date, units per EUR) points sorted by date, as
    newsfacts.ecb reads them from the bundled ECB history (tests pass small literal
    books). Pegs and baskets default to the module's tables.
    """

    def __init__(
        self,
        ecb: Mapping[str, Sequence[tuple[date, float]]],
        *,
        pegs: Iterable[Peg] = PEGS,
        baskets: Iterable[Basket] = BASKETS,
        max_gap_days: int = MAX_GAP_DAYS,
        carry_forward_days: int = 0,
    ) -> None:
        columns = {
            cur: ([d.toordinal() for d, _ in points], [float(v) for _, v in points])
            for cur, points in ecb.items()
        }
        self._init_columns(columns)
        self._init_rest(pegs, baskets, max_gap_days, carry_forward_days)

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, tuple[list[int], list[float]]],
        *,
        pegs: Iterable[Peg] = PEGS,
        baskets: Iterable[Basket] = BASKETS,
        max_gap_days: int = MAX_GAP_DAYS,
        carry_forward_days: int = 0,
    ) -> RateBook:
        """A book from currency -> (proleptic ordinals ascending, units per EUR).

        The same book as the constructor's, without a (date, value) tuple per point:
        the bundled history has over 200,000 of them, and every worker and run builds
        its book, so newsfacts.ecb hands its columns over as they come from the parser.
        """
        book = cls.__new__(cls)
        book._init_columns(columns)
        book._init_rest(pegs, baskets, max_gap_days, carry_forward_days)
        return book

    def _init_columns(self, columns: Mapping[str, tuple[list[int], list[float]]]) -> None:
        self._days: dict[str, list[int]] = {}
        self._values: dict[str, list[float]] = {}
        for cur, (days, values) in columns.items():
            if len(days) != len(values):
                raise ValueError(f"ECB series for {cur} has {len(days)} days and {len(values)} values")
            if not all(map(lt, days, days[1:])):
                raise ValueError(f"ECB series for {cur} is not strictly sorted by date")
            if days:
                self._days[cur] = list(days)
                self._values[cur] = list(values)

    def _init_rest(
        self,
        pegs: Iterable[Peg],
        baskets: Iterable[Basket],
        max_gap_days: int,
        carry_forward_days: int,
    ) -> None:
        self._pegs: dict[str, list[Peg]] = {}
        for peg in pegs:
            self._pegs.setdefault(peg.currency, []).append(peg)
        self._baskets = {b.currency: b for b in baskets}
        self.max_gap_days = max_gap_days
        self.carry_forward_days = carry_forward_days
        # The bundle's last publication day: past it the data is stale, not suspended.
        self._bundle_end = max((d[-1] for d in self._days.values()), default=0)
        # The book never changes after construction, so answers can be remembered: a
        # batch asks for USD on the same day once per currency it converts.
        self._memo: dict[tuple[str, date], Rate | str] = {}

    @property
    def ecb_currencies(self) -> frozenset[str]:
        """Currencies with at least one ECB rate in this book."""
        return frozenset(self._days)

    def ecb_range(self, currency: str) -> tuple[date, date] | None:
        """First and last ECB publication date for `currency`, or None."""
        days = self._days.get(currency)
        return (date.fromordinal(days[0]), date.fromordinal(days[-1])) if days else None

    def rate(self, currency: str, on: date | datetime) -> Rate | None:
        """The rate converting `currency` on `on`, or None (see `lookup` for why)."""
        found = self._resolve(currency, as_rate_date(on))
        return found if isinstance(found, Rate) else None

    def lookup(self, currency: str, on: date | datetime) -> tuple[Rate | None, str | None]:
        """(rate, None), or (None, "no rate for XYZ on 2025-01-01: <why>")."""
        on = as_rate_date(on)
        found = self._resolve(currency, on)
        if isinstance(found, Rate):
            return found, None
        return None, f"no rate for {currency} on {on.isoformat()}: {found}"

    # -- resolution: each returns a Rate or the reason there is none -----------------

    def _ecb(self, currency: str, on: date) -> Rate | str:
        days = self._days[currency]
        target = on.toordinal()
        i = bisect_right(days, target) - 1
        if i < 0:
            return f"before the ECB series starts ({date.fromordinal(days[0]).isoformat()})"
        if target - days[i] > self.max_gap_days:
            last = date.fromordinal(days[i]).isoformat()
            if (days[i] == self._bundle_end and target > self._bundle_end
                    and target - days[i] <= self.carry_forward_days):
                return Rate(currency, self._values[currency][i], date.fromordinal(days[i]),
                            "ecb_latest")
            return f"the last ECB rate is from {last}, more than {self.max_gap_days} days earlier"
        return Rate(currency, self._values[currency][i], date.fromordinal(days[i]), "ecb")

    def _fixing_day(self, on: date) -> date:
        """The ECB publication day a rate on `on` belongs to (USD's calendar), else `on`.

        EUR and euro parities need no publication, but dating them on the same business
        day as the USD rate their dollar values use keeps one `fx_date` per conversion.
        """
        if "USD" in self._days:
            usd = self._resolve("USD", on)
            if isinstance(usd, Rate):
                return usd.rate_date
        return on

    def _resolve(self, currency: str, on: date) -> Rate | str:
        key = (currency, on)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve_uncached(currency, on)
        return found

    def _resolve_uncached(self, currency: str, on: date) -> Rate | str:
        if currency == "EUR":
            if on < EURO_START:
                return "the euro did not exist before 1999-01-01"
            return Rate("EUR", 1.0, self._fixing_day(on), "identity")
        ecb_reason = None
        if currency in self._days:
            found = self._ecb(currency, on)
            if isinstance(found, Rate):
                return found
            ecb_reason = found
        pegs = self._pegs.get(currency, [])
        for peg in pegs:
            if peg.valid_from <= on and (peg.valid_to is None or on <= peg.valid_to):
                return self._pegged(peg, on)
        basket = self._baskets.get(currency)
        if (
            basket
            and basket.valid_from <= on
            and (basket.valid_to is None or on <= basket.valid_to)
        ):
            usd = self._resolve("USD", on)
            if isinstance(usd, str):
                return f"{basket.source} needs the USD rate: {usd}"
            return Rate(currency, basket.per_eur(usd.per_eur), usd.rate_date, basket.source)
        if ecb_reason:
            return ecb_reason
        if pegs:
            spans = ", ".join(_span(p.valid_from, p.valid_to) for p in pegs)
            return f"its fixed parity applies {spans}"
        if basket:
            return f"{basket.source} applies {_span(basket.valid_from, basket.valid_to)}"
        if not is_iso4217(currency):
            return "not an ISO 4217 currency code"
        return "no source (the ECB does not publish it and no peg or basket is defined)"

    def _pegged(self, peg: Peg, on: date) -> Rate | str:
        if peg.anchor == "EUR":
            return Rate(peg.currency, peg.per_anchor, self._fixing_day(on), "peg")
        anchor = self._resolve(peg.anchor, on)
        if isinstance(anchor, str):
            return f"its parity to {peg.anchor} needs the {peg.anchor} rate: {anchor}"
        return Rate(peg.currency, peg.per_anchor * anchor.per_eur, anchor.rate_date, "peg")


def _span(start: date, end: date | None) -> str:
    return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else "")


@dataclass(frozen=True, slots=True)
class Conversion:
    """The outcome of converting one amount (or one currency on one date).

    `usd_per_unit`/`eur_per_unit` are null when no rate applies, and `missing_reason`
    then says why; it is also set when only the USD side is missing (an EUR-pegged
    amount after the bundled ECB data ends keeps its `value_eur`). `fx_date` and
    `fx_source` are those of the currency's own rate; `rates` lists every rate used
    (the currency's and, for the dollar side, USD's) for the `fx_rate` table.
    """

    currency: str | None
    usd_per_unit: float | None
    eur_per_unit: float | None
    fx_date: date | None
    fx_source: str | None
    missing_reason: str | None
    value_usd: float | None = None
    value_eur: float | None = None
    rates: tuple[Rate, ...] = ()


def as_rate_date(on: date | datetime) -> date:
    """The calendar date whose rate converts an amount dated `on`.

    A timezone-aware datetime is taken in UTC (the warehouse stores UTC), a naive one
    as is; a date is itself.
    """
    if isinstance(on, datetime):
        return (on.astimezone(UTC) if on.tzinfo else on).date()
    return on


def convert(
    value: float | None,
    currency: str | None,
    on: date | datetime | None,
    book: RateBook,
) -> Conversion:
    """Convert `value` of `currency` at the rates of `on`; never guesses a rate.

    `value_usd` is exactly `value * usd_per_unit` (one multiplication), so the table
    stays self-consistent. A missing value still yields the per-unit rates, which the
    normalise stage applies to ranges.
    """
    code = currency.strip().upper() if currency else ""
    if not code:
        return Conversion(None, None, None, None, None, "no currency in text")
    if on is None:
        return Conversion(code, None, None, None, None, "no publication date to take a rate on")
    day = as_rate_date(on)
    own, reason = book.lookup(code, day)
    if own is None:
        return Conversion(code, None, None, None, None, reason)
    eur_per_unit = 1.0 / own.per_eur
    rates: tuple[Rate, ...] = (own,)
    usd_per_unit = None
    if code == "USD":
        usd_per_unit = 1.0
    else:
        usd, reason = book.lookup("USD", day)
        if usd is not None:
            usd_per_unit = usd.per_eur / own.per_eur
            rates = (own, usd)
    return Conversion(
        currency=code,
        usd_per_unit=usd_per_unit,
        eur_per_unit=eur_per_unit,
        fx_date=own.rate_date,
        fx_source=own.source,
        missing_reason=reason,
        value_usd=None if value is None or usd_per_unit is None else value * usd_per_unit,
        value_eur=None if value is None else value * eur_per_unit,
        rates=rates,
    )


def fx_rate_rows(conversions: Iterable[Conversion]) -> pa.Table:
    """The FX_RATE rows behind `conversions`: one per (rate_date, currency) used.

    The warehouse keeps them so every `value_usd` can be audited and recomputed from the
    rate actually applied. Two different rates for one key would mean the book changed
    mid-run; that raises rather than silently keeping either.
    """
    seen: dict[tuple[date, str], Rate] = {}
    for conv in conversions:
        for r in conv.rates:
            key = (r.rate_date, r.currency)
            prior = seen.setdefault(key, r)
            if prior is not r and prior != r:
                raise ValueError(f"conflicting rates for {key}: {prior} vs {r}")
    rows = [seen[k] for k in sorted(seen)]
    return pa.table(
        {
            "rate_date": [r.rate_date for r in rows],
            "currency": [r.currency for r in rows],
            "per_eur": [r.per_eur for r in rows],
            "source": [r.source for r in rows],
        },
        schema=FX_RATE,
    )
