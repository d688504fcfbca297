"""Rules: named, GX-free descriptions of expectations, turned into GX objects on demand.

Why not build GX expectation objects at import time: `great_expectations` costs seconds
to import, and `import expectations` must stay cheap for the CLI and the tests of other
stages. A `Rule` records the GX class name and its arguments; `build_suite` imports GX
and instantiates the real classes only when a validation runs.

Every rule has a stable, readable `name` (stored in the expectation's `meta["name"]`).
Quarantine rows and the run summary use it, so a name must never change meaning; add a
new rule rather than repurposing one. Names are `<column>_<check>` (e.g.
`currency_iso4217`) or, for checks over helper columns, what the check asserts (e.g.
`surface_matches_text`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

# Largest finite float: "between 0 and MAX_FLOAT" rejects +inf, which pandas would
# otherwise let through an open-ended range.
MAX_FLOAT = sys.float_info.max


@dataclass(frozen=True)
class Rule:
    """One expectation: its stable name, GX class, arguments and why it exists.

    `columns` are the source columns quoted in a quarantine row's `detail`, so a person
    sees the offending values without opening `row_json` (helper columns alone, such as
    a boolean `surface_matches`, would say nothing useful).
    """

    name: str
    expectation: str
    kwargs: dict[str, Any]
    description: str
    columns: tuple[str, ...] = ()

    def to_gx(self, gxe: ModuleType) -> Any:
        """The GX expectation object, carrying our name in `meta` and the why in `notes`."""
        cls = getattr(gxe, self.expectation)
        return cls(**self.kwargs, meta={"name": self.name}, notes=self.description)


@dataclass(frozen=True)
class SuiteInputs:
    """What a suite needs besides its own table.

    `currencies` is the ISO 4217 code list (passed in, so the suites do not depend on
    where the list comes from). `documents` maps doc_id -> (title, body) of the batch's
    documents, or is None when the batch has no documents table; the cross-table checks
    (surface against text, doc_id known) are left out then rather than faked.
    `amount_ids` likewise holds the batch's amount ids for fact_deal, or None.
    """

    currencies: frozenset[str]
    documents: dict[str, tuple[str | None, str | None]] | None = None
    amount_ids: frozenset[str] | None = field(default=None)


def load_gx() -> tuple[ModuleType, ModuleType]:
    """Import GX (the package and its expectations module) quietly, analytics switched off.

    The variable must be set before the first import: GX reads it at import time. GX
    also logs hundreds of INFO lines while importing; when the application logs at INFO
    (a CLI's basicConfig, say) they would flood the run's output, so the GX logger is
    capped at WARNING unless someone has already set its level on purpose.
    """
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    gx_logger = logging.getLogger("great_expectations")
    if gx_logger.level == logging.NOTSET:
        gx_logger.setLevel(logging.WARNING)
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx, gxe


def build_suite(name: str, rules: Iterable[Rule]) -> Any:
    """A GX ExpectationSuite named `name` holding the GX form of `rules`."""
    gx, gxe = load_gx()
    rules = list(rules)
    names = [r.name for r in rules]
    if len(names) != len(set(names)):
        raise ValueError(f"suite {name}: duplicate rule names {sorted(names)}")
    return gx.ExpectationSuite(name=name, expectations=[r.to_gx(gxe) for r in rules])


# --- rule constructors -------------------------------------------------------------


def not_null(column: str) -> Rule:
    return Rule(
        f"{column}_not_null",
        "ExpectColumnValuesToNotBeNull",
        {"column": column},
        f"{column} is required: a row without it cannot be loaded or interpreted.",
        (column,),
    )


def required(*columns: str) -> list[Rule]:
    return [not_null(c) for c in columns]


def unique(column: str) -> Rule:
    return Rule(
        f"{column}_unique",
        "ExpectColumnValuesToBeUnique",
        {"column": column},
        f"{column} is the key: the loader deletes and inserts by it, so a duplicate "
        "would silently overwrite a row.",
        (column,),
    )


def key(column: str) -> list[Rule]:
    """A single-column primary key: unique and present."""
    return [unique(column), not_null(column)]


def compound_unique(columns: tuple[str, ...]) -> Rule:
    return Rule(
        "_".join(columns) + "_unique",
        "ExpectCompoundColumnsToBeUnique",
        {"column_list": list(columns)},
        f"({', '.join(columns)}) is the key: duplicates would overwrite each other.",
        columns,
    )


def in_set(column: str, values: Iterable[str], why: str, name: str | None = None) -> Rule:
    """Values (where not null) from a closed vocabulary."""
    return Rule(
        name or f"{column}_in_set",
        "ExpectColumnValuesToBeInSet",
        {"column": column, "value_set": sorted(values)},
        why,
        (column,),
    )


def iso4217(column: str, codes: frozenset[str]) -> Rule:
    return in_set(
        column,
        codes,
        f"{column} must be an ISO 4217 code: conversions and analysts join on it, and "
        "an invented code would never convert.",
        name=f"{column}_iso4217",
    )


def positive_finite(column: str) -> Rule:
    """> 0 and finite where not null (NaN is mapped to +inf before validation)."""
    return Rule(
        f"{column}_positive_finite",
        "ExpectColumnValuesToBeBetween",
        {"column": column, "min_value": 0, "strict_min": True, "max_value": MAX_FLOAT},
        f"{column} is an amount or a rate: zero, negative, infinite or NaN means a "
        "parsing or conversion bug.",
        (column,),
    )


def finite(column: str) -> Rule:
    """Finite where not null; the sign is free (a percentage may be negative)."""
    return Rule(
        f"{column}_finite",
        "ExpectColumnValuesToBeBetween",
        {"column": column, "min_value": -MAX_FLOAT, "max_value": MAX_FLOAT},
        f"{column} must be a finite number: infinity or NaN means a parsing bug.",
        (column,),
    )


def between(column: str, low: float, high: float, why: str, name: str | None = None) -> Rule:
    return Rule(
        name or f"{column}_in_range",
        "ExpectColumnValuesToBeBetween",
        {"column": column, "min_value": low, "max_value": high},
        why,
        (column,),
    )


def before(low: str, high: str, *, or_equal: bool, why: str, name: str | None = None) -> Rule:
    """`low` < `high` (or <=) on every row where both are present."""
    return Rule(
        name or f"{low}_before_{high}",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": high,
            "column_B": low,
            "or_equal": or_equal,
            "ignore_row_if": "either_value_is_missing",
        },
        why,
        (low, high),
    )


def is_true(helper: str, name: str, why: str, columns: tuple[str, ...]) -> Rule:
    """A boolean helper column (computed in `derived`) must be true on every row.

    Used for checks GX has no expectation for (cross-table joins, arithmetic between
    columns); the helper is never null, so a missing input cannot slip through.
    """
    return Rule(
        name,
        "ExpectColumnValuesToBeInSet",
        {"column": helper, "value_set": [True]},
        why,
        columns,
    )


def regex(column: str, pattern: str, why: str, name: str | None = None) -> Rule:
    return Rule(
        name or f"{column}_format",
        "ExpectColumnValuesToMatchRegex",
        {"column": column, "regex": pattern},
        why,
        (column,),
    )


# --- rules shared by several tables -----------------------------------------------


def offsets(*, body: bool = True) -> list[Rule]:
    """Span sanity for rows that point into a document's text."""
    rules = [
        between(
            "raw_start",
            0,
            2**31 - 1,
            "Offsets index the raw text: a negative one is a mapping bug.",
            name="raw_start_non_negative",
        ),
        before(
            "raw_start",
            "raw_end",
            or_equal=False,
            why="A figure or mention spans at least one character of the raw text.",
        ),
    ]
    if body:
        rules.append(
            before(
                "body_start",
                "body_end",
                or_equal=False,
                why="A body span covers at least one character (title spans have none).",
            )
        )
    return rules


def pub_period() -> Rule:
    return is_true(
        "pub_period_matches",
        "pub_period_matches_published_at",
        "pub_year / pub_month partition the exports and must be the UTC year and month "
        "of published_at, or a row lands in the wrong partition.",
        ("published_at", "pub_year", "pub_month"),
    )


def doc_known() -> Rule:
    """doc_id is a document of the batch (helper column `doc_in_batch`)."""
    return is_true(
        "doc_in_batch",
        "doc_id_in_documents",
        "A fact row belongs to a document of the same batch; an orphan would dangle in "
        "the warehouse.",
        ("doc_id",),
    )


def surface_matches_text() -> Rule:
    """surface == the document text at the offsets (helper column `surface_matches`)."""
    return is_true(
        "surface_matches",
        "surface_matches_text",
        "surface must be exactly the document body at [body_start, body_end) (for a "
        "title span: a substring of the title); otherwise the offsets are wrong and the "
        "quote cannot be traced back.",
        ("surface", "body_start", "body_end", "in_title"),
    )


def text_checks(inputs: SuiteInputs) -> list[Rule]:
    """Cross-table checks of a span row, present only when the batch has documents."""
    if inputs.documents is None:
        return []
    return [doc_known(), surface_matches_text()]
