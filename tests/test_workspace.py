"""The learner's working copy: made from the lessons, updated only where the learner changed nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturekit import workspace
from lecturekit.cli import main as cli_main


@pytest.fixture
def lessons(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    (folder / "homework").mkdir(parents=True)
    (folder / "00_welcome.ipynb").write_text('{"v": 1}')
    (folder / "03_pretraining_objectives.ipynb").write_text('{"v": 1}')
    (folder / "homework" / "hw1.ipynb").write_text('{"hw": 1}')
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "00_welcome-checkpoint.ipynb").write_text("{}")
    return folder


def test_first_sync_copies_every_lesson_file(lessons, tmp_path):
    copy = tmp_path / "my-notebooks"
    report = workspace.sync(lessons, copy)
    assert sorted(report.created) == ["00_welcome.ipynb", "03_pretraining_objectives.ipynb", "homework/hw1.ipynb"]
    assert (copy / "homework" / "hw1.ipynb").read_text() == '{"hw": 1}'
    assert not (copy / ".ipynb_checkpoints").exists()
    assert str(copy) in report.message()
    # A second sync with nothing new does nothing.
    again = workspace.sync(lessons, copy)
    assert (again.created, again.updated, again.kept_edited) == ([], [], [])


def test_new_lesson_version_replaces_an_untouched_copy_but_never_an_edited_one(lessons, tmp_path):
    copy = tmp_path / "my-notebooks"
    workspace.sync(lessons, copy)
    (copy / "03_pretraining_objectives.ipynb").write_text('{"v": 1, "my answer": 42}')  # the learner's work
    (lessons / "00_welcome.ipynb").write_text('{"v": 2}')                              # git pull brings
    (lessons / "03_pretraining_objectives.ipynb").write_text('{"v": 2}')               # new versions
    report = workspace.sync(lessons, copy)
    assert report.updated == ["00_welcome.ipynb"]
    assert report.kept_edited == ["03_pretraining_objectives.ipynb"]
    assert (copy / "00_welcome.ipynb").read_text() == '{"v": 2}'
    assert "my answer" in (copy / "03_pretraining_objectives.ipynb").read_text()
    assert "lecturekit reset 03" in report.message()
    # Still kept on the next sync: the learner has not asked for the new version.
    assert workspace.sync(lessons, copy).kept_edited == ["03_pretraining_objectives.ipynb"]


def test_reset_restores_the_lesson_and_keeps_a_backup(lessons, tmp_path):
    copy = tmp_path / "my-notebooks"
    workspace.sync(lessons, copy)
    (copy / "03_pretraining_objectives.ipynb").write_text('{"mine": true}')
    backups = workspace.reset("3", lessons, copy)
    assert (copy / "03_pretraining_objectives.ipynb").read_text() == '{"v": 1}'
    assert len(backups) == 1 and Path(backups[0]).read_text() == '{"mine": true}'
    # A second reset straight away keeps both backups apart.
    (copy / "03_pretraining_objectives.ipynb").write_text('{"mine again": true}')
    second = workspace.reset("03", lessons, copy)
    assert Path(second[0]).read_text() == '{"mine again": true}' and Path(backups[0]).exists()
    # Resetting a pristine copy writes no backup.
    assert workspace.reset("all", lessons, copy) == []


def test_reset_of_an_unknown_lesson_lists_the_valid_ones(lessons, tmp_path, capsys):
    with pytest.raises(ValueError, match=r"no lesson '99'.*00, 03"):
        workspace.reset("99", lessons, tmp_path / "copy")
    assert cli_main(["reset", "99", "--folder", str(tmp_path / "copy")]) == 2
    assert "no lesson" in capsys.readouterr().err


def test_a_damaged_record_treats_copies_as_edited(lessons, tmp_path):
    copy = tmp_path / "my-notebooks"
    workspace.sync(lessons, copy)
    (copy / workspace.MANIFEST).write_text("not json{")
    (lessons / "00_welcome.ipynb").write_text('{"v": 2}')
    report = workspace.sync(lessons, copy)
    assert "00_welcome.ipynb" in report.kept_edited
    assert (copy / "00_welcome.ipynb").read_text() == '{"v": 1}'


def test_the_working_copy_is_ignored_by_git():
    ignored = (workspace.REPOSITORY / ".gitignore").read_text().splitlines()
    assert f"{workspace.WORKSPACE.name}/" in ignored


def test_lab_serves_the_working_copy_without_news_or_update_checks():
    from lecturekit.lab import lab_command

    command = lab_command(8888)
    assert f"--ServerApp.root_dir={workspace.WORKSPACE}" in command
    assert "--LabApp.news_url=None" in command
    assert any("NeverCheckForUpdate" in part for part in command)
