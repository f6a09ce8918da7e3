"""Papieren brief toevoegen: one calm screen to check a paper or PDF letter.

The person chooses a file (a PDF, or a photo or scan as PNG or JPEG), or drops
it on the window. It is read in the background (``window.tasks``: the OCR of a
photo takes a second or more, never on the GUI thread) by
:func:`app.importing.read_letter`. The screen then shows what was found
(sender, date, deadline, amount, reference, the plain summary and the notes)
with the four facts the person can correct, and two actions: "Op tafel leggen"
(:func:`app.importing.lay_on_table`: the original is kept, the letter lies on
the table marked as a paper letter) and "Niet toevoegen". A file that cannot be
read is said in the notice row; nothing on the table changes.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import gettext as _
from ui.shell.features import later
from ui.shell.widgets import Screen, box, button, label

if TYPE_CHECKING:
    from app import importing
    from app.importing import Imported, ImportProblem
    from app.model import Letter
else:  # pypdf and the explanation rules load when a file is read
    importing = later("app.importing")

#: what QDateEdit shows as "no deadline" (its minimum, shown as the special text)
NO_DATE = QDate(2000, 1, 1)
_AMOUNT = re.compile(r"^(?P<euros>\d{1,7})(?:[,.](?P<cents>\d{1,2}))?$")


def amount_text(cents: int | None) -> str:
    """73,00 for 7300 (for the field: the euro sign is in its label)."""
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}"


def parse_amount(text: str) -> int | None:
    """Cents from what the person wrote ("73", "73,5", "€ 1.234,50"); None for
    nothing; ValueError when it is no amount."""
    plain = text.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if not plain:
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", plain):
        plain = plain.replace(".", "")  # 1.234,50: the dots are thousands
    found = _AMOUNT.match(plain)
    if found is None:
        raise ValueError("no amount")
    cents = found.group("cents") or "0"
    return int(found.group("euros")) * 100 + int(cents.ljust(2, "0"))


class ImportScreen(Screen):
    """Three states: "choose" (no file yet), "reading", "review" (what was found)."""

    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.imported: Imported | None = None
        self.state = "choose"
        self.chooser: QFileDialog | None = None

        self.heading = label(role="title", name="import_title")
        self.intro = label(role="summary", name="import_intro")
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)

        # What was found: the notes first (they say what to check), then the summary.
        self.notes = QWidget()
        self.notes.setObjectName("import_notes")
        self.notes_layout = QVBoxLayout(self.notes)
        self.notes_layout.setContentsMargins(0, 0, 0, 0)
        self.note_labels: list[QLabel] = []
        self.layout_.addWidget(self.notes)
        self.summary = label(name="import_summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.layout_.addWidget(self.summary)

        self.found = box()
        self.found.setObjectName("import_found")
        facts = QVBoxLayout(self.found)
        self.subject_name = label(role="factname", name="import_subject_name")
        self.subject_value = label(name="import_subject")
        self.dated_name = label(role="factname", name="import_dated_name")
        self.dated_value = label(name="import_dated")
        self.sender_label = label(role="factname", name="import_sender_label")
        self.sender_field = QLineEdit()
        self.sender_field.setObjectName("import_sender")
        self.sender_field.setMaxLength(120)
        self.deadline_label = label(role="factname", name="import_deadline_label")
        self.deadline_field = QDateEdit()
        self.deadline_field.setObjectName("import_deadline")
        self.deadline_field.setCalendarPopup(True)
        self.deadline_field.setDisplayFormat("d-M-yyyy")
        self.deadline_field.setMinimumDate(NO_DATE)
        self.amount_label = label(role="factname", name="import_amount_label")
        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("import_amount")
        self.amount_field.setMaxLength(20)
        self.reference_label = label(role="factname", name="import_reference_label")
        self.reference_field = QLineEdit()
        self.reference_field.setObjectName("import_reference")
        self.reference_field.setMaxLength(120)
        for name, field in (
            (self.sender_label, self.sender_field),
            (self.deadline_label, self.deadline_field),
            (self.amount_label, self.amount_field),
            (self.reference_label, self.reference_field),
        ):
            name.setBuddy(field)
        for widget in (
            self.subject_name,
            self.subject_value,
            self.dated_name,
            self.dated_value,
            self.sender_label,
            self.sender_field,
            self.deadline_label,
            self.deadline_field,
            self.amount_label,
            self.amount_field,
            self.reference_label,
            self.reference_field,
        ):
            facts.addWidget(widget)
        self.layout_.addWidget(self.found)
        self.layout_.addStretch(1)

        self.place_button = button("", name="import_place")
        self.choose_button = button("", name="import_choose", secondary=True)
        self.cancel_button = button("", name="import_cancel", secondary=True)
        self.add_action(self.place_button)
        self.add_action(self.choose_button)
        self.add_action(self.cancel_button, at_end=True)
        self.place_button.clicked.connect(self.on_place)
        self.choose_button.clicked.connect(self.choose_file)
        self.cancel_button.clicked.connect(self.on_cancel)
        self.retranslate_ui()
        self._show_state()

    # -- texts -----------------------------------------------------------------
    def title(self) -> str:
        return _("Papieren brief toevoegen")

    def help_text(self) -> str:
        return _(
            "Hier zet u een brief op papier of een PDF op uw tafel. "
            "Kies het bestand. Wij lezen de brief. "
            "Kijk of alles klopt en verbeter wat niet klopt. "
            "Het bestand zelf blijft zoals het is."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.setAccessibleName(self.title())
        self.subject_name.setText(_("Onderwerp"))
        self.dated_name.setText(_("Datum van de brief"))
        self.sender_label.setText(_("Van wie is de brief?"))
        self.deadline_label.setText(_("Uiterste datum"))
        self.deadline_field.setSpecialValueText(_("Geen datum"))
        self.amount_label.setText(_("Bedrag in euro"))
        self.reference_label.setText(_("Kenmerk"))
        for name, field in (
            (self.sender_label, self.sender_field),
            (self.deadline_label, self.deadline_field),
            (self.amount_label, self.amount_field),
            (self.reference_label, self.reference_field),
        ):
            field.setAccessibleName(name.text())  # also while the fields wait hidden
        self.place_button.setText(_("Op tafel leggen"))
        self.cancel_button.setText(_("Niet toevoegen"))
        self._texts_of_state()

    def _texts_of_state(self) -> None:
        if self.state == "review":
            self.intro.setText(
                _("Dit vonden wij in de brief. Kijk of het klopt. Verbeter wat niet klopt.")
            )
            self.choose_button.setText(_("Ander bestand"))
        elif self.state == "reading":
            self.intro.setText(_("Wij lezen de brief. Even geduld."))
            self.choose_button.setText(_("Kies een bestand"))
        else:
            self.intro.setText(
                _(
                    "Heeft u een brief op papier of als PDF? Zet hem dan op uw tafel. "
                    "Kies een PDF of een foto van de brief. "
                    "U kunt het bestand ook op dit venster slepen."
                )
            )
            self.choose_button.setText(_("Kies een bestand"))
        if self.imported is not None:
            self.dated_value.setText(self._dated_text(self.imported))
            self._show_notes(self.imported.notes)

    # -- states ----------------------------------------------------------------
    def _show_state(self) -> None:
        review = self.state == "review" and self.imported is not None
        self.found.setVisible(review)
        self.summary.setVisible(review)
        self.notes.setVisible(review and bool(self.note_labels))
        self.place_button.setVisible(review)
        reading = self.state == "reading"
        for action in (self.choose_button, self.cancel_button, self.place_button):
            action.setEnabled(not reading)
        self._texts_of_state()
        if self.window_.is_built(self.objectName()) and self.window_.current_screen() is self:
            self.window_.reorder_tabs()
            target = self.first_focus()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_focus(self):
        if self.place_button.isVisibleTo(self) and self.place_button.isEnabled():
            return self.place_button
        return self.choose_button

    # -- choosing and reading ----------------------------------------------------
    def choose_file(self) -> None:
        """The file chooser (not modal for the event loop: the tests and the
        guided mode go on), PDFs and photos only."""
        if self.chooser is None:
            chooser = QFileDialog(self, _("Kies een brief"))
            chooser.setObjectName("import_chooser")
            chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
            chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
            chooser.setNameFilters(
                [
                    _("PDF of foto (*.pdf *.png *.jpg *.jpeg)"),
                    _("PDF (*.pdf)"),
                    _("Foto (*.png *.jpg *.jpeg)"),
                ]
            )
            downloads = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DownloadLocation
            )
            if downloads and Path(downloads).is_dir():
                chooser.setDirectory(downloads)
            chooser.finished.connect(self._on_chosen)
            self.chooser = chooser
        self.chooser.open()

    def _on_chosen(self, result: int) -> None:
        # after the chooser closed, so the focus comes back to this screen
        chosen = self.chooser.selectedFiles() if self.chooser is not None else []
        if result == QFileDialog.DialogCode.Accepted and chosen:
            self.read(Path(chosen[0]))
        else:
            self.settle_focus()

    def read(self, path: Path) -> None:
        """Read ``path`` in the background; the answer comes to :meth:`_on_read`."""
        if self.state == "reading":
            return
        person_id = self.session.person.id
        today = self.session.today()
        before = self.state
        self.state = "reading"
        self._show_state()

        def work():
            try:
                return importing.read_letter(path, person_id, today=today)
            except importing.ImportProblem as problem:
                return problem  # a plain answer, not a fault

        def failed(_error) -> None:  # not expected: read_letter only raises ImportProblem
            self.state = before
            self._show_state()

        self.run(work, lambda found: self._on_read(found, before), on_error=failed, label="import")

    def _on_read(self, found: Imported | ImportProblem, before: str) -> None:
        if isinstance(found, importing.ImportProblem):
            # said in the notice row; what was there (a letter being checked) stays
            self.state = before
            self._show_state()
            self.window_.tell(found.text())
            return
        self.imported = found
        self._fill(found)
        self.state = "review"
        self._show_state()
        self.open_at_top()

    def _fill(self, found: Imported) -> None:
        letter = found.letter
        self.summary.setText(letter.summary)
        self.subject_value.setText(letter.subject)
        self.dated_value.setText(self._dated_text(found))
        self.sender_field.setText(letter.sender)
        deadline = letter.deadline
        self.deadline_field.setDate(
            QDate(deadline.year, deadline.month, deadline.day) if deadline else NO_DATE
        )
        self.amount_field.setText(amount_text(letter.amount_cents))
        self.reference_field.setText(letter.reference)
        self._show_notes(found.notes)

    @staticmethod
    def _dated_text(found: Imported) -> str:
        from app.plain import format_date

        return format_date(found.dated) if found.dated else _("Wij vonden geen datum.")

    def _show_notes(self, notes: list[str]) -> None:
        for old in self.note_labels:
            old.deleteLater()
        self.note_labels = []
        for text in notes:
            note = label(text, role="notice", name="import_note")
            self.notes_layout.addWidget(note)
            self.note_labels.append(note)
        self.notes.setVisible(self.state == "review" and bool(notes))

    # -- the two actions -----------------------------------------------------------
    def corrected(self) -> Letter:
        """The letter as the person corrected it; ValueError for an amount that is none."""
        assert self.imported is not None
        letter = self.imported.letter
        picked = self.deadline_field.date()
        deadline = None if picked == NO_DATE else date(picked.year(), picked.month(), picked.day())
        return dataclasses.replace(
            letter,
            sender=self.sender_field.text().strip() or letter.sender,
            deadline=deadline,
            amount_cents=parse_amount(self.amount_field.text()),
            reference=self.reference_field.text().strip(),
        )

    def on_place(self) -> None:
        if self.imported is None:
            return
        try:
            letter = self.corrected()
        except ValueError:
            self.window_.tell(_("Dit bedrag kunnen wij niet lezen. Schrijf het zo: 73,50."))
            self.amount_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        session = self.session
        try:
            placed = importing.lay_on_table(
                session.desk,
                session.person.id,
                self.imported,
                letter,
            )
        except importing.ImportProblem as problem:
            self.window_.tell(problem.text())  # the letter to check stays here
            return
        self._clear()
        window = self.window_
        window.go_home()
        table = window.table_screen
        row = table.model.row_of(placed.letter.id)
        if row >= 0:
            table.view.setCurrentIndex(table.model.index(row))
            table.view.keep_current_in_view()
        window.tell(importing.found_line(placed))

    def on_cancel(self) -> None:
        """Nothing is added; the file stays where it was."""
        self._clear()
        self.window_.go_back()

    def _clear(self) -> None:
        self.imported = None
        self.state = "choose"
        self._show_notes([])
        self._show_state()
