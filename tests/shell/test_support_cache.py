"""ui/shell/support_cache.py: PySide's support modules compiled once, the same code.

Real processes that import ui.shell.main (and so PySide) with their own
bytecode folder (PYTHONPYCACHEPREFIX in tmp_path); the cache file is read,
damaged and rewritten for real.
"""

from __future__ import annotations

import builtins
import marshal
import shutil
from pathlib import Path

import pytest

from fresh_process import last_json, with_bytecode
from ui.shell import support_cache

ROOT = Path(__file__).resolve().parents[2]

#: a start's import of PySide, then what it took and whether the code is Python's own
START = r"""
import json, sys
import ui.shell.main
from ui.shell import support_cache as cache
from app import regex_cache
from PySide6.QtWidgets import QApplication, QWidget
same = True
for name, (source, flags, code) in cache._load(cache.cache_path()).items():
    same = same and compile(source, name, "exec", flags, True) == code
app = QApplication([])
try:
    QWidget().resize("wide")  # PySide's own message for a wrong argument
except TypeError as error:
    message = str(error)
print(json.dumps({"taken": cache.taken, "compiled": cache.compiled, "same": same,
                  "message": message, "restored": compile is cache._real_compile,
                  "path": cache.cache_path(), "regex_taken": regex_cache.taken,
                  "regex_compiled": regex_cache.compiled,
                  "regex_file": regex_cache.cache_path(),
                  "kept": sorted(cache._load(cache.cache_path()))}))
"""


def start(tmp_path: Path, *, write: bool = True) -> dict:
    return last_json(START, env=with_bytecode(tmp_path / "pyc", write=write))


@pytest.fixture(scope="module")
def first_start(tmp_path_factory) -> tuple[Path, dict]:
    """The very first start over an empty bytecode folder, made once for this file
    (it compiles all it imports, ~0.6 s more than a start after it): the tests
    that go on from there each take a copy of the folder it left (made_copy) and
    never change this one."""
    folder = tmp_path_factory.mktemp("first")
    return folder, start(folder)


def made_copy(first_start: tuple[Path, dict], tmp_path: Path) -> Path:
    """The cache file of the first start, in this test's own copy of its bytecode
    folder (``tmp_path/pyc``)."""
    folder, first = first_start
    shutil.copytree(folder / "pyc", tmp_path / "pyc")
    return tmp_path / Path(first["path"]).relative_to(folder)


def test_the_first_start_compiles_and_keeps_them_and_the_next_takes_the_same_code(
    first_start, tmp_path
):
    folder, first = first_start
    assert first["compiled"] >= 10 and first["taken"] == 0  # 14 with PySide 6.11
    # the 13 support modules and the script that loads them (8 ms of its own)
    assert "signature_bootstrap.py" in first["kept"]
    assert "shibokensupport/signature/mapping.py" in first["kept"]
    assert Path(first["path"]).is_file()
    made_copy(first_start, tmp_path)
    again = start(tmp_path)
    assert again["taken"] == first["compiled"] and again["compiled"] == 0
    assert again["same"] is True  # each kept code == compile() of its source and flags
    assert again["message"] == first["message"] and "resize" in again["message"]
    assert again["restored"] is True  # builtins.compile is Python's own afterwards


def test_the_regular_expressions_they_compile_are_kept_too(first_start, tmp_path):
    """Their three large patterns (and a dozen small ones) are made from the kept
    code at the next start (app/regex_cache.py; tests/core/test_regex_cache.py
    compares the patterns themselves)."""
    folder, first = first_start
    assert first["regex_compiled"] >= 3 and first["regex_taken"] == 0  # 15 with PySide 6.11
    assert Path(first["regex_file"]).is_file()
    made_copy(first_start, tmp_path)
    again = start(tmp_path)
    assert again["regex_taken"] == first["regex_compiled"] and again["regex_compiled"] == 0


def test_without_bytecode_writing_nothing_is_written(tmp_path):
    found = start(tmp_path, write=False)
    assert found["compiled"] >= 10
    assert not Path(found["path"]).exists()


def test_a_damaged_file_is_left_aside_and_written_again(first_start, tmp_path):
    path = made_copy(first_start, tmp_path)
    path.write_bytes(b"\x00not marshal at all")
    found = start(tmp_path)
    assert found["taken"] == 0 and found["compiled"] >= 10
    assert start(tmp_path)["taken"] == found["compiled"]  # whole again
    path.write_bytes(marshal.dumps({"shibokensupport/feature.py": ("wrong", "shape")}))
    assert start(tmp_path)["taken"] == 0


def test_a_changed_source_is_compiled_again(first_start, tmp_path):
    # as after a PySide upgrade: one module's text is not the text kept
    path = made_copy(first_start, tmp_path)
    kept = marshal.loads(path.read_bytes())
    name = "shibokensupport/signature/loader.py"
    source, flags, code = kept[name]
    kept[name] = (source + b"\n# another version\n", flags, code)
    path.write_bytes(marshal.dumps(kept))
    found = start(tmp_path)
    assert found["compiled"] == 1 and found["taken"] == len(kept) - 1


def test_other_compiles_meanwhile_are_pythons_own_with_the_callers_future_flags():
    # this module has "from __future__ import annotations": compile() inherits it
    source = "def f(x: int) -> str:\n    pass\n"
    outside: dict = {}
    exec(compile(source, "<outside>", "exec"), outside)
    inside: dict = {}
    plain: dict = {}
    with support_cache.compiled_once():
        assert builtins.compile is not support_cache._real_compile
        exec(compile(source, "<inside>", "exec"), inside)
        exec(compile(source, "<plain>", "exec", dont_inherit=True), plain)
    assert builtins.compile is support_cache._real_compile
    assert outside["f"].__annotations__ == {"x": "int", "return": "str"}
    assert inside["f"].__annotations__ == outside["f"].__annotations__
    assert plain["f"].__annotations__ == {"x": int, "return": str}
