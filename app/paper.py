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
they are extracted, but on purpose not translated. The lines the person says
on the phone (``PHONE_SAY``) are Dutch too, for the same reason, and in another
language each comes with what it means. Everything else (hours, the checklist)
is in the chosen language: the organisation data holds only facts (numbers,
hours as data, addresses, each number's source), never sentences.

In Arabic every line that may start with a Latin name gets the right-to-left
mark (:func:`own_line`, :func:`bullet`) and phone numbers are isolated left to
right (:func:`number`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.i18n import N_, is_right_to_left, ngettext
from app.i18n import gettext as _
from app.i18n import language as i18n_language
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
    return own_line(
        _("%(org)s: op papier vanaf ongeveer %(date)s.")
        % {"org": item.org.name, "date": format_date(item.paper_from)}
    )


def asked_line(item: ReviewItem) -> str:
    assert item.request is not None
    return own_line(
        _("%(org)s: al gevraagd op %(asked)s.")
        % {"org": item.org.name, "asked": format_date(item.request.requested_on)}
    )


def helpdesk_text(item: ReviewItem) -> str:
    """The Belastingdienst needs its own request, and how we help with it."""
    if item.request is not None:
        return own_line(
            _(
                "%(org)s: u heeft dit al klaargezet op %(date)s. "
                "U vindt het belscript en de brief bij 'Wanneer komt mijn post weer op papier?'."
            )
            % {"org": item.org.name, "date": format_date(item.request.requested_on)}
        )
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


# What the person says on the phone. Dutch on purpose: the Belastingdienst's
# helpdesk speaks Dutch. In another language each line is shown with what it
# means (its translation), so the person knows what they say.
PHONE_SAY = (
    N_("Goedendag. Ik bel over mijn post van de Belastingdienst."),
    N_("Ik wil mijn brieven van de Belastingdienst weer op papier krijgen."),
    N_("Ik kijk niet in de Berichtenbox van MijnOverheid. Daardoor mis ik brieven."),
    N_("Wilt u vastleggen dat ik alle post van de Belastingdienst op papier krijg?"),
    N_("Vanaf wanneer krijg ik de brieven weer op papier?"),
    N_("Mag ik uw naam? Dan schrijf ik op met wie ik heb gesproken."),
)
# What to have at hand: the app's own checklist, in the chosen language.
PHONE_HAVE_AT_HAND = (
    N_("Uw burgerservicenummer (BSN)"),
    N_("Uw naam, adres en geboortedatum"),
    N_("Een brief van de Belastingdienst, als u die hebt"),
    N_("Pen en papier om op te schrijven wat is afgesproken"),
)


@dataclass(frozen=True)
class PhoneScript:
    org_name: str
    phone: str
    #: the calling hours, in the chosen language (empty when not known)
    hours: list[str]
    #: the number for calling from outside the Netherlands ("" when none)
    phone_abroad: str = ""
    #: calling the first number costs nothing
    free: bool = False
    #: the Dutch lines to say (msgids of PHONE_SAY)
    what_to_say: tuple[str, ...] = PHONE_SAY
    #: what to have at hand (msgids of PHONE_HAVE_AT_HAND)
    have_at_hand: tuple[str, ...] = PHONE_HAVE_AT_HAND


def phone_script(org: Organisation) -> PhoneScript:
    """What to say when phoning. The facts (numbers, hours) come from the
    organisation data (organisations.json, with their sources); the words are ours."""
    route = org.paper_route or {}
    return PhoneScript(
        org.name,
        route.get("phone") or org.phone,
        hours_lines(route.get("hours")),
        org.phone_abroad,
        free=route.get("phone_free") is True,
    )


def hours_lines(hours: object) -> list[str]:
    """Calling hours from data (``[{"from_day": 1, "to_day": 4, "opens": "08:00",
    "closes": "20:00"}]``, days 1 = Monday .. 7 = Sunday) as sentences in the chosen
    language; a record that cannot be read is left out, never shown half."""
    from datetime import time

    from babel.dates import format_time, get_day_names

    from app.i18n import locale

    days = get_day_names("wide", locale=locale())

    def clock(moment: time) -> str:  # Dutch writes 8.00 uur; others as Babel says
        if locale() == "nl_NL":
            return f"{moment.hour}.{moment.minute:02d}"
        return format_time(moment, format="short", locale=locale())

    lines = []
    for item in hours if isinstance(hours, list) else []:
        try:
            first, last = int(item["from_day"]), int(item["to_day"])
            opens = time.fromisoformat(item["opens"])
            closes = time.fromisoformat(item["closes"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (1 <= first <= last <= 7):
            continue
        values = {
            "first": days[first - 1],
            "last": days[last - 1],
            "opens": clock(opens),
            "closes": clock(closes),
        }
        if first == last:
            text = _("%(first)s van %(opens)s tot %(closes)s uur.") % values
        else:
            text = _("%(first)s tot en met %(last)s van %(opens)s tot %(closes)s uur.") % values
        lines.append(text[:1].upper() + text[1:])
    return lines


# -- right to left -------------------------------------------------------------------
RIGHT_TO_LEFT_MARK = "\u200f"
LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def own_line(text: str) -> str:
    """A line that follows the interface's direction. Qt gives each paragraph the
    direction of its first letter: in Arabic "Belastingdienst: ..." or "\u2022 RDW"
    would run left to right. The mark makes it run right to left."""
    return RIGHT_TO_LEFT_MARK + text if is_right_to_left() and text else text


def bullet(text: str) -> str:
    return own_line("\u2022 " + text)


def number(text: str) -> str:
    """A phone number (or a Dutch sentence) reads left to right, also inside Arabic
    ("+31 55 538 53 85" would come out back to front, group by group)."""
    if is_right_to_left() and text:
        return LEFT_TO_RIGHT_ISOLATE + text + POP_DIRECTIONAL_ISOLATE
    return text


def phone_line(org: Organisation) -> str:
    """Both numbers in one line, for the review and the status: the one in the
    Netherlands and, where the organisation has one, the one from abroad."""
    phone = (org.paper_route or {}).get("phone") or org.phone
    if not phone:
        return ""
    if org.phone_abroad:
        return own_line(
            _("Bellen: %(phone)s. Vanuit het buitenland: %(abroad)s.")
            % {"phone": number(phone), "abroad": number(org.phone_abroad)}
        )
    return own_line(_("Bellen: %(phone)s.") % {"phone": number(phone)})


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


#: which part of the phone script a section is (the screen shows the numbers big)
NUMBER, ABROAD, HOURS, AT_HAND, DETAILS, SAY = (
    "number",
    "abroad",
    "hours",
    "at_hand",
    "details",
    "say",
)


def phone_script_parts(script: PhoneScript, person: Person) -> list[tuple[str, str, list[str]]]:
    """The phone script as (part, heading, lines): number, the number from abroad,
    hours, what to have at hand, the person's details, what to say."""
    first = [own_line(number(script.phone))]
    if script.free:
        first.append(_("Bellen is gratis."))
    parts = [(NUMBER, _("Bel dit nummer:"), first)]
    if script.phone_abroad:
        parts.append(
            (
                ABROAD,
                _("Belt u vanuit het buitenland? Bel dan dit nummer:"),
                [own_line(number(script.phone_abroad)), _("Dit nummer is niet gratis.")],
            )
        )
    if script.hours:
        hours = list(script.hours)
        if script.phone_abroad:
            hours.append(_("Dit is de tijd in Nederland."))
        parts.append((HOURS, _("Wanneer kunt u bellen?"), hours))
    if script.have_at_hand:
        parts.append(
            (AT_HAND, _("Leg dit klaar voordat u belt:"), [_(t) for t in script.have_at_hand])
        )
    parts.append((DETAILS, _("Uw gegevens:"), person_facts(person)))
    if script.what_to_say:
        if i18n_language() == "nl":
            quoted = [f"\u201c{line}\u201d" for line in script.what_to_say]
            parts.append((SAY, _("Dit kunt u zeggen:"), quoted))
        else:
            # Said in Dutch, with what it means beside it in the chosen language.
            lines = []
            for line in script.what_to_say:
                # Dutch inside Arabic: its own run, left to right, on the right side
                lines.append(own_line(number(f"\u201c{line}\u201d")))
                if _(line) != line:  # not translated yet: no meaning to show
                    lines.append(own_line(_("Dat betekent: %(meaning)s") % {"meaning": _(line)}))
            parts.append((SAY, _("Dit zegt u aan de telefoon, in het Nederlands:"), lines))
    return parts


def phone_script_sections(script: PhoneScript, person: Person) -> list[tuple[str, list[str]]]:
    """The phone script as (heading, lines), for printing."""
    return [(heading, lines) for _part, heading, lines in phone_script_parts(script, person)]


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
