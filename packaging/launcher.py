"""The bundle's entry point (packaging/brieventafel.spec): the same ``main`` as the
``brieventafel`` command of an installed package (pyproject.toml, project.gui-scripts)."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
