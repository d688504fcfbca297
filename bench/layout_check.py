"""Behaviour check for a layout change: same tables, same extractor output.

A refactoring that moves code must not change what the project computes. This script
records two fingerprints and compares them later, through the front doors only (the
`newsfacts` command and the DuckDB file), so it runs unchanged on either side of a move:

- a flow run on `data/sample` into a fresh warehouse, then one SHA-256 per table and
  view over its rows (every column except run ids, timings, timestamps of the run and
  the input path; rows sorted), and
- `newsfacts extract --jsonl` over every JSONL file of `../shared/eval/dev/` (each line
  reduced to id, text, lang), kept byte for byte.

    python bench/layout_check.py --save /somewhere/baseline
    python bench/layout_check.py --compare /somewhere/baseline
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "newsfacts"
DEV = ROOT.parent / "shared" / "eval" / "dev"
SAMPLE = ROOT / "data" / "sample"
# Columns that say when or by which run a row was written, not what it holds.
SKIP_COLUMNS = {"run_id", "flow_run_id", "started", "finished", "quarantined_at",
                "stage_seconds", "input_dir", "applied_at"}


def _drop_seconds(value: object) -> object:
    """gx_summary holds each suite's wall time: keep everything else."""
    if isinstance(value, dict):
        return {k: _drop_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_drop_seconds(v) for v in value]
    return value


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               GX_ANALYTICS_ENABLED="false")
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    return env


def table_hashes() -> dict[str, dict]:
    """Run the flow on the sample into a temporary warehouse and hash each relation."""
    import duckdb

    tmp = Path(tempfile.mkdtemp(prefix="layout_check_"))
    try:
        wh = tmp / "warehouse"
        proc = subprocess.run([str(CLI), "run", "--input", str(SAMPLE), "--warehouse", str(wh)],
                              cwd=ROOT, env=_env(), capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"flow run failed: rc={proc.returncode}")
        con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
        rels = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name").fetchall()
        out: dict[str, dict] = {"_flow_rc": {"rc": proc.returncode}}
        for (name,) in rels:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [name]).fetchall() if c not in SKIP_COLUMNS]
            sel = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'SELECT {sel} FROM "{name}"').fetchall()
            if "gx_summary" in cols:
                i = cols.index("gx_summary")
                rows = [(*r[:i], json.dumps(_drop_seconds(json.loads(r[i])), sort_keys=True),
                         *r[i + 1:]) for r in rows]
            lines = sorted(json.dumps(list(r), default=str, ensure_ascii=False) for r in rows)
            digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            out[name] = {"rows": len(rows), "columns": cols, "sha256": digest}
        con.close()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def extract_outputs() -> dict[str, bytes]:
    """`newsfacts extract --jsonl` output for each dev file (id, text, lang per line)."""
    out: dict[str, bytes] = {}
    if not DEV.is_dir():
        return out
    for path in sorted(DEV.glob("*.jsonl")):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                lines.append(json.dumps({k: obj.get(k) for k in ("id", "text", "lang")},
                                        ensure_ascii=False))
        proc = subprocess.run([str(CLI), "extract", "--jsonl"], input="\n".join(lines) + "\n",
                              cwd=ROOT, env=_env(), capture_output=True, text=True, check=True)
        out[path.name] = proc.stdout.encode("utf-8")
    return out


def save(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / "tables.json").write_text(json.dumps(table_hashes(), indent=1, sort_keys=True))
    ext = target / "extract"
    ext.mkdir(exist_ok=True)
    for name, data in extract_outputs().items():
        (ext / name).write_bytes(data)
    print(f"saved to {target}")


def compare(base: Path) -> int:
    bad = 0
    old = json.loads((base / "tables.json").read_text())
    new = table_hashes()
    for name in sorted(set(old) | set(new)):
        same = old.get(name) == new.get(name)
        bad += not same
        detail = "" if same else f"  before={old.get(name)}  after={new.get(name)}"
        print(f"{'same' if same else 'DIFF'}  table {name}{detail}")
    outs = extract_outputs()
    for path in sorted((base / "extract").glob("*.jsonl")):
        same = outs.get(path.name) == path.read_bytes()
        bad += not same
        print(f"{'same' if same else 'DIFF'}  extract {path.name}")
    print("identical" if not bad else f"{bad} differences")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path)
    g.add_argument("--compare", type=Path)
    a = ap.parse_args()
    if a.save:
        save(a.save)
        return 0
    return compare(a.compare)


if __name__ == "__main__":
    raise SystemExit(main())
