"""Marts: the analyst views exported as Parquet beside the tables, ready for BI tools.

Without them every dashboard or notebook must rebuild the joins of `v_deals` and
friends over the star tables. Each mart is written from the same snapshot (transaction)
as the tables, partitioned like them (`pub_year`/`pub_month`, 0/0 for rows with no
publication date, one empty file when empty), sorted by its key, and published with the
same atomic rename as the tables (`warehouse.export` does the publishing). Their columns
and types are derived from the view SQL run over empty tables, so `_schema.json` cannot
disagree with the files; the meaning of each column is written here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.contract.tables import SCHEMAS
from warehouse.partition_copy import PARTITION_COLS, UNKNOWN_PARTITION, copy_partitioned
from warehouse.schema import VIEW_DESCRIPTIONS, VIEWS, quote, table_ddl

# Mart name -> the columns that identify a row (the sort order of the files).
MART_KEYS: dict[str, tuple[str, ...]] = {
    "v_amounts": ("amount_id",),
    "v_deals": ("event_id",),
    "v_entity_totals": ("entity_id", "pub_year", "pub_month"),
}

_PAGE = {
    "doc_id": "Page id (content hash); joins documents.doc_id.",
    "site": "Site the page was scraped from (host name).",
    "url": "Address of the source page.",
    "title": "Title of the page.",
    "lang": "Language of the page (ISO 639-1).",
    "published_at": "Publication instant (UTC).",
    "published_day": "Publication day in the site's local calendar (picks the FX rate).",
    "pub_year": "Publication year (partition; 0 in the files' folder when unknown).",
    "pub_month": "Publication month 1-12 (partition; 0 in the folder when unknown).",
}

MART_COLUMNS: dict[str, dict[str, str]] = {
    "v_amounts": {
        "amount_id": "Amount id (content hash); joins fact_amount.amount_id.",
        **_PAGE,
        "published_local": "Publication time as written for the site's zone (ISO 8601).",
        "surface": "The amount exactly as written in the page.",
        "sentence": "The sentence that holds the amount, the one sentence_no counts (cut at "
        "fact_amount.sentence_start/sentence_end); the title for a title amount.",
        "value": "Parsed value in base units of `currency` (null for a range).",
        "value_min": "Lower bound of a range or open bound, base units.",
        "value_max": "Upper bound of a range or open bound, base units.",
        "currency": "ISO 4217 currency code.",
        "qualifier": "exact, approx, estimated, at_least, at_most or vague.",
        "in_title": "True when the amount is in the page title.",
        "implied": "True when the currency or scale came from an earlier amount of the page, not the figure's own words.",
        "furniture": "True when the amount stands on a widget line (ticker, price box), not in the article.",
        "value_usd": "Value in US dollars at the publication day's rate (null: see fx_missing_reason).",
        "value_eur": "Value in euros at the publication day's rate.",
        "value_min_usd": "value_min in US dollars.",
        "value_max_usd": "value_max in US dollars.",
        "fx_date": "Date of the exchange rate used.",
        "fx_source": "Where the rate came from: identity, ecb, peg, bam_basket_v1 ...",
        "fx_missing_reason": "Why no USD value could be computed (null when converted).",
        "event_id": "Deal event the amount belongs to; joins v_deals.event_id.",
        "sentence_no": "Number of the amount's sentence in the page body, from 1 (0 in the title).",
        "mention_no": "Index of the amount in the page.",
    },
    "v_deals": {
        "event_id": "Deal event id (content hash); joins fact_deal.event_id.",
        **{k: v for k, v in _PAGE.items() if k != "lang"},
        "event_type": "investment, acquisition, stake_sale, fundraising, valuation, "
        "financing, loan, revenue, profit, loss, project_cost, budget, fine or other.",
        "status": "announced, planned, completed, rumoured, denied or estimated.",
        "actor_id": "Entity that acts (invests, buys, lends ...); joins dim_entity.",
        "actor": "Canonical name of the actor.",
        "counterpart_id": "Entity on the other side (target, borrower ...); joins dim_entity.",
        "counterpart": "Canonical name of the counterpart.",
        "value": "Amount of the deal in base units of `currency`.",
        "currency": "ISO 4217 currency code of `value`.",
        "value_usd": "Amount in US dollars at the publication day's rate.",
        "value_usd_text": "value_usd for people, e.g. '$1.23bn'.",
        "amount_id": "The amount the event was read from; joins v_amounts.amount_id.",
        "amount_surface": "That amount as written in the page.",
        "type_confidence": "How far to trust event_type, in [0, 1].",
        "actor_confidence": "How far to trust the actor, in [0, 1]; shown from the view's floor.",
        "counterpart_confidence": "How far to trust the counterpart, in [0, 1].",
    },
    "v_entity_totals": {
        "entity_id": "Entity id; joins dim_entity.entity_id.",
        "name": "Canonical name of the entity.",
        "kind": "org, person, project, fund or government.",
        "pub_year": _PAGE["pub_year"],
        "pub_month": _PAGE["pub_month"],
        "month": "First day of the publication month (null when unknown).",
        "committed_usd": "USD committed as actor that month (flows only, not results).",
        "received_usd": "USD received as counterpart that month.",
        "n_deals_as_actor": "Deals where the entity is the actor.",
        "n_deals_as_counterpart": "Deals where the entity is the counterpart.",
        "n_deals_without_usd": "Deals with no USD value, missing from the sums.",
    },
}

def mart_columns() -> dict[str, list[tuple[str, str]]]:
    """Per mart, `(column, duckdb type)` in file order, from the views over empty tables."""
    con = duckdb.connect()
    try:
        for name in SCHEMAS:
            con.execute(table_ddl(name))
        out = {}
        for name in MART_KEYS:
            con.execute(f"CREATE VIEW {quote(name)} AS {VIEWS[name].strip()}")
            rows = con.execute(f"DESCRIBE SELECT * FROM {quote(name)}").fetchall()
            out[name] = [(r[0], r[1]) for r in rows]
        return out
    finally:
        con.close()


def copy_mart(con: duckdb.DuckDBPyConnection, name: str, dest: Path,
              partitions: list[tuple[int, int]] | None = None) -> int:
    """Write one mart under `dest` (a folder, partitioned); returns its row count.

    With `partitions`, only those (pub_year, pub_month) partitions (no empty
    placeholder file), as for the tables: a mart's row of a month is made of that
    month's documents and facts, and of entity names and kinds, which a later load
    never changes (dim_entity keeps the first values), so the other months' files stay
    right.
    """
    order = ", ".join(quote(k) for k in MART_KEYS[name])
    # The view runs inline (not by name), so a warehouse created before the view existed
    # still exports it; partition keys with no date go to 0/0 as for the tables.
    select = "* REPLACE (" + ", ".join(
        f"CAST(coalesce({quote(c)}, {UNKNOWN_PARTITION}) AS INTEGER) AS {quote(c)}"
        for c in PARTITION_COLS
    ) + ")"
    return copy_partitioned(con, select, f"({VIEWS[name].strip()}) AS m", order, dest,
                            partitions)


def marts_document() -> dict:
    """The `marts` section of `_schema.json`: description, layout and columns of each."""
    cols = mart_columns()
    out = {}
    for name, key in MART_KEYS.items():
        meaning = MART_COLUMNS[name]
        out[name] = {
            "description": VIEW_DESCRIPTIONS.get(name, ""),
            "glob": f"{name}/**/*.parquet",
            "primary_key": list(key),
            "sorted_by": list(key),
            "partitioned_by": list(PARTITION_COLS),
            "columns": [
                {
                    "name": c,
                    "duckdb_type": t,
                    "in_file": c not in PARTITION_COLS,
                    "description": meaning.get(c, ""),
                }
                for c, t in cols[name]
            ],
        }
    return out
