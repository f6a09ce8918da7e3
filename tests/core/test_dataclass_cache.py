"""The dataclasses' methods are compiled once, as a module's bytecode is (issue 14).

``@dataclass`` compiled the source of every method it adds at each import:
about 75 % of what each of the core's dataclasses cost before the first frame.
Real processes (what a start compiles is the point), each with its own
bytecode folder (``PYTHONPYCACHEPREFIX``) so that nothing of the tree's own
``__pycache__`` is used or changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fresh_process import last_json, with_bytecode

ROOT = Path(__file__).resolve().parents[2]

#: the core's modules a start imports before its first frame; what was compiled
#: and loaded, and every dataclass method's code, by class
START = r"""
import inspect, json, re, sys, zlib
import app.crash, app.instance, app.mailbox, app.problems, app.session, app.storage
import app.store_words, app.server_choice, app.mailbox.practice, app.people
from app import dataclass_cache

def shape(code):
    consts = tuple(shape(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts)
    return (code.co_code, consts, code.co_names, code.co_varnames, code.co_filename,
            code.co_name, code.co_flags, code.co_argcount, code.co_kwonlyargcount)

methods = {}
for name, module in sorted(sys.modules.items()):
    if not name.startswith("app"):
        continue
    for value in list(vars(module).values()):
        if isinstance(value, type) and "__dataclass_fields__" in vars(value):
            for m in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
                f = vars(value).get(m)
                f = getattr(f, "__wrapped__", f)
                if f is not None and hasattr(f, "__code__"):
                    key = f"{value.__module__}.{value.__qualname__}.{m}"
                    methods[key] = zlib.crc32(repr(shape(f.__code__)).encode())
            signature = re.sub(" at 0x[0-9a-f]+", "", str(inspect.signature(value)))
            methods[f"{value.__module__}.{value.__qualname__}"] = signature
print(json.dumps({
    "compiled": dataclass_cache.compiled,
    "loaded": dataclass_cache.loaded,
    "path": dataclass_cache.cache_path(sys.modules["app.model"].__file__),
    "methods": methods,
}))
"""


def start(prefix: Path, *, write: bool = True) -> dict:
    return last_json(START, env=with_bytecode(prefix, write=write))


def cache_files(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("*.dataclasses.*.bin"))


@pytest.fixture(scope="module")
def first_start(tmp_path_factory) -> tuple[Path, dict]:
    """The very first start over an empty bytecode folder, made once for this file
    (it compiles all it imports, ~0.6 s more than a start after it): the tests
    that go on from there each take a copy of the folder it left (made_copy) and
    never change this one."""
    prefix = tmp_path_factory.mktemp("first") / "pyc"
    return prefix, start(prefix)


def made_copy(first_start: tuple[Path, dict], tmp_path: Path) -> tuple[Path, dict]:
    """The folder the first start left, as this test's own (``tmp_path/pyc``), and
    what that start printed, its cache path in the copy."""
    prefix, first = first_start
    mine = tmp_path / "pyc"
    shutil.copytree(prefix, mine)
    return mine, {**first, "path": str(mine / Path(first["path"]).relative_to(prefix))}


def test_a_second_start_compiles_no_method_of_a_dataclass(first_start, tmp_path):
    prefix, first = first_start
    assert first["compiled"] > 40 and first["loaded"] == 0
    # beside each module's bytecode: app/__pycache__/model.dataclasses.cpython-311-...
    assert Path(first["path"]).is_relative_to(prefix)
    assert Path(first["path"]).name.startswith("model.dataclasses.")
    assert Path(first["path"]) in cache_files(prefix)
    mine, _ = made_copy(first_start, tmp_path)
    second = start(mine)
    assert second["compiled"] == 0 and second["loaded"] >= first["compiled"]
    # the same functions: each method's code as compiling its text gives it
    assert second["methods"] == first["methods"]
    assert len(first["methods"]) > 60


def test_without_writing_bytecode_nothing_is_written(tmp_path):
    first = start(tmp_path / "pyc", write=False)
    assert first["compiled"] > 40
    assert not Path(first["path"]).exists()
    assert start(tmp_path / "pyc", write=False)["compiled"] == first["compiled"]


def test_a_damaged_or_foreign_cache_is_left_aside_and_made_again(first_start, tmp_path):
    _, made = made_copy(first_start, tmp_path)
    files = cache_files(tmp_path / "pyc")
    assert len(files) > 5
    for bad in (b"", b"\x00garbage", b"\xe3\x00\x00\x00", __import__("marshal").dumps([1, 2])):
        for path in files:
            path.write_bytes(bad)
        again = start(tmp_path / "pyc")
        assert again["loaded"] == 0 and again["compiled"] == made["compiled"]
        assert again["methods"] == made["methods"]
    assert start(tmp_path / "pyc")["compiled"] == 0  # written whole again


def test_a_cached_text_that_is_not_the_method_is_not_used_for_another(first_start, tmp_path):
    # the whole source text is the key: a dataclass that changed (another
    # field, default, order) is compiled anew, never run from an older text
    import marshal

    _, made = made_copy(first_start, tmp_path)
    path = Path(made["path"])
    codes = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({text + " ": code for text, code in codes.items()}))
    again = start(tmp_path / "pyc")
    assert again["compiled"] == len(codes) and again["methods"] == made["methods"]
    assert start(tmp_path / "pyc")["compiled"] == 0


def test_only_the_cores_dataclasses_are_kept(first_start, tmp_path):
    # another package's (a test's, a library's) are compiled as ever, never kept
    made_copy(first_start, tmp_path)  # the folder a start left
    assert all("/app/" in str(path) for path in cache_files(tmp_path / "pyc"))
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path / "pyc"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = (
        "import app, dataclasses\n"
        "@dataclasses.dataclass(frozen=True)\n"
        "class Elsewhere:\n"
        "    x: int\n"
        "assert Elsewhere(1) == Elsewhere(1) and repr(Elsewhere(2)) == 'Elsewhere(x=2)'\n"
        "from app import dataclass_cache\n"
        "print(dataclass_cache.compiled)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "0"
    assert all("/app/" in str(path) for path in cache_files(tmp_path / "pyc"))
