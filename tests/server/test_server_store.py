"""The server's own store, the same tests on both backends: SQLite (a real file)
and PostgreSQL (a real server, see pg.py)."""

from __future__ import annotations

import threading

import pytest
from pg import pg_schema

from server.store import ServerStore, token_hash


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = ServerStore(tmp_path / "server.sqlite")
        yield opened
        opened.close()
        return
    with pg_schema() as url:
        opened = ServerStore(url)
        assert opened.kind == "postgresql"
        yield opened
        opened.close()


def _all_text(store: ServerStore) -> str:
    rows = store.backend.rows("SELECT hash, person_id, expires FROM tokens")
    return repr([dict(r) for r in rows])


def test_tokens_are_kept_hashed_expire_and_are_revoked(store):
    token, expires = store.new_token("koen")
    assert store.token_person(token) == "koen"
    assert token not in _all_text(store) and token_hash(token) in _all_text(store)
    old, _ = store.new_token("koen", hours=-1)
    assert store.token_person(old) is None
    store.revoke(token)
    assert store.token_person(token) is None
    assert store.token_person("nep") is None


def test_pins(store):
    assert not store.has_pin("kees") and not store.check_pin("kees", "33333")
    store.set_pin("kees", "33333")
    assert store.has_pin("kees") and store.check_pin("kees", "33333")
    assert not store.check_pin("kees", "00000")
    store.set_pin("kees", "44444")  # a new PIN replaces the old
    assert store.check_pin("kees", "44444") and not store.check_pin("kees", "33333")


def test_afnemers_get_a_key_once(store):
    key = store.add_afnemer("00000099000000000002", "rdw")
    assert key and store.add_afnemer("00000099000000000002", "rdw") is None
    found = store.afnemer("00000099000000000002", key)
    assert found is not None and found.org_id == "rdw"
    assert store.afnemer("00000099000000000002", "fout") is None
    assert store.afnemer("00000099000000000099", key) is None
    assert store.oins() == {"rdw": "00000099000000000002"}


def test_maps_bijlagen_events_and_paper(store):
    assert store.maps([]) == {}
    store.set_map("a", "archief")
    store.set_map("a", "postvak")  # replaces
    store.set_map("b", "archief")
    assert store.maps(["a", "b", "c"]) == {"a": "postvak", "b": "archief"}
    every_byte = bytes(range(256)) * 4
    store.put_bijlage("x", "a", "application/pdf", every_byte)
    assert store.bijlage("x", "a") == every_byte
    assert store.bijlage("x", "b") is None
    store.forget_letter("a")
    assert store.maps(["a"]) == {} and store.bijlage("x", "a") is None

    store.record_event("urn:s", "1", "bid", "digitaal")
    store.record_event("urn:s", "1", "bid", "papier")  # idempotent: the first stays
    assert store.event_outcome("urn:s", "1") == "digitaal"
    assert store.event_outcome("urn:s", "2") is None
    store.record_paper("bid", "corry", "cak")
    store.record_paper("bid", "corry", "rdw")
    assert store.paper("bid") == ("corry", "cak")


def test_many_threads_at_once(store):
    """FastAPI runs handlers on a thread pool: each thread writes and reads its own."""
    tokens: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                token, _expires = store.new_token("lisa")
                assert store.token_person(token) == "lisa"
                tokens.append(token)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(tokens) == 30 and all(store.token_person(t) == "lisa" for t in tokens)


def test_a_second_open_finds_what_the_first_kept(tmp_path):
    """Reopening (a server restart) keeps every table, on both backends."""
    first = ServerStore(tmp_path / "server.sqlite")
    token, _ = first.new_token("koen")
    first.close()
    again = ServerStore(tmp_path / "server.sqlite")
    assert again.token_person(token) == "koen"
    again.close()
    with pg_schema() as url:
        first = ServerStore(url)
        token, _ = first.new_token("koen")
        first.close()
        again = ServerStore(url)
        assert again.token_person(token) == "koen"
        again.close()
