"""The newsfacts flow: landing folder in, validated fact tables in DuckDB and Parquet out.

Stages, each a task over a batch of pages: discover -> ingest -> clean -> extract ->
normalise -> validate -> load -> export. Pages are processed in chunks (validated
together, so Data Docs and the GX summary cover the chunk) and loaded in batches, one
DuckDB transaction per batch: a run killed at any point leaves only whole batches, and
the next run picks up the pages whose content hash is not loaded yet.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import pyarrow as pa
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Failed

from flows import progress
from flows import tasks as t
from flows.report import RunSummary, _markdown, _run_row
from newsfacts import resources
from newsfacts.settings import Settings
from transforms.contract.pages import Rejection
from transforms.money.normalise import dim_currency_table
from transforms.rows.merge import _concat, _split_by_docs
from transforms.rows.quarantine import page_rejections, row_rejections, sha256_hex


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="newsfacts", log_prints=False, validate_parameters=True)
def newsfacts_flow(input_dir: str | None = None, warehouse_dir: str | None = None,
                   batch_size: int | None = None, chunk_pages: int = 20_000) -> dict:
    """One run over every new or changed page of `input_dir` (see the module docstring)."""
    from prefect.runtime import flow_run

    from warehouse.store import WarehouseBusy

    overrides = {k: v for k, v in {"input_dir": input_dir, "warehouse_dir": warehouse_dir,
                                    "batch_size": batch_size}.items() if v is not None}
    settings = Settings(**overrides)
    logger = get_run_logger()
    started = datetime.now(UTC)
    t_start = time.perf_counter()
    flow_run_id = str(flow_run.id) if flow_run.id else None
    run_id = flow_run_id or str(uuid.uuid4())
    summary = RunSummary(run_id, flow_run_id, str(settings.input_dir), str(settings.warehouse_dir))
    secs = summary.stage_seconds

    t0 = time.perf_counter()
    ready, waiting = t.discover(str(settings.input_dir), settings.settle_seconds)
    secs["discover"] += time.perf_counter() - t0
    summary.pages_seen = len(waiting)  # plus the pages ingest finds (a WARC holds many)
    summary.pages_waiting = len(waiting)
    progress.report("ingest", 0, len(ready))

    try:
        wh = resources.open_warehouse(settings)
    except WarehouseBusy as exc:
        # Another run is writing: end this one failed with that one-line reason, not a
        # traceback; the caller (newsfacts run) still gets `exc` raised and exits 3.
        return Failed(message=f"warehouse busy: {exc}", data=exc)
    with wh:
        wh.ensure_schema()
        known = wh.known_pages()

        # Ingest every ready file: hash, classify, and gather per-site line statistics.
        to_process, replace_paths, rejections, sources, files = [], [], [], [], []
        texts_by_site: dict[str, list[str]] = defaultdict(list)
        done = 0
        for batch in _chunks(ready, settings.batch_size):
            res = t.ingest_batch(batch, known, settings.max_bytes, run_id)
            secs["ingest"] += res.seconds
            to_process.extend(res.to_process)
            replace_paths.extend(res.changed_paths)
            rejections.extend(res.rejections)
            sources.extend(res.copies)
            files.extend(res.files)
            summary.count_ingest(res)
            for site, texts in res.texts_by_site.items():
                texts_by_site[site].extend(texts)
            done += len(batch)
            progress.report("ingest", done, len(ready))

        from transforms.page.clean import recurring_lines

        t0 = time.perf_counter()
        furniture = recurring_lines(texts_by_site, min_pages=settings.furniture_min_pages,
                                    min_share=settings.furniture_min_share)
        secs["clean"] += time.perf_counter() - t0
        texts_by_site.clear()

        sha_by_path = {r.source_path: sha256_hex(r.raw) for r in to_process}
        total = len(to_process)
        done = 0
        progress.report("transform", 0, total)
        docs_dir = str(settings.data_docs_dir) if settings.data_docs else None
        gx_chunks: list[dict] = []
        for chunk in _chunks(to_process, chunk_pages):
            parts = []
            chunk_rejections: list[Rejection] = []
            for batch in _chunks(chunk, settings.batch_size):
                pages, rej, dt = t.clean_batch(batch, furniture, settings.max_bytes,
                                               settings.site_tz, settings.site_country)
                secs["clean"] += dt
                chunk_rejections.extend(rej)
                pages, copies = t.dedup_bodies(pages, known, run_id)
                sources.extend(copies)
                summary.pages_duplicate += len(copies)
                extracted = t.extract_batch(pages, run_id, settings.site_country)
                chunk_rejections.extend(extracted.rejections)
                for k, v in extracted.seconds.items():
                    secs[k] = secs.get(k, 0.0) + v
                normalised, dt = t.normalise_batch(extracted.tables, settings.fx_carry_forward_days)
                secs["normalise"] += dt
                parts.append(normalised)
                done += len(batch)
                progress.report("transform", done, total)
            if not parts:
                continue
            chunk_tables = _concat(parts)
            docs = chunk_tables["documents"]
            path_by_doc = dict(zip(docs["doc_id"].to_pylist(),
                                   zip(docs["source_path"].to_pylist(),
                                       docs["raw_sha256"].to_pylist(), strict=True),
                                   strict=True))
            quarantine = [page_rejections(chunk_rejections, run_id, datetime.now(UTC), sha_by_path)]
            rejections.extend(chunk_rejections)
            if settings.validate_with_gx:
                outcome, dt = t.validate(chunk_tables, docs_dir)
                secs["validate"] += dt
                summary.pages_failed_validation += docs.num_rows - outcome.tables["documents"].num_rows
                chunk_tables = outcome.tables
                summary.gx_success = outcome.success and summary.gx_success is not False
                gx_chunks.append(outcome.summary)
                rejected_rows = row_rejections(outcome.rejected, run_id, datetime.now(UTC),
                                               path_by_doc)
                summary.rows_quarantined += rejected_rows.num_rows
                quarantine.append(rejected_rows)

            # Load in batches, one transaction each. A changed page that is now rejected
            # loses its old rows too: the warehouse mirrors the landing folder.
            doc_ids = chunk_tables["documents"]["doc_id"].to_pylist()
            gone = sorted({r.source_path for r in chunk_rejections} & set(replace_paths))
            for i, ids in enumerate(_chunks(doc_ids, settings.batch_size) or [[]]):
                part = _split_by_docs(chunk_tables, ids)
                paths = set(part["documents"]["source_path"].to_pylist())
                if i == 0:
                    part["quarantine"] = pa.concat_tables(quarantine)
                    part["dim_currency"] = dim_currency_table()
                    paths |= set(gone)
                secs["load"] += t.load_batch(wh, part, sorted(paths))
            summary.pages_loaded += len(doc_ids)
            summary.amounts += chunk_tables["fact_amount"].num_rows
            summary.figures += chunk_tables["fact_figure"].num_rows
            summary.deals += chunk_tables.get("fact_deal", pa.table({})).num_rows

        summary.gx_summary = gx_chunks[0] if len(gx_chunks) == 1 else {"chunks": gx_chunks}
        # Pages rejected at ingest (unreadable files) have no chunk: record them too.
        ingest_only = [r for r in rejections if r.stage == "ingest" and r.source_path not in sha_by_path]
        if ingest_only:
            secs["load"] += t.load_batch(
                wh, {"quarantine": page_rejections(ingest_only, run_id, datetime.now(UTC), {})}, [])
        secs["load"] += t.record_sources(wh, run_id, sources, files)
        summary.pages_quarantined = len(rejections) + summary.pages_failed_validation
        summary.check_accounting()
        if rejections:
            summary.warnings.append(f"{len(rejections)} page(s) quarantined")
        if summary.rows_quarantined:
            summary.warnings.append(f"{summary.rows_quarantined} row(s) failed validation")
        progress.report("export", 0, 1)
        secs["export"] += t.export(wh, str(settings.exports_dir))
        progress.report("export", 1, 1)
        summary.seconds = time.perf_counter() - t_start
        wh.record_run(_run_row(summary, started, datetime.now(UTC)))
        # The run row is written after the export it times: refresh that one table.
        t.export(wh, str(settings.exports_dir), only=("runs",))

    summary.raise_if_unaccounted()
    for warning in summary.warnings:
        logger.warning(warning)
    create_markdown_artifact(markdown=_markdown(summary), key="newsfacts-run-summary",
                             description="newsfacts run summary")
    return summary.as_dict()

