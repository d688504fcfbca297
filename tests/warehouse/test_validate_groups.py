"""Validating several batches in one GX pass keeps and quarantines exactly what validating
each batch alone does (expectations.validate.validate_batches).

The flow validates groups of batches at once (a GX pass costs about a second whatever
its size); this must not change a single row. The batches below carry what a group
meets in a real run: entities and rates that several batches share (not duplicates
across batches), duplicates inside one batch, a null key, a failing document whose
facts cascade, and a batch without some tables.
"""

from __future__ import annotations

from datetime import timedelta

from expectations.validate import validate_batches, validate_tables
from tests.warehouse.test_expectations import (
    CURRENCIES,
    FETCHED,
    good_rows,
    row,
    tables_of,
)


def _renamed(rows: dict[str, list[dict]], mapping: dict[str, str]) -> dict[str, list[dict]]:
    """The same rows for other documents: doc ids (and the ids made from them) renamed."""

    def rename(value):
        if isinstance(value, str):
            for old, new in mapping.items():
                if value == old or value.startswith(old + "-") or value == f"landing/{old}.txt":
                    return value.replace(old, new, 1)
        return value

    return {name: [{k: rename(v) for k, v in r.items()} for r in table] for name, table in rows.items()}


def _batches() -> list[dict]:
    first = good_rows()
    first["fact_amount"].append(dict(first["fact_amount"][0]))  # a duplicate inside a batch
    first["documents"].append(row("documents", "d9", lang="sv"))  # a document we refuse
    second = _renamed(good_rows(), {"d1": "d3", "d2": "d4"})  # same entities and rates
    second["fx_rate"].append(row("fx_rate", per_eur=1.09))  # a duplicate rate inside it
    second["fact_figure"].append(row("fact_figure", "d3", n=9, figure_id=None))  # null key
    third = _renamed(good_rows(), {"d1": "d5", "d2": "d6"})
    third["documents"][0]["published_at"] = FETCHED + timedelta(days=1)  # cascades
    del third["dim_currency"], third["fx_rate"]
    return [tables_of(first), tables_of(second), tables_of(third)]


def test_a_group_keeps_and_quarantines_what_each_batch_alone_does():
    batches = _batches()
    group = validate_batches(batches, currencies=CURRENCIES)
    assert len(group.tables) == len(group.rejected) == len(batches)
    for b, tables in enumerate(batches):
        alone = validate_tables(tables, currencies=CURRENCIES)
        assert set(group.tables[b]) == set(alone.tables), b
        for name, table in alone.tables.items():
            assert group.tables[b][name].equals(table), (b, name)
        assert group.rejected[b] == alone.rejected, b
    expectations = {r["expectation"] for rs in group.rejected for r in rs}
    assert {"amount_id_unique", "lang_in_set", "rate_date_currency_unique",
            "figure_id_not_null", "cascade:published_at_not_after_fetched_at"} <= expectations
    # Shared entities and rates are not duplicates across batches.
    assert not any(r["expectation"] == "entity_id_unique" for rs in group.rejected for r in rs)
    assert group.tables[1]["dim_entity"].num_rows == 2
    assert not group.success
    assert group.summary["documents"]["rows_in"] == sum(t["documents"].num_rows for t in batches)


def test_a_group_of_good_batches_passes_whole():
    batches = [tables_of(good_rows()), tables_of(_renamed(good_rows(), {"d1": "d3", "d2": "d4"}))]
    group = validate_batches(batches, currencies=CURRENCIES)
    assert group.success
    assert group.rejected == [[], []]
    for b, tables in enumerate(batches):
        for name, table in tables.items():
            assert group.tables[b][name].equals(table), (b, name)
