"""`lecturekit present`: choosing the lesson and the port, and the command lines of both views.

The views themselves run in real Chromium in tests/browser/test_present_in_browser.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from lecturekit import workspace
from lecturekit.lab import LAB_CONFIG
from lecturekit.present import (
    PRESENT_CONFIG,
    SETTINGS_FOLDER,
    PresentError,
    choose_port,
    find_lesson,
    present_command,
    present_environment,
    present_url,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("present") / "my-notebooks"
    workspace.sync(workspace=copy)
    return copy


def test_a_lesson_is_found_by_number_or_name(folder):
    assert find_lesson("4", folder) == find_lesson("04", folder) == "04_encoders_and_decoders.ipynb"
    assert find_lesson("00_welcome", folder) == find_lesson("00_welcome.ipynb", folder) == "00_welcome.ipynb"


def test_an_unknown_lesson_lists_the_lessons(folder):
    with pytest.raises(PresentError) as caught:
        find_lesson("42", folder)
    message = str(caught.value)
    assert "no lesson '42'" in message
    for name in sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb")):
        assert f"  {name[:2]}  " in message  # every lesson, by its number


def test_the_command_line_says_the_same_and_exits_2_without_a_traceback(folder):
    done = subprocess.run([sys.executable, "-m", "lecturekit", "present", "99", "--folder", str(folder)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no lesson '99'" in done.stderr and "04  encoders and decoders" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_in_use_gives_the_next_free_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        chosen = choose_port(port)
        assert chosen != port and chosen > port
    with pytest.raises(PresentError, match="between 1 and 65535"):
        choose_port(70000)


def test_both_views_listen_on_this_machine_only_and_open_the_lesson(folder):
    lab = present_command("lab", "00_welcome.ipynb", 9999, folder)
    assert {"--ip=127.0.0.1", "--ServerApp.default_url=/doc/tree/00_welcome.ipynb",
            "--ServerApp.port_retries=0"} <= set(lab)  # the printed port is the port served
    assert present_url("lab", "00_welcome.ipynb", 9999, "abc") == "http://127.0.0.1:9999/doc/tree/00_welcome.ipynb?token=abc"
    voila = present_command("voila", "00_welcome.ipynb", 9999, folder)
    assert voila[1:3] == ["-m", "voila"] and voila[3] == str(folder / "00_welcome.ipynb")
    assert {"--Voila.ip=127.0.0.1", "--port=9999", "--Voila.port_retries=0", "--template=projector",
            "--preheat_kernel=True"} <= set(voila)
    assert present_url("voila", "00_welcome.ipynb", 9999) == "http://127.0.0.1:9999/"
    assert "--preheat_kernel=False" in present_command("voila", "00_welcome.ipynb", 9999, folder, preheat=False)
    with pytest.raises(PresentError):
        present_command("slides", "00_welcome.ipynb", 9999, folder)


def test_projector_settings_come_first_and_an_instructors_changes_are_kept(folder, monkeypatch):
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    env = present_environment(folder, {})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[:2] == [str(PRESENT_CONFIG), str(LAB_CONFIG)]
    themes = folder / SETTINGS_FOLDER / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    assert env["JUPYTERLAB_SETTINGS_DIR"] == str(folder / SETTINGS_FOLDER) and "22px" in themes.read_text()
    themes.write_text('{"theme": "JupyterLab Dark"}')  # changed while projecting
    present_environment(folder, {})
    assert themes.read_text() == '{"theme": "JupyterLab Dark"}'
    overrides = json.loads((PRESENT_CONFIG / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/application-extension:shell"]["startMode"] == "single"


def test_voila_finds_the_projector_template_through_the_environment(folder, monkeypatch):
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", present_environment(folder, {})["JUPYTER_PATH"])
    paths = collect_template_paths(["voila", "nbconvert"], "projector")
    assert str(PRESENT_CONFIG / "voila" / "templates" / "projector") in paths
    assert any(p.endswith(os.path.join("voila", "templates", "lab")) for p in paths)  # its base template
