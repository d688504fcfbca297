"""Two copies of one page in a batch: validation must drop their rows, not crash.

The crash of issue 11: identical files get the same doc_id, both documents rows fail the
key check, every fact row of that doc_id cascades, and removing *all* rows of a table
used an untyped empty index list that Arrow reads as a null array.
"""

from __future__ import annotations

import pyarrow as pa

from expectations.validate import _without
from tests.warehouse.test_expectations import good_rows, run, tables_of


def test_without_every_row_keeps_the_schema():
    table = pa.table({"doc_id": ["d1", "d1"], "n": [1, 2]})
    out = _without(table, {0, 1})
    assert out.num_rows == 0
    assert out.schema == table.schema


def test_duplicate_doc_id_rejects_its_rows_and_keeps_the_others():
    rows = good_rows()
    rows["documents"].append(dict(rows["documents"][0]))  # a second copy of d1
    outcome = run(tables_of(rows))
    assert not outcome.success
    docs = outcome.tables["documents"]
    assert docs.column("doc_id").to_pylist() == ["d2"]
    for name in ("fact_amount", "fact_figure", "fact_mention", "fact_deal"):
        assert set(outcome.tables[name].column("doc_id").to_pylist()) == {"d2"}, name
    assert {r["doc_id"] for r in outcome.rejected} == {"d1"}


def test_a_batch_of_only_duplicates_leaves_empty_tables():
    rows = good_rows()
    for name in ("documents", "fact_figure", "fact_mention", "fact_deal", "fact_amount"):
        kept = [r for r in rows[name] if r["doc_id"] == "d1"]
        rows[name] = kept + ([dict(kept[0])] if name == "documents" else [])
    rows["fact_deal"] = [r for r in rows["fact_deal"] if r["amount_id"].startswith("d1")]
    outcome = run(tables_of(rows))
    for name in ("documents", "fact_amount", "fact_figure", "fact_mention", "fact_deal"):
        assert outcome.tables[name].num_rows == 0, name
        assert outcome.tables[name].schema == tables_of(rows)[name].schema
