"""Suite for `fact_mention`: entity mentions with offsets into their document."""

from __future__ import annotations

import pyarrow as pa

from expectations import derived, rules
from expectations.rules import Rule, SuiteInputs

TABLE = "fact_mention"
RESOLVED_FROM = ("name", "alias", "description", "pronoun")


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    helpers = {"pub_period_matches": derived.pub_period_matches(table)}
    if inputs.documents is not None:
        helpers["doc_in_batch"] = derived.doc_in_batch(table, inputs.documents)
        helpers["surface_matches"] = derived.surface_matches(table, inputs.documents)
    return helpers


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        *rules.key("mention_id"),
        *rules.required(
            "doc_id", "entity_id", "surface", "raw_start", "raw_end", "in_title",
            "published_at", "pub_year", "pub_month",
        ),
        rules.in_set(
            "resolved_from", RESOLVED_FROM,
            "How the mention was tied to its entity; analysts filter out weak links.",
        ),
        *rules.offsets(),
        *rules.text_checks(inputs),
        rules.pub_period(),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
