"""Prefect tasks: one call per batch of pages, each a thin wrapper over pure code.

Caching is off (`NO_CACHE`): inputs are large batches whose hashing would cost more than
the work, and Prefect's default policy only caches within one flow run anyway.
Retries with backoff guard the I/O tasks (reading the landing folder, writing DuckDB
and Parquet) against transient errors such as a briefly locked file.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsfacts.resources import LandingFile, list_landing, read_page
from transforms.contract.pages import Page, RawPage, Rejection

IO_RETRIES = {"retries": 3, "retry_delay_seconds": [0.5, 2.0, 5.0]}


@dataclass(slots=True)
class IngestResult:
    """A batch after reading: files to process, how many were unchanged, rejections.

    Only the files are kept, not their bytes: the transform pass reads them again (a
    cost in proportion to the new pages), so no run holds the corpus in memory.
    `lines` are each new or changed page's recurrence keys for the furniture statistics.
    """

    to_process: list[LandingFile] = field(default_factory=list)
    changed_paths: list[str] = field(default_factory=list)
    unchanged: int = 0
    new: int = 0
    changed: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    lines: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(slots=True)
class TransformResult:
    """A batch's validated tables, its quarantine rows and the seconds of each stage."""

    tables: dict[str, pa.Table]
    rejections: list[Rejection]
    quarantine: pa.Table
    rows_quarantined: int
    gx_summary: dict | None
    gx_success: bool | None
    seconds: dict[str, float]


@task(name="discover", cache_policy=NO_CACHE, **IO_RETRIES)
def discover(input_dir: str, settle_seconds: float) -> tuple[list[LandingFile], list[LandingFile]]:
    return list_landing(Path(input_dir), settle_seconds=settle_seconds)


@task(name="ingest", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_batch(entries: list[LandingFile], known: Mapping[str, str], max_bytes: int) -> IngestResult:
    """Read a batch of files; keep new and changed pages, count unchanged ones.

    `known` maps this batch's paths to their loaded hashes. Every decodable new or
    changed page contributes its recurrence keys to `lines`, which the flow records in
    the warehouse's furniture statistics before any page of the run is cleaned.
    """
    from transforms.page.clean import page_line_keys
    from transforms.page.ingest import decode_page
    from transforms.page.sites import page_site

    t0 = time.perf_counter()
    out = IngestResult()
    for entry in entries:
        try:
            raw = read_page(entry)
        except OSError as exc:
            out.rejections.append(Rejection(entry.source_path, "ingest", "unreadable", str(exc)))
            continue
        sha = hashlib.sha256(raw.raw).hexdigest()
        previous = known.get(raw.source_path)
        if previous == sha:
            out.unchanged += 1
            continue
        decoded = decode_page(raw, max_bytes=max_bytes)
        if not isinstance(decoded, Rejection):
            out.lines.append((page_site(raw) or "", raw.source_path, page_line_keys(decoded[0])))
        if previous is None:
            out.new += 1
        else:
            out.changed += 1
            out.changed_paths.append(raw.source_path)
        out.to_process.append(entry)
    out.seconds = time.perf_counter() - t0
    return out


@task(name="clean", cache_policy=NO_CACHE)
def clean_batch(raws: list[RawPage], furniture: Mapping[str, frozenset[str]], max_bytes: int,
                site_tz: Mapping[str, str], site_country: Mapping[str, str],
                ) -> tuple[list[Page], list[Rejection], float]:
    """Decode, clean and date a batch; `furniture` is the whole site -> lines mapping."""
    from transforms.page.ingest import prepare_page

    t0 = time.perf_counter()
    pages: list[Page] = []
    rejections: list[Rejection] = []
    for raw in raws:
        result = prepare_page(raw, furniture=furniture, max_bytes=max_bytes, site_tz=site_tz,
                              site_country=site_country)
        (rejections if isinstance(result, Rejection) else pages).append(result)
    return pages, rejections, time.perf_counter() - t0


@task(name="extract", cache_policy=NO_CACHE)
def extract_batch(pages: list[Page], run_id: str, site_country: Mapping[str, str]):
    from transforms.rows.batch import extract_batch as run_extract

    return run_extract(pages, run_id, country_overrides=site_country)


@task(name="normalise", cache_policy=NO_CACHE)
def normalise_batch(batch_tables: dict[str, pa.Table], carry_forward_days: int = 0,
                    ) -> tuple[dict[str, pa.Table], float]:
    from newsfacts.resources import rate_book
    from transforms.money.normalise import normalise_amounts

    t0 = time.perf_counter()
    from transforms.rows.facts import with_deal_usd

    amounts, fx = normalise_amounts(batch_tables["fact_amount"],
                                   rate_book(carry_forward_days))
    out = dict(batch_tables, fact_amount=amounts, fx_rate=fx)
    if "fact_deal" in out:
        out["fact_deal"] = with_deal_usd(out["fact_deal"], amounts)
    return out, time.perf_counter() - t0


@task(name="validate", cache_policy=NO_CACHE)
def validate(batch_tables: dict[str, pa.Table], docs_dir: str | None):
    from expectations.validate import validate_tables
    from transforms.money.currencies import CURRENCIES

    t0 = time.perf_counter()
    outcome = validate_tables(batch_tables, currencies=set(CURRENCIES),
                              docs_dir=Path(docs_dir) if docs_dir else None)
    return outcome, time.perf_counter() - t0


@task(name="load", cache_policy=NO_CACHE, **IO_RETRIES)
def load_batch(warehouse, batch_tables: dict[str, pa.Table], replace_paths: list[str]) -> float:
    t0 = time.perf_counter()
    warehouse.load_batch(batch_tables, replace_source_paths=replace_paths)
    return time.perf_counter() - t0


@task(name="export", cache_policy=NO_CACHE, **IO_RETRIES)
def export(warehouse, exports_dir: str, only: tuple[str, ...] | None = None,
           incremental: bool = False) -> float:
    """Export to Parquet; `incremental`: only the partitions loaded since the last export."""
    from warehouse.export import clear_pending, export_all, pending

    t0 = time.perf_counter()
    parts = pending(warehouse.con) if incremental else None
    export_all(warehouse, Path(exports_dir), only=only, partitions=parts)
    if parts:
        clear_pending(warehouse.con, parts)
    return time.perf_counter() - t0


@task(name="transform", cache_policy=NO_CACHE, **IO_RETRIES)
def transform_batch(entries: list[LandingFile], furniture: Mapping[str, frozenset[str]],
                    run_id: str, options: Mapping) -> TransformResult:
    """Every CPU stage of one batch, where the task runner puts it (a Dask worker).

    Reads the files again (they are not shipped from the flow), then clean, extract,
    normalise and, with `options["validate"]`, validate; each is its own task run, so
    the log and the UI show the stages. `options`: max_bytes, site_tz, site_country,
    fx_carry_forward_days, validate, docs_dir (Data Docs; the flow asks for them on
    the run's last batch only, so one process writes them).
    """
    from datetime import UTC, datetime

    from transforms.rows.quarantine import page_rejections, row_rejections, sha256_hex

    raws, rejections = [], []
    for entry in entries:
        try:
            raws.append(read_page(entry))
        except OSError as exc:
            rejections.append(Rejection(entry.source_path, "ingest", "unreadable", str(exc)))
    sha_by_path = {r.source_path: sha256_hex(r.raw) for r in raws}
    pages, rej, dt = clean_batch(raws, furniture, options["max_bytes"], options["site_tz"],
                                 options["site_country"])
    del raws
    rejections.extend(rej)
    seconds = {"clean": dt}
    extracted = extract_batch(pages, run_id, options["site_country"])
    for k, v in extracted.seconds.items():
        seconds[k] = seconds.get(k, 0.0) + v
    tables, dt = normalise_batch(extracted.tables, options["fx_carry_forward_days"])
    seconds["normalise"] = dt
    quarantine = [page_rejections(rejections, run_id, datetime.now(UTC), sha_by_path)]
    gx_summary, gx_success, rows_quarantined = None, None, 0
    if options["validate"] and tables["documents"].num_rows:
        docs = tables["documents"]
        path_by_doc = dict(zip(docs["doc_id"].to_pylist(),
                               zip(docs["source_path"].to_pylist(),
                                   docs["raw_sha256"].to_pylist(), strict=True), strict=True))
        outcome, dt = validate(tables, options.get("docs_dir"))
        seconds["validate"] = dt
        tables = outcome.tables
        gx_summary, gx_success = outcome.summary, outcome.success
        rejected = row_rejections(outcome.rejected, run_id, datetime.now(UTC), path_by_doc)
        rows_quarantined = rejected.num_rows
        quarantine.append(rejected)
    return TransformResult(tables, rejections, pa.concat_tables(quarantine), rows_quarantined,
                           gx_summary, gx_success, seconds)
