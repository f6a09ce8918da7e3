"""Activation explained first: the guide as data, and the plain words around it.

Nothing here changes an account. The rules themselves (only an explicit,
confirmed activation; opt-in ticks; the Belastingdienst fixed by law; paper
after about three weeks) live in the mailbox service. This module holds what
the screens show: the guide's steps, the status in plain words, the summary
before the confirmation, the sentence for each tick change, and kind words for
every refusal. No Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.i18n import N_, is_right_to_left
from app.i18n import gettext as _
from app.mailbox import ActivationOffer, TickChange
from app.model import AccountStatus, Organisation
from app.plain import format_date

#: Put before a line in a right-to-left language: the line is a paragraph of its
#: own, and Qt gives a paragraph the direction of its first letter.
RIGHT_TO_LEFT_MARK = "\u200f"

#: What the person can check on the last screen; the confirm button stays off until then.
UNDERSTAND = N_("Ik begrijp dat ik de Berichtenbox daarna niet meer kan uitzetten.")


@dataclass(frozen=True)
class GuideStep:
    """One idea on one screen. ``kind``: "info", "choose" (the organisations)
    or "confirm" (the summary and the confirmation). Texts are msgids, so they
    are translated when shown."""

    key: str
    kind: str
    title: str
    body: str


GUIDE_STEPS: tuple[GuideStep, ...] = (
    GuideStep(
        "what",
        "info",
        N_("Wat is de Berichtenbox?"),
        N_(
            "De Berichtenbox is een brievenbus op internet. Hij hoort bij MijnOverheid. "
            "Organisaties van de overheid kunnen daar brieven in doen. "
            "Aanzetten is niet verplicht. U mag uw post gewoon op papier houden."
        ),
    ),
    GuideStep(
        "changes",
        "info",
        N_("Wat verandert er?"),
        N_(
            "U kiest zelf welke organisaties u digitale post sturen. "
            "Van die organisaties komt er geen post meer op papier. "
            "Hun brieven komen dan alleen in de Berichtenbox. "
            "Van alle andere organisaties blijft de post op papier komen."
        ),
    ),
    GuideStep(
        "belastingdienst",
        "info",
        N_("De Belastingdienst stuurt altijd digitaal"),
        N_(
            "Staat de Berichtenbox aan? Dan stuurt de Belastingdienst zijn post daar naartoe. "
            "Dat staat in de wet. U kunt dat niet uitzetten in de app. "
            "Wilt u toch post op papier van de Belastingdienst? "
            "Bel dan %(phone)s. Vraag om uw post op papier."
        ),
    ),
    GuideStep(
        "look",
        "info",
        N_("U moet zelf regelmatig kijken"),
        N_(
            "Een brief in de Berichtenbox komt niet door uw brievenbus. "
            "U moet dus zelf kijken of er post is. Doe dat minstens één keer per week. "
            "Brieventafel helpt u daarbij. Een brief blijft op tafel liggen tot u hem opbergt."
        ),
    ),
    GuideStep(
        "final",
        "info",
        N_("Aanzetten kunt u niet terugdraaien"),
        N_(
            "Staat de Berichtenbox aan? Dan kunt u hem niet meer uitzetten. "
            "Dat staat in de regels van de overheid. "
            "Wel kunt u per organisatie weer post op papier vragen. "
            "Die post komt dan na ongeveer drie weken weer op papier."
        ),
    ),
    GuideStep(
        "choose",
        "choose",
        N_("Welke organisaties kiest u?"),
        N_(
            "Kies alleen wat u zelf wilt. U mag ook niets kiezen. "
            "Dan stuurt alleen de Belastingdienst u digitale post. "
            "U kunt dit later altijd nog veranderen."
        ),
    ),
    GuideStep(
        "confirm",
        "confirm",
        N_("Dit gaat er gebeuren"),
        N_(
            "Lees rustig wat er gaat gebeuren. U kunt dit ook printen. "
            "Er verandert pas iets als u op 'Ja, zet mijn Berichtenbox aan' drukt."
        ),
    ),
)


def helpdesk_phone(organisations: Iterable[Organisation]) -> str:
    """The number to phone for paper from the organisation fixed by law."""
    for org in organisations:
        if org.fixed_by_law:
            route = org.paper_route or {}
            return str(route.get("phone") or org.phone or "")
    return ""


def step_texts(step: GuideStep, organisations: Iterable[Organisation]) -> tuple[str, str]:
    """The step's title and body in the current language, numbers filled in."""
    body = _(step.body)
    if "%(phone)s" in step.body:
        body = body % {"phone": helpdesk_phone(organisations) or _("de Belastingdienst")}
    return _(step.title), body


def short_date(day: date, today: date) -> str:
    """'19 december'; with the year when it is not this year."""
    return format_date(day, "d MMMM" if day.year == today.year else "long")


def bullet(name: str) -> str:
    """One line of a list: '  \u2022 RDW'."""
    return f"  \u2022 {name}"


def in_reading_direction(lines: Iterable[str]) -> list[str]:
    """Each line in the interface's direction. In Arabic a line that starts with a
    Dutch name ('  \u2022 Belastingdienst') would run left to right, the bullet on
    the left; the mark makes it run right to left, the name inside still reads
    left to right. In other languages the lines stay as they are."""
    if not is_right_to_left():
        return list(lines)
    mark = RIGHT_TO_LEFT_MARK
    return [line if line.startswith(mark) else mark + line for line in lines]


def names(org_ids: Iterable[str], organisations: Iterable[Organisation]) -> list[str]:
    by_id = {o.id: o for o in organisations}
    return [by_id[i].name if i in by_id else i for i in org_ids]


@dataclass(frozen=True)
class StatusSummary:
    """The answer to "Staat mijn Berichtenbox aan?" in plain words."""

    active: bool
    headline: str
    lines: list[str]
    digital: list[str]  # names of the organisations that send digitally now


def status_summary(
    status: AccountStatus, organisations: list[Organisation], history: list[TickChange], today: date
) -> StatusSummary:
    if not status.active:
        return StatusSummary(
            False,
            _("Nee. Uw Berichtenbox staat niet aan."),
            # Not "al uw post op papier": the Belastingdienst may send digitally
            # whatever the account's status (Wet elektronisch bestuurlijk verkeer).
            [
                _("U krijgt bijna al uw post op papier."),
                _("De Belastingdienst kan sommige brieven toch digitaal sturen."),
                _("Dat mag volgens de wet."),
                _("Die brieven komen hier op tafel."),
                _("Voor uw post op papier hoeft u niets te doen."),
            ],
            [],
        )
    since = (
        _("Ja. Uw Berichtenbox staat aan sinds %(date)s.")
        % {"date": format_date(status.activated_on)}
        if status.activated_on
        else _("Ja. Uw Berichtenbox staat aan.")
    )
    digital = [o.name for o in organisations if o.id in status.ticked]
    lines = [_("Deze organisaties sturen u digitale post:")] if digital else []
    lines.append(_("Van alle andere organisaties krijgt u post op papier."))
    by_id = {o.id: o for o in organisations}
    latest: dict[str, TickChange] = {}
    for change in history:
        latest[change.org_id] = change
    for change in latest.values():
        if not change.ticked and change.effective_on > today and change.org_id in by_id:
            lines.append(change_sentence(change, by_id[change.org_id], today))
    return StatusSummary(True, since, lines, digital)


def change_sentence(change: TickChange, org: Organisation, today: date) -> str:
    """When a tick change takes effect, in one or two short sentences."""
    if not change.changed:
        return _("Dit stond al zo. Er is niets veranderd.")
    if change.ticked:
        if change.effective_on <= today:
            return _("Vanaf vandaag krijgt u post van %(org)s digitaal, in de Berichtenbox.") % {
                "org": org.name
            }
        return _("Vanaf %(date)s krijgt u post van %(org)s digitaal.") % {
            "date": short_date(change.effective_on, today),
            "org": org.name,
        }
    return _(
        "Vanaf ongeveer %(date)s krijgt u post van %(org)s weer op papier. "
        "Tot die dag komt de post nog in de Berichtenbox."
    ) % {"date": short_date(change.effective_on, today), "org": org.name}


def summary_lines(offer: ActivationOffer, organisations: list[Organisation]) -> list[str]:
    """Exactly what activating with this offer will do, one sentence a line."""
    lines = [_("Uw Berichtenbox gaat aan. Dat kunt u niet meer terugdraaien.")]
    chosen = names(offer.org_ids, organisations)
    if chosen:
        lines.append(_("Deze organisaties sturen u vanaf vandaag digitale post:"))
        lines += [bullet(name) for name in chosen]
    else:
        lines.append(_("U kiest geen andere organisaties."))
    for name in names(offer.by_law, organisations):
        lines.append(
            _("Post van %(org)s komt altijd digitaal. Dat staat in de wet.") % {"org": name}
        )
    paper = names(offer.paper_ids, organisations)
    if paper:
        lines.append(_("Van deze organisaties blijft de post op papier komen:"))
        lines += [bullet(name) for name in paper]
    lines.append(_("U moet zelf regelmatig kijken of er post is."))
    lines.append(
        _("Wilt u later toch papier? Dat kan per organisatie. Het duurt dan ongeveer drie weken.")
    )
    return in_reading_direction(lines)
