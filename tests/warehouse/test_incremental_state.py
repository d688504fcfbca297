"""What lets a run cost its new pages only: furniture statistics kept in the warehouse,
and Parquet exports that rewrite only the partitions a run touched."""

from __future__ import annotations

from pathlib import Path

from newsfacts.testing.synthetic import synthetic_batch
from tests.warehouse.test_exports import expected_rows, fill, read_all_ways
from transforms.contract.tables import SCHEMAS
from transforms.page.clean import furniture_from_counts, page_line_keys, recurring_lines
from warehouse import furniture as store
from warehouse.export import (
    clear_pending,
    export_all,
    mark_pending,
    partitioned,
    partitions_in,
    pending,
)
from warehouse.store import Warehouse

MENU = "Accueil\nEconomie\nSport\nAbonnez-vous à notre newsletter\n"


def _page(i: int) -> str:
    body = f"Le groupe numéro {i} annonce un investissement de {i} millions de dirhams."
    return MENU + f"Titre de la page {i}\n" + body + ("\nWidget météo" if i % 2 else "") + "\n"


def _furniture(con) -> dict[str, frozenset[str]]:
    return {site: furniture_from_counts(n, counts, min_pages=3, min_share=0.5)
            for site, (n, counts) in store.site_statistics(con, 3).items()}


def test_statistics_recorded_run_by_run_equal_counting_every_page(tmp_path: Path):
    texts = [_page(i) for i in range(9)]
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        store.ensure_table(wh.con)
        # three "runs" of three new pages each, the middle one recorded twice (a killed
        # run's scan, then its re-run): counts are per page, so nothing doubles
        for chunk in (range(0, 3), range(3, 6), range(3, 6), range(6, 9)):
            store.record_pages(wh.con, [("s.ma", f"/p{i}.txt", page_line_keys(texts[i]))
                                        for i in chunk])
        got = _furniture(wh.con)
    want = recurring_lines({"s.ma": texts}, min_pages=3, min_share=0.5)
    assert got == want
    assert "accueil" in got["s.ma"] and "widget météo" not in got["s.ma"]  # on 4 of 9 pages


def test_a_changed_page_replaces_its_lines(tmp_path: Path):
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        store.ensure_table(wh.con)
        store.record_pages(wh.con, [("s.ma", f"/p{i}.txt", page_line_keys(_page(i)))
                                    for i in range(4)])
        assert "accueil" in _furniture(wh.con)["s.ma"]
        bare = "Une page sans menu, seulement un paragraphe."
        store.record_pages(wh.con, [("s.ma", f"/p{i}.txt", page_line_keys(bare))
                                    for i in range(3)])
        pages, counts = store.site_statistics(wh.con, 1)["s.ma"]
        assert pages == 4 and counts["accueil"] == 1


def test_a_warehouse_with_the_keyed_statistics_table_keeps_its_rows_without_the_key(tmp_path: Path):
    """Warehouses made before the table lost its primary key (held in memory by DuckDB,
    the largest index of a big warehouse) get it rebuilt without, rows unchanged."""
    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        wh.con.execute(f"CREATE TABLE {store.TABLE} (site VARCHAR NOT NULL, source_path VARCHAR "
                       "NOT NULL, line_key VARCHAR NOT NULL, PRIMARY KEY (source_path, line_key))")
        store.record_pages(wh.con, [("s.ma", f"/p{i}.txt", page_line_keys(_page(i))) for i in range(4)])
        before = wh.con.execute(f"SELECT * FROM {store.TABLE} ORDER BY ALL").fetchall()
        store.ensure_table(wh.con)
        store.ensure_table(wh.con)  # a second time: nothing left to do
        keys = wh.con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
                              "AND constraint_type = 'PRIMARY KEY'", [store.TABLE]).fetchall()[0][0]
        after = wh.con.execute(f"SELECT * FROM {store.TABLE} ORDER BY ALL").fetchall()
        assert keys == 0 and after == before and len(before) > 4
        store.record_pages(wh.con, [("s.ma", "/p0.txt", page_line_keys("Une page sans menu."))])
        assert store.site_statistics(wh.con, 1)["s.ma"][0] == 4


def _mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*.parquet")}


def test_export_rewrites_only_the_touched_partitions(tmp_path: Path):
    exports = tmp_path / "exports"
    with Warehouse(tmp_path / "wh") as wh:
        fill(wh)
        export_all(wh, exports)
        before = _mtimes(exports)
        # a new page in a month of its own, then an export of what it touched
        batch = synthetic_batch(1, first_doc=900, hours_between_docs=30)
        parts = partitions_in(batch)
        assert len(parts) == 1
        mark_pending(wh.con, parts)
        wh.load_batch(batch)
        todo = pending(wh.con)
        assert todo == sorted(parts)
        export_all(wh, exports, partitions=todo)
        clear_pending(wh.con, todo)
        assert pending(wh.con) == []
        after = _mtimes(exports)
        year, month = next(iter(parts))
        touched = f"pub_year={year}/pub_month={month}/"
        changed = {k for k in after if before.get(k) != after[k]}
        # partitioned tables: only files of the new page's partition were written; the
        # small unpartitioned tables are exported whole as before
        assert changed, "the new partition was exported"
        assert all(touched in k or "/" not in k.split("/", 1)[1] for k in changed), changed
        for name in SCHEMAS:
            if partitioned(name):
                for rows in read_all_ways(exports, name).values():
                    assert rows == expected_rows(wh, name), name


def test_stat_diff_reads_only_files_new_or_changed_by_size_or_mtime(tmp_path: Path):
    """The listing is compared with the manifest in one DuckDB join: new files, a changed
    size or mtime, and a file without an mtime are read; the others count their pages."""
    from warehouse.known import stat_diff

    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        wh.con.execute("INSERT INTO landing_files VALUES ('/a.txt', 'text', 10, 5, 'x', 1, 'r'), "
                       "('/b.warc', 'warc', 20, 5, NULL, 7, 'r'), ('/c.txt', 'text', 30, 5, 'y', 1, 'r'), "
                       "('/d.txt', 'text', 40, 0, 'z', 1, 'r')")
        listing = [("/a.txt", 10, 5), ("/b.warc", 20, 5), ("/c.txt", 31, 5), ("/d.txt", 40, 0),
                   ("/e.txt", 50, 5), ("/a.txt.bak", 10, 6)]
        assert stat_diff(wh.con, listing) == ([2, 3, 4, 5], 8)
        assert stat_diff(wh.con, []) == ([], 0)
        known = wh.known_pages()
        todo, pages = known.split_by_stat(listing)
        assert (todo, pages) == ([2, 3, 4, 5], 8)
        assert known.unchanged_file("/c.txt", 31, 5) is None  # decided: read it
        assert known.unchanged_file("/a.txt", 10, 5).pages == 1  # asked anyway: the manifest
        # a diff made already (the pre-check's) is taken as it is, not asked again
        known = wh.known_pages()
        assert known.split_by_stat(listing, ([2], 8)) == ([2], 8)
        assert known.unchanged_file("/c.txt", 31, 5) is None


def test_the_precheck_hands_the_flow_its_stat_diff(tmp_path: Path):
    """The pre-check's diff of the listing is the one `stat_diff` makes, so the flow can
    take it instead of joining the listing with the manifest a second time."""
    from newsfacts.precheck import check
    from newsfacts.resources import list_landing
    from newsfacts.settings import Settings
    from warehouse.known import stat_diff

    landing = tmp_path / "in"
    landing.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (landing / name).write_text(name, encoding="utf-8")
    settings = Settings(input_dir=landing, warehouse_dir=tmp_path / "wh", settle_seconds=0)
    listing = list_landing(landing)
    a = listing[0][0]
    with Warehouse(settings.warehouse_dir) as wh:
        wh.ensure_schema()
        wh.con.execute("INSERT INTO landing_files VALUES (?, 'text', ?, ?, 'x', 1, 'r')",
                       [a.source_path, a.size, a.mtime_ns])
        expected = stat_diff(wh.con, [(e.source_path, e.size, e.mtime_ns) for e in listing[0]])
    found = check(settings, listing)
    assert found.idle is None and found.to_read == 2
    assert found.diff == expected == ([1, 2], 1)


def test_the_auto_duckdb_limit_grows_with_the_keyed_rows_only(tmp_path: Path):
    """'auto' is 192 MB plus 1 KB a row of the tables keeping a primary key (and the rows
    about to be written); the fact tables, without a key in DuckDB, do not count."""
    from newsfacts.resources import duckdb_limit

    with Warehouse(tmp_path / "wh") as wh:
        wh.ensure_schema()
        assert duckdb_limit(wh.con, "auto") == "192MB"
        assert duckdb_limit(wh.con, "auto", pending_rows=2048) == "194MB"
        assert duckdb_limit(wh.con, "1GB") == "1GB"
        assert duckdb_limit(wh.con, None) is None and duckdb_limit(wh.con, "") is None
        wh.load_batch(synthetic_batch(3))
        keyed = wh.con.execute("SELECT sum(estimated_size) FROM duckdb_tables() WHERE has_primary_key "
                               "AND table_name NOT LIKE 'fact_%'").fetchall()[0][0]
        assert duckdb_limit(wh.con, "auto") == f"{192 + (keyed * 1024 >> 20)}MB"
        facts = wh.con.execute("SELECT count(*) FROM duckdb_tables() WHERE has_primary_key "
                               "AND table_name LIKE 'fact_%'").fetchall()[0][0]
        assert facts == 0
