"""Numbers for people: '1.2 bn USD', '12,345 pages', '91.7 %'. Pure functions."""

from __future__ import annotations

import math

_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def short(x: float | None, digits: int = 1) -> str:
    """1234567 -> '1.2 m'; below a thousand the number itself, no unit."""
    if _missing(x):
        return "–"
    for factor, name in _SCALES:
        if abs(x) >= factor:
            return f"{x / factor:,.{digits}f} {name}"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.2f}"


def money(x: float | None, currency: str = "USD", digits: int = 1) -> str:
    """1.2e9 -> '1.2 bn USD'."""
    return "–" if _missing(x) else f"{short(x, digits)} {currency}"


def count(n: int | float | None) -> str:
    """12345 -> '12,345'."""
    return "–" if _missing(n) else f"{int(n):,}"


def percent(share: float | None, digits: int = 1) -> str:
    """0.917 -> '91.7 %'."""
    return "–" if _missing(share) else f"{100 * share:.{digits}f} %"


# Vega expression for axis labels in the same style (1.2 bn, 350 m, 12 k).
VEGA_SHORT = (
    "abs(datum.value) >= 1e12 ? format(datum.value / 1e12, ',.1~f') + ' tn' : "
    "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, ',.1~f') + ' bn' : "
    "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, ',.1~f') + ' m' : "
    "abs(datum.value) >= 1e3 ? format(datum.value / 1e3, ',.1~f') + ' k' : "
    "format(datum.value, ',~f')"
)
