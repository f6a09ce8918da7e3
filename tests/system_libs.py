"""A system library or tool the tests need but this machine lacks.

On a person's machine (CI is not "true") that is a skip whose reason names the
Debian package to install, so "2 failed: ImportError: libpulse.so.0" becomes
"skipped: ... install libpulse0 (apt-get install libpulse0)". In CI (CI=true) it
stays a failure: .ci/run installs everything, so a missing library there means the
check silently stopped running.

    from system_libs import system_library

    with system_library():
        from PySide6.QtTextToSpeech import QTextToSpeech

Only errors that name a shared library (``libsomething.so.N``) are turned into a
skip; any other ImportError is a real error and is raised as it is.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import NoReturn

import pytest

#: Shared library -> the Debian/Ubuntu package that installs it (see .ci/run).
PACKAGES = {
    "libpulse.so.0": "libpulse0",  # QtTextToSpeech, QtMultimedia
    "libpulse-mainloop-glib.so.0": "libpulse-mainloop-glib0",
    "libspeechd.so.2": "libspeechd2",  # the speechd engine of QtTextToSpeech
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

_LIBRARY = re.compile(r"\b(lib[\w.+-]*?\.so(?:\.\d+)*)")


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing(what: str, packages: str) -> NoReturn:
    """Skip (on a person's machine) or fail (in CI) because ``what`` is missing."""
    reason = f"{what}; install {packages} (apt-get install {packages}; .ci/run does this)"
    if in_ci():
        pytest.fail(f"in CI every system library must be there: {reason}", pytrace=False)
    pytest.skip(reason)


def library_named_in(error: BaseException) -> str | None:
    """The shared library an ImportError/OSError is about, e.g. 'libpulse.so.0'."""
    found = _LIBRARY.search(str(error))
    return found.group(1) if found else None


def package_for(library: str) -> str:
    if library in PACKAGES:
        return PACKAGES[library]
    # libfoo-1.so.3 -> libfoo-1-3, libbar.so.2 -> libbar2: Debian's usual naming.
    name, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    return f"{name}-{version}" if name[-1:].isdigit() and version else f"{name}{version}"


@contextmanager
def system_library(package: str | None = None):
    """Around an import that needs a system library: missing library -> missing()."""
    try:
        yield
    except (ImportError, OSError) as error:
        library = library_named_in(error)
        if library is None:
            raise
        missing(f"{library} is missing ({error})", package or package_for(library))
