#!/usr/bin/python3
"""Walk the running Brieventafel the way a screen reader (Orca) meets it: through AT-SPI.

Run by tests/test_a11y_atspi.py with the system Python (which has python3-pyatspi),
inside a D-Bus session with the AT-SPI bus and a virtual X screen. It finds the
application, walks its accessibility tree, presses the given controls by name in
turn and walks again after each press. It prints a JSON report on the last line:

    {"walks": [{"after": null | "<name>", "nodes": n, "unnamed": [...],
                "list_items": [...], "window": "<title>"}], "error": null | "..."}

Exit code 0 when every walk found no unnamed control, 1 otherwise, 2 when the
application did not appear or a control to press was not found.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time

import pyatspi

#: Roles a person operates (AT-SPI role names); each needs a name.
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "entry",
    "spin button",
    "slider",
    "link",
    "menu item",
    "check menu item",
    "radio menu item",
    "page tab",
    "list item",
    "table cell",
    "tree item",
    "list",
    "tree",
    "tree table",
    "table",
}


def states(acc) -> set[str]:
    try:
        st = acc.getState()
    except Exception:
        return set()
    names = {
        pyatspi.STATE_SHOWING: "showing",
        pyatspi.STATE_VISIBLE: "visible",
        pyatspi.STATE_FOCUSABLE: "focusable",
        pyatspi.STATE_FOCUSED: "focused",
        pyatspi.STATE_ENABLED: "enabled",
        pyatspi.STATE_CHECKED: "checked",
    }
    return {label for state, label in names.items() if st.contains(state)}


def find_app(name: str, wait_until: float):
    while time.monotonic() < wait_until:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and name in (app.name or "") and app.childCount > 0:
                return app
        time.sleep(0.2)
    return None


def walk(acc, depth=0, out=None):
    """All (accessible, role, name, states, depth) under acc (states of controls only:
    the roles in INTERACTIVE)."""
    out = [] if out is None else out
    if acc is None or depth > 60:
        return out
    try:
        role, name = acc.getRoleName(), acc.name or ""
        count = acc.childCount
    except Exception:  # an object can go away while we look
        return out
    # States are another round trip per node; only a control's are ever looked at.
    out.append((acc, role, name, states(acc) if role in INTERACTIVE else set(), depth))
    for i in range(count):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        walk(child, depth + 1, out)
    return out


def report(app, after, nodes=None):
    """What one walk found; ``nodes`` is a walk made already (else one is made)."""
    nodes = walk(app) if nodes is None else nodes
    unnamed = [
        f"{role} at depth {depth} (parent {parent_name(acc)!r})"
        for acc, role, name, st, depth in nodes
        if role in INTERACTIVE and "showing" in st and not name.strip()
    ]
    items = [
        name
        for acc, role, name, st, depth in nodes
        if role == "list item" and list_name(acc) == LIST_NAME
    ]
    frames = [name for acc, role, name, st, depth in nodes if role == "frame"]
    return {
        "after": after,
        "nodes": len(nodes),
        "unnamed": unnamed,
        "list_items": items,
        "window": frames[0] if frames else "",
        "controls": sorted(
            {
                f"{role}: {name}"
                for acc, role, name, st, depth in nodes
                if role in INTERACTIVE and role != "list item" and "showing" in st
            }
        ),
    }


LIST_NAME = "Brieven op tafel"


def window_title(app) -> str:
    """The name of the app's first window, read without walking the whole tree
    (a full walk reads every node over D-Bus and takes about a second)."""
    try:
        for i in range(app.get_child_count()):
            child = app.get_child_at_index(i)
            if child is not None and child.get_role_name() == "frame":
                return child.get_name() or ""
    except Exception:  # noqa: BLE001 - a window that went away has no title
        return ""
    return ""


def parent_name(acc) -> str:
    try:
        return acc.parent.name if acc.parent else "?"
    except Exception:
        return "?"


def list_name(acc) -> str:
    try:
        parent = acc.parent
        while parent is not None and parent.getRoleName() not in ("list", "list box"):
            parent = parent.parent
        return parent.name if parent is not None else ""
    except Exception:
        return ""


def find_showing(app, name, nodes=None):
    """The showing control called name, in ``nodes`` (a walk made already) or in a
    fresh walk."""
    if nodes is None:
        with contextlib.suppress(Exception):
            app.clear_cache()
        nodes = walk(app)
    for acc, role, acc_name, st, _depth in nodes:
        if acc_name.strip() == name and "showing" in st and role in INTERACTIVE:
            return acc
    return None


def press(acc) -> bool:
    try:
        action = acc.queryAction()
    except NotImplementedError:
        return False
    names = [action.getName(i) for i in range(action.nActions)]
    for wanted in ("press", "Press", "click", "activate", "toggle", "Toggle"):
        if wanted in names:
            return bool(action.doAction(names.index(wanted)))
    return bool(action.nActions and action.doAction(0))


def wait_for(app, check, until: float):
    while time.monotonic() < until:
        if check():
            return True
        time.sleep(0.2)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", default="Brieventafel")
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the app")
    parser.add_argument(
        "--press",
        action="append",
        default=[],
        help="press the showing control with this name, then walk again",
    )
    args = parser.parse_args()

    result = {"walks": [], "error": None}
    app = find_app(args.app, time.monotonic() + args.wait)
    if app is None:
        result["error"] = f"no application named {args.app!r} on the accessibility bus"
        print(json.dumps(result))
        return 2
    # Read states fresh from the app each time: a cached "not showing" can be stale
    # right after a screen changes.
    try:
        from gi.repository import Atspi

        app.set_cache_mask(Atspi.Cache.NONE)
    except Exception:
        pass
    # A walk reads every node over D-Bus (about a second), so each walk is used
    # twice: for the report of a state and to find the control to press next in it
    # (walked again, until it shows, only when it is not in it).
    last: list = []

    def walked():
        last[:] = walk(app)
        return last

    # The table is filled when its cards are on the bus.
    wait_for(app, lambda: report(app, None, walked())["list_items"], time.monotonic() + args.wait)
    result["walks"].append(report(app, None, last))
    for name in args.press:
        found: list = [find_showing(app, name, last)]
        if found[0] is None:

            def showing(name=name, found=found):
                found[0] = find_showing(app, name)
                return found[0] is not None

            wait_for(app, showing, time.monotonic() + 30)
        target = found[0]
        if target is None:
            result["error"] = f"no showing control named {name!r}"
            break
        before = window_title(app)
        checked = "checked" in states(target)
        pressed = press(target)
        # The window title names the screen; wait until it changes, or until a switch
        # (which changes no screen) says it is on or off (or a moment passes).
        wait_for(
            app,
            lambda before=before, target=target, checked=checked: (
                window_title(app) != before or ("checked" in states(target)) != checked
            ),
            time.monotonic() + 3,
        )
        walk_after = report(app, name, walked())
        walk_after["pressed"] = pressed
        result["walks"].append(walk_after)
    print(json.dumps(result, ensure_ascii=False))
    if result["error"]:
        return 2
    return 1 if any(w["unnamed"] for w in result["walks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
