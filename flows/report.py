"""What one flow run did: its summary, its `runs` row and its Prefect artifact.

Kept out of pipeline.py so the flow reads as its stage sequence; the CLI prints the
same summary this module builds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

STAGES = ("discover", "ingest", "clean", "extract", "entities", "normalise", "validate", "load",
          "export")


@dataclass(slots=True)
class RunSummary:
    """What one run did; returned by the flow and printed by the CLI."""

    run_id: str
    flow_run_id: str | None
    input_dir: str
    warehouse_dir: str
    pages_seen: int = 0
    pages_new: int = 0
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_waiting: int = 0
    pages_loaded: int = 0
    pages_quarantined: int = 0
    pages_duplicate: int = 0
    pages_failed_validation: int = 0  # documents whose own row failed validation (quarantined)
    records_skipped: int = 0
    accounted: bool | None = None
    rows_quarantined: int = 0
    amounts: int = 0
    figures: int = 0
    deals: int = 0
    gx_success: bool | None = None
    gx_summary: dict = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def count_ingest(self, res) -> None:
        """Add one ingest batch's counts (flows.tasks.IngestResult)."""
        self.pages_seen += res.seen
        self.pages_unchanged += res.unchanged
        self.pages_new += res.new
        self.pages_changed += res.changed
        self.pages_duplicate += res.duplicate
        self.records_skipped += res.records_skipped

    def check_accounting(self) -> None:
        """Every page seen is loaded, unchanged, a duplicate, waiting or quarantined.

        Sets `accounted`; a mismatch is a bug that lost (or double-counted) pages: the run
        is recorded with the flag false and raises AccountingError once recorded.
        """
        parts = (self.pages_loaded + self.pages_unchanged + self.pages_duplicate
                 + self.pages_waiting + self.pages_quarantined)
        self.accounted = parts == self.pages_seen
        if not self.accounted:
            self.warnings.append(
                f"pages do not add up: seen {self.pages_seen} but loaded {self.pages_loaded} + "
                f"unchanged {self.pages_unchanged} + duplicate {self.pages_duplicate} + waiting "
                f"{self.pages_waiting} + quarantined {self.pages_quarantined} = {parts}")

    def raise_if_unaccounted(self) -> None:
        if self.accounted is False:
            raise AccountingError(self.warnings[-1] if self.warnings else "pages do not add up")


class AccountingError(RuntimeError):
    """A run's pages do not add up (see RunSummary.check_accounting)."""


def _run_row(s: RunSummary, started: datetime, finished: datetime) -> dict:
    return {
        "run_id": s.run_id,
        "flow_run_id": s.flow_run_id,
        "started": started,
        "finished": finished,
        "input_dir": s.input_dir,
        "status": "completed" if s.accounted is not False else "pages_do_not_add_up",
        "pages_seen": s.pages_seen,
        "pages_new": s.pages_new,
        "pages_changed": s.pages_changed,
        "pages_unchanged": s.pages_unchanged,
        "pages_waiting": s.pages_waiting,
        "pages_quarantined": s.pages_quarantined,
        "pages_loaded": s.pages_loaded,
        "pages_duplicate": s.pages_duplicate,
        "records_skipped": s.records_skipped,
        "accounted": s.accounted,
        "rows_quarantined": s.rows_quarantined,
        "n_amounts": s.amounts,
        "n_figures": s.figures,
        "stage_seconds": json.dumps({k: round(v, 4) for k, v in s.stage_seconds.items()}),
        "gx_success": s.gx_success,
        "gx_summary": json.dumps(s.gx_summary, default=str),
    }


def _markdown(s: RunSummary) -> str:
    rows = [
        ("pages seen", s.pages_seen), ("new", s.pages_new), ("changed", s.pages_changed),
        ("unchanged", s.pages_unchanged), ("waiting (still being written)", s.pages_waiting),
        ("loaded", s.pages_loaded), ("duplicates", s.pages_duplicate),
        ("quarantined", s.pages_quarantined), ("WARC records skipped", s.records_skipped),
        ("pages add up", s.accounted),
        ("rows failing validation", s.rows_quarantined), ("amounts", s.amounts),
        ("figures", s.figures), ("deals", s.deals), ("validation passed", s.gx_success),
        ("seconds", f"{s.seconds:.1f}"),
    ]
    lines = ["# newsfacts run", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += ["", "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in s.stage_seconds.items()]
    return "\n".join(lines)



_SUMMED = ("evaluated", "successful", "unsuccessful", "rows_in", "rows_rejected",
           "rows_cascaded", "rows_out", "seconds")


def merge_gx_summaries(parts: list[dict]) -> dict:
    """One validation summary for a run validated batch by batch (on the workers).

    Per table: counts and seconds summed, success only if every batch passed, failed
    expectations and their unexpected counts gathered; `batches` says how many. A
    run of one batch keeps that batch's summary as is; a run with none, no tables.
    """
    if not parts:
        return {"chunks": []}
    if len(parts) == 1:
        return parts[0]
    out: dict[str, dict] = {}
    for part in parts:
        for name, s in part.items():
            m = out.setdefault(name, {"suite": s.get("suite"), "success": True, "batches": 0,
                                      "failed_expectations": [], "unexpected_counts": {}})
            m["batches"] += 1
            m["success"] = m["success"] and bool(s.get("success"))
            for key in _SUMMED:
                if key in s:
                    m[key] = round(m.get(key, 0) + s[key], 3)
            for exp in s.get("failed_expectations", []):
                if exp not in m["failed_expectations"]:
                    m["failed_expectations"].append(exp)
            for exp, n in s.get("unexpected_counts", {}).items():
                m["unexpected_counts"][exp] = m["unexpected_counts"].get(exp, 0) + n
    return out
