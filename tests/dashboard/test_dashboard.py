"""The dashboard, headless, with Streamlit's own test API (AppTest) over real exports.

Every number a page shows is checked against SQL over the Parquet files, run here on a
separate plain DuckDB connection (tests/dashutil.py), not through the dashboard's code.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from newsfacts.dashboard import fmt
from newsfacts.dashboard.data import ExportsData, validation_results
from newsfacts.dashboard.state import EMPTY_MESSAGE, ENV_EXPORTS
from newsfacts.testing.synthetic import make_row, make_table, synthetic_batch
from tests.dashboard.dashutil import APP, exports_sql, one, sample_exports
from warehouse.export import export_all
from warehouse.schema import MEASURE_EVENT_TYPES
from warehouse.store import Warehouse

pytestmark = pytest.mark.slow

COMMITTED = "coalesce(event_type, '') NOT IN ({})".format(
    ", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES))


@pytest.fixture(scope="module")
def exports(prefect_harness, tmp_path_factory) -> Path:
    return sample_exports(tmp_path_factory.mktemp("dash_sample"))


@pytest.fixture(scope="module")
def synthetic_exports(tmp_path_factory) -> Path:
    """A warehouse with quarantined rows and amounts that have no rate (the sample has none)."""
    root = tmp_path_factory.mktemp("dash_synth")
    with Warehouse(root / "wh") as wh:
        wh.ensure_schema()
        wh.load_batch(synthetic_batch(60, hours_between_docs=200, n_entities=9))
        q = [make_row("quarantine", i, stage="validate", reason="expectation_failed",
                      table_name="fact_amount", expectation="expect_column_values_to_be_between")
             for i in range(3)]
        q.append(make_row("quarantine", 9, stage="ingest", reason="empty", table_name=None,
                          expectation=None))
        wh.load_batch({"quarantine": make_table("quarantine", q)})
        wh.record_run({"run_id": "r1", "status": "completed", "pages_new": 60,
                       "pages_quarantined": 1, "started": datetime(2025, 1, 1, tzinfo=UTC),
                       "gx_success": False, "gx_summary": '{"fact_amount": {"success": false, '
                       '"evaluated": 30, "successful": 29, "unsuccessful": 1, "failed_expectations":'
                       ' ["expect_column_values_to_be_between"], "unexpected_counts": '
                       '{"expect_column_values_to_be_between": 3}, "rows_in": 603, '
                       '"rows_rejected": 3}}'})
        export_all(wh, root / "exports")
    return root / "exports"


def app(monkeypatch, exports: Path, page: str | None = None) -> AppTest:
    monkeypatch.setenv(ENV_EXPORTS, str(exports))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_numbers_equal_sql_over_exports(monkeypatch, exports):
    m = metrics(app(monkeypatch, exports))
    assert m["Pages"] == fmt.count(one(exports, "SELECT count(*) FROM documents"))
    assert m["Money amounts"] == fmt.count(one(exports, "SELECT count(*) FROM v_amounts"))
    assert m["Deal events"] == fmt.count(one(exports, "SELECT count(*) FROM v_deals"))
    usd = one(exports, f"SELECT sum(value_usd) FROM v_deals WHERE {COMMITTED}")
    assert usd > 0 and m["USD committed"] == fmt.money(usd)
    share = one(exports, "SELECT avg(CASE WHEN fx_missing_reason IS NULL AND fx_source IS NOT "
                         "NULL THEN 1 ELSE 0 END) FROM v_amounts")
    assert m["Amounts with an FX rate"] == fmt.percent(share)


def test_every_page_has_titled_charts(monkeypatch, exports):
    at = app(monkeypatch, exports)
    for page in (None, "deals", "entity", "quality"):
        if page:
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        charts = at.get("vega_lite_chart")
        assert charts, f"no chart on {page or 'overview'}"
        for c in charts:
            spec = json.loads(c.proto.spec)
            assert spec["title"], f"untitled chart on {page}"
            # every measured axis says in which unit (USD, amounts, pages ...)
            measures = [e for e in spec["encoding"].values()
                        if isinstance(e, dict) and e.get("type") == "quantitative"]
            assert measures and all(e.get("title") for e in measures), (page, spec["title"])


def deal_count(exports: Path, where: str, params: list) -> int:
    return one(exports, "SELECT count(*) FROM v_deals AS d LEFT JOIN documents AS doc "
                        f"ON doc.doc_id = d.doc_id WHERE {where}", params)


def test_deal_filters_change_numbers_as_sql_says(monkeypatch, exports):
    at = app(monkeypatch, exports, "deals")
    total = deal_count(exports, "true", [])
    assert metrics(at)["Deals"] == fmt.count(total)

    at.multiselect(key="langs").set_value(["fr"]).run()
    fr = deal_count(exports, "doc.lang = 'fr'", [])
    assert 0 < fr < total
    assert metrics(at)["Deals"] == fmt.count(fr)
    usd = one(exports, "SELECT sum(value_usd) FROM v_deals AS d JOIN documents AS doc "
                       "ON doc.doc_id = d.doc_id WHERE doc.lang = 'fr'")
    assert metrics(at)["Total USD"] == fmt.money(usd)

    at.number_input(key="min_usd").set_value(1e9).run()
    big = deal_count(exports, "doc.lang = 'fr' AND d.value_usd >= 1e9", [])
    assert 0 < big < fr
    assert metrics(at)["Deals"] == fmt.count(big)

    at.multiselect(key="langs").set_value([]).run()
    at.number_input(key="min_usd").set_value(0.0).run()
    kind = exports_sql(exports, "SELECT event_type, count(*) FROM v_deals GROUP BY 1 "
                                "ORDER BY 2 DESC, 1 LIMIT 1")[0]
    at.multiselect(key="types").set_value([kind[0]]).run()
    assert metrics(at)["Deals"] == fmt.count(kind[1])

    at.multiselect(key="types").set_value([]).run()
    actor = one(exports, "SELECT actor FROM v_deals WHERE actor IS NOT NULL "
                         "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    at.text_input(key="party").set_value(actor.lower()).run()
    named = deal_count(exports, "d.actor ILIKE ? OR d.counterpart ILIKE ?",
                       [f"%{actor}%", f"%{actor}%"])
    assert metrics(at)["Deals"] == fmt.count(named)
    table = at.dataframe[0].value
    assert len(table) == named
    assert all(actor.lower() in f"{a} {c}".lower()
               for a, c in zip(table["actor"], table["counterpart"], strict=True))

    at.text_input(key="party").set_value("").run()
    first = one(exports, "SELECT min(published_day) FROM v_deals")
    at.date_input(key="days").set_value((first, date(2025, 6, 30))).run()
    spring = deal_count(exports, "d.published_day BETWEEN ? AND DATE '2025-06-30'", [first])
    assert 0 < spring < total
    assert metrics(at)["Deals"] == fmt.count(spring)


def test_entity_page_matches_marts(monkeypatch, exports):
    at = app(monkeypatch, exports, "entity")
    top = exports_sql(exports, "SELECT entity_id, count(DISTINCT doc_id) AS n FROM fact_mention "
                               "GROUP BY 1 ORDER BY 2 DESC LIMIT 3")
    for entity_id, pages in top:
        at.selectbox(key="entity").set_value(entity_id).run()
        assert not at.exception
        m = metrics(at)
        assert m["Pages naming it"] == fmt.count(pages)
        committed = one(exports, "SELECT coalesce(sum(committed_usd), 0) FROM v_entity_totals "
                                 "WHERE entity_id = ?", [entity_id])
        assert m["Committed as actor"] == fmt.money(committed)
        deals = one(exports, "SELECT count(*) FROM v_deals WHERE actor_id = ? OR counterpart_id = ?",
                    [entity_id, entity_id])
        assert m["Deals"] == fmt.count(deals)
        aliases = one(exports, "SELECT aliases FROM dim_entity WHERE entity_id = ?", [entity_id])
        assert ", ".join(aliases) in at.caption[0].value


def test_quality_page_shows_runs_quarantine_and_validation(monkeypatch, exports):
    at = app(monkeypatch, exports, "quality")
    m = metrics(at)
    assert m["Runs"] == fmt.count(one(exports, "SELECT count(*) FROM runs"))
    assert m["Pages quarantined (all runs)"] == fmt.count(
        one(exports, "SELECT sum(pages_quarantined) FROM runs"))
    assert m["Pages loaded (all runs)"] == fmt.count(one(exports, "SELECT count(*) FROM documents"))
    assert one(exports, "SELECT count(*) FROM quarantine") >= 2
    summary = one(exports, "SELECT gx_summary FROM runs ORDER BY started DESC LIMIT 1")
    validation = at.dataframe[0].value
    assert list(validation["table"]) == [r["table"] for r in validation_results(summary)]
    assert list(validation["evaluated"]) == [r["evaluated"] for r in validation_results(summary)]


def test_quality_page_explains_missing_rates_and_failed_expectations(monkeypatch, synthetic_exports):
    at = app(monkeypatch, synthetic_exports, "quality")
    assert metrics(at)["Last validation"] == "failed"
    frames = [d.value for d in at.dataframe]
    validation = frames[0]
    assert validation["failed_expectations"][0] == "expect_column_values_to_be_between (3 rows)"
    per_expectation = next(f for f in frames if "expectation" in f.columns)
    assert per_expectation["rows"].tolist() == [3]
    missing = next(f for f in frames if "fx_missing_reason" in f.columns)
    want = one(synthetic_exports, "SELECT count(*) FROM v_amounts "
                                  "WHERE fx_missing_reason IS NOT NULL OR fx_source IS NULL")
    assert want > 0 and missing["n"].sum() == want
    assert "no rate for ZZZ" in set(missing["fx_missing_reason"])


@pytest.mark.parametrize("page", [None, "deals", "entity", "quality"])
def test_empty_exports_show_the_empty_state(monkeypatch, tmp_path, page):
    at = app(monkeypatch, tmp_path / "nothing_yet", page)
    assert [i.value for i in at.info] == [EMPTY_MESSAGE]
    assert "newsfacts run" in EMPTY_MESSAGE
    assert not at.metric


def test_connection_reads_only_the_exports_and_writes_nothing(synthetic_exports, tmp_path):
    data = ExportsData(synthetic_exports)
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    attempts = [
        f"COPY (SELECT 1) TO '{synthetic_exports / 'evil.parquet'}'",
        f"COPY (SELECT 1) TO '{tmp_path / 'evil.parquet'}'",
        f"SELECT * FROM read_csv('{outside}')",
        f"SELECT * FROM read_parquet('{synthetic_exports}/runs/data.parquet')",
        f"ATTACH '{synthetic_exports / 'evil.duckdb'}'",
        "SET enable_external_access = true",
        "SET disabled_filesystems = ''",
        "INSTALL httpfs",
    ]
    for sql in attempts:
        with pytest.raises(duckdb.Error):
            data.con.execute(sql)
    assert not list(synthetic_exports.glob("evil*")) and not (tmp_path / "evil.parquet").exists()
    assert data.totals()["pages"] == one(synthetic_exports, "SELECT count(*) FROM documents")


@pytest.mark.parametrize(("x", "want"), [
    (1.2e9, "1.2 bn USD"), (1_234_567, "1.2 m USD"), (950, "950 USD"), (12_500, "12.5 k USD"),
    (3.4e12, "3.4 tn USD"), (-2.5e9, "-2.5 bn USD"), (None, "–"), (float("nan"), "–"),
])
def test_money_is_formatted_for_people(x, want):
    assert fmt.money(x) == want


def test_counts_and_percentages_are_formatted_for_people():
    assert fmt.count(1234567) == "1,234,567"
    assert fmt.percent(0.917) == "91.7 %"
    assert fmt.short(0.25) == "0.25"


def test_server_command_is_loopback_headless_and_sends_no_statistics():
    from newsfacts.dashboard.launch import streamlit_command

    argv = streamlit_command("127.0.0.1", 8600)
    opts = dict(zip(argv[4::2], argv[5::2], strict=True))
    assert argv[2:4] == ["newsfacts.dashboard.server", str(APP)]
    assert opts["--server.address"] == "127.0.0.1" and opts["--server.port"] == "8600"
    assert opts["--browser.gatherUsageStats"] == "false"
    assert opts["--server.headless"] == "true"
