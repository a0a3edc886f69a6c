"""The package's layout keeps the promises of DESIGN.md ("Layers"): imports point downwards.

Read statically (every import statement, including those inside functions), so a cycle
or an upward import fails here even where Python's lazy imports would hide it at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lecturekit"

# Bottom modules: every layer may use them, and they use nothing of ours.
FOUNDATIONS = {"text", "network", "paths", "runtime"}
# The views and the notebook checks sit on top: no library area may import them.
TOP = {"widgets", "exercises", "cli", "doctor", "lab", "present", "workspace", "__main__"}
LONGEST = 330  # lines: "each algorithm reads in one screen" (a screen or two for the longest)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The lecturekit modules ``name`` imports (a package when no module of that name exists)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            targets = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("lecturekit") and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def area(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def inside(module: str, package: str) -> bool:
    """A submodule reaching its own package (``from . import sibling``) is no cycle."""
    return module.startswith(package + ".")


def test_the_reader_finds_the_graph():
    assert "lecturekit.hub.registry" in GRAPH["lecturekit.hub"]
    assert "lecturekit.text" in GRAPH["lecturekit.subword.bpe"]


def test_no_import_cycles():
    state: dict[str, int] = {}
    path: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if inside(module, target):
                continue
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_foundations_import_nothing_of_ours():
    for name in FOUNDATIONS:
        assert GRAPH[f"lecturekit.{name}"] == set(), f"lecturekit.{name} must stay at the bottom"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if area(n) not in TOP and n != "lecturekit"))
def test_library_code_never_imports_the_views_or_the_checks(name):
    upward = sorted(t for t in GRAPH[name] if area(t) in TOP)
    assert upward == [], f"{name} imports {upward}: dependencies point downwards"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_read_in_a_screen_or_two(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= LONGEST, f"{name} is {lines} lines; split it by idea"
