"""Synthetic batches that fill every column of every schema: for tests and the benchmark.

Rows are built from the Arrow schemas themselves (a placeholder per type), then the ids
and relations that the loader cares about are set consistently (deterministic content
hashes, amounts pointing at their document, deals at entities). So a column added to
`transforms.contract.tables` is exercised by every warehouse test without touching them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow as pa

from transforms.contract.ids import stable_id
from transforms.contract.tables import SCHEMAS

BASE_TS = datetime(2025, 1, 1, 8, 30, tzinfo=UTC)
CURRENCIES = ("USD", "EUR", "MAD", "XOF")
PER_EUR = {"USD": 1.08, "EUR": 1.0, "MAD": 10.9, "XOF": 655.957}


def placeholder(f: pa.Field, i: int) -> Any:
    """A non-null value of the field's type that varies with `i`."""
    t = f.type
    if pa.types.is_string(t):
        return f"{f.name}-{i}"
    if pa.types.is_boolean(t):
        return i % 2 == 0
    if pa.types.is_integer(t):
        return i % 100
    if pa.types.is_floating(t):
        return i * 1.5
    if pa.types.is_date(t):
        return date(2025, 1, 1) + timedelta(days=i % 365)
    if pa.types.is_timestamp(t):
        return BASE_TS + timedelta(hours=i)
    if pa.types.is_list(t):
        return [placeholder(pa.field(f.name, t.value_type), i)]
    raise TypeError(f"no placeholder for {t}")


def make_row(table: str, i: int, **overrides: Any) -> dict[str, Any]:
    """Every column of `table` filled, then `overrides` applied (unknown names raise)."""
    schema = SCHEMAS[table]
    unknown = set(overrides) - set(schema.names)
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    row = {f.name: placeholder(f, i) for f in schema}
    row.update(overrides)
    return row


def make_table(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Arrow table of `rows` with the table's exact schema."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[table])


def entity_id(k: int) -> str:
    """Id of the k-th entity of the pool, shared by every batch so entities repeat."""
    return stable_id("entity", k)


def doc_ids(n_docs: int, *, first_doc: int = 0, version: int = 0) -> list[str]:
    """The doc ids `synthetic_batch` gives (for asserting on replaced pages)."""
    return [stable_id("doc", source_path(i), version) for i in range(first_doc, first_doc + n_docs)]


def source_path(i: int) -> str:
    """Landing path of page i: stable across versions, as a page edited in place."""
    return f"landing/site{i % 5}/page{i:06d}.txt"


def synthetic_batch(
    n_docs: int,
    *,
    first_doc: int = 0,
    version: int = 0,
    amounts_per_doc: int = 10,
    figures_per_doc: int = 2,
    mentions_per_doc: int = 2,
    n_entities: int = 50,
    hours_between_docs: float = 2.0,
    run_id: str = "run-1",
) -> dict[str, pa.Table]:
    """A consistent batch: documents with amounts, figures, mentions, one deal each.

    `version` changes the page bytes, hence the doc id and every fact id, as a changed
    page would upstream. Shared rows (entities, fx rates) repeat across documents on
    purpose, as they do in real batches.
    """
    rows: dict[str, list[dict[str, Any]]] = {n: [] for n in SCHEMAS if n != "runs"}
    fx_seen: set[tuple[date, str]] = set()
    for i in range(first_doc, first_doc + n_docs):
        path = source_path(i)
        sha = hashlib.sha256(f"{path}|{version}".encode()).hexdigest()
        doc = stable_id("doc", path, version)
        published = BASE_TS + timedelta(hours=i * hours_between_docs)
        day = published.date()
        pub = {"published_at": published, "pub_year": published.year, "pub_month": published.month}
        rows["documents"].append(
            make_row(
                "documents",
                i,
                doc_id=doc,
                source_path=path,
                raw_sha256=sha,
                site=f"site{i % 5}",
                title=f"Title {i} v{version}",
                fetched_at=published + timedelta(minutes=5),
                n_amounts=amounts_per_doc,
                n_figures=figures_per_doc,
                run_id=run_id,
                **pub,
            )
        )
        rows["document_sources"].append(
            make_row("document_sources", i, source_id=stable_id("source", path), doc_id=doc,
                     source_path=path, raw_sha256=sha, relation="first", run_id=run_id))
        rows["landing_files"].append(
            make_row("landing_files", i, path=path, kind="text", raw_sha256=sha, pages=1, run_id=run_id))
        actor, counterpart = entity_id(i % n_entities), entity_id((i + 1) % n_entities)
        event = stable_id(doc, "deal", 0)
        first_amount = None
        for j in range(amounts_per_doc):
            cur = CURRENCIES[(i + j) % len(CURRENCIES)]
            value = float((i * 31 + j * 7) % 1000 + 1) * 1e6
            usd = value / PER_EUR[cur] * PER_EUR["USD"]
            amount = stable_id(doc, "amount", j)
            first_amount = first_amount or amount
            values = {
                "value": value,
                "value_min": None,
                "value_max": None,
                "value_usd": usd,
                "value_min_usd": None,
                "value_max_usd": None,
            }
            if j % 5 == 4:  # a range "between 2 and 3 billion": no single value
                values = {
                    "value": None,
                    "value_min": value,
                    "value_max": 2 * value,
                    "value_usd": None,
                    "value_min_usd": usd,
                    "value_max_usd": 2 * usd,
                }
            missing = None
            if (i + j) % 7 == 6:  # a currency without a rate: no USD value, and why
                cur, missing = "ZZZ", "no rate for ZZZ"
                values.update(value_usd=None, value_min_usd=None, value_max_usd=None)
            rows["fact_amount"].append(
                make_row(
                    "fact_amount",
                    j,
                    amount_id=amount,
                    doc_id=doc,
                    mention_no=j,
                    currency=cur,
                    value_eur=None if missing else value / PER_EUR[cur],
                    fx_date=day,
                    fx_missing_reason=missing,
                    event_id=event if j == 0 else None,
                    **values,
                    **pub,
                )
            )
            if missing:
                continue
            if (day, cur) not in fx_seen:
                fx_seen.add((day, cur))
                rows["fx_rate"].append(
                    make_row(
                        "fx_rate",
                        j,
                        rate_date=day,
                        currency=cur,
                        per_eur=PER_EUR[cur],
                        source="ecb",
                    )
                )
        for j in range(figures_per_doc):
            rows["fact_figure"].append(
                make_row(
                    "fact_figure",
                    j,
                    figure_id=stable_id(doc, "figure", j),
                    doc_id=doc,
                    mention_no=j,
                    **pub,
                )
            )
        for j in range(mentions_per_doc):
            rows["fact_mention"].append(
                make_row(
                    "fact_mention",
                    j,
                    mention_id=stable_id(doc, "mention", j),
                    doc_id=doc,
                    entity_id=actor if j % 2 == 0 else counterpart,
                    **pub,
                )
            )
        if amounts_per_doc:
            first = rows["fact_amount"][-amounts_per_doc]
            rows["fact_deal"].append(
                make_row(
                    "fact_deal",
                    i,
                    event_id=event,
                    doc_id=doc,
                    event_type="investment",
                    actor_id=actor,
                    counterpart_id=counterpart,
                    amount_id=first_amount,
                    value=first["value"],
                    currency=first["currency"],
                    value_usd=first["value_usd"],
                    type_confidence=0.9,
                    actor_confidence=0.9,
                    counterpart_confidence=0.9,
                    **pub,
                )
            )
        for k, ent in ((i % n_entities, actor), ((i + 1) % n_entities, counterpart)):
            rows["dim_entity"].append(
                make_row(
                    "dim_entity",
                    k,
                    entity_id=ent,
                    name=f"Entity {k}",
                    kind="org",
                    aliases=[f"E{k}", f"alias-{i % 3}"],
                )
            )
    for n, cur in enumerate(CURRENCIES):
        rows["dim_currency"].append(make_row("dim_currency", n, currency=cur, fx_method="ecb"))
    return {n: make_table(n, r) for n, r in rows.items()}
