"""The visitor's handout in words: what a finished script did, what is left to do,
where to get help. Reads the mailbox; changes nothing. The print layout is
``ui/guided/handout.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.guided.scripts import Script
from app.i18n import gettext as _
from app.i18n import is_right_to_left
from app.mailbox import MailboxError

RIGHT_TO_LEFT_MARK = "\u200f"


def own_line(text: str) -> str:
    """A line in the interface's direction. Qt (and the PDF) give each line the
    direction of its first letter: in Arabic "\u2022 Belastingdienst: ..." would run
    left to right, the bullet on the left. The mark makes it run right to left
    (as app/paper.py does for the status lines); other languages stay as they are."""
    if not text or not is_right_to_left() or text.startswith(RIGHT_TO_LEFT_MARK):
        return text
    return RIGHT_TO_LEFT_MARK + text


def bullet(text: str) -> str:
    """One bullet line of the guide or the handout, in the interface's direction."""
    return own_line("\u2022 " + text)


@dataclass(frozen=True)
class TodoItem:
    text: str
    by: date | None = None


@dataclass
class ScriptResult:
    """What one finished script puts on the handout, already in words."""

    script_id: str
    title: str
    done: list[str] = field(default_factory=list)
    todo: list[TodoItem] = field(default_factory=list)
    help: list[str] = field(default_factory=list)


def script_result(script: Script, session, revealed: list) -> ScriptResult:
    """The handout part of a finished script. Reads the mailbox; changes nothing.

    ``revealed``: the letters the visitor chose to show ("Laat zien"). Only
    those can appear on the handout.
    """
    from app.plain import format_date

    result = ScriptResult(script.id, _(script.title))
    if script.done:
        result.done.append(_(script.done))
    mailbox = session.mailbox
    person = session.person
    if "account_status" in script.facts:
        status = mailbox.account_status(person.id)
        if status.active:
            since = (
                _(" Sinds %(date)s.") % {"date": format_date(status.activated_on)}
                if status.activated_on
                else ""
            )
            result.done.append(_("Uw Berichtenbox staat aan.") + since)
        else:
            result.done.append(_("Uw Berichtenbox staat uit. Er is niets veranderd."))
    if "notifications" in script.facts:
        status = mailbox.account_status(person.id)
        if status.email:
            result.done.append(
                _("Uw e-mailadres bij MijnOverheid is %(email)s.") % {"email": status.email}
            )
        else:
            result.todo.append(
                TodoItem(_("Zet een e-mailadres in MijnOverheid. Dan hoort u het als er post is."))
            )
        if status.repeat_reminder:
            result.done.append(_("De herinnering staat aan."))
        else:
            result.todo.append(TodoItem(_("Wilt u een herinnering? Zet die aan op MijnOverheid.")))
    if "paper" in script.facts:
        for request in mailbox.paper_requests(person.id):
            org = _organisation_name(mailbox, request.org_id)
            if request.route == "helpdesk" and request.state in ("asked", "prepared"):
                phone = _helpdesk_phone(mailbox, request.org_id)
                result.todo.append(
                    TodoItem(
                        _("Bel %(org)s: %(phone)s. Vraag om uw post op papier.")
                        % {"org": org, "phone": phone}
                    )
                )
            elif request.paper_from is not None:
                result.done.append(
                    _("Post van %(org)s komt weer op papier. Dat is vanaf %(date)s.")
                    % {"org": org, "date": format_date(request.paper_from)}
                )
        if not any(t.text.startswith(_("Bel")) for t in result.todo):
            for org in mailbox.organisations():
                if org.fixed_by_law:
                    result.todo.append(
                        TodoItem(
                            _("Wilt u ook post van %(org)s op papier? Bel dan %(phone)s.")
                            % {"org": org.name, "phone": _helpdesk_phone(mailbox, org.id)}
                        )
                    )
    if "letters" in script.facts:
        for letter in revealed:
            result.done.append(
                _("We hebben samen de brief van %(sender)s gelezen.") % {"sender": letter.sender}
            )
            if letter.what_to_do:
                result.todo.append(
                    TodoItem(f"{letter.sender}: {letter.what_to_do}", letter.deadline)
                )
    result.todo.extend(TodoItem(_(text)) for text in script.todo)
    result.help.extend(_(text) for text in script.help)
    return result


def _organisation_name(mailbox, org_id: str) -> str:
    try:
        return mailbox.organisation(org_id).name
    except MailboxError:  # an unknown organisation still gets a line
        return org_id


def _helpdesk_phone(mailbox, org_id: str) -> str:
    try:
        org = mailbox.organisation(org_id)
    except MailboxError:
        return ""
    route = org.paper_route or {}
    return route.get("phone") or org.phone


@dataclass
class Handout:
    training: bool
    results: list[ScriptResult]
    help: list[str]

    def todo(self) -> list[TodoItem]:
        """Everything still to do, the earliest deadline first, undated last."""
        items = [item for r in self.results for item in r.todo]
        return sorted(items, key=lambda t: (t.by is None, t.by or date.max))


def build_handout(
    results: list[ScriptResult], *, training: bool, help_texts: tuple[str, ...] = ()
) -> Handout:
    texts = [_(t) for t in help_texts] + [t for r in results for t in r.help]
    return Handout(training, list(results), list(dict.fromkeys(texts)))
