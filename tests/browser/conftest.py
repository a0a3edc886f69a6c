"""Real JupyterLab in real (headless) Chromium, driven by Playwright.

The browser is Debian's Chromium (never one downloaded by a test tool). Where it
is missing the browser tests skip with the reason — except under CI (CI=true),
where a missing browser is a failure: CI installs it in .ci/run.

The server is started as `make lab` starts it (`lecturekit lab`: a working copy of
notebooks/, news and update checks off), on 127.0.0.1 with a token, over a
temporary working copy, and stopped by its PID.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lab_process import free_port, stop, wait_for_json

from lecturekit import workspace
from lecturekit.lab import lab_command, lab_environment

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
TOKEN = "lecturekit-browser-test"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("LECTUREKIT_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def _require_browser() -> str:
    path = chromium_path()
    problem = None
    if path is None:
        problem = "Debian's chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright for Python is not installed (make setup installs it)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {problem}")
        pytest.skip(f"browser tests skipped: {problem}")
    return path


@pytest.fixture(scope="session")
def lab_workspace(tmp_path_factory) -> Path:
    """The working copy the test server serves (made as `lecturekit lab` makes it)."""
    notebooks = tmp_path_factory.mktemp("lab") / "my-notebooks"
    workspace.sync(workspace=notebooks)
    return notebooks


@pytest.fixture(scope="session")
def lab_server(lab_workspace):
    """A JupyterLab server over a working copy of notebooks/; yields its base URL."""
    _require_browser()
    notebooks = lab_workspace
    work = notebooks.parent
    (work / "settings").mkdir()  # empty: the learner's own JupyterLab settings play no part
    port = free_port()
    env = lab_environment({
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        **os.environ,
        "JUPYTER_TOKEN": TOKEN,
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "LECTUREKIT_DEVICE": os.environ.get("LECTUREKIT_DEVICE", "cpu"),
    })
    command = lab_command(port=port, notebook_dir=notebooks)
    log = open(work / "lab.log", "w")
    server = subprocess.Popen(command, cwd=notebooks, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_json(server, f"{base}/api/status?token={TOKEN}", lambda: (work / "lab.log").read_text()[-3000:])
        yield base
    finally:
        stop(server)
        log.close()


@pytest.fixture(scope="session")
def browser():
    path = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            # Quiet, offline-friendly flags: without them Chromium keeps trying to
            # reach Google services this machine cannot reach.
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def lab_page(browser, lab_server):
    """A fresh page plus a list collecting its JavaScript errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture
def projector_page(browser, lab_server):
    """Like ``lab_page``, at a projector's size: 1280 x 720 CSS pixels drawn at 1.5 device scale."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1.5)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.errors = errors
    yield page
    context.close()


def widget_screenshot(locator, name: str) -> Path:
    """The screen as a room sees it, with the widget's top at the top, into artifacts/.

    (An element screenshot of a widget taller than the screen comes out blank: JupyterLab
    does not paint cells scrolled out of its notebook panel.)
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    locator.scroll_into_view_if_needed(timeout=30_000)
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")
    locator.page.wait_for_timeout(300)
    locator.page.screenshot(path=str(path), full_page=False)
    return path


def open_notebook(page, base: str, name: str, timeout: float = 90_000):
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(f"{base}/lab/tree/{name}?token={TOKEN}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
    # JupyterLab may ask which kernel to start; the notebook's own (python3) is preselected.
    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=5_000)
    except Exception:  # no dialog this time
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def run_all_cells(page, timeout: float = 180_000):
    """Run → Run All Cells, then wait until every shown code cell has an execution count.

    A cell whose input is collapsed (the exercises' worked solutions) shows a placeholder
    whose prompt is also a .jp-InputPrompt but never gets a number, so only the input
    areas' own prompts are read.
    """
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click(timeout=10_000)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click(timeout=10_000)
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=timeout,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    return path
