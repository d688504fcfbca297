"""Helper columns for checks GX cannot express on one column: joins and arithmetic.

Each function takes an Arrow table and returns a non-null boolean array, one value per
row, that the suites then expect to be all true (`rules.is_true`). Computing them in
Arrow (vectorised) or one plain loop keeps 100,000 rows in milliseconds, and keeping
them non-null means a missing input reads as a failure or as "not applicable" by an
explicit decision here, never by GX's null-skipping.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

REL_TOL = 1e-9

DocText = dict[str, tuple[str | None, str | None]]  # doc_id -> (title, body)


def doc_text(documents: pa.Table | None) -> DocText | None:
    """doc_id -> (title, body) of the batch's documents, or None without a documents table."""
    if documents is None:
        return None
    ids = documents.column("doc_id").to_pylist()
    titles = documents.column("title").to_pylist()
    bodies = documents.column("body").to_pylist()
    return {d: (t, b) for d, t, b in zip(ids, titles, bodies, strict=True) if d is not None}


def doc_in_batch(table: pa.Table, docs: DocText) -> pa.Array:
    ids = table.column("doc_id").to_pylist()
    return pa.array([d in docs for d in ids], pa.bool_())


def surface_matches(table: pa.Table, docs: DocText) -> pa.Array:
    """surface == body[body_start:body_end]; for a title span (no body offsets), surface in title.

    Title spans carry raw offsets only and the documents table does not keep where the
    title starts in the raw text, so the strongest check available is containment.
    A row whose document is not in the batch passes here: `doc_id_in_documents` rejects
    it under its own, clearer name.
    """
    out: list[bool] = []
    cols = [table.column(c).to_pylist() for c in ("doc_id", "surface", "body_start", "body_end")]
    for doc_id, surface, start, end in zip(*cols, strict=True):
        text = docs.get(doc_id)
        if text is None:
            out.append(True)
        elif surface is None:
            out.append(False)
        elif start is None and end is None:
            title = text[0]
            out.append(bool(surface) and title is not None and surface in title)
        elif start is None or end is None or start < 0 or text[1] is None:
            out.append(False)
        else:
            out.append(text[1][start:end] == surface)
    return pa.array(out, pa.bool_())


def sentence_holds_span(table: pa.Table) -> pa.Array:
    """sentence_start <= body_start < body_end <= sentence_end for a body span; a title
    span (no body offsets) has no sentence bounds either."""
    start, end = table.column("body_start"), table.column("body_end")
    s_start, s_end = table.column("sentence_start"), table.column("sentence_end")
    inside = pc.and_(pc.less_equal(s_start, start), pc.less_equal(end, s_end))
    title = pc.and_(pc.and_(pc.is_null(start), pc.is_null(end)),
                    pc.and_(pc.is_null(s_start), pc.is_null(s_end)))
    return as_check(pc.or_(title, pc.fill_null(inside, False)))


def product_matches(table: pa.Table, value: str, rate: str, result: str) -> pa.Array:
    """result == value * rate within REL_TOL; both null when either input is null.

    A result without its inputs (or inputs without a result) is as wrong as a bad
    product: the first is an invented conversion, the second a dropped one.
    """
    expected = pc.multiply(table.column(value), table.column(rate))
    actual = table.column(result)
    both_null = pc.and_(pc.is_null(actual), pc.is_null(expected))
    tolerance = pc.multiply(pc.abs(expected), REL_TOL)
    close = pc.less_equal(pc.abs(pc.subtract(actual, expected)), tolerance)
    return as_check(pc.or_(both_null, pc.fill_null(close, False)))


def pub_period_matches(table: pa.Table) -> pa.Array:
    """pub_year/pub_month are the year/month of the publication day (all null is fine).

    The day is `published_date` (the site's local day) where the table has it, else the
    UTC day of `published_at`.
    """
    published = table.column("published_at")
    if "published_date" in table.column_names:
        published = pc.coalesce(table.column("published_date"),
                                pc.cast(pc.cast(published, pa.timestamp("us", tz="UTC")), pa.date32()))
    year, month = table.column("pub_year"), table.column("pub_month")
    same = pc.and_(
        pc.equal(pc.year(published), pc.cast(year, pa.int64())),
        pc.equal(pc.month(published), pc.cast(month, pa.int64())),
    )
    all_null = pc.and_(pc.is_null(published), pc.and_(pc.is_null(year), pc.is_null(month)))
    return as_check(pc.or_(all_null, pc.fill_null(same, False)))


def any_present(table: pa.Table, columns: tuple[str, ...]) -> pa.Array:
    present = [pc.is_valid(table.column(c)) for c in columns]
    out = present[0]
    for p in present[1:]:
        out = pc.or_(out, p)
    return as_check(out)


def present_if(table: pa.Table, condition: pa.Array, columns: tuple[str, ...]) -> pa.Array:
    """Where `condition` holds, every one of `columns` is present."""
    present = pc.is_valid(table.column(columns[0]))
    for c in columns[1:]:
        present = pc.and_(present, pc.is_valid(table.column(c)))
    return as_check(pc.or_(pc.invert(condition), present))


def as_check(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One non-null boolean chunk (nulls read as failure)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.bool_())
    return pc.fill_null(arr, False)
