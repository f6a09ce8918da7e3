"""Post on paper again: the review, the status, and the Belastingdienst route.

No widgets here. The screens in ``ui/paper/`` show what these functions
return. The rules (unticking, recording each request) live in the mailbox
service: ``Mailbox.request_paper_all`` and friends.

Two kinds of organisation:

* ordinary organisations: unticking brings post on paper after about three
  weeks (the service decides the day; ``Mailbox.paper_offer`` tells it);
* the Belastingdienst: ticked by law, it cannot be unticked. The person asks
  its Helpdesk Digitale Post, by phone or by letter. We prepare both: a phone
  script and a letter with the person's details filled in.

The letter to the Belastingdienst is always in Dutch, whatever language the
app shows: it goes to a Dutch office. Its strings are marked with ``N_`` so
they are extracted, but on purpose not translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.i18n import N_, ngettext
from app.i18n import gettext as _
from app.mailbox import PAPER_ROUTE_HELPDESK, Mailbox, PaperRequest
from app.model import AccountStatus, Organisation, Person
from app.plain import format_date


# -- what the service says: read once, in the background -------------------------
@dataclass(frozen=True)
class PaperFacts:
    """Everything the paper screens show, as the service told it at one moment.

    :func:`facts` is the only function here that asks the mailbox (call it in
    the background); every other function works on these facts, so a
    language switch redraws the screens without asking again.
    """

    status: AccountStatus
    organisations: tuple[Organisation, ...]
    requests: tuple[PaperRequest, ...]
    #: what request_paper_all would do now (empty for a dormant account)
    offer: tuple[PaperRequest, ...] = ()

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)

    def belastingdienst(self) -> Organisation | None:
        return next((o for o in self.organisations if o.fixed_by_law), None)

    def request(self, org_id: str) -> PaperRequest | None:
        return next((r for r in self.requests if r.org_id == org_id), None)


def facts(mailbox: Mailbox, person_id: str) -> PaperFacts:
    status = mailbox.account_status(person_id)
    return PaperFacts(
        status,
        tuple(mailbox.organisations()),
        tuple(mailbox.paper_requests(person_id)),
        tuple(mailbox.paper_offer(person_id)) if status.active else (),
    )


# -- the review: what will change ------------------------------------------------
@dataclass(frozen=True)
class ReviewItem:
    org: Organisation
    #: about when post comes on paper (None: the organisation decides)
    paper_from: date | None = None
    #: the request that already stands (a repeated press), or None
    request: PaperRequest | None = None


@dataclass(frozen=True)
class PaperReview:
    """What pressing "Ik wil mijn post op papier" would do. Building it changes nothing."""

    active: bool
    to_untick: tuple[ReviewItem, ...] = ()
    asked: tuple[ReviewItem, ...] = ()
    helpdesk: tuple[ReviewItem, ...] = ()

    @property
    def nothing_new(self) -> bool:
        """True when every request already stands: show the status instead."""
        return not self.to_untick and all(item.request is not None for item in self.helpdesk)


def make_review(known: PaperFacts) -> PaperReview:
    """What pressing the button would do, as the service tells it. Changes nothing."""
    if not known.status.active:
        return PaperReview(active=False)
    offer = {r.org_id: r for r in known.offer}
    to_untick, asked, helpdesk = [], [], []
    for org in known.organisations:
        request = offer.get(org.id)
        if request is None:
            continue  # already on paper: nothing to ask
        standing = None if request.new else request
        if org.fixed_by_law:
            helpdesk.append(ReviewItem(org, request.paper_from if standing else None, standing))
        elif standing is not None:
            asked.append(ReviewItem(org, request.paper_from, standing))
        else:
            to_untick.append(ReviewItem(org, request.paper_from))
    return PaperReview(True, tuple(to_untick), tuple(asked), tuple(helpdesk))


def review_intro(review: PaperReview) -> str:
    if not review.active:
        return _(
            "Uw Berichtenbox staat niet aan. Uw post komt dus al op papier. "
            "U hoeft niets te veranderen."
        )
    if not review.to_untick:
        return _(
            "Geen enkele organisatie stuurt u nog digitaal post. "
            "Dat hoeft u dus niet te veranderen."
        )
    n = len(review.to_untick)
    return ngettext(
        "Deze organisatie stuurt uw post nu digitaal. "
        "Na uw bevestiging stuurt zij weer brieven op papier:",
        "Deze %(n)d organisaties sturen uw post nu digitaal. "
        "Na uw bevestiging sturen zij weer brieven op papier:",
        n,
    ) % {"n": n}


def untick_line(item: ReviewItem) -> str:
    return _("%(org)s: op papier vanaf ongeveer %(date)s.") % {
        "org": item.org.name,
        "date": format_date(item.paper_from),
    }


def asked_line(item: ReviewItem) -> str:
    assert item.request is not None
    return _("%(org)s: al gevraagd op %(asked)s.") % {
        "org": item.org.name,
        "asked": format_date(item.request.requested_on),
    }


def helpdesk_text(item: ReviewItem) -> str:
    """The Belastingdienst needs its own request, and how we help with it."""
    if item.request is not None:
        return _(
            "%(org)s: u heeft dit al klaargezet op %(date)s. "
            "U vindt het belscript en de brief bij 'Wanneer komt mijn post weer op papier?'."
        ) % {"org": item.org.name, "date": format_date(item.request.requested_on)}
    return _(
        "De %(org)s moet u apart vragen. Dat staat zo in de wet. "
        "Brieventafel helpt u daarbij. U kunt bellen of een brief sturen. "
        "Wij schrijven voor u op wat u aan de telefoon zegt. "
        "En wij maken de brief klaar. U hoeft hem alleen te printen, "
        "te ondertekenen en op te sturen."
    ) % {"org": item.org.name}


def unchanged_text() -> str:
    return _(
        "Verder verandert er niets. Uw brieven blijven op tafel liggen. "
        "Uw Berichtenbox blijft bestaan. Brieven die al in de Berichtenbox staan, blijven daar."
    )


# -- the status: when does my post come on paper? ----------------------------------
@dataclass(frozen=True)
class StatusRow:
    org_id: str
    org_name: str
    asked: str  # "Gevraagd op ..." or "Nog niet gevraagd."
    paper_from: str  # "Op papier vanaf ongeveer ..."
    state: str  # "Klaar." / "Nog niet klaar." / what the person still has to do
    done: bool
    #: the Belastingdienst route: the person phones or posts
    helpdesk: bool = False
    request: PaperRequest | None = None


def _row(org: Organisation, request: PaperRequest | None) -> StatusRow:
    helpdesk = org.fixed_by_law
    if request is None:
        return StatusRow(
            org.id,
            org.name,
            _("Nog niet gevraagd."),
            _("Op papier: nog niet."),
            _("Druk op 'Ik wil mijn post op papier' om het te vragen."),
            False,
            helpdesk,
            None,
        )
    if request.route == PAPER_ROUTE_HELPDESK:
        if request.state == "prepared":
            return StatusRow(
                org.id,
                org.name,
                _("Klaargezet op %(date)s.") % {"date": format_date(request.requested_on)},
                _("Op papier: dat bepaalt de %(org)s.") % {"org": org.name},
                _("U moet nog bellen of de brief sturen."),
                False,
                True,
                request,
            )
        if request.state == "sent":
            return StatusRow(
                org.id,
                org.name,
                _("Gevraagd op %(date)s.") % {"date": format_date(request.requested_on)},
                _("Op papier: dat bepaalt de %(org)s.") % {"org": org.name},
                _("Nog niet klaar. Krijgt u weer papier? Zet het dan hier op klaar."),
                False,
                True,
                request,
            )
        return StatusRow(
            org.id,
            org.name,
            _("Gevraagd op %(date)s.") % {"date": format_date(request.requested_on)},
            _("Op papier sinds %(date)s.")
            % {"date": format_date(request.done_on or request.requested_on)},
            _("Klaar."),
            True,
            True,
            request,
        )
    asked = _("Gevraagd op %(date)s.") % {"date": format_date(request.requested_on)}
    if request.state == "done":
        return StatusRow(
            org.id,
            org.name,
            asked,
            _("Op papier sinds %(date)s.")
            % {"date": format_date(request.done_on or request.paper_from)},
            _("Klaar."),
            True,
            False,
            request,
        )
    return StatusRow(
        org.id,
        org.name,
        asked,
        _("Op papier vanaf ongeveer %(date)s.") % {"date": format_date(request.paper_from)},
        _("Nog niet klaar. U hoeft niets meer te doen."),
        False,
        False,
        request,
    )


def status_rows(known: PaperFacts) -> list[StatusRow]:
    """One row per organisation that was asked or still sends digitally; a
    Belastingdienst request the person still has to phone or post comes first.

    It tells the truth after a failure halfway: what was asked shows its dates,
    what was not shows "Nog niet gevraagd". Reading changes nothing.
    """
    status = known.status
    requests = {r.org_id: r for r in known.requests}
    rows = []
    for org in sorted(known.organisations, key=lambda o: o.fixed_by_law):
        request = requests.get(org.id)
        if request is None and (not status.active or org.id not in status.ticked):
            continue
        rows.append(_row(org, request))
    # What the person still has to do (phone or post) comes first.
    rows.sort(key=lambda r: not (r.helpdesk and r.request is not None and not r.done))
    return rows


def any_open(rows: list[StatusRow]) -> bool:
    """True while some organisation was asked but is not on paper yet."""
    return any(row.request is not None and not row.done for row in rows)


def status_summary(rows: list[StatusRow]) -> str:
    if not rows:
        return _("U heeft nog geen post op papier gevraagd.")
    done = sum(1 for r in rows if r.done)
    if done == len(rows):
        return _("Klaar. Al uw post komt weer op papier.")
    waiting = [
        r for r in rows if r.helpdesk and r.request is not None and r.request.state == "prepared"
    ]
    todo = " ".join(
        _("U moet de %(org)s nog bellen of de brief sturen.") % {"org": r.org_name} for r in waiting
    )
    return " ".join(filter(None, (_status_count(rows, done), todo)))


def _status_count(rows: list[StatusRow], done: int) -> str:
    missing = sum(1 for r in rows if r.request is None)
    if missing:
        return ngettext(
            "%(n)d organisatie is nog niet gevraagd. "
            "Druk nog eens op 'Ik wil mijn post op papier'. Dan doen wij de rest.",
            "%(n)d organisaties zijn nog niet gevraagd. "
            "Druk nog eens op 'Ik wil mijn post op papier'. Dan doen wij de rest.",
            missing,
        ) % {"n": missing}
    if done == 0:
        return _("Er is nog niets klaar. Dit scherm blijft tot al uw post op papier komt.")
    return ngettext(
        "%(done)d van de %(n)d is klaar. Dit scherm blijft tot alles op papier komt.",
        "%(done)d van de %(n)d zijn klaar. Dit scherm blijft tot alles op papier komt.",
        done,
    ) % {"done": done, "n": len(rows)}


# -- the Belastingdienst route -------------------------------------------------------
def _as_lines(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [line for line in value.split("\n") if line.strip()]
    return [str(v) for v in value]


@dataclass(frozen=True)
class PhoneScript:
    org_name: str
    phone: str
    hours: str
    what_to_say: list[str]
    have_at_hand: list[str]


def phone_script(org: Organisation) -> PhoneScript:
    """What to say when phoning, from the organisation data (one place, easy to correct)."""
    route = org.paper_route or {}
    return PhoneScript(
        org.name,
        route.get("phone") or org.phone,
        route.get("hours") or route.get("phone_hours") or org.phone_hours,
        _as_lines(route.get("what_to_say")),
        _as_lines(route.get("have_at_hand")),
    )


def person_facts(person: Person) -> list[str]:
    """The details asked for on the phone and in the letter, in the shown language."""
    facts = [_("Naam: %(name)s") % {"name": person.name}]
    if person.bsn:
        facts.append(_("BSN: %(bsn)s") % {"bsn": person.bsn})
    if person.birth_date:
        facts.append(_("Geboortedatum: %(date)s") % {"date": format_date(person.birth_date)})
    if person.address:
        facts.append(_("Adres: %(address)s") % {"address": ", ".join(person.address)})
    return facts


def phone_script_sections(script: PhoneScript, person: Person) -> list[tuple[str, list[str]]]:
    """The phone script as (heading, lines): number, hours, what to have at hand,
    the person's details, what to say."""
    sections = [(_("Bel dit nummer:"), [script.phone])]
    if script.hours:
        sections.append((_("Wanneer kunt u bellen?"), [script.hours]))
    if script.have_at_hand:
        sections.append((_("Leg dit klaar voordat u belt:"), list(script.have_at_hand)))
    sections.append((_("Uw gegevens:"), person_facts(person)))
    if script.what_to_say:
        sections.append(
            (_("Dit kunt u zeggen:"), [f"\u201c{line}\u201d" for line in script.what_to_say])
        )
    return sections


def phone_script_lines(script: PhoneScript, person: Person) -> list[str]:
    lines = []
    for heading, items in phone_script_sections(script, person):
        lines.append(heading)
        lines += [f"- {item}" for item in items]
    return lines


# The letter itself: Dutch on purpose (see the module docstring).
LETTER_SUBJECT = N_("Onderwerp: verzoek om post op papier")
LETTER_SALUTATION = N_("Geachte heer, mevrouw,")
LETTER_REQUEST = N_(
    "Ik wil de post van de Belastingdienst op papier krijgen. "
    "Ik wil deze post niet meer digitaal krijgen in de Berichtenbox van MijnOverheid. "
    "Wilt u mijn post voortaan op papier naar mijn adres sturen?"
)
LETTER_DETAILS = N_("Mijn gegevens:")
LETTER_THANKS = N_("Wilt u mij laten weten dat u dit heeft geregeld? Dank u wel.")
LETTER_CLOSING = N_("Met vriendelijke groet,")
LETTER_SIGN = N_("Handtekening:")
LETTER_DATE = N_("Datum: %(date)s")
LETTER_NAME = N_("Naam: %(name)s")
LETTER_BSN = N_("BSN: %(bsn)s")
LETTER_BIRTH = N_("Geboortedatum: %(date)s")
LETTER_ADDRESS = N_("Adres: %(address)s")


def letter_address(org: Organisation) -> list[str]:
    """Where the letter goes, from the organisation data."""
    route = org.paper_route or {}
    lines = _as_lines(route.get("letter_address")) or list(org.postal_address)
    return lines if lines and lines[0] == org.full_name else [org.full_name, *lines]


def belastingdienst_letter(org: Organisation, person: Person, today: date) -> list[str]:
    """The ready letter, as lines: sender, address, date, request, details, signature."""
    from babel.dates import format_date as babel_format_date

    def dutch_date(day: date) -> str:
        return babel_format_date(day, format="long", locale="nl_NL")

    lines = [person.name, *person.address, ""]
    lines += letter_address(org)
    lines += [
        "",
        LETTER_DATE % {"date": dutch_date(today)},
        "",
        LETTER_SUBJECT,
        "",
        LETTER_SALUTATION,
        "",
        LETTER_REQUEST,
        "",
        LETTER_DETAILS,
        LETTER_NAME % {"name": person.name},
    ]
    if person.bsn:
        lines.append(LETTER_BSN % {"bsn": person.bsn})
    if person.birth_date:
        lines.append(LETTER_BIRTH % {"date": dutch_date(person.birth_date)})
    if person.address:
        lines.append(LETTER_ADDRESS % {"address": ", ".join(person.address)})
    lines += [
        "",
        LETTER_THANKS,
        "",
        LETTER_CLOSING,
        "",
        "",
        LETTER_SIGN + " ____________________",
        "",
        person.name,
    ]
    return lines


def letter_steps() -> str:
    return _(
        "Print de brief. Zet uw handtekening onder de brief. "
        "Doe hem in een envelop met een postzegel. Stuur hem naar het adres in de brief."
    )
