"""Pure transforms: cleaning, extraction and normalisation on plain data and Arrow tables.

Nothing in this package imports Prefect or DuckDB or touches the file system: every
function takes values and returns values, so it is testable table-driven and reusable
from any orchestrator.
"""
