"""``brieventafel-server``: start the server, or print a token.

brieventafel-server --data-dir D [--host 127.0.0.1] [--port 8443] [--practice]
    [--certfile F --keyfile F] [--database-url postgresql://...]
brieventafel-server token PERSON --data-dir D [--database-url postgresql://...]
brieventafel-server watch --once --data-dir D [--days 14] [--database-url ...]
brieventafel-server webhook ORGANISATION URL --data-dir D [--database-url ...]
brieventafel-server report --data-dir D [--database-url ...]
(the operator's side: docs/operator.md)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import gettext as _


def _fail(text: str) -> int:
    print(text, file=sys.stderr)
    return 2


class _Refused(Exception):
    """A start that cannot go on; its text is for the person at the terminal."""


def _open(data_dir: Path, practice: bool, database_url: str | None = None):
    """The practice box and the server store over the data folder, or with
    ``database_url`` both in that PostgreSQL database (filled for practice);
    None when there is no box yet. Needs no FastAPI: the token command and every
    refusal are quick."""
    from app.mailbox.storage import is_database_url

    from . import PRACTICE_FILE, SERVER_FILE

    if database_url is not None and not is_database_url(database_url):
        raise _Refused(_("Het databaseadres moet beginnen met postgresql://."))
    if database_url is None and not practice and not (data_dir / PRACTICE_FILE).exists():
        return None
    from app.mailbox.practice import PracticeMailbox, has_practice_box

    from .store import ServerStore

    if database_url is None:
        store = ServerStore(data_dir / SERVER_FILE)
        try:
            box = PracticeMailbox(data_dir / PRACTICE_FILE)
        except BaseException:
            store.close()
            raise
    else:
        # One database for everything: the practice box's rules and the server's tables.
        from app.mailbox.storage import open_postgres

        try:
            backend = open_postgres(database_url)
        except ImportError:
            raise _Refused(
                _("Voor PostgreSQL is psycopg nodig: pip install psycopg[binary].")
            ) from None
        except Exception as error:
            if not _is_psycopg(error):
                raise
            raise _unreachable() from None
        try:
            if not practice and not has_practice_box(backend):
                raise _Refused(
                    _("Deze database heeft nog geen berichtenbox. Start één keer met --practice.")
                )
            store = ServerStore(backend)
            box = PracticeMailbox(backend)
        except _Refused:
            backend.close()
            raise
        except Exception as error:
            backend.close()
            if not _is_psycopg(error):
                raise
            raise _unreachable() from None
    if practice:
        from .setup import fill_practice

        fill_practice(box, store, data_dir)
    return box, store


def _is_psycopg(error: Exception) -> bool:
    return type(error).__module__.split(".")[0] == "psycopg"


def _unreachable() -> _Refused:
    # Never the error's text: it may hold the URL, with its password.
    return _Refused(_("De database is niet bereikbaar. Kijk het adres na."))


def _smtp_options(parser: argparse.ArgumentParser) -> None:
    """The notifications' mail server, for ``watch`` and for the round in the server."""
    parser.add_argument("--smtp-host", help="mailserver voor de notificaties (zonder: geen e-mail)")
    parser.add_argument("--smtp-port", type=int, default=587)
    parser.add_argument("--smtp-security", choices=("starttls", "ssl", "none"), default="starttls")
    parser.add_argument("--smtp-user", default="")
    parser.add_argument("--smtp-sender", default="")
    parser.add_argument(
        "--repeat-days",
        type=int,
        default=7,
        help="dagen tot de herinnering voor een ongelezen brief (standaard 7; 0: geen)",
    )


def _mail_settings(args: argparse.Namespace):
    """The MailSettings of ``--smtp-*``, or None without ``--smtp-host``."""
    if not args.smtp_host:
        return None
    from app.outbox import MailSettings

    return MailSettings(
        args.smtp_host, args.smtp_port, args.smtp_security, args.smtp_user, args.smtp_sender
    )


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server",
        description="Een Berichtenbox-server die FBS Berichten Uitvraag spreekt.",
    )
    parser.add_argument("--data-dir", required=True, type=Path, help="map met de opslag")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument(
        "--practice", action="store_true", help="vul met de oefenpersonen, -organisaties en -post"
    )
    parser.add_argument("--certfile", type=Path, help="TLS-certificaat (PEM), met --keyfile")
    parser.add_argument("--keyfile", type=Path, help="sleutel bij het TLS-certificaat (PEM)")
    parser.add_argument(
        "--database-url", help="postgresql://...: alle opslag van de server in PostgreSQL"
    )
    parser.add_argument(
        "--watch-interval",
        type=float,
        default=0,
        help="seconden tussen twee wachtrondes in de server (0: geen; zie 'watch')",
    )
    _smtp_options(parser)
    args = parser.parse_args(argv)
    if (args.certfile is None) != (args.keyfile is None):
        return _fail(_("Geef --certfile en --keyfile samen op."))
    for tls_file in (args.certfile, args.keyfile):
        if tls_file is not None and not tls_file.is_file():
            return _fail(_("Het certificaat of de sleutel is niet gevonden."))
    try:
        opened = _open(args.data_dir, args.practice, args.database_url)
    except _Refused as refused:
        return _fail(str(refused))
    if opened is None:
        return _fail(_("Deze map heeft nog geen berichtenbox. Start één keer met --practice."))
    import uvicorn

    from .app import Service, create_app

    box, store = opened
    service = Service(args.data_dir, box=box, store=store)
    service.watch_interval = max(0.0, args.watch_interval)
    service.watch_mail = _mail_settings(args)  # the round sends e-mail too (issue 17)
    service.repeat_days = max(0, args.repeat_days)

    app = create_app(args.data_dir, service=service)
    tls = args.certfile is not None
    # No access log: a search path carries what someone searched for.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        access_log=False,
        log_level="info",
        # An open _ophalen stream or a stuck TLS handshake must not hold a stop for long.
        timeout_graceful_shutdown=5,
        ssl_certfile=str(args.certfile) if tls else None,
        ssl_keyfile=str(args.keyfile) if tls else None,
    )
    return 0


def _token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server token", description="Print een nieuw token voor een persoon."
    )
    parser.add_argument("person")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    opened = _opened(args)
    if isinstance(opened, int):
        return opened
    box, store = opened
    try:
        if args.person not in {p.id for p in box.practice_people()}:
            return _fail(_("Deze persoon staat niet in de berichtenbox."))
        token, _expires = store.new_token(args.person)
    finally:
        box.close()
        store.close()
    print(token)
    return 0


def _opened(args: argparse.Namespace):
    """The box and the store for a command, or an exit code after saying why not."""
    try:
        opened = _open(args.data_dir, practice=False, database_url=args.database_url)
    except _Refused as refused:
        return _fail(str(refused))
    if opened is None:
        return _fail(_("Deze map heeft nog geen berichtenbox. Start één keer met --practice."))
    return opened


def _watch(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server watch",
        description="Eén wachtronde: post die niemand leest, contact op papier, de afzender.",
    )
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--once", action="store_true", help="één ronde, dan stoppen")
    parser.add_argument("--interval", type=float, default=3600, help="seconden (zonder --once)")
    parser.add_argument("--days", type=int, default=14, help="dagen ongelezen (standaard 14)")
    _smtp_options(parser)
    args = parser.parse_args(argv)
    opened = _opened(args)
    if isinstance(opened, int):
        return opened
    import time

    from .operator.watch import run_round

    box, store = opened
    mail = None
    settings = _mail_settings(args)
    if settings is not None:
        from .operator.notify import open_mail

        # with --database-url the outbox is in that database too: shared by every server
        mail = open_mail(args.data_dir, settings, database=store.backend)
    try:
        while True:
            done = run_round(
                box,
                store,
                args.data_dir,
                days=max(1, args.days),
                mail=mail,
                repeat_days=max(0, args.repeat_days),
            )
            for line in done.lines():
                print(line, flush=True)
            if args.once:
                return 0
            time.sleep(max(1.0, args.interval))
    finally:
        if mail is not None:
            mail.outbox.close()
        box.close()
        store.close()


def _webhook(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server webhook",
        description="Zet de webhook van een organisatie; print het geheim om te ondertekenen.",
    )
    parser.add_argument("organisation")
    parser.add_argument("url")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    if not args.url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        return _fail(_("Een webhook moet beginnen met https://."))
    opened = _opened(args)
    if isinstance(opened, int):
        return opened
    box, store = opened
    try:
        if args.organisation not in {o.id for o in box.organisations()}:
            return _fail(_("Deze organisatie staat niet in de berichtenbox."))
        secret = store.set_webhook(args.organisation, args.url)
    finally:
        box.close()
        store.close()
    print(secret)
    return 0


def _report(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server report", description="De cijfers van deze server (geen namen)."
    )
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args(argv)
    opened = _opened(args)
    if isinstance(opened, int):
        return opened
    from datetime import date

    from .operator.report import figures, lines

    box, store = opened
    try:
        for line in lines(figures(box, store, date.today(), max(1, args.days))):
            print(line)
    finally:
        box.close()
        store.close()
    return 0


COMMANDS = {"token": _token, "watch": _watch, "webhook": _webhook, "report": _report}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    return _serve(argv)


if __name__ == "__main__":
    sys.exit(main())
