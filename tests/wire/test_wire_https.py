"""Issue 12, "Done when": an RDW letter published on the server lies on Koen's
table, over HTTPS.

One real server for the module (``python -m server --practice --certfile
--keyfile``, tests/live_server.py), its certificate for 127.0.0.1 signed by a
CA of this test's own (trustme). The client is the real one: ``login``,
``Session.open_remote`` (RemoteMailbox over requests) and ``python -m app
--self-test`` in a subprocess. Nothing is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from wire_server import ROOT

import live_server
from app.mailbox import MailboxError
from app.mailbox.errors import ErrorCode
from app.mailbox.remote import login
from app.session import Session

pytest.importorskip("trustme")


@dataclass
class TlsServer:
    base: str  # https://127.0.0.1:PORT
    data_dir: Path
    ca: str  # the CA bundle (PEM) that signed the server's certificate

    def token(self) -> str:
        return login(self.base, "koen", "11111", verify=self.ca)

    def publish(self, org: str, **fields) -> requests.Response:
        from server.setup import afnemer_keys

        key = afnemer_keys(self.data_dir)[org]
        body = {"ontvanger": {"type": "BSN", "waarde": "999990019"}, **fields}
        return requests.post(
            self.base + "/api/v1/afnemer/berichten",
            json=body,
            auth=(key["oin"], key["sleutel"]),
            timeout=10,
            verify=self.ca,
        )


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("https")
    certfile, keyfile, bundle = live_server.certificates(folder)
    process, port = live_server.start_process(
        folder / "data",
        folder / "server.log",
        ["--certfile", str(certfile), "--keyfile", str(keyfile)],
        verify=str(bundle),
    )
    yield TlsServer(f"https://127.0.0.1:{port}", folder / "data", str(bundle))
    live_server.stop(process)


def test_the_rdw_letter_lies_on_koens_table_over_https(tls, tmp_path):
    session = Session.open_remote(
        tmp_path / "data", tls.base, "koen", tls.token(), verify=tls.ca, sync=False
    )
    try:
        assert session.mailbox.base_url.startswith("https://")  # type: ignore[attr-defined]
        published = tls.publish(
            "rdw",
            onderwerp="APK-herinnering over https",
            inhoud="Uw auto moet voor 6 januari gekeurd zijn.",
            handelingsperspectief="informatie ontvangen",
        )
        assert published.status_code == 201, published.text
        new = session.sync()
        assert session.sync_error is None, session.sync_error
        assert new >= 1
        on_table = {letter.id: letter for letter in session.table()}
        letter = on_table[published.json()["berichtId"].lower()]
        assert letter.subject == "APK-herinnering over https"
        assert letter.org_id == "rdw"
    finally:
        session.close()


def test_a_client_that_trusts_only_the_system_cas_is_refused_and_loses_nothing(tls, tmp_path):
    token = tls.token()
    fresh = tmp_path / "fresh"
    # The sign-in itself is refused as well: a PIN never goes to an untrusted server.
    with pytest.raises(MailboxError) as refused_login:
        login(tls.base, "koen", "11111", verify=True)
    with pytest.raises(MailboxError) as refused:
        Session.open_remote(fresh, tls.base, "koen", token, verify=True, sync=False)
    for error in (refused_login.value, refused.value):
        # A code of its own: trying again never helps with a certificate that is
        # not trusted, so it is not "no connection" (and not transient).
        assert error.code is ErrorCode.UNTRUSTED and not error.transient
        assert error.detail.startswith("tls"), error.detail
        assert token not in str(error) and "127.0.0.1" not in str(error)
    assert not fresh.exists() or not any(fresh.rglob("*"))  # no desk was made

    # A desk that is there already keeps what it has; the new letter is not taken in.
    folder = tmp_path / "data"
    session = Session.open_remote(folder, tls.base, "koen", token, verify=tls.ca)
    before = [letter.id for letter in session.table()]
    session.close()
    assert before
    assert tls.publish("rdw", onderwerp="Nog een brief", inhoud="Tekst.").status_code == 201
    with pytest.raises(MailboxError):
        Session.open_remote(folder, tls.base, "koen", token, verify=True)
    session = Session.open_remote(folder, tls.base, "koen", token, verify=tls.ca, sync=False)
    try:
        assert [letter.id for letter in session.table()] == before
    finally:
        session.close()


def _self_test(tls, tmp_path, *ca: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--server", tls.base, "--person", "koen"]
        + [*ca, "--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BRIEVENTAFEL_TOKEN": tls.token(), "QT_QPA_PLATFORM": "offscreen"},
    )


def test_the_self_test_paints_the_table_from_the_https_server(tls, tmp_path):
    published = tls.publish("rdw", onderwerp="APK voor de zelftest", inhoud="Tekst.")
    assert published.status_code == 201, published.text
    run = _self_test(tls, tmp_path, "--ca-file", tls.ca)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "Brieventafel self-test:" in run.stdout
    count = int(run.stdout.split("self-test:")[1].split()[0])
    assert count >= 23  # Koen's 22 practice letters and the RDW's, over HTTPS
    assert "brieven op tafel" in run.stdout


def test_the_self_test_without_the_ca_file_is_refused_in_plain_words(tls, tmp_path):
    run = _self_test(tls, tmp_path)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and run.stderr.strip()
    assert "self-test:" not in run.stdout
    assert not list((tmp_path / "data").glob("server-*/*.sqlite*"))  # no desk was made
