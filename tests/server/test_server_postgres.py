"""The whole server with --database-url: its own tables on a real PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from fbs_server import KOEN, requests, start_server
from pg import pg_schema

from server.setup import afnemer_keys


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory):
    with pg_schema() as url:
        running = start_server(tmp_path_factory.mktemp("pg") / "data", "--database-url", url)
        running.database_url = url  # type: ignore[attr-defined]
        yield running
        running.stop()


def test_the_rdw_delivers_and_koen_reads_it_with_postgresql(pg_server):
    assert not (pg_server.data_dir / "server.sqlite").exists()
    key = afnemer_keys(pg_server.data_dir)["rdw"]
    body = {
        "ontvanger": {"type": "BSN", "waarde": "999990019"},
        "onderwerp": "APK-herinnering",
        "inhoud": "Uw auto moet naar de APK.",
    }
    published = requests.post(
        pg_server.url("/afnemer/berichten"),
        json=body,
        auth=(key["oin"], key["sleutel"]),
        timeout=10,
    )
    assert published.status_code == 201, published.text
    bid = published.json()["berichtId"]
    pg_server.fill("koen", KOEN)
    newest = pg_server.get("/berichten?paginaGrootte=1").json()["berichten"][0]
    assert newest["berichtId"] == bid

    import psycopg

    token = pg_server.token("koen")
    with psycopg.connect(pg_server.database_url) as conn:
        hashes = {r[0] for r in conn.execute("SELECT hash FROM tokens")}
        events = conn.execute("SELECT outcome FROM events WHERE bericht_id = %s", (bid,))
        assert [r[0] for r in events] == ["digitaal"]
    assert hashlib.sha256(token.encode()).hexdigest() in hashes and token not in hashes
