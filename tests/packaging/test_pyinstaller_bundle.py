"""The PyInstaller bundle (issue 14): its spec read as text (fast, always), and a
bundle built by ``python packaging/build.py`` run for real when one is there.

The spec is never executed here (that is PyInstaller's job and takes a minute);
its plain constants are read with ``ast``, so a resource folder added to
``resources/`` without the spec knowing, or a language added to the app without
its Babel locale in the bundle, fails here at once.
"""

from __future__ import annotations

import ast
import shutil
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


def test_qtpdf_is_in_the_spec_and_only_its_image_plugin_is_dropped():
    """Issue 15's viewer (QPdfDocument + QPdfView) needs QtPdf and QtPdfWidgets."""
    tree = ast.parse(SPEC.read_text("utf-8"))
    hidden = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "hiddenimports"
    )
    named = {node.value for node in ast.walk(hidden) if isinstance(node, ast.Constant)}
    assert {"PySide6.QtPdf", "PySide6.QtPdfWidgets"} <= named
    excludes = spec_constant("excludes")
    assert not [module for module in excludes if module.startswith("PySide6.QtPdf")]
    drops = spec_constant("DROP_PARTS")
    assert "imageformats/libqpdf" in drops  # a PDF is opened as a document, not an image
    assert not [part for part in drops if "qt6pdf" in part and "quick" not in part]


def test_the_check_letter_is_a_pdf_the_import_reads_as_the_rdws(tmp_path):
    from app.importing import read_letter

    letter = tmp_path / "brief.pdf"
    letter.write_bytes(build.letter_pdf())
    imported = read_letter(letter, "koen")
    assert imported.kind == "pdf"
    assert imported.letter.sender == "RDW"
    assert imported.letter.reference and "7-KZS-28" in imported.letter.reference


def test_the_launchers_pdf_check_opens_renders_and_shows_it(tmp_path, qapp, capsys):
    import launcher  # packaging/launcher.py, the bundle's entry point

    letter = tmp_path / "brief.pdf"
    letter.write_bytes(build.letter_pdf())
    assert launcher.check_pdf(str(letter)) == 0
    assert "check-pdf: 1 pages" in capsys.readouterr().out
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    assert launcher.check_pdf(str(broken)) == 1
    assert "QtPdf did not read the file" in capsys.readouterr().err


def test_qtpdfs_files_are_found_in_a_bundle_of_each_system(tmp_path):
    linux = tmp_path / "linux"
    for name in (
        "_internal/PySide6/Qt/lib/libQt6Pdf.so.6",
        "_internal/PySide6/Qt/lib/libQt6PdfWidgets.so.6",
        "_internal/PySide6/QtPdf.abi3.so",
        "_internal/PySide6/QtPdfWidgets.abi3.so",
    ):
        (linux / name).parent.mkdir(parents=True, exist_ok=True)
        (linux / name).write_bytes(b"x")
    assert all(build.qtpdf_files(linux).values())
    windows = tmp_path / "windows"
    for name in (
        "_internal/PySide6/Qt6Pdf.dll",
        "_internal/PySide6/QtPdf.pyd",
        "_internal/PySide6/QtPdfWidgets.pyd",
    ):
        (windows / name).parent.mkdir(parents=True, exist_ok=True)
        (windows / name).write_bytes(b"x")
    found = build.qtpdf_files(windows)
    assert found["Qt6Pdf"] and found["PySide6.QtPdf"] and found["PySide6.QtPdfWidgets"]
    assert found["Qt6PdfWidgets"] == []  # the one piece that is missing is told


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


def test_the_built_bundle_has_qtpdf_and_reads_a_letter_pdf_with_it():
    """Issue 15: QtPdf and QtPdfWidgets are in, and work inside the frozen app
    (the launcher's --check-pdf), beside --import of the same PDF."""
    bundle = built_bundle()
    missing = [piece for piece, files in build.qtpdf_files(bundle).items() if not files]
    assert not missing
    well, said = build.pdf_check(build.executable(bundle))
    assert well, said
    assert "De brief ligt op tafel. RDW" in said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle's own parts")
def test_the_built_linux_bundle_has_the_small_icu_and_keeps_a_sign_in():
    bundle = built_bundle()
    (icudata,) = [path for path in bundle.rglob("libicudata.so.*") if not path.is_symlink()]
    assert icudata.stat().st_size < 8_000_000  # packaging/icu_subset.py; the full one is 32 MB
    # keyring's Secret Service back end (SecretStorage) needs cryptography
    inside = next(path for path in (bundle / "_internal", bundle) if (path / "resources").is_dir())
    assert (inside / "cryptography").is_dir()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
def test_the_built_bundle_reads_a_photo_of_a_letter(tmp_path, qapp):
    """Pillow is in the bundle (its core: PNG, JPEG; the spec drops AVIF, WebP,
    fonts and colour profiles): a photo is decoded and read by the system's
    tesseract. With Pillow left out, the frozen app crashed here."""
    bundle = built_bundle()
    sys.path.insert(0, str(ROOT / "tests" / "importing"))
    from paper_letters import OCR_LETTER, write_png

    photo = write_png(tmp_path / "brief.png", OCR_LETTER)
    done = build._run_bundle(
        build.executable(bundle), "--import", str(photo), "--data-dir", str(tmp_path / "data")
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "De brief ligt op tafel. RDW: APK." in done.stdout
