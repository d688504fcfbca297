"""Suite for `fact_amount`: one row per money mention, with its FX conversion.

Beyond shape (key, required columns, vocabularies) it checks what a bug upstream would
break silently: the surface must be the text at its offsets, and every converted value
must be exactly value * rate with its provenance recorded; an unconverted value must
say why: a missing rate is never guessed.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from expectations import derived, rules
from expectations.rules import Rule, SuiteInputs
from transforms.contract.figure import QUALIFIERS

TABLE = "fact_amount"

# (converted column, amount column, rate column)
CONVERSIONS = (
    ("value_usd", "value", "usd_per_unit"),
    ("value_eur", "value", "eur_per_unit"),
    ("value_min_usd", "value_min", "usd_per_unit"),
    ("value_max_usd", "value_max", "usd_per_unit"),
)


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    helpers = {
        "pub_period_matches": derived.pub_period_matches(table),
        "has_amount": derived.any_present(table, ("value", "value_min", "value_max")),
        "sentence_holds_amount": derived.sentence_holds_span(table),
        "fx_provenance": derived.present_if(
            table,
            pc.or_(pc.is_valid(table.column("usd_per_unit")), pc.is_valid(table.column("eur_per_unit"))),
            ("fx_date", "fx_source"),
        ),
        "fx_missing_explained": derived.present_if(
            table,
            pc.and_(pc.is_valid(table.column("value")), pc.is_null(table.column("value_usd"))),
            ("fx_missing_reason",),
        ),
    }
    for result, value, rate in CONVERSIONS:
        helpers[f"{result}_matches"] = derived.product_matches(table, value, rate, result)
    if inputs.documents is not None:
        helpers["doc_in_batch"] = derived.doc_in_batch(table, inputs.documents)
        helpers["surface_matches"] = derived.surface_matches(table, inputs.documents)
    return helpers


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    conversions = [
        rules.is_true(
            f"{result}_matches",
            f"{result}_matches_rate",
            f"{result} must equal {value} * {rate} (relative 1e-9), and be null exactly "
            "when one of them is: anything else is a conversion bug.",
            (value, rate, result),
        )
        for result, value, rate in CONVERSIONS
    ]
    return [
        *rules.key("amount_id"),
        *rules.required(
            "doc_id", "mention_no", "sentence_no", "raw_start", "raw_end", "surface",
            "qualifier", "in_title", "implied", "furniture", "published_at", "pub_year",
            "pub_month",
        ),
        rules.iso4217("currency", inputs.currencies),
        *(rules.positive_finite(c) for c in ("value", "value_min", "value_max")),
        *(rules.positive_finite(c) for c in ("usd_per_unit", "eur_per_unit")),
        rules.before(
            "value_min", "value_max", or_equal=True, name="value_min_not_above_value_max",
            why="A range goes from its lower to its upper bound.",
        ),
        rules.is_true(
            "has_amount", "value_or_range_present",
            "A money mention carries a value, or at least one bound of a range.",
            ("value", "value_min", "value_max"),
        ),
        rules.in_set(
            "qualifier", QUALIFIERS, "The extract contract's qualifier vocabulary.",
        ),
        *rules.offsets(),
        rules.is_true(
            "sentence_holds_amount", "sentence_bounds_hold_the_amount",
            "sentence_start/sentence_end are the bounds of the amount's sentence (v_amounts "
            "quotes it by them): they must enclose a body amount, and a title amount has none.",
            ("body_start", "body_end", "sentence_start", "sentence_end"),
        ),
        *rules.text_checks(inputs),
        *conversions,
        rules.is_true(
            "fx_provenance", "fx_date_source_recorded",
            "Every converted value records the rate's date and source.",
            ("usd_per_unit", "eur_per_unit", "fx_date", "fx_source"),
        ),
        rules.is_true(
            "fx_missing_explained", "fx_missing_reason_recorded",
            "A value left unconverted says why, so it is never mistaken for a bug.",
            ("value", "value_usd", "currency", "fx_missing_reason"),
        ),
        rules.pub_period(),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
