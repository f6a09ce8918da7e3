"""Contact restored on paper: for each person a finding is about, a letter in
plain words (Dutch B1) and large type, with their address; all of one day in
one print-ready PDF batch for the print street.

A letter is recorded (:meth:`ServerStore.add_contact`) with what it covers
(each letter once, each person-rule once) before the batch is written, so a
letter is never made twice; the day's PDF is always rebuilt from the records,
so a kill between the two is mended by the next round.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.i18n import gettext as _
from app.model import Letter, Organisation, Person
from app.plain import format_date

from . import rules as r
from .pdf import Block, document

#: The folder in the data folder that holds the day's batches.
FOLDER = "contactherstel"


def batch_path(data_dir: Path, day: date) -> Path:
    return Path(data_dir) / FOLDER / f"contactherstel-{day.isoformat()}.pdf"


def letter_text(
    person: Person,
    findings: Iterable[r.Finding],
    letters: Mapping[str, Letter],
    orgs: Mapping[str, Organisation],
    today: date,
    curator: Person | None = None,
) -> dict[str, Any]:
    """The letter as data (kept as it was sent): address lines, then paragraphs.
    With ``curator`` (the person is under curatele): to the curator, at their
    address, saying on whose behalf."""
    name = person.name
    found = list(findings)
    rules = {f.rule for f in found}
    about = []
    seen: set[str] = set()
    for f in found:
        if f.letter_id and f.letter_id not in seen and f.letter_id in letters:
            seen.add(f.letter_id)
            about.append(letters[f.letter_id])
    about.sort(key=lambda x: (x.deadline or date.max, x.received))
    lines: list[tuple[str, str]] = []  # (kind, text)
    if curator is not None:
        if about:
            title = _("Er staan brieven klaar voor {name}").format(name=name)
        else:
            title = _("Wij kunnen {name} geen e-mail sturen").format(name=name)
        lines.append(("title", title))
        lines.append(("text", _("Beste {name},").format(name=curator.name)))
        lines.append(("text", _("Deze brief gaat over de post van {name}.").format(name=name)))
        lines.append(("text", _("U bent de curator van {name}.").format(name=name)))
    elif about:
        lines.append(("title", _("Er staan brieven voor u klaar")))
    else:
        lines.append(("title", _("Wij kunnen u geen e-mail sturen")))
    if curator is None:
        lines.append(("text", _("Beste {name},").format(name=name)))
    if about and curator is not None:
        lines.append(
            (
                "text",
                _("Er staan brieven voor {name} klaar in de Berichtenbox:").format(name=name),
            )
        )
    elif about:
        lines.append(
            ("text", _("Er staan brieven voor u klaar in uw Berichtenbox op MijnOverheid:"))
        )
        for letter in about:
            org = orgs.get(letter.org_id)
            name = org.name if org else letter.sender
            if letter.deadline is not None:
                item = _("Van {org}, met een termijn tot {date}.").format(
                    org=name, date=format_date(letter.deadline)
                )
            else:
                item = _("Van {org}.").format(org=name)
            lines.append(("item", "- " + item))
    if curator is not None:
        lines += _on_behalf(rules, name)
    else:
        if r.UNREAD in rules:
            lines.append(("text", _("U hebt deze brieven nog niet gelezen.")))
        if r.UNDELIVERABLE in rules:
            lines.append(
                ("text", _("Wij stuurden u een e-mail over deze post. Die e-mail kwam niet aan."))
            )
        if r.NO_EMAIL in rules:
            lines.append(("text", _("Wij hebben geen e-mailadres van u.")))
            lines.append(("text", _("Daarom krijgt u geen e-mail als er nieuwe post is.")))
        if r.EMAIL_BOUNCES in rules:
            lines.append(("text", _("Uw e-mailadres werkt niet. Onze e-mails komen niet aan.")))
        if rules & {r.NO_EMAIL, r.EMAIL_BOUNCES}:
            lines.append(
                (
                    "text",
                    _("Zet uw e-mailadres in MijnOverheid. Dan krijgt u bericht bij nieuwe post."),
                )
            )
    if curator is not None:
        lines.append(("heading", _("Zo kijkt u in de Berichtenbox van {name}").format(name=name)))
    else:
        lines.append(("heading", _("Zo kijkt u in uw Berichtenbox")))
    lines.append(("item", "1. " + _("Ga naar mijn.overheid.nl.")))
    lines.append(("item", "2. " + _("Log in met DigiD.")))
    lines.append(("item", "3. " + _("Kies Berichtenbox.")))
    phones = []
    for letter in about:
        org = orgs.get(letter.org_id)
        phone = letter.phone or (org.phone if org else "")
        name = org.name if org else letter.sender
        if phone and (name, phone) not in phones:
            phones.append((name, phone))
    for name, phone in phones:
        lines.append(("text", _("Of bel {org}: {phone}.").format(org=name, phone=phone)))
    if curator is not None:
        lines.append(
            ("heading", _("Wilt u de post van {name} liever op papier?").format(name=name))
        )
    else:
        lines.append(("heading", _("Wilt u uw post liever op papier?")))
    lines.append(("text", _("Dat kan. Zet in MijnOverheid het vinkje uit bij de organisatie.")))
    lines.append(("text", _("Hulp nodig? In de bibliotheek helpen ze u gratis.")))
    lines.append(("text", _("Met vriendelijke groet,")))
    lines.append(("text", _("De Berichtenbox")))
    to = curator or person
    made: dict[str, Any] = {
        "naam": to.name,
        "adres": list(to.address),
        "datum": format_date(today),
        "regels": lines,
    }
    if curator is not None:
        made["namens"] = person.id  # on whose behalf (the contact is theirs)
        made["aan"] = curator.id
    return made


def _on_behalf(rules: set[str], name: str) -> list[tuple[str, str]]:
    """What the findings say, to a curator about the person's post."""
    lines = []
    if r.UNREAD in rules:
        lines.append(("text", _("Deze brieven zijn nog niet gelezen.")))
    if r.UNDELIVERABLE in rules:
        lines.append(
            ("text", _("Wij stuurden {name} een e-mail over deze post.").format(name=name))
        )
        lines.append(("text", _("Die e-mail kwam niet aan.")))
    if r.NO_EMAIL in rules:
        lines.append(("text", _("Wij hebben geen e-mailadres van {name}.").format(name=name)))
        lines.append(("text", _("Daarom komt er geen e-mail als er nieuwe post is.")))
    if r.EMAIL_BOUNCES in rules:
        lines.append(("text", _("Het e-mailadres van {name} werkt niet.").format(name=name)))
    if rules & {r.NO_EMAIL, r.EMAIL_BOUNCES}:
        lines.append(
            ("text", _("Zet een e-mailadres in MijnOverheid. Dan komt er bericht bij nieuwe post."))
        )
    return lines


def curator_of(
    box: Any, person_id: str, today: date, people: Mapping[str, Person]
) -> Person | None:
    """The curator in force today for a person under curatele (app/mandates.py),
    when the box knows them; else None."""
    from app.mandates import under_curatele

    rep = under_curatele(person_id, today, box.grants().representations)
    return people.get(rep.representative_id) if rep is not None else None


def blocks(letter: Mapping[str, Any]) -> list[Block]:
    """One recorded letter as the PDF's blocks: the address for the envelope's
    window first, then the letter in large type (16 pt, headings 20 pt)."""
    out = [Block(letter["naam"], size=14, space=90)]
    out += [Block(line, size=14, space=0) for line in letter["adres"]]
    out.append(Block(letter["datum"], size=14, space=40))
    for kind, text in letter["regels"]:
        if kind == "title":
            out.append(Block(text, size=22, bold=True, space=30))
        elif kind == "heading":
            out.append(Block(text, size=20, bold=True, space=22))
        elif kind == "item":
            out.append(Block(text, size=16, space=4))
        else:
            out.append(Block(text, size=16, space=14))
    return out


def write_batch(path: Path, letters: Iterable[Mapping[str, Any]]) -> None:
    """The day's batch, written whole or not at all (private: it holds addresses)."""
    data = document([blocks(x) for x in letters], title="Contactherstel")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def paper_round(
    box: Any, store: Any, found: Iterable[r.Finding], today: date, data_dir: Path
) -> tuple[list[dict[str, Any]], Path | None]:
    """A letter for each person with findings not told before; recorded, then
    the day's batch (re)written. Returns the letters made now and the batch."""
    covered = store.covered()
    todo: dict[str, list[r.Finding]] = {}
    for f in found:
        if (f.person_id, f.item) not in covered:
            todo.setdefault(f.person_id, []).append(f)
    people = {p.id: p for p in box.practice_people(with_mandates=True)}
    orgs = {o.id: o for o in box.organisations()}
    made = []
    for person_id in sorted(todo):
        person = people.get(person_id)
        if person is None:
            continue
        theirs = {x.id: x for x in box.letters(person_id).letters}
        curator = curator_of(box, person_id, today, people)
        letter = letter_text(person, todo[person_id], theirs, orgs, today, curator)
        items = sorted({f.item for f in todo[person_id]})
        reasons = sorted({f.rule for f in todo[person_id]})
        contact_id = str(uuid.uuid4())
        if store.add_contact(contact_id, person_id, today, reasons, letter, items):
            made.append(
                {
                    "id": contact_id,
                    "person_id": person_id,
                    "reasons": reasons,
                    "to": "curator" if curator is not None else "person",
                }
            )
    path = batch_path(data_dir, today)
    todays = store.contacts(today)
    if todays and (made or not path.exists()):
        write_batch(path, [c["letter"] for c in todays])
    return made, path if todays else None
