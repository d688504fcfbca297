"""Suite for `fact_deal`: deal events (who did what, for how much) found in a document.

The vocabularies are closed on purpose: a dashboard groups by event_type and status, and
a new value should be a decision (added here and in transforms), not a typo that
creates a new bar.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from expectations import derived, rules
from expectations.rules import Rule, SuiteInputs

TABLE = "fact_deal"
EVENT_TYPES = (
    "investment", "acquisition", "stake_sale", "fundraising", "valuation", "financing",
    "loan", "revenue", "profit", "loss", "project_cost", "budget", "fine", "other",
)
STATUSES = ("announced", "planned", "completed", "rumoured", "denied", "estimated")


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    helpers = {"pub_period_matches": derived.pub_period_matches(table)}
    if inputs.documents is not None:
        helpers["doc_in_batch"] = derived.doc_in_batch(table, inputs.documents)
    if inputs.amount_ids is not None:
        ids = pa.array(sorted(inputs.amount_ids), pa.string())
        amount = table.column("amount_id")
        known = pc.or_(pc.is_null(amount), pc.is_in(amount, value_set=ids))
        helpers["amount_in_batch"] = derived.as_check(known)
    return helpers


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    out = [
        *rules.key("event_id"),
        *rules.required("doc_id", "event_type", "published_at", "pub_year", "pub_month"),
        rules.in_set("event_type", EVENT_TYPES, "The deal-event vocabulary dashboards group by."),
        rules.in_set("status", STATUSES, "The deal-status vocabulary dashboards filter on."),
        rules.iso4217("currency", inputs.currencies),
        rules.positive_finite("value"),
        rules.positive_finite("value_usd"),
        rules.pub_period(),
        *(
            rules.between(c, 0.0, 1.0, "A confidence is a share: v_deals compares it to a floor.")
            for c in ("type_confidence", "actor_confidence", "counterpart_confidence")
        ),
    ]
    if inputs.documents is not None:
        out.append(rules.doc_known())  # a deal has no span of its own to compare
    if inputs.amount_ids is not None:
        out.append(
            rules.is_true(
                "amount_in_batch", "amount_id_in_fact_amount",
                "A deal's amount is a fact_amount row of the same batch; a dangling id "
                "would lose the amount's provenance.",
                ("amount_id",),
            )
        )
    return out


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
