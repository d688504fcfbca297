"""Values for columns that an older warehouse gains on migration.

`ensure_schema` adds a new column as NULL on the rows already loaded. Where the value
can be derived from what the warehouse already holds, it is filled here once, in the
migration's transaction, so old and new rows answer the views the same way instead of
old rows quietly showing less.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from transforms.rows.facts import sentence_bounds

_CHUNK = 10_000


def sentence_bounds_backfill(con: duckdb.DuckDBPyConnection) -> int:
    """fact_amount.sentence_start/_end of body amounts loaded before the columns existed.

    Cut with the same splitter as new rows (`sentence_bounds` over documents.body).
    Returns the number of rows filled.
    """
    # One row per document (its body once), read in chunks: bodies are most of a
    # warehouse's bytes. Only small ints are kept for the update that follows.
    cur = con.execute(
        "SELECT d.body, list(a.amount_id ORDER BY a.body_start, a.amount_id), "
        "list(a.body_start ORDER BY a.body_start, a.amount_id), "
        "list(a.body_end ORDER BY a.body_start, a.amount_id) "
        "FROM fact_amount AS a JOIN documents AS d ON d.doc_id = a.doc_id "
        "WHERE a.body_start IS NOT NULL AND a.body_end IS NOT NULL "
        "AND a.sentence_start IS NULL AND d.body IS NOT NULL GROUP BY d.doc_id, d.body"
    )
    ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    while docs := cur.fetchmany(1_000):
        for body, amounts, body_starts, body_ends in docs:
            bounds = sentence_bounds(body, zip(body_starts, body_ends, strict=True))
            ids += amounts
            starts += [s for _, s, _ in bounds]
            ends += [e for _, _, e in bounds]
    for i in range(0, len(ids), _CHUNK):
        chunk = pa.table({"amount_id": ids[i:i + _CHUNK],
                          "s": pa.array(starts[i:i + _CHUNK], pa.int32()),
                          "e": pa.array(ends[i:i + _CHUNK], pa.int32())})
        con.register("_sentence_bounds", chunk)
        try:
            con.execute("UPDATE fact_amount SET sentence_start = b.s, sentence_end = b.e "
                        "FROM _sentence_bounds AS b WHERE fact_amount.amount_id = b.amount_id")
        finally:
            con.unregister("_sentence_bounds")
    return len(ids)


# (table, column) -> how to fill it on the rows an older warehouse already holds.
BACKFILLS: dict[tuple[str, str], Callable[[duckdb.DuckDBPyConnection], int]] = {
    ("fact_amount", "sentence_start"): sentence_bounds_backfill,
}
