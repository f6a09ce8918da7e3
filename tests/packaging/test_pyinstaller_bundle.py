"""The PyInstaller bundle (issue 14): its spec read as text (fast, always), and a
bundle built by ``python packaging/build.py`` run for real when one is there.

The spec is never executed here (that is PyInstaller's job and takes a minute);
its plain constants are read with ``ast``, so a resource folder added to
``resources/`` without the spec knowing, or a language added to the app without
its Babel locale in the bundle, fails here at once.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "brieventafel.spec"
sys.path.insert(0, str(PACKAGING))

import build  # noqa: E402  (packaging/build.py)

#: Files in resources/ that the desktop app never reads: the FBS contract (the
#: server's and the tests'), the translators' catalogs (the app reads the .mo).
NOT_SHIPPED = {"__init__.py", "contracts", ".po", ".pot"}


def spec_constant(name: str, spec: Path = SPEC):
    """The literal value the spec assigns to ``name`` at its top level."""
    tree = ast.parse(spec.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"the spec has no {name}")


def shipped_resources(globs: list[str]) -> set[Path]:
    folder = ROOT / "resources"
    return {path for pattern in globs for path in folder.glob(pattern)}


def test_every_resource_the_app_reads_is_in_the_bundle():
    globs = spec_constant("RESOURCE_GLOBS")
    shipped = shipped_resources(globs)
    folder = ROOT / "resources"
    needed = {
        path
        for path in folder.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not ({path.name, path.suffix, *path.relative_to(folder).parts} & NOT_SHIPPED)
    }
    assert needed, "resources/ is empty?"
    missing = sorted(str(path.relative_to(ROOT)) for path in needed - shipped)
    assert not missing, f"resources the bundle would lack (add to RESOURCE_GLOBS): {missing}"
    # every catalog of every language, compiled
    from app import i18n

    for language in set(i18n.LANGUAGES) - {i18n.DEFAULT_LANGUAGE}:
        mo = ROOT / "resources" / "i18n" / language / "LC_MESSAGES" / "brieventafel.mo"
        assert mo in shipped, language


def test_the_spec_knows_the_apps_languages_and_their_babel_locales():
    from app import i18n

    assert spec_constant("LANGUAGES") == list(i18n.LANGUAGES)
    locales = set()
    for language in i18n.LANGUAGES:
        i18n.set_language(language)
        locales.add(i18n.locale())
    assert set(spec_constant("BABEL_LOCALES")) == locales


def test_the_spec_version_and_id_are_the_projects():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert spec_constant("VERSION") == project["version"]
    assert spec_constant("APP_ID") == "nl.brieventafel.Brieventafel"


def test_no_web_engine_and_no_qml():
    excludes = spec_constant("excludes")
    for module in ("PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick"):
        assert module in excludes
    drops = spec_constant("DROP_PARTS")
    assert {"webengine", "qt6quick", "qt6qml", "qt63d"} <= set(drops)


def test_the_size_counts_each_file_once(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 1000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 500)
    try:
        (tmp_path / "hard").hardlink_to(tmp_path / "a")
        (tmp_path / "soft").symlink_to(tmp_path / "a")
    except OSError:  # a file system without links: the plain files still count
        pass
    assert build.size_bytes(tmp_path) == 1500


# -- the built bundle ----------------------------------------------------------------


def built_bundle() -> Path:
    program = build.executable()
    if not program.is_file():
        pytest.skip(
            f"no bundle built at {program.relative_to(ROOT)}: run `python packaging/build.py` "
            "(a minute; CI builds it in .github/workflows/package.yml, not here)"
        )
    return build.BUNDLE


def test_the_built_bundle_passes_its_self_test_on_its_own():
    bundle = built_bundle()
    done = build.self_test(build.executable(bundle), "ar")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Brieventafel self-test: " in done.stdout
    assert "brieven op tafel" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_built_bundle_is_small_and_holds_what_the_app_reads():
    bundle = built_bundle()
    assert build.size_bytes(bundle) <= build.MAX_MB * 1_000_000
    inside = next(path for path in (bundle / "_internal", bundle) if (path / "resources").is_dir())
    for wanted in (
        "resources/practice/letters.json",
        "resources/guided/scripts.json",
        "resources/explain/rules.json",
        "resources/i18n/ar/LC_MESSAGES/brieventafel.mo",
    ):
        assert (inside / wanted).is_file(), wanted
    names = [str(path).lower() for path in bundle.rglob("*")]
    for unwanted in ("webengine", "qt6quick", "qt6qml", "qt63d"):
        assert not [name for name in names if unwanted in name], unwanted
