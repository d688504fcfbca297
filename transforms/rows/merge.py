"""A chunk's tables: batches concatenated, shared tables merged, and split per load batch.

The shared tables (dim_entity, fx_rate, dim_currency, ...) get rows from every batch;
merging them here with the warehouse's own policy (`MERGE_TABLES` in the contract) keeps
the result independent of how the pages were batched.
"""

from __future__ import annotations

import pyarrow as pa

from transforms.contract import tables


def _concat(parts: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    names = {name for part in parts for name in part}
    out = {
        name: pa.concat_tables([p[name] for p in parts if name in p]).cast(tables.SCHEMAS[name])
        for name in names
    }
    # Every batch brings its own rows of the shared tables (dim_entity, fx_rate): one key
    # seen by two batches would be a duplicate that validation rejects, so the result
    # would depend on how pages were batched (and a re-run after a crash would differ).
    for name in names - set(tables.DOC_TABLES):
        out[name] = _merge_shared(name, out[name])
    return out


def _merge_shared(name: str, table: pa.Table) -> pa.Table:
    """One row per key, merged as the warehouse merges it; exact duplicates dropped.

    dim_entity: the smallest name and kind, the sorted union of aliases. Other shared
    tables keep one copy of identical rows; rows that differ on one key stay, and fail
    validation, as a clash within one batch always did.
    """
    from transforms.contract.tables import MERGE_TABLES

    keys = tables.KEYS[name]
    merge = name in MERGE_TABLES
    rows = table.to_pylist()
    merged: dict = {}
    unions: dict[tuple, set] = {}
    for row in rows:
        key = tuple(row[k] for k in keys) if merge else repr(row)
        seen = merged.get(key)
        if seen is None:
            merged[key] = row
        elif merge:
            for col, value in row.items():
                if value is None or col in keys:
                    continue
                if isinstance(value, list):
                    unions.setdefault((key, col), set(seen[col] or [])).update(value)
                elif seen[col] is None or value < seen[col]:
                    seen[col] = value
    if len(merged) == len(rows):
        return table
    for (key, col), values in unions.items():
        merged[key][col] = sorted(values)
    ordered = sorted(merged.values(), key=lambda r: repr(tuple(r[k] for k in keys)))
    return pa.Table.from_pylist(ordered, schema=tables.SCHEMAS[name])


def _split_by_docs(all_tables: dict[str, pa.Table], doc_ids: list[str]) -> dict[str, pa.Table]:
    """The rows of `all_tables` that belong to `doc_ids` (shared tables pass through)."""
    import pyarrow.compute as pc

    wanted = pa.array(doc_ids, pa.string())
    out = {}
    for name, table in all_tables.items():
        if name in tables.DOC_TABLES:
            out[name] = table.filter(pc.is_in(table["doc_id"], value_set=wanted))
        else:
            out[name] = table
    return out

