"""Starting and stopping a JupyterLab server in tests (used by the lab and browser tests)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_json(server: subprocess.Popen, url: str, exit_log, timeout: float = 90):
    """Poll ``url`` until the server answers with JSON; fail if it exits or stays silent."""
    deadline = time.time() + timeout
    while True:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{exit_log()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            if time.time() > deadline:
                pytest.fail(f"JupyterLab did not answer within {timeout:.0f} s")
            time.sleep(0.5)


def stop(server: subprocess.Popen, timeout: float = 20) -> None:
    """Stop the server we started, by its PID: politely, then firmly."""
    os.kill(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
