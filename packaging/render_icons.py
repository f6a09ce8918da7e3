"""Render the app icon from its SVG: ``python packaging/render_icons.py``.

From ``packaging/icons/nl.brieventafel.Brieventafel.svg`` (drawn by hand) it makes,
with Qt's own SVG renderer (offscreen, no display needed):

- the hicolor PNGs the freedesktop icon theme spec asks for, in
  ``packaging/icons/hicolor/<n>x<n>/apps/`` (16, 24, 32, 48, 64, 128, 256, 512),
  and the SVG itself in ``hicolor/scalable/apps/``;
- ``brieventafel.ico`` for Windows (PNG images, 16 to 256) and
  ``brieventafel.icns`` for macOS (PNG images, 16 to 1024), used by the spec.

The results are committed; run this again only when the SVG changes.
``--check`` renders into memory and fails when a committed file differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_ID = "nl.brieventafel.Brieventafel"
ICONS = Path(__file__).resolve().parent / "icons"
SVG = ICONS / f"{ICON_ID}.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS image types holding PNG data, by pixel size (Apple's icns format)
ICNS_TYPES = {
    16: b"icp4",
    32: b"icp5",
    64: b"icp6",
    128: b"ic07",
    256: b"ic08",
    512: b"ic09",
    1024: b"ic10",
}


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not write a {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico with PNG images (allowed since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns with PNG images."""
    body = b""
    for size in sorted(pngs):
        data = pngs[size]
        body += ICNS_TYPES[size] + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def outputs() -> dict[Path, bytes]:
    """Every file this script makes, by path, with its bytes."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise RuntimeError(f"Qt cannot read {SVG}")
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES))
    pngs = {size: render_png(renderer, size) for size in sizes}
    files = {
        ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_ID}.png": pngs[size]
        for size in HICOLOR_SIZES
    }
    files[ICONS / "hicolor" / "scalable" / "apps" / f"{ICON_ID}.svg"] = SVG.read_bytes()
    files[ICONS / "brieventafel.ico"] = ico({size: pngs[size] for size in ICO_SIZES})
    files[ICONS / "brieventafel.icns"] = icns({size: pngs[size] for size in ICNS_TYPES})
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, data in outputs().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".svg":
            shutil.copyfile(SVG, path)
        else:
            path.write_bytes(data)
        print(f"wrote {path.relative_to(ICONS.parent.parent)}")
    for path in stale:
        print(f"out of date: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
