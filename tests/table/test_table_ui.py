"""Journeys through the table, the letter and the folders, driven like a person would."""

import pytest
from PySide6.QtCore import Qt

from app.model import Urgency
from app.session import Session
from ui.shell.main_window import MainWindow
from ui.table.model import LetterTableModel

pytestmark = pytest.mark.gui


def table_ids(window):
    model = window.table_screen.model
    return [model.index(r).data(LetterTableModel.IdRole) for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, session):
    model = LetterTableModel(today=session.today)
    model.set_letters(session.table())
    qtmodeltester.check(model)


def test_koen_sees_his_letters_in_urgency_order(window, session):
    assert window.current_screen() is window.table_screen
    ids = table_ids(window)
    assert ids == [l.id for l in session.table()]
    first = window.table_screen.model.index(0)
    assert first.data(LetterTableModel.UrgencyRole) == Urgency.OVERDUE
    summary = window.table_screen.summary.text()
    assert summary.startswith(f"Er liggen {len(ids)} brieven op tafel.")
    assert "nieuw" in summary and "deze week af" in summary
    assert window.practice_label.isVisible()
    assert window.practice_label.text() == "Oefenpost: er gebeurt niets echt."
    assert "voorbeeldbrieven" in window.practice_label.accessibleDescription()


def test_card_reads_as_one_sentence(window, session):
    index = window.table_screen.model.index(0)
    sentence = index.data(Qt.ItemDataRole.AccessibleTextRole)
    letter = session.table()[0]
    assert f"Brief van {letter.sender}." in sentence
    assert letter.summary in sentence
    assert "te laat" in sentence


def test_open_put_away_undo_restart_and_lay_back(qtbot, window, session, data_dir, today, tmp_path):
    view = window.table_screen.view
    view.setFocus()
    first_id = table_ids(window)[0]
    # Open the most urgent letter with the keyboard.
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.current_screen() is window.letter_screen
    assert window.letter_screen.letter.id == first_id
    paper = window.letter_screen.paper.toPlainText()
    assert window.letter_screen.letter.subject in paper
    assert window.letter_screen.todo_text.text()
    # Put it away.
    qtbot.mouseClick(window.letter_screen.put_away_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.table_screen
    assert first_id not in table_ids(window)
    assert window.table_screen.undo_box.isVisible()
    # Undo.
    qtbot.mouseClick(window.table_screen.undo_button, Qt.MouseButton.LeftButton)
    assert table_ids(window)[0] == first_id
    assert not window.table_screen.undo_box.isVisible()
    # Put it away again.
    window.open_letter(first_id)
    qtbot.mouseClick(window.letter_screen.put_away_button, Qt.MouseButton.LeftButton)
    assert first_id not in table_ids(window)
    # Open (read) the second letter but leave it on the table.
    second_id = table_ids(window)[0]
    window.open_letter(second_id)
    qtbot.mouseClick(window.letter_screen.back_button, Qt.MouseButton.LeftButton)
    window.close()
    session.close()

    # Restart: the state is kept.
    again = Session.open_practice(data_dir, today=today)
    w2 = MainWindow(again, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(w2)
    w2.show()
    ids = table_ids(w2)
    assert first_id not in ids
    assert second_id in ids
    assert again.letter(second_id).read
    # The folder lays it back.
    qtbot.mouseClick(w2.table_screen.folders_button, Qt.MouseButton.LeftButton)
    assert w2.current_screen() is w2.folders_screen
    assert w2.folders_screen.select_letter(first_id)
    qtbot.mouseClick(w2.folders_screen.lay_back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w2.home_button, Qt.MouseButton.LeftButton)
    assert first_id in table_ids(w2)
    again.close()


def test_home_back_help_are_always_there(qtbot, window):
    for show in (
        lambda: None,
        lambda: window.open_letter(table_ids(window)[0]),
        window.show_folders,
        window.show_help,
    ):
        show()
        for b in (window.home_button, window.back_button, window.help_button):
            assert b.isVisible()
    window.go_home()
    window.open_letter(table_ids(window)[0])
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.help_screen
    assert "Wat moet ik doen?" in window.help_screen.about.text()
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.letter_screen


def test_text_size_from_100_to_200_is_remembered(qtbot, window, session, tmp_path):
    assert window.scale == 100
    assert not window.smaller_button.isEnabled()
    for _ in range(4):
        qtbot.mouseClick(window.larger_button, Qt.MouseButton.LeftButton)
    assert window.scale == 200
    assert not window.larger_button.isEnabled()
    assert session.setting("text_scale") == "200"
    w2 = MainWindow(session, pdf_folder=tmp_path)
    qtbot.addWidget(w2)
    assert w2.scale == 200


def test_sender_text_is_never_rich_text(qtbot, session, tmp_path, today):
    session.mailbox.deliver(
        {
            "id": "evil",
            "recipient": "koen",
            "org": "rdw",
            "subject": "<b>VET</b> <a href='x'>klik</a>",
            "summary": "<i>schuin</i>",
            "action": "lezen",
            "received_days_ago": 0,
            "deadline_in_days": -1,
            "reference": "R",
            "body": "<h1>Kop</h1>",
            "what_to_do": "<u>x</u>",
        }
    )
    session.sync()
    w = MainWindow(session, pdf_folder=tmp_path)
    qtbot.addWidget(w)
    w.open_letter("evil")
    screen = w.letter_screen
    assert screen.subject.textFormat() == Qt.TextFormat.PlainText
    assert screen.subject.text() == "<b>VET</b> <a href='x'>klik</a>"
    assert "<h1>Kop</h1>" in screen.paper.toPlainText()


def test_print_letter_makes_a_pdf_with_its_text(qtbot, window, tmp_path):
    from PySide6.QtPdf import QPdfDocument

    letter_id = table_ids(window)[0]
    window.open_letter(letter_id)
    qtbot.mouseClick(window.letter_screen.print_button, Qt.MouseButton.LeftButton)
    path = window.last_pdf
    assert path is not None and path.exists()
    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    text = "".join(pdf.getAllText(p).text() for p in range(pdf.pageCount()))
    letter = window.letter_screen.letter
    assert "Wat moet ik doen?" in text
    assert letter.reference in text
    assert window.notice_row.isVisible()


def test_damaged_desk_is_told_in_plain_words(qtbot, data_dir, today, tmp_path):
    Session.open_practice(data_dir, today=today).close()
    desk_file = data_dir / "oefenpost" / "desk.sqlite3"
    for side in desk_file.parent.glob("desk.sqlite3-*"):
        side.unlink()
    desk_file.write_bytes(b"kapot" * 1000)
    s = Session.open_practice(data_dir, today=today)
    w = MainWindow(s, pdf_folder=tmp_path)
    qtbot.addWidget(w)
    w.show()
    assert w.notice_row.isVisible()
    assert "kopie bewaard" in w.notice_label.text()
    assert len(s.table()) >= 20  # no letter lost: the mailbox lays them back
    qtbot.mouseClick(w.notice_button, Qt.MouseButton.LeftButton)
    assert not w.notice_row.isVisible()
    s.close()


def test_folder_rows_wrap_long_subjects_at_200_percent(qtbot, window, session):
    """A put-away letter's subject is never cut off: its row grows to fit."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    letter = max(session.table(), key=lambda l: len(l.subject))
    session.put_away(letter.id)
    window.set_scale(200)
    window.resize(900, 820)
    window.show_folders()
    tree = window.folders_screen.tree
    assert window.folders_screen.select_letter(letter.id)
    item = tree.currentItem()
    qtbot.waitUntil(lambda: tree.visualItemRect(item).height() > 0)
    row = tree.visualItemRect(item)
    needed = QFontMetrics(tree.font()).boundingRect(
        QRect(0, 0, row.width(), 100000), int(Qt.TextFlag.TextWordWrap), item.text(0)
    )
    assert needed.height() > QFontMetrics(tree.font()).lineSpacing()  # it does need wrapping
    assert row.height() >= needed.height()
