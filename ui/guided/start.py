"""``brieventafel --guided``: a guided session in its own window on a throwaway visit."""

from __future__ import annotations

from app import guided
from ui.guided.window import GuidedWindow


def run_guided(app, args, *, root=None) -> int:
    """Start a guided session; whatever happens, end it and remove everything."""
    from app import i18n
    from ui.shell import theme
    from ui.shell.qt_language import apply_qt_language

    i18n.set_language(args.language or "nl")
    apply_qt_language(app)
    visit = guided.Visit.start(root)
    visits = [visit]
    shown: list[GuidedWindow] = []  # the current window; Python must keep it

    def next_visitor(window: GuidedWindow) -> None:
        """ "Volgende bezoeker": the fresh window takes over (its visit ends here too)."""
        visits.append(window.visit)
        shown[:] = [window]
        window.sig_next_visitor.connect(next_visitor)

    try:
        visit.open_session(args.person, sync=False)  # the window fetches
        window = GuidedWindow(visit)
        window.set_scale(args.scale if args.scale is not None else theme.MIN_SCALE)
        window.sig_next_visitor.connect(next_visitor)
        shown.append(window)
        window.show()
        return app.exec()
    finally:
        for each in visits:
            each.end()
