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
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from app.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "resources" / "i18n"
POT = CATALOGS / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
KEYWORDS = ("_", "gettext", "ngettext:1,2", "N_")
WIDTH = "100"


def translated_languages() -> list[str]:
    """Every language with a catalog: all but the source language."""
    return [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


def po_path(language: str) -> Path:
    return CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(output: Path = POT) -> Path:
    """Write the template (.pot) from the code and the guided scripts."""
    if str(ROOT) not in sys.path:        # the guided-scripts extractor is app.guided
        sys.path.insert(0, str(ROOT))
    output.parent.mkdir(parents=True, exist_ok=True)
    keywords = [arg for kw in KEYWORDS for arg in ("-k", kw)]
    with contextlib.chdir(ROOT):         # locations relative to the project root
        _pybabel("extract", "-F", str(MAPPING), "--no-default-keywords", *keywords,
                 "--add-comments", "TRANSLATORS:", "--sort-by-file", "-w", WIDTH,
                 "--project", "Brieventafel", "--copyright-holder", "Brieventafel",
                 "-o", str(output), ".")
    return output


def update() -> list[Path]:
    """Merge the template into every language's .po (new catalogs are created)."""
    written = []
    for language in translated_languages():
        path = po_path(language)
        if path.exists():
            _pybabel("update", "-i", str(POT), "-o", str(path), "-l", language,
                     "-w", WIDTH, "--ignore-obsolete")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            _pybabel("init", "-i", str(POT), "-o", str(path), "-l", language, "-w", WIDTH)
        written.append(path)
    return written


def compile_catalogs() -> list[Path]:
    """Write the .mo files. Fuzzy entries are left out (they fall back to Dutch)."""
    written = []
    for language in translated_languages():
        path = po_path(language)
        if path.exists():
            _pybabel("compile", "-i", str(path), "-o", str(mo_path(language)), "-l", language)
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
        strings = (ours.string if ours is not None else None)
        strings = strings if isinstance(strings, (tuple, list)) else (strings,)
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
    parser = argparse.ArgumentParser(prog="python -m app.i18n_tools", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", nargs="?", default="all",
                        choices=["all", "extract", "update", "compile", "check"])
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
