"""Start the Streamlit server for `newsfacts dashboard` (loopback, offline, no telemetry).

The process execs `python -m newsfacts.dashboard.server app.py` (`streamlit run` after
importing what the pages need), so signals reach the server and stopping `newsfacts
dashboard` stops it. Every setting is on its command line, so a user's
`~/.streamlit/config.toml` cannot turn usage statistics back on or open the server to
the network; the exports folder travels in an environment variable that
`state.exports_dir()` reads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsfacts.dashboard.state import ENV_EXPORTS

APP = Path(__file__).resolve().parent / "app.py"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def streamlit_command(host: str, port: int) -> list[str]:
    """The child's argv: headless server on host:port, nothing sent anywhere."""
    return [
        sys.executable, "-m", "newsfacts.dashboard.server", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]


def dashboard_env(exports_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[ENV_EXPORTS] = str(exports_dir.resolve())
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def run_dashboard(exports_dir: Path, host: str = "127.0.0.1", port: int = 8501) -> int:
    """Serve until Ctrl-C or SIGTERM (this process becomes the server)."""
    if host not in LOOPBACK:
        print(f"warning: serving on {host}: anyone who can reach this address can read "
              "the exports. Put it behind a proxy with authentication.", file=sys.stderr)
    if not exports_dir.is_dir():
        print(f"note: no exports at {exports_dir} yet; the dashboard shows an empty state "
              "until `newsfacts run` writes them.", file=sys.stderr)
    print(f"newsfacts dashboard: http://{host}:{port} (exports: {exports_dir})", file=sys.stderr)
    sys.stderr.flush()
    sys.stdout.flush()
    argv = streamlit_command(host, port)
    if hasattr(os, "execve"):
        # Become the server: Ctrl-C and SIGTERM reach Streamlit itself, no orphan is left.
        os.execve(argv[0], argv, dashboard_env(exports_dir))
    return subprocess.call(argv, env=dashboard_env(exports_dir))  # pragma: no cover
