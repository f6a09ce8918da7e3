"""Issue 14's start-up hooks in the frozen bundle (packaging/launcher.py --check-start).

ui/shell/fast_enum.py, ui/shell/support_cache.py and app/dataclass_cache.py were
made for a Python that keeps bytecode beside the modules; a PyInstaller bundle
keeps none of its own making. In the bundle, fast_enum must still be in use and
make every enum as Python's own ``enum`` does (compared with the enums a
process of the project's venv makes without it), and both caches must do
nothing: no file written into the bundle's folder or anywhere else, no error.

The bundle is built by ``python packaging/build.py`` (a minute); without one the
bundle's tests skip. The fingerprint's own tests run always (fast, no process).
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path

import pytest

from fresh_process import last_json

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import build  # noqa: E402  (packaging/build.py)
import launcher  # noqa: E402  (packaging/launcher.py, the bundle's entry point)


def built_program() -> Path:
    program = build.executable()
    if not program.is_file():
        pytest.skip(f"no bundle built at {program.relative_to(ROOT)}: `python packaging/build.py`")
    return program


def files_in(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


def own_places(tmp_path: Path) -> dict[str, str]:
    """A home, caches and a temporary folder of the test's own, to see what is
    written outside the bundle."""
    places = {
        "HOME": tmp_path / "home",
        "XDG_CACHE_HOME": tmp_path / "home" / ".cache",
        "XDG_CONFIG_HOME": tmp_path / "home" / ".config",
        "XDG_DATA_HOME": tmp_path / "home" / ".local" / "share",
        "TMPDIR": tmp_path / "tmp",
    }
    for folder in places.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in places.items()}


def cache_files(folder: Path) -> list[str]:
    """Files a bytecode or code cache would leave."""
    return sorted(
        str(path)
        for path in folder.rglob("*")
        if path.suffix in (".bin", ".pyc", ".part") or "__pycache__" in path.parts
    )


# -- the fingerprint (no bundle needed) ------------------------------------------------


def test_the_fingerprint_tells_apart_what_a_program_could_see():
    first = launcher.enum_fingerprint(enum.IntFlag("Demo", [("A", 1), ("B", 2), ("AB", 3)]))
    same = launcher.enum_fingerprint(enum.IntFlag("Demo", [("A", 1), ("B", 2), ("AB", 3)]))
    assert first == same  # two processes, or two makings, of the same enum
    for other in (
        enum.IntFlag("Demo", [("B", 2), ("A", 1), ("AB", 3)]),  # another order
        enum.IntFlag("Demo", [("A", 1), ("B", 4), ("AB", 5)]),  # another value
        enum.IntEnum("Demo", [("A", 1), ("B", 2), ("AB", 3)]),  # another kind
        enum.IntFlag("Demo", [("A", 1), ("B", 2), ("AB", 3)], boundary=enum.STRICT),
    ):
        assert launcher.enum_fingerprint(other) != first


def test_the_fingerprint_sees_a_fast_path_that_went_wrong(monkeypatch):
    """The bundle's enums are compared by these digests: a fast_enum that left
    out one step of Python's own (here the members' order) must show."""
    from ui.shell import fast_enum

    names = [("Key_A", 65), ("Key_B", 66), ("Key_Any", 65)]
    monkeypatch.setattr(enum.EnumType, "_create_", fast_enum._stock_create)
    stock = launcher.enum_fingerprint(enum.IntEnum("Key", names))
    monkeypatch.setattr(enum.EnumType, "_create_", fast_enum._create_)
    assert launcher.enum_fingerprint(enum.IntEnum("Key", names)) == stock
    original = fast_enum._add_members

    def careless(made, given):
        original(made, given)
        for member in made._member_map_.values():
            vars(member)["_sort_order_"] = 0

    monkeypatch.setattr(fast_enum, "_add_members", careless)
    assert launcher.enum_fingerprint(enum.IntEnum("Key", names)) != stock


# -- the built bundle ----------------------------------------------------------------


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """The bundle's --check-start (about 3 s: it makes 700 enums), once, with
    its own home, caches and temporary folder, and what it left behind."""
    program = built_program()
    tmp_path = tmp_path_factory.mktemp("check-start")
    bundle_before = files_in(build.BUNDLE)
    places = own_places(tmp_path)
    done = build._run_bundle(program, "--check-start", env=places)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    return facts, tmp_path, places, bundle_before


def test_in_the_bundle_fast_enum_is_in_use_and_the_caches_keep_nothing(checked):
    facts, tmp_path, places, bundle_before = checked
    assert facts["frozen"] is True and facts["python"][:2] == [3, 11]
    assert facts["fast_enum"] is True
    # PySide's support cache: no file of its own making; the app's own use of it
    # takes and compiles nothing (PySide is in already), compile() is Python's own
    assert facts["support_cache"] is None
    assert facts["support_taken"] == facts["support_compiled"] == 0
    assert facts["compile_is_pythons"] is True
    # the dataclass cache: no file of its own making beside the bytecode; its
    # files are the bundle's own (packaging/rth_start.py), written at build time,
    # and give every method a start makes
    assert facts["code_cache_beside_app"] is None
    assert facts["dataclass_hooked"] is True
    assert facts["dataclass_modules"] >= 3
    kept = build.BUNDLE.resolve()
    for file in facts["dataclass_files"]:
        assert Path(file).is_file() and "dataclass-cache" in Path(file).parts, file
        assert kept in Path(file).resolve().parents, file
    assert facts["dataclass_loaded"] > 20 and facts["dataclass_compiled"] == 0
    # nothing written: not into the bundle, not in the home, caches or temp folder
    assert files_in(build.BUNDLE) == bundle_before
    assert cache_files(tmp_path) == []
    assert not [path for path in Path(places["TMPDIR"]).rglob("*")]


def test_the_bundles_enums_are_the_ones_pythons_own_code_makes(checked):
    """Every enum of QtCore, QtGui, QtWidgets and QtNetwork: made in the bundle
    (with fast_enum) and in a process of the venv with Python's own enum."""
    frozen = checked[0]["enums"]
    stock = last_json(
        "import json, sys; sys.path.insert(0, 'packaging'); import launcher;"
        "from ui.shell import fast_enum; assert not fast_enum.installed();"
        "print(json.dumps(launcher.enum_fingerprints()))",
        timeout=120,
    )
    assert len(stock) > 600  # PySide 6.11: 700
    assert sorted(frozen) == sorted(stock)
    assert [name for name in stock if frozen[name] != stock[name]] == []


def test_the_bundle_paints_its_first_frame_for_the_benchmark(tmp_path):
    """benchmarks/startup.py's ``bundle warm`` row: the launcher's --first-frame
    prints when the window's first frame was painted, and the program ends."""
    program = built_program()
    places = own_places(tmp_path)
    data = tmp_path / "data"
    for option in ("--first-frame", "--first-frame-plain"):
        env = dict(places, BENCH_T0="0")
        done = build._run_bundle(program, option, "--data-dir", str(data), env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        found = {line.split()[0]: float(line.split()[1]) for line in done.stdout.splitlines()}
        assert 0 < found["launcher_s"] < found["first_frame_s"] <= found["settled_s"]
    assert cache_files(tmp_path) == []


# -- the bundle's own start-up hook (packaging/rth_start.py) ----------------------------

SPEC = ROOT / "packaging" / "brieventafel.spec"


def test_the_spec_runs_the_start_hook_first_and_leaves_multiprocessing_out():
    import ast

    from test_pyinstaller_bundle import spec_constant

    hook = ROOT / "packaging" / "rth_start.py"  # read, not run: it is the bundle's
    assert spec_constant("SUPPORT_CACHE") == spec_constant("SUPPORT_CACHE", hook)
    assert spec_constant("DATACLASS_CACHE") == spec_constant("DATACLASS_CACHE", hook)
    assert spec_constant("REGEX_CACHE") == spec_constant("REGEX_CACHE", hook)
    tree = ast.parse(SPEC.read_text("utf-8"))
    analysis = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "a"
    )
    hooks = next(k.value for k in analysis.keywords if k.arg == "runtime_hooks")
    assert "rth_start.py" in ast.unparse(hooks)
    assert "multiprocessing" in spec_constant("excludes")


def test_nothing_of_the_app_needs_multiprocessing():
    """The spec leaves multiprocessing out (and so PyInstaller's run-time hook
    for it, which imported it, pickle, socket and subprocess at every start)."""
    import ast

    users = []
    for folder in ("app", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                    names += [f"{node.module}.{alias.name}" for alias in node.names]
                if any(
                    name.split(".")[0] == "multiprocessing"
                    or name.startswith(("concurrent.futures.process", "concurrent.futures.Process"))
                    for name in names
                ):
                    users.append(str(path.relative_to(ROOT)))
    assert users == []


def test_the_bundle_takes_pysides_support_modules_from_its_file(checked):
    facts = checked[0]
    bundled = facts["support_bundled"]  # set by packaging/rth_start.py
    assert bundled is not None, "the start hook did not run"
    assert Path(bundled["path"]).name == "pyside-support.bin"
    assert bundled["taken"] >= 10 and bundled["compiled"] == 0  # 14 with PySide 6.11
    # and their regular expressions (app/regex_cache.py), from pyside-regex.bin: the
    # three large ones at least (PySide 6.11: 15 taken; one small pattern of a module
    # the venv had imported before PySide is compiled in the bundle)
    assert bundled["regex_taken"] >= 3 and bundled["regex_compiled"] <= 3
    before = facts["loaded_before_launcher"]
    assert "PySide6.QtCore" in before  # PyInstaller's hook for PySide6 imports it
    for module in ("multiprocessing", "pickle", "socket", "subprocess"):
        assert module not in before, module
