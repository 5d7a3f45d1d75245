"""The code as the next maintainer reads it: modules that stack without cycles (function-local
imports included), each domain fact typed in one module, no code that nothing uses, and no
function longer than a screen."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "perfeval"


def modules() -> dict[str, Path]:
    """perfeval's modules by dotted name."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The perfeval modules ``name`` imports anywhere in its text: at its top, inside functions,
    under ``if TYPE_CHECKING``. Third-party libraries imported late on purpose are not its concern."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != name:
                out.add(target)
    return out


def test_no_module_imports_itself_back():
    """No cycle between perfeval's modules, however late an import is made: every module can be
    read knowing only the ones below it."""
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    state: dict[str, int] = {}          # 1: on the path being walked, 2: done
    cycles = []

    def walk(name, path):
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(path[path.index(other):] + [other] if other in path else [name, other])
            elif other not in state:
                walk(other, path + [other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def test_the_cycle_test_sees_a_function_local_import(tmp_path):
    """(The test above would see a cycle hidden inside a function.)"""
    pkg = tmp_path / "perfeval"
    pkg.mkdir()
    (pkg / "a.py").write_text("from . import b\n", encoding="utf-8")
    (pkg / "b.py").write_text("def f():\n    from .a import x\n", encoding="utf-8")
    known = {"perfeval.a": pkg / "a.py", "perfeval.b": pkg / "b.py"}
    assert imported("perfeval.b", pkg / "b.py", known) == {"perfeval.a"}
    assert imported("perfeval.a", pkg / "a.py", known) == {"perfeval.b"}
