"""A student's first minute on the class hub, in a real browser: the hub's own login page, the
server it spawns, and JupyterLab showing the student's copy of the lessons, ready to run one.

The hub is the shipped one-server config in its trial mode (any name, any password), as in
tests/test_class_hub.py, which drives four students through the REST API instead.
"""

from __future__ import annotations

import os

import pytest
from class_hub import missing_parts, start_hub, stop_class  # tests/class_hub.py

from .conftest import _require_browser, run_all_cells, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_student_logs_in_through_the_form_and_gets_the_lessons(browser, tmp_path):
    _require_browser()
    if missing := missing_parts():  # CI installs them all (.ci/run): there this is a failure
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the class test cannot run under CI: missing {', '.join(missing)}")
        pytest.skip(f"missing {', '.join(missing)}")
    hub = start_hub(tmp_path / "hub")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{hub.url}/hub/login")
        page.fill("input[name=username]", "erin")
        page.fill("input[name=password]", "any password works in trial mode")
        page.click("input[type=submit], button[type=submit]")
        # The hub spawns erin's server, then sends the browser to her JupyterLab.
        page.wait_for_url("**/user/erin/lab**", timeout=120_000)
        # Her server's root is her own copy of the lessons (my-notebooks in her home).
        listing = page.locator(".jp-DirListing-itemText")
        listing.filter(has_text="04_encoders_and_decoders.ipynb").first.wait_for(timeout=30_000)
        names = set(listing.all_inner_texts())
        assert {"00_welcome.ipynb", "04_encoders_and_decoders.ipynb"} <= names, names
        listing.filter(has_text="00_welcome.ipynb").first.dblclick()
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)  # her kernel started
        run_all_cells(page)  # and runs the lesson
        assert page.locator(".jp-OutputArea-output :text('Traceback')").count() == 0
        screenshot(page, "class_hub_student_lab.png")
        assert errors == [], errors
        assert (hub.state / "homes" / "erin" / "my-notebooks" / "00_welcome.ipynb").is_file()
    finally:
        context.close()
        stop_class(hub)
