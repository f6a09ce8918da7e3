"""The Belastingdienst route: a phone script and a ready letter, both printable.

The Belastingdienst is ticked by law and cannot be unticked. The person asks
its Helpdesk Digitale Post: by phone, or with the letter we fill in. One of
the two is enough.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from app import paper
from app.i18n import gettext as _
from app.model import Organisation
from ui.shell.printing import PrintDocument
from ui.shell.widgets import FlowLayout, Screen, box, button, label


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
    """One page that grows (no scroll area of its own: the screen's page scrolls)
    and its actions in the fixed bar: print the phone script, print the letter,
    say it was done, back."""

    def __init__(self, window, feature, parent=None):
        super().__init__(window, parent)
        self.feature = feature
        self.org: Organisation | None = None
        inner = self.layout_
        self.heading = label(role="title", name="bd_title")
        self.intro = label(role="summary", name="bd_intro")
        inner.addWidget(self.heading)
        inner.addWidget(self.intro)

        phone_box = box()
        phone_box.setObjectName("bd_phone_box")
        phone = QVBoxLayout(phone_box)
        self.phone_heading = label(role="title", name="bd_phone_heading")
        phone.addWidget(self.phone_heading)
        self.phone_sections = QVBoxLayout()
        self.phone_sections.setSpacing(4)
        phone.addLayout(self.phone_sections)
        inner.addWidget(phone_box)

        letter_box = box()
        letter_box.setObjectName("bd_letter_box")
        letter = QVBoxLayout(letter_box)
        self.letter_heading = label(role="title", name="bd_letter_heading")
        self.letter_steps = label(name="bd_letter_steps")
        # The letter grows with its text inside the page: no scroll bar of its own.
        self.letter_text = label(name="bd_letter")
        self.letter_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        letter.addWidget(self.letter_heading)
        letter.addWidget(self.letter_steps)
        letter.addWidget(self.letter_text)
        inner.addWidget(letter_box)

        # For people abroad: a calm line and one button, in the page (not in the bar).
        self.abroad_text = label(name="bd_abroad_text")
        self.abroad_button = button("", name="bd_abroad", secondary=True)
        abroad_row = FlowLayout()
        abroad_row.addWidget(self.abroad_button)
        inner.addWidget(self.abroad_text)
        inner.addLayout(abroad_row)
        inner.addStretch(1)

        # The actions, in the fixed bar; the harmless one first (it gets the focus).
        self.print_phone_button = button("", name="bd_print_phone", secondary=True)
        self.print_letter_button = button("", name="bd_print_letter", secondary=True)
        self.sent_button = button("", name="bd_sent")
        self.back_button = button("", name="bd_back", secondary=True)
        self.add_action(self.print_phone_button)
        self.add_action(self.print_letter_button)
        self.add_action(self.sent_button)
        self.add_action(self.back_button, at_end=True)

        self.print_phone_button.clicked.connect(self._on_print_phone)
        self.print_letter_button.clicked.connect(self._on_print_letter)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        self.sent_button.clicked.connect(self._on_sent)
        self.abroad_button.clicked.connect(self._on_abroad)
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
        self.abroad_text.setText(
            _("Woont u in het buitenland? Daar leest u meer over op een aparte pagina.")
        )
        self.abroad_button.setText(_("Woont u in het buitenland?"))
        self.print_phone_button.setText(_("Belscript printen"))
        self.print_letter_button.setText(_("Brief printen"))
        self.back_button.setText(_("Terug"))
        self.sent_button.setText(_("Ik heb gebeld of de brief gestuurd"))
        self.abroad_button.setVisible(self._abroad_screen() is not None)
        self.abroad_text.setVisible(self._abroad_screen() is not None)
        if self.isVisible() and self.org is not None:  # hidden: drawn when shown
            self._render()

    def _abroad_screen(self):
        """The help page for people abroad (ui/abroad), when it is installed."""
        if not self.window_.has_screen("abroad_screen"):  # built on first use (issue 14)
            return None
        return self.window_.screen_named("abroad_screen")

    def _on_abroad(self) -> None:
        screen = self._abroad_screen()
        if screen is not None:
            self.window_.show_screen(screen)

    def refresh(self) -> None:
        self.abroad_button.setVisible(self._abroad_screen() is not None)
        self.abroad_text.setVisible(self._abroad_screen() is not None)
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
        for part, heading, lines in paper.phone_script_parts(script, session.person):
            self.phone_sections.addWidget(label(paper.own_line(heading), "factname"))
            if part in (paper.NUMBER, paper.ABROAD):
                # the numbers stand out: they are what you need first
                name = "bd_phone_number" if part == paper.NUMBER else "bd_phone_abroad"
                self.phone_sections.addWidget(label(lines[0], "title", name=name))
                lines = lines[1:]
            if lines:
                self.phone_sections.addWidget(label("\n".join(paper.own_line(t) for t in lines)))
        self.letter_text.setText(
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
