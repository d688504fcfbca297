"""Suite for `fact_figure`: percentages, quantities and counts with their offsets.

Values are only required to be finite: a percentage may be negative ("-3 %") or zero,
unlike money amounts.
"""

from __future__ import annotations

import pyarrow as pa

from expectations import derived, rules
from expectations.rules import Rule, SuiteInputs
from transforms.contract.figure import QUALIFIERS

TABLE = "fact_figure"
FIGURE_KINDS = ("percent", "quantity", "count")  # money goes to fact_amount


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    helpers = {
        "pub_period_matches": derived.pub_period_matches(table),
        "has_amount": derived.any_present(table, ("value", "min", "max")),
    }
    if inputs.documents is not None:
        helpers["doc_in_batch"] = derived.doc_in_batch(table, inputs.documents)
        helpers["surface_matches"] = derived.surface_matches(table, inputs.documents)
    return helpers


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        *rules.key("figure_id"),
        *rules.required(
            "doc_id", "mention_no", "kind", "raw_start", "raw_end", "surface",
            "qualifier", "in_title", "published_at", "pub_year", "pub_month",
        ),
        rules.in_set("kind", FIGURE_KINDS, "fact_figure holds these kinds only."),
        rules.in_set("qualifier", QUALIFIERS, "The extract contract's qualifier vocabulary."),
        *(rules.finite(c) for c in ("value", "min", "max", "si_value", "si_min", "si_max")),
        rules.before(
            "min", "max", or_equal=True, name="min_not_above_max",
            why="A range goes from its lower to its upper bound.",
        ),
        rules.is_true(
            "has_amount", "value_or_range_present",
            "A figure carries a value, or at least one bound of a range.",
            ("value", "min", "max"),
        ),
        *rules.offsets(),
        *rules.text_checks(inputs),
        rules.pub_period(),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
