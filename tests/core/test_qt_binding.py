"""The Qt binding itself must not lose references: a long session would crash.

PySide6 6.12.0 drops a reference to None each time a Python ``data()``
returns None to C++ (a view asking for a role the model does not have). On
Python 3.11, where None is not immortal, the app then dies with
"deallocating None" after some thousands of paints. pyproject.toml keeps
PySide6 below 6.12; this test fails if a binding with that bug comes back.
"""

import sys

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt

pytestmark = pytest.mark.gui


class _Model(QAbstractListModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 10

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_returning_none_from_data_keeps_none_alive(qapp):
    model = _Model()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    before = sys.getrefcount(None)
    for _ in range(100):
        for row in range(10):
            proxy.index(row, 0).data(Qt.ItemDataRole.DecorationRole)
    assert sys.getrefcount(None) - before > -100
