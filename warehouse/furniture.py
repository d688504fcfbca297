"""Per-site furniture statistics kept in the warehouse: which short lines each page carries.

Why a table: recurring-line furniture (menus, taglines, widgets) is found by counting,
over a site's pages, how many carry each short line. Counting over the whole landing
folder on every run made a run cost the corpus, not the news (every old page read and
split again). Instead each page's recurrence keys are recorded once, when its run
scans it, in `furniture_lines` (one row per site, page and key, plus one row with an
empty key so a page without short lines still counts as a page of its site). A run
adds its new and changed pages' rows (a changed page's old rows are replaced), then
reads the counts back: the statistics are those of every page the warehouse has seen,
exactly what re-reading the folder would give, at the cost of the new pages only.

The table is internal: it is not in the data contract (`transforms/contract/tables.py`)
and is not exported. Rows are keyed by `source_path`, so recording a page twice (a run
killed after its scan, then run again) changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

TABLE = "furniture_lines"
# No primary key: a page's rows are only ever replaced whole (`record_pages` deletes a
# page's rows and inserts its keys, one transaction, a key once per page), so the
# key would only guard what that already ensures, and DuckDB holds a primary key's
# index in memory: at 100,000 pages this table has some 2.4 million rows, and its
# (source_path, line_key) index was most of what the run's memory grew by.
DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "site VARCHAR NOT NULL, source_path VARCHAR NOT NULL, line_key VARCHAR NOT NULL)"
)

PageLines = tuple[str, str, Iterable[str]]  # (site, source_path, recurrence keys)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table; a warehouse made before it lost its primary key gets it rebuilt
    without (same rows, in one transaction)."""
    con.execute(DDL)
    keyed = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
        "AND constraint_type = 'PRIMARY KEY'", [TABLE]).fetchall()[0][0]
    if not keyed:
        return
    con.begin()
    try:
        con.execute(f"CREATE TABLE {TABLE}_new AS SELECT site, source_path, line_key FROM {TABLE}")
        con.execute(f"DROP TABLE {TABLE}")
        con.execute(f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def record_pages(con: duckdb.DuckDBPyConnection, pages: Sequence[PageLines]) -> None:
    """Replace the rows of these pages by their current keys, in one transaction."""
    if not pages:
        return
    sites, paths, keys = [], [], []
    for site, path, page_keys in pages:
        for key in ("", *sorted(set(page_keys) - {""})):
            sites.append(site)
            paths.append(path)
            keys.append(key)
    rows = pa.table({"site": sites, "source_path": paths, "line_key": keys})
    con.begin()
    try:
        con.register("_in_furniture", rows)
        con.execute(f"DELETE FROM {TABLE} WHERE source_path IN "
                    "(SELECT DISTINCT source_path FROM _in_furniture)")
        con.execute(f"INSERT INTO {TABLE} SELECT site, source_path, line_key FROM _in_furniture")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.unregister("_in_furniture")


def site_statistics(con: duckdb.DuckDBPyConnection, min_pages: int,
                    sites: Iterable[str] | None = None,
                    ) -> dict[str, tuple[int, dict[str, int]]]:
    """site -> (pages, {key: pages carrying it}) for keys on at least `min_pages` pages.

    Keys below `min_pages` can never be furniture, so they stay in DuckDB: what comes
    back is small whatever the size of the corpus. `sites` limits the answer to those
    sites (a run needs only its new pages' sites: counting every site's lines would
    make a one-page run cost the corpus).
    """
    where, params = "", []
    if sites is not None:
        where, params = "AND site IN (SELECT unnest(?::VARCHAR[]))", [sorted(set(sites))]
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for site, n in con.execute(
        f"SELECT site, count(*) FROM {TABLE} WHERE line_key = '' {where} GROUP BY site ORDER BY site",
        params,
    ).fetchall():
        out[site] = (int(n), {})
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for site, key, n in con.execute(
        f"SELECT site, line_key, count(*) AS n FROM {TABLE} WHERE line_key <> '' {where} "
        "GROUP BY site, line_key HAVING count(*) >= ? ORDER BY site, line_key", [*params, min_pages]
    ).fetchall():
        counts[site][key] = int(n)
    return {site: (n, counts.get(site, {})) for site, (n, _) in out.items()}
