"""app.i18n reads a language's catalog itself (issue 14) and gets what gettext would give.

``gettext.translation`` imports ``locale`` to spell out every variant of the
language's name (``ar_AA.ISO8859-6``, ``ar_AA``, ...) and looks for each, at each
call. Our catalogs are named by the plain code, so ``app.i18n`` opens that one
file: the same translations, the same fallback to Dutch when it is missing.
"""

from __future__ import annotations

import gettext
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import i18n
from app.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]


def _gettexts(language: str, folder: Path) -> gettext.NullTranslations:
    return gettext.translation(i18n.DOMAIN, folder, languages=[language], fallback=True)


@pytest.mark.parametrize("language", sorted(set(i18n.LANGUAGES) - {i18n.DEFAULT_LANGUAGE}))
def test_each_catalog_is_the_one_gettext_finds(language):
    ours = i18n._catalog(language)
    theirs = _gettexts(language, resources_dir() / "i18n")
    assert type(ours) is type(theirs) is gettext.GNUTranslations
    assert ours._catalog == theirs._catalog  # type: ignore[attr-defined]
    assert ours.info() == theirs.info()
    for n in range(4):  # the plural rule came along
        assert ours.ngettext("%(n)d dag te laat", "%(n)d dagen te laat", n) == theirs.ngettext(
            "%(n)d dag te laat", "%(n)d dagen te laat", n
        )
    assert i18n._catalog(language) is ours  # read once


def test_a_missing_catalog_falls_back_to_dutch_as_gettext_does(tmp_path, monkeypatch):
    (tmp_path / "i18n" / "de").mkdir(parents=True)  # a folder, no catalog
    (tmp_path / "i18n" / "tr").mkdir()
    (tmp_path / "i18n" / "tr" / "LC_MESSAGES").write_text("geen map", encoding="utf-8")
    monkeypatch.setattr(i18n, "resources_dir", lambda: tmp_path)
    try:
        for language in ("de", "tr", "pl"):
            assert type(_gettexts(language, tmp_path / "i18n")) is gettext.NullTranslations
            assert i18n.set_language(language) == language
            assert type(i18n._translation) is gettext.NullTranslations
            assert i18n.gettext("Brief openen") == "Brief openen"
    finally:
        monkeypatch.undo()
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


def test_switching_language_loads_no_locale_module():
    """A real process, since import cost is the point."""
    code = (
        "import json, sys, time\n"
        "from app import i18n\n"
        "start = time.perf_counter()\n"
        "i18n.set_language('ar')\n"
        "print(json.dumps({'locale': 'locale' in sys.modules, 'text': i18n.gettext('Terug'),\n"
        "                  'ms': (time.perf_counter() - start) * 1000}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["locale"] is False
    assert found["text"] == _gettexts("ar", resources_dir() / "i18n").gettext("Terug") != "Terug"
