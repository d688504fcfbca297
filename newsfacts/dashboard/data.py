"""I/O for the dashboard: a locked-down DuckDB over the Parquet exports, and its queries.

Why it is built this way:
- The dashboard must work while a run writes the warehouse and on a copy of the exports
  on another machine, so it never opens the DuckDB file: only `exports/` (tables and
  marts, see `warehouse/export.py` and `warehouse/marts.py`).
- The connection must not be able to read outside the exports folder nor write at all.
  DuckDB's `allowed_directories` lets a locked connection read the folder but also
  write into it (`COPY ... TO`), so the connection is built in two steps: with
  `enable_external_access = false` and the exports folder as its only allowed directory,
  the columns the pages need are copied into memory; then the local file system is
  disabled (`disabled_filesystems = 'LocalFileSystem'`) and the configuration locked.
  From then on no statement can open, create or overwrite any file, and no setting can
  be changed back. Extensions are neither installed nor auto-loaded.
- Copying into memory also makes every query answer in milliseconds. Each page loads only
  the columns it shows (`PAGES`), so the overview's first render reads a few narrow
  columns (see bench/dashboard_render.py); a page's connection is rebuilt only when the
  export files change (`exports_version`).
- Only this module's SQL runs on the connection, always with bound parameters.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse.schema import MEASURE_EVENT_TYPES

SCHEMA_FILE = "_schema.json"

# Loaded name -> (folder under exports, partitioned by pub_year/pub_month).
FOLDERS: dict[str, tuple[str, bool]] = {
    "amounts": ("v_amounts", True),
    "deals": ("v_deals", True),
    "entity_totals": ("v_entity_totals", True),
    "documents": ("documents", True),
    "entities": ("dim_entity", False),
    "mentions": ("fact_mention", True),
    "runs": ("runs", False),
    "quarantine": ("quarantine", False),
}

# What each page reads: table -> columns. Only what it shows, so that the overview's first
# render reads a few narrow columns (the sentences, titles and urls are most of the bytes).
# Every page loads documents, whose row count says whether there is any data at all.
PAGES: dict[str, dict[str, str]] = {
    "overview": {
        "documents": "pub_year, pub_month",
        "amounts": "currency, site, lang, fx_source, fx_missing_reason, pub_year, pub_month",
        "deals": "event_type, value_usd, pub_year, pub_month",
    },
    "deals": {
        "documents": "doc_id, lang, pub_year, pub_month",
        "deals": "*",
        "amounts": "amount_id, sentence, pub_year, pub_month",
    },
    "entity": {
        "documents": "doc_id, site, title, url, published_date, pub_year, pub_month",
        "entities": "entity_id, name, kind, aliases",
        "mentions": "doc_id, entity_id, pub_year, pub_month",
        "entity_totals": "*",
        "deals": "*",
    },
    "quality": {
        "documents": "pub_year, pub_month",
        "runs": "*",
        "quarantine": "* EXCLUDE (row_json)",
        "amounts": "currency, surface, fx_source, fx_missing_reason, pub_year, pub_month",
    },
}


def page_sources(page: str | None) -> dict[str, str]:
    """Columns to load for `page`; None merges every page (a connection for all queries)."""
    if page is not None:
        return PAGES[page]
    merged: dict[str, str] = {}
    for spec in PAGES.values():
        for table, cols in spec.items():
            have = merged.get(table)
            if have is None or cols.startswith("*"):
                merged[table] = cols
            elif not have.startswith("*"):
                names = [c.strip() for c in (have + "," + cols).split(",")]
                merged[table] = ", ".join(dict.fromkeys(names))
    return merged


def exports_version(exports_dir: str | Path) -> tuple:
    """Names, sizes and mtimes of every export file: changes when a run re-exports."""
    root = Path(exports_dir)
    if not root.is_dir():
        return ()
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and (p.suffix == ".parquet" or p.name == SCHEMA_FILE):
            if any(part.startswith(".tmp") for part in p.relative_to(root).parts):
                continue
            st = p.stat()
            out.append((str(p.relative_to(root)), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith(".")) if folder.is_dir() else []


def locked_connection(
    exports_dir: str | Path, sources: dict[str, str]
) -> tuple[duckdb.DuckDBPyConnection, dict[str, int]]:
    """In-memory DuckDB holding `sources` (table -> columns); reads and writes no file after.

    Returns the connection and the rows loaded per table. A table with no files is not
    created and counts 0 (queries check `has` first; `has_data` is False with no pages).
    """
    root = Path(exports_dir).resolve()
    con = duckdb.connect(":memory:")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute(f"SET allowed_directories = [{_lit(Path(str(root) + '/'))}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET TimeZone = 'UTC'")
    counts: dict[str, int] = {}
    for name, cols in sources.items():
        folder, part = FOLDERS[name]
        files = _files(root / folder)
        if not files:
            counts[name] = 0
            continue
        if part:
            glob = _lit(root / folder / "**" / "*.parquet")
            src = f"read_parquet({glob}, hive_partitioning = true)"
            # Folder 0/0 holds the rows with no publication date: give back the null.
            fix = (
                "REPLACE (CAST(nullif(pub_year, 0) AS SMALLINT) AS pub_year, "
                "CAST(nullif(pub_month, 0) AS TINYINT) AS pub_month)"
            )
            con.execute(f"CREATE TABLE {name} AS SELECT * {fix} FROM (SELECT {cols} FROM {src})")
        else:
            con.execute(f"CREATE TABLE {name} AS SELECT {cols} FROM read_parquet({_lit(files[0])})")
        counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    if counts.get("deals") and sources["deals"] == "*":
        # Deals with their page's language and the sentence of their amount, when loaded.
        def loaded(table: str, col: str) -> bool:
            return bool(counts.get(table)) and col in _columns(con, table)

        lang = "doc.lang" if loaded("documents", "lang") else "CAST(NULL AS VARCHAR)"
        sentence = "a.sentence" if loaded("amounts", "sentence") else "CAST(NULL AS VARCHAR)"
        joins = (" LEFT JOIN documents AS doc ON doc.doc_id = d.doc_id" if "doc" in lang else "") + (
            " LEFT JOIN amounts AS a ON a.amount_id = d.amount_id" if "a." in sentence else "")
        con.execute(f"CREATE TABLE deal_rows AS SELECT d.*, {lang} AS lang, {sentence} AS sentence "
                    f"FROM deals AS d{joins}")
    con.execute("SET disabled_filesystems = 'LocalFileSystem'")
    con.execute("SET lock_configuration = true")
    return con, counts


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?",
                       [table]).fetchall()
    return {r[0] for r in rows}


@dataclass
class DealFilters:
    """What the Deals page filters on; None or empty means no filter."""

    start: date | None = None
    end: date | None = None
    sites: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    party: str = ""  # actor or counterpart, case-insensitive substring
    min_usd: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition over `deal_rows` and its bound parameters."""
        conds, params = ["true"], []
        if self.start:
            conds.append("published_day >= ?")
            params.append(self.start)
        if self.end:
            conds.append("published_day <= ?")
            params.append(self.end)
        for col, values in (("site", self.sites), ("lang", self.langs),
                            ("event_type", self.event_types), ("status", self.statuses)):
            if values:
                conds.append(f"{col} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.party.strip():
            conds.append("(actor ILIKE ? OR counterpart ILIKE ?)")
            like = "%" + self.party.strip().replace("%", "").replace("_", "") + "%"
            params.extend([like, like])
        if self.min_usd:
            conds.append("value_usd >= ?")
            params.append(float(self.min_usd))
        return " AND ".join(conds), params


class ExportsData:
    """The dashboard's queries, each returning a pandas frame (or plain numbers)."""

    def __init__(self, exports_dir: str | Path, page: str | None = None) -> None:
        """Load what `page` shows (every page's columns when None)."""
        self.exports_dir = Path(exports_dir)
        self.page = page
        self.version = exports_version(self.exports_dir)
        self.con, self.counts = locked_connection(self.exports_dir, page_sources(page))
        self._lock = threading.Lock()  # one DuckDB connection shared by sessions

    def close(self) -> None:
        self.con.close()

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        with self._lock:
            cur = self.con.cursor()
            try:
                return cur.execute(sql, params or []).df()
            finally:
                cur.close()

    def has(self, name: str) -> bool:
        return self.counts.get(name, 0) > 0

    @property
    def has_data(self) -> bool:
        """False until a run has exported pages (the pages then show the empty state)."""
        return self.has("documents")

    # Overview ---------------------------------------------------------------------------

    def totals(self) -> dict[str, float]:
        """Headline numbers: pages, amounts, deals, USD committed, share converted."""
        out = {"pages": self.counts.get("documents", 0), "amounts": self.counts.get("amounts", 0),
               "deals": self.counts.get("deals", 0), "usd_committed": 0.0, "usd_share": 0.0}
        if self.has("deals"):
            out["usd_committed"] = float(self.df(
                f"SELECT coalesce(sum(value_usd), 0) AS s FROM deals WHERE {COMMITTED}"
            )["s"][0])
        if self.has("amounts"):
            out["usd_share"] = float(self.df(
                f"SELECT coalesce(avg(CASE WHEN {NO_RATE} THEN 0 ELSE 1.0 END), 0) AS s "
                "FROM amounts")["s"][0])
        return out

    def monthly_counts(self) -> pd.DataFrame:
        """Pages, amounts and deals per publication month (long form: month, what, n)."""
        parts = []
        for label, table, ok in (("pages", "documents", self.has("documents")),
                                 ("amounts", "amounts", self.has("amounts")),
                                 ("deals", "deals", self.has("deals"))):
            if ok:
                parts.append(
                    f"SELECT make_date(pub_year, pub_month, 1) AS month, '{label}' AS what, "
                    f"count(*) AS n FROM {table} WHERE pub_year IS NOT NULL GROUP BY 1"
                )
        if not parts:
            return pd.DataFrame(columns=["month", "what", "n"])
        return self.df(" UNION ALL ".join(parts) + " ORDER BY month, what")

    def usd_by_month_type(self) -> pd.DataFrame:
        if not self.has("deals"):
            return pd.DataFrame(columns=["month", "event_type", "usd"])
        return self.df(
            "SELECT make_date(pub_year, pub_month, 1) AS month, event_type, sum(value_usd) AS usd "
            f"FROM deals WHERE pub_year IS NOT NULL AND value_usd IS NOT NULL AND {COMMITTED} "
            "GROUP BY ALL ORDER BY month, event_type"
        )

    def amounts_by(self, column: str) -> pd.DataFrame:
        """Number of amounts per currency, site or language (the 25 largest)."""
        if column not in ("currency", "site", "lang"):
            raise ValueError(column)
        if not self.has("amounts"):
            return pd.DataFrame(columns=[column, "n"])
        return self.df(
            f"SELECT coalesce({column}, '(unknown)') AS {column}, count(*) AS n "
            "FROM amounts GROUP BY 1 ORDER BY n DESC, 1 LIMIT 25"
        )

    # Deals ------------------------------------------------------------------------------

    def deal_choices(self) -> dict[str, list]:
        """Values offered by the Deals filters, and the date range."""
        if not self.has("deals"):
            return {"site": [], "lang": [], "event_type": [], "status": [], "days": (None, None)}
        out: dict[str, Any] = {}
        for col in ("site", "lang", "event_type", "status"):
            out[col] = [v for v in self.df(
                f"SELECT DISTINCT {col} AS v FROM deal_rows WHERE {col} IS NOT NULL ORDER BY 1"
            )["v"]]
        days = self.df("SELECT min(published_day) AS a, max(published_day) AS b FROM deal_rows")
        out["days"] = (_as_date(days["a"][0]), _as_date(days["b"][0]))
        return out

    def deal_summary(self, f: DealFilters) -> dict[str, float]:
        where, params = f.where()
        row = self.df(
            "SELECT count(*) AS n, coalesce(sum(value_usd), 0) AS usd, "
            f"count(value_usd) AS n_usd FROM deal_rows WHERE {where}", params)
        return {"n": int(row["n"][0]), "usd": float(row["usd"][0]), "n_usd": int(row["n_usd"][0])}

    def deal_table(self, f: DealFilters, limit: int = 500) -> pd.DataFrame:
        where, params = f.where()
        return self.df(
            "SELECT published_day, site, lang, event_type, status, amount_surface, value_usd, "
            "actor, counterpart, sentence, url FROM deal_rows "
            f"WHERE {where} ORDER BY value_usd DESC NULLS LAST, published_day DESC, event_id "
            f"LIMIT {int(limit)}", params)

    # Entity -----------------------------------------------------------------------------

    def entity_choices(self, limit: int = 2000) -> pd.DataFrame:
        """Entities named most often first (entity_id, name, kind, pages)."""
        if not self.has("entities"):
            return pd.DataFrame(columns=["entity_id", "name", "kind", "pages"])
        return self.df(
            "SELECT e.entity_id, e.name, e.kind, count(DISTINCT m.doc_id) AS pages "
            "FROM entities AS e LEFT JOIN mentions AS m USING (entity_id) "
            f"GROUP BY ALL ORDER BY pages DESC, e.name LIMIT {int(limit)}")

    def entity(self, entity_id: str) -> dict[str, Any]:
        """An entity's row, monthly totals, deals and the pages that name it."""
        info = self.df("SELECT name, kind, aliases FROM entities WHERE entity_id = ?", [entity_id])
        totals = self.df(
            "SELECT month, committed_usd, received_usd, n_deals_as_actor, n_deals_as_counterpart, "
            "n_deals_without_usd FROM entity_totals WHERE entity_id = ? ORDER BY month",
            [entity_id]) if self.has("entity_totals") else pd.DataFrame()
        pages = self.df(
            "SELECT d.published_date AS published_day, d.site, d.title, d.url, "
            "count(*) AS mentions FROM mentions AS m JOIN documents AS d USING (doc_id) "
            "WHERE m.entity_id = ? GROUP BY ALL ORDER BY published_day DESC NULLS LAST, d.url "
            "LIMIT 500", [entity_id]) if self.has("mentions") else pd.DataFrame()
        deals = self.df(
            "SELECT published_day, event_type, status, actor, counterpart, amount_surface, "
            "value_usd, url FROM deal_rows WHERE actor_id = ? OR counterpart_id = ? "
            "ORDER BY published_day DESC NULLS LAST LIMIT 500", [entity_id, entity_id]
        ) if self.has("deals") else pd.DataFrame()
        return {
            "name": info["name"][0] if len(info) else None,
            "kind": info["kind"][0] if len(info) else None,
            "aliases": list(info["aliases"][0]) if len(info) and info["aliases"][0] is not None else [],
            "totals": totals, "pages": pages, "deals": deals,
        }

    # Data quality -----------------------------------------------------------------------

    def runs(self) -> pd.DataFrame:
        if not self.has("runs"):
            return pd.DataFrame()
        return self.df(
            "SELECT run_id, started, finished, status, pages_seen, "
            # a quarantined page was counted as new or changed, but not loaded
            "greatest(coalesce(pages_new, 0) + coalesce(pages_changed, 0) "
            "- coalesce(pages_quarantined, 0), 0) AS pages_loaded, "
            "pages_unchanged, pages_quarantined, rows_quarantined, n_amounts, n_figures, "
            "gx_success, gx_summary FROM runs ORDER BY started")

    def quarantine_reasons(self) -> pd.DataFrame:
        if not self.has("quarantine"):
            return pd.DataFrame(columns=["stage", "reason", "n"])
        return self.df("SELECT stage, reason, count(*) AS n FROM quarantine GROUP BY ALL "
                       "ORDER BY n DESC, stage, reason")

    def quarantine_expectations(self) -> pd.DataFrame:
        """Rows set aside by validation, per table and failed expectation."""
        if not self.has("quarantine"):
            return pd.DataFrame(columns=["table_name", "expectation", "rows"])
        return self.df("SELECT table_name, expectation, count(*) AS rows FROM quarantine "
                       "WHERE expectation IS NOT NULL GROUP BY ALL ORDER BY rows DESC")

    def fx_coverage(self) -> pd.DataFrame:
        if not self.has("amounts"):
            return pd.DataFrame(columns=["fx_source", "n", "share"])
        return self.df(
            f"SELECT CASE WHEN {NO_RATE} THEN 'no rate' ELSE fx_source END AS fx_source, count(*) AS n, "
            "count(*) / sum(count(*)) OVER () AS share FROM amounts GROUP BY 1 ORDER BY n DESC")

    def fx_missing(self) -> pd.DataFrame:
        """Amounts with no exchange rate (a range has a rate but no single value_usd)."""
        if not self.has("amounts"):
            return pd.DataFrame(columns=["fx_missing_reason", "currency", "n"])
        return self.df(
            "SELECT coalesce(fx_missing_reason, '(no reason recorded)') AS fx_missing_reason, "
            "coalesce(currency, '(none)') AS currency, count(*) AS n, any_value(surface) AS example "
            f"FROM amounts WHERE {NO_RATE} GROUP BY ALL ORDER BY n DESC")


# An amount with no exchange rate (a range has a rate even without a single value_usd).
NO_RATE = "(fx_missing_reason IS NOT NULL OR fx_source IS NULL)"

# Deals that commit money (the same rule as v_entity_totals): results are not flows.
COMMITTED = "coalesce(event_type, '') NOT IN ({})".format(
    ", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES))


def _as_date(v: Any) -> date | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    return v.date() if hasattr(v, "date") and not isinstance(v, date) else v


def validation_results(gx_summary: str | None) -> list[dict[str, Any]]:
    """One row per table of a run's `gx_summary` JSON, failed expectations named."""
    if not gx_summary:
        return []
    doc = json.loads(gx_summary)
    rows = []
    for table, s in sorted(doc.items()):
        if not isinstance(s, dict):
            continue
        failed = s.get("failed_expectations") or []
        counts = s.get("unexpected_counts") or {}
        rows.append({
            "table": table,
            "success": bool(s.get("success")),
            "evaluated": s.get("evaluated"),
            "successful": s.get("successful"),
            "failed": s.get("unsuccessful"),
            "failed_expectations": ", ".join(
                f"{e} ({counts[e]} rows)" if e in counts else str(e) for e in failed),
            "rows_in": s.get("rows_in"),
            "rows_rejected": s.get("rows_rejected"),
        })
    return rows
