"""``python -m app`` and the ``brieventafel`` command.

This launcher is the one file under ``app/`` that reaches into ``ui/``: it only
parses the command line and hands over. ``tests/test_layers.py`` allows it
explicitly; every other core module stays free of widgets.

Every option is checked here, before Qt is imported and before any window or
file is made: an odd value gets a plain message on stderr and exit code 2. The
crash hooks (``app/crash.py``) are set first, so no traceback ever shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

TYPE_CHECKING = False  # not typing itself: about 4 ms at every start (issue 14)
if TYPE_CHECKING:
    import argparse
    from typing import NoReturn

#: the text size in percent; ui/shell/theme.py has the same (tests/core/test_cli.py)
MIN_SCALE, MAX_SCALE = 100, 200
EXIT_USAGE = 2

#: The options of an everyday start (from the menu, or with a few plain options),
#: read by :func:`_simple_args` without building the whole parser (issue 14).
_SIMPLE_FLAGS = {"--self-test": "self_test", "--guided": "guided"}
_SIMPLE_VALUES = {
    "--data-dir": "data_dir",
    "--person": "person",
    "--language": "language",
    "--scale": "scale",
}
#: every option's place and default, in the parser's order
#: (tests/core/test_cli_fast_path.py holds this to the parser)
_DEFAULTS = (
    ("self_test", False),
    ("data_dir", None),
    ("person", None),
    ("language", None),
    ("scale", None),
    ("server", None),
    ("ca_file", None),
    ("guided", False),
    ("import_file", None),
    ("watch", False),
    ("once", False),
    ("set_trusted_person", None),
    ("forget_trusted_person", False),
    ("set_mail_server", None),
    ("mail_user", None),
    ("mail_security", None),
    ("mail_from", None),
    ("autostart", None),
    ("fridge_list_weekly", None),
    ("deliver_practice_letter", False),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, as the parser of :func:`_parser` reads them.

    An everyday start is read by :func:`_simple_args`; everything else (help,
    an unknown or shortened option, an option given twice, a value that starts
    with ``-``) goes to argparse, so its errors, help and exit codes stay."""
    if argv is None:
        argv = sys.argv[1:]
    simple = _simple_args(argv)
    if simple is not None:
        return simple
    return _parser().parse_args(argv)


def _simple_args(argv: list[str]) -> argparse.Namespace | None:
    """The Namespace argparse would give, for the options of an everyday start only.

    None for anything else: then argparse decides. Building that parser took
    about 4.6 ms of every start (its help texts, a terminal size per option,
    gettext looking for argparse's own catalogs, the locale module)."""
    found: dict[str, object] = {}
    items = iter(argv)
    for item in items:
        if not isinstance(item, str):
            return None
        dest = _SIMPLE_FLAGS.get(item)
        value: object = True
        if dest is None:
            name, equals, value = item.partition("=")
            dest = _SIMPLE_VALUES.get(name)
            if dest is None:
                return None  # help, another option, a shortened one, a stray word
            if not equals:
                value = next(items, None)
            if not isinstance(value, str) or value.startswith("-"):
                return None  # missing, or argparse's own rules for "-5", "--", "-x"
        if dest in found:
            return None  # given twice
        found[dest] = value
    import argparse  # the same class; PySide's start imports argparse anyway

    args = argparse.Namespace()
    for dest, default in _DEFAULTS:
        setattr(args, dest, found.get(dest, default))
    return args


def _parser() -> argparse.ArgumentParser:
    """The whole parser: every option with its help text."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            from app.i18n import gettext as _

            self.print_usage(sys.stderr)
            self.exit(
                EXIT_USAGE,
                _("Deze opdracht begrijpen wij niet. Typ brieventafel --help voor de keuzes.")
                + "\n",
            )

    parser = _Parser(prog="brieventafel", description="Brieventafel")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen on a fresh practice mailbox, paint once, report, exit",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder for the desk and practice mailbox (default: user data folder)",
    )
    parser.add_argument(
        "--person",
        default=None,
        help="practice person to sign in as (koen, corry, kees, lisa; helpers: monique, piet)",
    )
    parser.add_argument("--language", default=None, help="nl, en, de, es, pl, tr, ar, uk")
    parser.add_argument(
        "--scale", default=None, help=f"text size in percent, {MIN_SCALE}-{MAX_SCALE}"
    )
    parser.add_argument(
        "--server",
        default=None,
        help="a Berichtenbox server (https://...) instead of the practice mailbox",
    )
    parser.add_argument(
        "--ca-file",
        default=None,
        help="the certificate authority of a server with its own certificate (a PEM file)",
    )
    parser.add_argument(
        "--guided",
        action="store_true",
        help="library mode: help a visitor step by step; nothing stays behind",
    )
    parser.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        default=None,
        help="lay a paper letter (a PDF, or a scan as PNG or JPEG) on the table",
    )
    _add_watch_arguments(parser)
    return parser


_WATCH_OPTIONS = (
    "watch",
    "once",
    "set_trusted_person",
    "forget_trusted_person",
    "set_mail_server",
    "mail_user",
    "mail_security",
    "mail_from",
    "autostart",
    "fridge_list_weekly",
    "deliver_practice_letter",
)


def _watch_asked(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) for name in _WATCH_OPTIONS)


def _add_watch_arguments(parser: argparse.ArgumentParser) -> None:
    """The watcher's options (issue 16; app/watch.py does them)."""
    watch = parser.add_argument_group("watch", "reminders and the trusted person")
    watch.add_argument(
        "--watch", action="store_true", help="watch the mailbox in the background (tray)"
    )
    watch.add_argument(
        "--once", action="store_true", help="with --watch: check once, print what was done, exit"
    )
    watch.add_argument(
        "--set-trusted-person",
        nargs=2,
        metavar=("NAME", "EMAIL"),
        default=None,
        help="the person who gets an e-mail when a letter lies unopened",
    )
    watch.add_argument(
        "--forget-trusted-person", action="store_true", help="no trusted person any more"
    )
    watch.add_argument(
        "--set-mail-server", metavar="HOST:PORT", default=None, help="the SMTP server for e-mail"
    )
    watch.add_argument("--mail-user", default=None, help="user name at the mail server")
    watch.add_argument(
        "--mail-security",
        choices=("starttls", "ssl", "none"),
        default=None,
        help="starttls (default), ssl, or none (this computer only)",
    )
    watch.add_argument("--mail-from", default=None, help="the sender address of the e-mails")
    watch.add_argument(
        "--autostart",
        choices=("on", "off"),
        default=None,
        help="start the watcher when you log in (on) or not (off)",
    )
    watch.add_argument(
        "--fridge-list-weekly",
        choices=("on", "off"),
        default=None,
        help="mail the fridge list to the trusted person each week (on) or not (off)",
    )
    watch.add_argument(
        "--deliver-practice-letter",
        action="store_true",
        help="put a new practice letter in the practice mailbox",
    )


def _practice_people() -> list[str]:
    import json

    from app.paths import resources_dir

    folder = resources_dir() / "practice"
    people = json.loads((folder / "people.json").read_text("utf-8"))
    # The mandate stories (issue 13): Monique, Piet, Ingrid, Ali sign in as helpers.
    more = folder / "people_more.json"
    if more.exists():
        people += json.loads(more.read_text("utf-8"))
    return [person["id"] for person in people]


def check_args(args: argparse.Namespace) -> str | None:
    """The first problem with the options, in plain words; None when all is well.

    On success ``args.data_dir`` is an absolute ``Path`` (made, mode 0700) or
    None, and ``args.scale`` an ``int`` or None. The folder is judged last, so
    nothing is made when another option is wrong.
    """
    from app import i18n
    from app.i18n import gettext as _
    from app.instance import check_data_folder, folder_problem_text

    if args.language is not None and args.language not in i18n.LANGUAGES:
        return _("Deze taal kennen wij niet: %(language)s. Kies een van deze: %(choices)s.") % {
            "language": args.language,
            "choices": ", ".join(i18n.LANGUAGES),
        }
    i18n.set_language(args.language or i18n.DEFAULT_LANGUAGE)  # the messages below
    server = getattr(args, "server", None)
    if server is not None:
        from app.server_choice import address_problem

        wrong_server = address_problem(server)
        if wrong_server is not None:
            return wrong_server
    ca_file = getattr(args, "ca_file", None)
    if ca_file is not None and not Path(ca_file).is_file():
        return _("Dit certificaatbestand vinden wij niet: %(file)s.") % {"file": ca_file}
    if args.person is not None and server is None:
        people = _practice_people()
        if args.person not in people:
            return _(
                "Deze oefenpersoon kennen wij niet: %(person)s. Kies een van deze: %(choices)s."
            ) % {"person": args.person, "choices": ", ".join(people)}
    if args.scale is not None:
        try:
            scale = int(args.scale)
        except ValueError:
            scale = -1
        if not MIN_SCALE <= scale <= MAX_SCALE:
            return _(
                "De tekstgrootte is een getal van %(low)d tot en met %(high)d. "
                "Bijvoorbeeld: --scale 150."
            ) % {"low": MIN_SCALE, "high": MAX_SCALE}
        args.scale = scale
    if _watch_asked(args):  # app.watch loads smtplib and ssl: only when asked
        from app.watch import check_watch_args

        watch_problem = check_watch_args(args)
        if watch_problem is not None:
            return watch_problem
    if args.data_dir is not None:
        folder, problem = check_data_folder(args.data_dir)
        if problem is not None:
            return folder_problem_text(problem, folder)
        args.data_dir = folder
    return None


def main(argv: list[str] | None = None) -> int:
    import gc

    # No garbage collection until the window's first frame (issue 14): a start
    # makes many objects and next to no garbage, and the collector's passes over
    # them took about 20 ms before the first frame. ui/shell/main.py turns it on
    # again right after that frame; every other path at once.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: list[str] | None) -> int:
    import gc

    from app import crash

    crash.install()  # no traceback, ever: a kind message and a redacted report
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = check_args(args)
    if problem is not None:
        print(f"brieventafel: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.data_dir is not None:
        crash.configure(folder=args.data_dir)
    if args.import_file is not None or _watch_asked(args):
        gc.enable()  # no first frame to wait for
    if args.import_file is not None:  # no Qt: read, explain, lay on the table, one line
        from app.importing import run_import

        return run_import(args)
    if _watch_asked(args):
        from app import watch

        done = watch.run_command(args)  # no Qt for --watch --once and the settings
        if done is not None:
            return done
        from ui.watch.tray import run_watch

        return run_watch(args)
    from ui.shell.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
