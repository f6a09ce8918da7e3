"""The Linux bundle's smaller ICU data (packaging/icu_subset.py, issue 14).

The rule is checked on item names; then the real subset is made from the venv's
own libicudata (a third of a second) and Qt is run twice in a real subprocess, once
on the full data and once on the subset (LD_LIBRARY_PATH is searched before the
libraries' $ORIGIN runpath): collation, case in a locale and time zone names must
come out the same in every language of the app; a desktop set to another language
sorts the same and gets root's (English) time zone names.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import icu_subset  # noqa: E402  (packaging/icu_subset.py)


def test_the_subset_knows_the_apps_languages():
    from app import i18n

    assert set(icu_subset.LANGUAGES) == set(i18n.LANGUAGES)


@pytest.mark.parametrize(
    "item",
    [
        "root.res",
        "nl.res",
        "nl_BE.res",
        "en_001.res",
        "en_GB.res",
        "ar_EG.res",
        "uk_UA.res",
        "res_index.res",
        "pool.res",
        "coll/root.res",
        "coll/tr.res",
        "coll/ucadata.icu",
        "coll/res_index.res",
        "zone/pool.res",
        "zone/nl.res",
        "region/de.res",
        "zoneinfo64.res",
        "metaZones.res",
        "supplementalData.res",
        "uprops.icu",
        "ucase.icu",
        "nfkc.nrm",
        "cnvalias.icu",
        "ibm-5348_P100-1997.cnv",  # windows-1252
    ],
)
def test_what_qt_reads_for_our_languages_stays(item):
    assert icu_subset.keep_item(item)


@pytest.mark.parametrize(
    "item",
    [
        "fr.res",
        "zh_Hant_TW.res",
        "coll/zh.res",
        "zone/ja.res",
        "brkitr/cjdict.dict",
        "brkitr/nl.res",
        "translit/root.res",
        "rbnf/nl.res",
        "unit/nl.res",
        "gb18030.cnv",
        "ibm-1390_P110-2003.cnv",
    ],
)
def test_what_qt_never_reads_or_other_languages_go(item):
    assert not icu_subset.keep_item(item)


# Run in a child: what Qt does with ICU, as JSON (the same program on both data sets).
PROBE = r"""
import json, sys
from PySide6.QtCore import QCoreApplication, QCollator, QLocale, QStringDecoder, QTimeZone
app = QCoreApplication([])
maps = open("/proc/self/maps").read()
words = ["één", "Zeeland", "appel", "Éc", "ijs", "Ålborg", "çay", "İzmir", "ışık", "zebra",
         "Łódź", "ñu", "öl", "Über", "яблуко", "Їжак", "بيت", "أمل"]
out = {"icudata": sorted({line.split()[-1] for line in maps.splitlines()
                          if "libicudata" in line})}
zone = QTimeZone(b"Europe/Amsterdam")
for name in ["nl_NL", "nl_BE", "en_GB", "en_US", "de_DE", "es_ES", "pl_PL", "tr_TR", "ar",
             "ar_MA", "uk_UA", "fr_FR"]:
    locale = QLocale(name)
    collator = QCollator(locale)
    out[name] = [
        sorted(words, key=collator.sortKey),
        locale.toUpper("ijs istanbul"),
        locale.toLower("IŞIK İ"),
        zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, locale),
    ]
out["decoders"] = {name: QStringDecoder(name).isValid()
                   for name in ["UTF-8", "windows-1252", "ISO-8859-15", "windows-1250",
                                "windows-1251", "windows-1254", "windows-1256", "KOI8-U"]}
print(json.dumps(out, ensure_ascii=False))
"""


def probe(library_path: Path | None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_path is not None:
        env["LD_LIBRARY_PATH"] = str(library_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Could not create collator" not in done.stderr, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_subset_gives_qt_the_same_answers_in_every_language(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the subset is made for the Linux bundle only")
    if shutil.which("icupkg") is None or shutil.which("cc") is None:
        pytest.skip("icupkg (icu-devtools) or a C compiler is missing here")
    from PySide6 import QtCore

    full = sorted((Path(QtCore.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not full:
        pytest.skip("this PySide6 brings no ICU of its own")
    made = icu_subset.make(full[0], tmp_path / "icu")
    assert made is not None
    assert made.stat().st_size < full[0].stat().st_size / 4  # 32 MB -> under 8

    before, after = probe(None), probe(made.parent)
    assert before["icudata"] == [str(full[0].resolve())]
    assert after["icudata"] == [str(made)]  # the child really ran on the subset
    for key in before:
        if key not in ("icudata", "fr_FR"):
            assert after[key] == before[key], key
    # a desktop in a language the app does not speak: sorted and cased the same,
    # its zone names fall back to root's (English), as the module's text says
    assert after["fr_FR"][:3] == before["fr_FR"][:3]
    assert after["fr_FR"][3] == "Central European Standard Time" != before["fr_FR"][3]
    # and the check can see a difference: Turkish sorts and upper-cases its own way
    assert before["tr_TR"][0] != before["nl_NL"][0]
    assert before["tr_TR"][1] == "İJS İSTANBUL"
    assert all(before["decoders"].values())
