"""Marts: v_amounts, v_deals and v_entity_totals exported as Parquet beside the tables.

Read back by DuckDB, pandas, polars and pyarrow with the views' row counts, partitioned
like the tables, deterministic, atomic, and documented column by column in _schema.json.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from newsfacts.testing.synthetic import make_row, make_table, synthetic_batch
from transforms.contract.pages import RawPage
from transforms.mentions.context import sentence_spans
from transforms.page.ingest import prepare_page
from transforms.rows.batch import figures_of
from transforms.rows.facts import build_tables
from warehouse import schema as schema_module
from warehouse.export import SCHEMA_FILE, TMP_PREFIX, export_all
from warehouse.marts import MART_COLUMNS, MART_KEYS, mart_columns
from warehouse.schema import VIEW_DESCRIPTIONS, VIEWS
from warehouse.store import Warehouse

MARTS = ("v_amounts", "v_deals", "v_entity_totals")


@pytest.fixture
def warehouse(tmp_path: Path):
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        wh.load_batch(synthetic_batch(30, hours_between_docs=400, n_entities=6))
        yield wh


def view_count(wh: Warehouse, name: str) -> int:
    return wh.con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]


def test_every_mart_is_exported_and_readable_by_four_libraries(warehouse, tmp_path):
    exports = tmp_path / "exports"
    counts = export_all(warehouse, exports)
    for name in MARTS:
        want = view_count(warehouse, name)
        assert want > 0 and counts[name] == want
        folder = exports / name
        files = sorted(folder.glob("pub_year=*/pub_month=*/*.parquet"))
        assert files and all(p.name.startswith("data_") for p in files)
        glob = f"{folder}/**/*.parquet"
        con = duckdb.connect()
        assert con.execute(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)"
                           ).fetchall()[0][0] == want
        assert len(pd.read_parquet(folder)) == want
        assert pl.scan_parquet(glob, hive_partitioning=True).select(pl.len()).collect().item() == want
        assert ds.dataset(folder, format="parquet", partitioning="hive").count_rows() == want


def test_mart_files_hold_the_views_rows(warehouse, tmp_path):
    exports = tmp_path / "exports"
    export_all(warehouse, exports)
    con = duckdb.connect()
    for name in MARTS:
        cols = [c for c, _ in mart_columns()[name]]
        select = ", ".join(f'"{c}"' for c in cols if c not in ("pub_year", "pub_month"))
        key = ", ".join(MART_KEYS[name])
        got = con.execute(
            f"SELECT {select} FROM read_parquet('{exports / name}/**/*.parquet', "
            f"hive_partitioning = true) ORDER BY {key}").fetchall()
        want = warehouse.con.execute(f"SELECT {select} FROM {name} ORDER BY {key}").fetchall()
        assert got == want, name


def test_marts_and_tables_share_one_partition_layout(warehouse, tmp_path):
    """Tables and marts go through the same partitioned copy: v_amounts lies in exactly
    the folders of fact_amount, with the same file names, whole or partial."""
    exports = tmp_path / "exports"

    def layout(name: str) -> list[str]:
        return sorted(p.relative_to(exports / name).as_posix()
                      for p in (exports / name).rglob("*.parquet"))

    export_all(warehouse, exports)
    assert layout("v_amounts") == layout("fact_amount") and len(layout("fact_amount")) > 1
    first = layout("fact_amount")[0].split("/")
    year, month = (int(part.split("=")[1]) for part in first[:2])
    counts = export_all(warehouse, exports, partitions=[(year, month)])
    want = warehouse.con.execute(
        "SELECT count(*) FROM fact_amount WHERE coalesce(pub_year, 0) = ? "
        "AND coalesce(pub_month, 0) = ?", [year, month]).fetchall()[0][0]
    assert counts["fact_amount"] == counts["v_amounts"] == want > 0
    assert layout("v_amounts") == layout("fact_amount")


def test_schema_file_documents_every_mart_column(warehouse, tmp_path):
    exports = tmp_path / "exports"
    export_all(warehouse, exports)
    doc = json.loads((exports / SCHEMA_FILE).read_text())
    con = duckdb.connect()
    for name in MARTS:
        mart = doc["marts"][name]
        assert mart["description"] == VIEW_DESCRIPTIONS[name]
        assert mart["partitioned_by"] == ["pub_year", "pub_month"]
        assert mart["primary_key"] == list(MART_KEYS[name])
        assert all(c["description"] for c in mart["columns"]), name
        in_file = [c["name"] for c in mart["columns"] if c["in_file"]]
        one_file = next((exports / name).rglob("*.parquet"))
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{one_file}', "
                                "hive_partitioning = false)").fetchall()
        assert [r[0] for r in described] == in_file
        types = {c["name"]: c["duckdb_type"] for c in mart["columns"]}
        assert all(types[r[0]] == r[1] for r in described), name
        assert set(MART_COLUMNS[name]) == {c["name"] for c in mart["columns"]}


def test_re_export_is_byte_identical_and_leaves_no_temporary_files(warehouse, tmp_path):
    exports = tmp_path / "exports"
    export_all(warehouse, exports)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in exports.rglob("*.parquet")
              if p.parts[-4 if "pub_year" in str(p) else -2].startswith("v_")}
    export_all(warehouse, exports)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before}
    assert before == after
    assert not [p for p in exports.rglob("*") if p.name.startswith(TMP_PREFIX)]


def test_partial_export_keeps_the_marts(warehouse, tmp_path):
    exports = tmp_path / "exports"
    export_all(warehouse, exports)
    files = sorted((exports / "v_deals").rglob("*.parquet"))
    export_all(warehouse, exports, only=["runs"])
    assert sorted((exports / "v_deals").rglob("*.parquet")) == files
    assert "v_deals" in json.loads((exports / SCHEMA_FILE).read_text())["marts"]


def test_empty_warehouse_exports_empty_marts_with_their_columns(tmp_path):
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        counts = export_all(wh, tmp_path / "exports")
    for name in MARTS:
        assert counts[name] == 0
        files = list((tmp_path / "exports" / name).rglob("*.parquet"))
        assert [p.relative_to(tmp_path / "exports" / name).as_posix() for p in files] == [
            "pub_year=0/pub_month=0/data_0.parquet"]
        df = pd.read_parquet(files[0])
        assert len(df) == 0 and "pub_year" not in df.columns and len(df.columns) > 5


def test_v_amounts_gives_the_sentence_of_each_amount(tmp_path):
    """Rows built by the pipeline (page -> figures -> fact rows) carry the bounds of the
    sentence sentence_no counts, and v_amounts quotes exactly that sentence: an
    abbreviation ("M. Alami") does not end it, a line break does, a title amount gets
    the title."""
    body = ("Le marché est calme. Selon M. Alami, le groupe OCP investira 5,8 milliards de "
            "dollars au Maroc d'ici 2030. Le reste suit.\nSa filiale a levé de son côté 12 MDH "
            "auprès des banques de la région, sans point final")
    text = f"OCP investit 5,8 milliards de dollars\n\n{body}\n"
    raw = RawPage("landing/ocp.txt", text.encode(), None,
                  {"url": "https://lematin.ma/ocp", "fetched_at": "2025-03-12T10:00:00+01:00"})
    page = prepare_page(raw)
    assert page.body == body
    tables = build_tables([figures_of(page)], "run-1")
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        wh.load_batch({n: tables[n] for n in ("documents", "fact_amount")})
        rows = wh.con.execute("SELECT surface, in_title, sentence_no, sentence FROM v_amounts "
                              "ORDER BY in_title, sentence_no").fetchall()
        export_all(wh, tmp_path / "exports")
    assert [(r[0], r[3]) for r in rows] == [
        ("5,8 milliards de dollars",
         "Selon M. Alami, le groupe OCP investira 5,8 milliards de dollars au Maroc d'ici 2030."),
        ("12 MDH", "Sa filiale a levé de son côté 12 MDH auprès des banques de la région, "
         "sans point final"),
        ("5,8 milliards de dollars", "OCP investit 5,8 milliards de dollars"),
    ]
    spans = sentence_spans(body)
    for _surface, in_title, no, sentence in rows:
        if not in_title:
            assert sentence == body[slice(*spans[no - 1])].strip()
    exported = pd.read_parquet(tmp_path / "exports" / "v_amounts")
    assert sorted(exported["sentence"]) == sorted(r[3] for r in rows)


def test_v_amounts_quotes_old_rows_after_the_migration_fills_their_bounds(tmp_path):
    """A warehouse loaded before fact_amount had sentence_start/_end gains them on
    ensure_schema, filled from documents.body; the mart is then exported whole."""
    body = "Premier point. La banque prête 300 millions de dirhams à M. Alami. Fin."
    start = body.index("300 millions")
    pub = {"published_at": datetime(2025, 3, 12, 9, tzinfo=UTC), "pub_year": 2025, "pub_month": 3}
    doc = make_row("documents", 0, doc_id="d1", body=body, title="Crédit", **pub)
    amount = make_row("fact_amount", 0, amount_id="a1", doc_id="d1", body_start=start,
                      body_end=start + len("300 millions de dirhams"), in_title=False,
                      surface="300 millions de dirhams", published_date=date(2025, 3, 12), **pub)
    exports = tmp_path / "exports"
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        wh.load_batch({"documents": make_table("documents", [doc]),
                       "fact_amount": make_table("fact_amount", [amount])})
        export_all(wh, exports)
        # As an older warehouse: no bounds columns, an older schema version and export.
        wh.con.execute("ALTER TABLE fact_amount DROP COLUMN sentence_start")
        wh.con.execute("ALTER TABLE fact_amount DROP COLUMN sentence_end")
        wh.con.execute("DELETE FROM schema_version")
        meta = json.loads((exports / SCHEMA_FILE).read_text())
        meta["marts"]["v_amounts"]["description"] = "older"
        meta["tables"]["fact_amount"]["columns"] = meta["tables"]["fact_amount"]["columns"][:3]
        (exports / SCHEMA_FILE).write_text(json.dumps(meta))
        stale = exports / "v_amounts" / "pub_year=2025" / "pub_month=3" / "data_0.parquet"
        stale.unlink()
        assert wh.ensure_schema()
        assert wh.con.execute("SELECT sentence_start, sentence_end, sentence FROM fact_amount "
                              "JOIN v_amounts USING (amount_id)").fetchall() == [
            (body.index("La banque"), body.index(" Fin."), "La banque prête 300 millions de "
             "dirhams à M. Alami.")]
        assert not wh.ensure_schema()  # filled once, at the migration
        export_all(wh, exports, partitions=[(1999, 1)])  # a run that touched another month
    assert stale.is_file()  # changed layout: exported whole, not only the touched month
    files = pd.read_parquet(exports / "fact_amount")
    assert files["sentence_start"].tolist() == [body.index("La banque")]


def test_view_files_carry_their_description():
    files = sorted((Path(schema_module.__file__).parent / "views").glob("*.sql"))
    assert {p.stem for p in files} == set(VIEWS) >= set(MART_KEYS)
    for p in files:
        lines = p.read_text(encoding="utf-8").splitlines()
        head = [ln[3:] for ln in lines if ln.startswith("-- ")]
        assert head and lines[0].startswith("-- ")
        assert len(VIEW_DESCRIPTIONS[p.stem]) > 40
        assert VIEW_DESCRIPTIONS[p.stem].startswith(head[0].split("{")[0].strip())
        assert "SELECT" in VIEWS[p.stem].upper() and not VIEWS[p.stem].lstrip().startswith("--")
