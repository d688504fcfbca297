"""A killed run leaves no Dask workers and no worker traceback behind.

A real local cluster, built with the task runner's own cluster arguments, in a child
process that is then SIGKILLed as a run can be: its worker processes must be gone
shortly after, and their output must hold no Traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil

_CHILD = textwrap.dedent("""
    import os, sys, time
    from distributed import Client, LocalCluster
    from newsfacts.resources import task_runner
    from newsfacts.settings import Settings

    # heartbeats every 20 ms: one is sure to meet the dead scheduler
    kwargs = dict(task_runner(Settings(workers=2)).cluster_kwargs, heartbeat_interval="20ms")
    cluster = LocalCluster(**kwargs)
    client = Client(cluster)
    client.wait_for_workers(2)
    import psutil
    me = psutil.Process()
    print(" ".join(str(c.pid) for c in me.children(recursive=True)), flush=True)
    time.sleep(60)
""")


def test_workers_end_with_a_killed_run(tmp_path):
    env = dict(os.environ, DO_NOT_TRACK="1")
    child = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    line = child.stdout.readline()
    pids = [int(p) for p in line.split()]
    assert pids, f"the cluster did not start: {child.stderr.read() if child.poll() is not None else ''}"
    time.sleep(1.5)  # a heartbeat or two while the run is alive
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    # The workers write to the same stderr: once they are gone it is complete.
    err = child.stderr.read()
    assert not alive, f"worker processes outlived the killed run: {alive}\n{err}"
    assert "Traceback" not in err, err
