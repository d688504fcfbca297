"""Analyst views kept as one SQL file each under `warehouse/views/`.

A view that people read deserves its own file: the SQL is diffable on its own, and its
description sits on top of it as `--` comment lines, so the text that `_schema.json` and
the README quote cannot drift from the query. `warehouse.schema` merges these files into
its `VIEWS` and `VIEW_DESCRIPTIONS`, so the warehouse, the exports fallback and the mart
exports all use the same definition.
"""

from __future__ import annotations

from pathlib import Path

VIEWS_DIR = Path(__file__).resolve().parent / "views"


def parse_view_file(text: str) -> tuple[str, str]:
    """`(sql, description)` of one file: leading `--` lines are the description."""
    lines = text.splitlines()
    desc: list[str] = []
    i = 0
    while i < len(lines) and lines[i].lstrip().startswith("--"):
        desc.append(lines[i].lstrip()[2:].strip())
        i += 1
    sql = "\n".join(lines[i:]).strip()
    if not sql:
        raise ValueError("a view file needs SQL after its description")
    return "\n" + sql + "\n", " ".join(d for d in desc if d)


def view_files(folder: Path = VIEWS_DIR) -> dict[str, tuple[str, str]]:
    """Every `NAME.sql` of `folder` as NAME -> (sql, description), sorted by name."""
    if not folder.is_dir():
        return {}
    return {
        p.stem: parse_view_file(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.sql"))
    }
