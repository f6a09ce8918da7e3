"""Paper and PDF letters on the table (issue 15): ``read_letter(path)``.

A PDF (downloaded from Mijn Belastingdienst, MijnUWV, ...) gives its text
through pypdf; a scan or photo (PNG, JPEG) through tesseract's OCR with its
Dutch data (pytesseract). Sender, date, deadline, amount and reference come
from the explanation rules (:mod:`app.explain`); a sender we cannot find is
said plainly. :func:`lay_on_table` keeps the original as it is (a private
copy, 0600, in the desk's folder) and lays the letter on the person's table,
marked ``Letter.source == "papier"``.

Bad input never costs anything: the file is read once into memory (at most
:data:`MAX_BYTES`), only parsed (pypdf, Pillow, tesseract on a decoded
image), never opened by anything else and never run; any problem is an
:class:`ImportProblem` with a code and plain words (:meth:`ImportProblem.text`),
and nothing is written before all is well. Logs name only the type of a fault.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import io
import logging
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import gettext as _
from app.model import PAPER, Action, Letter

if TYPE_CHECKING:
    from app.desk import Desk

log = logging.getLogger(__name__)

#: the largest file we read (a letter of a few pages is well under 5 MB)
MAX_BYTES = 25 * 1024 * 1024
#: the pages of a PDF we read; the rest is kept in the original, and said
MAX_PAGES = 30
#: the largest image we give to the OCR (a 600 dpi A4 scan is about 35 million pixels)
MAX_PIXELS = 60_000_000
#: the text kept of one letter
MAX_TEXT = 200_000
#: seconds the OCR may take for one image, and for all pages of one scanned PDF
OCR_SECONDS = 60
#: the pages of a scanned PDF (no text in it, only images) given to the OCR: a
#: page takes tesseract a second or more, and a letter's facts are on its first
#: pages; the rest is kept in the original, and the person is told
SCAN_PAGES = 3
#: fewer words than this is not a letter
MIN_WORDS = 8
#: ``Letter.org_id`` of a letter whose sender we could not find
UNKNOWN_SENDER = "onbekend"
#: the folder inside the desk's folder that keeps the originals
ORIGINALS = "papier"


class ImportCode(enum.StrEnum):
    NOT_FOUND = "not-found"
    FOLDER = "folder"
    UNREADABLE_FILE = "unreadable-file"
    EMPTY = "empty"
    TOO_BIG = "too-big"
    UNKNOWN_KIND = "unknown-kind"
    DAMAGED_PDF = "damaged-pdf"
    ENCRYPTED = "encrypted"
    NO_TEXT = "no-text"
    DAMAGED_IMAGE = "damaged-image"
    IMAGE_TOO_BIG = "image-too-big"
    NOT_A_LETTER = "not-a-letter"
    NO_OCR = "no-ocr"
    NO_OCR_SCAN = "no-ocr-scan"
    OCR_FAILED = "ocr-failed"
    NOT_SAVED = "not-saved"


class ImportProblem(Exception):
    """Why a file did not become a letter. ``str()`` is the code only (safe to
    log: never a file name or a word of the letter); :meth:`text` says it."""

    def __init__(self, code: ImportCode):
        super().__init__(code.value)
        self.code = code

    def text(self) -> str:
        return problem_text(self.code)


def problem_text(code: ImportCode) -> str:
    """The plain words for ``code``: what happened and what to do."""
    texts: dict[ImportCode, Callable[[], str]] = {
        ImportCode.NOT_FOUND: lambda: _("Wij vinden dit bestand niet. Kies het bestand opnieuw."),
        ImportCode.FOLDER: lambda: _("Dit is een map, geen bestand. Kies de brief zelf."),
        ImportCode.UNREADABLE_FILE: lambda: _(
            "Wij mogen dit bestand niet openen. Kies een ander bestand."
        ),
        ImportCode.EMPTY: lambda: _("Dit bestand is leeg. Kies een ander bestand."),
        ImportCode.TOO_BIG: lambda: _(
            "Dit bestand is te groot. Een brief is meestal kleiner dan 25 MB."
        ),
        ImportCode.UNKNOWN_KIND: lambda: _(
            "Dit soort bestand kunnen wij niet lezen. Kies een PDF of een foto (PNG of JPEG)."
        ),
        ImportCode.DAMAGED_PDF: lambda: _(
            "Deze PDF is beschadigd. Download de brief opnieuw en probeer het nog eens."
        ),
        ImportCode.ENCRYPTED: lambda: _(
            "Deze PDF heeft een wachtwoord. Wij kunnen hem niet lezen. "
            "Download de brief zonder wachtwoord."
        ),
        ImportCode.NO_TEXT: lambda: _(
            "Wij konden in deze PDF geen tekst lezen. "
            "Maak een scherpe foto van de brief bij goed licht."
        ),
        ImportCode.DAMAGED_IMAGE: lambda: _(
            "Deze foto is beschadigd. Maak een nieuwe foto of scan van de brief."
        ),
        ImportCode.IMAGE_TOO_BIG: lambda: _(
            "Deze foto is te groot om te lezen. Maak een foto met minder pixels."
        ),
        ImportCode.NOT_A_LETTER: lambda: _(
            "Wij vinden geen brief op deze foto. Maak een scherpe foto van de hele brief."
        ),
        ImportCode.NO_OCR: lambda: _(
            "Foto's lezen kan nog niet op deze computer. Vraag hulp, of kies een PDF."
        ),
        ImportCode.NO_OCR_SCAN: lambda: _(
            "Deze PDF is een scan. Scans lezen kan nog niet op deze computer. Vraag hulp."
        ),
        ImportCode.OCR_FAILED: lambda: _(
            "Wij konden deze foto niet lezen. Maak een scherpe foto bij goed licht."
        ),
        ImportCode.NOT_SAVED: lambda: _(
            "Wij konden de brief niet bewaren. Er is niets veranderd. Probeer het nog eens."
        ),
    }
    return texts[code]()


@dataclass(frozen=True)
class Imported:
    """What a file gave: the letter to check (explained by the rules), and the
    original bytes as they were read (kept as they are by :func:`lay_on_table`)."""

    letter: Letter
    kind: str  # "pdf", "png" or "jpeg"
    data: bytes
    #: the date on the letter, when the text gives one
    dated: date | None
    sender_known: bool
    pages_read: int = 1
    pages_total: int = 1
    has_script: bool = False

    @property
    def notes(self) -> list[str]:
        """What the person should know about this file, in plain words."""
        notes = []
        if not self.sender_known:
            notes.append(_("Wij weten niet van wie deze brief is. Kijk dat goed na."))
        if self.pages_read < self.pages_total:
            notes.append(
                _("Deze PDF heeft %(total)d bladzijden. Wij lazen alleen de eerste %(read)d.")
                % {"total": self.pages_total, "read": self.pages_read}
            )
        if self.has_script:
            notes.append(_("In deze PDF zit een programma. Dat hebben wij niet gestart."))
        return notes


# -- reading a file ---------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportProblem(ImportCode.FOLDER)
        if not path.is_file():
            raise ImportProblem(ImportCode.NOT_FOUND)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except PermissionError:
        raise ImportProblem(ImportCode.UNREADABLE_FILE) from None
    except FileNotFoundError:
        raise ImportProblem(ImportCode.NOT_FOUND) from None
    except IsADirectoryError:
        raise ImportProblem(ImportCode.FOLDER) from None
    except (OSError, ValueError):
        raise ImportProblem(ImportCode.UNREADABLE_FILE) from None
    if not data:
        raise ImportProblem(ImportCode.EMPTY)
    if len(data) > MAX_BYTES:
        raise ImportProblem(ImportCode.TOO_BIG)
    return data


def kind_of(data: bytes) -> str | None:
    """ "pdf", "png" or "jpeg" by the file's first bytes (never by its name)."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


_SCRIPT_MARKS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


def _open_pdf(data: bytes):
    """pypdf's reader of ``data``, opened with the empty password when it has
    one (a PDF that is only protected against changes); ENCRYPTED when that is
    not enough. Call it inside ``_quiet("pypdf")``."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception as error:  # no key, or a cipher pypdf cannot do
            log.info("pdf decrypt failed: %s", type(error).__name__)
            opened = False
        if not opened:
            raise ImportProblem(ImportCode.ENCRYPTED)
    return reader


def _pdf_text(data: bytes) -> tuple[str, int, int, bool]:
    """(text, pages read, pages in all, has a script) of a PDF."""
    try:
        with warnings.catch_warnings(), _quiet("pypdf"):
            warnings.simplefilter("ignore")
            reader = _open_pdf(data)
            total = len(reader.pages)
            parts = []
            size = 0
            read = 0
            for page in reader.pages[:MAX_PAGES]:
                read += 1
                try:
                    part = page.extract_text() or ""
                except Exception as error:  # one bad page does not cost the others
                    log.info("pdf page unreadable: %s", type(error).__name__)
                    continue
                parts.append(part)
                size += len(part)
                if size > MAX_TEXT:
                    break
            script = any(mark in data for mark in _SCRIPT_MARKS) or _catalog_has_script(reader)
    except ImportProblem:
        raise
    except RecursionError:
        raise ImportProblem(ImportCode.DAMAGED_PDF) from None
    except Exception as error:  # pypdf raises many kinds on a broken file
        log.info("pdf unreadable: %s", type(error).__name__)
        raise ImportProblem(ImportCode.DAMAGED_PDF) from None
    return "\n".join(parts), read, total, script


@contextlib.contextmanager
def _quiet(name: str):
    """The library's own log lines are not ours to print: they may quote a
    broken file, and the person sees our plain words instead."""
    library = logging.getLogger(name)
    level = library.level
    library.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        library.setLevel(level)


def _catalog_has_script(reader) -> bool:
    try:
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            return True
        action = root.get("/OpenAction")
        if action is not None:
            action = action.get_object()
            return hasattr(action, "get") and action.get("/S") in ("/JavaScript", "/Launch")
    except Exception:  # a catalog too broken to say: the bytes were looked at already
        return False
    return False


def _page_images(page) -> list:
    """The images a scanned page is made of (pypdf's ``page.images``), decoded
    as Pillow images: only those that say they have at most MAX_PIXELS pixels
    (a decompression bomb is never decoded); one that cannot be decoded is left
    out. Images inside a form on the page are not looked for: a scan puts its
    image on the page itself."""
    found = []
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        names = list(xobjects.keys())
    except Exception as error:  # a page too broken to say what it holds
        log.info("pdf page resources unreadable: %s", type(error).__name__)
        return []
    for name in names:
        try:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") != "/Image":
                continue
            width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                log.info("pdf scan image skipped: its size")
                continue
            image = page.images[name].image
            if image is None:
                continue
            width, height = image.size  # what was decoded, not what it said
            if width * height > MAX_PIXELS:
                continue
            image.load()
            found.append(image.convert("L"))
        except Exception as error:  # pypdf and Pillow raise many kinds on a bad image
            log.info("pdf scan image unreadable: %s", type(error).__name__)
    return found


_SCAN_LOCK = threading.Lock()


def _scan_text(data: bytes) -> tuple[str, int]:
    """(the OCR's text, pages read) of a PDF that has no text of its own: the
    images of its first :data:`SCAN_PAGES` pages through tesseract, as a photo
    (no Qt: ``brieventafel --import`` stays without it). ``ImportProblem``
    NO_TEXT when no image could be decoded or the OCR read nothing; NO_OCR_SCAN
    when nothing was read because this machine has no OCR (a photo would not be
    read either, so the person is not sent to make one)."""
    import time

    from PIL import Image

    texts: list[str] = []
    read = 0
    decoded = 0
    no_ocr = False
    started = time.monotonic()
    try:
        with _SCAN_LOCK, warnings.catch_warnings(), _quiet("pypdf"), _quiet("PIL"):
            warnings.simplefilter("ignore")
            # Pillow's own guard on every image it opens (pypdf opens a JPEG or
            # a JPEG 2000 through it, whose own header may say another size than
            # the PDF does): it refuses one of more than twice MAX_IMAGE_PIXELS,
            # so here of more than ours. One scan at a time (the lock), so the
            # guard is always put back as it was.
            bomb = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2
            try:
                reader = _open_pdf(data)
                for page in reader.pages[:SCAN_PAGES]:
                    left = OCR_SECONDS - (time.monotonic() - started)
                    if left <= 1:  # what was read so far is kept, and said
                        log.info("pdf scan: out of time")
                        break
                    for image in _page_images(page):
                        decoded += 1
                        texts.append(_ocr(image, timeout=left))
                    read += 1
            finally:
                Image.MAX_IMAGE_PIXELS = bomb
    except ImportProblem as problem:  # no tesseract, or it failed: what was read stays
        if problem.code is ImportCode.ENCRYPTED:
            raise
        no_ocr = problem.code is ImportCode.NO_OCR
        log.info("pdf scan not read on: %s", problem.code.value)
    except Exception as error:  # pypdf raises many kinds on a broken file
        log.info("pdf scan unreadable: %s", type(error).__name__)
    text = clean("\n".join(texts))
    if not decoded or len(_WORD.findall(text)) < MIN_WORDS:
        raise ImportProblem(ImportCode.NO_OCR_SCAN if no_ocr else ImportCode.NO_TEXT)
    return text, max(read, 1)


def _image_text(data: bytes) -> str:
    """The OCR's text of a PNG or JPEG (tesseract, Dutch)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opened = Image.open(io.BytesIO(data))
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise ImportProblem(ImportCode.IMAGE_TOO_BIG)
            opened.load()
            image = opened.convert("L")
    except ImportProblem:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        log.info("image unreadable: %s", type(error).__name__)
        raise ImportProblem(ImportCode.DAMAGED_IMAGE) from None
    except Exception as error:  # Pillow's DecompressionBombError and the like
        log.info("image unreadable: %s", type(error).__name__)
        raise ImportProblem(ImportCode.DAMAGED_IMAGE) from None
    return _ocr(image)


def _ocr(image, *, timeout: float = OCR_SECONDS) -> str:
    """tesseract's Dutch text of a decoded (grey) Pillow image."""
    try:
        import pytesseract
    except ImportError:
        raise ImportProblem(ImportCode.NO_OCR) from None
    try:
        if "nld" not in pytesseract.get_languages(config=""):
            raise ImportProblem(ImportCode.NO_OCR)
        text = pytesseract.image_to_string(image, lang="nld", timeout=timeout)
    except ImportProblem:
        raise
    except pytesseract.TesseractNotFoundError:
        raise ImportProblem(ImportCode.NO_OCR) from None
    except Exception as error:  # a time-out (RuntimeError) or tesseract's own failure
        log.info("ocr failed: %s", type(error).__name__)
        raise ImportProblem(ImportCode.OCR_FAILED) from None
    return str(text)


_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"[^\W\d_]{3,}")


def clean(text: str) -> str:
    """The text as lines: no control characters, single spaces, at most
    :data:`MAX_TEXT` characters, at most one empty line in a row."""
    text = "".join(ch if ch == "\n" or ch.isprintable() else " " for ch in text[:MAX_TEXT])
    lines: list[str] = []
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


# -- the sender --------------------------------------------------------------------
#: names a letter may give its sender by, beside the organisations' own names
_ALIASES = {
    "toeslagen": ("Belastingdienst/Toeslagen", "Belastingdienst / Toeslagen", "Dienst Toeslagen"),
    "cjib": ("Centraal Justitieel Incassobureau",),
    "rdw": ("Rijksdienst voor het Wegverkeer",),
    "svb": ("Sociale Verzekeringsbank",),
    "uwv": ("Uitvoeringsinstituut Werknemersverzekeringen",),
    "duo": ("Dienst Uitvoering Onderwijs",),
    "pensioenfonds": ("Pensioenfonds ABP", "Stichting Pensioenfonds ABP"),
}


def _organisations() -> list[tuple[str, str, re.Pattern[str]]]:
    """(org id, name to show, pattern) for every name we know, longest first."""
    import json

    from app.paths import resources_dir

    try:
        data = json.loads(
            (resources_dir() / "practice" / "organisations.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        data = []
    found: list[tuple[str, str, str]] = []
    for org in data:
        if not isinstance(org, dict) or not isinstance(org.get("id"), str):
            continue
        name = org.get("name")
        if not isinstance(name, str) or not name:
            continue
        names = {name, *_ALIASES.get(org["id"], ())}
        full = org.get("full_name")
        if isinstance(full, str) and full:
            names.add(re.split(r"[(,]", full)[0].strip())
        found += [(org["id"], name, alias) for alias in names if alias]
    found.sort(key=lambda item: -len(item[2]))
    return [
        (
            org_id,
            shown,
            re.compile(
                r"(?<!\w)" + re.escape(alias).replace(r"\ ", r"\s+") + r"(?!\w)",
                0 if len(alias) <= 5 else re.IGNORECASE,
            ),
        )
        for org_id, shown, alias in found
    ]


def find_sender(text: str) -> tuple[str, str] | None:
    """(org id, name) of the sender: the letterhead (the first lines) first,
    then the signature (the last lines), then the name said most often."""
    known = _organisations()
    lines = [line for line in text.splitlines() if line.strip()]
    for part in ("\n".join(lines[:6]), "\n".join(lines[-6:])):
        best: tuple[int, int, str, str] | None = None
        for org_id, shown, pattern in known:
            hit = pattern.search(part)
            if hit is not None:
                key = (hit.start(), -len(hit.group()), org_id, shown)
                if best is None or key < best:
                    best = key
        if best is not None:
            return best[2], best[3]
    counts: dict[tuple[str, str], int] = {}
    for org_id, shown, pattern in known:
        hits = len(pattern.findall(text))
        if hits:
            counts[(org_id, shown)] = counts.get((org_id, shown), 0) + hits
    if counts:
        return max(counts, key=lambda item: counts[item])
    return None


_SUBJECT = re.compile(r"^(?:Onderwerp|Betreft|Betreffende)\s*:?\s*(?P<v>\S.{0,118})$", re.M)


def find_subject(text: str) -> str:
    found = _SUBJECT.search(text)
    return found.group("v").strip() if found else ""


# -- the letter --------------------------------------------------------------------
def letter_from_text(
    text: str, person_id: str, letter_id: str, *, today: date | None = None
) -> tuple[Letter, date | None, bool]:
    """(the explained letter, the date on it, whether its sender was found)."""
    from app.explain import explained
    from app.explain.rules import sent_date

    today = today or date.today()
    sender = find_sender(text)
    org_id, name = sender if sender is not None else (UNKNOWN_SENDER, _("Onbekende afzender"))
    dated = sent_date(text)
    received = dated if dated is not None and dated <= today else today
    letter = Letter(
        id=letter_id,
        recipient=person_id,
        org_id=org_id,
        sender=name,
        subject=find_subject(text) or _("Papieren brief"),
        summary="",
        body=text,
        action=Action.READ,
        received=received,
        source=PAPER,
    )
    return explained(letter), dated, sender is not None


def read_letter(path: Path | str, person_id: str = "", *, today: date | None = None) -> Imported:
    """The letter in the file at ``path`` (PDF, PNG or JPEG), explained and ready
    to check; nothing is written. :class:`ImportProblem` when it cannot be."""
    data = _read_bytes(Path(path))
    kind = kind_of(data)
    if kind is None:
        raise ImportProblem(ImportCode.UNKNOWN_KIND)
    pages_read = pages_total = 1
    script = False
    if kind == "pdf":
        raw, pages_read, pages_total, script = _pdf_text(data)
        text = clean(raw)
        if len(_WORD.findall(text)) < MIN_WORDS:
            # (almost) no text of its own: a scan; its pages' images are read
            text, pages_read = _scan_text(data)
    else:
        text = clean(_image_text(data))
        if len(_WORD.findall(text)) < MIN_WORDS:
            raise ImportProblem(ImportCode.NOT_A_LETTER)
    letter_id = "papier-" + hashlib.sha256(data).hexdigest()[:24]
    letter, dated, known = letter_from_text(text, person_id, letter_id, today=today)
    return Imported(letter, kind, data, dated, known, pages_read, pages_total, script)


# -- on the table ------------------------------------------------------------------
_SUFFIXES = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


def original_path(desk_folder: Path, letter: Letter) -> Path | None:
    """Where the original of a paper letter is kept (None when it is not there)."""
    for suffix in _SUFFIXES.values():
        path = Path(desk_folder) / ORIGINALS / f"{letter.id}{suffix}"
        if path.is_file():
            return path
    return None


def _keep_original(folder: Path, name: str, data: bytes) -> Path:
    from app.paths import make_private_folder, write_atomically

    make_private_folder(folder)
    target = folder / name
    if target.is_file() and target.read_bytes() == data:
        return target
    write_atomically(target, data)
    return target


@dataclass(frozen=True)
class Placed:
    letter: Letter
    original: Path
    #: False when this very file lay on the table already (nothing was added twice)
    added: bool


def lay_on_table(
    desk: Desk, person_id: str, imported: Imported, letter: Letter | None = None
) -> Placed:
    """Keep the original and lay the letter (``letter``: as the person corrected
    it, else as read) on ``person_id``'s table. The original is written first, so
    a letter on the table always has it. :class:`ImportProblem` (NOT_SAVED) when
    the disk or the desk refuses; the table is then as it was."""
    from app.storage import StoreProblem

    chosen = dataclasses.replace(
        letter or imported.letter, recipient=person_id, source=PAPER, id=imported.letter.id
    )
    folder = desk.path.parent / ORIGINALS
    try:
        original = _keep_original(folder, chosen.id + _SUFFIXES[imported.kind], imported.data)
        added = desk.lay_down(person_id, chosen)
    except (OSError, StoreProblem) as error:
        log.warning("paper letter not saved: %s", type(error).__name__)
        raise ImportProblem(ImportCode.NOT_SAVED) from None
    return Placed(chosen, original, added)


def import_letter(
    desk: Desk, person_id: str, path: Path | str, *, today: date | None = None
) -> tuple[Imported, Placed]:
    """:func:`read_letter` and :func:`lay_on_table` in one (``--import``)."""
    imported = read_letter(path, person_id, today=today)
    return imported, lay_on_table(desk, person_id, imported)


def found_line(placed: Placed) -> str:
    """One plain line of what was found: sender, subject, deadline, amount."""
    from app.plain import format_amount, format_date

    letter = placed.letter
    parts = [f"{letter.sender}: {letter.subject}."]
    if letter.deadline is not None:
        parts.append(_("Uiterlijk %(date)s.") % {"date": format_date(letter.deadline)})
    if letter.amount_cents is not None:
        parts.append(_("Bedrag: %(amount)s.") % {"amount": format_amount(letter.amount_cents)})
    if letter.reference:
        parts.append(f"{letter.reference}.")  # with its own label ("Kenteken 7-KZS-28")
    first = (
        _("De brief ligt op tafel.")
        if placed.added
        else _("Deze brief lag al op tafel. Er is niets dubbel gezet.")
    )
    return " ".join([first, *parts])


__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "ImportCode",
    "ImportProblem",
    "Imported",
    "Placed",
    "find_sender",
    "found_line",
    "import_letter",
    "kind_of",
    "lay_on_table",
    "original_path",
    "problem_text",
    "read_letter",
]


def run_import(args) -> int:
    """``brieventafel --import FILE [--person ID] [--data-dir DIR]``: lay the
    letter on the person's table (the practice person by default) and print one
    plain line; 0 when it lies there, 1 when not (the plain reason on stderr)."""
    import sys

    from app import server_choice
    from app.desk import Desk
    from app.mailbox.practice import DEFAULT_PERSON
    from app.paths import default_data_dir
    from app.storage import StoreProblem

    data_dir = Path(args.data_dir) if args.data_dir is not None else default_data_dir()
    server, person_id = getattr(args, "server", None), args.person
    if not server:
        remembered = server_choice.load(data_dir)
        if remembered is not None:
            server, person_id = remembered.server, person_id or remembered.person
    if server:
        from app.watch import desk_folder

        folder = desk_folder(data_dir, server)
    else:
        from app.session import PRACTICE_FOLDER

        folder = data_dir / PRACTICE_FOLDER
    try:
        from app.paths import make_private_folder

        make_private_folder(folder)
        desk = Desk(folder)
    except (OSError, StoreProblem) as error:
        log.warning("desk not opened for an import: %s", type(error).__name__)
        print(problem_text(ImportCode.NOT_SAVED), file=sys.stderr)
        return 1
    try:
        imported, placed = import_letter(desk, person_id or DEFAULT_PERSON, args.import_file)
    except ImportProblem as problem:
        print(problem.text(), file=sys.stderr)
        return 1
    finally:
        desk.close()
    print(" ".join([found_line(placed), *imported.notes]))
    return 0
