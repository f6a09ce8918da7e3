"""The account's rules over HTTP: RemoteMailbox against the real server, exactly
as the practice box answers them (the server's box is the practice box, so its
own file is the yardstick), and POSTs that are never sent twice.

These tests change accounts: they run on a server of their own (one for this
file), each with a person no other test here changes: Kees asks paper, Corry
activates, Lisa ticks and answers about a new organisation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QPushButton
from wire_server import BadServer, start_server

from app import paper
from app.activation import summary_lines
from app.mailbox import PAPER_ROUTE_HELPDESK, ErrorCode, Mailbox, MailboxError
from app.mailbox.practice import PAPER_AFTER_DAYS, PracticeMailbox
from app.mailbox.remote import RemoteMailbox
from app.problems import Doing, problem_text
from app.session import Session
from finders import screen, widget
from server.setup import PRACTICE_PINS
from ui.shell import theme
from ui.shell.main_window import MainWindow


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wire-account")
    running = start_server(folder / "data", folder / "server.log")
    yield running
    running.stop()


@pytest.fixture
def box(own):
    """The server's own practice box, opened beside it: what the rules say."""
    opened = PracticeMailbox(own.data_dir / "practice.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def session_of(own, tmp_path):
    opened: list[Session] = []

    def open_for(person: str) -> Session:
        token = own.token(person, PRACTICE_PINS[person])
        session = Session.open_remote(tmp_path / "app", own.base, person, token, sync=False)
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


@pytest.mark.gui
def test_kees_asks_all_his_post_on_paper_over_http(qtbot, session_of, box, tmp_path):
    """The paper screens on a server, as on the practice box: the review, the
    confirm, the status with a row per organisation; then the protocol's answers
    are the box's own."""
    session = session_of("kees")
    mailbox = session.mailbox
    assert isinstance(mailbox, RemoteMailbox) and isinstance(mailbox, Mailbox)
    offer = mailbox.paper_offer("kees")
    assert offer == box.paper_offer("kees") and all(r.new for r in offer)
    assert mailbox.paper_requests("kees") == []  # looking changes nothing

    theme.apply(QApplication.instance(), 100)
    window = MainWindow(session, pdf_folder=tmp_path / "pdf")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    table = screen(window, "table_screen")
    qtbot.mouseClick(widget(table, QPushButton, "paper_button"), Qt.MouseButton.LeftButton)
    review = screen(window, "paper_review_screen")
    assert window.current_screen() is review
    assert mailbox.paper_requests("kees") == []  # the review changes nothing
    qtbot.mouseClick(widget(review, QPushButton, "paper_confirm"), Qt.MouseButton.LeftButton)
    status = screen(window, "paper_status_screen")
    assert window.current_screen() is status
    rows = [f for f in status.findChildren(QFrame) if f.objectName().startswith("paper_row_")]
    assert len(rows) == 5

    requests = mailbox.paper_requests("kees")
    assert [(r.org_id, r.route, r.state) for r in requests] == [
        (r.org_id, r.route, r.state) for r in offer
    ]
    assert requests == box.paper_requests("kees")
    assert [r.org_id for r in requests] == ["rdw", "gemeente", "svb", "uwv", "belastingdienst"]
    paper_day = date.today() + timedelta(days=PAPER_AFTER_DAYS)
    assert all(r.state == "asked" and r.paper_from == paper_day for r in requests[:-1])
    assert (requests[-1].route, requests[-1].state) == (PAPER_ROUTE_HELPDESK, "prepared")
    assert mailbox.account_status("kees").ticked == {"belastingdienst"}

    # the paper screens read their facts the same way from either box
    remote_facts, box_facts = paper.facts(mailbox, "kees"), paper.facts(box, "kees")
    assert remote_facts.requests == box_facts.requests and remote_facts.offer == box_facts.offer
    assert remote_facts.status == box_facts.status

    again = mailbox.request_paper_all("kees")
    assert [r.new for r in again] == [False] * 5
    sent = mailbox.set_paper_request_state("kees", "belastingdienst", "sent")
    assert sent.state == "sent" and sent == box.paper_requests("kees")[-1]
    with pytest.raises(MailboxError) as caught:
        mailbox.set_paper_request_state("kees", "rdw", "sent")
    assert caught.value.code is ErrorCode.BAD_STATE
    with pytest.raises(MailboxError) as caught:
        mailbox.request_paper("kees", "cjib")
    assert caught.value.code is ErrorCode.NOT_TICKED


def test_corrys_activation_through_the_offer_she_saw(session_of, box):
    mailbox = session_of("corry").mailbox
    assert not mailbox.account_status("corry").active
    with pytest.raises(MailboxError) as caught:
        mailbox.paper_offer("corry")
    assert caught.value.code is ErrorCode.NOT_ACTIVE
    assert mailbox.new_organisations("corry") == []

    offer = mailbox.activation_offer("corry", ["gemeente", "rdw"])
    assert offer == box.activation_offer("corry", ["gemeente", "rdw"])  # the same signed token
    assert offer.org_ids == ("rdw", "gemeente") and offer.by_law == ("belastingdienst",)
    orgs = mailbox.organisations()
    assert summary_lines(offer, orgs) == summary_lines(offer, box.organisations())

    for token, org_ids, confirmed, code in [
        (offer.token, offer.org_ids, False, ErrorCode.CONFIRMATION_REQUIRED),
        (offer.token, ("rdw",), True, ErrorCode.INVALID_CONFIRMATION),
        ("", offer.org_ids, True, ErrorCode.INVALID_CONFIRMATION),
    ]:
        with pytest.raises(MailboxError) as caught:
            mailbox.activate("corry", token, org_ids, confirmed=confirmed)
        assert caught.value.code is code
        assert problem_text(caught.value, Doing.ACTIVATION).startswith("Er is niets aangezet.")
    assert not mailbox.account_status("corry").active

    status = mailbox.activate("corry", offer.token, offer.org_ids, confirmed=True)
    assert status.active and status.activated_on == date.today()
    assert status.ticked == {"belastingdienst", "rdw", "gemeente"}
    assert status == box.account_status("corry") == mailbox.account_status("corry")
    with pytest.raises(MailboxError) as caught:
        mailbox.activate("corry", offer.token, offer.org_ids, confirmed=True)
    assert caught.value.code is ErrorCode.ALREADY_ACTIVE


def test_lisa_ticks_over_http_and_answers_about_a_new_organisation(session_of, box):
    mailbox = session_of("lisa").mailbox
    change = mailbox.set_tick("lisa", "duo", False)
    assert (change.org_id, change.ticked, change.changed) == ("duo", False, True)
    assert change.effective_on == date.today() + timedelta(days=PAPER_AFTER_DAYS)
    assert mailbox.set_tick("lisa", "duo", False).changed is False
    assert mailbox.tick_history("lisa") == box.tick_history("lisa") == [change]
    with pytest.raises(MailboxError) as caught:
        mailbox.set_tick("lisa", "belastingdienst", False)
    assert caught.value.code is ErrorCode.FIXED_BY_LAW
    assert "in de wet" in problem_text(caught.value)
    with pytest.raises(MailboxError) as caught:
        mailbox.set_tick("lisa", "niemand/../../account", True)  # one path segment, always
    assert caught.value.code is ErrorCode.UNKNOWN_ORGANISATION

    new = mailbox.new_organisations("lisa")
    assert [o.id for o in new] == ["cak"] == [o.id for o in box.new_organisations("lisa")]
    answer = mailbox.answer_new_organisation("lisa", "cak", ticked=True)
    assert (answer.org_id, answer.ticked) == ("cak", True)
    assert "cak" in mailbox.account_status("lisa").ticked
    with pytest.raises(MailboxError) as caught:
        mailbox.answer_new_organisation("lisa", "cak")
    assert caught.value.code is ErrorCode.ALREADY_ASKED
    assert mailbox.new_organisations("lisa") == []


def test_another_persons_account_is_forbidden_over_http(own):
    mailbox = RemoteMailbox(own.base, "koen", own.token("koen", PRACTICE_PINS["koen"]))
    try:
        for call in (
            lambda: mailbox.set_tick("BSN:999990044", "rdw", True),
            lambda: mailbox.request_paper_all("BSN:999990044"),
            lambda: mailbox.paper_requests("lisa"),  # not in Koen's /personen: never sent
        ):
            with pytest.raises(MailboxError) as caught:
                call()
            assert caught.value.code is ErrorCode.FORBIDDEN
    finally:
        mailbox.close()


@pytest.mark.parametrize("mode", ["500", "silent"])
def test_a_post_once_sent_is_never_sent_again_a_put_may_be(mode):
    """A 500, or no answer in time: the server may have acted, so a POST (activation,
    paper, an answer) goes once. A PUT sets a value: it is retried."""
    server = BadServer(mode)
    mailbox = RemoteMailbox(server.base, "koen", "token", timeout=(1, 0.15))
    try:
        posts = {
            "/account/_activeren": lambda: mailbox.activate("koen", "t", ["rdw"], confirmed=True),
            "/account/_activatieaanbod": lambda: mailbox.activation_offer("koen", ["rdw"]),
            "/account/papier/_alles": lambda: mailbox.request_paper_all("koen"),
            "/account/papier/rdw": lambda: mailbox.request_paper("koen", "rdw"),
            "/account/nieuwe-organisaties/cak": lambda: mailbox.answer_new_organisation(
                "koen", "cak"
            ),
        }
        for path, call in posts.items():
            with pytest.raises(MailboxError):
                call()
            assert [p for _, p in server.requests].count("/api/v1" + path) == 1, path
        with pytest.raises(MailboxError):
            mailbox.set_tick("koen", "rdw", False)
        puts = [p for _, p in server.requests if p == "/api/v1/account/vinkjes/rdw"]
        assert len(puts) > 1
    finally:
        mailbox.close()
        server.close()
