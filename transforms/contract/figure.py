"""The figure record every extractor produces, and its contract form.

One dataclass for money, percentages, quantities, counts and bare numbers keeps the
engine, the warehouse loader and the `newsfacts extract` contract (README.md, "The extract
contract") in step: a field added here is visible to all three at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("money", "percent", "quantity", "count", "number")
QUALIFIERS = ("exact", "approx", "estimated", "at_least", "at_most", "vague")


@dataclass(slots=True)
class Figure:
    """A figure found in a text, with its exact surface and code-point offsets.

    A range has `min`/`max` and a null `value`; an open bound ("au moins 10 euros") has
    `min` only. `currency` is an ISO 4217 code for money; `unit` the unit as printed
    normalised (e.g. "GW"); `si_value`/`si_unit` the SI form of a quantity ("W").
    `counted_noun` is the noun a count counts ("salariés").
    """

    kind: str
    surface: str
    start: int
    end: int
    value: float | None = None
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    unit: str | None = None
    qualifier: str = "exact"
    si_value: float | None = None
    si_min: float | None = None
    si_max: float | None = None
    si_unit: str | None = None
    counted_noun: str | None = None
    extra: dict = field(default_factory=dict)

    def to_contract(self) -> dict:
        """The JSON shape of the extract contract (README.md, 'The extract contract')."""
        return {
            "kind": self.kind,
            "surface": self.surface,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "min": self.min,
            "max": self.max,
            "currency": self.currency,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "si_value": self.si_value,
            "si_unit": self.si_unit,
            "counted_noun": self.counted_noun,
            "implied": bool(self.extra.get("implied")),
            "furniture": bool(self.extra.get("furniture")),
        }

    def as_dict(self) -> dict:
        return asdict(self)
