"""A smaller ICU data library for the Linux bundle (packaging/brieventafel.spec).

PySide6's wheel brings ``libicudata.so.NN``: 32 MB, all of ICU's data for every
locale, the largest file of the bundle. Qt calls only four parts of ICU (the
``*_NN`` symbols libQt6Core imports, read with ``nm -D``):

- ``ucol_*``: collation (QCollator; the file dialog sorts names with it),
- ``u_strToUpper`` / ``u_strToLower``: case in a locale (QLocale::toUpper),
- ``ucal_*``: a time zone's canonical id and display name (QTimeZone),
- ``ucnv_*``: text in a legacy encoding (QStringDecoder / QStringEncoder).

Nothing of Qt breaks words with ICU (``ubrk_``), transliterates, spells numbers
or formats units. So this keeps, of the data file:

- everything that is no locale (the Unicode properties, normalisation, the
  collation base ``coll/ucadata.icu``, time zones, supplemental data, the pools),
- each locale tree's data only for the app's languages (``nl``, ``en`` ...), all
  their regions (nl_BE, de_AT, en_US: what a person's desktop is set to) and root,
- of the converter tables, the one-byte encodings of those languages (Windows
  1250/1251/1252/1254/1256, ISO 8859-2/5/6/9/15, KOI8-R/U); UTF-8/16/32,
  Latin-1 and ASCII are in ICU's code, not in its data,

and drops the break iterators' dictionaries (Chinese, Thai, Khmer, Lao, Burmese),
transliteration, number spelling (rbnf), units and the other locales.
A locale that is not kept falls back to root, as ICU does for any unknown one:
a French desktop's file dialog then sorts by the Unicode collation order.

``icupkg`` (Debian/Ubuntu: icu-devtools) repacks the data; a C compiler (``cc``)
wraps it in a library with the same name and the one symbol ``icudtNN_dat``.
When a tool is missing, :func:`make` says so and returns None: the bundle then
keeps the full 32 MB (and build.py's size check tells).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

#: app/i18n.py LANGUAGES (tests/packaging checks the two agree)
LANGUAGES = ("nl", "en", "de", "es", "pl", "tr", "ar", "uk")

#: ICU trees that nothing of Qt reads (no ubrk_, utrans_, unum_ or measure calls)
DROP_TREES = frozenset({"brkitr", "translit", "rbnf", "unit"})

#: converter tables kept: the one-byte encodings the app's languages were written in
KEEP_CONVERTERS = frozenset(
    {
        "ibm-5346_P100-1998",  # windows-1250 (Polish)
        "ibm-5347_P100-1998",  # windows-1251 (Ukrainian)
        "ibm-5348_P100-1997",  # windows-1252 (Dutch, English, German, Spanish)
        "ibm-5350_P100-1998",  # windows-1254 (Turkish)
        "ibm-9448_X100-2005",  # windows-1256 (Arabic)
        "ibm-912_P100-1995",  # ISO 8859-2
        "ibm-915_P100-1995",  # ISO 8859-5
        "ibm-1089_P100-1995",  # ISO 8859-6
        "ibm-920_P100-1995",  # ISO 8859-9
        "ibm-923_P100-1998",  # ISO 8859-15
        "ibm-878_P100-1996",  # KOI8-R
        "ibm-1168_P100-2002",  # KOI8-U
    }
)

#: names of the form of a locale ("nl", "en_001", "sr_Latn_BA") that are no locale
NOT_LOCALES = frozenset({"root", "pool", "res_index"})
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")


def keep_item(item: str) -> bool:
    """Whether the data item ``item`` (as ``icupkg -l`` names it) stays."""
    parts = item.split("/")
    if len(parts) > 1 and parts[0] in DROP_TREES:
        return False
    stem, _, ext = parts[-1].rpartition(".")
    if ext == "cnv":
        return stem in KEEP_CONVERTERS
    if ext != "res" or stem in NOT_LOCALES or not _LOCALE.match(stem):
        return True
    return stem.split("_", 1)[0] in LANGUAGES


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _data_symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the one ``icudtNN_dat`` object in ``library``."""
    symbols = [
        line.split()
        for line in _run("readelf", "-W", "--dyn-syms", str(library)).splitlines()
        if re.search(r"\bicudt\d+_dat$", line)
    ]
    if len(symbols) != 1:
        raise ValueError("not one icudt*_dat symbol")
    _, value, size, _, _, _, index, name = symbols[0][:8]
    address, length = int(value, 16), int(size, 0)
    for line in _run("readelf", "-W", "-S", str(library)).splitlines():
        fields = re.sub(r"^\s*\[\s*(\d+)\]", r"\1", line).split()
        if fields and fields[0] == index:  # [Nr] Name Type Address Off Size ...
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return name, section_offset + address - section_address, length
    raise ValueError("the symbol's section was not found")


def make(library: Path, work: Path) -> Path | None:
    """A copy of ``library`` (``libicudata.so.NN``) with only the items
    :func:`keep_item` keeps, built in ``work``; None (and why, printed) when a
    tool is missing or the library is not what we know."""
    missing = [tool for tool in ("icupkg", "cc", "readelf") if shutil.which(tool) is None]
    if missing:
        print(f"icu_subset: {', '.join(missing)} not found: the full ICU data stays (32 MB)")
        return None
    try:
        symbol, offset, size = _data_symbol(library)
    except (ValueError, subprocess.CalledProcessError) as error:
        print(f"icu_subset: {library.name} not understood ({error}): the full ICU data stays")
        return None
    package = symbol[: -len("_dat")] + "l"  # icudt73l: the little-endian data package
    work.mkdir(parents=True, exist_ok=True)
    full, small = work / "full" / f"{package}.dat", work / "small" / f"{package}.dat"
    for folder in (full.parent, small.parent):
        folder.mkdir(exist_ok=True)
    with library.open("rb") as source:
        source.seek(offset)
        full.write_bytes(source.read(size))
    items = _run("icupkg", "-l", str(full)).split()
    dropped = [item for item in items if not keep_item(item)]
    (work / "drop.txt").write_text("\n".join(dropped) + "\n", "utf-8")
    small.unlink(missing_ok=True)
    _run("icupkg", "-r", str(work / "drop.txt"), str(full), str(small))
    assembly = work / "icudata.S"
    assembly.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        "\t.balign 16\n"
        f"{symbol}:\n"
        f'\t.incbin "{small}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n',
        "utf-8",
    )
    out = work / "lib" / library.name
    out.parent.mkdir(exist_ok=True)
    _run(
        "cc",
        "-shared",
        "-nostdlib",
        f"-Wl,-soname,{library.name}",
        "-Wl,-z,noexecstack",
        "-o",
        str(out),
        str(assembly),
    )
    print(
        f"icu_subset: {len(items) - len(dropped)} of {len(items)} ICU data items kept, "
        f"{library.stat().st_size / 1e6:.1f} MB -> {out.stat().st_size / 1e6:.1f} MB"
    )
    return out
