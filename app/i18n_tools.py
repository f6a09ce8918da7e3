"""Keep the language catalogs in step with the code: extract, update, compile.

    python -m app.i18n_tools            # all three steps (what you normally want)
    python -m app.i18n_tools extract    # only write resources/i18n/brieventafel.pot
    python -m app.i18n_tools update     # only merge the .pot into every .po
    python -m app.i18n_tools compile    # only write the .mo files the app loads
    python -m app.i18n_tools check      # say what is missing; exit 1 if anything is

The msgids are the Dutch text, so Dutch has no catalog: the ``.pot`` *is* the
Dutch catalog. Every other language in :data:`app.i18n.LANGUAGES` has
``resources/i18n/<lang>/LC_MESSAGES/brieventafel.po`` (for translators) and the
compiled ``.mo`` next to it (shipped, loaded at run time). Extraction follows
``babel.cfg`` in the project root: Python files under ``app/`` and ``ui/`` with
the keywords ``_ gettext ngettext N_``, and the guided-mode scripts
(``resources/guided/*.json``) through their Babel extractor.

A developer tool: it needs a source checkout and Babel, nothing else (no Qt).
It calls Babel's Python API (``babel.messages.extract``, ``.catalog``,
``.pofile``, ``.mofile``), not the ``pybabel`` command line, and rewrites a
file only when its content changes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "resources" / "i18n"
POT = CATALOGS / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
#: ``_ gettext ngettext N_`` in Babel's form: the arguments that are messages
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
COMMENT_TAGS = ["TRANSLATORS:"]
WIDTH = 100

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog


def translated_languages() -> list[str]:
    """Every language with a catalog: all but the source language."""
    return [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


def po_path(language: str) -> Path:
    return CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _po_bytes(catalog, **options) -> bytes:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, **options)
    return out.getvalue()


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly that (atomically).
    Returns whether the file changed."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def template() -> Catalog:
    """The template as the code and the guided scripts make it now."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    if str(ROOT) not in sys.path:  # the guided-scripts extractor is app.guided.extract
        sys.path.insert(0, str(ROOT))
    with MAPPING.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(MAPPING))
    catalog = Catalog(project="Brieventafel", copyright_holder="Brieventafel", charset="utf-8")
    # Locations relative to the project root, as "app/plain.py:12".
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=False,
    ):
        catalog.add(
            message,
            None,
            [(os.path.normpath(filename), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def extract(output: Path = POT) -> Path:
    """Write the template (.pot) from the code and the guided scripts.

    When no message, location or comment changed, the file is left as it is
    (its creation date too), so the catalogs and the .mo files stay the same.
    """
    catalog = template()
    if output.exists():
        before = read_catalog(output)
        fresh = catalog.creation_date
        catalog.creation_date = before.creation_date
        if _po_bytes(catalog, sort_by_file=True) == output.read_bytes():
            return output
        catalog.creation_date = fresh
    _write(output, _po_bytes(catalog, sort_by_file=True))
    return output


def update() -> list[Path]:
    """Merge the template into every language's .po (new catalogs are created).

    Obsolete entries are dropped; a msgid that changed a little comes back as
    fuzzy (Babel's fuzzy matching), so a translator sees it again.
    """
    import datetime

    from babel.messages.catalog import LOCALTZ

    pot = read_catalog(POT)
    written = []
    for language in translated_languages():
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(path, language)
            catalog.update(
                pot, no_fuzzy_matching=False, update_header_comment=False, update_creation_date=True
            )
            _write(path, _po_bytes(catalog, ignore_obsolete=True, include_previous=False))
        else:
            catalog = read_catalog(POT, language)
            catalog.locale = language
            catalog.revision_date = datetime.datetime.now(LOCALTZ)
            catalog.fuzzy = False
            _write(path, _po_bytes(catalog))
        written.append(path)
    return written


def compile_catalogs() -> list[Path]:
    """Write the .mo files. Fuzzy entries are left out (they fall back to Dutch).

    A catalog marked fuzzy as a whole is skipped; a broken entry (a missing
    placeholder, say) is reported on stderr and compiled as it is.
    """
    from babel.messages.mofile import write_mo

    written = []
    for language in translated_languages():
        path = po_path(language)
        if not path.exists():
            continue
        catalog = read_catalog(path, language)
        if catalog.fuzzy:
            continue
        for message, errors in catalog.check():
            for error in errors:
                print(f"error: {path}:{message.lineno}: {error}", file=sys.stderr)
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        _write(mo_path(language), out.getvalue())
        written.append(mo_path(language))
    return written


def read_catalog(path: Path, language: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=language)


def msgids(catalog) -> list[str]:
    """The source strings of a catalog (for a plural, the singular)."""
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id]


def missing(language: str) -> list[str]:
    """msgids of the current template that this language lacks (untranslated or fuzzy)."""
    from babel.messages.pofile import read_po

    with POT.open("rb") as f:
        template = read_po(f)
    path = po_path(language)
    if not path.exists():
        return [m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id]
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    gaps = []
    for message in template:
        if not message.id:
            continue
        ours = catalog.get(message.id, message.context)
        found = ours.string if ours is not None else None
        strings = tuple(found) if isinstance(found, (tuple, list)) else (found,)
        if ours is None or ours.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def check() -> int:
    """Print what each language still lacks; 0 when every catalog is complete."""
    bad = 0
    for language in translated_languages():
        gaps = missing(language)
        print(f"{language}: {'complete' if not gaps else f'{len(gaps)} missing'}")
        for msgid in gaps:
            print(f"    {msgid}")
        bad += len(gaps)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.i18n_tools",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "step", nargs="?", default="all", choices=["all", "extract", "update", "compile", "check"]
    )
    step = parser.parse_args(argv).step
    if step in ("all", "extract"):
        print(f"extracted: {extract().relative_to(ROOT)}")
    if step in ("all", "update"):
        for path in update():
            print(f"updated: {path.relative_to(ROOT)}")
    if step in ("all", "compile"):
        for path in compile_catalogs():
            print(f"compiled: {path.relative_to(ROOT)}")
    if step in ("all", "check"):
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
