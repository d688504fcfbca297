"""The newsfacts flow: landing folder in, validated fact tables in DuckDB and Parquet out.

Two passes over the new and changed files, in batches, so no run holds the corpus:

1. ingest (here): files unchanged by size and mtime (the `landing_files` manifest) are
   not read; the others are read and hashed page by page (a WARC record is a page);
   pages already loaded or copies of a loaded page's bytes are counted, the new and
   changed ones kept as `PageRef`s (where they lie, not their bytes). Each text page's
   short-line keys go into the warehouse's furniture statistics
   (`warehouse/furniture.py`). Then the site furniture is computed once from those
   statistics, old pages included.
2. transform, per batch, one task where the task runner puts it (a Dask worker when
   there are several): read the pages again (a WARC page by its record's offset), clean,
   extract and normalise them (`transform_batch`). Here, in the flow process that holds
   DuckDB, in batch order, pages whose body a document already has become its sources
   (`dedup_bodies`; the rare batch with such copies is transformed again without
   them). Batches are validated a group at a time (`validate_group_pages`, or half that
   when the validator is idle; the last batch alone; one GX pass costs about two
   seconds whatever its size; the rows kept are exactly those of validating each batch
   alone), in the validator process `newsfacts run` started (newsfacts/validator.py)
   or here. The flow process is the one writer: it loads each batch's validated
   result in batch order as soon as its group is validated, one DuckDB transaction
   each, so the tables are the same whatever the number of workers or the group size,
   and a run killed at any point leaves only whole batches; the next run picks up the
   pages whose content hash is not loaded yet. Then document sources and the file
   manifest, the page accounting (seen = loaded + unchanged + duplicate + waiting +
   quarantined) and the Parquet export of the partitions the run touched.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from contextlib import nullcontext
from datetime import UTC, datetime

import pyarrow as pa
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Failed

from flows import execution, progress
from flows import tasks as t
from flows.execution import Parcel
from flows.report import RunSummary, _markdown, _run_row, merge_gx_summaries
from newsfacts import resources
from newsfacts.settings import Settings
from newsfacts.sources.pages import PageRef
from transforms.contract.pages import Rejection
from transforms.money.normalise import dim_currency_table
from transforms.page.clean import furniture_from_counts
from transforms.rows.quarantine import page_rejections
from transforms.rows.sources import files_table
from warehouse import furniture as furniture_store
from warehouse.export import mark_pending, partitions_in


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="newsfacts", log_prints=False, validate_parameters=True)
def newsfacts_flow(input_dir: str | None = None, warehouse_dir: str | None = None,
                   batch_size: int | None = None, workers: int | None = None,
                   dask_address: str | None = None) -> dict:
    """One run over every new or changed page of `input_dir` (see the module docstring)."""
    from prefect.runtime import flow_run

    from warehouse.store import WarehouseBusy

    overrides = {k: v for k, v in {"input_dir": input_dir, "warehouse_dir": warehouse_dir,
                                    "batch_size": batch_size, "workers": workers,
                                    "dask_address": dask_address}.items() if v is not None}
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
        furniture_store.ensure_table(wh.con)

        # Known pages, the file manifest and the run's duplicate registry. It holds the
        # DuckDB connection: it stays in this process, never goes to a worker.
        known = wh.known_pages()

        # Pass 1: which pages are new or changed; text pages' lines into the statistics.
        to_process: list[tuple[PageRef, bool]] = []
        ingest_only: list[Rejection] = []  # unreadable files: quarantined without a batch
        sources: list[dict] = []  # document_sources rows of copies
        # landing_files rows of the files read, as Arrow tables (a tenth of the memory of
        # dicts: at 100,000 files the dicts alone were ~60 MB, growing with the corpus)
        files: list[pa.Table] = []
        run_sites: set[str] = set()  # sites of the text pages read
        # Files the manifest knows unchanged (size and mtime) are counted here, not
        # handed to `ingest` tasks: at 100,000 unchanged files that was 200 task runs
        # (seconds of Prefect overhead) for a one-page run. `ingest_batch` would only
        # have counted them too.
        unchanged = t.IngestResult()
        if t.READ_UNCHANGED_FOR_FURNITURE:
            todo = list(ready)
        else:  # one join in DuckDB (warehouse/known.py `stat_diff`)
            indexes, pages = known.split_by_stat([(e.source_path, e.size, e.mtime_ns) for e in ready],
                                                 resources.stat_diff_of(ready))
            todo = [ready[i] for i in indexes]
            unchanged.seen = unchanged.unchanged = pages
        summary.count_ingest(unchanged)
        done = len(ready) - len(todo)
        progress.report("ingest", done, len(ready))
        for batch in _chunks(todo, settings.batch_size):
            res = t.ingest_batch(Parcel(batch), known, settings.max_bytes, run_id)
            secs["ingest"] += res.seconds
            changed = set(res.changed_paths)
            to_process.extend((r, r.source_path in changed) for r in res.to_process)
            ingest_only.extend(res.rejections)
            sources.extend(res.copies)
            if res.files:
                files.append(files_table(res.files))
            summary.count_ingest(res)
            t0 = time.perf_counter()
            furniture_store.record_pages(wh.con, res.lines)
            run_sites.update(site for site, _, _ in res.lines)
            secs["clean"] += time.perf_counter() - t0
            done += len(batch)
            progress.report("ingest", done, len(ready))
        del ready, todo
        known.forget_paths()  # pass 2 asks DuckDB, not the per-path maps (corpus-sized)

        t0 = time.perf_counter()
        # Only the sites of the pages to clean: a text page's site is known from its lines;
        # a WARC's text records record none, so any WARC page asks for every site.
        sites = None if any(r.entry.kind == "warc" for r, _ in to_process) else run_sites
        furniture = {site: furniture_from_counts(n, counts, min_pages=settings.furniture_min_pages,
                                                 min_share=settings.furniture_min_share)
                     for site, (n, counts) in furniture_store.site_statistics(
                         wh.con, settings.furniture_min_pages, sites).items()}
        secs["clean"] += time.perf_counter() - t0

        # Pass 2: transform on the workers, load here in batch order.
        batches = _chunks(to_process, settings.batch_size)
        del to_process
        total = sum(len(b) for b in batches)
        progress.report("transform", 0, total)
        options = {"max_bytes": settings.max_bytes, "site_tz": settings.site_tz,
                   "site_country": settings.site_country,
                   "fx_carry_forward_days": settings.fx_carry_forward_days}
        docs_dir = str(settings.data_docs_dir) if settings.data_docs else None
        # A cluster for a single batch only adds its start-up: one batch runs here.
        runner = resources.task_runner(settings) if len(batches) > 1 else None
        rejections: list[Rejection] = []
        gx_summaries: list[dict] = []
        done = 0

        def transform_calls():
            for b in batches:
                yield {"refs": Parcel([r for r, _ in b]), "furniture": Parcel(furniture),
                       "run_id": run_id, "options": options}

        def without_copies(i: int, res: t.TransformResult) -> t.TransformResult:
            """The batch's result less its copies, which `dedup_bodies` decides here, in
            batch order (so which copy is the document does not depend on the workers).

            The workers extract a batch whole; the rare batch with copies is transformed
            again without them, so a copy is never extracted into a row: the tables are
            those of extracting only the documents (the entities of a batch are resolved
            across its pages).
            """
            copies = t.dedup_bodies(res.bodies, known, run_id)
            if not copies:
                return res
            sources.extend(copies)
            summary.pages_duplicate += len(copies)
            drop = frozenset(c["source_path"] for c in copies)
            again = execution.run_one(t.transform_batch, {
                "refs": Parcel([r for r, _ in batches[i]]), "furniture": Parcel(furniture),
                "run_id": run_id, "options": options, "drop": drop}, runner)
            for k, v in res.seconds.items():  # the first pass was work done too
                again.seconds[k] = again.seconds.get(k, 0.0) + v
            return again

        def load(batch: list[tuple[PageRef, bool]], res: t.TransformResult,
                 tables: dict[str, pa.Table], rejected: list[dict] | None) -> None:
            """One batch into DuckDB (one transaction), its quarantine rows with it."""
            nonlocal loaded_batches
            tables = dict(tables, quarantine=t.quarantine_rows(res, rejected, run_id))
            if loaded_batches == 0:
                tables["dim_currency"] = dim_currency_table()
            docs = tables["documents"]
            # A changed page that is now rejected loses its old rows too: the
            # warehouse mirrors the landing folder.
            paths = set(docs["source_path"].to_pylist())
            paths |= {r.source_path for r, changed in batch if changed}
            # Partitions this batch changes (its pages' old and new ones): marked
            # before the load, exported at the end, even by a later run.
            mark_pending(wh.con, wh.partitions_of(sorted(paths)) | partitions_in(tables))
            secs["load"] += t.load_batch(wh, tables, sorted(paths))
            resources.fit_duckdb_limit(wh, settings, settings.batch_size * 3)
            summary.rows_quarantined += len(rejected) if rejected else 0
            summary.pages_loaded += docs.num_rows
            summary.amounts += tables["fact_amount"].num_rows
            summary.figures += tables["fact_figure"].num_rows
            summary.deals += tables.get("fact_deal", pa.table({})).num_rows
            loaded_batches += 1

        def submit_group(group: list[tuple[list, t.TransformResult]], last: bool,
                         ) -> tuple[list, list[int], t.PendingValidation | None]:
            """Hand a group of batches to the validator (a batch without documents is
            not validated, as before: nothing to check)."""
            from newsfacts import validator

            checked = [j for j, (_, res) in enumerate(group)
                       if settings.validate_with_gx and res.tables["documents"].num_rows]
            pending = None
            if checked:
                pending = t.PendingValidation(validator.submit(
                    [group[j][1].tables for j in checked], docs_dir if last else None))
            return group, checked, pending

        def load_group(group: list[tuple[list, t.TransformResult]], checked: list[int],
                       pending: t.PendingValidation | None) -> None:
            """Take the group's validation outcome, then load each batch in order."""
            outcome = None
            if pending is not None:
                outcome, dt = t.validate_group(pending)
                secs["validate"] += dt
                gx_summaries.append(outcome.summary)
                summary.gx_success = outcome.success and summary.gx_success is not False
            for j, (batch, res) in enumerate(group):
                if outcome is not None and j in checked:
                    k = checked.index(j)
                    tables, rejected = outcome.tables[k], outcome.rejected[k]
                    summary.pages_failed_validation += (res.tables["documents"].num_rows
                                                        - tables["documents"].num_rows)
                else:
                    tables, rejected = res.tables, None
                load(batch, res, tables, rejected)
                done_pages[0] += len(batch)
                progress.report("transform", done_pages[0], total)

        loaded_batches = 0
        done_pages = [0]
        with runner if runner is not None else nullcontext():
            # Batches in flight: while this process waits for a group's validation and
            # loads it (seconds), the workers go on with the batches already submitted,
            # so they never wait for the one writer; a group and two per worker more.
            window = 2 * execution.worker_count(runner) + -(-settings.validate_group_pages
                                                             // settings.batch_size)
            # A group is validated (in the validator process) while the next batches are
            # transformed, and loaded as soon as its validation is done, in group order:
            # checked after each batch, waited for only at the end.
            group: list[tuple[list, t.TransformResult]] = []
            submitted: deque = deque()
            for i, res in enumerate(execution.ordered(t.transform_batch, transform_calls(),
                                                      runner, window)):
                batch = batches[i]
                res = without_copies(i, res)
                for k, v in res.seconds.items():
                    secs[k] = secs.get(k, 0.0) + v
                rejections.extend(res.rejections)
                group.append((batch, res))
                batches[i] = []  # the files of a transformed batch are not needed any more
                last = i == len(batches) - 1
                # When a group is handed over: at `validate_group_pages` pages or, with
                # workers, at half that when the validator has nothing to do (a pass
                # costs the same whatever its size: few passes, but no validator idle
                # while batches wait; in one process the extra passes would only take
                # its CPU); the last batch is a group of its own, so what is validated
                # and loaded after the transforms are done is one batch, not a group.
                size = sum(len(b) for b, _ in group)
                idle = runner is not None and (not submitted or all(
                    p is None or p.future.done() for _, _, p in submitted))
                if (last or i == len(batches) - 2 or size >= settings.validate_group_pages
                        or (idle and 2 * size >= settings.validate_group_pages)):
                    submitted.append(submit_group(group, last))
                    group = []
                while submitted and (submitted[0][2] is None or submitted[0][2].future.done()):
                    load_group(*submitted.popleft())
            while submitted:
                load_group(*submitted.popleft())

        summary.gx_summary = merge_gx_summaries(gx_summaries)
        rejections = ingest_only + rejections
        # Pages rejected at ingest (unreadable files) have no batch: record them too.
        if ingest_only:
            secs["load"] += t.load_batch(
                wh, {"quarantine": page_rejections(ingest_only, run_id, datetime.now(UTC), {})}, [])
        # the run's first sources, its copies and its manifest rows, in one transaction
        resources.fit_duckdb_limit(wh, settings, summary.pages_loaded + len(sources)
                                   + sum(f.num_rows for f in files))
        secs["load"] += t.record_sources(wh, run_id, sources, files)
        summary.pages_quarantined = len(rejections) + summary.pages_failed_validation
        summary.check_accounting()
        if rejections:
            summary.warnings.append(f"{len(rejections)} page(s) quarantined")
        if summary.rows_quarantined:
            summary.warnings.append(f"{summary.rows_quarantined} row(s) failed validation")
        progress.report("export", 0, 1)
        secs["export"] += t.export(wh, str(settings.exports_dir), incremental=True)
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
