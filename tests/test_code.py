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


# ---------------------------------------------------------------- one owner per fact
def code_constants(path: Path) -> list[tuple[int, object]]:
    """(line, value) of each constant in a module's code, docstrings aside; the text of f-strings
    included (f"{x}万元" holds the constant "万元")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and id(node) not in docstrings and not isinstance(node.value, bool)]


def typed_in(value) -> set[str]:
    """The modules (paths inside perfeval/) whose code has ``value`` as a whole constant."""
    return {path.relative_to(PACKAGE).as_posix() for path in modules().values()
            if any(v == value and type(v) is type(value) for _, v in code_constants(path))}


def owned_literals():
    """(literal, the modules that own it): the facts the code once typed in several places."""
    from perfeval.schema import Achievement, NarrativeSlot
    known = [
        ("万元", {"schema.py"}), ("元", {"schema.py"}),                    # schema.WANYUAN, YUAN
        (10000, {"schema.py"}),                                            # schema.YUAN_PER_WAN
        ("—", {"figures.py", "forms.py"}),   # figures.DASH; what units type for none (forms.PLACEHOLDERS)
        ("有错误，仅供参考", {"record.py"}), ("已是最新", {"record.py"}),
        (".pdf", {"outputs.py"}), ("-自评表.xlsx", {"outputs.py"}), ("-检查结果.xlsx", {"outputs.py"}),
        ("-工作簿.xlsx", {"outputs.py"}), ("汇总表.xlsx", {"outputs.py"}), ("汇总分析报告.docx", {"outputs.py"}),
        ("绩效评价标准工作簿.xlsx", {"outputs.py"}),
        ("项目汇总", {"summary.py"}),
        ("self-funds", {"report/outline.py"}), ("self-output", {"report/outline.py"}),
        ("self-outcome", {"report/outline.py"}),
    ]
    known += [(slot.value, {"schema.py"}) for slot in NarrativeSlot]       # the chapters' titles
    known += [(a.value, {"schema.py"}) for a in Achievement]
    return known


@pytest.mark.parametrize("literal, owners", owned_literals(), ids=lambda v: str(v) if not isinstance(v, set) else "")
def test_a_domain_literal_is_typed_only_by_its_owner(literal, owners):
    assert typed_in(literal) <= owners


def test_the_report_takes_method_labels_from_the_enum():
    """Rate words, verdicts, 不适用: the report's sentences and tables name a 计分方法 by its member."""
    from perfeval.schema import Method
    typed = {label for label in Method.labels()
             for path in (PACKAGE / "report").glob("*.py") if label in {v for _, v in code_constants(path)}}
    assert not typed


def calls(path: Path, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == name]


def test_words_of_a_role_come_from_vocab():
    """has_word is given vocab's words, never a tuple typed at the call (("满意",), ("立项",)), nor a
    slice of one of vocab's tuples (PROCESS_WORDS[:1])."""
    for path in modules().values():
        for call in calls(path, "has_word"):
            words = call.args[1]
            assert not isinstance(words, (ast.Tuple, ast.List, ast.Set, ast.Constant)), (path.name, call.lineno)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
                name = getattr(node.value, "attr", getattr(node.value, "id", ""))
                assert not name.endswith("_WORDS"), (path.name, node.lineno)


@pytest.mark.parametrize("text, owner", [
    ("PAPERSIZE_A4", "sheetlook.py"),                     # A4, fitted to the page's width
    ("rng.min_row, rng.min_col).value", "values.py"),      # a merged area's value spread over its cells
    ('"--jobs"', "cli.py"),
])
def test_a_piece_of_code_is_written_once(text, owner):
    found = [(path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8").count(text))
             for path in modules().values() if text in path.read_text(encoding="utf-8")]
    assert found == [(owner, 1)]


def test_the_time_limit_the_command_shows_is_the_one_the_batch_applies():
    from perfeval import batch, limits, web
    from perfeval.cli import cli
    for command in ("check", "build"):
        [timeout] = [p for p in cli.commands[command].params if p.name == "timeout"]
        assert timeout.default is limits.DEFAULT_TIMEOUT
    assert batch.Task.timeout is limits.DEFAULT_TIMEOUT          # (a dataclass field's default)
    assert web.create_app.__defaults__[2] is limits.DEFAULT_TIMEOUT


def test_the_web_page_shows_figures_as_the_server_wrote_them():
    page = (PACKAGE / "web_page.html").read_text(encoding="utf-8")
    assert "toFixed(2)" not in page and '["得分"] /' not in page


# ---------------------------------------------------------------- dead code, long functions
def vulture(*args) -> list[str]:
    pytest.importorskip("vulture", reason="pip install -e .[test] (vulture finds unused code)")
    root = PACKAGE.parent
    done = subprocess.run([sys.executable, "-m", "vulture", *args], cwd=root, capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line.strip()]


def test_nothing_unused_at_80_percent_confidence():
    assert vulture("perfeval", "--min-confidence", "80") == []


# Functions, classes and properties that nothing in perfeval, its tests or bench/ calls, yet are
# used: name -> why.
USED_ANYWAY = {
    "import_": "the `perfeval import` command, registered by click's decorator",
}


def test_no_function_class_or_property_that_nothing_uses():
    """At vulture's lowest confidence, over perfeval and what calls it (tests, bench): an API used
    only by tests is used; attributes and variables are left out (openpyxl's and python-docx's
    properties are set, never read, and enum members are read by value)."""
    unused = [line for line in vulture("perfeval", "tests", "bench", "--min-confidence", "60")
              if line.startswith("perfeval") and re.search(r"unused (function|class|method|property|import)", line)]
    unexplained = [line for line in unused if re.search(r"'(\w+)'", line).group(1) not in USED_ANYWAY]
    assert unexplained == []


def test_no_function_longer_than_a_screen():
    """No function in perfeval/ over 60 lines, nested functions counted in their own."""
    long = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1})")
    assert long == []
