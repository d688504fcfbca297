"""Filling a generated page's template slots, shared by the corpus generators.

The bench's multilingual pages and the Arabic pages fill `{A}`, `{n}`, `{o}`... slots
the same way; only their slot tables differ. Slots are filled in table order, each
occurrence with a fresh call, so a seed gives the same pages whichever caller fills.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence


def number(rnd: random.Random) -> str:
    """A figure of one to three digits, each length as likely."""
    return str(rnd.choice([rnd.randint(1, 9), rnd.randint(10, 99), rnd.randint(100, 999)]))


def fill_slots(tmpl: str, slots: Sequence[tuple[str, Callable[[], str]]]) -> str:
    """`tmpl` with every occurrence of each slot replaced by a call of its filler."""
    out = tmpl
    for key, fn in slots:
        while key in out:
            out = out.replace(key, fn(), 1)
    return out
