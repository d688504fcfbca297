"""Scheduled runs: the project's Prefect server, and a served, scheduled deployment.

Why it looks like this:
- `newsfacts server` is `prefect server start` bound to 127.0.0.1 (nothing listens beyond
  this machine) with the project's PREFECT_HOME (one SQLite database per checkout) and
  telemetry off. The process becomes the server (exec), so Ctrl-C and SIGTERM reach it.
- `newsfacts serve` registers a deployment of `newsfacts_flow` with its parameters bound
  and a cron or interval schedule, and serves it from this process: Prefect's runner
  polls the server and starts each due run in a subprocess.
- A schedule lives on a server. Without `PREFECT_API_URL`, Prefect would start an
  ephemeral server that dies with this command and takes the schedule with it, so
  `serve` refuses to start unless the configured server answers its health endpoint.
- One run at a time per `serve` process (`limit=1`): DuckDB has one writer anyway, and a
  run that falls due while another is still going starts when it ends (late) instead of
  failing on the warehouse lock.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from rich.console import Console

from newsfacts.settings import PROJECT_ROOT, Settings

DEFAULT_PORT = 4200
HOST = "127.0.0.1"
DEPLOYMENT_NAME = "scheduled"
NO_SERVER_HINT = ("start one with `newsfacts server` (or `make server`) and set "
                  f"PREFECT_API_URL=http://{HOST}:{DEFAULT_PORT}/api")

err = Console(stderr=True)


def server_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment `prefect server start` runs in: project home, no analytics.

    PREFECT_API_URL is dropped: it describes where clients find a server, and a server
    started with one pointing elsewhere warns about it.
    """
    out = dict(os.environ if env is None else env)
    out.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    out["DO_NOT_TRACK"] = "1"
    out["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    out.pop("PREFECT_API_URL", None)
    return out


def server_command(port: int = DEFAULT_PORT) -> list[str]:
    """argv of a Prefect server on the loopback interface (the same Python as ours)."""
    return [sys.executable, "-m", "prefect", "server", "start", "--host", HOST,
            "--port", str(port), "--analytics-off"]


def run_server(port: int = DEFAULT_PORT) -> int:
    """Replace this process with the Prefect server; returns only on bad arguments."""
    if not 0 < port < 65536:
        err.print(f"[red]--port must be 1-65535, not {port}[/red]")
        return 2
    env = server_environment()
    err.print(f"newsfacts: Prefect server on http://{HOST}:{port} "
              f"(PREFECT_HOME={env['PREFECT_HOME']}); in another shell:\n"
              f"  export PREFECT_API_URL=http://{HOST}:{port}/api")
    sys.stderr.flush()
    sys.stdout.flush()
    argv = server_command(port)
    os.execve(argv[0], argv, env)
    return 0  # pragma: no cover - execve does not return


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment, else from the active Prefect profile."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def server_problem(url: str | None, timeout: float = 5.0) -> str | None:
    """Why scheduled runs cannot be registered at `url`; None when its server is healthy."""
    if not url:
        return "PREFECT_API_URL is not set, and scheduled runs need a long-lived Prefect server"
    health = url.rstrip("/") + "/health"
    try:
        with urllib.request.urlopen(health, timeout=timeout) as resp:
            body = resp.read(100).decode("utf-8", "replace").strip()
            if resp.status != 200 or body != "true":
                return f"the Prefect server at {url} is not healthy ({resp.status} {body!r})"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"no Prefect server answers at {url} ({reason})"
    return None


def schedule_text(cron: str | None, interval: float | None) -> str:
    return f"cron {cron!r} (UTC)" if cron else f"every {interval:g} s"


def serve_command(input_dir: Path, warehouse_dir: Path | None, cron: str | None,
                  interval: float | None, name: str = DEPLOYMENT_NAME,
                  batch_size: int | None = None) -> int:
    """Register the scheduled deployment and serve it until interrupted; 2 on bad use."""
    from newsfacts.cli.run import prepare_prefect_environment

    prepare_prefect_environment()
    if (cron is None) == (interval is None):
        err.print("[red]give exactly one of --cron or --interval[/red]")
        return 2
    if interval is not None and interval <= 0:
        err.print("[red]--interval must be a positive number of seconds[/red]")
        return 2
    settings = Settings(**{k: v for k, v in {"input_dir": input_dir, "warehouse_dir": warehouse_dir,
                                              "batch_size": batch_size}.items() if v is not None})
    if not settings.input_dir.is_dir():
        err.print(f"[red]input folder not found:[/red] {settings.input_dir}")
        return 2
    if cron is not None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=cron)
        except ValueError as exc:
            err.print(f"[red]bad --cron {cron!r}:[/red] {exc}")
            return 2
    url = configured_api_url()
    problem = server_problem(url)
    if problem:
        err.print(f"[red]cannot schedule runs:[/red] {problem}; {NO_SERVER_HINT}", soft_wrap=True)
        return 2

    from prefect import serve
    from prefect.types.entrypoint import EntrypointType

    from flows.pipeline import newsfacts_flow

    parameters = {"input_dir": str(settings.input_dir.resolve()),
                  "warehouse_dir": str(settings.warehouse_dir.resolve())}
    if batch_size is not None:
        parameters["batch_size"] = batch_size
    deployment = newsfacts_flow.to_deployment(
        name=name,
        cron=cron,
        interval=interval,
        parameters=parameters,
        description=f"newsfacts over {parameters['input_dir']}, {schedule_text(cron, interval)}",
        tags=["newsfacts"],
        # a module path works from any working directory (the package is installed)
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    err.print(f"newsfacts: serving deployment 'newsfacts/{name}' on {url}, "
              f"{schedule_text(cron, interval)}: {parameters['input_dir']} -> "
              f"{parameters['warehouse_dir']}. Ctrl-C stops serving and pauses the schedule.")
    serve(deployment, limit=1, print_starting_message=False)
    return 0
