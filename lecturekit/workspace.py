"""Learners work in a copy of the lessons, never in the lessons themselves.

`lecturekit lab` serves ``my-notebooks/`` (git ignores it), made from ``notebooks/`` on
first run. Autosave, a student's edits and the widget state JupyterLab writes all land in
the copy, so the tracked lessons stay exactly as they are stored and ``git pull`` never
fights with a learner's work.

When the repository brings a new version of a lesson:

- a copy the learner never changed (byte-identical to the version it was made from) is
  replaced by the new version;
- an edited copy is kept, and the learner is told how to get the new version
  (``lecturekit reset 03``); a reset first moves the old copy into
  ``my-notebooks/.backups/``, so nothing a learner wrote is ever deleted.

``.lessons.json`` in the copy records, per file, the hash of the lesson version it was
made from: that is how an untouched copy is told apart from an edited one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
LESSONS = REPOSITORY / "notebooks"
WORKSPACE = REPOSITORY / "my-notebooks"
MANIFEST = ".lessons.json"
BACKUPS = ".backups"


@dataclass
class SyncReport:
    """What a sync did, file by file (paths relative to the copy)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # a newer lesson exists; the learner's copy stays
    workspace: Path | None = None

    def message(self) -> str:
        lines = [f"Your working copy of the lessons is {self.workspace} (git ignores it; "
                 "the lessons in notebooks/ are never changed)."]
        if self.created:
            lines.append(f"  copied {len(self.created)} new lesson file(s): {', '.join(self.created)}")
        if self.updated:
            lines.append(f"  updated untouched copies to the new lesson version: {', '.join(self.updated)}")
        for name in self.kept_edited:
            lines.append(f"  {name}: a new version of this lesson exists; your edited copy is kept. "
                         f"To get the new one: lecturekit reset {lesson_number(name)} "
                         f"(your copy is moved to {BACKUPS}/ first).")
        return "\n".join(lines)


def lesson_number(name: str) -> str:
    """'03_pretraining_objectives.ipynb' -> '03' (the name itself when it has no number)."""
    stem = Path(name).name
    prefix = stem.split("_", 1)[0]
    return prefix if prefix.isdigit() else name


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lesson_files(lessons: Path = LESSONS) -> list[str]:
    """Every file of the lessons (notebooks and what they read), relative to ``lessons``."""
    return sorted(
        str(p.relative_to(lessons)) for p in lessons.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
    )


def _read_manifest(workspace: Path) -> dict[str, str]:
    path = workspace / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged record only means edited copies are treated as edited
    return manifest if isinstance(manifest, dict) else {}


def _write_manifest(workspace: Path, manifest: dict[str, str]) -> None:
    (workspace / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _copy(lessons: Path, workspace: Path, name: str, manifest: dict[str, str]) -> None:
    target = workspace / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lessons / name, target)
    manifest[name] = _hash(lessons / name)


def sync(lessons: Path = LESSONS, workspace: Path = WORKSPACE) -> SyncReport:
    """Bring the working copy up to date with the lessons without losing a learner's edits."""
    if not lessons.is_dir():
        raise FileNotFoundError(f"no lessons at {lessons}: run this from a clone of the lecturekit repository")
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace)
    report = SyncReport(workspace=workspace)
    for name in lesson_files(lessons):
        target, lesson_hash = workspace / name, _hash(lessons / name)
        if not target.exists():
            _copy(lessons, workspace, name, manifest)
            report.created.append(name)
        elif manifest.get(name) == lesson_hash:
            continue  # the copy was made from this version (edited or not): nothing to do
        elif manifest.get(name) is not None and _hash(target) == manifest[name]:
            _copy(lessons, workspace, name, manifest)
            report.updated.append(name)
        else:
            report.kept_edited.append(name)
    _write_manifest(workspace, manifest)
    return report


def matching_lessons(which: str, lessons: Path = LESSONS) -> list[str]:
    """The lesson files a reset names: 'all', a number ('3', '03') or a file name."""
    names = lesson_files(lessons)
    if which == "all":
        return names
    if which.isdigit():
        chosen = [n for n in names if lesson_number(n) == f"{int(which):02d}"]
    else:
        chosen = [n for n in names if n == which or Path(n).name == which or Path(n).stem == which]
    if not chosen:
        numbers = sorted({lesson_number(n) for n in names if lesson_number(n).isdigit()})
        raise ValueError(f"no lesson {which!r}; give 'all', a number ({', '.join(numbers)}) or a file name")
    return chosen


def reset(which: str, lessons: Path = LESSONS, workspace: Path = WORKSPACE) -> list[str]:
    """Replace copies with the pristine lessons; the old copies move to ``.backups/<time>/``.

    Returns the backup paths written (empty when there was nothing to back up)."""
    chosen = matching_lessons(which, lessons)
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace)
    backup_root = workspace / BACKUPS / time.strftime("%Y%m%d-%H%M%S")
    suffix = 1
    while backup_root.exists():  # two resets within a second keep both backups
        suffix += 1
        backup_root = backup_root.with_name(f"{backup_root.name.split('+')[0]}+{suffix}")
    backups = []
    for name in chosen:
        target = workspace / name
        if target.exists() and _hash(target) != _hash(lessons / name):
            backup = backup_root / name
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(target, backup)
            backups.append(str(backup))
        _copy(lessons, workspace, name, manifest)
    _write_manifest(workspace, manifest)
    return backups
