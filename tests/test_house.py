"""The house rules, read off the imports of every module (`ast`, so imports inside functions count too).

Rooms, lowest first: schemas < mrz < ocr < classifiers < storage < flows < web < dach (the CLI). A room may
import its own modules and those of lower rooms, never a higher one ("reading comes before understanding":
`ocr/` imports nothing of `classifiers/`). No module imports another that, directly or through others,
imports it back. `lab/` (generator, training) and `tests/` may import anything, but no product room imports
`lab/` nor a package only the `lab` dependency group brings: the wheel leaves `lab/` out.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOMS = ("schemas", "mrz", "ocr", "classifiers", "storage", "flows", "web", "dach")
RANK = {room: rank for rank, room in enumerate(ROOMS)}
LAB = "lab"
LAB_ONLY_PACKAGES = frozenset({"faker", "sklearn"})  # the `lab` dependency group of pyproject.toml
# dach.cli registers the development commands when `lab` is importable: it names the module, never imports it.
LAB_REGISTRATION = ("dach.cli", "lab.commands")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(*rooms: str) -> dict[str, Path]:
    return {_module_name(path): path for room in rooms for path in sorted((REPO / room).rglob("*.py"))}


MODULES = _sources(*ROOMS, LAB)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The module a (possibly relative) `from ... import` names."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `module` imports, anywhere in its body, with the line: `import a.b` names `a.b`;
    `from a import b` names `a.b` when that is a module, else `a`; `importlib.import_module("a.b")` with a
    literal names `a.b`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node, path.name == "__init__.py")
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield (submodule if submodule in MODULES else target), node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, node.lineno


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        graph[module] = {target for target, _ in imports_of(module, path) if target in MODULES and target != module}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def _product_imports() -> Iterator[tuple[str, str, int]]:
    for module, path in MODULES.items():
        if module.split(".")[0] in RANK:
            for target, line in imports_of(module, path):
                yield module, target, line


def test_every_room_is_found() -> None:
    for room in ROOMS:
        assert any(m.split(".")[0] == room for m in MODULES), f"no modules found for {room}/"
    assert "mrz.repair" in MODULES and "lab.samples" in MODULES


def test_no_import_circle() -> None:
    assert _circles(_graph()) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_no_room_imports_a_higher_one() -> None:
    upward = [
        f"{module}:{line} imports {target}"
        for module, target, line in _product_imports()
        if target.split(".")[0] in RANK and RANK[target.split(".")[0]] > RANK[module.split(".")[0]]
    ]
    assert upward == []


def test_reading_comes_before_understanding() -> None:
    # Said on its own because it is the rule the MRZ used to break: ocr/ asks nothing of classifiers/.
    assert [t for m, t, _ in _product_imports() if m.startswith("ocr") and t.startswith("classifiers")] == []
    assert [
        t for m, t, _ in _product_imports() if m.startswith("mrz") and t.split(".")[0] in ("ocr", "classifiers")
    ] == []


def test_the_product_imports_nothing_of_the_lab() -> None:
    found = [
        f"{module}:{line} imports {target}"
        for module, target, line in _product_imports()
        if target.split(".")[0] in (LAB, "tests", *LAB_ONLY_PACKAGES)
    ]
    assert found == []


def test_the_product_names_the_lab_in_one_place_only() -> None:
    """An `importlib.import_module(NAME)` with a constant NAME escapes the import check: every string in the
    product that names a lab module is the one registration of the development commands."""
    named = []
    for module, path in MODULES.items():
        if module.split(".")[0] not in RANK:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and (node.value == LAB or node.value.startswith(LAB + "."))
            ):
                named.append((module, node.value))
    assert named == [LAB_REGISTRATION]


def test_the_import_reader_sees_imports_inside_functions() -> None:
    source = REPO / "classifiers" / "analysis.py"  # imports the extractors inside functions
    inner = {target for target, _ in imports_of("classifiers.analysis", source)}
    assert "classifiers.notice" in inner and "classifiers.certificate" in inner


def test_the_wheel_leaves_the_lab_and_its_dependencies_out() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {
        dep.split(">")[0].split("[")[0].split("=")[0].strip().lower() for dep in project["project"]["dependencies"]
    }
    lab_group = {dep.split(">")[0].strip().lower() for dep in project["dependency-groups"]["lab"]}
    assert {"faker", "scikit-learn"} <= lab_group
    assert not runtime & lab_group
    assert set(project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]) == set(ROOMS)
    assert LAB in project["tool"]["uv"]["default-groups"]  # a clone (make demo, make test) brings it
    assert set(project["tool"]["mypy"]["packages"]) == {*ROOMS, LAB}


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )


def _imported(importtime: str) -> set[str]:
    names = set()
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_dach_help_imports_neither_the_generator_nor_training() -> None:
    result = _run("from dach.cli import app; app(['--help'])")
    assert result.returncode == 0, result.stderr[-2000:]
    for command in ("samples", "train", "train-mrz", "extract", "intake"):
        assert command in result.stdout
    imported = _imported(result.stderr)
    assert "dach.cli" in imported  # the measurement sees the imports
    heavy = {"lab.samples", "lab.training", "faker", "spacy", "sklearn", "cv2", "prefect"}
    assert not {name for name in imported if name.split(".")[0] in heavy or name in heavy} - {"lab"}
    assert not {name for name in imported if name.startswith(("lab.samples", "lab.training"))}


@pytest.mark.parametrize("command", ["samples", "train", "train-mrz"])
def test_without_the_lab_the_development_commands_say_what_to_install(command: str) -> None:
    # As in an installed wheel: `lab` cannot be imported.
    result = _run(f"import sys; sys.modules['lab'] = None; from dach.cli import app; app([{command!r}, 'out'])")
    assert result.returncode == 4, result.stderr[-2000:]
    assert f"`dach {command}` is a development command" in result.stderr
    assert "uv sync" in result.stderr
    listing = _run("import sys; sys.modules['lab'] = None; from dach.cli import app; app(['--help'])")
    assert listing.returncode == 0 and "extract" in listing.stdout and command not in listing.stdout.split()
