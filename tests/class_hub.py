"""A class on JupyterHub on this machine: hub, students' servers and kernels, driven by REST.

Shared by tests/test_class_hub.py and benchmarks/bench_class.py. The hub runs the shipped
deploy/jupyterhub/one_server/jupyterhub_config.py in its ``trial`` mode (DummyAuthenticator,
SimpleLocalProcessSpawner: no isolation, test only), on 127.0.0.1 and free ports, with all of
its state in one folder. Everything started is stopped by PID (``stop_class``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psutil
import websocket  # websocket-client, installed with jupyter_server
from lab_process import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "jupyterhub" / "one_server" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOK_04 = ROOT / "notebooks" / "04_encoders_and_decoders.ipynb"


def missing_parts() -> list[str]:
    """What a class test needs and this machine lacks (empty when it can run)."""
    missing = [f"{name} (make setup installs it)" for name in ("jupyterhub", "jupyterhub_idle_culler")
               if importlib.util.find_spec(name) is None]
    if not PROXY.exists():
        missing.append("configurable-http-proxy (make hub-proxy installs it)")
    return missing


class ClassError(RuntimeError):
    """Something in the class did not work; the message says what and carries the hub's log."""


@dataclass
class Hub:
    process: subprocess.Popen
    url: str  # the proxy's public side: what a student's browser opens
    token: str  # the class-admin service's token
    state: Path
    log: Path
    servers: list = field(default_factory=list)  # psutil.Process of each student's server
    kernels: list = field(default_factory=list)  # ... and of each kernel

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def request(hub: Hub, method: str, path: str, body=None, token: str | None = None, timeout: float = 30):
    """One REST call through the proxy; returns (status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(hub.url + path, data=data, method=method, headers={
        "Authorization": f"token {token or hub.token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"message": raw.decode(errors="replace")}


def start_hub(state: Path, environment: dict | None = None, timeout: float = 60) -> Hub:
    """Start JupyterHub with the shipped config; return once its REST API answers."""
    if not PROXY.exists():
        raise ClassError(f"no configurable-http-proxy at {PROXY}: run `npm ci --prefix deploy/jupyterhub`")
    state.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "OMP_NUM_THREADS": "1", **(environment or {}),
           "LECTUREKIT_HUB_MODE": "trial", "LECTUREKIT_HUB_STATE": str(state),
           "LECTUREKIT_HUB_PORT": str(port), "LECTUREKIT_HUB_INTERNAL_PORT": str(free_port()),
           "LECTUREKIT_PROXY_API_PORT": str(free_port()), "LECTUREKIT_HUB_ADMIN_TOKEN": token}
    log = state / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(CONFIG)],
            cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT)
    hub = Hub(process, f"http://127.0.0.1:{port}", token, state, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ClassError(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            if request(hub, "GET", "/hub/api/", timeout=2)[0] == 200:
                return hub
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_class(hub)
            raise ClassError(f"JupyterHub did not answer within {timeout:.0f} s:\n{hub.log_tail()}")
        time.sleep(0.3)


def start_server(hub: Hub, name: str, timeout: float = 120) -> tuple[float, int]:
    """Create student ``name`` and start their server; (seconds until it is ready, its PID)."""
    status, body = request(hub, "POST", f"/hub/api/users/{name}")
    if status not in (201, 409):  # 409: the student exists already
        raise ClassError(f"creating {name}: {status} {body}")
    start = time.perf_counter()
    status, body = request(hub, "POST", f"/hub/api/users/{name}/server", timeout=timeout)
    if status not in (201, 202):
        raise ClassError(f"starting {name}'s server: {status} {body}\n{hub.log_tail()}")
    deadline = time.monotonic() + timeout
    while True:
        status, user = request(hub, "GET", f"/hub/api/users/{name}")
        server = (user or {}).get("servers", {}).get("")
        if server and server.get("ready"):
            pid = int(server["state"]["pid"])
            hub.servers.append(psutil.Process(pid))
            return time.perf_counter() - start, pid
        if time.monotonic() > deadline:
            raise ClassError(f"{name}'s server was not ready within {timeout:.0f} s:\n{hub.log_tail()}")
        time.sleep(0.25)


def user_token(hub: Hub, name: str) -> str:
    """A token of the student's own, as their browser holds after logging in."""
    status, body = request(hub, "POST", f"/hub/api/users/{name}/tokens",
                           {"note": "class test", "expires_in": 3600})
    if status != 201:
        raise ClassError(f"token for {name}: {status} {body}")
    return body["token"]


class Kernel:
    """A student's kernel, reached as JupyterLab reaches it: REST to start, a websocket to run code."""

    def __init__(self, hub: Hub, name: str, token: str, timeout: float = 60):
        self.hub, self.name, self.token, self.session = hub, name, token, uuid.uuid4().hex
        status, body = request(hub, "POST", f"/user/{name}/api/kernels", {"name": "python3"},
                               token=token, timeout=timeout)
        if status != 201:
            raise ClassError(f"{name}'s kernel did not start: {status} {body}")
        self.id = body["id"]
        url = hub.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(f"{url}?session_id={self.session}", timeout=timeout,
                                              header=[f"Authorization: token {token}"])
        self.send("kernel_info_request", {}, timeout=timeout)  # answers once the kernel is up
        self.pid = int(self.run("import os; print(os.getpid())").strip())
        hub.kernels.append(psutil.Process(self.pid))

    def send(self, msg_type: str, content: dict, timeout: float = 120) -> dict:
        """Send one shell request; gather its replies until the kernel is idle again.

        Returns {'reply': content, 'stdout': text, 'html': [text/html results], 'error': ...}.
        """
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": self.name, "version": "5.3",
                       "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}))
        result = {"reply": None, "stdout": "", "html": [], "error": None}
        idle, deadline = False, time.monotonic() + timeout
        while result["reply"] is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ClassError(f"{self.name}'s kernel gave no answer to {msg_type} within {timeout:.0f} s")
            self.ws.settimeout(remaining)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue  # the loop's deadline check raises
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, body = message["msg_type"], message["content"]
            if kind.endswith("_reply"):
                result["reply"] = body
            elif kind == "status" and body["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                result["stdout"] += body["text"]
            elif kind in ("execute_result", "display_data") and "text/html" in body["data"]:
                result["html"].append(body["data"]["text/html"])
            elif kind == "error":
                result["error"] = f"{body['ename']}: {body['evalue']}"
        return result

    def execute(self, code: str, timeout: float = 120) -> dict:
        result = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False}, timeout)
        if result["error"]:
            raise ClassError(f"{self.name}'s kernel: {result['error']}")
        return result

    def run(self, code: str, timeout: float = 120) -> str:
        """Run code; its printed output."""
        return self.execute(code, timeout)["stdout"]

    def close(self) -> None:
        try:
            self.ws.close()
        except OSError:
            pass


# ---------------------------------------------------------------- notebook 04's mask explorer

def mask_explorer_cells(notebook: Path = NOTEBOOK_04) -> tuple[list[str], str]:
    """The code a student runs to reach the mask explorer (setup, load, widget) and the HTML
    the notebook stores for the widget: (cells' sources, stored html)."""
    cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
    source = ["".join(c["source"]) for c in cells]
    load = next(i for i, s in enumerate(source) if s.startswith('bert = load_model("lecture-bert")'))
    widget = next(i for i, s in enumerate(source) if s.startswith("MaskExplorer(bert"))
    stored = "".join(next(o["data"]["text/html"] for o in cells[widget]["outputs"]
                          if "text/html" in o.get("data", {})))
    return [source[0], source[load], source[widget]], stored


def top_tokens(html: str) -> list[str]:
    """The guesses in a MaskExplorer's HTML table, best first (each row: token, then its bar)."""
    return re.findall(r"<td[^>]*>([^<>]+)</td><td style='width:240px'>", html)


def explore(kernel: Kernel, cells: list[str], timeout: float = 120) -> list[str]:
    """Run the mask-explorer cells as a student would; the widget's top guesses."""
    html = []
    for cell in cells:
        html += kernel.execute(cell, timeout)["html"]
    if not html:
        raise ClassError(f"{kernel.name}: the mask explorer showed no HTML")
    return top_tokens(html[-1])


# ---------------------------------------------------------------- memory and stopping

def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB, from /proc. PSS splits shared pages (torch's libraries,
    the checkpoint's mapped file) between the processes that share them."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


def _gone(process: psutil.Process) -> bool:
    # A killed process stays a zombie until its parent (the hub, a server) reaps it, which the
    # hub does only every 30 s: a zombie has stopped, whoever reaps it.
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_gone(process: psutil.Process, timeout: float = 15) -> bool:
    """Whether ``process`` stopped (or became a zombie) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not _gone(process):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop_pids(processes: list[psutil.Process], timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL, processes we started, all at once (psutil.Process objects: a PID
    reused by another process since is never signalled)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for process in processes:
            try:
                if not _gone(process):
                    process.send_signal(sig)
            except psutil.NoSuchProcess:
                pass
        deadline = time.monotonic() + timeout
        while not all(_gone(p) for p in processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        if all(_gone(p) for p in processes):
            return


def helper_processes(hub: Hub) -> list[psutil.Process]:
    """The proxy (from its PID file) and the idle culler (from the services API)."""
    found = []
    pid_file = hub.state / "proxy.pid"
    if pid_file.exists():
        found.append(int(pid_file.read_text().strip() or 0))
    try:
        status, services = request(hub, "GET", "/hub/api/services", timeout=5)
        if status == 200:
            found += [s["pid"] for s in services.values() if s.get("pid")]
    except OSError:
        pass
    processes = []
    for pid in found:
        try:
            processes.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    return processes


def stop_class(hub: Hub) -> None:
    """Stop everything the class started, by PID: kernels and servers, the hub, its proxy and culler."""
    helpers = helper_processes(hub) if hub.process.poll() is None else []
    # Each server's processes, taken before it stops: the kernels we started and any kernel
    # its restarter started in place of one that died.
    kernels = list(hub.kernels)
    for server in hub.servers:
        try:
            kernels += server.children(recursive=True)
        except psutil.NoSuchProcess:
            pass
    # Servers first: a server that is stopping shuts its kernels down; a kernel killed first
    # would only be restarted by its server. Then whatever of the kernels is left.
    stop_pids(hub.servers)
    stop_pids(kernels, timeout=5)
    if hub.process.poll() is None:
        stop(hub.process)
    stop_pids(helpers, timeout=5)  # the hub stops them itself; this catches a hub that could not
