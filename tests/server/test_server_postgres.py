"""The whole server with --database-url: ALL its state on a real PostgreSQL, the
practice box's rules (people, accounts, ticks, paper, letters) and its own tables."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from fbs_server import CORRY, KOEN, ROOT, requests, start_server
from pg import pg_schema

from server.setup import afnemer_keys


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory):
    """A server seeded by --practice straight into an empty PostgreSQL schema: its
    data folder starts without a practice box (the note keeps the test helper
    from copying the seeded SQLite folder in)."""
    data_dir = tmp_path_factory.mktemp("pg") / "data"
    data_dir.mkdir()
    (data_dir / "LEESMIJ.txt").write_text("alles staat in PostgreSQL\n")
    with pg_schema() as url:
        running = start_server(data_dir, "--database-url", url)
        running.database_url = url  # type: ignore[attr-defined]
        yield running
        running.stop()


def _pg_rows(server, sql: str, *args) -> list[tuple]:
    import psycopg

    with psycopg.connect(server.database_url) as conn:
        return [tuple(r) for r in conn.execute(sql, args)]


def _publish(server, org: str, bsn: str, subject: str):
    key = afnemer_keys(server.data_dir)[org]
    body = {"ontvanger": {"type": "BSN", "waarde": bsn}, "onderwerp": subject, "inhoud": "Tekst."}
    return requests.post(
        server.url("/afnemer/berichten"), json=body, auth=(key["oin"], key["sleutel"]), timeout=10
    )


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_sqlite_file_is_made_everything_is_in_postgresql(pg_server):
    assert sorted(p.name for p in pg_server.data_dir.iterdir()) == ["LEESMIJ.txt", "afnemers.json"]
    people = {r[0] for r in _pg_rows(pg_server, "SELECT id FROM people")}
    assert people == {"koen", "corry", "kees", "lisa"}
    assert _pg_rows(pg_server, "SELECT active FROM accounts WHERE person_id = 'corry'") == [(0,)]
    kees = _pg_rows(pg_server, "SELECT org_id FROM ticks WHERE person_id = %s", "kees")
    assert {r[0] for r in kees} == {"rdw", "gemeente", "svb", "uwv"}
    assert _pg_rows(pg_server, "SELECT COUNT(*) FROM letters")[0][0] > 0


def test_an_unticked_organisation_is_refused_by_the_rules_in_postgresql(pg_server):
    answer = _publish(pg_server, "cak", "999990019", "Eigen bijdrage")
    assert answer.status_code == 409 and answer.json()["code"] == "not-ticked"
    bid = answer.json()["berichtId"]
    assert _pg_rows(pg_server, "SELECT org_id FROM paper WHERE bericht_id = %s", bid) == [("cak",)]
    assert _pg_rows(pg_server, "SELECT 1 FROM letters WHERE id = %s", bid) == []


def test_the_belastingdienst_goes_on_paper_for_a_dormant_account_in_postgresql(pg_server):
    answer = _publish(pg_server, "belastingdienst", "999990020", "Aanslag")
    assert answer.status_code == 202 and answer.json()["bezorging"] == "papier"
    bid = answer.json()["berichtId"]
    assert _pg_rows(pg_server, "SELECT person_id FROM paper WHERE bericht_id = %s", bid) == [
        ("corry",)
    ]
    pg_server.fill("corry", CORRY)
    assert pg_server.get(f"/berichten/{bid}", "corry", CORRY).status_code == 404


def test_the_token_command_reads_the_people_from_postgresql(pg_server, tmp_path):
    empty = tmp_path / "leeg"  # no practice.sqlite anywhere: the box is in the database
    run = _cli("token", "kees", "--data-dir", str(empty), "--database-url", pg_server.database_url)
    assert run.returncode == 0, run.stderr
    token = run.stdout.strip()
    hashes = {r[0] for r in _pg_rows(pg_server, "SELECT hash FROM tokens WHERE person_id = 'kees'")}
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert not empty.exists()


def test_a_database_without_a_box_is_refused_in_plain_words(tmp_path):
    with pg_schema() as url:
        run = _cli("token", "koen", "--data-dir", str(tmp_path / "d"), "--database-url", url)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        "Deze database heeft nog geen berichtenbox. Start één keer met --practice."
    )
    assert "brieventafel:" not in run.stderr  # never the URL (it may hold a password)


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
    assert _pg_rows(pg_server, "SELECT recipient, org_id FROM letters WHERE id = %s", bid) == [
        ("koen", "rdw")
    ]
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
