"""Scheduled runs: `newsfacts serve` on a real Prefect server, and its refusal without one.

The served deployment runs every INTERVAL seconds over a small landing folder; the test
waits for two scheduled flow runs of that deployment to complete (asked of the Prefect
API), checks that the warehouse recorded exactly those runs and loaded each page once,
then stops the serve process group (SIGTERM, which also pauses the schedule).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import SAMPLE_DIR
from tests.flowutil import query
from tests.serverutil import (
    NEWSFACTS,
    ROOT,
    child_env,
    free_port,
    stop_group,
)

pytestmark = pytest.mark.slow

INTERVAL = 5
PAGES = 3


def _serve(*args: str, env: dict[str, str], stdout=subprocess.PIPE, **kw) -> subprocess.Popen:
    return subprocess.Popen([str(NEWSFACTS), "serve", *args], cwd=ROOT, env=env,
                            stdout=stdout, stderr=subprocess.STDOUT, **kw)


def _flow_runs(api_url: str, deployment_name: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}), get_client(sync_client=True) as c:
        return c.read_flow_runs(deployment_filter=DeploymentFilter(
            name=DeploymentFilterName(any_=[deployment_name])))


def test_serve_refuses_without_a_server(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/api"
    for env, reason in [(child_env(PREFECT_HOME=str(tmp_path)), "PREFECT_API_URL is not set"),
                        (child_env(dead, PREFECT_HOME=str(tmp_path)), "no Prefect server answers")]:
        proc = _serve("--input", str(SAMPLE_DIR), "--warehouse", str(tmp_path / "wh"),
                      "--interval", "5", env=env)
        out = proc.communicate(timeout=120)[0].decode()
        flat = " ".join(out.split())
        assert proc.returncode == 2, out
        assert reason in flat
        assert ("start one with `newsfacts server` (or `make server`) and set "
                "PREFECT_API_URL=http://127.0.0.1:4200/api") in flat
        assert "Traceback" not in out
    assert not (tmp_path / "wh").exists(), "nothing was run"


def test_served_deployment_runs_on_schedule(prefect_api, tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    pages = sorted(SAMPLE_DIR.glob("*.txt"))[:PAGES]
    for page in pages:
        shutil.copy2(page, landing / page.name)
    wh = tmp_path / "wh"
    name = f"test-{uuid.uuid4().hex[:8]}"
    env = child_env(prefect_api, PREFECT_HOME=str(tmp_path / "home"),
                    PREFECT_RUNNER_POLL_FREQUENCY="1")
    log = tmp_path / "serve.log"
    with log.open("wb") as fh:
        proc = _serve("--input", str(landing), "--warehouse", str(wh), "--interval", str(INTERVAL),
                      "--name", name, env=env, stdout=fh, start_new_session=True)
    completed: list = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            runs = _flow_runs(prefect_api, name)
            completed = [r for r in runs if r.state and r.state.is_completed()]
            assert not [r for r in runs if r.state and (r.state.is_failed() or r.state.is_crashed())], \
                [(r.name, r.state) for r in runs]
            if len(completed) >= 2:
                break
            time.sleep(1)
    finally:
        stop_group(proc, grace=20)
    out = log.read_text(errors="replace")
    assert len(completed) >= 2, f"scheduled runs completed: {len(completed)}\n{out}"
    assert all(r.auto_scheduled for r in completed), "the schedule made these runs"

    done_ids = {str(r.id) for r in completed}
    recorded = query(wh, "SELECT flow_run_id, pages_new, pages_unchanged FROM runs ORDER BY started")
    assert done_ids <= {fid for fid, _, _ in recorded}, "each completed run has its runs row"
    assert sum(new for _, new, _ in recorded) == PAGES, "every page loaded exactly once"
    assert recorded[-1][1:] == (0, PAGES)
    assert query(wh, "SELECT count(*) FROM documents") == [(PAGES,)]


def test_prefect_yaml_deploys_the_flow_to_a_process_pool():
    """prefect.yaml names the real flow, parameters it takes, a valid cron, one run at a time."""
    import yaml
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (dep,) = spec["deployments"]
    path, func = dep["entrypoint"].split(":")
    flow = load_flow_from_entrypoint(f"{ROOT / path}:{func}")
    assert flow.name == "newsfacts"
    assert set(dep["parameters"]) <= set(flow.parameters.properties)
    for schedule in dep["schedules"]:
        CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])
    assert dep["concurrency_limit"] == 1 and dep["work_pool"]["name"]
    assert spec["build"] is None and spec["push"] is None, "a process worker runs this checkout"
