"""``brieventafel-server``: start the server, or print a token.

brieventafel-server --data-dir D [--host 127.0.0.1] [--port 8443] [--practice]
brieventafel-server token PERSON --data-dir D
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import gettext as _


def _fail(text: str) -> int:
    print(text, file=sys.stderr)
    return 2


def _open(data_dir: Path, practice: bool):
    """The service over the data folder, or None when there is no box yet."""
    from .app import PRACTICE_FILE, Service

    if not practice and not (data_dir / PRACTICE_FILE).exists():
        return None
    service = Service(data_dir)
    if practice:
        from .setup import fill_practice

        fill_practice(service.box, service.store, data_dir)
    return service


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
    args = parser.parse_args(argv)
    service = _open(args.data_dir, args.practice)
    if service is None:
        return _fail(_("Deze map heeft nog geen berichtenbox. Start één keer met --practice."))
    import uvicorn

    from .app import create_app

    app = create_app(args.data_dir, service=service)
    # No access log: a search path carries what someone searched for.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info")
    return 0


def _token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="brieventafel-server token", description="Print een nieuw token voor een persoon."
    )
    parser.add_argument("person")
    parser.add_argument("--data-dir", required=True, type=Path)
    args = parser.parse_args(argv)
    service = _open(args.data_dir, practice=False)
    if service is None:
        return _fail(_("Deze map heeft nog geen berichtenbox. Start één keer met --practice."))
    try:
        if args.person not in {p.id for p in service.box.practice_people()}:
            return _fail(_("Deze persoon staat niet in de berichtenbox."))
        token, _expires = service.store.new_token(args.person)
    finally:
        service.close()
    print(token)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["token"]:
        return _token(argv[1:])
    return _serve(argv)


if __name__ == "__main__":
    sys.exit(main())
