"""One watching round: the rules over the facts, paper letters for what was
not told before, events for the senders, the outbox sent. Run by
``brieventafel-server watch --once`` (cron, systemd timers, tests) and, with
``--watch-interval``, inside the running server (:func:`watch_forever`).

A round may be killed anywhere: each step is recorded before the next, and
the next round does what is left (never a letter or an event twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .. import fbs
from . import events
from . import rules as r
from .paper import paper_round

log = logging.getLogger("brieventafel.server.watch")


@dataclass
class Round:
    findings: list[r.Finding] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)
    batch: Path | None = None
    queued: list[str] = field(default_factory=list)
    sent: list[events.Sent] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per finding, letter and event; no personal data (letters
        by their FBS id, paper letters by their own id, never a person)."""
        out = list(self.notified)
        for f in self.findings:
            where = (
                f" bericht={fbs.fbs_id(f.letter_id)} organisatie={f.org_id}" if f.letter_id else ""
            )
            out.append(f"bevinding regel={f.rule}{where}")
        for letter in self.letters:
            name = self.batch.name if self.batch else "-"
            out.append(
                f"brief id={letter['id']} redenen={','.join(letter['reasons'])}"
                f" aan={letter.get('to', 'person')} batch={name}"
            )
        for sent in self.sent:
            out.append(
                f"gebeurtenis {sent.state} id={sent.event_id} organisatie={sent.org_id}"
                f" soort={sent.kind} status={sent.status} poging={sent.attempts}"
            )
        out.append(
            f"ronde klaar: {len(self.findings)} bevindingen, {len(self.letters)} nieuwe brieven,"
            f" {len(self.queued)} nieuwe gebeurtenissen,"
            f" {sum(s.state == 'sent' for s in self.sent)} verstuurd"
        )
        return out


def run_round(
    box: Any,
    store: Any,
    data_dir: Path,
    *,
    today: date | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    days: int = r.UNREAD_DAYS,
    timeout: float = events.TIMEOUT_S,
    mail: Any = None,
    repeat_days: int | None = None,
) -> Round:
    """``mail`` (:class:`.notify.Mail`): notifications first, so a bounce feeds
    this round's rules; ``repeat_days``: the repeat after so many days
    (None: :data:`.notify.REPEAT_DAYS`, 0: none)."""
    day = today or date.today()
    notified: list[str] = []
    if mail is not None:
        from .notify import REPEAT_DAYS, notify_round

        repeat = REPEAT_DAYS if repeat_days is None else repeat_days
        notified = notify_round(box, store, mail, day, repeat_days=repeat)
    facts = r.gather(box, store)
    result = Round(findings=r.findings(facts, day, days), notified=notified)
    result.letters, result.batch = paper_round(box, store, result.findings, day, data_dir)
    received = {x.letter_id: x.received for x in facts.letters}
    result.queued = events.queue(store, result.findings, received, day, now(), days)
    result.sent = events.send_due(store, now, timeout)
    return result


async def watch_forever(
    box: Any,
    store: Any,
    data_dir: Path,
    interval: float,
    *,
    settings: Any = None,
    repeat_days: int | None = None,
) -> None:
    """The round every ``interval`` seconds inside the server, in a thread of
    its own (the requests go on); with ``settings`` (an
    :class:`app.outbox.MailSettings`) it sends the notifications too, as
    ``watch --smtp-host`` does. A round that fails is logged by type only and
    tried again at the next interval."""
    while True:
        try:
            done = await asyncio.to_thread(
                _round_in_thread, box, store, data_dir, settings, repeat_days
            )
            log.info(
                "watch round: %d notifications, %d findings, %d letters, %d events",
                len(done.notified),
                len(done.findings),
                len(done.letters),
                len(done.sent),
            )
        except Exception as error:  # noqa: BLE001 - the server goes on
            log.error("watch round failed: %s", type(error).__name__)
        await asyncio.sleep(interval)


def _round_in_thread(
    box: Any, store: Any, data_dir: Path, settings: Any, repeat_days: int | None
) -> Round:
    """One round; the outbox is opened in the round's own thread (its SQLite
    connection stays in the thread that made it) and closed after."""
    if settings is None:
        return run_round(box, store, data_dir)
    from .notify import open_mail

    mail = open_mail(data_dir, settings, database=store.backend)
    try:
        return run_round(box, store, data_dir, mail=mail, repeat_days=repeat_days)
    finally:
        mail.outbox.close()
