"""Code health that holds from now on: no function over 60 lines, no parameter list over 7, no module
over 400 lines, in ``src/formcoach`` (checked on the syntax tree, so it cannot drift from the code)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "formcoach"
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 7
MAX_MODULE_LINES = 400


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _parameters(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Parameters a caller can pass (``self`` and ``cls`` of methods not counted)."""
    a = fn.args
    names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) + (a.vararg is not None) + (a.kwarg is not None)


def _is_command(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A command-line command (``@app.command(...)``): its parameters are its options, declared for
    Typer one by one, so the parameter count does not apply."""
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "command"
               for d in fn.decorator_list)


def _sources() -> list[Path]:
    """The package's modules, less the Alembic migrations (one ``upgrade`` per schema version, a
    list of table definitions that reads best whole)."""
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts)


def _lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return (fn.end_lineno or fn.lineno) - fn.lineno + 1


def test_no_function_over_60_lines() -> None:
    long = [f"{p.relative_to(SRC)}:{fn.lineno} {fn.name} ({_lines(fn)} lines)"
            for p in _sources() for fn in _functions(p) if _lines(fn) > MAX_FUNCTION_LINES]
    assert long == []


def test_no_parameter_list_over_7() -> None:
    wide = [f"{p.relative_to(SRC)}:{fn.lineno} {fn.name} ({_parameters(fn)} parameters)"
            for p in _sources() for fn in _functions(p)
            if _parameters(fn) > MAX_PARAMETERS and not _is_command(fn)]
    assert wide == []


def test_no_module_over_400_lines() -> None:
    big = [f"{p.relative_to(SRC)} ({n} lines)" for p in _sources()
           if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES]
    assert big == []


def test_the_checker_sees_a_long_function_and_a_wide_one(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    path = tmp_path / "m.py"
    path.write_text(f"def f(a, b, c, d, e, f, g, h):\n{body}\n")
    (fn,) = _functions(path)
    assert _parameters(fn) == 8 and _lines(fn) == 62 and not _is_command(fn)
