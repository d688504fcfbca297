"""Suite for `fx_rate`: the rates used for conversion, one per (date, currency)."""

from __future__ import annotations

import pyarrow as pa

from expectations import rules
from expectations.rules import Rule, SuiteInputs

TABLE = "fx_rate"


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    return {}


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        rules.compound_unique(("rate_date", "currency")),
        *rules.required("rate_date", "currency", "per_eur", "source"),
        rules.iso4217("currency", inputs.currencies),
        rules.positive_finite("per_eur"),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
