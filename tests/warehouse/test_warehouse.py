"""Warehouse loads on real DuckDB files: idempotent, transactional, one writer at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
import pytest

from newsfacts.testing.synthetic import doc_ids, make_row, make_table, source_path, synthetic_batch
from transforms.contract.tables import DOC_TABLES, KEYS, SCHEMAS
from warehouse.schema import DERIVED_KEY_TABLES, SchemaMismatch, duckdb_type, fingerprint
from warehouse.store import DB_NAME, Warehouse, WarehouseBusy, conform

ROOT = Path(__file__).resolve().parents[2]


def snapshot(wh: Warehouse) -> dict[str, list[dict]]:
    """Full contents of every table (ordered by key) and the schema version rows."""
    out = {n: wh.read_table(n).to_pylist() for n in SCHEMAS}
    out["schema_version"] = wh.con.sql(
        "SELECT version, fingerprint, applied_at FROM schema_version ORDER BY ALL"
    ).fetchall()
    return out


def counts(wh: Warehouse) -> dict[str, int]:
    return {n: wh.con.sql(f"SELECT count(*) FROM {n}").fetchall()[0][0] for n in SCHEMAS}


@pytest.fixture
def wh(tmp_path: Path):
    with Warehouse(tmp_path / "wh") as w:
        w.ensure_schema()
        yield w


def _child(code: str) -> subprocess.Popen:
    """A Python child process running `code` with the repo importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def held_by_other_process(directory: Path, seconds: float = 60.0):
    """Another process opens the warehouse for writing and keeps it for `seconds`."""
    proc = _child(
        f"""
        import time
        from warehouse.store import Warehouse
        with Warehouse({str(directory)!r}) as w:
            w.ensure_schema()
            print("locked", flush=True)
            time.sleep({seconds})
        """
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "locked", proc.stderr.read()
        yield proc
    finally:
        proc.kill()
        proc.wait()


# -- the synthetic helper really fills every column ---------------------------------------
def test_synthetic_batch_fills_every_column_of_every_schema():
    batch = synthetic_batch(3)
    for name in SCHEMAS:
        if name == "runs":
            continue
        t = batch[name]
        assert t.schema.equals(SCHEMAS[name]), name
        assert t.num_rows > 0 or name == "quarantine", name
        for col in t.column_names:
            if t.num_rows:
                assert t.column(col).null_count < t.num_rows, f"{name}.{col} all null"
    row = make_row("quarantine", 1)
    assert set(row) == set(SCHEMAS["quarantine"].names)
    assert all(v is not None for v in row.values())


# -- schema ---------------------------------------------------------------------------------
def test_ddl_follows_arrow_schemas_and_keys(wh: Warehouse):
    for name, schema in SCHEMAS.items():
        cols = wh.con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
            "ORDER BY column_index",
            [name],
        ).fetchall()
        assert [c for c, _ in cols] == schema.names
        for (_, have), f in zip(cols, schema, strict=True):
            spelled = wh.con.sql(f"SELECT typeof(CAST(NULL AS {duckdb_type(f.type)}))").fetchall()
            assert have == spelled[0][0], (name, f.name)
        pk = wh.con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [name],
        ).fetchall()
        # the fact tables keyed by content hashes have no index (DERIVED_KEY_TABLES: the
        # loader refuses a batch repeating a key); every other table has its key
        assert [tuple(p[0]) for p in pk] == ([] if name in DERIVED_KEY_TABLES else [KEYS[name]])


def test_a_warehouse_whose_fact_tables_had_primary_keys_keeps_its_rows_without_them(tmp_path: Path):
    """Warehouses made before DERIVED_KEY_TABLES: the keys are dropped on the next
    schema check (same rows), and a batch repeating a key is still refused."""
    import warehouse.schema as schema_module

    with Warehouse(tmp_path) as w:
        w.ensure_schema()
        w.load_batch(synthetic_batch(3))

        def rows() -> dict:
            return {n: v for n, v in snapshot(w).items() if n != "schema_version"}

        before = rows()
        for name in DERIVED_KEY_TABLES:  # back to the old layout: the same table, keyed
            cols = ", ".join(SCHEMAS[name].names)
            w.con.execute(f"ALTER TABLE {name} RENAME TO old_{name}")
            w.con.execute(schema_module.table_ddl(name).replace(
                "\n)", f",\n    PRIMARY KEY ({', '.join(KEYS[name])})\n)"))
            w.con.execute(f"INSERT INTO {name} SELECT {cols} FROM old_{name}")
            w.con.execute(f"DROP TABLE old_{name}")
        w.con.execute("DELETE FROM schema_version")
        keyed = "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' " \
                "AND table_name IN ('fact_amount', 'fact_figure', 'fact_mention', 'fact_deal')"
        assert w.con.execute(keyed).fetchall()[0][0] == 4
        assert w.ensure_schema() is True
        assert w.con.execute(keyed).fetchall()[0][0] == 0
        assert rows() == before
        bad = synthetic_batch(1, first_doc=7)
        bad["fact_amount"] = pa.concat_tables([bad["fact_amount"], bad["fact_amount"].slice(0, 1)])
        with pytest.raises(duckdb.ConstraintException, match="Duplicate key"):
            w.load_batch(bad)
        assert rows() == before


def test_ensure_schema_twice_is_a_noop(tmp_path: Path):
    with Warehouse(tmp_path) as w:
        assert w.ensure_schema() is True
        w.load_batch(synthetic_batch(2))
        before = snapshot(w)
        views = w.con.sql(
            "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1"
        ).fetchall()
        assert w.ensure_schema() is False
        assert snapshot(w) == before
    with Warehouse(tmp_path) as w:  # and after reopening the file
        assert w.ensure_schema() is False
        assert snapshot(w) == before
        assert (
            w.con.sql(
                "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1"
            ).fetchall()
            == views
        )
        assert before["schema_version"][0][1] == fingerprint()
        assert len(before["schema_version"]) == 1


def test_ensure_schema_adds_new_columns_and_refuses_type_changes(tmp_path: Path):
    with Warehouse(tmp_path) as w:
        w.con.execute("CREATE TABLE documents (doc_id VARCHAR PRIMARY KEY, source_path VARCHAR)")
        w.con.execute("INSERT INTO documents VALUES ('d1', 'a.txt')")
        assert w.ensure_schema() is True
        assert w.read_table("documents").column_names == SCHEMAS["documents"].names
        assert w.read_table("documents").column("source_path").to_pylist() == ["a.txt"]
    with Warehouse(tmp_path / "other") as w:
        w.con.execute(
            "CREATE TABLE fx_rate (rate_date VARCHAR, currency VARCHAR, per_eur DOUBLE, source VARCHAR)"
        )
        with pytest.raises(SchemaMismatch, match=r"fx_rate\.rate_date"):
            w.ensure_schema()


def test_views_answer_on_empty_tables(wh: Warehouse):
    for view in ("v_amounts", "v_deals", "v_entity_totals"):
        assert wh.con.sql(f"SELECT * FROM {view}").fetchall() == []


def test_views_join_names_sites_and_monthly_totals(wh: Warehouse):
    batch = synthetic_batch(3, amounts_per_doc=2, n_entities=3)
    wh.load_batch(batch)
    amounts = wh.con.sql(
        "SELECT site, title, published_day, value_usd FROM v_amounts ORDER BY amount_id"
    ).fetchall()
    assert len(amounts) == 6 and all(
        a[0].startswith("site") and a[1].startswith("Title") for a in amounts
    )
    deals = wh.con.sql(
        "SELECT actor, counterpart, value_usd, value_usd_text FROM v_deals ORDER BY 1"
    ).fetchall()
    assert [(d[0], d[1]) for d in deals] == [
        ("Entity 0", "Entity 1"),
        ("Entity 1", "Entity 2"),
        ("Entity 2", "Entity 0"),
    ]
    assert all(d[3].startswith("$") and d[3].endswith("m") for d in deals)
    # Entity 1: actor of doc 1's deal, counterpart of doc 0's deal (same month).
    deal = {r["doc_id"]: r for r in batch["fact_deal"].to_pylist()}
    d0, d1 = doc_ids(2)
    row = wh.con.sql(
        "SELECT committed_usd, received_usd, n_deals_as_actor, n_deals_as_counterpart, month "
        "FROM v_entity_totals WHERE name = 'Entity 1'"
    ).fetchall()
    assert row == [(deal[d1]["value_usd"], deal[d0]["value_usd"], 1, 1, row[0][4])]
    # Measures of the actor (revenue) are not money it committed.
    revenue = make_table(
        "fact_deal",
        [
            make_row(
                "fact_deal",
                9,
                doc_id=d0,
                event_type="revenue",
                actor_id=deal[d1]["actor_id"],
                value_usd=1e12,
                pub_year=row[0][4].year,
                pub_month=row[0][4].month,
            )
        ],
    )
    docs0 = batch["documents"].filter(pc.equal(batch["documents"]["doc_id"], d0))
    deals0 = pa.concat_tables(
        [batch["fact_deal"].filter(pc.equal(batch["fact_deal"]["doc_id"], d0)), revenue]
    )
    amounts0 = batch["fact_amount"].filter(pc.equal(batch["fact_amount"]["doc_id"], d0))
    wh.load_batch({"documents": docs0, "fact_deal": deals0, "fact_amount": amounts0})
    again = wh.con.sql(
        "SELECT committed_usd FROM v_entity_totals WHERE name = 'Entity 1'"
    ).fetchall()
    assert again == [(deal[d1]["value_usd"],)]


# -- loads ----------------------------------------------------------------------------------
def test_same_batch_twice_gives_identical_tables(wh: Warehouse):
    batch = synthetic_batch(20)
    first = wh.load_batch(batch)
    after_first = snapshot(wh)
    second = wh.load_batch(batch)
    assert snapshot(wh) == after_first
    assert first.inserted["fact_amount"] == 200
    assert second.docs_replaced == 20 and second.unchanged["fact_amount"] == 200
    assert counts(wh)["documents"] == 20 and counts(wh)["fact_amount"] == 200


def test_changed_page_replaces_its_rows_only(wh: Warehouse):
    wh.load_batch(synthetic_batch(5))
    old = doc_ids(5)
    kept = {
        n: [r for r in wh.read_table(n).to_pylist() if r["doc_id"] != old[2]] for n in DOC_TABLES
    }
    changed = synthetic_batch(1, first_doc=2, version=1)
    result = wh.load_batch(changed, replace_source_paths=[source_path(2)])
    new_id = doc_ids(1, first_doc=2, version=1)[0]
    assert result.docs_replaced == 1 and result.deleted["fact_amount"] == 10
    for n in DOC_TABLES:
        rows = wh.read_table(n).to_pylist()
        assert old[2] not in {r["doc_id"] for r in rows}, n
        assert [r for r in rows if r["doc_id"] != new_id] == kept[n], n
        assert sorted(r[KEYS[n][0]] for r in rows if r["doc_id"] == new_id) == sorted(
            changed[n].column(KEYS[n][0]).to_pylist()
        ), n
    assert wh.known_pages()[source_path(2)] == changed["documents"]["raw_sha256"][0].as_py()


def test_deleted_page_is_removed_by_replace_paths_alone(wh: Warehouse):
    wh.load_batch(synthetic_batch(3))
    wh.load_batch({}, replace_source_paths=[source_path(1)])
    assert sorted(wh.known_pages()) == [source_path(0), source_path(2)]
    assert counts(wh)["fact_amount"] == 20


def test_same_doc_from_two_batches_is_not_duplicated(wh: Warehouse):
    wh.load_batch(synthetic_batch(3))
    wh.load_batch(synthetic_batch(2, first_doc=1))  # docs 1 and 2 again, without replace paths
    assert counts(wh)["documents"] == 3 and counts(wh)["fact_amount"] == 30


def test_failure_between_delete_and_insert_rolls_back_everything(wh: Warehouse):
    wh.load_batch(synthetic_batch(4))
    before = snapshot(wh)
    bad = synthetic_batch(2, version=1)  # changed pages: their old rows get deleted first
    dup = bad["fact_mention"].slice(0, 1)
    bad["fact_mention"] = pa.concat_tables([bad["fact_mention"], dup])  # duplicate key
    with pytest.raises(duckdb.ConstraintException):
        wh.load_batch(bad, replace_source_paths=[source_path(0), source_path(1)])
    assert snapshot(wh) == before
    # A Python-side error after the document slice was rewritten: same guarantee.
    clash = synthetic_batch(2, version=2)
    rate = clash["fx_rate"].slice(0, 1)
    other = rate.set_column(rate.schema.get_field_index("per_eur"), "per_eur", pa.array([123.0]))
    clash["fx_rate"] = pa.concat_tables([clash["fx_rate"], other])
    with pytest.raises(ValueError, match="conflicting rows"):
        wh.load_batch(clash, replace_source_paths=[source_path(0), source_path(1)])
    assert snapshot(wh) == before
    wh.load_batch(synthetic_batch(1, first_doc=9))  # the connection is still usable
    assert counts(wh)["documents"] == 5


def test_wrong_column_type_is_refused_before_writing(wh: Warehouse):
    wh.load_batch(synthetic_batch(2))
    before = snapshot(wh)
    bad = synthetic_batch(2, version=1)
    bad["fact_amount"] = bad["fact_amount"].set_column(
        bad["fact_amount"].schema.get_field_index("value"),
        "value",
        pa.array(["12"] * bad["fact_amount"].num_rows),
    )
    with pytest.raises(SchemaMismatch, match=r"fact_amount.value: expected double, got string"):
        wh.load_batch(bad, replace_source_paths=[source_path(0)])
    assert snapshot(wh) == before


def test_conform_orders_by_name_casts_safely_and_rejects_unknowns():
    t = make_table("fx_rate", [make_row("fx_rate", 1)])
    shuffled = t.select(list(reversed(t.column_names)))
    assert conform("fx_rate", shuffled).equals(t)
    narrow = pa.table(
        {"currency": ["USD"], "name": ["dollar"], "minor_units": pa.array([2], pa.int64())}
    )
    assert conform("dim_currency", narrow).schema.equals(SCHEMAS["dim_currency"])
    with pytest.raises(SchemaMismatch, match="cannot cast"):
        conform("dim_currency", narrow.set_column(2, "minor_units", pa.array([1000], pa.int64())))
    with pytest.raises(SchemaMismatch, match="unknown columns"):
        conform("fx_rate", t.append_column("oops", pa.array([1])))
    with pytest.raises(SchemaMismatch, match="missing key columns"):
        conform("fx_rate", t.drop_columns(["currency"]))


def test_entities_merge_aliases_sorted_unique(wh: Warehouse):
    e = "ent-1"
    wh.load_batch(
        {
            "dim_entity": make_table(
                "dim_entity",
                [
                    make_row(
                        "dim_entity", 1, entity_id=e, name="SoftBank", aliases=["SBG", "Softbank"]
                    ),
                    make_row(
                        "dim_entity",
                        1,
                        entity_id=e,
                        name="SoftBank",
                        aliases=["ソフトバンク", "SBG"],
                    ),
                    make_row("dim_entity", 2, entity_id="ent-2", name="OpenAI", aliases=None),
                ],
            )
        }
    )
    wh.load_batch(
        {
            "dim_entity": make_table(
                "dim_entity",
                [
                    make_row(
                        "dim_entity",
                        1,
                        entity_id=e,
                        name="SoftBank Group",
                        aliases=["Masayoshi Son's group", "SBG"],
                    ),
                ],
            )
        }
    )
    rows = {r["entity_id"]: r for r in wh.read_table("dim_entity").to_pylist()}
    assert rows[e]["aliases"] == sorted(
        {"SBG", "Softbank", "ソフトバンク", "Masayoshi Son's group"}
    )
    assert rows[e]["name"] == "SoftBank"  # the first name stays: ids are stable, names too
    assert rows["ent-2"]["aliases"] is None


def test_shared_tables_replace_by_key_and_refuse_conflicts(wh: Warehouse):
    rate = make_row("fx_rate", 1, currency="MAD", per_eur=10.9, source="bank-al-maghrib")
    wh.load_batch({"fx_rate": make_table("fx_rate", [rate, rate])})  # identical duplicates
    wh.load_batch({"fx_rate": make_table("fx_rate", [{**rate, "per_eur": 10.8}])})
    assert wh.read_table("fx_rate").column("per_eur").to_pylist() == [10.8]
    before = snapshot(wh)
    with pytest.raises(ValueError, match="conflicting rows"):
        wh.load_batch({"fx_rate": make_table("fx_rate", [rate, {**rate, "per_eur": 1.0}])})
    assert snapshot(wh) == before


def test_quarantine_is_insert_or_ignore_and_cleared_when_page_loads(wh: Warehouse):
    batch = synthetic_batch(2)
    sha = batch["documents"]["raw_sha256"][1].as_py()
    bad_page = make_row(
        "quarantine",
        1,
        quarantine_id="q-ingest",
        source_path=source_path(1),
        raw_sha256="bad-bytes",
        stage="ingest",
        reason="undecodable",
    )
    bad_row = make_row(
        "quarantine",
        2,
        quarantine_id="q-validate",
        source_path=source_path(0),
        stage="validate",
        reason="expectation failed",
    )
    wh.load_batch(
        {
            "documents": batch["documents"].slice(0, 1),
            "quarantine": make_table("quarantine", [bad_page, bad_row]),
        }
    )
    assert wh.known_pages() == {
        source_path(0): batch["documents"]["raw_sha256"][0].as_py(),
        source_path(1): "bad-bytes",
    }
    # a re-run with a new timestamp leaves the quarantine row as it was
    rerun = {
        **bad_page,
        "run_id": "run-2",
        "quarantined_at": bad_page["quarantined_at"].replace(year=2030),
    }
    wh.load_batch({"quarantine": make_table("quarantine", [rerun])})
    assert wh.read_table("quarantine").to_pylist()[0]["run_id"] == bad_page["run_id"]
    # the page is fixed: its ingest quarantine row goes, the validate row of page 0 stays
    result = wh.load_batch({"documents": batch["documents"].slice(1, 1)})
    assert result.quarantine_cleared == 1
    assert wh.read_table("quarantine").column("quarantine_id").to_pylist() == ["q-validate"]
    assert wh.known_pages()[source_path(1)] == sha


def test_path_lookups_answer_as_the_whole_map(wh: Warehouse):
    """`prefetch` (a few paths asked in DuckDB) gives what the whole map gives: a
    quarantined page's newest row wins over a document, unknown paths are absent."""
    batch = synthetic_batch(3)
    older = make_row("quarantine", 1, quarantine_id="q-old", source_path=source_path(1),
                     raw_sha256="old-bytes", stage="ingest", reason="undecodable")
    newer = {**make_row("quarantine", 2, quarantine_id="q-new", source_path=source_path(1),
                        raw_sha256="new-bytes", stage="ingest", reason="undecodable"),
             "quarantined_at": older["quarantined_at"].replace(year=2031)}
    wh.load_batch({"documents": batch["documents"].slice(0, 1),
                   "quarantine": make_table("quarantine", [older, newer])})
    whole = dict(wh.known_pages())
    assert whole[source_path(1)] == "new-bytes"
    asked = [source_path(0), source_path(1), source_path(2), "nowhere.txt"]
    lazy = wh.known_pages()
    lazy.prefetch(asked)
    assert lazy._by_path is None  # answered without loading every path
    assert {p: lazy.get(p) for p in asked} == {p: whole.get(p) for p in asked}
    assert lazy._by_path is None
    lazy.forget_paths()
    assert len(lazy) == 0 and lazy.unchanged_file(source_path(0), 1, 1) is None


def test_record_run_upserts_and_stores_json(wh: Warehouse):
    wh.record_run(
        {"run_id": "r1", "status": "running", "stage_seconds": {"load": 1.5, "clean": 0.2}}
    )
    wh.record_run(
        {
            "run_id": "r1",
            "status": "ok",
            "pages_seen": 3,
            "stage_seconds": {"load": 1.5, "clean": 0.2},
            "gx_success": True,
        }
    )
    rows = wh.read_table("runs").to_pylist()
    assert len(rows) == 1 and rows[0]["status"] == "ok" and rows[0]["pages_seen"] == 3
    assert rows[0]["stage_seconds"] == '{"clean": 0.2, "load": 1.5}'
    with pytest.raises(ValueError, match="unknown columns"):
        wh.record_run({"run_id": "r2", "nope": 1})


def test_unknown_table_and_string_paths_are_refused(wh: Warehouse):
    with pytest.raises(ValueError, match="unknown tables"):
        wh.load_batch({"fact_amounts": synthetic_batch(1)["fact_amount"]})
    with pytest.raises(TypeError):
        wh.load_batch({}, replace_source_paths="landing/a.txt")


# -- opening: read-only, missing, locked ----------------------------------------------------
def test_read_only_mode(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        Warehouse(tmp_path / "none", read_only=True)
    with Warehouse(tmp_path) as w:
        w.ensure_schema()
        w.load_batch(synthetic_batch(2))
    with Warehouse(tmp_path, read_only=True) as r:
        assert len(r.known_pages()) == 2
        with pytest.raises(PermissionError):
            r.load_batch(synthetic_batch(1))
        with pytest.raises(duckdb.Error):
            r.con.execute("DELETE FROM documents")


def test_second_process_times_out_with_warehouse_busy(tmp_path: Path):
    with held_by_other_process(tmp_path):
        for read_only in (False, True):
            start = time.monotonic()
            with pytest.raises(WarehouseBusy) as err:
                Warehouse(tmp_path, lock_timeout=1.0, read_only=read_only)
            waited = time.monotonic() - start
            assert 1.0 <= waited < 3.0
            assert str(tmp_path / DB_NAME) in str(err.value)


def test_lock_released_within_timeout_is_waited_for(tmp_path: Path):
    with held_by_other_process(tmp_path, seconds=0.7) as proc:
        start = time.monotonic()
        with Warehouse(tmp_path, lock_timeout=20) as w:
            assert w.ensure_schema() is False
        assert 0.3 < time.monotonic() - start < 10
        assert proc.wait(timeout=10) == 0


# -- a process killed in the middle of a load -----------------------------------------------
def test_killed_mid_load_leaves_before_or_after_state(tmp_path: Path):
    """SIGKILL at several moments of a load: the file holds either state, never a mix."""
    base = tmp_path / "base"
    with Warehouse(base) as w:
        w.ensure_schema()
        w.load_batch(synthetic_batch(600))
    changed = synthetic_batch(300, version=1)
    paths = [source_path(i) for i in range(300)]
    arrow_dir = tmp_path / "arrow"
    arrow_dir.mkdir()
    for name, t in changed.items():
        feather.write_feather(t, arrow_dir / f"{name}.arrow")
    expected_after = tmp_path / "after"
    shutil.copytree(base, expected_after)
    with Warehouse(base, read_only=True) as w:
        before = snapshot(w)
    with Warehouse(expected_after) as w:
        w.load_batch(changed, replace_source_paths=paths)
        after = snapshot(w)
    assert before != after

    interrupted = 0
    for k, delay in enumerate((0.0, 0.05, 0.15, 0.25, 0.4)):
        target = tmp_path / f"kill{k}"
        shutil.copytree(base, target)
        proc = _child(
            f"""
            import pathlib, pyarrow.feather as feather
            from warehouse.store import Warehouse
            tables = {{p.stem: feather.read_table(p) for p in pathlib.Path({str(arrow_dir)!r}).glob("*.arrow")}}
            with Warehouse({str(target)!r}) as w:
                print("loading", flush=True)
                w.load_batch(tables, replace_source_paths={paths!r})
                print("done", flush=True)
            """
        )
        assert proc.stdout.readline().strip() == "loading", proc.stderr.read()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        interrupted += "done" not in out
        with Warehouse(target, read_only=True) as w:
            state = snapshot(w)
        assert state in (before, after), f"kill after {delay}s left a mixed state"
    assert interrupted >= 1, "no kill landed inside the load; the test proved nothing"
