"""The bundle's entry point (packaging/brieventafel.spec): the same ``main`` as the
``brieventafel`` command of an installed package (pyproject.toml, project.gui-scripts).

One hidden option of its own, for packaging/build.py and not for people (it is in
no --help): ``--check-pdf FILE`` opens FILE with the bundle's QtPdf (QPdfDocument),
renders its first page and shows it in a QPdfView offscreen, prints
``check-pdf: N pages`` and exits 0; 1 with the reason when QtPdf is missing from the
bundle or cannot read the file. A frozen bundle has no Python to run a check with,
so this is how build.py sees that the viewer of paper letters (issue 15) can work.
"""

import sys


def check_pdf(path: str) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
        from PySide6.QtWidgets import QApplication
    except ImportError as error:
        print(f"check-pdf: QtPdf is not in the bundle: {error}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0]])
    document = QPdfDocument(None)
    failed = document.load(path)
    if failed != QPdfDocument.Error.None_ or document.pageCount() < 1:
        print(f"check-pdf: QtPdf did not read the file: {failed.name}", file=sys.stderr)
        return 1
    image = document.render(0, QSize(200, 280))
    if image.isNull():
        print("check-pdf: QtPdf did not render the first page", file=sys.stderr)
        return 1
    view = QPdfView(None)
    view.setDocument(document)
    view.show()
    app.processEvents()
    print(f"check-pdf: {document.pageCount()} pages")
    view.close()
    document.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-pdf":
        sys.exit(check_pdf(sys.argv[2]))
    from app.__main__ import main

    sys.exit(main())
