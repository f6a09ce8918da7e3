"""Fixtures shared by the guided-mode tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def file_keyring(tmp_path):
    """A real keyring (keyrings.alt's file backend) in a tmp folder, holding one entry of
    the PC's owner that a visit must never touch."""
    keyring = pytest.importorskip("keyring")
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    keyring.set_password("Iets van de eigenaar", "eigenaar", "blijft staan")
    yield backend
    keyring.set_keyring(previous)
