"""Rows of `document_sources` and `landing_files` (the contract is in transforms/contract/tables.py).

A source is keyed by its path alone (a WARC record: PATH#RECORD-ID): a file that changes
replaces its row, and re-running a folder rewrites the same rows, so loads stay
idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from transforms.contract import tables
from transforms.contract.ids import stable_id
from transforms.rows.facts import to_table


def source_row(run_id: str, doc_id: str, source_path: str, uri: str | None, kind: str | None,
               raw_sha256: str | None, body_key: str | None, relation: str) -> dict:
    """One document_sources row; `relation` is first, same_bytes or same_body."""
    _, _, record = source_path.partition("#")
    return {
        "source_id": stable_id("source", source_path),
        "doc_id": doc_id,
        "source_path": source_path,
        "uri": uri,
        "record_id": f"<{record}>" if record else None,
        "kind": kind,
        "raw_sha256": raw_sha256,
        "body_key": body_key,
        "relation": relation,
        "run_id": run_id,
    }


def sources_table(rows: Iterable[dict]) -> pa.Table:
    return to_table(list(rows), tables.DOCUMENT_SOURCES)


def files_table(rows: Iterable[dict]) -> pa.Table:
    return to_table(list(rows), tables.LANDING_FILES)
