"""The README's run command serves a working copy of notebooks/ on 127.0.0.1 (started and stopped here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from lab_process import free_port, stop, wait_for_json

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_lab_serves_the_notebooks_on_localhost(tmp_path):
    port, token = free_port(), "lecturekit-test-token"
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    # `make lab` runs exactly this (after set-up); the process execs into JupyterLab,
    # so this PID is the server's own.
    server = subprocess.Popen(
        [sys.executable, "-m", "lecturekit", "lab", "--port", str(port), "--folder", str(tmp_path / "copy")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        listing = wait_for_json(server, f"http://127.0.0.1:{port}/api/contents/?token={token}", server.stdout.read)
        names = {item["name"] for item in listing["content"]}
        assert "00_welcome.ipynb" in names
        # What is served is the copy, byte for byte the lesson until the learner changes it.
        copy = tmp_path / "copy" / "00_welcome.ipynb"
        assert copy.read_bytes() == (ROOT / "notebooks" / "00_welcome.ipynb").read_bytes()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5) as page:
            assert page.status == 200
            # No "Jupyter news?" pop-up in front of a class: the page config turns news off.
            assert '"news": {"disabled": true}' in page.read().decode()
        # Only loopback: the server must not answer on another interface's address.
        with socket.socket() as s:
            s.settimeout(1)
            other = socket.gethostbyname(socket.gethostname())
            if not other.startswith("127."):
                assert s.connect_ex((other, port)) != 0
    finally:
        stop(server)
