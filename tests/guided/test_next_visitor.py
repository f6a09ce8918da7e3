""" "Volgende bezoeker": the visit is wiped as on closing, a fresh one waits, same process.

Real visits under a tmp root, a real keyring backend (keyrings.alt's file keyring
in the test's folder), real Qt windows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from app.guided import Visit
from practice_folder import practice_copy
from ui.guided.panel import GuidePanel
from ui.guided.window import GuidedWindow
from ui.shell import theme

pytestmark = pytest.mark.gui
VISITOR_TOKEN = "bezoeker-token-2b81e4"


def click(qtbot, widget):
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown_texts(window) -> str:
    from test_guided_ui import shown_texts as texts

    return texts(window)


def test_next_visitor_wipes_the_visit_and_a_fresh_one_waits(qtbot, tmp_path, today, file_keyring):
    import keyring

    root = tmp_path / "begeleid"
    visit = Visit.start(root, today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    theme.apply(QApplication.instance(), 100)
    gw = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")  # not qtbot's: it goes
    fresh: list[GuidedWindow] = []
    gw.sig_next_visitor.connect(fresh.append)
    gw.show()
    qtbot.waitExposed(gw)
    try:
        # The first visitor reads a letter together with the volunteer.
        click(qtbot, gw.panel.visitor_button)
        click(qtbot, gw.findChild(QAbstractButton, "guided_script_letter"))
        click(qtbot, gw.table_cover.reveal_button)
        letter = gw.session.table()[0]
        click(qtbot, gw.table_screen.findChild(QAbstractButton, "open_letter"))
        click(qtbot, gw.letter_cover.reveal_button)
        shown = shown_texts(gw)
        secrets = [s for s in (letter.subject, letter.what_to_do, letter.sender) if s]
        assert letter.subject in shown  # it really was on the screen
        service, user = visit.register_keyring_entry("token")
        keyring.set_password(service, user, VISITOR_TOKEN)
        gw.controller.print_handout()
        assert gw.last_pdf is not None and visit.folder in gw.last_pdf.parents
        old_folder, old_lock = visit.folder, visit.lock

        click(qtbot, gw.panel.choose_end)
        assert gw.panel.pages.currentIndex() == GuidePanel.END
        click(qtbot, gw.findChild(QAbstractButton, "guided_next_visitor"))

        # Everything of the first visit is gone, as on closing.
        assert visit.ended and visit.session is None
        assert not old_folder.exists() and not old_lock.exists()
        assert keyring.get_password(service, user) is None
        assert VISITOR_TOKEN not in Path(file_keyring.file_path).read_text()
        # A fresh visit, in a fresh window, at the guide's first page.
        assert len(fresh) == 1
        new = fresh[0]
        qtbot.addWidget(new)
        new.sig_next_visitor.connect(fresh.append)
        assert new.visit is not visit and not new.visit.ended
        assert new.visit.folder.is_dir() and new.visit.lock.is_file()
        assert sorted(root.iterdir()) == sorted([new.visit.folder, new.visit.lock])
        assert not new.visit.training
        assert new.isVisible() and not (shiboken6.isValid(gw) and gw.isVisible())
        assert new.panel.pages.currentIndex() == GuidePanel.MODE
        visitor_button = new.panel.visitor_button
        qtbot.waitUntil(lambda: QApplication.focusWidget() is visitor_button, timeout=2000)
        assert new.pdf_destination().parent == new.visit.folder
        texts = shown_texts(new)
        assert [s for s in secrets if s in texts] == []
        assert new.table_cover.covered and new.letter_screen.paper.toPlainText() == ""

        # The next visitor can be followed by another one.
        click(qtbot, new.panel.visitor_button)
        click(qtbot, new.panel.choose_end)
        second = new.visit
        click(qtbot, new.findChild(QAbstractButton, "guided_next_visitor"))
        assert not second.folder.exists() and len(fresh) == 2
        qtbot.addWidget(fresh[1])
        assert sorted(root.iterdir()) == sorted([fresh[1].visit.folder, fresh[1].visit.lock])
    finally:
        if shiboken6.isValid(gw):
            gw.close()
        visit.end()
        for w in fresh:
            if shiboken6.isValid(w):
                w.close()
            w.visit.end()
    assert list(root.iterdir()) == []


def test_closing_still_ends_everything_and_the_app(qtbot, tmp_path, today):
    """ "Ja, sessie afsluiten" next to it still closes: no fresh visit is made."""
    root = tmp_path / "begeleid"
    visit = Visit.start(root, today=today)
    practice_copy(visit.folder, today, into=True)  # seeded once, copied
    visit.open_session()
    gw = GuidedWindow(visit, pdf_folder=visit.folder / "briefje")
    qtbot.addWidget(gw)
    fresh: list = []
    gw.sig_next_visitor.connect(fresh.append)
    gw.show()
    click(qtbot, gw.panel.visitor_button)
    click(qtbot, gw.panel.choose_end)
    assert gw.findChild(QAbstractButton, "guided_next_visitor").isVisible()
    click(qtbot, gw.panel.end_yes)
    assert not gw.isVisible() and fresh == [] and list(root.iterdir()) == []


def test_run_guided_follows_the_next_visitor_and_ends_every_visit(qtbot, tmp_path):
    """The ``--guided`` start keeps the fresh window and, at the end, removes its visit."""
    from types import SimpleNamespace

    from PySide6.QtCore import QTimer

    from ui.guided.start import run_guided

    root = tmp_path / "begeleid"
    app = QApplication.instance()
    seen: list = []

    def drive() -> None:
        first = next(w for w in app.topLevelWidgets() if isinstance(w, GuidedWindow))
        first.controller.ask_end()
        seen.append(first.visit.folder)
        first.panel.end_next.click()
        new = next(
            w
            for w in app.topLevelWidgets()
            if isinstance(w, GuidedWindow) and w.isVisible() and w.visit.folder.exists()
        )
        seen.append(new.visit.folder)
        seen.append(sorted(p.name for p in root.iterdir()))
        new.close()  # the last window: the app's loop ends

    QTimer.singleShot(0, drive)
    args = SimpleNamespace(language="nl", person=None, scale=None)
    assert run_guided(app, args, root=root) == 0
    assert len(seen) == 3 and not seen[0].exists() and seen[0] != seen[1]
    assert seen[2] == sorted([seen[1].name, seen[1].name + ".lock"])
    assert list(root.iterdir()) == []
