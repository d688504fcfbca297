"""Suite for `dim_entity`: organisations, people, projects and funds named in the news."""

from __future__ import annotations

import pyarrow as pa

from expectations import rules
from expectations.rules import Rule, SuiteInputs

TABLE = "dim_entity"
ENTITY_KINDS = ("org", "person", "project", "fund")


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    return {}


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        *rules.key("entity_id"),
        *rules.required("name", "kind"),
        rules.in_set("kind", ENTITY_KINDS, "The entity kinds the resolver produces."),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))
