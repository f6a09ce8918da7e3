"""The HTTP face: FBS "Berichten Uitvraag" over the practice box's own rules.

``create_app(data_dir)`` builds the FastAPI application. The letters, people,
organisations, ticks and the delivery rule are :class:`PracticeMailbox`'s
(``practice.sqlite`` in the data folder); :class:`~server.store.ServerStore`
(``server.sqlite``) keeps logins, keys, folders, events and paper deliveries.
With ``--database-url`` both live in that PostgreSQL database, over one backend.
"""

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import os
import secrets
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from pydantic import Field
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.mailbox import (
    PAPER_ROUTE_HELPDESK,
    PAPER_ROUTE_UNTICK,
    ActivationOffer,
    MailboxError,
    PaperRequest,
    TickChange,
)
from app.mailbox.errors import ErrorCode
from app.mailbox.practice import PracticeMailbox
from app.mandates import Reason
from app.model import Letter

from . import API_VERSION, BASE, PRACTICE_FILE, SERVER_FILE, fbs
from . import schemas as s
from .store import DEFAULT_MAP, ServerStore

log = logging.getLogger("brieventafel.server")

PROBLEM = "application/problem+json"
#: Failed logins for one person before logins pause, and for how long (seconds).
LOGIN_TRIES, LOGIN_PAUSE_S = 5, 300
#: A fetch (_ophalen) still marked as running after this long is taken as gone.
OPHALEN_STALE_S = 120
SSE = "text/event-stream"
#: Query parameters that FBS does not have (marked ``x-brieventafel`` in the OpenAPI).
OUR_PARAMETERS = {"metInhoud"}
WITH_CONTENT = (
    "Uitbreiding Brieventafel. Met `true` draagt elk bericht in de lijst ook `inhoud` en "
    "`bijlagen` (zoals GET /berichten/{berichtId}): één aanvraag per pagina in plaats van "
    "één per bericht. Zonder deze parameter is de lijst zoals FBS haar beschrijft."
)

TITLES = {
    400: "Ongeldige aanvraag",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
    415: "Verkeerd inhoudstype",
    422: "Niet te verwerken",
    429: "Te veel pogingen",
    500: "Serverfout",
    502: "Bron onbruikbaar",
    503: "Tijdelijk niet beschikbaar",
}
#: A MailboxError's code as an HTTP status; any other refusal of the rules is 409.
STATUS_OF = {
    ErrorCode.UNKNOWN_LETTER: 404,
    ErrorCode.UNKNOWN_PERSON: 404,
    ErrorCode.UNKNOWN_ORGANISATION: 404,
    ErrorCode.UNKNOWN_REQUEST: 404,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.BAD_ANSWER: 502,
    ErrorCode.STORAGE_FAILED: 503,
    ErrorCode.BUSY: 503,
    ErrorCode.SERVER_ERROR: 500,
}
#: Fixed texts for the ``detail`` of a refusal. Never the MailboxError's own
#: detail: that may hold a person id, and a person id may be a BSN.
DETAILS = {
    ErrorCode.UNKNOWN_LETTER: "Dit bericht bestaat niet (meer) voor deze ontvanger.",
    ErrorCode.UNKNOWN_PERSON: "Deze ontvanger is onbekend.",
    ErrorCode.UNKNOWN_ORGANISATION: "Deze organisatie is onbekend.",
    ErrorCode.NOT_TICKED: "Deze ontvanger krijgt post van deze organisatie op papier.",
    ErrorCode.BAD_ANSWER: "Een opgeslagen bericht is niet leesbaar.",
    ErrorCode.STORAGE_FAILED: "De opslag gaf een fout. Niets is veranderd.",
    ErrorCode.UNKNOWN_REQUEST: "Er is geen papieraanvraag voor deze organisatie.",
    ErrorCode.CONFIRMATION_REQUIRED: "Er is niets aangezet: het aanbod is niet bevestigd.",
    ErrorCode.INVALID_CONFIRMATION: "Er is niets aangezet: het token hoort niet bij dit aanbod.",
    ErrorCode.CONFIRMATION_EXPIRED: "Er is niets aangezet: het aanbod is van een andere dag.",
    ErrorCode.ALREADY_ACTIVE: "De Berichtenbox staat al aan. Er is niets veranderd.",
    ErrorCode.NOT_ACTIVE: "De Berichtenbox staat niet aan: alle post komt op papier.",
    ErrorCode.FIXED_BY_LAW: "Deze organisatie staat door de wet vast aan.",
    ErrorCode.ALREADY_ASKED: "Deze vraag is al beantwoord. Er is niets veranderd.",
    ErrorCode.NOT_NEW: "Deze organisatie is niet nieuw.",
    ErrorCode.BAD_STATE: "Deze stap kan niet bij deze papieraanvraag.",
    ErrorCode.FORBIDDEN: "U mag dit niet doen met de post van deze ontvanger.",
}
#: The reason codes of the mandate rules (app/mandates.py), the only ``reden`` a 403 carries.
REASONS = {reason.value for reason in Reason}


class Recipient(str):
    """Whose post a request is about (their person id, from ``X-Ontvanger``),
    with ``box``: the practice box as the token's person sees it
    (:meth:`PracticeMailbox.for_holder`), which decides every call."""

    box: PracticeMailbox


def forbidden(reason: str) -> "ProblemError":
    """403 for a refusal of the mandate rules: ``reden`` is the reason code;
    the detail is fixed (never a name, a BSN or a letter)."""
    return ProblemError(403, DETAILS[ErrorCode.FORBIDDEN], code="forbidden", reden=reason)


#: A paper request's route and state on the wire (Dutch, docs/server.md) and in the box.
ROUTE_WIRE = {
    PAPER_ROUTE_UNTICK: s.PapierRoute.UITVINKEN,
    PAPER_ROUTE_HELPDESK: s.PapierRoute.HELPDESK,
}
STATE_WIRE = {
    "asked": s.PapierStatus.AANGEVRAAGD,
    "prepared": s.PapierStatus.VOORBEREID,
    "sent": s.PapierStatus.VERSTUURD,
    "done": s.PapierStatus.KLAAR,
}
STATE_BOX = {wire: box for box, wire in STATE_WIRE.items()}


class ProblemError(Exception):
    """An answer in problem+json (RFC 9457); ``extra`` members are added as they are."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(status)
        self.status, self.detail, self.code = status, detail, code
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int,
    detail: str = "",
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Fout")}
    body["status"] = status
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


def _frames(error: BaseException) -> str:
    """Where a fault happened: file:line only (no message, no values)."""
    return " < ".join(
        f"{Path(f.filename).name}:{f.lineno}" for f in traceback.extract_tb(error.__traceback__)
    )


class Guard:
    """Pure ASGI middleware: ``API-Version`` on every answer, and a fault of ours
    becomes a 500 problem+json (logged by type and frames, never its message)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_version(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["API-Version"] = API_VERSION
            await send(message)

        try:
            await self.app(scope, receive, send_with_version)
        except Exception as error:
            log.error("fault %s at %s", type(error).__name__, _frames(error))
            if started:
                raise
            await problem_response(500, "Er ging iets mis op de server.", code="server-error")(
                scope, receive, send_with_version
            )


class Service:
    """The practice box and the server store, and who may read what."""

    def __init__(
        self,
        data_dir: Path,
        database_url: str | None = None,
        *,
        box: PracticeMailbox | None = None,
        store: ServerStore | None = None,
    ):
        """Over the data folder, or everything in PostgreSQL with ``database_url``
        (one backend for the box's rules and the server's tables); ``box`` and
        ``store`` when they are open already (the CLI opens them before it loads
        FastAPI)."""
        self.data_dir = Path(data_dir)
        if box is None and store is None and database_url is not None:
            from app.mailbox.storage import open_postgres

            backend = open_postgres(database_url)
            try:
                store = ServerStore(backend)
                box = PracticeMailbox(backend)
            except BaseException:
                backend.close()
                raise
        self.box = box or PracticeMailbox(self.data_dir / PRACTICE_FILE)
        try:
            self.store = store or ServerStore(database_url or self.data_dir / SERVER_FILE)
        except BaseException:
            self.box.close()
            raise
        #: Pause between two magazijnen in ``_ophalen`` (seconds): 0, except to
        #: stand in for slow organisations in tests (BRIEVENTAFEL_OPHALEN_PAUSE_S).
        self.ophalen_pause = float(os.environ.get("BRIEVENTAFEL_OPHALEN_PAUSE_S") or 0)
        #: The session cache (FBS): people whose post was fetched (_ophalen) since
        #: the server started, and the fetches running now (person -> started).
        self._filled: set[str] = set()
        self._fetching: dict[str, float] = {}
        self._people: dict[str, str] = {}  # "BSN:..." -> person_id
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        #: (person_id, berichtId) -> the box's letter id, learnt as letters are looked up
        self._ids: dict[tuple[str, str], str] = {}
        self._visited: dict[str, date] = {}  # person -> the day of the visit last written
        #: Seconds between two watching rounds inside the server (0: none; issue 17).
        self.watch_interval = 0.0
        #: The round's mail server for notifications (an app.outbox.MailSettings;
        #: None: no e-mail) and the days until a repeat (None: the default).
        self.watch_mail: Any = None
        self.repeat_days: int | None = None
        self._load_people()

    def close(self) -> None:
        self.box.close()
        self.store.close()

    # -- people ------------------------------------------------------------------
    def _load_people(self) -> None:
        people = self.box.practice_people(with_mandates=True)
        self._people = {f"BSN:{p.bsn}": p.id for p in people if p.bsn}
        self._names = {p.id: p.name for p in people}

    def person_for(self, ontvanger: str) -> str | None:
        person = self._people.get(ontvanger)
        if person is None:
            self._load_people()
            person = self._people.get(ontvanger)
        return person

    def ontvanger_of(self, person_id: str) -> str:
        for ontvanger, pid in self._people.items():
            if pid == person_id:
                return ontvanger
        return ""

    def persoon(self, person_id: str) -> dict:
        return {
            "id": person_id,
            "naam": self._names.get(person_id, ""),
            "ontvanger": self.ontvanger_of(person_id),
        }

    def recipient(self, token_person: str, ontvanger: str) -> Recipient:
        """The person ``ontvanger`` (an X-Ontvanger value) names, with the box as
        ``token_person`` sees it: every call through it asks the mandate rules
        (app/mandates.py) for someone else's post; one's own post is as before.
        Refused at once (403) when the token's person may read nothing of theirs
        at all, or the recipient is unknown (told as ``no-mandate``: a stranger's
        BSN says nothing about whether it exists)."""
        person = self.person_for(ontvanger)
        if person is None:
            raise forbidden("no-mandate")
        view = self.box.for_holder(token_person)
        if person != token_person:
            view.has_letter(person, "")  # FORBIDDEN when nothing of theirs may be read
        who = Recipient(person)
        who.box = view
        return who

    # -- logins -----------------------------------------------------------------
    def login_paused(self, person_id: str) -> float:
        """Seconds until logins for this person may be tried again (0: now)."""
        now = time.monotonic()
        with self._lock:
            tries = [t for t in self._failures.get(person_id, []) if now - t < LOGIN_PAUSE_S]
            self._failures[person_id] = tries
            if len(tries) < LOGIN_TRIES:
                return 0
            return LOGIN_PAUSE_S - (now - tries[0])

    def login_failed(self, person_id: str) -> None:
        with self._lock:
            self._failures.setdefault(person_id, []).append(time.monotonic())

    # -- letters -----------------------------------------------------------------
    def resolve(self, person_id: str, bericht_id: uuid.UUID) -> str:
        """The practice box's id of this person's letter with FBS id ``bericht_id``."""
        wanted = str(bericht_id)
        known = self._ids.get((person_id, wanted))
        if known is not None and self.box.has_letter(person_id, known):
            return known
        ids = self.box.letter_ids(person_id)
        found = {fbs.fbs_id(letter_id): letter_id for letter_id in ids}
        with self._lock:
            if len(self._ids) > 100_000:
                self._ids.clear()
            self._ids.update({(person_id, bid): lid for bid, lid in found.items()})
        if wanted in found:
            return found[wanted]
        raise MailboxError("unknown-letter", wanted)

    def visited(self, person: str) -> None:
        """The person looked at their own post today (a sign-in or a list call):
        a visit for the watching rules (issue 17). A helper's look is not theirs.
        Written once a day per person."""
        view = getattr(person, "box", None)
        if view is not None and view.holder not in (None, str(person)):
            return
        today = date.today()
        if self._visited.get(str(person)) == today:
            return
        self.store.record_visit(str(person), today)
        self._visited[str(person)] = today

    # -- the session cache (FBS _ophalen) -------------------------------------------
    def cache_filled(self, person_id: str) -> bool:
        return person_id in self._filled

    def start_fetch(self, person_id: str) -> bool:
        """Mark a fetch for this person as running; False when one runs already
        (one that ran longer than OPHALEN_STALE_S counts as gone)."""
        now = time.monotonic()
        with self._lock:
            started = self._fetching.get(person_id)
            if started is not None and now - started < OPHALEN_STALE_S:
                return False
            self._fetching[person_id] = now
            return True

    def end_fetch(self, person_id: str, filled: bool) -> None:
        with self._lock:
            self._fetching.pop(person_id, None)
            if filled:
                self._filled.add(person_id)

    def magazijnen(self) -> set[str]:
        from app.mailbox.practice import store_id

        return set(self.store.oins().values()) | {store_id(o.id) for o in self.box.organisations()}

    def folder(self, letter_id: str) -> str:
        return self.store.maps([letter_id]).get(letter_id, DEFAULT_MAP)

    # -- delivery ------------------------------------------------------------------
    def deliver(self, org_id: str, data: dict, bijlagen: list[s.BijlageUpload]) -> tuple[str, str]:
        """Publish one message of ``org_id`` by the practice box's rule.

        Returns (outcome, person_id): outcome "digitaal" (stored, readable at
        once), "papier" (the organisation sends it by post; recorded), or
        "onbekend" (no such recipient). Raises ProblemError 409 when the
        berichtId is another person's letter."""
        ontvanger = f"{data['ontvanger']['type']}:{data['ontvanger']['waarde']}"
        person = self.person_for(ontvanger)
        if person is None:
            return "onbekend", ""
        bid = data["berichtId"].lower()
        today = date.today()
        published = data.get("publicatietijdstip")
        day = published.date() if isinstance(published, datetime) else today
        deadline = data.get("einddatumHandelingstermijn")
        action = fbs.FBS_TO_ACTION.get(data.get("handelingsperspectief") or "")
        files = []
        for item in bijlagen:
            try:
                content = base64.b64decode(item.inhoud, validate=True)
            except (binascii.Error, ValueError):
                raise ProblemError(400, "Een bijlage is geen geldige base64.") from None
            files.append((str(uuid.uuid4()), item, content))
        record = {
            "id": bid,
            "org": org_id,
            "subject": data["onderwerp"],
            "summary": data.get("samenvatting") or "",
            "body": data["inhoud"],
            "action": action.value if action else "lezen",
            "berichtType": data.get("berichtType") or "notificatie",
            "received_days_ago": max(0, (today - day).days),
            "deadline_in_days": None if deadline is None else (deadline - today).days,
            "amount_cents": data.get("bedragInCenten"),
            "reference": data.get("referentie") or "",
            "phone": data.get("telefoon") or "",
            "what_to_do": data.get("watTeDoen") or "",
            "bijlagen": [
                {"id": fid, "name": item.naam, "mediaType": item.mimeType, "size": len(content)}
                for fid, item, content in files
            ],
        }
        for fid, item, content in files:  # the bytes first: a letter never points at nothing
            self.store.put_bijlage(fid, bid, item.mimeType, content)
        route = self.box.publish(person, record)
        if route != "digital":
            self.store.forget_letter(bid)
            self.store.record_paper(bid, person, org_id)
            return "papier", person
        try:
            self.box.letter(person, bid)
        except MailboxError:
            raise ProblemError(409, "Dit berichtId is al in gebruik.") from None
        from .operator import deliverylog  # the letter's delivery log (issue 17)

        deliverylog.record(self.store, bid, deliverylog.DELIVERED, person, org_id)
        return "digitaal", person


# -- people and their grants on the wire (issue 13; docs/server.md "Wie mag wat") --------
RIGHTS_WIRE = {"read": "lezen", "read_and_act": "lezen-en-handelen"}


def _helper_of(grant: Any) -> str:
    """The helper of a mandate or the representative of a court decision."""
    return getattr(grant, "helper_id", None) or grant.representative_id


class Helper(s.Model):
    id: str
    naam: str


class Uitspraak(s.Model):
    nummer: str
    datum: date
    rechtbank: str


class Machtiging(s.Model):
    """Uitbreiding Brieventafel. Een machtiging of een rechterlijke uitspraak: wie
    (`helper`) wat mag met de post van wie (`persoon`); de regels: docs/mandates.md."""

    id: str
    relatie: Literal["machtiging", "curator", "mentor", "bewindvoerder"]
    persoon: str = Field(description="Wiens post het is (id uit /personen).")
    helper: Helper = Field(description="Wie helpt: gemachtigde of vertegenwoordiger.")
    rechten: Literal["lezen", "lezen-en-handelen"]
    organisaties: list[str] | Literal["alle"] = Field(
        description='De organisaties (ids) waarvoor het geldt, of "alle".'
    )
    ingangsdatum: date
    einddatum: date | None = Field(description="De laatste dag; null: geen einde.")
    ingetrokkenOp: date | None = None  # noqa: N815 - the wire's name
    ingetrokkenDoor: str | None = None  # noqa: N815 - the wire's name
    beeindigd: bool = Field(description="Voorbij: na de einddatum, of ingetrokken.")
    uitspraak: Uitspraak | None = Field(default=None, description="Alleen bij de rechter.")


class PersoonMetMachtigingen(s.Persoon):
    machtigingen: list[Machtiging] | None = s.ext(
        "Bij een ander: wat het token voor deze persoon mag. Bij de eigen persoon: "
        "wie iets voor hem of haar mag."
    )


class Inzage(s.Model):
    """Uitbreiding Brieventafel. Eén keer dat iemand anders de post bekeek."""

    wie: str = Field(description="De naam van wie het deed.")
    door: str = Field(description="Wie het deed (id).")
    wat: Literal["opened", "put-away", "asked-paper", "activated"]
    wanneer: datetime
    organisatie: str | None = None
    berichtId: str | None = None  # noqa: N815 - the wire's name
    tekst: str = Field(description="De zin die de ontvanger leest.")


def create_app(data_dir: Path, *, service: Service | None = None) -> FastAPI:
    svc = service or Service(data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        watching = None
        if svc.watch_interval > 0:  # the operator's round inside the server (issue 17)
            from .operator.watch import watch_forever

            watching = asyncio.create_task(
                watch_forever(
                    svc.box,
                    svc.store,
                    svc.data_dir,
                    svc.watch_interval,
                    settings=svc.watch_mail,
                    repeat_days=svc.repeat_days,
                )
            )
        yield
        if watching is not None:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
        svc.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Brieventafel-server (FBS Berichten Uitvraag)",
        version=API_VERSION,
        description=(
            "De Berichten Uitvraag API van het Federatief Berichtenstelsel (FBS), zoals in "
            "resources/contracts/fbs-berichtenuitvraag-api.yaml, met uitbreidingen van "
            "Brieventafel. Alles wat FBS niet heeft, draagt `x-brieventafel: true` en de "
            "tag Brieventafel."
        ),
        openapi_url=f"{BASE}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(Guard)
    app.state.service = svc

    # -- every error as problem+json ------------------------------------------------
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError):
        return problem_response(
            error.status, error.detail, code=error.code, headers=error.headers, **error.extra
        )

    @app.exception_handler(MailboxError)
    async def _mailbox(request: Request, error: MailboxError):
        if error.code == ErrorCode.FORBIDDEN:
            reason = error.detail if error.detail in REASONS else "no-mandate"
            return problem_response(
                403, DETAILS[ErrorCode.FORBIDDEN], code="forbidden", reden=reason
            )
        status = STATUS_OF.get(error.code, 409)
        return problem_response(status, DETAILS.get(error.code, ""), code=error.code.value)

    if svc.store.kind == "postgresql":
        import psycopg

        @app.exception_handler(psycopg.OperationalError)
        async def _store_down(request: Request, error: Exception):
            log.error("store unreachable: %s", type(error).__name__)
            return problem_response(
                503,
                "De opslag is even niet bereikbaar. Probeer het zo opnieuw.",
                code="storage-failed",
                headers={"Retry-After": "5"},
            )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        return problem_response(error.status_code, headers=dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError):
        # Names where, never what: the value may be a BSN or letter text.
        where = sorted(
            {".".join(str(p) for p in e.get("loc", ()) if p != "body") for e in error.errors()}
        )
        return problem_response(400, "Ongeldige waarde: " + ", ".join(w or "body" for w in where))

    # -- who is asking -------------------------------------------------------------
    bearer = HTTPBearer(auto_error=False, description="Token van POST /api/v1/_login.")
    basic = HTTPBasic(
        auto_error=False, description="Afnemer: OIN als naam, sleutel als wachtwoord."
    )

    def token_person(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        person = svc.store.token_person(creds.credentials) if creds else None
        if person is None:
            raise ProblemError(
                401,
                "Meld u aan. Het token ontbreekt, is verlopen of is afgemeld.",
                code="unauthorized",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return person

    Ontvanger = Annotated[  # noqa: N806 - a type
        str,
        Header(
            alias="X-Ontvanger",
            pattern=s.ONTVANGER_PATTERN,
            description="Type:waarde, bijv. `BSN:999990019`",
        ),
    ]

    def reader(x_ontvanger: Ontvanger, person: Annotated[str, Depends(token_person)]) -> str:
        """Whose post is read: the token's own, or someone they act for (the box decides)."""
        return svc.recipient(person, x_ontvanger)

    def owner(x_ontvanger: Ontvanger, person: Annotated[str, Depends(token_person)]) -> str:
        """Whose account is changed: the token's own, or someone they act for; the
        box refuses what the mandate does not allow (``read-only``, ``curator-only``...)."""
        return svc.recipient(person, x_ontvanger)

    def box(person: str) -> PracticeMailbox:
        """The box as the token's person sees it, for a request about ``person``."""
        return getattr(person, "box", None) or svc.box

    def afnemer(creds: Annotated[HTTPBasicCredentials | None, Depends(basic)]):
        found = svc.store.afnemer(creds.username, creds.password) if creds else None
        if found is None:
            raise ProblemError(
                401,
                "Meld de organisatie aan met haar OIN en sleutel.",
                code="unauthorized",
                headers={"WWW-Authenticate": 'Basic realm="afnemer"'},
            )
        return found

    def content_type(*allowed: str) -> Callable[[Request], None]:
        def check(request: Request) -> None:
            kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            if kind not in allowed:
                raise ProblemError(415, f"Stuur de inhoud als {allowed[0]}.")

        return check

    merge_patch = content_type("application/merge-patch+json")

    Reader = Annotated[str, Depends(reader)]  # noqa: N806 - a type
    Owner = Annotated[str, Depends(owner)]  # noqa: N806 - a type
    OrgId = Annotated[str, PathParam(min_length=1, max_length=100)]  # noqa: N806 - a type
    MagazijnId = Annotated[str, Query(min_length=1, max_length=200)]  # noqa: N806
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": s.Problem} for code in (400, 401, 403, 404)
    }
    ours: dict[str, Any] = {"tags": ["Brieventafel"], "openapi_extra": s.EXT}
    cache_errors: dict[int | str, dict[str, Any]] = {
        **errors,
        409: {"model": s.Problem, "description": "De cache is nog niet gevuld: eerst _ophalen."},
    }

    def page_links(pagina: int, size: int, more: bool, content: bool = False) -> dict:
        extra = "&metInhoud=true" if content else ""

        def href(p: int) -> dict:
            return {"href": f"{BASE}/berichten?pagina={p}&paginaGrootte={size}{extra}"}

        links = {"self": href(pagina)}
        if more:
            links["next"] = href(pagina + 1)
        if pagina > 0:
            links["prev"] = href(pagina - 1)
        return links

    def summaries(letters, content: bool = False) -> list[dict]:
        oins = svc.store.oins()
        maps = svc.store.maps([letter.id for letter in letters])
        shape = fbs.with_content if content else fbs.summary
        return [shape(x, oins, maps.get(x.id, DEFAULT_MAP)) for x in letters]

    def one(person: str, letter_id: str, *, checked: bool = True) -> dict:
        """One letter in FBS shape; through the holder's view unless ``checked`` is
        False (the call before asked the rules already, and logged the look)."""
        letter = (box(person) if checked else svc.box).letter(person, letter_id)
        return fbs.detail(letter, svc.store.oins(), svc.folder(letter_id))

    def cache_filled(person: str) -> None:
        """FBS: the list and search read the session cache; until _ophalen filled
        it for this recipient (since the server started) they answer 409."""
        if not svc.cache_filled(person):
            raise ProblemError(
                409,
                "De post is nog niet opgehaald. Roep eerst /berichten/_ophalen aan.",
                code="not-ready",
            )

    def check_magazijn(person: str, letter_id: str, magazijn_id: str) -> None:
        if magazijn_id not in svc.magazijnen():
            raise ProblemError(502, "Dit magazijn is onbekend.")
        letter = svc.box.letter(person, letter_id)
        if fbs.magazijn(letter, svc.store.oins()) != magazijn_id:
            raise MailboxError("unknown-letter", letter_id)

    # -- FBS: berichten ----------------------------------------------------------------
    @app.get(
        f"{BASE}/berichten",
        response_model=s.BerichtenLijst,
        response_model_exclude_none=True,
        tags=["Uitvraag"],
        responses=cache_errors,
        operation_id="getBerichten",
    )
    def get_berichten(
        person: Reader,
        pagina: Annotated[int, Query(ge=0)] = 0,
        paginaGrootte: Annotated[int, Query(ge=1, le=200)] = 20,  # noqa: N803 - FBS's name
        metInhoud: Annotated[bool, Query(description=WITH_CONTENT)] = False,  # noqa: N803
    ):
        cache_filled(person)
        svc.visited(person)
        offset = pagina * paginaGrootte
        letters: list[Letter] = []
        more = False
        if offset <= 2**62:
            letters, _ = box(person).letters_page(person, offset, paginaGrootte)
            nxt, aside = box(person).letters_page(person, offset + paginaGrootte, 1)
            more = bool(nxt or aside)
        return {
            "berichten": summaries(letters, metInhoud),
            "_links": page_links(pagina, paginaGrootte, more, metInhoud),
        }

    @app.get(
        f"{BASE}/berichten/_zoeken",
        response_model=s.BerichtenLijst,
        response_model_exclude_none=True,
        tags=["Uitvraag"],
        responses=cache_errors,
        operation_id="zoekenBerichten",
    )
    def zoeken(person: Reader, q: Annotated[str, Query(min_length=2, max_length=200)]):
        cache_filled(person)
        wanted = q.casefold()
        found = [
            x
            for x in reversed(box(person).letters(person).letters)
            if any(wanted in t.casefold() for t in (x.subject, x.summary, x.body, x.sender))
        ]
        return {"berichten": summaries(found)}

    # -- FBS: _ophalen (Server-Sent Events) -----------------------------------------------
    def frame(event: dict[str, Any]) -> bytes:
        # One data line per event: json.dumps escapes a newline in a name.
        return b"data: " + json.dumps(event, ensure_ascii=False).encode("utf-8") + b"\n\n"

    async def ophalen_events(person: str):
        """Per magazijn (one per organisation) 'gestart' and 'voltooid', then
        'ophalen-gereed'; a fault of ours ends in 'ophalen-fout' instead. The
        cache counts as filled only when 'ophalen-gereed' is sent."""
        done = failed = total = 0
        filled = False
        try:
            try:
                orgs = await asyncio.to_thread(svc.box.organisations)
                letters = (await asyncio.to_thread(box(person).letters, person)).letters
                oins = await asyncio.to_thread(svc.store.oins)
            except Exception as error:
                ref = secrets.token_hex(4)
                log.error("ophalen %s: fault %s at %s", ref, type(error).__name__, _frames(error))
                yield frame(
                    {
                        "event": "ophalen-fout",
                        "foutmelding": f"De post kon niet worden opgehaald (ref: {ref}).",
                        "totaalMagazijnen": 0,
                        "referentie": ref,
                    }
                )
                return
            counts: dict[str, int] = {}
            for letter in letters:
                counts[letter.org_id] = counts.get(letter.org_id, 0) + 1
            for org in orgs:
                magazijn_id = oins.get(org.id) or fbs.store_id(org.id)
                yield frame(
                    {
                        "event": "magazijn-bevraging-gestart",
                        "magazijnId": magazijn_id,
                        "naam": org.name,
                    }
                )
                if svc.ophalen_pause:
                    await asyncio.sleep(svc.ophalen_pause)
                count = counts.get(org.id, 0)
                total += count
                done += 1
                yield frame(
                    {
                        "event": "magazijn-bevraging-voltooid",
                        "magazijnId": magazijn_id,
                        "naam": org.name,
                        "status": "OK",
                        "aantalBerichten": count,
                    }
                )
            filled = True
            svc.end_fetch(person, filled=True)
            yield frame(
                {
                    "event": "ophalen-gereed",
                    "totaalBerichten": total,
                    "geslaagd": done,
                    "mislukt": failed,
                    "totaalMagazijnen": done + failed,
                }
            )
        finally:
            if not filled:
                svc.end_fetch(person, filled=False)

    ophalen_doc: dict[str, Any] = {
        "tags": ["Ophalen"],
        "response_class": StreamingResponse,
        "responses": {
            **errors,
            200: {
                "description": "SSE-stream: per event één `data:`-regel met JSON.",
                "content": {SSE: {"schema": s.SSE_EVENT}},
            },
            409: {"model": s.Problem, "description": "Er loopt al een ophaling."},
        },
    }

    def ophalen(person: str) -> StreamingResponse:
        svc.visited(person)
        if not svc.start_fetch(person):
            raise ProblemError(
                409, "De post wordt al opgehaald. Wacht tot dat klaar is.", code="not-ready"
            )
        return StreamingResponse(
            ophalen_events(person),
            media_type=SSE,
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @app.get(f"{BASE}/berichten/_ophalen", operation_id="ophalenBerichten", **ophalen_doc)
    def ophalen_get(person: Reader):
        """Vult de cache voor alle mappen: per magazijn een voortgangsevent, dan
        `ophalen-gereed`. Komt dat laatste niet, dan is het ophalen niet af."""
        return ophalen(person)

    @app.post(
        f"{BASE}/berichten/_ophalen",
        operation_id="ophalenBerichtenPost",
        openapi_extra=s.EXT,
        **ophalen_doc,
    )
    def ophalen_post(person: Reader):
        """Uitbreiding Brieventafel: hetzelfde als GET (FBS heeft GET)."""
        return ophalen(person)

    @app.get(
        f"{BASE}/berichten/{{berichtId}}",
        response_model=s.Bericht,
        response_model_exclude_none=True,
        tags=["Uitvraag"],
        responses=errors,
        operation_id="getBerichtById",
    )
    def get_bericht(person: Reader, berichtId: uuid.UUID):  # noqa: N803
        return one(person, svc.resolve(person, berichtId))

    @app.patch(
        f"{BASE}/berichten/{{berichtId}}",
        response_model=s.Bericht,
        response_model_exclude_none=True,
        tags=["Uitvraag"],
        responses={**errors, 415: {"model": s.Problem}},
        operation_id="updateBerichtMetadata",
        dependencies=[Depends(merge_patch)],
    )
    def patch_bericht(
        person: Reader,
        berichtId: uuid.UUID,  # noqa: N803
        magazijnId: MagazijnId,  # noqa: N803
        patch: Annotated[s.BerichtPatch, Body(media_type="application/merge-patch+json")],
    ):
        if not patch.model_fields_set:
            raise ProblemError(400, "Geef status of map mee.")
        letter_id = svc.resolve(person, berichtId)
        check_magazijn(person, letter_id, magazijnId)
        if patch.map is not None:  # moving a letter is putting it away: a helper needs "act"
            box(person).put_away(person, letter_id)
        if patch.status == s.BerichtStatus.GELEZEN:
            box(person).mark_read(person, letter_id)
            if box(person).holder in (None, str(person)):  # the person, not a helper
                from .operator import deliverylog  # issue 17: when it was read

                deliverylog.record(svc.store, letter_id, deliverylog.READ, str(person), "")
        elif patch.status == s.BerichtStatus.ONGELEZEN:
            box(person).mark_unread(person, letter_id)
        if patch.map is not None:
            svc.store.set_map(letter_id, patch.map)
        return one(person, letter_id, checked=False)  # checked (and logged) above

    @app.delete(
        f"{BASE}/berichten/{{berichtId}}",
        status_code=204,
        tags=["Uitvraag"],
        responses=errors,
        operation_id="verwijderBericht",
    )
    def delete_bericht(person: Reader, berichtId: uuid.UUID, magazijnId: MagazijnId):  # noqa: N803
        letter_id = svc.resolve(person, berichtId)
        check_magazijn(person, letter_id, magazijnId)
        box(person).delete_letter(person, letter_id)
        svc.store.forget_letter(letter_id)
        return Response(status_code=204)

    @app.get(
        f"{BASE}/berichten/{{berichtId}}/bijlagen/{{bijlageId}}",
        tags=["Uitvraag"],
        responses={**errors, 200: {"content": {"*/*": {}}}},
        operation_id="getBijlage",
    )
    def get_bijlage(person: Reader, berichtId: uuid.UUID, bijlageId: uuid.UUID):  # noqa: N803
        letter_id = svc.resolve(person, berichtId)
        letter = box(person).letter(person, letter_id)
        for item in letter.attachments:
            if fbs.fbs_id(item.id) == str(bijlageId):
                content = svc.store.bijlage(item.id, letter_id)
                if content is None:
                    content = fbs.practice_pdf()
                return Response(
                    content,
                    media_type=item.media_type,
                    headers={
                        "Content-Disposition": "attachment",
                        "X-Content-Type-Options": "nosniff",
                    },
                )
        raise ProblemError(404, "Deze bijlage bestaat niet.", code="unknown-letter")

    # -- FBS: aanmeldingen (CloudEvents) -------------------------------------------------
    @app.post(
        f"{BASE}/aanmeldingen",
        status_code=202,
        tags=["Aanmeld"],
        responses={code: {"model": s.Problem} for code in (400, 401, 403, 415)},
        operation_id="meldBerichtAan",
        dependencies=[Depends(content_type("application/cloudevents+json", "application/json"))],
        openapi_extra={
            "description": "Brieventafel vraagt, anders dan FBS, dat de afzender zich aanmeldt "
            "als afnemer (HTTP Basic: OIN en sleutel); `data.afzender` moet dat OIN zijn."
        },
    )
    def aanmelding(
        event: Annotated[s.CloudEvent, Body(media_type="application/cloudevents+json")],
        who: Annotated[Any, Depends(afnemer)],
    ):
        if event.data.afzender != who.oin:
            raise ProblemError(403, "De afzender is niet de organisatie die zich aanmeldde.")
        if svc.store.event_outcome(event.source, event.id) is None:
            data = event.data.model_dump()
            outcome, _ = svc.deliver(who.org_id, data, event.data.bijlagen or [])
            svc.store.record_event(event.source, event.id, data["berichtId"].lower(), outcome)
        return Response(status_code=202)

    # -- Brieventafel: organisations deliver (afnemer) -----------------------------------
    @app.post(
        f"{BASE}/afnemer/berichten",
        status_code=201,
        response_model=s.Publicatie,
        responses={
            202: {"model": s.Publicatie, "description": "Door de wet vast: gaat op papier."},
            400: {"model": s.Problem},
            401: {"model": s.Problem},
            409: {"model": s.Problem, "description": "Niet aangevinkt: gaat op papier."},
            422: {"model": s.Problem, "description": "Onbekende ontvanger."},
        },
        **ours,
    )
    def afnemer_bericht(bericht: s.AfnemerBericht, who: Annotated[Any, Depends(afnemer)]):
        data = bericht.model_dump()
        data["berichtId"] = (bericht.berichtId or str(uuid.uuid4())).lower()
        data["afzender"] = who.oin
        event_id = str(uuid.uuid4())
        outcome, _ = svc.deliver(who.org_id, data, bericht.bijlagen or [])
        source = f"urn:nld:oin:{who.oin}:systeem:brieventafel-afnemer"
        svc.store.record_event(source, event_id, data["berichtId"], outcome)
        if outcome == "onbekend":
            raise ProblemError(422, "Deze ontvanger is onbekend.", code="unknown-person")
        answer = {"berichtId": data["berichtId"], "bezorging": outcome}
        if outcome == "digitaal":
            return JSONResponse(
                answer,
                status_code=201,
                headers={"Location": f"{BASE}/berichten/{data['berichtId']}"},
            )
        org = svc.box.organisation(who.org_id)
        if org.fixed_by_law:
            return JSONResponse(answer, status_code=202)
        raise ProblemError(
            409,
            DETAILS[ErrorCode.NOT_TICKED],
            code="not-ticked",
            berichtId=data["berichtId"],
            bezorging="papier",
        )

    # -- Brieventafel: login, people, account ----------------------------------------------
    @app.post(
        f"{BASE}/_login", response_model=s.Sessie, responses={401: {"model": s.Problem}}, **ours
    )
    def login(body: s.Login):
        """Oefenlogin: persoon en pincode (zie docs/server.md). Geeft een bearer token."""
        wait = svc.login_paused(body.persoon)
        if wait:
            raise ProblemError(
                429,
                "Te veel foute pogingen. Probeer het later opnieuw.",
                headers={"Retry-After": str(int(wait) + 1)},
            )
        if not svc.store.check_pin(body.persoon, body.pin):
            if svc.store.has_pin(body.persoon):  # unknown names are not counted (no growth)
                svc.login_failed(body.persoon)
            raise ProblemError(401, "Persoon of pincode klopt niet.", code="unauthorized")
        token, expires = svc.store.new_token(body.persoon)
        svc.visited(body.persoon)
        return {"token": token, "verlooptOp": expires, "persoon": svc.persoon(body.persoon)}

    @app.post(f"{BASE}/_logout", status_code=204, responses={401: {"model": s.Problem}}, **ours)
    def logout(
        person: Annotated[str, Depends(token_person)],
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ):
        """Het token vervalt meteen."""
        if creds is not None:
            svc.store.revoke(creds.credentials)
        return Response(status_code=204)

    @app.get(
        f"{BASE}/personen",
        response_model=list[PersoonMetMachtigingen],
        responses=errors,
        **ours,
    )
    def personen(person: Annotated[str, Depends(token_person)]):
        """Wiens post dit token mag lezen: de eigen eerst, dan wie een machtiging of
        een rechterlijke uitspraak gaf (ook een die net afliep, zodat de app kan
        zeggen waarom er niets nieuws komt). Met `ontvanger` voor `X-Ontvanger`.
        Bij elke persoon `machtigingen`: bij een ander wat het token voor die persoon
        mag (relatie, rechten, organisaties, van en tot wanneer, of het voorbij is);
        bij de eigen persoon wie iets voor hem of haar mag (docs/server.md)."""
        view = svc.box.for_holder(person)
        grants = view.grants()  # the ones the token's person is part of (the box's rule)
        today = svc.box._today()
        every: list[Any] = [*grants.representations, *grants.mandates]
        answer = []
        for p in view.people():
            if p.id == person:  # who may act for me
                mine = [g for g in every if g.person_id == person]
            else:  # what I may do for them
                mine = [g for g in every if g.person_id == p.id and _helper_of(g) == person]
            item = svc.persoon(p.id)
            item["machtigingen"] = [grant_answer(g, grants.areas, today) for g in mine]
            answer.append(item)
        return answer

    def grant_answer(grant: Any, areas: Any, today: date) -> dict[str, Any]:
        from app import mandates as mnd

        helper = _helper_of(grant)
        record: dict[str, Any] = {
            "id": grant.id,
            "persoon": grant.person_id,
            "helper": {"id": helper, "naam": svc.persoon(helper)["naam"]},
            "einddatum": grant.ends_on,
        }
        if isinstance(grant, mnd.Mandate):
            revoked = grant.revoked_on is not None and grant.revoked_on <= today
            orgs: list[str] | str = (
                "alle" if grant.organisations is None else sorted(grant.organisations)
            )
            return {
                **record,
                "relatie": "machtiging",
                "rechten": RIGHTS_WIRE[grant.rights],
                "organisaties": orgs,
                "ingangsdatum": grant.starts_on,
                "ingetrokkenOp": grant.revoked_on,
                "ingetrokkenDoor": grant.revoked_by,
                "beeindigd": revoked or today > grant.ends_on,
            }
        covered = {mnd.Kind.BEWINDVOERDER: areas.financial, mnd.Kind.MENTOR: areas.care}
        area = covered.get(grant.kind)
        return {
            **record,
            "relatie": grant.kind.value,
            "rechten": RIGHTS_WIRE[mnd.Rights.READ_AND_ACT],
            "organisaties": "alle" if area is None else sorted(area),
            "ingangsdatum": grant.decision_date,
            "beeindigd": grant.ends_on is not None and today > grant.ends_on,
            "uitspraak": {
                "nummer": grant.decision_number,
                "datum": grant.decision_date,
                "rechtbank": grant.court,
            },
        }

    @app.get(f"{BASE}/inzage", response_model=list[Inzage], responses=errors, **ours)
    def inzage(person: Reader) -> list[dict]:
        """Wie heeft mijn post bekeken? Elke keer dat iemand anders een brief van de
        ontvanger opende, opborg of papier aanvroeg, nieuwste eerst, met de zin die
        de ontvanger leest. Een helper ziet alleen wat hijzelf deed. Er is geen
        manier om dit te veranderen of te wissen (issue 13)."""
        from app.mandates import access_log_lines

        entries = sorted(box(person).access_log(person), key=lambda e: e.at, reverse=True)
        orgs = {o.id: o.name for o in svc.box.organisations()}
        today = svc.box._today()
        return [
            {
                "wie": svc.persoon(e.holder_id)["naam"],
                "door": e.holder_id,
                "berichtId": fbs.fbs_id(e.letter_id) if e.letter_id else None,
                "wat": e.event.value,
                "wanneer": e.at.isoformat(),
                "organisatie": e.org_id,
                "tekst": access_log_lines(
                    [e], str(person), names=svc._names, organisations=orgs, today=today
                )[0],
            }
            for e in entries
        ]

    @app.get(f"{BASE}/organisaties", response_model=list[s.Organisatie], responses=errors, **ours)
    def organisaties(person: Annotated[str, Depends(token_person)]):
        oins = svc.store.oins()
        return [organisatie_answer(o, oins) for o in svc.box.organisations()]

    @app.get(
        f"{BASE}/account",
        response_model=s.AccountStatus,
        responses=errors,
        **ours,
    )
    def account(person: Reader):
        """Hoe de Berichtenbox van de ontvanger staat. Verandert niets."""
        return account_answer(person)

    def account_answer(person: str) -> dict[str, Any]:
        st = box(person).account_status(person)
        order = [o.id for o in svc.box.organisations()]
        return {
            "ontvanger": svc.ontvanger_of(person),
            "actief": st.active,
            "geactiveerdOp": st.activated_on,
            "aangevinkt": [o for o in order if o in st.ticked],
            "eMailadres": st.email,
            "herinnering": st.repeat_reminder,
        }

    # -- Brieventafel: the account's rules (the practice box decides; docs/server.md) ---
    # Each is a thin face over one PracticeMailbox method: a refusal of the rules is
    # its MailboxError, answered as problem+json with that code (STATUS_OF, DETAILS).
    # Reading needs may_read, changing needs may_change (for now: the token's own).
    refusals: dict[int | str, dict[str, Any]] = {
        **errors,
        409: {"model": s.Problem, "description": "De regels zeggen nee; `code` zegt waarom."},
    }

    def tick_answer(change: TickChange) -> dict[str, Any]:
        return {
            "organisatie": change.org_id,
            "aangevinkt": change.ticked,
            "gewijzigdOp": change.changed_on,
            "ingangsdatum": change.effective_on,
            "gewijzigd": change.changed,
        }

    def paper_answer(request: PaperRequest) -> dict[str, Any]:
        return {
            "organisatie": request.org_id,
            "route": ROUTE_WIRE[request.route],
            "status": STATE_WIRE[request.state],
            "aangevraagdOp": request.requested_on,
            "papierVanaf": request.paper_from,
            "klaarOp": request.done_on,
            "nieuw": request.new,
        }

    def offer_answer(offer: ActivationOffer) -> dict[str, Any]:
        return {
            "aanbodToken": offer.token,
            "organisaties": list(offer.org_ids),
            "wettelijkVerplicht": list(offer.by_law),
            "papier": list(offer.paper_ids),
            "aangebodenOp": offer.offered_on,
        }

    def organisatie_answer(org, oins: dict[str, str]) -> dict[str, Any]:
        return {
            "id": org.id,
            "naam": org.name,
            "volledigeNaam": org.full_name,
            "oin": oins.get(org.id),
            "wettelijkVerplicht": org.fixed_by_law,
            "telefoon": org.phone,
        }

    @app.get(f"{BASE}/account/vinkjes", response_model=list[s.Vinkje], responses=errors, **ours)
    def vinkjes(person: Reader):
        """Per organisatie: stuurt zij digitaal (aangevinkt)? De Belastingdienst staat
        door de wet vast. Verandert niets."""
        ticked = box(person).account_status(person).ticked
        return [
            {
                "organisatie": o.id,
                "naam": o.name,
                "aangevinkt": o.id in ticked,
                "wettelijkVerplicht": o.fixed_by_law,
            }
            for o in svc.box.organisations()
        ]

    @app.get(
        f"{BASE}/account/vinkjes/_historie",
        response_model=list[s.VinkjeWijziging],
        responses=errors,
        **ours,
    )
    def vinkjes_historie(person: Reader):
        """Elke wijziging van een vinkje, oudste eerst, met de dag dat zij ingaat."""
        return [tick_answer(c) for c in box(person).tick_history(person)]

    @app.put(
        f"{BASE}/account/vinkjes/{{organisatie}}",
        response_model=s.VinkjeWijziging,
        responses=refusals,
        **ours,
    )
    def vinkje_zetten(person: Owner, organisatie: OrgId, body: s.VinkjeZetten):
        """Aan: digitaal vanaf vandaag. Uit: weer papier na ongeveer drie weken.
        Geweigerd: `not-active`, `fixed-by-law` (de Belastingdienst), 404
        `unknown-organisation`. Nog eens hetzelfde verandert niets (`gewijzigd: false`)."""
        return tick_answer(box(person).set_tick(person, organisatie, body.aangevinkt))

    @app.post(
        f"{BASE}/account/_activatieaanbod",
        response_model=s.Activatieaanbod,
        responses=refusals,
        **ours,
    )
    def activatieaanbod(person: Owner, body: s.ActivatieVraag):
        """Wat aanzetten met deze organisaties zou doen, met het token voor
        `_activeren` (ondertekend; alleen deze ontvanger, deze keuze, vandaag).
        Verandert niets. Geweigerd: `already-active`, 404 `unknown-organisation`."""
        return offer_answer(box(person).activation_offer(person, body.organisaties))

    @app.post(
        f"{BASE}/account/_activeren",
        response_model=s.AccountStatus,
        responses=refusals,
        **ours,
    )
    def activeren(person: Owner, body: s.Activeren):
        """Zet de Berichtenbox aan: de enige manier, en niet terug te draaien. Geweigerd:
        `confirmation-required` (niet bevestigd), `invalid-confirmation` (token vals,
        of voor een ander of een andere keuze), `confirmation-expired` (een aanbod van
        een andere dag), `already-active`, 404 `unknown-organisation`."""
        box(person).activate(person, body.aanbodToken, body.organisaties, confirmed=body.bevestigd)
        return account_answer(person)

    @app.get(
        f"{BASE}/account/nieuwe-organisaties",
        response_model=list[s.Organisatie],
        responses=errors,
        **ours,
    )
    def nieuwe_organisaties(person: Reader):
        """Organisaties die na het aanzetten erbij kwamen en nog niet gevraagd zijn.
        Leeg als de Berichtenbox niet aan staat. Verandert niets."""
        oins = svc.store.oins()
        return [organisatie_answer(o, oins) for o in box(person).new_organisations(person)]

    @app.post(
        f"{BASE}/account/nieuwe-organisaties/{{organisatie}}",
        response_model=s.VinkjeWijziging,
        responses=refusals,
        **ours,
    )
    def nieuwe_organisatie_antwoord(
        person: Owner, organisatie: OrgId, body: s.NieuweOrganisatieAntwoord
    ):
        """Het ene antwoord over een nieuwe organisatie; nee is de standaard.
        Geweigerd: `already-asked`, `not-new`, `not-active`."""
        change = box(person).answer_new_organisation(person, organisatie, body.aangevinkt)
        return tick_answer(change)

    @app.get(
        f"{BASE}/account/papier",
        response_model=list[s.Papieraanvraag],
        responses=errors,
        **ours,
    )
    def papier(person: Reader):
        """Elke papieraanvraag en hoe ver zij is (vandaag). Verandert niets."""
        return [paper_answer(r) for r in box(person).paper_requests(person)]

    @app.get(
        f"{BASE}/account/papier/_aanbod",
        response_model=list[s.Papieraanvraag],
        responses=refusals,
        **ours,
    )
    def papier_aanbod(person: Reader):
        """Wat `POST papier/_alles` nu zou doen (`nieuw: true`) en wat al staat.
        Verandert niets. Geweigerd: `not-active`."""
        return [paper_answer(r) for r in box(person).paper_offer(person)]

    @app.post(
        f"{BASE}/account/papier/_alles",
        response_model=list[s.Papieraanvraag],
        responses=refusals,
        **ours,
    )
    def papier_alles(person: Owner):
        """Papier van elke organisatie die digitaal stuurt, één voor één (elk
        helemaal of niet); nog eens vragen doet de rest. Geweigerd: `not-active`."""
        return [paper_answer(r) for r in box(person).request_paper_all(person)]

    @app.post(
        f"{BASE}/account/papier/{{organisatie}}",
        response_model=s.Papieraanvraag,
        responses=refusals,
        **ours,
    )
    def papier_vragen(person: Owner, organisatie: OrgId):
        """Papier van één organisatie: uitvinken en vastleggen in één stap, of (de
        Belastingdienst) een aanvraag om te bellen of te posten. Stond zij al:
        `nieuw: false`. Geweigerd: `not-active`, `not-ticked`, 404 `unknown-organisation`."""
        return paper_answer(box(person).request_paper(person, organisatie))

    @app.put(
        f"{BASE}/account/papier/{{organisatie}}",
        response_model=s.Papieraanvraag,
        responses=refusals,
        **ours,
    )
    def papier_status(person: Owner, organisatie: OrgId, body: s.PapierStatusZetten):
        """Alleen de route `helpdesk`: gebeld of gepost (`verstuurd`), de post komt op
        papier (`klaar`), of terug naar `voorbereid`. Geweigerd: `bad-state`, 404
        `unknown-request`."""
        request = box(person).set_paper_request_state(person, organisatie, STATE_BOX[body.status])
        return paper_answer(request)

    # -- Brieventafel: the operator's view (issue 17, docs/operator.md) ----------------
    @app.get(f"{BASE}/_beheer/rapport", responses={401: {"model": s.Problem}}, **ours)
    def beheer_rapport(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ):
        """Voor beheerders (token in BRIEVENTAFEL_ADMIN_TOKEN): de cijfers van deze
        server, zonder persoonsgegevens."""
        import hmac

        wanted = os.environ.get("BRIEVENTAFEL_ADMIN_TOKEN") or ""
        given = creds.credentials if creds else ""
        if len(wanted) < 16 or not hmac.compare_digest(wanted.encode(), given.encode()):
            raise ProblemError(
                401,
                "Alleen voor beheerders.",
                code="unauthorized",
                headers={"WWW-Authenticate": "Bearer"},
            )
        from .operator.report import figures

        return figures(svc.box, svc.store, date.today())

    # -- Brieventafel: a letter's delivery log (issue 17, docs/server.md) --------------
    from .operator import deliverylog

    @app.get(
        f"{BASE}/berichten/{{berichtId}}/_bezorging",
        response_model=deliverylog.Bezorglog,
        response_model_exclude_none=True,
        responses=errors,
        **ours,
    )
    def bezorging(person: Reader, berichtId: uuid.UUID):  # noqa: N803
        """Het bezorglog van een brief, voor de ontvanger zelf (een helper: 403):
        wanneer bezorgd, elke poging van de e-mail en wat de mailserver zei, wanneer
        gelezen, wat op papier ging, wat de afzender hoorde; per stap een zin."""
        if box(person).holder not in (None, str(person)):
            raise ProblemError(403, "Alleen de ontvanger zelf ziet dit.", code="forbidden")
        try:
            letter_id = svc.resolve(person, berichtId)
        except MailboxError:
            paper = svc.store.paper(str(berichtId))
            if paper is None or paper[0] != str(person):
                raise
            day = deliverylog.paper_day(svc.store, str(berichtId))
            return deliverylog.on_paper(str(berichtId), paper[1], day, recipient=True)
        letter = svc.box.letter(person, letter_id)
        return deliverylog.for_letter(svc.store, svc.data_dir, person, letter, recipient=True)

    @app.get(
        f"{BASE}/contactherstel",
        response_model=list[deliverylog.Contactbrief],
        responses=errors,
        **ours,
    )
    def contactherstel(person: Reader):
        """De brieven op papier die de server de ontvanger stuurde omdat post
        ongelezen bleef of e-mail niet aankwam (voor het bewijsdossier), oudste
        eerst, met de regels zoals verstuurd (zonder adres). Alleen de ontvanger zelf."""
        if box(person).holder not in (None, str(person)):
            raise ProblemError(403, "Alleen de ontvanger zelf ziet dit.", code="forbidden")
        return deliverylog.contact_letters(svc.store, str(person))

    @app.get(
        f"{BASE}/afnemer/berichten/{{berichtId}}/_bezorging",
        response_model=deliverylog.Bezorglog,
        response_model_exclude_none=True,
        responses={code: {"model": s.Problem} for code in (400, 401, 404)},
        **ours,
    )
    def afnemer_bezorging(
        berichtId: uuid.UUID,  # noqa: N803
        who: Annotated[Any, Depends(afnemer)],
    ):
        """Het bezorglog van een brief die deze organisatie stuurde (HTTP Basic: OIN
        en sleutel): bezorgd, elke poging van de e-mail, gelezen, op papier. Een
        brief van een ander: 404, net als een onbekende."""
        bid = str(berichtId)
        paper = svc.store.paper(bid)
        if paper is not None:
            if paper[1] != who.org_id:
                raise MailboxError("unknown-letter", bid)
            day = deliverylog.paper_day(svc.store, bid)
            return deliverylog.on_paper(bid, paper[1], day, recipient=False)
        found = deliverylog.sender_of(svc.store, bid)
        everyone = svc.box.practice_people(with_mandates=True)
        people = [found[0]] if found else [p.id for p in everyone]
        for person in people:
            try:
                letter = svc.box.letter(person, svc.resolve(person, berichtId))
            except MailboxError:
                continue
            if letter.org_id == who.org_id:
                return deliverylog.for_letter(
                    svc.store, svc.data_dir, person, letter, recipient=False
                )
        raise MailboxError("unknown-letter", bid)

    def openapi() -> dict[str, Any]:
        """FastAPI's document, with every error answer as application/problem+json."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            spec = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            for item in spec.get("paths", {}).values():
                for operation in item.values():
                    for parameter in operation.get("parameters", []):
                        if parameter.get("name") in OUR_PARAMETERS:
                            parameter.update(s.EXT)
                    answers = operation.get("responses", {})
                    if answers.get("422", {}).get("description") == "Validation Error":
                        del answers["422"]  # this server says 400, as the FBS contract does
                        answers.setdefault("400", {"description": "Ongeldige aanvraag"})
                    for status, answer in answers.items():
                        if str(status)[0] in "45":
                            schema = {"$ref": "#/components/schemas/Problem"}
                            answer["content"] = {PROBLEM: {"schema": schema}}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
