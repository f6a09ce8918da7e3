"""Windows and macOS packaging and the CI workflow, checked as text (issue 14).

None of them can run here (no Windows, no macOS, no GitHub runner): these
tests hold them to what the app is (version, languages, the two start modes,
a per-user install) so they do not drift while nobody can build them.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ISS = PACKAGING / "windows" / "brieventafel.iss"
SPEC = PACKAGING / "brieventafel.spec"
WORKFLOW = ROOT / ".github" / "workflows" / "package.yml"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for raw in ISS.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


def test_inno_setup_installs_for_the_user_without_admin():
    setup = iss_sections()["Setup"]
    assert "PrivilegesRequired=lowest" in setup
    assert "DefaultDirName={autopf}\\{#AppName}" in setup
    text = ISS.read_text("utf-8")
    assert f'#define AppVersion "{VERSION}"' in text
    assert '#define Bundle "..\\..\\dist\\brieventafel"' in text
    assert (ISS.parent / "../icons/brieventafel.ico").resolve().is_file()


def test_inno_setup_has_both_start_menu_entries():
    icons = [line for line in iss_sections()["Icons"] if line.startswith('Name: "{group}')]
    assert len(icons) == 2
    normal, guided = icons
    assert 'Filename: "{app}\\brieventafel.exe"' in normal and "Parameters" not in normal
    assert 'Parameters: "--guided"' in guided
    assert "recursesubdirs" in iss_sections()["Files"][0]


def bundle_call() -> ast.Call:
    for node in ast.walk(ast.parse(SPEC.read_text("utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "BUNDLE":
            return node
    raise AssertionError("the spec makes no macOS BUNDLE")


def test_macos_bundle_settings():
    keywords = {keyword.arg: keyword.value for keyword in bundle_call().keywords}
    assert ast.unparse(keywords["bundle_identifier"]) == "APP_ID"
    plist = keywords["info_plist"]
    assert isinstance(plist, ast.Dict)
    values = {
        ast.literal_eval(key): value for key, value in zip(plist.keys, plist.values, strict=True)
    }
    assert ast.literal_eval(values["NSHighResolutionCapable"]) is True
    assert ast.unparse(values["CFBundleLocalizations"]) == "LANGUAGES"  # the app's eight
    assert ast.literal_eval(values["CFBundleDevelopmentRegion"]) == "nl"


def test_workflow_builds_on_the_three_systems():
    yaml = pytest.importorskip("yaml")  # PyYAML comes with schemathesis (the test extra)
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    job = workflow["jobs"]["bundle"]
    systems = " ".join(job["strategy"]["matrix"]["os"])
    for system in ("ubuntu", "windows", "macos"):
        assert system in systems
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python packaging/build.py" in commands
    assert "packaging\\windows\\brieventafel.iss" in commands
    assert "cannot run here" in WORKFLOW.read_text("utf-8").lower() or "not run" in (
        WORKFLOW.read_text("utf-8").lower()
    )
