"""The bundle's entry point (packaging/brieventafel.spec): the same ``main`` as the
``brieventafel`` command of an installed package (pyproject.toml, project.gui-scripts).

One hidden option of its own, for packaging/build.py and not for people (it is in
no --help): ``--check-pdf FILE`` opens FILE with the bundle's QtPdf (QPdfDocument),
renders its first page and shows it in a QPdfView offscreen, prints
``check-pdf: N pages`` and exits 0; 1 with the reason when QtPdf is missing from the
bundle or cannot read the file. A frozen bundle has no Python to run a check with,
so this is how build.py sees that the viewer of paper letters (issue 15) can work.

Two more, for the bundle's tests and benchmark (issue 14's start-up hooks were
made for a Python that keeps bytecode; these show what they do frozen):

``--check-start`` imports what a start imports before its window (the core with
its dataclass cache, ``ui.shell.main`` with fast_enum and PySide's support cache,
the main window), makes every enum of QtCore, QtGui, QtWidgets and QtNetwork,
and prints one JSON line: which hook is in use, where its files would be, and a
fingerprint of each enum (tests/packaging/test_frozen_start.py compares them
with the enums Python's own code makes in the project's venv).

``--first-frame ARGS`` starts the app with ARGS as for a person and prints how
long after the launch (``BENCH_T0``, a ``time.time()``) its main window's first
frame was painted, as benchmarks/startup.py's real-app rows see it; then it
quits. ``--first-frame-plain ARGS``: the same without the start-up hooks
(fast_enum, the dataclass, support and regex caches), for the difference.
"""

import sys


def check_pdf(path: str) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
        from PySide6.QtWidgets import QApplication
    except ImportError as error:
        print(f"check-pdf: QtPdf is not in the bundle: {error}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0]])
    document = QPdfDocument(None)
    failed = document.load(path)
    if failed != QPdfDocument.Error.None_ or document.pageCount() < 1:
        print(f"check-pdf: QtPdf did not read the file: {failed.name}", file=sys.stderr)
        return 1
    image = document.render(0, QSize(200, 280))
    if image.isNull():
        print("check-pdf: QtPdf did not render the first page", file=sys.stderr)
        return 1
    view = QPdfView(None)
    view.setDocument(document)
    view.show()
    app.processEvents()
    print(f"check-pdf: {document.pageCount()} pages")
    view.close()
    document.close()
    return 0


#: the Qt modules whose every enum --check-start makes (the app's, but QtPdf)
ENUM_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")


def _seen(value: object) -> str:
    """A value of an enum class's or member's dict, told the same way in any
    process (no ids): a member by name, a function by its qualified name."""
    import enum
    import types

    if isinstance(value, enum.Enum):
        return f"member {type(value).__qualname__}.{value._name_}"
    if isinstance(value, (property, types.DynamicClassAttribute)):  # enum.property too
        member = getattr(value, "member", None)
        return f"property {type(value).__name__} {getattr(member, '_name_', None)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_seen(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_seen(item) for item in value) + "]"
    if isinstance(value, (int, str, float, type(None))):
        return repr(value)
    if isinstance(value, types.MethodType):
        owner = getattr(value.__self__, "__qualname__", type(value.__self__).__name__)
        return f"method {_seen(value.__func__)} of {owner}"
    module = getattr(value, "__module__", None)
    return f"{type(value).__name__} {module}.{getattr(value, '__qualname__', None)}"


def _outcome(call) -> str:
    try:
        return repr(call())
    except Exception as error:  # the same kind of error with the same words
        return f"{type(error).__name__}: {error}"


def enum_fingerprint(made) -> str:
    """What a program can see of an enum class and its members, as one digest."""
    import enum
    import hashlib

    seen: list = [made.__qualname__, made.__module__, [b.__qualname__ for b in made.__mro__]]
    seen += [type(made).__name__, made.__flags__, made.__basicsize__]
    seen += [f"{key} = {_seen(value)}" for key, value in made.__dict__.items()]  # in order
    for name, member in made.__members__.items():
        seen.append([name, _seen(vars(member)), repr(member), str(member), format(member)])
        seen.append(_outcome(lambda m=member: made(m._value_) is m and made[m._name_] is m))
        seen.append(_outcome(lambda m=member: m.__reduce_ex__(4)))
    if issubclass(made, enum.Flag):
        members = list(made)[:4]
        for a in members:
            seen += [_outcome(lambda a=a: ~a), _outcome(lambda a=a: list(a))]
            for b in members:
                seen += [_outcome(lambda a=a, b=b: (a | b, a & b, a ^ b, list(a | b)))]
    return hashlib.sha256(repr(seen).encode("utf-8")).hexdigest()[:20]


def enum_fingerprints(modules: tuple[str, ...] = ENUM_MODULES) -> dict[str, str]:
    """Every enum of every class of ``modules`` (PySide makes a class, with its
    enums, when it is first asked for), by qualified name."""
    import enum
    import importlib

    found: dict[str, str] = {}
    visited: set[int] = set()

    def walk(owner: object, depth: int) -> None:
        for attr in dir(owner):
            try:
                value = getattr(owner, attr)
            except Exception:  # a class attribute PySide cannot give without an object
                continue
            if not isinstance(value, type) or id(value) in visited:
                continue
            visited.add(id(value))
            if not str(getattr(value, "__module__", "")).startswith("PySide6"):
                continue
            if isinstance(value, enum.EnumType):
                found[f"{value.__module__}.{value.__qualname__}"] = enum_fingerprint(value)
            elif depth < 3:
                walk(value, depth + 1)

    for name in modules:
        walk(importlib.import_module("PySide6." + name), 0)
    return found


def check_start() -> int:
    import builtins
    import json
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    before = sorted(sys.modules)  # what the program and PyInstaller's run-time hooks loaded
    import app  # noqa: F401  (installs the dataclass cache)
    import ui.shell.main  # noqa: F401  (fast_enum, then PySide inside the support cache)
    import ui.shell.main_window  # noqa: F401  (the core's dataclasses a start makes)
    from app import code_cache, dataclass_cache
    from ui.shell import fast_enum, support_cache

    dataclasses = sys.modules.get("dataclasses")
    facts = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": list(sys.version_info[:3]),
        "dont_write_bytecode": sys.dont_write_bytecode,
        "fast_enum": fast_enum.installed(),
        "support_cache": support_cache.cache_path(),
        "support_bundled": getattr(support_cache, "bundled", None),  # packaging/rth_start.py
        "support_taken": support_cache.taken,
        "support_compiled": support_cache.compiled,
        "compile_is_pythons": builtins.compile is support_cache._real_compile,
        "dataclass_hooked": getattr(dataclasses, "exec", None) is dataclass_cache._exec,
        "dataclass_files": sorted(set(dataclass_cache._where.values())),
        "dataclass_modules": len(dataclass_cache._where),
        "dataclass_compiled": dataclass_cache.compiled,
        "dataclass_loaded": dataclass_cache.loaded,
        "code_cache_beside_app": code_cache.path_beside(app.__file__, "dataclasses"),
    }
    facts["loaded_before_launcher"] = before
    facts["enums"] = enum_fingerprints()
    print(json.dumps(facts))
    return 0


def _without_start_up_hooks() -> None:
    """The start as PySide and dataclasses come: no fast_enum, no dataclass or
    support cache (before the app imports any of them)."""
    import app.dataclass_cache as dataclass_cache
    import app.regex_cache as regex_cache
    import ui.shell.fast_enum as fast_enum
    import ui.shell.support_cache as support_cache

    fast_enum.install = lambda: False  # type: ignore[assignment]
    support_cache.cache_path = lambda: None  # type: ignore[assignment]
    regex_cache.cache_path = lambda: None  # type: ignore[assignment]
    hook = dataclass_cache._WhenImported
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, hook)]
    dataclasses = sys.modules.get("dataclasses")
    if getattr(dataclasses, "exec", None) is dataclass_cache._exec:
        del dataclasses.exec  # type: ignore[union-attr]  # the builtin again


#: the module that defines the main window
WINDOW_MODULE = "ui.shell.main_window"


class _Hook:
    """A finder that lets ``ui.shell.main_window`` load as usual, then calls
    ``watch`` with the module, once."""

    def __init__(self, watch):
        self.watch = watch

    def find_spec(self, name, path, target=None):
        import importlib.machinery

        if name != WINDOW_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module
        watch = self.watch

        def exec_module(module):
            run(module)
            watch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def when_imported(watch) -> None:
    """``watch(module)`` right after the app imports its main window's module,
    in the app's own order (before any window is made). tests/first_frame.py
    gives the tests this and :func:`filter_windows`: one watcher for the tests,
    the benchmark and the bundle, which ships no tests/."""
    sys.meta_path.insert(0, _Hook(watch))


def filter_windows(module, spy) -> None:
    """``spy`` (a QObject) filters the events of each main window made from now
    on, as its child: a filter on the main window only, since one on the whole
    application is handed every event of Qt's own widgets, and PySide then
    makes all of its lazily made classes (about 40 ms) at the first of them, a
    cost the app itself no longer has before its first frame."""
    init = module.MainWindow.__init__

    def spied(self, *args, **kwargs):
        init(self, *args, **kwargs)
        spy.setParent(self)
        self.installEventFilter(spy)

    module.MainWindow.__init__ = spied


def first_frame(argv: list[str], *, plain: bool = False) -> int:
    """The app for ``argv``, as for a person, until its main window's first frame
    is painted (``first_frame_s``) and the work that waits for that frame has
    run (``settled_s``), in seconds after ``BENCH_T0``; then it quits. What
    benchmarks/startup.py measures of the real app, in the venv and frozen."""
    import os
    import time

    if plain:
        _without_start_up_hooks()
    launched = float(os.environ["BENCH_T0"])
    # how long the program took to get here: its loader, Python, PyInstaller's
    # run-time hooks (which import PySide6.QtCore before any of the app's code)
    print("launcher_s", time.time() - launched, len(sys.modules), flush=True)
    seen: list[bool] = []

    def watch(module) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication

        painted = QEvent.Type(QEvent.registerEventType())
        settled = QEvent.Type(QEvent.registerEventType())

        class FirstFrame(QObject):
            def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
                if not seen and event.type() == QEvent.Type.Paint:
                    seen.append(True)
                    # Posted before the window posts its after-the-first-frame
                    # work, so delivered first: once this paint (and its flush) is done.
                    QApplication.postEvent(self, QEvent(painted))
                    QTimer.singleShot(0, self.settled)
                return False

            def event(self, event):
                if event.type() == painted:
                    print("first_frame_s", time.time() - launched, flush=True)
                    return True
                if event.type() == settled:
                    # the work that waited for the first frame has run (or was handed on)
                    print("settled_s", time.time() - launched, flush=True)
                    QApplication.instance().quit()
                    return True
                return super().event(event)

            def settled(self):
                # posted after the window's own after-the-first-frame event
                QApplication.postEvent(self, QEvent(settled))

        filter_windows(module, FirstFrame())

    when_imported(watch)
    from app.__main__ import main

    code = main(argv)
    if not seen:
        print("first-frame: the window was never painted", file=sys.stderr)
        return 1
    try:
        import resource

        print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except ImportError:  # Windows
        print("rss_kb 0")
    return code


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-pdf":
        sys.exit(check_pdf(sys.argv[2]))
    if sys.argv[1:] == ["--check-start"]:
        sys.exit(check_start())
    if sys.argv[1:2] in (["--first-frame"], ["--first-frame-plain"]):
        sys.exit(first_frame(sys.argv[2:], plain=sys.argv[1] == "--first-frame-plain"))
    from app.__main__ import main

    sys.exit(main())
