"""Start the app: QApplication, session, main window."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def run(args) -> int:
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app import i18n
    from app.paths import default_data_dir
    from app.session import Session
    from app.storage import StoreBusy
    from ui.shell.qt_language import apply_qt_language

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Brieventafel")
    app.setApplicationDisplayName("Brieventafel")
    from app.guided import cleanup_stale

    cleanup_stale()  # what a killed guided session left behind (ui/guided/window.py)
    if getattr(args, "guided", False) and not args.self_test:
        from ui.guided.start import run_guided

        return run_guided(app, args)
    # The self-test uses a fresh practice mailbox, unless a folder is given
    # (the start-up benchmark uses that to measure a warm start too).
    temp = (
        tempfile.TemporaryDirectory(prefix="brieventafel-selftest-")
        if args.self_test and args.data_dir is None
        else None
    )
    data_dir = Path(temp.name) if temp else (args.data_dir or default_data_dir())
    try:
        session = Session.open_practice(data_dir, person_id=args.person, sync=False)
    except StoreBusy:
        i18n.set_language(args.language or "nl")
        apply_qt_language(app)
        QMessageBox.information(
            None,
            "Brieventafel",
            i18n.gettext(
                "Brieventafel is al open in een ander venster. Gebruik dat venster. "
                "Of sluit het en start Brieventafel opnieuw."
            ),
        )
        return 1
    i18n.set_language(args.language or session.setting("language", "nl") or "nl")
    apply_qt_language(app)  # Qt's own dialog texts and the layout direction follow

    from ui.shell.main_window import MainWindow
    from ui.shell.tasks import Tasks

    # The self-test waits for each answer of the background helper, so what it
    # counts is what the table shows once the first sync is in.
    window = MainWindow(session, tasks=Tasks(synchronous=True) if args.self_test else None)
    scale = args.scale if args.scale is not None else window.scale
    window.set_scale(scale)
    if args.self_test:
        window.show()
        window.grab()  # paint the table once
        letters = session.table()
        senders = {letter.org_id for letter in letters}
        print(f"Brieventafel self-test: {len(letters)} brieven op tafel, {len(senders)} afzenders")
        window.tasks.shutdown()
        session.close()
        if temp is not None:
            temp.cleanup()
        return 0
    window.show()
    code = app.exec()
    window.tasks.shutdown()  # let running work finish before its files close
    session.close()
    return code
