"""The validate stage: run every table's GX suite, split good rows from quarantined ones.

Why GX on pandas frames taken from Arrow: GX 1.x has no working DuckDB datasource, and
validating before the load keeps bad rows out of the warehouse instead of deleting them
afterwards. Each table becomes one frame holding the columns its rules read plus helper
columns (`expectations.derived`) and `_row`, the row's position in the Arrow table.
Results come back in COMPLETE format with `unexpected_index_column_names` = key columns
+ `_row`, so every failure maps to exact Arrow rows even when the key itself is null or
duplicated (the very rows a key check rejects).

A failing documents row takes its document's rows in every other DOC_TABLE with it
("cascade:<expectation>"): facts read off a page we reject cannot be trusted.

GX is imported inside `validate_tables` only (seconds of import time, see `rules.load_gx`).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from expectations import (
    derived,
    dim_currency,
    dim_entity,
    documents,
    fact_amount,
    fact_deal,
    fact_figure,
    fact_mention,
    fx_rate,
)
from expectations.rules import Rule, SuiteInputs, build_suite, load_gx
from transforms.contract.tables import DOC_TABLES, KEYS, SCHEMAS

# documents first: its failures cascade into the other document tables.
SUITES: dict[str, ModuleType] = {
    m.TABLE: m
    for m in (
        documents, fact_amount, fact_figure, fact_mention, fact_deal,
        dim_entity, fx_rate, dim_currency,
    )
}

ROW = "_row"
DATASOURCE = "newsfacts"
DOCS_SITE = "newsfacts"


class ValidationError(RuntimeError):
    """An expectation could not be evaluated (it raised, or named no rows).

    Raised rather than recorded: a check that did not run says nothing about the rows,
    and passing them on would load unvalidated data under a green summary.
    """


@dataclass
class ValidationOutcome:
    """What the validate stage hands to the load stage and to the run record.

    `tables`: the input dict with failing (and cascaded) rows removed; tables without a
    suite pass through untouched. `rejected`: one quarantine record per (row, failed
    expectation), keys table_name, row_id, doc_id, expectation, detail, row_json.
    `summary`: per table, a JSON-able dict of GX statistics and row counts.
    `success`: no expectation failed (before any row was removed).
    """

    tables: dict[str, pa.Table]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    success: bool = True


def validate_tables(
    tables: dict[str, pa.Table],
    *,
    currencies: set[str] | frozenset[str],
    docs_dir: Path | None = None,
) -> ValidationOutcome:
    """Validate each table with its suite; quarantine failing rows; optionally build Data Docs.

    `currencies` is the ISO 4217 code list the currency columns are checked against.
    With `docs_dir`, GX Data Docs HTML (index.html and one page per suite and result)
    are written there.
    """
    group = validate_batches([tables], currencies=currencies, docs_dir=docs_dir)
    return ValidationOutcome(tables=group.tables[0], rejected=group.rejected[0],
                             summary=group.summary, success=group.success)


@dataclass
class GroupOutcome:
    """`validate_batches`' answer: each batch's kept tables and quarantine records, in the
    order given, and one GX summary and verdict for the whole group."""

    tables: list[dict[str, pa.Table]]
    rejected: list[list[dict[str, Any]]]
    summary: dict[str, dict[str, Any]]
    success: bool


def validate_batches(
    batches: list[dict[str, pa.Table]],
    *,
    currencies: set[str] | frozenset[str],
    docs_dir: Path | None = None,
) -> GroupOutcome:
    """Validate several batches in one pass of every suite, with each batch's own verdicts.

    Why: a GX validation costs about a second whatever its size (a context, eight
    suites, their validation definitions, a metric computation per expectation), and
    batches are small, so validating each batch alone was half of a run's CPU time.
    Here each table is the concatenation of the batches' tables and each suite runs once.

    The rows kept and quarantined are exactly those of validating each batch alone:
    the only rules that compare rows with each other are the key checks
    (`ExpectColumnValuesToBeUnique`, `ExpectCompoundColumnsToBeUnique`), and with more
    than one batch they read a helper column holding "batch|key" instead of the key
    (null where the key is null, so a missing key is ignored exactly as before): an
    entity or a rate that two batches both carry is not a duplicate, as it was not
    when they were validated apart. The cross-table checks (a fact's document, a
    deal's amount) look ids up in the union of the batches, where a batch's own rows
    are found just as before (ids are content hashes: another batch never holds them).
    """
    gx, _ = load_gx()
    context = _context(gx, docs_dir)
    datasource = context.data_sources.add_pandas(DATASOURCE)
    spans, tables = _concat(batches)
    amounts = tables.get("fact_amount")
    inputs = SuiteInputs(
        currencies=frozenset(currencies),
        documents=derived.doc_text(tables.get("documents")),
        amount_ids=(
            frozenset(a for a in amounts.column("amount_id").to_pylist() if a is not None)
            if amounts is not None
            else None
        ),
    )

    failed_rows: dict[str, dict[int, list[str]]] = {}
    rejected: list[tuple[str, int, dict[str, Any]]] = []
    summary: dict[str, dict[str, Any]] = {}
    for name, module in SUITES.items():
        table = tables.get(name)
        if table is None:
            continue
        started = time.perf_counter()
        _check_columns(name, table, module)
        helpers = module.derive(table, inputs)
        rule_list = module.rules_for(inputs)
        if len(batches) > 1:
            rule_list = [_per_batch(r, table, spans[name], helpers) for r in rule_list]
        rules = {r.name: r for r in rule_list}
        frame = _frame(table, helpers, rules.values(), KEYS[name])
        suite = context.suites.add(build_suite(f"newsfacts.{name}", rule_list))
        batch = datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [*KEYS[name], ROW],
                "return_unexpected_index_query": False,
            },
        )
        del frame
        failures = _failures(name, result)
        rows = failed_rows[name] = {}
        for rule_name, indices in failures.items():
            for i in indices:
                rows.setdefault(i, []).append(rule_name)
        rejected.extend((name, i, rec) for i, rec in _records(name, table, failures, rules))
        stats = result.statistics
        summary[name] = {
            "suite": suite.name,
            "success": bool(result.success),
            "evaluated": int(stats["evaluated_expectations"]),
            "successful": int(stats["successful_expectations"]),
            "unsuccessful": int(stats["unsuccessful_expectations"]),
            "failed_expectations": list(failures),
            "unexpected_counts": {k: len(v) for k, v in failures.items()},
            "rows_in": table.num_rows,
            "rows_rejected": len(rows),
            "seconds": round(time.perf_counter() - started, 3),
        }

    cascaded = _cascade(tables, failed_rows)
    for name, by_row in cascaded.items():
        rejected.extend((name, i, rec) for i, rec in by_row.items())
        summary[name]["rows_cascaded"] = len(by_row)

    drops: dict[str, set[int]] = {}
    for name, table in tables.items():
        drop = drops[name] = set(failed_rows.get(name, ())) | set(cascaded.get(name, ()))
        if name in summary:
            summary[name].setdefault("rows_cascaded", 0)
            summary[name]["rows_out"] = table.num_rows - len(drop)

    if docs_dir is not None:
        context.build_data_docs()
    return GroupOutcome(
        tables=_split_tables(batches, spans, drops),
        rejected=_split_records(len(batches), spans, rejected),
        summary=summary,
        success=all(s["success"] for s in summary.values()),
    )


Span = tuple[int, int, int]  # (batch index, first row, end row) in a concatenated table
BATCH_KEY = "__in_batch"
UNIQUE_CHECKS = ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique")


def _concat(batches: list[dict[str, pa.Table]]) -> tuple[dict[str, list[Span]], dict[str, pa.Table]]:
    """Each table name -> the batches' tables end to end, and where each batch's rows lie."""
    spans: dict[str, list[Span]] = {}
    parts: dict[str, list[pa.Table]] = {}
    for b, tables in enumerate(batches):
        for name, table in tables.items():
            start = sum(t.num_rows for t in parts.get(name, ()))
            spans.setdefault(name, []).append((b, start, start + table.num_rows))
            parts.setdefault(name, []).append(table)
    joined = {name: ts[0] if len(ts) == 1 else pa.concat_tables(ts, promote_options="permissive")
              for name, ts in parts.items()}
    return spans, joined


def _per_batch(rule: Rule, table: pa.Table, spans: list[Span], helpers: dict[str, pa.Array]) -> Rule:
    """A key check reading "batch|key" (a helper column) instead of the key: see
    `validate_batches`. Other rules are returned as they are."""
    if rule.expectation not in UNIQUE_CHECKS:
        return rule
    kwargs = dict(rule.kwargs)
    if "column" in kwargs:
        column = kwargs["column"]
        kwargs["column"] = column + BATCH_KEY
    else:
        column = kwargs["column_list"][0]
        kwargs["column_list"] = [column + BATCH_KEY, *kwargs["column_list"][1:]]
    if column + BATCH_KEY not in helpers:
        batch = pa.array([str(b) for b, start, end in spans for _ in range(end - start)], pa.string())
        values = pc.cast(table.column(column), pa.string())
        helpers[column + BATCH_KEY] = pc.binary_join_element_wise(batch, values, "|")
    return replace(rule, kwargs=kwargs)


def _split_tables(batches: list[dict[str, pa.Table]], spans: dict[str, list[Span]],
                  drops: dict[str, set[int]]) -> list[dict[str, pa.Table]]:
    """Each batch's own tables (as given: same schema) less its dropped rows."""
    out: list[dict[str, pa.Table]] = [dict(tables) for tables in batches]
    for name, name_spans in spans.items():
        drop = drops.get(name, set())
        for b, start, end in name_spans:
            local = {i - start for i in drop if start <= i < end}
            if local:
                out[b][name] = _without(batches[b][name], local)
    return out


def _split_records(n: int, spans: dict[str, list[Span]],
                   rejected: list[tuple[str, int, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Quarantine records to the batch of their row, in the order they were made."""
    out: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for name, row, record in rejected:
        for b, start, end in spans[name]:
            if start <= row < end:
                out[b].append(record)
                break
    return out


def _context(gx: ModuleType, docs_dir: Path | None) -> Any:
    """An in-memory context: progress bars off, and only our docs site (if any).

    Progress bars are on by default in GX and write tqdm noise to stderr on every run.
    The default ephemeral config also declares a docs site in a fresh temp directory,
    which `build_data_docs` would fill on every run; we declare our own sites instead.
    """
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        docs_dir = Path(docs_dir)
        docs_dir.mkdir(parents=True, exist_ok=True)
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _check_columns(name: str, table: pa.Table, module: ModuleType) -> None:
    """Fail loudly on a table missing columns: GX would only report an opaque metric error."""
    missing = [c for c in SCHEMAS[module.TABLE].names if c not in table.column_names]
    if missing:
        raise ValueError(f"table {name} lacks columns {missing}")


def _frame(table: pa.Table, helpers: dict[str, pa.Array], rules: Any, keys: tuple[str, ...]):
    """The pandas frame GX validates: the columns the rules read, helpers, and `_row`.

    Only read columns are converted (a documents body is large and no rule reads it).
    A float NaN is a value in Arrow but "missing" to pandas, which would let it skip
    every check; it is mapped to +inf here so the finite checks reject it.
    """
    wanted: list[str] = list(keys)
    for rule in rules:
        kw = rule.kwargs
        for col in (kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", ())):
            if col and col not in wanted and col not in helpers:
                wanted.append(col)
    columns: dict[str, Any] = {}
    for col in wanted:
        arr = table.column(col)
        if pa.types.is_floating(arr.type):
            arr = pc.if_else(pc.is_nan(arr), math.inf, arr)
        columns[col] = arr
    columns.update(helpers)
    columns[ROW] = pa.array(range(table.num_rows), pa.int64())
    return pa.table(columns).to_pandas()


def _failures(name: str, result: Any) -> dict[str, list[int]]:
    """rule name -> Arrow row indices that failed it, in suite order."""
    out: dict[str, list[int]] = {}
    for r in result.results:
        rule_name = r.expectation_config.meta["name"]
        if _raised(r.exception_info):
            raise ValidationError(f"{name}: {rule_name} could not run: {r.exception_info}")
        if r.success:
            continue
        index = (r.result or {}).get("unexpected_index_list")
        if index is None:
            raise ValidationError(f"{name}: {rule_name} failed without naming rows")
        out[rule_name] = sorted({int(entry[ROW]) for entry in index})
    return out


def _raised(info: Any) -> bool:
    """GX reports exceptions either flat or keyed by metric id."""
    if not isinstance(info, dict):
        return False
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(_raised(v) for v in info.values())


def _records(
    name: str, table: pa.Table, failures: dict[str, list[int]], rules: dict[str, Rule]
) -> list[tuple[int, dict[str, Any]]]:
    """(row, quarantine record), one per (failed rule, row)."""
    indices = sorted({i for rows in failures.values() for i in rows})
    if not indices:
        return []
    rows = dict(zip(indices, table.take(indices).to_pylist(), strict=True))
    out = []
    for rule_name, failed in failures.items():
        rule = rules[rule_name]
        for i in failed:
            row = rows[i]
            values = ", ".join(f"{c}={_short(row.get(c))}" for c in rule.columns if c in row)
            out.append((i, _record(name, row, rule_name, f"{values} — {rule.description}")))
    return out


def _cascade(
    tables: dict[str, pa.Table], failed_rows: dict[str, dict[int, list[str]]]
) -> dict[str, dict[int, dict[str, Any]]]:
    """Quarantine records, per table and row, for rows of documents that failed.

    Rows that failed on their own keep their own records and are not repeated here.
    """
    docs = tables.get("documents")
    if docs is None or not failed_rows.get("documents"):
        return {}
    doc_ids = docs.column("doc_id").to_pylist()
    bad: dict[str, list[str]] = {}
    for i, names in failed_rows["documents"].items():
        if doc_ids[i] is not None:
            bad.setdefault(doc_ids[i], names)
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for name in DOC_TABLES:
        table = tables.get(name)
        if name == "documents" or table is None or not bad:
            continue
        hit = pc.is_in(table.column("doc_id"), value_set=pa.array(list(bad), pa.string()))
        own = failed_rows.get(name, {})
        indices = [i for i in pc.indices_nonzero(pc.fill_null(hit, False)).to_pylist() if i not in own]
        if not indices:
            continue
        records = {}
        for i, row in zip(indices, table.take(indices).to_pylist(), strict=True):
            names = bad[row["doc_id"]]
            detail = f"document {row['doc_id']} failed {', '.join(names)}"
            records[i] = _record(name, row, f"cascade:{names[0]}", detail)
        out[name] = records
    return out


def _record(name: str, row: dict[str, Any], expectation: str, detail: str) -> dict[str, Any]:
    keys = [row.get(k) for k in KEYS[name]]
    row_id = None if all(k is None for k in keys) else "|".join(_text(k) for k in keys)
    return {
        "table_name": name,
        "row_id": row_id,
        "doc_id": row.get("doc_id"),
        "expectation": expectation,
        "detail": detail,
        "row_json": json.dumps(_jsonable(row), ensure_ascii=False, allow_nan=False),
    }


def _without(table: pa.Table, drop: set[int]) -> pa.Table:
    """`table` less the rows in `drop`.

    The indices are typed int64: when every row is dropped (two copies of one page share
    a doc_id, so both fail the key check and cascade all their facts) an untyped empty
    list would be inferred as a null array, which `take` cannot use.
    """
    if not drop:
        return table
    keep = pa.array([i for i in range(table.num_rows) if i not in drop], pa.int64())
    return table.take(keep)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _short(value: Any, limit: int = 80) -> str:
    text = value.isoformat() if isinstance(value, datetime | date) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _jsonable(value: Any) -> Any:
    """Plain JSON (no NaN/Infinity tokens, which DuckDB's JSON reader refuses)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
