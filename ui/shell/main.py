"""Start the app: one instance per data folder, QApplication, session, window.

Before any store is opened the data folder's lock is taken
(:class:`app.instance.InstanceLock`). A second start on the same folder opens
nothing: it asks the first window to come forward through a local socket
(:class:`InstanceServer`) and exits 0, or, when the first does not answer, says
that Brieventafel is already open (a message box; on stderr for the
self-test, which never shows a modal box). Guided mode uses a throwaway folder
of its own and takes no lock here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from ui.shell import fast_enum, support_cache

fast_enum.install()  # before PySide makes its first enum: a quarter of their cost (issue 14)

with support_cache.compiled_once():  # PySide's support modules, not compiled at every start
    from PySide6.QtCore import QObject, Qt, Signal, Slot
    from PySide6.QtWidgets import QWidget


def _uses_pyside(module) -> bool:
    """PySide's own test, whether ``module``'s source names PySide6, from the
    file's bytes.

    From its first import on PySide asks this of every module an import
    statement names, once per name (its ``__feature__`` switch), and it asked
    ``inspect.getsource`` for it: about 0.15 ms a module, some 100 modules before
    the first frame (10 to 15 ms, issue 14). Reading the bytes gives the same
    answer ("PySide6" is ASCII); a module whose file cannot be read so (no
    ``.py`` beside it, a zip) is asked PySide's way.
    """
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return _pyside_uses_pyside(module)


def _quicker_feature_check() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or original is _uses_pyside:  # another PySide, or done
        return
    global _pyside_uses_pyside
    _pyside_uses_pyside = original
    feature._mod_uses_pyside = _uses_pyside  # type: ignore[union-attr]


def _pyside_uses_pyside(module) -> bool:  # PySide's own, once replaced
    return False


_quicker_feature_check()

#: a second start: the first window did not answer
EXIT_ALREADY_OPEN = 1
#: the data folder cannot be used (as for a wrong --data-dir in app/__main__.py)
EXIT_BAD_FOLDER = 2
#: how long a second start waits for the first window to answer: a first start
#: still opening its stores listens and answers once its window is up. The
#: self-test never waits long (a first self-test never answers: it has no event loop).
ANSWER_S, ANSWER_SELF_TEST_S = 5.0, 1.0


class InstanceServer(QObject):
    """The first window listens here; a second start asks it to come forward."""

    def __init__(self, name: str, parent: QObject | None = None, descriptor: int | None = None):
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self.window: QWidget | None = None
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_connection)
        if descriptor is not None:  # listening already (_Listening): what waits is taken in
            self.listening = self.server.listen(descriptor)
            self._on_connection()
            return
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A socket file a killed start left behind. Only we can be listening on
        # this name: we hold the data folder's lock.
        QLocalServer.removeServer(name)
        self.listening = self.server.listen(name)

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            if socket.bytesAvailable():
                self._on_ready(socket)

    def _on_ready(self, socket) -> None:
        if b"raise" in bytes(socket.readAll().data()):
            self.bring_forward()
            socket.write(b"ok\n")
            socket.flush()

    def bring_forward(self) -> None:
        from PySide6.QtCore import Qt

        window = self.window
        if window is None:  # still starting: it shows itself in a moment
            return
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()


def ask_first_forward(name: str, answer_s: float) -> bool:
    """Ask the first window to come forward; True when it said it did.

    The first start can be reached from the moment it holds the lock (see
    :class:`_Listening`), so one try to connect is enough. It answers once its
    window is up: a start that is still opening its stores gets ``answer_s``
    seconds.
    """
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        if not socket.waitForConnected(1000):
            return False
        socket.write(b"raise\n")
        socket.flush()
        end = time.monotonic() + answer_s
        answer = b""
        while b"\n" not in answer:
            left = int((end - time.monotonic()) * 1000)
            if left <= 0 or not socket.waitForReadyRead(left):
                break
            answer += bytes(socket.readAll().data())
        return answer.startswith(b"ok")
    finally:
        socket.abort()


class _CrashBox(QObject):
    """Shows the crash message in a box, on the GUI thread, one at a time."""

    said = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._showing = False
        self.said.connect(self._show)  # queued when said from another thread

    @Slot(str)
    def _show(self, text: str) -> None:
        if self._showing:  # a crash while the box is open: the report is written
            return
        from PySide6.QtWidgets import QMessageBox

        self._showing = True
        try:
            QMessageBox.warning(None, "Brieventafel", text)
        finally:
            self._showing = False


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args) -> int:
    from app import crash
    from app.instance import (
        FolderProblem,
        InstanceLock,
        folder_problem_text,
        server_name,
    )

    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    guided = getattr(args, "guided", False) and not args.self_test
    if guided:  # a throwaway folder of its own: no data-folder lock
        gc.enable()  # off since app/__main__.py for the main window's first frame
        return _run_guided(args)
    # The self-test uses a fresh practice mailbox, unless a folder is given
    # (the start-up benchmark uses that to measure a warm start too).
    temp = (
        tempfile.TemporaryDirectory(prefix="brieventafel-selftest-")
        if args.self_test and args.data_dir is None
        else None
    )
    lock: InstanceLock | None = None
    listening: _Listening | None = None
    try:
        if temp is not None:
            data_dir = Path(temp.name)
        else:
            chosen = Path(args.data_dir) if args.data_dir is not None else _default_data_dir()
            if chosen is None:
                return EXIT_BAD_FOLDER
            data_dir = chosen
            crash.configure(folder=data_dir)
        app = _application()  # made before the lock, so its holder can listen at once
        name = server_name(data_dir)  # before the lock: it listens the moment it holds it
        lock = InstanceLock(data_dir)
        try:
            first = lock.acquire()
        except OSError:
            _say(folder_problem_text(FolderProblem.NOT_WRITABLE, data_dir))
            return EXIT_BAD_FOLDER
        if not first:
            gc.enable()
            return _second_start(args, app, name)
        listening = _Listening(name, app)
        return _run_first(args, app, data_dir, listening)
    finally:
        gc.enable()
        crash.forget_show()  # the window is gone: a late crash goes to stderr
        if listening is not None:
            listening.close()
        if lock is not None:
            lock.release()  # before the folder goes (Windows cannot remove a locked file)
        if temp is not None:
            temp.cleanup()


def _default_data_dir() -> Path | None:
    from app.i18n import gettext as _
    from app.paths import default_data_dir

    try:
        return default_data_dir()
    except OSError:
        _say(_("Brieventafel kan zijn map niet maken. Start met --data-dir en een andere map."))
        return None


def _application():
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Brieventafel")
    app.setApplicationDisplayName("Brieventafel")
    return app


def _second_start(args, app, name: str) -> int:
    """Another Brieventafel holds this folder: bring it forward, or say so."""
    from app import i18n
    from app.instance import already_open_text, brought_forward_text
    from ui.shell.qt_language import apply_qt_language

    i18n.set_language(args.language or "nl")
    reached = ask_first_forward(name, ANSWER_SELF_TEST_S if args.self_test else ANSWER_S)
    if reached:
        _say(brought_forward_text())
        return 0
    _say(already_open_text())
    if not args.self_test:  # offscreen a modal box would wait for ever
        from PySide6.QtWidgets import QMessageBox

        apply_qt_language(app)
        QMessageBox.information(None, "Brieventafel", already_open_text())
    return EXIT_ALREADY_OPEN


def _run_guided(args) -> int:
    from app.guided import cleanup_stale
    from ui.guided.start import run_guided

    app = _application()
    _install_crash_box(app, args)
    cleanup_stale()  # what a killed guided session left behind (ui/guided/window.py)
    return run_guided(app, args)


def _cleanup_stale() -> None:
    """What a killed guided session left behind (ui/guided/window.py); run by the
    background helper after the first frame."""
    from app.guided import cleanup_stale

    cleanup_stale()


def _install_crash_box(app, args) -> None:
    from app import crash

    if not args.self_test:  # the self-test says it on stderr only
        box = _CrashBox(app)
        crash.configure(show=box.said.emit)


#: a token for tests and administrators, instead of the keyring (never logged)
TOKEN_ENV = "BRIEVENTAFEL_TOKEN"


def _open_remote(args, app, data_dir: Path, told: list[str]):
    """A session on a Berichtenbox server: with the token kept in the keyring (or
    in BRIEVENTAFEL_TOKEN), else after signing in. None when the person stops.
    MailboxError when the server cannot be reached or refuses. What the window
    must tell once it is up goes into ``told``."""
    from app import secrets
    from app.mailbox import MailboxError
    from app.mailbox.errors import ErrorCode
    from app.session import Session

    verify = args.ca_file or True
    person = args.person
    token = os.environ.get(TOKEN_ENV) or (
        secrets.load_token(args.server, person) if person else None
    )
    if token and person:
        try:
            return Session.open_remote(
                data_dir, args.server, person, token, verify=verify, sync=False
            )
        except MailboxError as error:
            if error.code is not ErrorCode.UNAUTHORIZED or args.self_test:
                raise
            # The kept token no longer holds (expired, signed out elsewhere): sign in again.
    if args.self_test:  # offscreen nobody can type a PIN
        raise MailboxError(ErrorCode.UNAUTHORIZED, "self-test without a token")
    signed = _sign_in(app, args.server, person or "", verify)
    if signed is None:
        return None
    person, token = signed
    session = Session.open_remote(data_dir, args.server, person, token, verify=verify, sync=False)
    from ui.signin.window import keep_token

    problem = keep_token(args.server, person, token)
    if problem is not None:
        told.append(problem)
    return session


def _sign_in(app, server_url: str, person: str, verify) -> tuple[str, str] | None:
    """The sign-in window until the person signed in (person, token) or stopped (None)."""
    gc.enable()  # the person may take a while: no first frame to keep it off for
    from PySide6.QtCore import QEventLoop

    from app.mailbox.remote import login
    from ui.shell import theme
    from ui.signin.window import SignInWindow

    theme.apply(app, theme.MIN_SCALE)
    window = SignInWindow(
        server_url, lambda who, pin: login(server_url, who, pin, verify=verify), person=person
    )
    found: list[tuple[str, str]] = []
    loop = QEventLoop()

    def signed_in(who: str, token: str) -> None:
        found.append((who, token))
        loop.quit()

    window.sig_signed_in.connect(signed_in)
    window.destroyed.connect(loop.quit)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(700, 520)
    window.show()
    loop.exec()
    if found:
        window.close()
    return found[0] if found else None


class _Listening:
    """Where a second start finds the first, from the moment the first holds the
    data folder's lock.

    On POSIX a plain Unix socket is bound and listening at once: the kernel
    takes a second start's connection in, and its "raise" waits there. The
    :class:`InstanceServer` (QtNetwork, about 15 ms before the first frame;
    issue 14) takes that socket over right after the first frame, or before a
    sign-in window, and answers. Elsewhere, or when binding fails, the server
    is made at once, as before.
    """

    def __init__(self, name: str, app: QObject):
        self.name, self.app = name, app
        self.server: InstanceServer | None = None
        self._early = _listen_early(self.name)
        if self._early is None:
            self.start(None)

    def start(self, window: QWidget | None) -> None:
        if self.server is None:
            early, self._early = self._early, None
            self.server = InstanceServer(
                self.name, self.app, descriptor=early.detach() if early is not None else None
            )
        self.server.window = window

    def forget_window(self) -> None:
        if self.server is not None:
            self.server.window = None

    def close(self) -> None:
        if self._early is not None:  # never taken over: its file goes too
            with contextlib.suppress(OSError):
                path = self._early.getsockname()
                self._early.close()
                if isinstance(path, str) and path:
                    os.unlink(path)
            self._early.close()
            self._early = None
        if self.server is not None:
            self.server.window = None
            self.server.server.close()


def _listen_early(name: str):
    """A listening Unix socket where QLocalServer would put ``name`` (only this
    user may connect), or None where that cannot be done."""
    if os.name != "posix":
        return None
    # The C socket itself: the ``socket`` module around it (selectors, its
    # enums) took 3.5 to 4 ms before the first frame, for four calls (issue 14).
    import _socket

    from PySide6.QtCore import QDir

    path = name if os.path.isabs(name) else os.path.join(QDir.tempPath(), name)
    early = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        # A socket file a killed start left behind. Only we can be listening on
        # this name: we hold the data folder's lock.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        mask = os.umask(0o077)  # no other thread runs yet
        try:
            early.bind(path)
        finally:
            os.umask(mask)
        early.listen(16)
    except OSError:
        early.close()
        return None
    return early


def _open_practice(data_dir: Path, person_id: str | None):
    """The practice session; its stores, when a clean close left them, are
    checked while the window is built (app.storage.checks_in_background)."""
    from app import storage
    from app.session import Session

    try:
        with storage.checks_in_background():
            return Session.open_practice(data_dir, person_id=person_id, sync=False)
    except Exception:
        # a damaged page read before its check was done: opened again, rescued
        if storage.damage_found():
            return Session.open_practice(data_dir, person_id=person_id, sync=False)
        raise


def _run_first(args, app, data_dir: Path, listening: _Listening) -> int:
    from app import i18n, storage
    from app.instance import already_open_text
    from app.mailbox import MailboxError
    from app.problems import problem_text
    from app.session import Session
    from app.storage import StoreBusy, StoreProblem
    from app.store_words import problem_text as store_problem_text
    from ui.shell.qt_language import apply_qt_language

    _install_crash_box(app, args)
    told: list[str] = []  # what the window says once it is up
    remembered = None
    if not getattr(args, "server", None) and not args.self_test:
        from app import server_choice

        remembered = server_choice.load(data_dir)  # chosen on the settings screen
        if remembered is not None:
            args.server = remembered.server
            args.person = remembered.person
    if remembered is not None or getattr(args, "server", None):
        listening.start(None)  # a sign-in window may come first: a second start is answered
    try:
        opened = None
        if remembered is not None:
            try:
                opened = _open_remote(args, app, data_dir, told)
            except MailboxError as problem:
                # A remembered server that does not answer never locks the person
                # out: the practice box opens, and the window says why.
                from app.i18n import gettext as _

                i18n.set_language(args.language or "nl")
                told.append(
                    problem_text(problem)
                    + " "
                    + _("U ziet nu de oefenpost. Bij Instellingen kiest u weer uw Berichtenbox.")
                )
                args.server = args.person = None
                opened = Session.open_practice(data_dir, sync=False)
        elif getattr(args, "server", None):
            opened = _open_remote(args, app, data_dir, told)
        else:
            opened = _open_practice(data_dir, args.person)
        if opened is None:  # the person stopped at the sign-in
            return 0
        session = opened
        if storage.checks_running():
            # The window's modules load while the stores are checked on a thread
            # of their own (issue 14); nothing of them is shown or written before.
            import ui.shell.main_window  # noqa: F401
            import ui.shell.tasks  # noqa: F401

            if storage.damage_found():  # damaged since a clean close: rescued now
                session.close()
                session = Session.open_practice(data_dir, person_id=args.person, sync=False)
    except StoreBusy:  # another program holds a store: not a second Brieventafel
        i18n.set_language(args.language or "nl")
        _say(already_open_text())
        if not args.self_test:  # offscreen a modal box would wait for ever
            from PySide6.QtWidgets import QMessageBox

            apply_qt_language(app)
            QMessageBox.information(None, "Brieventafel", already_open_text())
        return EXIT_ALREADY_OPEN
    except (StoreProblem, MailboxError) as problem:  # read-only, unreadable, a bad person row
        i18n.set_language(args.language or "nl")
        text = (
            store_problem_text(problem)
            if isinstance(problem, StoreProblem)
            else problem_text(problem)
        )
        _say(text)
        if not args.self_test:
            from PySide6.QtWidgets import QMessageBox

            apply_qt_language(app)
            QMessageBox.warning(None, "Brieventafel", text)
        return 1
    i18n.set_language(args.language or session.setting("language", "nl") or "nl")
    apply_qt_language(app)  # Qt's own dialog texts and the layout direction follow

    from ui.shell import theme
    from ui.shell.main_window import MainWindow, stored_theme
    from ui.shell.tasks import Tasks

    # The theme before the window: its widgets are styled once, when first
    # shown. Applied after it, the style sheet restyled every widget made
    # (60 ms before the first frame, issue 14); set_scale below keeps it.
    stored_scale, high_contrast = stored_theme(session)
    scale = args.scale if args.scale is not None else stored_scale
    theme.apply(app, scale, high_contrast)

    # The self-test waits for each answer of the background helper, so what it
    # counts is what the table shows once the first sync is in.
    # The first frame is the top bar and the table as the desk holds them; the
    # clean-up and the first sync come after it, in the background (issue 14).
    window = MainWindow(
        session,
        tasks=Tasks(synchronous=True) if args.self_test else None,
        sync_after_first_frame=True,
    )

    def clean_up() -> None:
        window.tasks.run(_cleanup_stale, label="cleanup_stale")

    window.after_first_frame(gc.enable)  # off since app/__main__.py (issue 14)
    window.after_first_frame(clean_up)
    window.after_first_frame(lambda: listening.start(window))
    window.data_dir = data_dir  # the settings screen remembers a Berichtenbox there
    for text in told:
        window.tell(text)
    window.set_scale(scale)
    if args.self_test:
        window.show()
        window.grab()  # paint the table once
        app.processEvents()  # what waits for the first frame: the clean-up, the first sync
        letters = session.table()
        senders = {letter.org_id for letter in letters}
        print(f"Brieventafel self-test: {len(letters)} brieven op tafel, {len(senders)} afzenders")
        window.tasks.shutdown()
        session.close()
        return 0
    window.show()
    code = app.exec()
    listening.forget_window()
    window.tasks.shutdown()  # let running work finish before its files close
    session.close()
    return code
