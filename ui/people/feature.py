"""People and mandates in the window (issue 13): whose post is this, and switching.

- **Whose post**: the top bar shows the person's initial in their colour and
  "Post van Sanne" (a button: pressed, it opens the overview); every card has
  the badge (ui/table/card_delegate.py) and every print "Post van Sanne Bos"
  (ui/shell/printing.py asks :meth:`PeopleFeature.print_line`). Shown when the signed-in person (the
  holder) looks after someone else; someone with only their own post sees the
  app as before.
- **Switching** is one action from the table (and from every other screen):
  the top bar's "Post van Sanne" opens the overview (ui/people/overview.py). Not
  a button in the table's bar: at 200 % on a 1280 x 652 window a fifth button
  there made a third row and "Opgeborgen brieven" fell off the window.
  Choosing a person switches the session (desk only), shows their table at
  once and fetches their post in the background; a screen reader hears whose post it is now.
- **Mandate words** (:func:`app.people.mandate_words`): told in the notice row,
  one message at a time, when the person is chosen and at the start (a week
  before the end: the helper, and the person who gave the mandate).
- **"Wie heeft mijn post bekeken?"** (ui/people/log_screen.py): on the help
  screen (not in the table's bar: a fifth button there falls off the window
  at 200 %); for someone who has helpers the start says where it is.
- **A helper hears of new letters too** (MijnOverheid tells only the account
  holder): after a sync the notice row says once "Er is nieuwe post voor
  Sanne." (one message naming everyone), and the overview marks "2 nieuw".
  Only what the service gave: a letter outside the mandate, or after it ended,
  never reaches the desk. Which letters are new is read from the desk's counts
  of unopened letters, compared with the last look when nothing was being
  fetched (``window.tasks.pending() == 0``), so a letter that came is never
  counted away.
- A helper and someone with several people start on the overview
  (:meth:`PeopleFeature.first_screen`, asked by the window when it opens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from app import people
from app.i18n import gettext as _
from app.model import Person
from ui.people.badge import WhoseButton, first_name, whose_post_long
from ui.shell.widgets import button

if TYPE_CHECKING:  # built on first use: their modules load then (issue 14)
    from ui.people.log_screen import AccessLogScreen
    from ui.people.overview import OverviewScreen

OVERVIEW = "overview_screen"
ACCESS_LOG = "access_log_screen"


def _add_screen(window, name: str, make) -> None:
    """Built when first shown where the window builds screens lazily (issue 14)."""
    factory = getattr(window, "add_screen_factory", None)
    if factory is not None:
        factory(name, make)
    else:
        window.add_screen(make())


def _screen(window, name: str):
    named = getattr(window, "screen_named", None)
    if named is not None:
        return named(name)
    return next(s for s in window.screens if s.objectName() == name)


class PeopleFeature(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        session = window.session
        self.holder: Person = session.holder
        _add_screen(window, OVERVIEW, self._make_overview)
        _add_screen(window, ACCESS_LOG, self._make_log_screen)

        # The top bar: whose post, right after "Hulp"; pressed, the overview.
        self.badge = WhoseButton("switch_person")
        self.switch_button = self.badge
        self.badge.clicked.connect(self.show_overview)
        window.top_bar.insertWidget(3, self.badge)
        self.badge.installEventFilter(self)
        window.table_screen.installEventFilter(self)
        self.top_bar_row = window.top_bar.parentWidget()
        if self.top_bar_row is not None:
            self.top_bar_row.installEventFilter(self)

        # Reachable for everyone from the help screen.
        self.help_log_button = button("", name="help_access_log", secondary=True)
        self.help_log_button.clicked.connect(self.show_log)
        when_built = getattr(window, "when_built", None)
        if when_built is not None:
            when_built("help_screen", self._on_help_built)
        #: per person, their unopened letters on the desk at the last look
        self._unread: dict[str, int] = {}
        self.retranslate_ui()
        self.update_whose()
        self._remember_unread()
        self._tell_at_start()

    # -- screens -----------------------------------------------------------------
    def _make_overview(self) -> OverviewScreen:
        from ui.people.overview import OverviewScreen

        screen = OverviewScreen(self.window, self)
        screen.sig_chosen.connect(self.choose)
        return screen

    def _make_log_screen(self) -> AccessLogScreen:
        from ui.people.log_screen import AccessLogScreen

        return AccessLogScreen(self.window)

    @property
    def overview(self) -> OverviewScreen:
        return _screen(self.window, OVERVIEW)

    @property
    def log_screen(self) -> AccessLogScreen:
        return _screen(self.window, ACCESS_LOG)

    def _on_help_built(self, help_screen) -> None:
        help_screen.add_action(self.help_log_button)
        self.retranslate_ui()

    def first_screen(self) -> str | None:
        """The window opens here (ui/shell/main_window.py asks every feature):
        Piet and Monique see everyone at a glance first; one's own post only: the table."""
        return OVERVIEW if self.several() else None

    def show_overview(self) -> None:
        self.window.show_screen(self.overview)

    def show_log(self) -> None:
        self.window.show_screen(self.log_screen)

    # -- who is who -------------------------------------------------------------------
    def represented(self) -> list[people.Represented]:
        return people.represented(self.window.session)

    def several(self) -> bool:
        """Whether the holder looks after anyone besides themself."""
        return len(self.represented()) > 1

    def has_helpers(self) -> bool:
        """Whether someone else may see the post shown now (their own post only)."""
        session = self.window.session
        person = session.person
        if person.id != session.holder.id:
            return False
        return any(grant.person_id == person.id for grant in session.grants_known)

    def handled(self, person_id: str) -> dict[str, int]:
        """Per helper's name: how many letters on this person's table they handle
        (desk only; a put-away letter no longer counts)."""
        desk = self.window.session.desk
        counts: dict[str, int] = {}
        for letter_id, handler in desk.handlers(person_id).items():
            if desk.is_on_table(person_id, letter_id):
                counts[handler.name] = counts.get(handler.name, 0) + 1
        return counts

    def person_rows(self, today):
        """One's own post first, then everyone else by their nearest deadline."""
        from ui.people.overview import person_row

        rows = people.overview(self.window.session, today)
        own = [row for row in rows if row.represented.is_self]
        others = sorted(
            (row for row in rows if not row.represented.is_self),
            key=lambda row: (row.nearest_deadline is None, row.nearest_deadline or today),
        )
        return [person_row(row, today, handled=self.handled(row.person.id)) for row in own + others]

    def letter_rows(self, today):
        from ui.people.overview import letter_row

        desk = self.window.session.desk
        handlers: dict[str, dict[str, str]] = {}
        out = []
        for person, letter in people.all_by_deadline(self.window.session):
            if person.id not in handlers:
                handlers[person.id] = {i: h.name for i, h in desk.handlers(person.id).items()}
            out.append(letter_row(person, letter, today, handlers[person.id].get(letter.id, "")))
        return out

    def print_line(self) -> str:
        """ "Post van Sanne Bos" on every print while the holder looks after others."""
        if not self.several():
            return ""
        return whose_post_long(self.window.session.person)

    def update_whose(self) -> None:
        """The badge in the top bar and on the cards, and the buttons of the table."""
        session = self.window.session
        several = self.several()
        person = session.person if several else None
        self.badge.set_person(person)
        self.badge.setVisible(several)
        self._fit_badge()
        view = self.window.table_screen.view
        view.card_delegate.set_person(person)
        self._update_handlers()
        self._name_table()

    def _update_handlers(self) -> None:
        """Who handles which letter, on the cards of someone else's post (each
        time the table is shown: a note may have been made on a letter)."""
        session = self.window.session
        view = self.window.table_screen.view
        names = {}
        if session.acts_for_someone_else:
            names = {letter_id: h.name for letter_id, h in session.handlers().items()}
        view.card_delegate.set_handlers(names)
        view.viewport().update()

    def _name_table(self) -> None:
        """The list of letters says whose they are (a screen reader reads it on focus)."""
        session = self.window.session
        view = self.window.table_screen.view
        if self.several():
            view.setAccessibleName(
                _("Brieven op tafel van %(name)s") % {"name": session.person.name}
            )

    # -- switching ----------------------------------------------------------------------
    def choose(self, person_id: str, letter_id: str = "") -> None:
        """Show this person's post: their table at once (desk), their new post in
        the background; with ``letter_id`` that letter opens."""
        window = self.window
        session = window.session
        if person_id != session.person.id:
            session.switch_person(person_id)
        self.update_whose()
        window.go_home()
        window.sync()
        self._announce(_("U ziet nu de post van %(name)s.") % {"name": session.person.name})
        item = people.find(session, person_id)
        words = people.mandate_words(item, session.today()) if item is not None else None
        if words:
            window.tell(words)
        if letter_id:
            window.open_letter(letter_id)

    def _announce(self, text: str) -> None:
        # QAccessible (and its enums) when first said, not at start (issue 14)
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        target = self.window.table_screen.view
        event = QAccessibleAnnouncementEvent(target, text)
        QAccessible.updateAccessibility(event)

    def _tell_at_start(self) -> None:
        """A week before a mandate ends: the helper hears it, and so does the person."""
        session = self.window.session
        today = session.today()
        for item in self.represented():
            if item.ends_soon and not item.ended:
                words = people.mandate_words(item, today)
                if words:
                    self.window.tell(words)
        for line in people.person_warnings(session):
            self.window.tell(line)

    # -- new post for the people one looks after -------------------------------------
    def _others(self) -> list[people.Represented]:
        return [item for item in self.represented() if not item.is_self]

    def _unread_now(self) -> dict[str, int]:
        ids = [item.person.id for item in self._others()]
        counts = self.window.session.desk.table_counts(ids) if ids else {}
        return {person_id: counts.get(person_id, (0, 0, None))[1] for person_id in ids}

    def _remember_unread(self) -> None:
        """The unopened letters as they are now, when nothing is being fetched
        (a sync on the worker may be writing new ones to the desk)."""
        if self.window.tasks.pending() == 0:
            self._unread = self._unread_now()

    def after_sync(self) -> None:
        """The window fetched post (ui/shell/main_window.py): say once for whom
        new letters came, and let the overview show them."""
        now = self._unread_now()
        names = [
            first_name(item.person.name)
            for item in self._others()
            if now.get(item.person.id, 0) > self._unread.get(item.person.id, 0)
        ]
        self._unread = now
        if names:
            self.window.tell(new_post_text(names))
        if self.window.is_built(OVERVIEW) and self.window.current_screen() is self.overview:
            self.overview.refresh()

    # -- events ------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.badge and kind in (
            QEvent.Type.LanguageChange,
            QEvent.Type.StyleChange,  # text size, high contrast: the initial's colours
        ):
            self.retranslate_ui()
        elif watched is self.top_bar_row and kind in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutDirectionChange,
        ):
            self._fit_badge()
        elif watched is self.window.table_screen and kind == QEvent.Type.Show:
            self._update_handlers()
            self._remember_unread()  # letters opened meanwhile are no longer new
        return False

    def _fit_badge(self) -> None:
        """The badge takes the room the top bar's other buttons leave."""
        row = self.top_bar_row
        if row is None or self.badge.isHidden():
            return
        layout = self.window.top_bar
        others = [
            w
            for w in row.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w is not self.badge and not w.isHidden()
        ]
        used = sum(w.sizeHint().width() for w in others) + layout.spacing() * (len(others) + 1)
        margins = layout.contentsMargins()
        self.badge.fit_to(row.width() - used - margins.left() - margins.right() - 16)

    def retranslate_ui(self) -> None:
        self.help_log_button.setText(_("Wie heeft mijn post bekeken?"))
        self.badge.retranslate_ui()
        self._fit_badge()
        self._name_table()


def new_post_text(names: list[str]) -> str:
    """ "Er is nieuwe post voor Sanne." / "... voor Wim en Fatima." / "... voor
    Wim, Fatima, Henk en 3 anderen." One message, however many people."""
    if len(names) > 4:
        shown, rest = names[:3], len(names) - 3
        who = _("%(names)s en %(n)d anderen") % {"names": ", ".join(shown), "n": rest}
    elif len(names) > 1:
        who = _("%(names)s en %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    else:
        who = names[0]
    return _("Er is nieuwe post voor %(who)s.") % {"who": who}


def install(window) -> PeopleFeature | None:
    if getattr(window, "visit", None) is not None:  # a guided visit has one person
        return None
    return PeopleFeature(window)


__all__ = ["PeopleFeature", "first_name", "install"]
