"""The Belastingdienst route: a phone script and a ready letter, both printable.

The Belastingdienst is ticked by law and cannot be unticked. The person asks
its Helpdesk Digitale Post: by phone, or with the letter we fill in. One of
the two is enough.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from app import paper
from app.i18n import gettext as _
from app.model import Organisation
from ui.shell.printing import PrintDocument
from ui.shell.widgets import FlowLayout, Screen, box, button, label, scrolling


def letter_document(org: Organisation | None, session) -> PrintDocument | None:
    """The letter to the Belastingdienst, in large type, ready to sign."""
    if org is None:
        return None
    doc = PrintDocument(_("Brief aan de %(org)s") % {"org": org.name})
    doc.lines(paper.belastingdienst_letter(org, session.person, session.today()))
    return doc


def phone_document(org: Organisation | None, session) -> PrintDocument | None:
    if org is None:
        return None
    doc = PrintDocument(_("Bellen met de %(org)s") % {"org": org.name})
    doc.heading(_("Bellen met de %(org)s") % {"org": org.name})
    for heading, lines in paper.phone_script_sections(paper.phone_script(org), session.person):
        doc.paragraph(heading, bold=True)
        doc.lines(lines)
    return doc


class BelastingdienstScreen(Screen):
    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.org: Organisation | None = None
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        self.heading = label(role="title", name="bd_title")
        self.intro = label(role="summary", name="bd_intro")
        inner.addWidget(self.heading)
        inner.addWidget(self.intro)

        phone_box = box()
        phone = QVBoxLayout(phone_box)
        self.phone_heading = label(role="title", name="bd_phone_heading")
        phone.addWidget(self.phone_heading)
        self.phone_sections = QVBoxLayout()
        self.phone_sections.setSpacing(4)
        phone.addLayout(self.phone_sections)
        phone_row = FlowLayout()
        self.print_phone_button = button("", name="bd_print_phone", secondary=True)
        phone_row.addWidget(self.print_phone_button)
        phone.addLayout(phone_row)
        inner.addWidget(phone_box)

        letter_box = box()
        letter = QVBoxLayout(letter_box)
        self.letter_heading = label(role="title", name="bd_letter_heading")
        self.letter_steps = label(name="bd_letter_steps")
        self.letter_text = QPlainTextEdit()
        self.letter_text.setObjectName("bd_letter")
        self.letter_text.setReadOnly(True)
        self.letter_text.setProperty("role", "paper")
        self.letter_text.setTabChangesFocus(True)
        self.letter_text.setMinimumHeight(320)
        self.letter_heading.setBuddy(self.letter_text)  # the heading names the letter field
        letter.addWidget(self.letter_heading)
        letter.addWidget(self.letter_steps)
        letter.addWidget(self.letter_text)
        letter_row = FlowLayout()
        self.print_letter_button = button("", name="bd_print_letter")
        letter_row.addWidget(self.print_letter_button)
        letter.addLayout(letter_row)
        inner.addWidget(letter_box)
        row = FlowLayout()  # scrolls with the page: at 200 % nothing is cut off
        self.sent_button = button("", name="bd_sent")
        self.back_button = button("", name="bd_back", secondary=True)
        row.addWidget(self.sent_button)
        row.addStretch(1)
        row.addWidget(self.back_button)
        inner.addLayout(row)
        self.area = scrolling(content)
        self.area.setObjectName("bd_page")
        self.layout_.addWidget(self.area, 1)

        self.print_phone_button.clicked.connect(self._on_print_phone)
        self.print_letter_button.clicked.connect(self._on_print_letter)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        self.sent_button.clicked.connect(self._on_sent)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Post van de Belastingdienst op papier")

    def help_text(self) -> str:
        return _(
            "De Belastingdienst moet u zelf vragen om post op papier. "
            "Dat kan op twee manieren: bellen of een brief sturen. Eén manier is genoeg. "
            "Heeft u gebeld of de brief gestuurd? Zeg het dan op het scherm "
            "'Wanneer komt mijn post weer op papier?'."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.intro.setText(
            _(
                "U kunt bellen of een brief sturen. Eén van de twee is genoeg. "
                "Bellen gaat het snelst."
            )
        )
        self.phone_heading.setText(_("1. Bellen"))
        self.letter_heading.setText(_("2. Een brief sturen"))
        self.letter_steps.setText(paper.letter_steps())
        self.letter_text.setAccessibleName(_("De brief aan de Belastingdienst"))
        self.area.setAccessibleName(self.title())
        self.print_phone_button.setText(_("Belscript printen"))
        self.print_letter_button.setText(_("Brief printen"))
        self.back_button.setText(_("Terug"))
        self.sent_button.setText(_("Ik heb gebeld of de brief gestuurd"))
        if self.isVisible() and self.org is not None:  # hidden: drawn when shown
            self._render()

    def refresh(self) -> None:
        self.feature.load(self._render)

    def _render(self) -> None:
        session = self.session
        known = self.feature.facts
        self.org = known.belastingdienst() if known is not None else None
        if self.org is None or known is None:
            return
        request = known.request(self.org.id)
        self.sent_button.setVisible(request is not None and request.state == "prepared")
        script = paper.phone_script(self.org)
        while self.phone_sections.count():
            item = self.phone_sections.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        for i, (heading, lines) in enumerate(paper.phone_script_sections(script, session.person)):
            self.phone_sections.addWidget(label(heading, "factname"))
            # the number stands out: it is what you need first
            self.phone_sections.addWidget(
                label(
                    "\n".join(lines),
                    "title" if i == 0 else None,
                    name="bd_phone_number" if i == 0 else None,
                )
            )
        self.letter_text.setPlainText(
            "\n".join(paper.belastingdienst_letter(self.org, session.person, session.today()))
        )

    def first_focus(self):
        return self.print_phone_button

    def _on_print_phone(self) -> None:
        doc = phone_document(self.org, self.session)
        if doc is not None:
            self.window_.print_document(doc)

    def _on_print_letter(self) -> None:
        doc = letter_document(self.org, self.session)
        if doc is not None:
            self.window_.print_document(doc)

    def _on_sent(self) -> None:
        """The person phoned or posted: record it and show the status."""
        if self.org is None:
            return
        mailbox, person_id, org_id = self.session.mailbox, self.session.person.id, self.org.id
        self.run(
            lambda: mailbox.set_paper_request_state(person_id, org_id, "sent"),
            lambda _request: self.feature.show_status(),
            on_error=lambda failure: self.feature.show_status(error=failure),
        )
