"""Quarantine rows: every page or row that could not be used, with a clear reason.

Ids hash what the problem is about (file content, stage, reason, row, expectation), not
when it happened, so re-running the same bad input leaves the quarantine table as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime

import pyarrow as pa

from transforms.contract import tables
from transforms.contract.ids import stable_id
from transforms.contract.pages import Rejection
from transforms.rows.facts import to_table


def quarantine_id(source_path: str | None, sha: str | None, stage: str, reason: str,
                  table_name: str | None = None, row_id: str | None = None,
                  expectation: str | None = None, content: str | None = None) -> str:
    return stable_id(source_path, sha, stage, reason, table_name, row_id, expectation, content)


def page_rejections(rejections: Iterable[Rejection], run_id: str, now: datetime,
                    sha_by_path: Mapping[str, str]) -> pa.Table:
    """Quarantine rows for pages rejected at ingest or clean."""
    rows = []
    for r in rejections:
        sha = sha_by_path.get(r.source_path)
        rows.append({
            "quarantine_id": quarantine_id(r.source_path, sha, r.stage, r.reason),
            "run_id": run_id,
            "source_path": r.source_path,
            "raw_sha256": sha,
            "doc_id": r.doc_id,
            "stage": r.stage,
            "reason": r.reason,
            "detail": r.detail,
            "quarantined_at": now,
        })
    return to_table(rows, tables.QUARANTINE)


def row_rejections(rejected: Iterable[Mapping], run_id: str, now: datetime,
                   path_by_doc: Mapping[str, tuple[str, str]]) -> pa.Table:
    """Quarantine rows for table rows that failed a Great Expectations check."""
    rows = []
    for r in rejected:
        source_path, sha = path_by_doc.get(r.get("doc_id") or "", (None, None))
        expectation = r.get("expectation") or "unknown"
        row_json = r.get("row_json") if isinstance(r.get("row_json"), str) \
            else json.dumps(r.get("row_json"), default=str, ensure_ascii=False, sort_keys=True)
        rows.append({
            # the row's content is part of the id: two rows sharing a duplicated key stay two
            "quarantine_id": quarantine_id(source_path, sha, "validate", "failed_expectation",
                                           r.get("table_name"), r.get("row_id"), expectation,
                                           sha256_hex(row_json.encode("utf-8"))),
            "run_id": run_id,
            "source_path": source_path,
            "raw_sha256": sha,
            "doc_id": r.get("doc_id"),
            "stage": "validate",
            "reason": "failed_expectation",
            "detail": r.get("detail") or f"row failed {expectation}",
            "table_name": r.get("table_name"),
            "row_id": r.get("row_id"),
            "expectation": expectation,
            "row_json": row_json,
            "quarantined_at": now,
        })
    return to_table(rows, tables.QUARANTINE)


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
