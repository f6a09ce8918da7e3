"""An unexpected error: a kind message for the person, a redacted report for a helper.

A traceback may carry personal data: an exception's message can quote a desk
row (a name, a BSN, a letter), a source line can hold a literal, and a
debugger-style report shows local values. So :func:`install` replaces
``sys.excepthook`` and ``threading.excepthook`` with hooks that

* tell the person :func:`app.problems.unexpected_text` and where the report is
  (on stderr, and through ``show``, which the UI sets to a message box);
* write ``crash-<time>.txt`` (mode 0600) in the data folder with only the
  exception's type, the frames as ``file:line in function`` (the cause and
  context too, by type), and the versions. No message, no source line, no
  local value; paths are shortened so no home folder (a user name) shows.

The hooks never raise: when the report cannot be written, the person still
gets the message. ``KeyboardInterrupt`` keeps Python's own handling.
"""

from __future__ import annotations

import contextlib  # loaded already; here so the hooks need no import to say something
import os
import sys
import threading
from pathlib import Path

from app.i18n import gettext as _

# datetime (about 2 ms) is imported by the report alone, inside its own try: a
# start without a crash never needs it (issue 14). These names are for mypy.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

#: the folder the report goes in when none was given (None: the user data folder)
_folder: Path | None = None
#: how the UI shows the message (a box); called on the thread of the crash
_show: Callable[[str], None] | None = None
_PROJECT = Path(__file__).resolve().parent.parent


def _short(filename: str) -> str:
    """A frame's file without the folders above it (they name the user)."""
    import sysconfig  # here, not at start (issue 14): only a report needs it

    path = Path(filename)
    try:
        return path.resolve().relative_to(_PROJECT).as_posix()
    except (OSError, ValueError):
        pass
    for key, tag in (
        ("purelib", "site-packages"),
        ("platlib", "site-packages"),
        ("stdlib", "python"),
    ):
        try:
            return (
                f"<{tag}>/"
                + path.resolve().relative_to(Path(sysconfig.get_paths()[key]).resolve()).as_posix()
            )
        except (KeyError, OSError, ValueError):
            continue
    if filename.startswith("<") and filename.endswith(">"):
        return filename  # <string>, <frozen ...>
    return f"…/{path.name}"


def _type_name(kind: type[BaseException]) -> str:
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module == "builtins" else f"{module}.{name}"


def _frames(tb: TracebackType | None) -> list[str]:
    import traceback

    return [
        f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb, limit=60)
    ]


def _versions() -> list[str]:
    import platform  # here, not at start (issue 14: about 4 ms)

    lines = []
    try:
        from importlib.metadata import version

        lines.append(f"brieventafel: {version('brieventafel')}")
    except Exception:  # noqa: BLE001 - a source checkout that is not installed
        lines.append("brieventafel: (not installed)")
    lines.append(f"python: {platform.python_version()} ({platform.python_implementation()})")
    lines.append(f"platform: {platform.system()} {platform.release()} {platform.machine()}")
    pyside = sys.modules.get("PySide6")  # named only when loaded: the core imports no Qt
    if pyside is not None:
        lines.append(f"PySide6: {getattr(pyside, '__version__', '?')}")
        core = sys.modules.get("PySide6.QtCore")
        if core is not None:
            lines.append(f"Qt: {core.qVersion()}")
            platform_name = os.environ.get("QT_QPA_PLATFORM")
            if platform_name:
                lines.append(f"Qt platform: {platform_name}")
    return lines


def report_text(
    kind: type[BaseException], error: BaseException | None, tb: TracebackType | None, *, thread: str
) -> str:
    """The report: type, frames and versions; never a message, a line or a value."""
    from datetime import datetime

    lines = [
        "Brieventafel crash report",
        "(no messages, no source lines, no values: they may hold personal data)",
        f"time: {datetime.now().isoformat(timespec='seconds')}",
        f"thread: {thread}",
        *_versions(),
        "",
        f"exception: {_type_name(kind)}",
        *_frames(tb),
    ]
    seen = {id(error)}
    current = error
    while current is not None:
        cause = current.__cause__
        link = "caused by"
        if cause is None and not current.__suppress_context__:
            cause, link = current.__context__, "while handling"
        if cause is None or id(cause) in seen:
            break
        seen.add(id(cause))
        lines += ["", f"{link}: {_type_name(type(cause))}", *_frames(cause.__traceback__)]
        current = cause
    return "\n".join(lines) + "\n"


def _report_folder(folder: Path | None) -> Path:
    if folder is not None:
        return Path(folder)
    if _folder is not None:
        return _folder
    from app.paths import default_data_dir

    return default_data_dir()


def write_report(text: str, folder: Path | None = None) -> Path:
    """``crash-<time>.txt`` in the folder, mode 0600, never over an older report."""
    from datetime import datetime

    target = _report_folder(folder)
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = target / (f"crash-{stamp}.txt" if n == 0 else f"crash-{stamp}-{n}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        return path
    raise FileExistsError(target)


def message(report: Path | None) -> str:
    """What the person reads: kind, and where the report for a helper is."""
    text = unexpected()
    if report is not None:
        text += "\n\n" + _(
            "Voor een helper staat een verslag in dit bestand: %(path)s. "
            "Er staan geen persoonlijke gegevens in."
        ) % {"path": report}
    return text


def unexpected() -> str:
    from app.problems import unexpected_text

    return unexpected_text()


def _handle(
    kind: type[BaseException],
    error: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str,
    folder: Path | None,
) -> None:
    try:
        from app.storage import StoreProblem

        if isinstance(error, StoreProblem):
            # Not a fault of ours: a store in use by another program, or read-only.
            # Say that in plain words; there is nothing for a report to show.
            from app.store_words import problem_text

            text = problem_text(error)
        else:
            try:
                report: Path | None = write_report(
                    report_text(kind, error, tb, thread=thread), folder
                )
            except Exception:  # noqa: BLE001 - no report: the message still comes
                report = None
            text = message(report)
    except Exception:  # noqa: BLE001 - even gettext failed: say it in Dutch
        text = "Er ging iets mis in Brieventafel. Dat ligt niet aan u."
    with contextlib.suppress(Exception):  # no stderr (a GUI start on Windows)
        print(text, file=sys.stderr, flush=True)
    if _show is not None:
        with contextlib.suppress(Exception):  # the box itself failed: stderr has it
            _show(text)


def excepthook(
    kind: type[BaseException],
    error: BaseException | None,
    tb: TracebackType | None,
    *,
    folder: Path | None = None,
) -> None:
    """``sys.excepthook``: the message and a redacted report, never a traceback."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error if error is not None else kind(), tb)
        return
    _handle(kind, error, tb, thread="main", folder=folder)


def thread_excepthook(args: threading.ExceptHookArgs, *, folder: Path | None = None) -> None:
    """``threading.excepthook``: as :func:`excepthook`; the thread's name is left out."""
    if issubclass(args.exc_type, SystemExit):
        return  # as Python does: a thread that exits is no crash
    is_main = args.thread is threading.main_thread()
    _handle(
        args.exc_type,
        args.exc_value,
        args.exc_traceback,
        thread="main" if is_main else "other",
        folder=folder,
    )


def install(folder: Path | None = None, show: Callable[[str], None] | None = None) -> None:
    """Set both hooks; ``folder`` for the reports (None: the user data folder)."""
    configure(folder=folder, show=show)
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def configure(*, folder: Path | None = None, show: Callable[[str], None] | None = None) -> None:
    """Where reports go, and how the UI shows the message, once they are known."""
    global _folder, _show
    if folder is not None:
        _folder = Path(folder)
    if show is not None:
        _show = show


def forget_show() -> None:
    """The window is gone: from now on the message goes to stderr only."""
    global _show
    _show = None


__all__ = [
    "configure",
    "excepthook",
    "forget_show",
    "install",
    "message",
    "report_text",
    "thread_excepthook",
    "write_report",
]
