"""The shapes on the wire: FBS "Berichten Uitvraag" (resources/contracts/) and
Brieventafel's marked extensions.

A field or path that FBS does not have carries ``x-brieventafel: true`` in the
served OpenAPI and says "Uitbreiding Brieventafel" in its description. The
extension field names are Open Inwoner's where it has one.
"""

# The field names are the wire's (FBS and Open Inwoner): mixedCase on purpose.
# ruff: noqa: N815
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

EXT: dict[str, Any] = {"x-brieventafel": True}
ONTVANGER_PATTERN = r"^(BSN|RSIN|KVK|OIN):[0-9]+$"


def ext(description: str, **kwargs: Any) -> Any:
    """A field that FBS does not have, marked as ours in the OpenAPI."""
    return Field(
        default=None,
        description=f"Uitbreiding Brieventafel. {description}",
        json_schema_extra=EXT,
        **kwargs,
    )


class Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Handelingsperspectief(StrEnum):
    """Open Inwoner's names for what the reader is expected to do."""

    BETALEN = "betalen"
    VERSTREKKEN = "informatie verstrekken"
    ONTVANGEN = "informatie ontvangen"


class BerichtType(StrEnum):
    NOTIFICATIE = "notificatie"
    BETAALVERZOEK = "betaalverzoek"
    UITNODIGING = "uitnodiging"
    VERZOEK = "verzoek"


class BerichtStatus(StrEnum):
    GELEZEN = "gelezen"
    ONGELEZEN = "ongelezen"


class Link(Model):
    href: str


class BerichtLinks(Model):
    self: Link | None = None


class PaginaLinks(Model):
    self: Link | None = None
    next: Link | None = None
    prev: Link | None = None


class BijlageMetadata(Model):
    bijlageId: str
    naam: str
    mimeType: str | None = None
    grootteInBytes: int | None = None
    links: BerichtLinks | None = Field(default=None, alias="_links")


class _Extensions(Model):
    handelingsperspectief: Handelingsperspectief | None = ext(
        "Wat de afzender van de lezer verwacht (naam uit Open Inwoner)."
    )
    einddatumHandelingstermijn: date | None = ext("Uiterste datum om te handelen.")
    berichtType: BerichtType | None = ext("Soort bericht (naam uit Open Inwoner).")
    referentie: str | None = ext("Kenmerk van de afzender, bijv. een CJIB-nummer.")
    samenvatting: str | None = ext("Korte samenvatting in eenvoudige woorden.")
    watTeDoen: str | None = ext("Wat de lezer moet doen, in eenvoudige woorden.")
    bedragInCenten: int | None = ext("Te betalen bedrag in eurocent.")
    telefoon: str | None = ext("Telefoonnummer van de afzender voor vragen.")
    organisatie: str | None = ext("Id van de afzendende organisatie (zie /organisaties).")


class BerichtSamenvatting(_Extensions):
    berichtId: str
    onderwerp: str
    afzender: str | None = None
    publicatietijdstip: datetime
    aantalBijlagen: int = Field(ge=0)
    map: str | None = None
    status: BerichtStatus | None = None
    magazijnId: str
    inhoud: str | None = ext(
        "Alleen met `metInhoud=true`: de tekst, zoals in Bericht. Zonder die parameter "
        "ontbreekt het veld (de vorm van FBS)."
    )
    bijlagen: list[BijlageMetadata] | None = ext(
        "Alleen met `metInhoud=true`: de bijlagen, zoals in Bericht."
    )
    links: BerichtLinks | None = Field(default=None, alias="_links")


class Bericht(_Extensions):
    berichtId: str
    onderwerp: str
    afzender: str | None = None
    inhoud: str | None = None
    publicatietijdstip: datetime
    map: str | None = None
    status: BerichtStatus | None = None
    magazijnId: str
    bijlagen: list[BijlageMetadata] = []
    links: BerichtLinks | None = Field(default=None, alias="_links")


class BerichtenLijst(Model):
    berichten: list[BerichtSamenvatting]
    links: PaginaLinks | None = Field(default=None, alias="_links")


class BerichtPatch(Model):
    """JSON Merge Patch (RFC 7396): a missing field and ``null`` both mean "no change"."""

    status: BerichtStatus | None = None
    map: str | None = Field(default=None, min_length=1, max_length=128)


class Problem(Model):
    """Problem Details (RFC 9457). ``code`` (our extension) is an
    :class:`app.mailbox.errors.ErrorCode` where one fits."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str | None = ext("Vaste code (app.mailbox.errors.ErrorCode).")


# -- the afnemer side and aanmeldingen ----------------------------------------------------
class AangemeldOntvanger(Model):
    type: str = Field(pattern=r"^(BSN|RSIN|KVK|OIN)$")
    waarde: str = Field(pattern=r"^[0-9]+$", max_length=20)


class BijlageUpload(Model):
    """Uitbreiding Brieventafel: a file sent with a published message."""

    naam: str = Field(min_length=1, max_length=200)
    mimeType: str = Field(default="application/pdf", max_length=100)
    inhoud: str = Field(description="De bytes, base64.", max_length=14_000_000)


class _Publicatie(Model):
    handelingsperspectief: Handelingsperspectief | None = ext("Zie Bericht.")
    einddatumHandelingstermijn: date | None = ext("Zie Bericht.")
    berichtType: BerichtType | None = ext("Zie Bericht.")
    referentie: str | None = ext("Zie Bericht.", max_length=200)
    samenvatting: str | None = ext("Zie Bericht.", max_length=2000)
    watTeDoen: str | None = ext("Zie Bericht.", max_length=2000)
    bedragInCenten: int | None = ext("Zie Bericht.", ge=0, le=10**11)
    telefoon: str | None = ext("Zie Bericht.", max_length=50)
    bijlagen: list[BijlageUpload] | None = ext("Bijlagen met inhoud.", max_length=10)


class AangemeldBerichtData(_Publicatie):
    berichtId: str = Field(pattern=r"^[0-9a-fA-F-]{36}$")
    afzender: str = Field(pattern=r"^[0-9]{20}$", description="OIN van de afzender.")
    ontvanger: AangemeldOntvanger
    onderwerp: str = Field(max_length=500)
    inhoud: str = Field(max_length=200_000)
    tijdstipOntvangst: datetime | None = None
    publicatietijdstip: datetime


class CloudEvent(Model):
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=500)
    specversion: str = Field(pattern=r"^1\.0$")
    type: str = Field(pattern=r"^nl\.rijksoverheid\.fbs\.bericht\.gepubliceerd$")
    subject: str | None = None
    time: datetime | None = None
    datacontenttype: str | None = None
    dataschema: str | None = None
    data: AangemeldBerichtData


class AfnemerBericht(_Publicatie):
    """Uitbreiding Brieventafel: what an organisation publishes. ``afzender`` is
    the organisation that signed in; ``berichtId`` is made when missing."""

    berichtId: str | None = Field(default=None, pattern=r"^[0-9a-fA-F-]{36}$")
    ontvanger: AangemeldOntvanger
    onderwerp: str = Field(min_length=1, max_length=500)
    inhoud: str = Field(max_length=200_000)
    publicatietijdstip: datetime | None = None


class Publicatie(Model):
    berichtId: str
    bezorging: str = Field(description='"digitaal" (in de Berichtenbox) of "papier" (per post).')


# -- login and the account ------------------------------------------------------------------
class Login(Model):
    persoon: str = Field(
        min_length=1, max_length=100, description="Oefenpersoon (koen, corry, kees, lisa)."
    )
    pin: str = Field(min_length=1, max_length=20)


class Persoon(Model):
    id: str
    naam: str
    ontvanger: str = Field(description="Waarde voor X-Ontvanger, bijv. BSN:999990019.")


class Sessie(Model):
    token: str
    tokenType: str = "Bearer"
    verlooptOp: datetime
    persoon: Persoon


class AccountStatus(Model):
    ontvanger: str
    actief: bool
    geactiveerdOp: date | None = None
    aangevinkt: list[str] = Field(description="Organisaties die digitaal sturen (ids).")
    eMailadres: str | None = None
    herinnering: bool = False


class Organisatie(Model):
    id: str
    naam: str
    volledigeNaam: str
    oin: str | None = None
    wettelijkVerplicht: bool = Field(description="Door de wet vast aangevinkt (Belastingdienst).")
    telefoon: str = ""


# -- _ophalen: the Server-Sent Events ---------------------------------------------------------
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
#: One event of the ``_ophalen`` stream (the JSON in its ``data:`` line), as FBS's
#: berichtensessiecache sends it (MagazijnEvent): ``event`` says which kind.
OPHALEN_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["event"],
    "additionalProperties": False,
    "properties": {
        "event": {
            "enum": [
                "magazijn-bevraging-gestart",
                "magazijn-bevraging-voltooid",
                "ophalen-gereed",
                "ophalen-fout",
            ]
        },
        "magazijnId": {"type": "string", "description": "OIN van de organisatie."},
        "naam": {"type": "string", "description": "Naam van de organisatie."},
        "status": {"enum": ["OK", "FOUT", "TIMEOUT"]},
        "aantalBerichten": _COUNT,
        "foutmelding": {"type": "string"},
        "totaalBerichten": _COUNT,
        "geslaagd": _COUNT,
        "mislukt": _COUNT,
        "totaalMagazijnen": _COUNT,
        "referentie": {"type": "string", "description": "Kenmerk voor de beheerder."},
    },
}
#: Each Server-Sent Event of the stream (OpenAPI before 3.2: the schema is per event).
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": OPHALEN_EVENT,
        }
    },
}


# -- the account: ticks, activation, new organisations, paper (Brieventafel's own) ----------
#: An organisation's id (as in /organisaties), in a path or a list.
OrganisatieId = Annotated[str, Field(min_length=1, max_length=100)]


class Vinkje(Model):
    organisatie: str = Field(description="Id van de organisatie (zie /organisaties).")
    naam: str
    aangevinkt: bool = Field(description="Stuurt digitaal (in de Berichtenbox).")
    wettelijkVerplicht: bool = Field(
        description="Door de wet vast (Belastingdienst): kan hier niet uit."
    )


class VinkjeZetten(Model):
    aangevinkt: StrictBool = Field(description="`true`: digitaal; `false`: weer op papier.")


class VinkjeWijziging(Model):
    organisatie: str
    aangevinkt: bool
    gewijzigdOp: date
    ingangsdatum: date = Field(
        description="Vanaf die dag digitaal (aan) of weer op papier (uit: na ongeveer drie weken)."
    )
    gewijzigd: bool = Field(
        default=True, description="`false`: het vinkje stond al zo; er is niets vastgelegd."
    )


class ActivatieVraag(Model):
    organisaties: list[OrganisatieId] = Field(
        max_length=100, description="De gekozen organisaties (ids); de Belastingdienst hoeft niet."
    )


class Activatieaanbod(Model):
    aanbodToken: str = Field(
        description="Ondertekend, alleen voor deze ontvanger, deze organisaties en vandaag. "
        "Geef het terug aan POST /account/_activeren."
    )
    organisaties: list[str] = Field(description="Gaan digitaal sturen (de keuze).")
    wettelijkVerplicht: list[str] = Field(description="Sturen digitaal door de wet.")
    papier: list[str] = Field(description="Blijven op papier sturen.")
    aangebodenOp: date


class Activeren(Model):
    aanbodToken: str = Field(
        max_length=500, description="Uit het aanbod; een leeg of vals token weigert de regel."
    )
    organisaties: list[OrganisatieId] = Field(max_length=100)
    bevestigd: StrictBool = Field(
        default=False, description="De ontvanger zag het aanbod en bevestigde het."
    )


class NieuweOrganisatieAntwoord(Model):
    aangevinkt: StrictBool = Field(
        default=False, description="`false` (nee, de standaard): de post blijft op papier."
    )


class PapierRoute(StrEnum):
    """How a paper request travels: unticking, or (fixed by law) phoning or posting."""

    UITVINKEN = "uitvinken"
    HELPDESK = "helpdesk"


class PapierStatus(StrEnum):
    AANGEVRAAGD = "aangevraagd"  # unticked; paper from papierVanaf
    VOORBEREID = "voorbereid"  # Belastingdienst: phone script and letter ready
    VERSTUURD = "verstuurd"  # the person phoned or posted
    KLAAR = "klaar"  # post comes on paper


class Papieraanvraag(Model):
    organisatie: str
    route: PapierRoute
    status: PapierStatus
    aangevraagdOp: date
    papierVanaf: date | None = None
    klaarOp: date | None = None
    nieuw: bool = Field(description="`false`: de aanvraag stond al; er is niets veranderd.")


class PapierStatusZetten(Model):
    status: PapierStatus = Field(
        description="Alleen voor de route `helpdesk`: `verstuurd` (gebeld of gepost), "
        "`klaar` (de post komt op papier) of terug naar `voorbereid`."
    )
