"""What a store's notices and problems mean, in plain words (Dutch B1, gettext).

The core returns :class:`app.storage.Notice` values and raises
:class:`app.storage.StoreProblem` (``StoreBusy``, ``StoreReadOnly``,
``StoreUnreadable``); the UI shows :func:`notice_text` and
:func:`problem_text`. Each says what happened and what to do, one message at
a time, and never quotes a row (rows hold names and BSNs).
"""

from __future__ import annotations

from app.i18n import gettext as _
from app.storage import Notice, StoreBusy, StoreProblem, StoreReadOnly, StoreUnreadable


def notice_text(notice: Notice) -> str:
    """A store problem that was handled: what happened and what we did."""
    where = {"path": notice.backup}
    if notice.kind == "damaged" and notice.rows_lost and notice.store == "desk":
        return (
            _(
                "Een bestand van Brieventafel was kapot. Wij hebben een kopie bewaard. "
                "Niet alles was nog te lezen. Wij halen al uw post opnieuw op. "
                "Opgeborgen brieven kunnen weer op tafel liggen. De kopie staat hier: %(path)s"
            )
            % where
        )
    if notice.kind == "damaged" and notice.rows_lost:
        return (
            _(
                "Een bestand van de oefenpost was kapot. Wij hebben een kopie bewaard. "
                "Niet alles was nog te lezen. De kopie staat hier: %(path)s"
            )
            % where
        )
    if notice.kind == "damaged":
        return (
            _(
                "Een bestand van Brieventafel was kapot. Wij hebben een kopie bewaard. "
                "Wat nog te lezen was, hebben wij gered. U kunt gewoon verder. "
                "De kopie staat hier: %(path)s"
            )
            % where
        )
    if notice.kind == "newer":
        return (
            _(
                "Een bestand komt van een nieuwere Brieventafel. Wij hebben het bewaard. "
                "Wij zijn opnieuw begonnen. De kopie staat hier: %(path)s"
            )
            % where
        )
    if notice.kind == "foreign":
        return (
            _(
                "Op de plek van een bestand van Brieventafel stond een ander bestand. "
                "Wij hebben het apart bewaard. Wij zijn opnieuw begonnen. "
                "Het staat hier: %(path)s"
            )
            % where
        )
    return _("Brieventafel heeft uw bestand bijgewerkt. Er is een kopie bewaard: %(path)s") % where


def problem_text(problem: StoreProblem) -> str:
    """A store that cannot be used now: what is wrong and what to do."""
    file = {"path": problem.path}
    folder = {"path": problem.path.parent}
    if isinstance(problem, StoreBusy) and problem.reason == "write":
        return _(
            "Dit is niet bewaard. Een ander programma gebruikt nu het bestand. "
            "Probeer het over een minuut opnieuw."
        )
    if isinstance(problem, StoreBusy):
        return _(
            "Een ander programma gebruikt nu een bestand van Brieventafel. "
            "Misschien is Brieventafel al open. Sluit dat andere programma. "
            "Start Brieventafel daarna opnieuw."
        )
    if isinstance(problem, StoreReadOnly) and problem.reason == "folder":
        return (
            _(
                "Brieventafel mag niets bewaren in een map. Er is niets veranderd. "
                "Vraag iemand om hulp. De map staat hier: %(path)s"
            )
            % folder
        )
    if isinstance(problem, StoreReadOnly):
        return (
            _(
                "Brieventafel mag een bestand alleen lezen, niet veranderen. "
                "Er is niets veranderd. Vraag iemand om hulp. Het bestand staat hier: %(path)s"
            )
            % file
        )
    if isinstance(problem, StoreUnreadable) and problem.reason == "folder":
        return (
            _(
                "Op de plek van een bestand van Brieventafel staat een map. Er is niets veranderd. "
                "Vraag iemand om hulp. De map staat hier: %(path)s"
            )
            % file
        )
    if isinstance(problem, StoreUnreadable) and problem.reason == "permission":
        return (
            _(
                "Brieventafel mag een bestand niet openen. Er is niets veranderd. "
                "Vraag iemand om hulp. Het bestand staat hier: %(path)s"
            )
            % file
        )
    return (
        _(
            "Brieventafel kan een bestand niet openen. Er is niets veranderd. "
            "Vraag iemand om hulp. Het bestand staat hier: %(path)s"
        )
        % file
    )


__all__ = ["notice_text", "problem_text"]
