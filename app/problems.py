"""Every mailbox problem in plain words, in one place.

The core never opens a dialog: a :class:`~app.mailbox.MailboxError` travels up
as a value and the screens show :func:`problem_text` of it. Each text says
what happened and what the person can do, and never blames them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from app.i18n import gettext as _
from app.mailbox.errors import ErrorCode, MailboxError


class Doing(enum.Enum):
    """What the person was doing; a few codes read differently per task."""

    ANY = "any"
    PAPER = "paper"  # "Ik wil mijn post op papier": some organisations may be done
    ACTIVATION = "activation"
    SYNC = "sync"  # fetching new post
    SIGN_IN = "sign-in"  # logging in to a Berichtenbox server with person and PIN


#: The start of ``MailboxError.detail`` when a server does not offer something yet
#: (ticks, paper, activation over HTTP); the code is then SERVER_ERROR.
NOT_OFFERED = "not-offered"


def _texts() -> dict[ErrorCode, str]:
    # Built per call: the language can change while the app runs.
    return {
        ErrorCode.CONFIRMATION_REQUIRED: _(
            "Er is niets aangezet. Zet eerst een vinkje bij 'Ik begrijp dat'."
        ),
        ErrorCode.INVALID_CONFIRMATION: _(
            "Er is niets aangezet. De keuze is veranderd. Lees de samenvatting opnieuw."
        ),
        ErrorCode.CONFIRMATION_EXPIRED: _(
            "Er is niets aangezet. De samenvatting is van een andere dag. Lees hem opnieuw."
        ),
        ErrorCode.ALREADY_ACTIVE: _("Uw Berichtenbox stond al aan. Er is niets veranderd."),
        ErrorCode.NOT_ACTIVE: _("Uw Berichtenbox staat niet aan. Al uw post komt op papier."),
        ErrorCode.FIXED_BY_LAW: _(
            "De Belastingdienst kunt u hier niet uitzetten. Dat staat in de wet."
        ),
        ErrorCode.ALREADY_ASKED: _("Deze vraag heeft u al beantwoord. Er is niets veranderd."),
        ErrorCode.UNKNOWN_ORGANISATION: _(
            "Deze organisatie kennen wij niet. Er is niets veranderd."
        ),
        ErrorCode.STORAGE_FAILED: _(
            "Het opslaan is niet gelukt. Misschien is de schijf vol. "
            "Wat al gelukt was, blijft bewaard. Probeer het later nog eens."
        ),
        ErrorCode.UNREACHABLE: _(
            "De Berichtenbox is nu niet te bereiken. Werkt uw internet? "
            "Uw brieven op tafel blijven liggen. Probeer het later nog eens."
        ),
        ErrorCode.TIMEOUT: _(
            "De Berichtenbox geeft nu geen antwoord. Er is niets verloren. "
            "Probeer het over een paar minuten nog eens."
        ),
        ErrorCode.UNAUTHORIZED: _(
            "U bent niet meer ingelogd. Log opnieuw in. Er is niets verloren."
        ),
        ErrorCode.FORBIDDEN: _(
            "Dit mag u niet doen voor deze persoon. Er is niets veranderd. "
            "Vraag de persoon om een machtiging."
        ),
        ErrorCode.NOT_READY: _(
            "De Berichtenbox haalt uw post nog op. Probeer het over een paar minuten nog eens."
        ),
        ErrorCode.BUSY: _(
            "Het is nu erg druk bij de Berichtenbox. Er is niets verloren. "
            "Probeer het straks nog eens."
        ),
        ErrorCode.BAD_ANSWER: _(
            "De Berichtenbox gaf een antwoord dat wij niet begrijpen. Er is niets veranderd. "
            "Probeer het later nog eens."
        ),
        ErrorCode.SERVER_ERROR: _(
            "Er ging iets mis bij de Berichtenbox. Dat ligt niet aan u. "
            "Er is niets veranderd. Probeer het later nog eens."
        ),
        ErrorCode.UNTRUSTED: _(
            "Wij vertrouwen deze Berichtenbox niet: het certificaat klopt niet. "
            "Wij hebben niets verstuurd. Vraag hulp aan wie de Berichtenbox beheert."
        ),
    }


def problem_text(error: MailboxError | ErrorCode | str, doing: Doing = Doing.ANY) -> str:
    """What went wrong and what to do now, in plain words."""
    code = error.code if isinstance(error, MailboxError) else MailboxError(error).code
    if isinstance(error, MailboxError) and error.detail.startswith(NOT_OFFERED):
        return _("Dit kan nog niet met deze Berichtenbox. Er is niets veranderd.")
    if doing is Doing.SIGN_IN:
        if code is ErrorCode.UNAUTHORIZED:
            return _("De naam of de pincode klopt niet. Probeer het nog eens.")
        if code is ErrorCode.BUSY:
            return _(
                "U heeft te vaak een verkeerde pincode ingetikt. "
                "Wacht vijf minuten. Probeer het dan opnieuw."
            )
    if doing is Doing.PAPER:
        # Asking paper goes one organisation at a time: what is done stays done,
        # and a second press does the rest, whatever stopped the first.
        if code is ErrorCode.NOT_ACTIVE:
            return _("Uw Berichtenbox staat niet aan. Uw post komt al op papier.")
        if code is not ErrorCode.STORAGE_FAILED:
            return _(
                "Het is niet helemaal gelukt. Wat al gelukt was, blijft bewaard. "
                "Druk nog eens op 'Ik wil mijn post op papier'. Dan doen wij de rest."
            )
    text = _texts().get(code)
    if text is not None:
        if doing is Doing.SYNC:
            return _("Nieuwe post ophalen is niet gelukt.") + " " + text
        return text
    return _("Dat is niet gelukt. Er is niets veranderd. Probeer het later nog eens.")


def offline_text(synced_at: datetime | None) -> str:
    """One calm line when the server cannot be reached: the table shows the
    letters of the last good sync (``synced_at``, local time)."""
    if synced_at is None:
        return _("Geen verbinding. Wij proberen het zo weer.")
    if synced_at.date() == datetime.now().date():
        when = synced_at.strftime("%H:%M")
    else:
        from app.plain import format_date

        when = format_date(synced_at.date())
    return _("Geen verbinding. U ziet uw brieven van %(when)s. Wij proberen het zo weer.") % {
        "when": when
    }


def unexpected_text() -> str:
    """A fault of Brieventafel itself (a bug): said kindly, never a traceback."""
    return _(
        "Er ging iets mis in Brieventafel. Dat ligt niet aan u. Er is niets verloren. "
        "Probeer het nog eens. Gaat het weer mis? Start Brieventafel dan opnieuw."
    )


__all__ = ["NOT_OFFERED", "Doing", "offline_text", "problem_text", "unexpected_text"]
