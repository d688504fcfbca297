"""Tier 2: real flow runs under prefect_test_harness into real DuckDB files.

One run over the sample corpus plus every kind of bad input, a second run that must
change no table, and the seed page's acceptance reading.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_DIR
from tests.flowutil import query, run_flow, snapshot

pytestmark = pytest.mark.slow

BAD_FILES = {
    "bad_empty.txt": b"",
    "bad_binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "bad_nul.txt": b"Un texte\x00avec\x00des\x00octets\x00nuls " * 20,
    "bad_digits.txt": b"7" * 100_000,
    "bad_huge.txt": ("Le march\u00e9 progresse de 5 %. " * 700_000).encode("utf-8"),  # ~20 MB
}
# invalid UTF-8 is not "bad": it decodes as cp1252 and loads
LATIN1_FILE = "latin1_page.txt"
LATIN1_TEXT = ("Le Maroc investit 3 milliards de dirhams \u00e0 Casablanca\n\n"
               "L'\u00e9tat a annonc\u00e9 un budget de 150 millions de dirhams pour l'\u00e9t\u00e9.\n")


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("landing")
    for p in SAMPLE_DIR.glob("*"):
        if p.suffix in (".txt", ".json") and not p.name.endswith(".gold.json"):
            shutil.copy2(p, d / p.name)
    for name, data in BAD_FILES.items():
        (d / name).write_bytes(data)
    (d / LATIN1_FILE).write_bytes(LATIN1_TEXT.encode("latin-1"))
    return d


@pytest.fixture(scope="module")
def first_run(prefect_harness, landing, tmp_path_factory):
    wh = tmp_path_factory.mktemp("warehouse")
    summary = run_flow(landing, wh)
    return wh, summary


def test_run_loads_sample_and_quarantines_bad_input(first_run, landing):
    wh, s = first_run
    n_pages = len(list(landing.glob("*.txt")))
    assert s["pages_seen"] == n_pages
    assert s["pages_quarantined"] == len(BAD_FILES)
    assert s["pages_loaded"] == n_pages - len(BAD_FILES)
    reasons = dict(query(wh, "SELECT source_path, reason FROM quarantine WHERE stage IN ('ingest','clean')"))
    by_name = {Path(p).name: r for p, r in reasons.items()}
    assert by_name == {
        "bad_empty.txt": "empty",
        "bad_binary.txt": "binary",
        "bad_nul.txt": "binary",
        "bad_digits.txt": "no_text",
        "bad_huge.txt": "too_large",
    }
    details = query(wh, "SELECT detail FROM quarantine WHERE stage IN ('ingest','clean')")
    assert all(d and len(d) > 15 for (d,) in details), "every quarantine row says why"
    assert s["amounts"] > 50 and s["figures"] > 10
    (enc,) = query(wh, "SELECT encoding FROM documents WHERE source_path LIKE ?", f"%{LATIN1_FILE}")[0]
    assert enc in ("cp1252", "latin-1")
    amounts = query(wh, "SELECT value, currency FROM fact_amount a JOIN documents d USING (doc_id) "
                        "WHERE d.source_path LIKE ? ORDER BY raw_start", f"%{LATIN1_FILE}")
    assert amounts == [(3e9, "MAD"), (150e6, "MAD")]


def test_run_records_run_and_validation(first_run):
    wh, s = first_run
    runs = query(wh, "SELECT run_id, pages_new, pages_quarantined, stage_seconds, gx_summary FROM runs")
    assert len(runs) == 1
    run_id, pages_new, quarantined, stage_seconds, gx_summary = runs[0]
    assert run_id == s["run_id"] and pages_new == s["pages_new"]
    assert quarantined == len(BAD_FILES)
    assert set(json.loads(stage_seconds)) >= {"ingest", "clean", "extract", "normalise",
                                               "validate", "load", "export"}
    assert json.loads(gx_summary), "the GX summary is stored with the run"
    assert (wh / "data_docs" / "index.html").is_file()


def test_usd_and_eur_values_follow_stored_rates(first_run):
    wh, _ = first_run
    # pages dated by the page itself (not by a copy's mtime, past the bundled ECB data)
    rows = query(wh, "SELECT value, usd_per_unit, value_usd, eur_per_unit, value_eur, fx_source "
                     "FROM fact_amount JOIN documents USING (doc_id) WHERE value IS NOT NULL "
                     "AND currency IS NOT NULL AND published_source = 'page'")
    assert rows
    converted = [r for r in rows if r[2] is not None]
    assert len(converted) >= 0.9 * len(rows)
    unexplained = query(wh, "SELECT count(*) FROM fact_amount WHERE (currency IS NULL AND fx_missing_reason IS NULL) OR ("
                            "value IS NOT NULL AND value_usd IS NULL AND fx_missing_reason IS NULL) "
                            "OR (value_min IS NOT NULL AND value_min_usd IS NULL "
                            "AND fx_missing_reason IS NULL)")
    assert unexplained == [(0,)], "every amount without a USD value says why"
    bounds = query(wh, "SELECT value_max, value_max_usd, usd_per_unit FROM fact_amount "
                       "WHERE value IS NULL AND value_max IS NOT NULL AND usd_per_unit IS NOT NULL")
    assert bounds and all(u == pytest.approx(m * r, rel=1e-9) for m, u, r in bounds)
    for value, usd_rate, usd, eur_rate, eur, source in converted:
        assert usd == pytest.approx(value * usd_rate, rel=1e-9)
        assert eur == pytest.approx(value * eur_rate, rel=1e-9)
        assert source
    mad = query(wh, "SELECT DISTINCT fx_source FROM fact_amount JOIN documents USING (doc_id) "
                    "WHERE currency = 'MAD' AND published_source = 'page'")
    assert mad == [("bam_basket_v1",)], "dirhams convert through the documented basket method"


def test_exports_are_readable_by_duckdb_pandas_polars(first_run):
    import pandas as pd
    import polars as pl

    wh, _ = first_run
    exports = wh / "exports"
    n = query(wh, "SELECT count(*) FROM fact_amount")[0][0]
    glob = str(exports / "fact_amount" / "**" / "*.parquet")
    con = duckdb.connect()
    sql = f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)"
    assert con.execute(sql).fetchone()[0] == n
    assert len(pd.read_parquet(exports / "fact_amount")) == n
    assert pl.read_parquet(glob, hive_partitioning=True).height == n
    assert list((exports / "fact_amount").glob("pub_year=*/pub_month=*/*.parquet"))
    assert not [p for p in exports.rglob("*") if ".tmp" in p.name], "no temporary files left"


def test_second_run_changes_no_table(first_run, landing):
    wh, _ = first_run
    before = snapshot(wh)
    s2 = run_flow(landing, wh)
    assert s2["pages_new"] == 0 and s2["pages_changed"] == 0 and s2["pages_loaded"] == 0
    assert s2["pages_unchanged"] == s2["pages_seen"], "bad files are known by hash too"
    assert snapshot(wh) == before
    assert query(wh, "SELECT count(*) FROM runs")[0][0] == 2


def test_changed_page_replaces_its_rows(prefect_harness, tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    page = landing / "page.txt"
    page.write_text("Titre\n\nLa société a levé 10 millions d'euros auprès d'investisseurs.\n",
                    encoding="utf-8")
    wh = tmp_path / "wh"
    run_flow(landing, wh)
    assert query(wh, "SELECT value, currency FROM fact_amount") == [(10e6, "EUR")]
    page.write_text("Titre\n\nLa société a levé 12 millions d'euros auprès d'investisseurs.\n",
                    encoding="utf-8")
    s = run_flow(landing, wh)
    assert s["pages_changed"] == 1
    assert query(wh, "SELECT value, currency FROM fact_amount") == [(12e6, "EUR")]
    assert query(wh, "SELECT count(*) FROM documents")[0][0] == 1


def test_seed_acceptance(prefect_harness, shared, tmp_path):
    """The spine issue's 'done when' for the seed page, end to end."""
    seed = shared / "seeds" / "000_750ff92621c124c4.txt"
    gold = json.loads(seed.with_name("000_750ff92621c124c4.gold.json").read_text(encoding="utf-8"))
    landing = tmp_path / "in"
    landing.mkdir()
    shutil.copy(seed, landing / seed.name)
    (landing / "000_750ff92621c124c4.meta.json").write_text(
        json.dumps({"fetched_at": "2025-11-14T09:00:00+01:00", "site": "walaw.press"}))
    wh = tmp_path / "wh"
    run_flow(landing, wh)
    (title, body, published_local, tz) = query(
        wh, "SELECT title, body, published_local, tz FROM documents")[0]
    assert title == gold["title"]
    assert tz == "Africa/Casablanca"
    assert published_local.startswith("2025-11-13T14:44")
    for line in ["Advertising", "• Fajr", "• Isha", "Hier 14:44", "Lire la suite"]:
        assert line not in body
    assert "cookies" not in body
    amounts = query(wh, "SELECT surface, raw_start, value, currency, qualifier FROM fact_amount "
                        "ORDER BY raw_start")
    expected = [(a["surface"], a["start"], a["value"], a["currency"], a["qualifier"])
                for a in gold["amounts"]]
    assert amounts == expected
    figures = query(wh, "SELECT kind, unit, qualifier, min FROM fact_figure WHERE unit = 'GW'")
    assert figures == [("quantity", "GW", "vague", 20.0)]
    before = snapshot(wh)
    run_flow(landing, wh)
    assert snapshot(wh) == before
