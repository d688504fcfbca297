"""Suite for `dim_currency`: the currencies we know and how each one is converted."""

from __future__ import annotations

import pyarrow as pa

from expectations import rules
from expectations.rules import Rule, SuiteInputs

TABLE = "dim_currency"
FX_METHODS = ("ecb", "peg", "basket", "none")


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    return {}


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        *rules.key("currency"),
        *rules.required("name", "fx_method"),
        rules.iso4217("currency", inputs.currencies),
        rules.between(
            "minor_units", 0, 4, "ISO 4217 minor units run from 0 (JPY) to 4 (CLF).",
        ),
        rules.in_set("fx_method", FX_METHODS, "How the normaliser converts this currency."),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
