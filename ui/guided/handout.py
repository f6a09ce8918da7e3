"""The visitor's handout on paper: large print (18 pt body, 25 pt headings).

The words come from :mod:`app.guided.handout`; this lays them out for the
printer or the PDF (``ui/shell/printing.py``).
"""

from __future__ import annotations

from datetime import date

from app import guided
from app.i18n import gettext as _
from app.plain import deadline_phrase, format_date
from ui.shell.printing import PrintDocument

HANDOUT_POINT_SIZE = 18  # large print for the visitor


class HandoutDocument(PrintDocument):
    """A print document in large type (18 pt body, 25 pt headings)."""

    def heading(self, text: str) -> PrintDocument:
        self._block(HANDOUT_POINT_SIZE * 1.4, True, 14)
        self._cursor.insertText(text)
        return self

    def paragraph(self, text: str, *, bold: bool = False) -> PrintDocument:
        for part in text.split("\n"):
            self._block(HANDOUT_POINT_SIZE, bold, 6)
            self._cursor.insertText(part)
        return self


def handout_document(handout: guided.Handout, today: date) -> HandoutDocument:
    doc = HandoutDocument(_("Briefje van het Informatiepunt"))
    doc.heading(_("Uw briefje van het Informatiepunt"))
    if handout.training:
        doc.paragraph(_("OEFENING. Dit is geen echte post."), bold=True)
    doc.paragraph(_("Datum: %(date)s") % {"date": format_date(today)})
    doc.heading(_("Wat we vandaag hebben gedaan"))
    done = [line for result in handout.results for line in result.done]
    for line in done or [_("We hebben samen gekeken naar uw post.")]:
        doc.paragraph(guided.bullet(line))
    doc.heading(_("Wat u nog moet doen"))
    todo = handout.todo()
    if not todo:
        doc.paragraph(_("U hoeft nu niets te doen."))
    for item in todo:
        doc.paragraph(guided.bullet(item.text), bold=item.by is not None)
        if item.by is not None:
            doc.paragraph(
                guided.own_line(
                    "   "
                    + _("Uiterlijk %(date)s (%(left)s).")
                    % {"date": format_date(item.by), "left": deadline_phrase(item.by, today)}
                )
            )
    doc.heading(_("Hier krijgt u hulp"))
    for line in handout.help:
        doc.paragraph(guided.bullet(line))
    return doc
