"""Arrow schemas of every fact table: the one place column names and types are defined.

The warehouse derives its DuckDB DDL from these, the expectations validate frames of
these shapes, and the exports write them, so a column added here flows everywhere.
Timestamps are stored in UTC (`timestamp[us, tz=UTC]`); local publication time is kept
as `published_local` text with the site's zone in `tz`, so analysts get both. The
publication day (`published_date`) is the site's local calendar day: "12 mars 2025" on a
Paris site is 12 March even though its UTC instant falls on the 11th. It picks the
exchange rate and the partition (`pub_year`, `pub_month`).
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("url", pa.string()),
        ("site", pa.string()),
        ("lang", pa.string()),
        ("title", pa.string()),
        ("published_at", TS),
        ("published_date", pa.date32()),  # local calendar day at the site
        ("published_local", pa.string()),
        ("published_text", pa.string()),
        ("published_source", pa.string()),  # "page" (found in the text) or "fetched_at"
        ("fetched_at", TS),
        ("tz", pa.string()),
        ("encoding", pa.string()),
        ("body", pa.string()),
        ("raw_sha256", pa.string()),
        ("body_key", pa.string()),  # transforms.page.identity.body_key: same article, any format
        ("source_kind", pa.string()),  # "text" or "html" (a WARC record is one or the other)
        ("n_amounts", pa.int32()),
        ("n_figures", pa.int32()),
        ("run_id", pa.string()),
        ("pub_year", pa.int16()),
        ("pub_month", pa.int8()),
    ]
)

FACT_AMOUNT = pa.schema(
    [
        ("amount_id", pa.string()),
        ("doc_id", pa.string()),
        ("mention_no", pa.int32()),
        ("sentence_no", pa.int32()),
        # Body offsets of the sentence that sentence_no counts (transforms.rows.facts.
        # sentence_bounds); null for a title mention. v_amounts quotes the sentence by them.
        pa.field("sentence_start", pa.int32(), metadata={
            "description": "Body offset where the amount's sentence starts (the sentence "
            "sentence_no counts); null for an amount in the title."}),
        pa.field("sentence_end", pa.int32(), metadata={
            "description": "Body offset just past the amount's sentence; null for an "
            "amount in the title."}),
        ("raw_start", pa.int32()),
        ("raw_end", pa.int32()),
        ("body_start", pa.int32()),  # null for a title mention
        ("body_end", pa.int32()),
        ("surface", pa.string()),
        ("value", pa.float64()),
        ("value_min", pa.float64()),
        ("value_max", pa.float64()),
        ("currency", pa.string()),
        ("qualifier", pa.string()),
        ("in_title", pa.bool_()),
        ("implied", pa.bool_()),  # currency or scale taken from an earlier amount of the page
        ("furniture", pa.bool_()),  # on a widget line (ticker, price box), not article text
        ("usd_per_unit", pa.float64()),
        ("eur_per_unit", pa.float64()),
        ("value_usd", pa.float64()),
        ("value_eur", pa.float64()),
        ("value_min_usd", pa.float64()),
        ("value_max_usd", pa.float64()),
        ("fx_date", pa.date32()),
        ("fx_source", pa.string()),
        ("fx_missing_reason", pa.string()),
        ("event_id", pa.string()),
        ("published_at", TS),
        ("published_date", pa.date32()),  # local calendar day at the site
        ("pub_year", pa.int16()),
        ("pub_month", pa.int8()),
    ]
)

FACT_FIGURE = pa.schema(
    [
        ("figure_id", pa.string()),
        ("doc_id", pa.string()),
        ("mention_no", pa.int32()),
        ("kind", pa.string()),  # percent | quantity | count
        ("raw_start", pa.int32()),
        ("raw_end", pa.int32()),
        ("body_start", pa.int32()),
        ("body_end", pa.int32()),
        ("surface", pa.string()),
        ("value", pa.float64()),
        ("min", pa.float64()),
        ("max", pa.float64()),
        ("unit", pa.string()),
        ("si_value", pa.float64()),
        ("si_min", pa.float64()),
        ("si_max", pa.float64()),
        ("si_unit", pa.string()),
        ("counted_noun", pa.string()),
        ("qualifier", pa.string()),
        ("in_title", pa.bool_()),
        ("published_at", TS),
        ("published_date", pa.date32()),  # local calendar day at the site
        ("pub_year", pa.int16()),
        ("pub_month", pa.int8()),
    ]
)

DIM_ENTITY = pa.schema(
    [
        ("entity_id", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),  # org | person | project | fund
        ("aliases", pa.list_(pa.string())),
    ]
)

FACT_MENTION = pa.schema(
    [
        ("mention_id", pa.string()),
        ("doc_id", pa.string()),
        ("entity_id", pa.string()),
        ("surface", pa.string()),
        ("raw_start", pa.int32()),
        ("raw_end", pa.int32()),
        ("body_start", pa.int32()),
        ("body_end", pa.int32()),
        ("in_title", pa.bool_()),
        ("resolved_from", pa.string()),  # "name" | "alias" | "description" | "pronoun"
        ("published_at", TS),
        ("published_date", pa.date32()),  # local calendar day at the site
        ("pub_year", pa.int16()),
        ("pub_month", pa.int8()),
    ]
)

FACT_DEAL = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("event_type", pa.string()),
        ("status", pa.string()),
        ("actor_id", pa.string()),
        ("counterpart_id", pa.string()),
        ("amount_id", pa.string()),
        ("value", pa.float64()),
        ("currency", pa.string()),
        ("value_usd", pa.float64()),
        ("published_at", TS),
        ("published_date", pa.date32()),  # local calendar day at the site
        ("pub_year", pa.int16()),
        ("pub_month", pa.int8()),
        # transforms.deals.confidence: how far to trust the type and each role, in [0, 1];
        # a role under confidence.ROLE_FLOOR is left null (its mention stays)
        ("type_confidence", pa.float32()),
        ("actor_confidence", pa.float32()),
        ("counterpart_confidence", pa.float32()),
    ]
)

FX_RATE = pa.schema(
    [
        ("rate_date", pa.date32()),
        ("currency", pa.string()),
        ("per_eur", pa.float64()),  # units of `currency` for one euro
        ("source", pa.string()),
    ]
)

DIM_CURRENCY = pa.schema(
    [
        ("currency", pa.string()),
        ("name", pa.string()),
        ("minor_units", pa.int8()),
        ("fx_method", pa.string()),  # ecb | peg | basket | none
    ]
)

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("flow_run_id", pa.string()),
        ("started", TS),
        ("finished", TS),
        ("input_dir", pa.string()),
        ("status", pa.string()),
        ("pages_seen", pa.int32()),
        ("pages_new", pa.int32()),
        ("pages_changed", pa.int32()),
        ("pages_unchanged", pa.int32()),
        ("pages_waiting", pa.int32()),
        ("pages_quarantined", pa.int32()),
        ("pages_loaded", pa.int32()),
        ("pages_duplicate", pa.int32()),  # copies of a document (same bytes or same body)
        ("records_skipped", pa.int32()),  # WARC records that are not pages (requests, images...)
        ("accounted", pa.bool_()),  # seen = loaded + unchanged + duplicate + waiting + quarantined
        ("rows_quarantined", pa.int32()),
        ("n_amounts", pa.int32()),
        ("n_figures", pa.int32()),
        ("stage_seconds", pa.string()),  # JSON object stage -> seconds
        ("gx_success", pa.bool_()),
        ("gx_summary", pa.string()),  # JSON: per suite, evaluated / successful / failed names
    ]
)

QUARANTINE = pa.schema(
    [
        ("quarantine_id", pa.string()),
        ("run_id", pa.string()),
        ("source_path", pa.string()),
        ("raw_sha256", pa.string()),
        ("doc_id", pa.string()),
        ("stage", pa.string()),  # ingest | clean | extract | validate
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("table_name", pa.string()),  # for validation failures: the table of the row
        ("row_id", pa.string()),
        ("expectation", pa.string()),
        ("row_json", pa.string()),
        ("quarantined_at", TS),
    ]
)

# Every path or URI that carried a document: the page that made it ("first") and its
# copies, byte for byte ("same_bytes") or the same article text in another form, such as
# the .html of a .txt ("same_body"). One row per source; a source that changes replaces it.
DOCUMENT_SOURCES = pa.schema(
    [
        ("source_id", pa.string()),  # hash of source_path
        ("doc_id", pa.string()),
        ("source_path", pa.string()),  # file path, or path#record-id for a WARC record
        ("uri", pa.string()),  # the page's URL (a WARC record's target URI)
        ("record_id", pa.string()),  # WARC-Record-ID, when the source is a WARC record
        ("kind", pa.string()),  # text | html
        ("raw_sha256", pa.string()),
        ("body_key", pa.string()),
        ("relation", pa.string()),  # first | same_bytes | same_body
        ("run_id", pa.string()),  # the run that recorded it
    ]
)

# The landing folder's files as last read: a file whose size and mtime are unchanged is
# not read again (a WARC counts its `pages` as unchanged); one whose stat changed is read
# and hashed, and is unchanged still when its bytes are.
LANDING_FILES = pa.schema(
    [
        ("path", pa.string()),
        ("kind", pa.string()),  # text | html | warc
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("raw_sha256", pa.string()),  # whole file (null for a file refused unread)
        ("pages", pa.int32()),  # pages it counts for (a WARC: its page records)
        ("run_id", pa.string()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "fact_amount": FACT_AMOUNT,
    "fact_figure": FACT_FIGURE,
    "dim_entity": DIM_ENTITY,
    "fact_mention": FACT_MENTION,
    "fact_deal": FACT_DEAL,
    "fx_rate": FX_RATE,
    "dim_currency": DIM_CURRENCY,
    "runs": RUNS,
    "quarantine": QUARANTINE,
    "document_sources": DOCUMENT_SOURCES,
    "landing_files": LANDING_FILES,
}

# Primary key of each table (the loader's delete/insert and the GX uniqueness checks).
KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "fact_amount": ("amount_id",),
    "fact_figure": ("figure_id",),
    "dim_entity": ("entity_id",),
    "fact_mention": ("mention_id",),
    "fact_deal": ("event_id",),
    "fx_rate": ("rate_date", "currency"),
    "dim_currency": ("currency",),
    "runs": ("run_id",),
    "quarantine": ("quarantine_id",),
    "document_sources": ("source_id",),
    "landing_files": ("path",),
}

# Tables whose rows belong to one document: a changed page replaces exactly these rows.
DOC_TABLES = ("documents", "fact_amount", "fact_figure", "fact_mention", "fact_deal")

# How shared (non-document) tables absorb incoming rows, in a chunk (transforms.rows.merge)
# and in the warehouse (warehouse.store) alike: one policy for both.
MERGE_TABLES = ("dim_entity",)  # insert new ids; merge list columns, keep other values
