"""A real browser on the dashboard: Debian's chromium and chromedriver through Selenium.

Selenium is always given /usr/bin/chromedriver (and SE_OFFLINE), so it never tries to
download a driver or a browser. The browser resolves no host but 127.0.0.1, which
proves the pages need nothing from the internet (no CDN font, script or style).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

METRIC = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stVegaLiteChart"]'
DRAWN = f"{CHART} svg.marks, {CHART} canvas.marks"


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) when both are installed, else None."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    return (browser, driver) if browser and driver else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard_server(exports: Path, timeout: float = 90) -> Iterator[str]:
    """`newsfacts dashboard --exports EXPORTS` on a free loopback port; yields its URL."""
    port = free_port()
    env = dict(os.environ, DO_NOT_TRACK="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsfacts", "dashboard", "--exports", str(exports),
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dashboard exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("dashboard did not answer")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


@contextmanager
def open_browser(width: int = 1440, height: int = 1000) -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError("chromium and chromedriver are not installed")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_page(driver, *, metrics: int, charts: int, timeout: float = 90) -> None:
    """Until `metrics` metric values and `charts` drawn charts are on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d) -> bool:
        return (len(d.find_elements(By.CSS_SELECTOR, METRIC)) >= metrics
                and len(d.find_elements(By.CSS_SELECTOR, DRAWN)) >= charts)

    WebDriverWait(driver, timeout, poll_frequency=0.05).until(ready)


def full_page_screenshot(driver, path: Path) -> None:
    """Resize the window to the page's height, then save a PNG of it."""
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
        "return Math.max(m.scrollHeight, document.body.scrollHeight);")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(max(int(height) + 40, 800), 4000))
    time.sleep(2)  # charts and tables redraw at the new size
    driver.save_screenshot(str(path))
