"""The package's layout, checked from its source with `ast` (nothing is imported):

* every import goes to the same stage or an earlier one (`STAGES`, the order
  docs/architecture.md states), imports inside functions and under
  `TYPE_CHECKING` included;
* no import cycle between modules;
* no module over 400 lines and no function over 60, but for the few listed in
  `LONG_FUNCTIONS`, each marked in its source with a comment saying why
  splitting it would hurt.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "smslogdoc"

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shared", ("smslogdoc", "model", "times", "memo", "literals", "prefilter", "codes", "data", "stories")),
    ("inputs", ("inputs",)),
    ("formats", ("formats",)),
    ("rules", ("rules", "kinds")),
    ("read", ("read",)),
    ("engine", ("engine", "findings")),
    ("library", ("pipeline", "parallel", "perlog", "diagnose", "collector")),
    ("authoring", ("authoring",)),
    ("report", ("report",)),
    ("fleet", ("fleet",)),
    ("cli", ("cli", "__main__")),
)
"""The stages, earliest first, each with its modules and packages (under
`smslogdoc.`; `smslogdoc` alone is the package's `__init__`). A module may
import its own stage and earlier ones, never a later one."""

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_FUNCTIONS: set[str] = {
    "smslogdoc.formats.lines:assemble",
    "smslogdoc.formats.cmtracetext:records",
    "smslogdoc.formats.cmtraceregular:stretches",
}
"""`module:function` over MAX_FUNCTION_LINES on purpose (at most 3), each with
a `# long on purpose:` comment in its body saying why."""
KNOWN_LONG: set[str] = {
    "smslogdoc.codes.find:find_codes",
}
"""Modules and functions over the limits, in parts of the package being
reworked elsewhere; each is to be removed from here once it is under them."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> int:
    """The index in STAGES of a module (its longest listed prefix)."""
    best, best_length = -1, -1
    for index, (_, members) in enumerate(STAGES):
        for member in members:
            name = "smslogdoc" if member == "smslogdoc" else f"smslogdoc.{member}"
            exact = member == "smslogdoc"
            if (module == name or (not exact and module.startswith(name + "."))) and len(name) > best_length:
                best, best_length = index, len(name)
    if best < 0:
        raise AssertionError(f"{module} is in no stage: add it to STAGES")
    return best


@cache
def imports_of(module: str) -> frozenset[str]:
    """The package's modules `module` imports (anywhere in its source)."""
    known = modules()
    path = known[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    found.add(target)
                elif base in known:
                    found.add(base)
    found.discard(module)
    return frozenset(found)


def test_every_module_has_a_stage() -> None:
    for module in modules():
        stage_of(module)


def test_no_import_goes_into_a_later_stage() -> None:
    later = sorted(
        (module, imported)
        for module in modules()
        for imported in imports_of(module)
        if stage_of(imported) > stage_of(module)
    )
    assert not later, "imports into a later stage:\n" + "\n".join(
        f"  {module} ({STAGES[stage_of(module)][0]}) imports {imported} ({STAGES[stage_of(imported)][0]})"
        for module, imported in later
    )


def test_no_import_cycle() -> None:
    graph = {module: imports_of(module) for module in modules()}
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        path.append(module)
        on_path.add(module)
        for imported in sorted(graph[module]):
            if imported in on_path:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported)
        on_path.discard(module)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join("  " + " -> ".join(cycle) for cycle in cycles)


def _long_functions() -> dict[str, tuple[int, ast.FunctionDef | ast.AsyncFunctionDef, Path]]:
    found = {}
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{module}:{node.name}"] = (length, node, path)
    return found


def test_no_module_over_the_limit() -> None:
    over = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in modules().items()
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES
    }
    unexpected = {module: lines for module, lines in over.items() if module not in KNOWN_LONG}
    assert not unexpected, f"modules over {MAX_MODULE_LINES} lines: {unexpected}"


def test_no_function_over_the_limit() -> None:
    found = _long_functions()
    unexpected = {
        name: length
        for name, (length, _, _) in found.items()
        if name not in LONG_FUNCTIONS and name not in KNOWN_LONG
    }
    assert not unexpected, f"functions over {MAX_FUNCTION_LINES} lines: {unexpected}"


def test_long_functions_say_why() -> None:
    assert len(LONG_FUNCTIONS) <= 3
    found = _long_functions()
    for name in sorted(LONG_FUNCTIONS):
        assert name in found, f"{name} is no longer long: remove it from LONG_FUNCTIONS"
        _, node, path = found[name]
        body = path.read_text(encoding="utf-8").splitlines()[node.lineno - 1 : node.end_lineno]
        assert any("# long on purpose:" in line for line in body), f"{name}: say why it is long"


def test_known_exceptions_are_still_needed() -> None:
    functions = _long_functions()
    stale = sorted(
        name
        for name in KNOWN_LONG
        if (name not in functions)
        if ":" in name or len(modules()[name].read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES
    )
    assert not stale, f"under the limits now, remove from KNOWN_LONG: {stale}"


def test_stage_order_is_documented() -> None:
    """docs/architecture.md states the same order."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert " < ".join(name for name, _ in STAGES) in text


def test_each_shape_the_rules_declare_the_engine_advances() -> None:
    from smslogdoc.engine.shapes import ADVANCE
    from smslogdoc.rules.condition import SHAPES

    assert list(ADVANCE) == list(SHAPES)
