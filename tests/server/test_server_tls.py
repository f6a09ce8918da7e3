"""TLS with --certfile/--keyfile: a CA of the test's own (trustme) signs the
server's certificate; a client that trusts that CA gets in, one that trusts only
the system's CAs refuses the certificate."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fbs_server import KOEN, ROOT, requests, start_server

import live_server

pytest.importorskip("trustme")


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    certfile, keyfile, bundle = live_server.certificates(folder)
    running = start_server(
        folder / "data", "--certfile", str(certfile), "--keyfile", str(keyfile), ca=str(bundle)
    )
    yield running
    running.stop()


def test_a_client_that_trusts_the_ca_reads_the_post(tls):
    assert tls.base.startswith("https://")
    tls.fill("koen", KOEN)  # the SSE stream over TLS too
    answer = tls.get("/berichten")
    assert answer.status_code == 200 and answer.json()["berichten"]


def test_the_system_cas_refuse_the_certificate(tls):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls.url("/openapi.json"), timeout=10, verify=True)
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(
            tls.url("/_login"), json={"persoon": "koen", "pin": "11111"}, timeout=10, verify=True
        )
    with pytest.raises(requests.ConnectionError):  # plain http to the TLS port
        requests.get(tls.url("/openapi.json").replace("https:", "http:"), timeout=10)


@pytest.mark.parametrize(
    "args",
    [
        ["--certfile", "cert.pem"],
        ["--certfile", "geen.pem", "--keyfile", "geen.pem"],
        ["--database-url", "mysql://iemand:geheim@host/db"],
        ["--database-url", "postgresql://iemand:geheim@127.0.0.1:1/db"],
    ],
)
def test_cli_refuses_bad_tls_or_database_options_in_plain_words(tmp_path, args):
    (tmp_path / "cert.pem").write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "server", "--data-dir", str(tmp_path / "data"), "--practice"]
        + [a if not a.endswith(".pem") else str(tmp_path / a) for a in args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "geheim" not in done.stderr
    assert done.stderr.strip()
