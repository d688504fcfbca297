"""Suite for `documents`: one row per page, the anchor of every fact row.

A documents row that fails removes all of that document's fact rows too (the cascade in
`validate`), because facts of a document we do not trust cannot be trusted either.
"""

from __future__ import annotations

import pyarrow as pa

from expectations import derived, rules
from expectations.rules import Rule, SuiteInputs
from transforms.page.language import LANGS

TABLE = "documents"
PUBLISHED_SOURCES = ("page", "fetched_at")


def derive(table: pa.Table, inputs: SuiteInputs) -> dict[str, pa.Array]:
    return {"pub_period_matches": derived.pub_period_matches(table)}


def rules_for(inputs: SuiteInputs) -> list[Rule]:
    return [
        *rules.key("doc_id"),
        *rules.required(
            "source_path", "lang", "body", "published_at", "published_source",
            "fetched_at", "raw_sha256", "run_id", "pub_year", "pub_month",
        ),
        rules.in_set(
            "lang", LANGS, "The extractor has lexicons for these languages only; any "
            "other code means detection returned something it never should.",
        ),
        rules.in_set(
            "published_source", PUBLISHED_SOURCES,
            "Analysts filter on whether the date came from the page or the fetch time.",
        ),
        rules.before(
            "published_at", "fetched_at", or_equal=True,
            name="published_at_not_after_fetched_at",
            why="A page cannot be published after we fetched it: a later date means a "
            "misread relative date ('Hier 14:44') or a wrong time zone.",
        ),
        rules.regex(
            "raw_sha256", r"^[0-9a-f]{64}$",
            "raw_sha256 is the hex SHA-256 of the raw bytes; change detection compares it.",
        ),
        rules.between(
            "n_amounts", 0, 2**31 - 1, "A count of rows cannot be negative.",
            name="n_amounts_non_negative",
        ),
        rules.between(
            "n_figures", 0, 2**31 - 1, "A count of rows cannot be negative.",
            name="n_figures_non_negative",
        ),
        rules.pub_period(),
    ]


def build_suite(inputs: SuiteInputs):
    """The GX suite (imports GX)."""
    return rules.build_suite(f"newsfacts.{TABLE}", rules_for(inputs))

