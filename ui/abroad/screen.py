"""Woont u in het buitenland? The routes that exist, in plain words.

For Christina (PEOPLE.md): she lives in Spain and has no DigiD any more. The
page tells, one route per box, what she can do: DigiD from abroad, a European
login (eIDAS) where the organisation supports it, post on paper, and the
numbers that can be dialled from abroad (organisations.json, each with its
source). The facts are the ones of the guided script "Wonen in het buitenland"
(resources/guided/scripts.json), kept general on purpose.

Reachable from the help screen of every screen ("Hulp", then "Woont u in het
buitenland?") and from the Belastingdienst page. Not a button on the table:
the table's row is already full (open, folders, status, paper), and a sixth
button there would push Kees's one button aside. Reading changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from app.i18n import gettext as _
from app.model import Organisation
from ui.shell.features import later
from ui.shell.widgets import Screen, box, button, label

if TYPE_CHECKING:
    from app import paper
else:  # loaded when the page is first built, not at start (issue 14)
    paper = later("app.paper")


class AbroadScreen(Screen):
    def __init__(self, window, parent=None):
        super().__init__(window, parent)
        self.organisations: list[Organisation] | None = None  # as the mailbox said
        #: the way here on the help screen (set by AbroadFeature); its text is ours
        self.help_button: QPushButton | None = None
        self.heading = label(role="title", name="abroad_title")
        self.intro = label(role="summary", name="abroad_intro")
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        self.parts: list[tuple[QLabel, QLabel]] = []
        for name in ("digid", "eidas", "paper", "phone"):
            frame = box()
            frame.setObjectName(f"abroad_{name}")
            inner = QVBoxLayout(frame)
            title = label(role="factname", name=f"abroad_{name}_title")
            text = label(name=f"abroad_{name}_text")
            inner.addWidget(title)
            inner.addWidget(text)
            self.layout_.addWidget(frame)
            self.parts.append((title, text))
        self.layout_.addStretch(1)
        self.paper_button = button("", name="abroad_paper", secondary=True)
        self.back_button = button("", name="abroad_back", secondary=True)
        self.add_action(self.paper_button)
        self.add_action(self.back_button, at_end=True)
        self.paper_button.clicked.connect(self._on_paper)
        self.back_button.clicked.connect(lambda: self.window_.go_back())
        self.retranslate_ui()

    def title(self) -> str:
        return _("Woont u in het buitenland?")

    def help_text(self) -> str:
        return _(
            "Hier leest u hoe u vanuit het buitenland uw post van de overheid krijgt. "
            "Er staan vier manieren. Kies wat bij u past. Lezen verandert niets."
        )

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.setAccessibleName(self.title())
        self.intro.setText(
            _(
                "Ook in het buitenland kunt u uw post van de overheid krijgen. "
                "Dat kan op vier manieren. Kies wat bij u past."
            )
        )
        texts = [
            (
                _("1. Inloggen met DigiD"),
                [
                    _("Heeft u DigiD? Dan kunt u ook in het buitenland inloggen."),
                    _(
                        "Heeft u geen DigiD meer? U kunt DigiD ook vanuit het buitenland "
                        "aanvragen. Dat doet u op digid.nl."
                    ),
                    _(
                        "Daarna krijgt u een activeringscode. Die komt met de post naar uw adres. "
                        "Dat duurt een paar weken."
                    ),
                    _(
                        "U kunt de code soms ook ophalen bij een DigiD-balie. "
                        "Die is er bij een aantal gemeenten en ambassades. "
                        "Maak daarvoor eerst een afspraak."
                    ),
                ],
            ),
            (
                _("2. Inloggen met een inlogmiddel uit een ander EU-land"),
                [
                    _(
                        "Heeft u een inlogmiddel uit een ander land van de Europese Unie? "
                        "Dan kunt u daarmee soms inloggen."
                    ),
                    _("Dit heet eIDAS. Het werkt nog niet bij alle organisaties."),
                    _(
                        "Ziet u bij het inloggen een keuze voor een Europees inlogmiddel? "
                        "Dan kan het bij die organisatie."
                    ),
                ],
            ),
            (
                _("3. Post op papier"),
                [
                    _("U kunt ook post op papier vragen. Die komt dan naar uw adres."),
                    _("Daarvoor is de knop 'Ik wil mijn post op papier'."),
                    _(
                        "Woont u niet in Nederland? Dan hoeft u geen digitale post "
                        "van de Belastingdienst. Vraag de Belastingdienst om post op papier."
                    ),
                ],
            ),
            (_("4. Bellen vanuit het buitenland"), self._phone_lines()),
        ]
        for (title, text), (heading, lines) in zip(self.parts, texts, strict=True):
            title.setText(paper.own_line(heading))
            text.setText("\n".join(paper.own_line(line) for line in lines))
        self.paper_button.setText(_("Ik wil mijn post op papier"))
        self.back_button.setText(_("Terug"))
        if self.help_button is not None:
            self.help_button.setText(self.title())

    def _phone_lines(self) -> list[str]:
        lines = []
        for org in self.organisations or []:
            if org.phone_abroad:
                lines.append(
                    _("%(org)s: %(phone)s. Dit nummer is niet gratis.")
                    % {"org": org.name, "phone": paper.number(org.phone_abroad)}
                )
        lines += [
            _("Een nummer dat begint met 0800, 0900 of 14 werkt niet vanuit het buitenland."),
            _(
                "Een ander nummer wel. Bel dan eerst +31 en laat de eerste 0 weg. "
                "Dus 058 233 88 88 wordt +31 58 233 88 88."
            ),
        ]
        return lines

    def refresh(self) -> None:
        mailbox = self.session.mailbox

        def known(organisations: list[Organisation]) -> None:
            self.organisations = organisations
            self.retranslate_ui()

        self.run(mailbox.organisations, known, label="abroad_organisations")

    def first_focus(self):
        # Reading is the point here: the focus is on the safe way back, in sight.
        return self.back_button

    def _on_paper(self) -> None:
        from ui.paper.feature import PaperFeature

        feature = self.window_.features.find(PaperFeature)
        if feature is not None:
            feature.on_paper_pressed()  # the review first: nothing changes before the confirm


class AbroadFeature(QObject):
    """The page (built when first shown), and its button on the help screen (put
    there when the help screen is built)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.add_screen_factory("abroad_screen", lambda: AbroadScreen(window))
        self.help_button = button("", name="help_abroad", secondary=True)
        self.help_button.clicked.connect(lambda: window.show_screen("abroad_screen"))
        self.help_button.installEventFilter(self)
        self.retranslate_ui()
        window.when_built("help_screen", self._on_help_built)

    def _on_help_built(self, help_screen) -> None:
        help_screen.add_action(self.help_button)
        self.retranslate_ui()  # in the language of now

    @property
    def screen(self) -> AbroadScreen:
        return self.window.screen_named("abroad_screen")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.help_button and event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return False

    def retranslate_ui(self) -> None:
        self.help_button.setText(_("Woont u in het buitenland?"))


def install(window) -> AbroadFeature:
    return AbroadFeature(window)
