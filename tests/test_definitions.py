"""Tier 3: definitions smoke test — every piece is wired to every other piece.

Cheap checks that fail loudly when a table, suite, task or command is added in one
place and forgotten in another.
"""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.settings import Settings
from transforms.contract.tables import DOC_TABLES, KEYS, SCHEMAS


def test_every_table_has_keys_and_every_key_is_a_column():
    assert set(SCHEMAS) == set(KEYS)
    for name, keys in KEYS.items():
        assert set(keys) <= set(SCHEMAS[name].names), name
    for name in DOC_TABLES:
        assert "doc_id" in SCHEMAS[name].names


def test_every_fact_table_has_a_gx_suite():
    from expectations.validate import SUITES

    # runs, quarantine and the ingest bookkeeping (sources, file manifest) are not facts
    assert set(SUITES) == set(SCHEMAS) - {"runs", "quarantine", "document_sources", "landing_files"}


def test_warehouse_ddl_covers_every_table(tmp_path):
    from warehouse.schema import VIEWS
    from warehouse.store import Warehouse

    with Warehouse(tmp_path) as wh:
        wh.ensure_schema()
        names = {r[0] for r in wh.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(SCHEMAS) <= names
    assert {"v_deals", "v_entity_totals"} <= set(VIEWS) <= names


def test_flow_and_tasks_are_prefect_objects():
    from prefect import Flow
    from prefect.tasks import Task

    from flows import tasks
    from flows.pipeline import newsfacts_flow

    assert isinstance(newsfacts_flow, Flow)
    for name in ("discover", "ingest_batch", "clean_batch", "extract_batch", "normalise_batch",
                 "validate_group", "load_batch", "export"):
        assert isinstance(getattr(tasks, name), Task), name


def test_cli_commands_exist():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "extract", "sql"):
        assert command in result.output


def test_settings_defaults_and_env(monkeypatch):
    s = Settings()
    assert s.duckdb_path.name == "newsfacts.duckdb"
    monkeypatch.setenv("NEWSFACTS_BATCH_SIZE", "7")
    assert Settings().batch_size == 7
    assert Settings(batch_size=3).batch_size == 3


def test_extract_contract_over_stdin():
    proc = subprocess.run(
        [sys.executable, "-m", "newsfacts", "extract", "--jsonl"],
        input='{"id": "a", "text": "Il a levé 2,5 MMDH.", "lang": "fr"}\nnot json\n'
              '{"id": "b", "text": "about $5 billion"}\n',
        capture_output=True, text=True, check=True)
    import json

    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", None, "b"]
    (fig,) = lines[0]["figures"]
    assert (fig["kind"], fig["value"], fig["currency"]) == ("money", 2.5e9, "MAD")
    assert "error" in lines[1]
    (fig,) = lines[2]["figures"]
    assert (fig["value"], fig["currency"], fig["qualifier"]) == (5e9, "USD", "approx")


def test_transforms_import_no_prefect_duckdb_or_gx():
    code = ("import sys, transforms.rows.batch, transforms.page.ingest, transforms.figures, "
            "transforms.money.normalise, transforms.rows.facts, transforms.rows.quarantine\n"
            "bad = [m for m in ('prefect', 'duckdb', 'great_expectations') if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
