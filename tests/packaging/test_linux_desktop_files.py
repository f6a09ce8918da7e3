"""Linux: the two .desktop files, the AppStream metainfo and the icons (issue 14).

The validators are the real ones (desktop-file-validate from desktop-file-utils,
appstreamcli from appstream). Without them a test is skipped naming the Debian
package; in CI (CI=true) it fails, since .ci/run installs both.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from system_libs import missing

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "nl.brieventafel.Brieventafel"
DESKTOP_FILES = [PACKAGING / "brieventafel.desktop", PACKAGING / "brieventafel-bibliotheek.desktop"]
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = PACKAGING / "icons"
#: the sizes the freedesktop icon theme spec lists for hicolor apps
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(name, package)
    return path


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("desktop", DESKTOP_FILES, ids=lambda path: path.name)
def test_desktop_file_validates(desktop):
    done = run(tool("desktop-file-validate", "desktop-file-utils"), str(desktop))
    # the validator prints hints (a second main category, ...) and still exits 0: none wanted
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_validates():
    done = run(tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower() and "warning" not in done.stdout.lower(), done.stdout


def entry(desktop: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case sensitive (Name[en])
    parser.read(desktop, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_files_start_the_two_modes_with_the_icon():
    normal, guided = (entry(path) for path in DESKTOP_FILES)
    assert normal["Exec"] == "brieventafel"
    assert guided["Exec"] == "brieventafel --guided"
    for desktop in (normal, guided):
        assert desktop["Icon"] == APP_ID
        assert desktop["Name[en]"] and desktop["Comment[en]"]


def test_metainfo_says_it_in_dutch_and_english_with_rating_and_release():
    root = ET.parse(METAINFO).getroot()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert root.findtext("id") == APP_ID
    paragraphs = root.find("description").findall("p")
    assert [p for p in paragraphs if p.get(lang) is None]  # Dutch, the default
    assert [p for p in paragraphs if p.get(lang) == "en"]
    assert root.find("content_rating").get("type") == "oars-1.1"
    project = (ROOT / "pyproject.toml").read_text("utf-8")
    versions = [release.get("version") for release in root.find("releases")]
    assert f'version = "{versions[0]}"' in project  # the newest release is this version
    from app import i18n

    assert {node.text for node in root.find("languages")} == set(i18n.LANGUAGES)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", HICOLOR_SIZES)
def test_hicolor_png_in_each_size(size):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert png_size(path) == (size, size)


def test_scalable_icon_is_the_drawn_svg():
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ICONS / f"{APP_ID}.svg").read_bytes()
    root = ET.parse(scalable).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 128 128"


def test_windows_and_macos_icons_hold_png_images():
    ico = (ICONS / "brieventafel.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    icns = (ICONS / "brieventafel.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic09" in icns  # 512 px for the Retina Dock
