"""The dashboard in a real browser: headless Chromium on 127.0.0.1, over the sample's exports.

The browser may resolve no host but 127.0.0.1 (tests/browserutil.py), so a page that
needed a CDN would fail here. Numbers are read from the rendered page and compared with
SQL over the Parquet files; one screenshot per page is saved (to NEWSFACTS_SCREENSHOTS
when set, else the test's temporary folder). In CI (CI=true) a missing Chromium fails
the test: `.ci/run` installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfacts.dashboard import fmt
from tests.dashboard.browserutil import (
    CHART,
    METRIC,
    chromium_paths,
    dashboard_server,
    full_page_screenshot,
    open_browser,
    wait_for_page,
)
from tests.dashboard.dashutil import one, sample_exports
from warehouse.schema import MEASURE_EVENT_TYPES

pytestmark = pytest.mark.slow

# path, metrics, drawn charts, chart titles to find
PAGES = [
    ("", 5, 5, ["Pages, amounts and deals per month", "USD committed by month and event type",
                "Money amounts by currency", "Money amounts by site",
                "Money amounts by language"]),
    ("deals", 3, 1, ["Largest deals (USD)"]),
    ("entity", 4, 1, ["USD as actor and as counterpart by month"]),
    ("quality", 4, 3, ["Pages loaded and quarantined per run",
                       "Quarantined pages and rows by reason", "Money amounts by FX source"]),
]


@pytest.fixture(scope="module")
def browser_ready() -> None:
    if chromium_paths() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run does it)")
        pytest.skip("chromium / chromedriver not installed (apt-get install chromium chromium-driver)")


def overview_expected(exports: Path) -> dict[str, str]:
    committed = ", ".join(f"'{t}'" for t in MEASURE_EVENT_TYPES)
    return {
        "Pages": fmt.count(one(exports, "SELECT count(*) FROM documents")),
        "Money amounts": fmt.count(one(exports, "SELECT count(*) FROM v_amounts")),
        "Deal events": fmt.count(one(exports, "SELECT count(*) FROM v_deals")),
        "USD committed": fmt.money(one(
            exports, "SELECT sum(value_usd) FROM v_deals "
                     f"WHERE coalesce(event_type, '') NOT IN ({committed})")),
        "Amounts with an FX rate": fmt.percent(one(
            exports, "SELECT avg(CASE WHEN fx_missing_reason IS NULL AND fx_source IS NOT NULL "
                     "THEN 1 ELSE 0 END) FROM v_amounts")),
    }


def test_dashboard_in_headless_chromium(browser_ready, prefect_harness, tmp_path_factory, tmp_path):
    from selenium.webdriver.common.by import By

    exports = sample_exports(tmp_path_factory.mktemp("dash_browser"))
    shots = Path(os.environ.get("NEWSFACTS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with dashboard_server(exports) as url, open_browser() as driver:
        for path, n_metrics, n_charts, titles in PAGES:
            driver.get(f"{url}/{path}")
            wait_for_page(driver, metrics=n_metrics, charts=n_charts)
            assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
            charts_text = " ".join(e.get_attribute("textContent")
                                   for e in driver.find_elements(By.CSS_SELECTOR, CHART))
            for title in titles:
                assert title in charts_text, f"chart '{title}' missing on /{path}"
            if path == "":
                labels = [e.text for e in driver.find_elements(
                    By.CSS_SELECTOR, '[data-testid="stMetricLabel"]')]
                values = [e.text for e in driver.find_elements(By.CSS_SELECTOR, METRIC)]
                assert dict(zip(labels, values, strict=True)) == overview_expected(exports)
            name = f"dashboard-{path or 'overview'}.png"
            full_page_screenshot(driver, shots / name)
            assert (shots / name).stat().st_size > 10_000
