"""The remote mailbox against the real server on loopback (a subprocess)."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal

import pytest
import requests
from wire_server import KEES, KOEN, FbsOnlyProxy, start_server

from app.mailbox import ErrorCode, MailboxError
from app.mailbox.practice import PracticeMailbox
from app.mailbox.remote import RemoteMailbox, login, logout
from app.problems import Doing, offline_text, problem_text
from app.session import Session


def _mailbox(server, **kw) -> RemoteMailbox:
    return RemoteMailbox(server.base, "koen", server.token(), timeout=(2, 5), **kw)


def _as_on_the_wire(letter):
    """A practice letter as the server shows it: FBS ids for it and its attachments,
    the sender's OIN as its store."""
    from server.fbs import fbs_id

    attachments = tuple(dataclasses.replace(a, id=fbs_id(a.id)) for a in letter.attachments)
    return dataclasses.replace(letter, id=fbs_id(letter.id), store_id="", attachments=attachments)


def test_koens_letters_over_http_are_the_practice_letters(server):
    mailbox = _mailbox(server)
    try:
        remote = mailbox.letters("koen")
    finally:
        mailbox.close()
    box = PracticeMailbox(server.data_dir / "practice.sqlite")
    try:
        practice = box.letters("koen").letters
    finally:
        box.close()
    assert remote.set_aside == ()
    wire = {x.id: dataclasses.replace(x, store_id="") for x in remote.letters}
    assert wire == {x.id: x for x in map(_as_on_the_wire, practice)}
    assert all(x.store_id.isdigit() and len(x.store_id) == 20 for x in remote.letters)


def _synced(mailbox: RemoteMailbox) -> tuple[dict, int]:
    """Koen's letters from a full sync (by id), and how many requests it took."""
    try:
        batch = mailbox.letters("koen")
        assert batch.set_aside == ()
        return {x.id: x for x in batch.letters}, mailbox.requests_sent
    finally:
        mailbox.close()


def test_a_full_sync_takes_the_text_from_the_list_not_one_request_per_letter(server):
    letters, sent = _synced(_mailbox(server))
    assert len(letters) >= 22 and all(x.body for x in letters.values())
    # /personen and one page (with _ophalen first: a 409, /organisaties, the stream)
    assert sent <= 5


def test_a_server_without_the_list_extension_is_read_letter_by_letter(server):
    """The real server behind a hop that drops ``metInhoud`` (a server that does not
    know it ignores it): the list comes in the FBS shape, and each letter is one GET."""
    direct, _ = _synced(_mailbox(server))
    proxy = FbsOnlyProxy(server.base)
    try:
        mailbox = RemoteMailbox(proxy.base, "koen", server.token(), timeout=(2, 5))
        via, sent = _synced(mailbox)
    finally:
        proxy.close()
    assert via == direct
    one_by_one = [p for p in proxy.paths if p.removeprefix("/api/v1/berichten/") in direct]
    assert sorted(one_by_one) == sorted(f"/api/v1/berichten/{i}" for i in direct)
    assert sent >= len(direct) + 2


def test_a_page_too_large_with_the_texts_is_read_again_without_them(server):
    headers = {"Authorization": f"Bearer {server.token()}", "X-Ontvanger": KOEN}
    url = server.base + "/api/v1/berichten?paginaGrootte=200"
    _synced(_mailbox(server))  # the server's cache is filled
    plain = len(requests.get(url, headers=headers, timeout=10).content)
    full = len(requests.get(url + "&metInhoud=true", headers=headers, timeout=10).content)
    assert plain < full
    direct, _ = _synced(_mailbox(server))
    letters, sent = _synced(_mailbox(server, max_body=(plain + full) // 2))
    assert letters == direct and sent >= len(direct) + 3


def test_the_rdw_publishes_an_apk_letter_and_it_lies_on_koens_table(server, tmp_path):
    session = Session.open_remote(tmp_path, server.base, "koen", server.token(), timeout=(2, 5))
    try:
        assert session.sync_error is None and session.table()
        before = len(session.table())
        answer = server.publish(
            "rdw",
            onderwerp="Uw auto moet voor 1 maart naar de APK",
            inhoud="Geachte heer De Vries, de APK van uw auto verloopt.",
            handelingsperspectief="informatie verstrekken",
            referentie="Kenteken 7-KZS-28",
        )
        assert answer.status_code == 201
        bid = answer.json()["berichtId"]
        assert session.sync() == 1
        assert len(session.table()) == before + 1
        apk = session.letter(bid)
        assert apk.sender == "RDW" and apk.org_id == "rdw" and not apk.read
        assert apk.body.startswith("Geachte heer De Vries")
        sent = session.mailbox.requests_sent  # type: ignore[attr-defined]
        assert session.sync() == 0
        assert session.mailbox.requests_sent - sent == 1  # type: ignore[attr-defined]
        assert session.last_synced() is not None
        session.open_letter(bid)
        assert session.mailbox.letter("koen", bid).read
    finally:
        session.close()


def test_an_expired_token_asks_to_sign_in_again_and_loses_nothing(server, tmp_path):
    token = server.token()
    session = Session.open_remote(tmp_path, server.base, "koen", token, timeout=(2, 5))
    try:
        table = session.table()
        unread = next(x for x in table if not x.read)
        logout(server.base, token)  # the token is revoked: as if it expired
        session.open_letter(unread.id)  # read on the desk; the server hears of it later
        assert session.sync() == 0
        assert session.sync_error is not None
        assert session.sync_error.code is ErrorCode.UNAUTHORIZED
        assert "Log opnieuw in" in problem_text(session.sync_error)
        assert [x.id for x in session.table()] == [x.id for x in table]
        assert session.letter(unread.id).read
        assert session.mailbox.outbox.waiting("koen")  # type: ignore[attr-defined]
    finally:
        session.close()
    # Signed in again: the next sync sends the read status that waited.
    again = Session.open_remote(tmp_path, server.base, "koen", server.token(), timeout=(2, 5))
    try:
        assert again.sync_error is None
        assert again.mailbox.outbox.waiting("koen") == []  # type: ignore[attr-defined]
        assert again.mailbox.letter("koen", unread.id).read
    finally:
        again.close()


def test_a_token_for_someone_else_is_forbidden(server):
    mailbox = _mailbox(server)
    try:
        with pytest.raises(MailboxError) as caught:
            mailbox.letters(KEES)
        assert caught.value.code is ErrorCode.FORBIDDEN
        with pytest.raises(MailboxError) as caught:
            mailbox.account_status(KEES)
        assert caught.value.code is ErrorCode.FORBIDDEN
        with pytest.raises(MailboxError) as caught:
            mailbox.letters("kees")  # not in /personen of this token: not even asked
        assert caught.value.code is ErrorCode.FORBIDDEN
    finally:
        mailbox.close()


def test_login_and_a_wrong_pin(server):
    assert login(server.base, "corry", "22222")
    with pytest.raises(MailboxError) as caught:
        login(server.base, "corry", "00000")
    assert caught.value.code is ErrorCode.UNAUTHORIZED
    assert "pincode klopt niet" in problem_text(caught.value, Doing.SIGN_IN)
    assert "00000" not in str(caught.value)


def test_account_organisations_and_people(server):
    mailbox = _mailbox(server)
    try:
        assert mailbox.me().name == "Koen de Vries"
        assert [p.id for p in mailbox.people()] == ["koen"]
        status = mailbox.account_status("koen")
        assert status.active and "belastingdienst" in status.ticked
        assert mailbox.organisation("belastingdienst").fixed_by_law
        # The account's rules are offered over HTTP too (a read here: the shared
        # server's accounts are not changed; tests/wire/test_wire_account.py acts).
        assert isinstance(mailbox.tick_history("koen"), list)
    finally:
        mailbox.close()


def test_nothing_personal_in_errors_or_logs(server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    token = server.token()
    mailbox = RemoteMailbox(server.base, "koen", token, timeout=(2, 5))
    errors = []
    try:
        batch = mailbox.letters("koen")
        for call in (
            lambda: mailbox.letters(KEES),
            lambda: mailbox.letter("koen", "00000000-0000-0000-0000-000000000000"),
            lambda: RemoteMailbox(server.base, "koen", token + "x").letters("koen"),
        ):
            with pytest.raises(MailboxError) as caught:
                call()
            errors.append(caught.value)
    finally:
        mailbox.close()
    text = caplog.text + " ".join(f"{e} {e.detail} {e!r}" for e in errors) + repr(mailbox)
    body = batch.letters[0].body
    for secret in (token, "999990019", "999990032", body[:40], "Koen de Vries"):
        assert secret not in text


def test_server_killed_mid_sync_keeps_the_table_and_the_read_status(tmp_path):
    """SIGKILL between syncs and while the server fetches (_ophalen): the table stays,
    read status made offline waits and is sent when the server is back."""
    server = start_server(tmp_path / "data", tmp_path / "server.log")
    port = int(server.base.rsplit(":", 1)[1])
    session = Session.open_remote(
        tmp_path / "app", server.base, "koen", server.token(), timeout=(1, 2)
    )
    try:
        table = [x.id for x in session.table()]
        assert session.sync_error is None and table
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        unread = next(x for x in session.table() if not x.read)
        session.open_letter(unread.id)  # offline: kept on the desk and in the outbox
        session.sync()
        assert session.sync_error is not None
        assert session.sync_error.code is ErrorCode.UNREACHABLE
        assert [x.id for x in session.table()] == table
        assert offline_text(session.last_synced()).startswith(
            "Geen verbinding. U ziet uw brieven van"
        )

        # Back (same address, a fresh process: its cache is empty, so it fetches first),
        # and killed again halfway through the fetch.
        # A pause between stores, as slow organisations: the kill cuts the stream itself.
        server = start_server(
            tmp_path / "data",
            tmp_path / "server2.log",
            port=port,
            BRIEVENTAFEL_OPHALEN_PAUSE_S="0.05",
        )
        steps = []

        def kill_halfway(step):
            steps.append(step)
            if step.done == 3:
                os.kill(server.process.pid, signal.SIGKILL)

        session.sync(progress=kill_halfway)
        assert len(steps) == 3 and steps[-1].total == 11 and steps[-1].store
        assert session.sync_error is not None
        assert session.sync_error.code is ErrorCode.UNREACHABLE
        assert [x.id for x in session.table()] == table
        assert session.letter(unread.id).read

        server.process.wait()
        # The read status reached the server before it died (the outbox goes first).
        assert session.mailbox.outbox.waiting("koen") == []  # type: ignore[attr-defined]
        from server.fbs import fbs_id

        box = PracticeMailbox(tmp_path / "data" / "practice.sqlite")
        try:
            local = next(i for i in box.letter_ids("koen") if fbs_id(i) == unread.id)
            assert box.letter("koen", local).read
        finally:
            box.close()
    finally:
        session.close()
        server.stop()
