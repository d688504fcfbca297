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
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.execution import Parcel
from newsfacts.resources import LandingFile, read_page, take_listing
from newsfacts.sources.pages import PageRef
from transforms.contract.pages import Page, RawPage, Rejection
from warehouse.known import KnownPages

IO_RETRIES = {"retries": 3, "retry_delay_seconds": [0.5, 2.0, 5.0]}


# Text pages unchanged by stat were once read again for their lines, so the per-site
# furniture statistics covered every page. The statistics are now kept in the warehouse
# (warehouse/furniture.py: each text page's keys recorded when a run first reads it), so
# an unchanged file is never opened.
READ_UNCHANGED_FOR_FURNITURE = False
WINDOW = 256  # pages of one WARC decided at a time: memory bounded by this, not the archive


@dataclass(slots=True)
class IngestResult:
    """A batch after reading: pages to process, unchanged and duplicate ones, rejections.

    Only where each page to process lies is kept (`PageRef`), not its bytes: the
    transform pass reads it again (a cost in proportion to the new pages), so no run
    holds the corpus in memory. `seen` counts pages, not files: a WARC is as many pages
    as it has page records. `copies` are document_sources rows of duplicates, `files`
    landing_files rows of the files read (both written by `record_sources` once the
    run's documents are loaded). `lines` are the recurrence keys of each text page read,
    for the furniture statistics (warehouse/furniture.py).
    """

    to_process: list[PageRef] = field(default_factory=list)
    changed_paths: list[str] = field(default_factory=list)
    seen: int = 0
    unchanged: int = 0
    new: int = 0
    changed: int = 0
    duplicate: int = 0
    records_skipped: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    lines: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    copies: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    seconds: float = 0.0


@task(name="discover", cache_policy=NO_CACHE, **IO_RETRIES)
def discover(input_dir: str, settle_seconds: float) -> tuple[list[LandingFile], list[LandingFile]]:
    """The landing folder's page files, ready and waiting (the pre-check's listing when
    `newsfacts run` made one seconds ago: `resources.take_listing`)."""
    return take_listing(Path(input_dir), settle_seconds)


@task(name="ingest", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_batch(entries: Parcel[list[LandingFile]], known: Mapping[str, str], max_bytes: int,
                 run_id: str = "") -> IngestResult:
    """Read a batch of files; keep new and changed pages, count unchanged and duplicate ones.

    A file whose size and mtime are those recorded last time is unchanged without being
    read (`known` is a warehouse.known.KnownPages; a plain mapping skips that and the
    duplicate checks). A page whose bytes equal a document of another path (or an
    earlier page of this run) is a duplicate: recorded as a source of that document,
    never processed. Every decodable text page read (new, changed, unchanged by hash or
    a copy) contributes its recurrence keys to `lines`, which the flow records in the
    warehouse's furniture statistics before any page of the run is cleaned.
    """
    from newsfacts.sources.pages import FileCounts, iter_file_refs

    t0 = time.perf_counter()
    entries = entries.value
    out = IngestResult()
    manifest = known if isinstance(known, KnownPages) else None
    if manifest is not None:  # one query for the batch's files to read, not one per file
        manifest.prefetch(e.source_path for e in entries if e.kind != "warc"
                          and manifest.unchanged_file(e.source_path, e.size, e.mtime_ns) is None)
    # Pages are decided a window at a time, across files (one DuckDB lookup per window,
    # not per file); a window holds at most WINDOW pages' bytes.
    window: list[tuple[RawPage, PageRef, str]] = []
    for entry in entries:
        record = manifest.unchanged_file(entry.source_path, entry.size, entry.mtime_ns) if manifest is not None else None
        if record is not None:
            out.seen += record.pages
            out.unchanged += record.pages
            if entry.kind == "text" and READ_UNCHANGED_FOR_FURNITURE and entry.size <= max_bytes:
                _furniture_lines(entry, max_bytes, out)
            continue
        counts = FileCounts()
        file_sha: str | None = None
        for item, ref in iter_file_refs(entry, max_bytes, counts):
            if isinstance(item, Rejection) or ref is None:
                out.rejections.append(item)
                continue
            sha = hashlib.sha256(item.raw).hexdigest()
            if entry.kind != "warc":
                file_sha = sha
            if entry.kind == "text":
                _furniture_of(item, max_bytes, out)
            window.append((item, ref, sha))
            if len(window) >= WINDOW:
                _decide(window, known, manifest, run_id, out)
                window = []
        out.seen += counts.pages
        out.records_skipped += counts.skipped_records
        out.files.append({"path": entry.source_path, "kind": entry.kind, "size": entry.size,
                          "mtime_ns": entry.mtime_ns, "raw_sha256": file_sha,
                          "pages": counts.pages, "run_id": run_id})
    _decide(window, known, manifest, run_id, out)
    out.seconds = time.perf_counter() - t0
    return out


def _decide(window: list[tuple[RawPage, PageRef, str]], known: Mapping[str, str],
            manifest: KnownPages | None, run_id: str, out: IngestResult) -> None:
    """Unchanged, duplicate, new or changed, for pages read from one file."""
    from transforms.rows.sources import source_row

    todo = []
    if manifest is not None:  # a WARC's pages (path#record): asked a window at a time
        manifest.prefetch(raw.source_path for raw, _, _ in window)
    for raw, ref, sha in window:
        previous = known.get(raw.source_path)
        if previous == sha:
            out.unchanged += 1
        else:
            todo.append((raw, ref, sha, previous))
    dups = manifest.docs_by_sha((r.source_path, sha) for r, _, sha, _ in todo) if manifest is not None else {}
    for raw, ref, sha, previous in todo:
        doc = dups.get(sha)
        if previous is not None:  # what this path carried before is replaced (or dropped)
            out.changed_paths.append(raw.source_path)
        if doc is not None:
            out.duplicate += 1
            url = raw.sidecar.get("url") if isinstance(raw.sidecar, dict) else None
            out.copies.append(source_row(run_id, doc, raw.source_path, url if isinstance(url, str) else None,
                                         raw.kind, sha, None, "same_bytes"))
            continue
        if previous is None:
            out.new += 1
        else:
            out.changed += 1
        out.to_process.append(ref)


def _furniture_of(raw: RawPage, max_bytes: int, out: IngestResult) -> None:
    from transforms.page.clean import page_line_keys
    from transforms.page.ingest import decode_page
    from transforms.page.sites import page_site

    decoded = decode_page(raw, max_bytes=max_bytes)
    if not isinstance(decoded, Rejection):
        out.lines.append((page_site(raw) or "", raw.source_path, page_line_keys(decoded[0])))


def _furniture_lines(entry: LandingFile, max_bytes: int, out: IngestResult) -> None:
    try:
        _furniture_of(read_page(entry), max_bytes, out)
    except OSError:
        return


def dedup_bodies(bodies: list[BodyKey], known: Mapping[str, str], run_id: str) -> list[dict]:
    """document_sources rows of the pages of a batch whose article text (or bytes) a
    document of another path already has: they are its copies, not documents.

    The same article as .txt and as .html (or fetched twice under two URLs with different
    markup) has different bytes but the same body once cleaned; `body_key` (computed on
    the worker, `BodyKey`) folds the spacing differences of the readers. Runs in the flow
    process, batch after batch in order: it consults and updates the run's registry in
    `known` (warehouse.known.KnownPages), so which copy is the document does not depend
    on the workers.
    """
    from transforms.rows.sources import source_row

    if not isinstance(known, KnownPages):
        return []
    found = known.docs_by_body((b.source_path, b.key) for b in bodies)
    copies = []
    for b in bodies:
        copy = known.classify(b.doc_id, b.key, found.get(b.key))
        if copy is not None:
            copies.append(source_row(run_id, copy[0], b.source_path, b.url, b.kind,
                                     b.raw_sha256, b.key, copy[1]))
    return copies


def record_sources(warehouse, run_id: str, copies: list[dict], files: list[pa.Table]) -> float:
    """document_sources (first sources of this run's documents, and copies) and the
    manifest (`files`: landing_files tables, one per ingest batch that read files)."""
    from transforms.rows.sources import sources_table

    t0 = time.perf_counter()
    # no empty tables built: the first Arrow table of a process costs seconds of imports
    warehouse.record_sources(run_id, sources_table(copies) if copies else None,
                             pa.concat_tables(files) if files else None)
    return time.perf_counter() - t0


@task(name="clean", cache_policy=NO_CACHE)
def clean_batch(raws: list[RawPage], furniture: Mapping[str, frozenset[str]], max_bytes: int,
                site_tz: Mapping[str, str], site_country: Mapping[str, str],
                ) -> tuple[list[Page], list[Rejection], float]:
    """Decode, clean and date a batch; `furniture` is the whole site -> lines mapping.

    This and the next two stages are tasks for use on their own; `transform_batch` calls
    their functions (`.fn`) inside its one task run."""
    from transforms.page.htmlpage import prepare_any as prepare_page

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


@dataclass(slots=True)
class PendingValidation:
    """A group of batches handed to `newsfacts.validator.submit`, its outcome to come."""

    future: Future


@task(name="validate", cache_policy=NO_CACHE)
def validate_group(pending: PendingValidation):
    """A group's validation outcome (`expectations.validate.validate_batches`) and the
    seconds the validation took where it ran.

    `newsfacts.validator.submit` started it: in the run's validator process when the
    CLI started one (so the flow went on taking the next batches meanwhile), else in
    this process, already done. Either way the same function on the same group: the
    same rows kept and quarantined. This task run ends when the outcome is here.
    """
    return pending.future.result()


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


# -- pass 2, on the workers ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BodyKey:
    """What the flow needs of a cleaned page to decide whether it is a copy."""

    doc_id: str
    key: str  # transforms.page.identity.body_key of the cleaned body
    source_path: str
    url: str | None
    kind: str
    raw_sha256: str


@dataclass(slots=True)
class TransformResult:
    """A batch's tables (not yet validated), its rejected pages, the body keys of its
    cleaned pages (for `dedup_bodies`) and the seconds of each stage."""

    tables: dict[str, pa.Table]
    rejections: list[Rejection]
    sha_by_path: dict[str, str]
    seconds: dict[str, float]
    bodies: list[BodyKey] = field(default_factory=list)


@task(name="transform", cache_policy=NO_CACHE, **IO_RETRIES)
def transform_batch(refs: Parcel[list[PageRef]], furniture: Parcel[Mapping[str, frozenset[str]]],
                    run_id: str, options: Mapping, drop: frozenset[str] = frozenset(),
                    ) -> TransformResult:
    """Read a batch's pages again, clean, extract and normalise them, where the task
    runner puts it (a Dask worker): one task run, one round trip per batch.

    The pages are not shipped from the flow, only where they lie (`read_ref`: a file, or
    a WARC record by its offset); only the tables come back. The stages are plain calls
    here (`.fn`: a task run each cost a fifth of a worker's time in Prefect's
    bookkeeping); the run summary still times each one. `drop`: source paths not to
    extract, the copies `dedup_bodies` found when this batch was transformed the first
    time (the flow asks again for the rare batch that has some, so copies are never
    extracted, validated or loaded). Validation is not done here: the flow validates
    several batches at once (`validate_group`), so the workers never import Great
    Expectations or pandas. `options`: max_bytes, site_tz, site_country,
    fx_carry_forward_days. The batch and the furniture come as `Parcel`s (Prefect does
    not walk them).
    """
    from newsfacts.sources.pages import read_ref
    from transforms.page.identity import body_key
    from transforms.rows.quarantine import sha256_hex

    raws, rejections = [], []
    for ref in refs.value:
        item = read_ref(ref, options["max_bytes"])
        (rejections if isinstance(item, Rejection) else raws).append(item)
    sha_by_path = {r.source_path: sha256_hex(r.raw) for r in raws}
    pages, rej, dt = clean_batch.fn(raws, furniture.value, options["max_bytes"], options["site_tz"],
                                    options["site_country"])
    del raws
    rejections.extend(rej)
    seconds: dict[str, float] = {"clean": dt}
    bodies = [BodyKey(p.doc_id, body_key(p.body), p.source_path, p.url, p.kind, p.raw_sha256)
              for p in pages]
    if drop:
        pages = [p for p in pages if p.source_path not in drop]
    extracted = extract_batch.fn(pages, run_id, options["site_country"])
    rejections.extend(extracted.rejections)
    for k, v in extracted.seconds.items():
        seconds[k] = seconds.get(k, 0.0) + v
    tables, dt = normalise_batch.fn(extracted.tables, options["fx_carry_forward_days"])
    seconds["normalise"] = dt
    return TransformResult(tables, rejections, sha_by_path, seconds, bodies)


def quarantine_rows(result: TransformResult, rejected: list[dict] | None, run_id: str) -> pa.Table:
    """The quarantine rows of a batch: its rejected pages, then its rows that failed validation."""
    from datetime import UTC, datetime

    from transforms.rows.quarantine import page_rejections, row_rejections

    now = datetime.now(UTC)
    parts = [page_rejections(result.rejections, run_id, now, result.sha_by_path)]
    if rejected is not None:
        docs = result.tables["documents"]
        path_by_doc = dict(zip(docs["doc_id"].to_pylist(),
                               zip(docs["source_path"].to_pylist(),
                                   docs["raw_sha256"].to_pylist(), strict=True), strict=True))
        parts.append(row_rejections(rejected, run_id, now, path_by_doc))
    return pa.concat_tables(parts)
