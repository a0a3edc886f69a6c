"""`lecturekit present` in both views, at a projector's size, in real Chromium.

Notebook 00's temperature widget: it renders, answers a key press, the text is large enough
for the back of a room, nothing errors. The server is the real command, stopped by its PID
(which stops its kernels).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from lab_process import free_port, stop

from lecturekit import workspace

from .conftest import ARTIFACTS, TOKEN, _require_browser, run_all_cells

pytestmark = [pytest.mark.browser, pytest.mark.slow]

def start_present(view: str, folder: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    work = folder.parent
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"), "LECTUREKIT_DEVICE": "cpu",
           "OMP_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "lecturekit", "present", "00", "--view", view,
                               "--port", str(port), "--folder", str(folder)],
                              env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    probe = f"{base}/api/status?token={TOKEN}" if view == "lab" else f"{base}/voila/static/voila.js"
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            pytest.fail(f"lecturekit present exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return server, base
        except OSError:
            if time.monotonic() > deadline:
                stop(server)
                pytest.fail(f"lecturekit present did not answer within 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1.5)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def printed_url(log: Path) -> str:
    """The address `lecturekit present` printed for the instructor to open."""
    found = re.search(r"^\s+(http://127\.0\.0\.1:\S+)$", log.read_text(), re.MULTILINE)
    assert found, log.read_text()
    return found.group(1)


def font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def press_and_see_the_caption_change(page) -> None:
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed(timeout=30_000)
    caption = page.locator(".jp-OutputArea-output table caption").first
    caption.wait_for(timeout=30_000)
    assert "temperature 1" in (caption.text_content() or "")
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    # Four steps queue four updates: wait until the table shows the slider's final value.
    page.wait_for_function(
        """() => {
            const readout = document.querySelector('.widget-slider .widget-readout');
            const caption = document.querySelector('.jp-OutputArea-output table caption').textContent;
            const value = readout ? (readout.value || readout.textContent).trim() : '';
            return value && value !== '1.00' && caption.includes('temperature ' + value);
        }""",
        timeout=15_000)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_lab_view_is_single_document_with_large_text_and_a_live_widget(browser, projector, tmp_path):
    _require_browser()
    folder = tmp_path / "my-notebooks"
    workspace.sync(workspace=folder)
    log = tmp_path / "present-lab.log"
    server, base = start_present("lab", folder, log)
    page = projector
    try:
        url = printed_url(log)  # the address the instructor is told to open, token included
        assert url == f"{base}/doc/tree/00_welcome.ipynb?token={TOKEN}"
        page.goto(f"{url}&reset")  # &reset: a fresh layout, as on a first class
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        assert "/doc/tree/00_welcome.ipynb" in page.url  # JupyterLab's single-document address
        # The file browser starts folded away: the lesson gets the projector's whole width.
        assert page.locator(".jp-FileBrowser").count() == 1
        assert page.locator(".jp-FileBrowser:visible").count() == 0
        assert font_px(page, ".jp-RenderedMarkdown p") >= 20  # the lab's default is 14
        assert font_px(page, ".jp-InputArea-editor .cm-content") >= 18
        run_all_cells(page)
        page.locator(".widget-slider").first.wait_for(timeout=90_000)
        press_and_see_the_caption_change(page)
        screenshot(page, "present_lab_projector.png")
        assert page.errors == [], page.errors
    finally:
        stop(server)
    assert server.returncode is not None


def test_voila_view_shows_text_and_widgets_without_code(browser, projector, tmp_path):
    _require_browser()
    folder = tmp_path / "my-notebooks"
    workspace.sync(workspace=folder)
    server, base = start_present("voila", folder, tmp_path / "present-voila.log")
    page = projector
    try:
        started = time.perf_counter()
        page.goto(f"{base}/", timeout=120_000)
        page.locator(".widget-slider").first.wait_for(timeout=120_000)
        print(f"\nvoila: page load to first widget {time.perf_counter() - started:.1f} s (preheated kernel)")
        assert page.locator(".jp-CodeCell .jp-InputArea:visible").count() == 0  # no code on the screen
        assert page.locator(".jp-MarkdownCell").count() > 3  # but the text is
        assert "cdn.jsdelivr.net" not in page.content()  # the projector template needs no network
        assert "temperature" in page.locator("body").inner_text().lower()
        assert font_px(page, ".jp-RenderedMarkdown p") >= 20
        press_and_see_the_caption_change(page)
        screenshot(page, "present_voila_projector.png")
        assert page.errors == [], page.errors
    finally:
        stop(server)
    # The preheated kernel went with the server: no Voilà kernel of this folder is left.
    leftover = subprocess.run(["pgrep", "-f", f"ipykernel.*{tmp_path}"], capture_output=True, text=True).stdout
    assert leftover == ""
