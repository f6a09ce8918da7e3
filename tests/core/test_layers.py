"""The core stays free of widgets and of the UI package."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# The launcher hands over to ui/ by design; see its docstring.
LAUNCHER = APP / "__main__.py"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_qt_and_no_ui_under_app():
    offenders = {}
    files = [p for p in APP.rglob("*.py") if p != LAUNCHER]
    assert len(files) >= 8
    for path in files:
        bad = {
            m
            for m in imported_modules(path)
            if m.startswith("PySide6") or m == "ui" or m.startswith("ui.")
        }
        if bad:
            offenders[str(path.relative_to(APP))] = bad
    assert offenders == {}


def test_launcher_imports_ui_only_lazily():
    tree = ast.parse(LAUNCHER.read_text(encoding="utf-8"))
    top_level = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.startswith("ui") for m in top_level)


def test_widgets_never_touch_storage_or_network():
    ui = APP.parent / "ui"
    for path in ui.rglob("*.py"):
        mods = imported_modules(path)
        assert not mods & {"sqlite3", "requests", "keyring"}, path
