"""Real-looking Dutch letters as they come from a server: a subject, a sender
and a text, no plain explanation. Names, numbers and plates are made up."""

from __future__ import annotations

from datetime import date

from app.model import Action, Letter

RDW_APK = """Geachte heer De Vries,

Volgens onze gegevens verloopt de APK van uw voertuig binnenkort.

Kenteken: 7-KZS-28
Merk en type: Volkswagen Golf
Vervaldatum APK: 15 januari 2027

Laat uw voertuig vóór de vervaldatum keuren bij een erkend APK-keuringsstation.
Is de APK verlopen? Dan krijgt u automatisch een boete van het CJIB.

Met vriendelijke groet,

RDW"""

CJIB_BESCHIKKING = """Datum: 4 januari 2027

Geachte heer De Vries,

Dit is een beschikking op grond van de Wet administratiefrechtelijke handhaving
verkeersvoorschriften (Wet Mulder). Met het voertuig met kenteken 7-KZS-28 is een
verkeersovertreding begaan.

Sanctie: € 1.180,00
Administratiekosten: € 9,00
Totaal te betalen: € 1.189,00

Betaal het totaalbedrag uiterlijk op 15 februari 2027. Vermeld bij uw betaling
altijd het CJIB-nummer 1234 5678 9012 3456.

Bent u het niet eens met deze beschikking? Dan kunt u binnen zes weken beroep
instellen bij de officier van justitie.

Centraal Justitieel Incassobureau"""

CJIB_AANMANING = """Datum: 1 maart 2027

Geachte heer De Vries,

U hebt de sanctie met CJIB-nummer 1234 5678 9012 3456 niet op tijd betaald.
Daarom is het bedrag verhoogd. Dit is de eerste aanmaning.

Oorspronkelijk bedrag: € 127,00
Verhoging: € 9,00
Nieuw te betalen bedrag: € 136,00

Betaal uiterlijk op 29 maart 2027. Betaalt u weer niet op tijd? Dan volgt een
tweede aanmaning en wordt het bedrag nog hoger.

Centraal Justitieel Incassobureau"""

BD_VOORLOPIG = """Heerlen, 10 december 2026

Geachte mevrouw Jansen,

Hierbij ontvangt u de voorlopige aanslag inkomstenbelasting en premie
volksverzekeringen 2027.

Aanslagnummer: 1234.56.789.H.71.01

U krijgt elke maand € 86,00 terug. Het totaal terug te ontvangen bedrag is € 1.032,00.
Wij betalen het bedrag in maandelijkse termijnen op uw rekening.

Belastingdienst"""

BD_DEFINITIEF = """Dagtekening: 12 maart 2027

Geachte heer De Vries,

Dit is uw definitieve aanslag inkomstenbelasting en premie volksverzekeringen 2025.

Aanslagnummer: 1234.56.789.H.01.02

Te betalen: € 1.234,56

Betaal dit bedrag uiterlijk op 30 april 2027. Vermeld het betalingskenmerk.

Bent u het niet eens met deze aanslag? Dan kunt u binnen zes weken na de
dagtekening bezwaar maken.

Belastingdienst"""

TOESLAGEN = """Datum: 5 mei 2027

Geachte mevrouw Jansen,

Wij hebben uw zorgtoeslag over 2025 definitief berekend. U kreeg te veel
zorgtoeslag. Dat bedrag moet u terugbetalen.

Beschikkingsnummer: 2025 0012 3456
Terug te betalen bedrag: € 312,00

Betaal het bedrag vóór 1 juli 2027. Lukt dat niet? Vraag dan een betalingsregeling.

Dienst Toeslagen"""

WOZ = """Zwolle, 31 januari 2027

Geachte heer De Vries,

In deze WOZ-beschikking leest u de waarde van uw woning op 1 januari 2026.

Adres: Thorbeckegracht 12, Zwolle
WOZ-waarde: € 312.000

Bent u het niet eens met de WOZ-waarde? Dan kunt u binnen zes weken na de
dagtekening van deze beschikking bezwaar maken.

De heffingsambtenaar van de gemeente Zwolle"""

GEMEENTE_AANSLAG = """Dagtekening: 28 februari 2027

Geachte heer De Vries,

Dit is uw aanslag gemeentelijke belastingen 2027.

Aanslagnummer: 7702 4518 3306
Onroerendezaakbelasting: € 412,30
Afvalstoffenheffing: € 301,20
Rioolheffing: € 188,00
Totaal te betalen: € 901,50

Betaal het bedrag uiterlijk op 31 maart 2027, of in tien termijnen met automatische
incasso.

Gemeente Zwolle"""

NAHEFFING = """Datum van de aanslag: 3 februari 2027

Geachte heer De Vries,

Bij een controle is vastgesteld dat voor uw voertuig met kenteken 7-KZS-28 geen
parkeerbelasting was betaald. Daarom krijgt u een naheffingsaanslag parkeerbelasting.

Parkeerbelasting: € 3,20
Kosten naheffingsaanslag: € 72,90
Totaal te betalen: € 76,10

Aanslagnummer: 8801 2233 4455

Betaal uiterlijk op 3 maart 2027.

De heffingsambtenaar van de gemeente Zwolle"""

WATERSCHAP = """Dagtekening: 26 februari 2027

Geachte heer De Vries,

Hierbij ontvangt u de aanslag waterschapsbelasting 2027 van waterschap
Drents Overijsselse Delta.

Aanslagnummer: 5566 7788 9900
Watersysteemheffing ingezetenen: € 112,44
Zuiveringsheffing: € 213,60
Totaal te betalen: € 326,04

Betaal uiterlijk op 30 april 2027.

GBLT, namens het waterschap"""

SVB_AOW = """Datum: 2 juni 2027

Geachte heer Bakker,

U hebt AOW aangevraagd. Wij hebben besloten dat u vanaf 1 augustus 2027 AOW krijgt.

Uw AOW-pensioen is € 1.534,12 bruto per maand.
Klantnummer: 1234567890

Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken bezwaar maken.

Sociale Verzekeringsbank"""

UWV_TERUG = """Datum: 14 april 2027

Geachte mevrouw Jansen,

U kreeg te veel WW-uitkering. Wij hebben besloten dat u dit bedrag moet terugbetalen.

Terug te betalen bedrag: € 645,80
Kenmerk: WW-2027-118822

Betaal het bedrag vóór 15 mei 2027.

UWV"""

DUO_ACHTERSTAND = """Datum: 20 april 2027

Geachte heer Yilmaz,

U hebt een achterstand op uw studieschuld. U hebt twee maanden niet betaald.

Achterstand: € 284,00
Klantnummer: 9988776655

Betaal het bedrag vóór 20 mei 2027.

Dienst Uitvoering Onderwijs"""

PENSIOEN = """Datum: 1 mei 2027

Geachte heer Bakker,

Hierbij ontvangt u uw Uniform Pensioenoverzicht. U bouwt pensioen op bij ABP.

Pensioennummer: 4455 6677 8899
Verwacht pensioen vanaf uw AOW-leeftijd: € 812,40 bruto per maand.

ABP"""

UNKNOWN = """Geachte heer De Vries,

Op 12 maart houden wij een open dag op ons kantoor. U bent van harte welkom.

RDW"""


def letter(
    org_id: str,
    sender: str,
    subject: str,
    body: str,
    *,
    received: date = date(2027, 1, 4),
    **fields,
) -> Letter:
    """A letter as it comes from a server: no summary, no what-to-do."""
    record = {
        "id": fields.pop("id", "b6a1c1f0-0000-4000-8000-000000000001"),
        "recipient": "koen",
        "org_id": org_id,
        "sender": sender,
        "subject": subject,
        "summary": fields.pop("summary", ""),
        "body": body,
        "action": fields.pop("action", Action.READ.value),
        "received": received.isoformat(),
    }
    record.update(fields)
    return Letter.from_record(record)
