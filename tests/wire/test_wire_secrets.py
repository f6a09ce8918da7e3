"""The token lives in the OS keyring only (a real file keyring in a tmp folder here:
keyrings.alt's backend, the same way tests/guided does; no OS keyring runs in CI)."""

from __future__ import annotations

import pytest

from app import secrets


@pytest.fixture
def file_keyring(tmp_path):
    keyring = pytest.importorskip("keyring")
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_save_load_forget_per_server_and_person(file_keyring):
    secrets.save_token("https://box.example:8443/api/v1/", "koen", "token-koen")
    secrets.save_token("https://box.example:8443", "corry", "token-corry")
    assert secrets.load_token("HTTPS://Box.example:8443", "koen") == "token-koen"
    assert secrets.load_token("https://box.example:8443", "corry") == "token-corry"
    assert secrets.load_token("https://other.example", "koen") is None
    secrets.forget_token("https://box.example:8443", "koen")
    secrets.forget_token("https://box.example:8443", "koen")  # twice is fine
    assert secrets.load_token("https://box.example:8443", "koen") is None
    assert secrets.load_token("https://box.example:8443", "corry") == "token-corry"


def test_no_usable_keyring_is_said_without_the_token(tmp_path):
    keyring = pytest.importorskip("keyring")
    from keyring.backends.fail import Keyring as NoBackend

    previous = keyring.get_keyring()
    keyring.set_keyring(NoBackend())
    try:
        with pytest.raises(secrets.NoKeyring) as caught:
            secrets.save_token("https://box.example", "koen", "geheim-token")
        assert "geheim-token" not in str(caught.value) and caught.value.__context__ is None
        assert secrets.load_token("https://box.example", "koen") is None
    finally:
        keyring.set_keyring(previous)
