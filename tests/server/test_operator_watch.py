"""One watching round end to end (issue 17, "Done when"): a practice data folder
with Koen's RDW letter unread for weeks, Lisa's bouncing address and Corry
(activated here) without an e-mail address; ``brieventafel-server watch --once``
as a real process, the day's PDF read back with pypdf, the RDW's webhook a real
HTTP server on loopback. A second round makes nothing new.

And the outbox on its own: a receiver that answers 500 first, one that is
slow, one that is not there; the back-off stepped with a clock, never slept.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pypdf = pytest.importorskip("pypdf")

from app.mailbox.practice import PracticeMailbox  # noqa: E402
from live_server import ROOT, seed  # noqa: E402
from server import PRACTICE_FILE, SERVER_FILE, fbs  # noqa: E402
from server.operator import events  # noqa: E402
from server.operator import rules as r  # noqa: E402
from server.operator.paper import batch_path  # noqa: E402
from server.operator.watch import run_round  # noqa: E402
from server.store import ServerStore  # noqa: E402


class Receiver:
    """A real HTTP server on loopback: answers with ``statuses`` in turn (then
    200), after ``delay`` seconds; keeps every body and header it got."""

    def __init__(self, statuses=(), delay: float = 0.0):
        self.statuses = list(statuses)
        self.delay = delay
        self.got: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((dict(self.headers), body))
                if outer.delay:
                    time.sleep(outer.delay)
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*args, **kw):
        made.append(Receiver(*args, **kw))
        return made[-1]

    yield make
    for one in made:
        one.close()


def practice_folder(tmp_path):
    data = tmp_path / "data"
    seed(data)
    return data


def opened(data):
    return PracticeMailbox(data / PRACTICE_FILE), ServerStore(data / SERVER_FILE)


def watch_once(data) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "server", "watch", "--once", "--data-dir", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_one_round_writes_the_days_letters_tells_the_rdw_and_a_second_round_nothing(
    tmp_path, receiver
):
    data = practice_folder(tmp_path)
    rdw = receiver()
    box, store = opened(data)
    try:
        offer = box.activation_offer("corry", ["gemeente"])
        box.activate("corry", offer.token, ["gemeente"], confirmed=True)
        store.mark_contact("lisa", "bounced")  # her address bounces
        store.record_visit("kees", date.today())  # Kees looked today: nothing unread for him
        secret = store.set_webhook("rdw", rdw.url)
    finally:
        box.close()
        store.close()

    first = watch_once(data)
    assert first[-1].startswith("ronde klaar:")
    assert first[-1].endswith("1 verstuurd")
    # one event, to the RDW, about Koen's APK letter
    assert len(rdw.got) == 1
    headers, body = rdw.got[0]
    assert headers["Content-Type"] == "application/cloudevents+json; charset=utf-8"
    assert events.verify(secret, body, headers[events.SIGNATURE_HEADER])
    event = json.loads(body)
    assert event["specversion"] == "1.0"
    assert event["type"] == "nl.brieventafel.bericht.niet-gelezen"
    assert event["data"]["berichtId"] == fbs.fbs_id("koen-003")
    assert event["data"]["gebeurtenis"] == "bericht niet gelezen na 14 dagen"
    assert event["data"]["dagenOngelezen"] == 55
    assert "koen" not in body.decode().lower() and "999990019" not in body.decode()

    # the day's batch: one letter each, with the right name and address
    pdf = batch_path(data, date.today())
    assert oct(pdf.stat().st_mode & 0o777) == "0o600"
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name, street, town in (
        ("Koen de Vries", "Kerkstraat 12", "8011 AB Zwolle"),
        ("Lisa Verbeek", "Berkenstraat 5A", "8021 TN Zwolle"),
        ("Corry Jansen-Bakker", "Lindenlaan 44", "8014 KP Zwolle"),
    ):
        assert text.count(f"{name}\n{street}\n{town}") == 1, name
        assert text.count(f"Beste {name},") == 1
    koen = text[text.index("Beste Koen de Vries,") :]
    koen = koen[: koen.index("De Berichtenbox")]
    assert "Van RDW, met een termijn tot" in koen
    assert "Of bel RDW: 0900 07 39." in koen
    assert "U hebt deze brieven nog niet gelezen." in koen
    lisa = text[text.index("Beste Lisa Verbeek,") :]
    assert "Uw e-mailadres werkt niet." in lisa[: lisa.index("De Berichtenbox")]
    corry = text[text.index("Beste Corry Jansen-Bakker,") :]
    assert "Wij hebben geen e-mailadres van u." in corry[: corry.index("De Berichtenbox")]
    # no personal data in what the round printed
    printed = "\n".join(first)
    for word in ("Koen", "koen", "Kerkstraat", "999990019", "lisa", "corry"):
        assert word not in printed
    before = pdf.read_bytes()

    second = watch_once(data)
    assert second[-1] == (
        "ronde klaar: "
        + second[-1].split(": ")[1].split(",")[0]
        + ", 0 nieuwe brieven, 0 nieuwe gebeurtenissen, 0 verstuurd"
    )
    assert len(rdw.got) == 1
    assert pdf.read_bytes() == before
    box, store = opened(data)
    try:
        made = store.contacts(date.today())
        people = [c["person_id"] for c in made]
        assert len(people) == len(set(people))  # one letter each
        assert {"koen", "lisa", "corry", "kees"} <= set(people)
        assert [e["state"] for e in store.events_out() if e["org_id"] == "rdw"] == ["sent"]
    finally:
        box.close()
        store.close()
    # the operator's view matches what the round did
    shown = subprocess.run(
        [sys.executable, "-m", "server", "report", "--data-dir", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    report = dict(line.split(": ", 1) for line in shown.stdout.splitlines())
    assert report["paperContactsSent"] == str(len(made))
    assert report["events.sent"] == "1"
    assert report["accounts"] == "21" and report["activated"] == "20"  # Corry too now
    assert int(report["activatedWithoutEmail"]) >= 2  # Corry and Kees (and mandate people)
    assert report["findings.email-bounces"] == "1"
    for word in ("Koen", "Lisa", "Kerkstraat", "example.nl"):
        assert word not in shown.stdout


def test_the_report_is_served_to_an_administrator_only(tmp_path):
    from live_server import start_process, stop

    requests = pytest.importorskip("requests")
    admin = "beheer-" + "x" * 32
    process, port = start_process(
        tmp_path / "data", tmp_path / "log", env={"BRIEVENTAFEL_ADMIN_TOKEN": admin}
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/_beheer/rapport"
        assert requests.get(url, timeout=10).status_code == 401
        koen = requests.post(
            f"http://127.0.0.1:{port}/api/v1/_login",
            json={"persoon": "koen", "pin": "11111"},
            timeout=10,
        ).json()["token"]
        refused = requests.get(url, headers={"Authorization": f"Bearer {koen}"}, timeout=10)
        assert refused.status_code == 401
        assert refused.headers["Content-Type"] == "application/problem+json"
        answer = requests.get(url, headers={"Authorization": f"Bearer {admin}"}, timeout=10)
        assert answer.status_code == 200
        assert answer.json()["accounts"] == 21
        assert "koen" not in answer.text.lower()
    finally:
        stop(process)


def test_a_lost_batch_is_made_again_from_the_records_with_nothing_twice(tmp_path):
    data = practice_folder(tmp_path)
    box, store = opened(data)
    try:
        run_round(box, store, data)
        pdf = batch_path(data, date.today())
        pages = len(pypdf.PdfReader(pdf).pages)
        pdf.unlink()  # a kill after the records, before the batch was in place
        again = run_round(box, store, data)
        assert again.letters == []
        assert len(pypdf.PdfReader(pdf).pages) == pages
    finally:
        box.close()
        store.close()


class Clock:
    def __init__(self):
        self.at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.at


def queued_store(tmp_path, url):
    store = ServerStore(tmp_path / "server.sqlite")
    store.set_webhook("rdw", url)
    return store


def one_finding(store, clock):
    finding = r.Finding(r.UNDELIVERABLE, "koen", "koen-003", "rdw")
    return events.queue(store, [finding], {}, clock().date(), clock())


def test_a_webhook_that_fails_first_gets_the_event_after_the_back_off_once(tmp_path, receiver):
    hook = receiver(statuses=[500, 503])
    clock = Clock()
    store = queued_store(tmp_path, hook.url)
    try:
        assert len(one_finding(store, clock)) == 1
        assert one_finding(store, clock) == []  # the same event is queued once
        first = events.send_due(store, clock)
        assert [(s.state, s.status) for s in first] == [("pending", "500")]
        assert events.send_due(store, clock) == []  # not due before its back-off
        clock.at += events.BACKOFF[0]
        assert [(s.state, s.status) for s in events.send_due(store, clock)] == [("pending", "503")]
        clock.at += events.BACKOFF[1]
        assert [(s.state, s.status) for s in events.send_due(store, clock)] == [("sent", "200")]
        clock.at += timedelta(days=2)
        assert events.send_due(store, clock) == []
        bodies = {body for _headers, body in hook.got}
        assert len(hook.got) == 3 and len(bodies) == 1  # the same event each time
        assert json.loads(hook.got[0][1])["type"] == "nl.brieventafel.notificatie.onbestelbaar"
    finally:
        store.close()


def test_a_slow_or_absent_webhook_is_tried_until_the_back_off_ends_then_failed(tmp_path, receiver):
    slow = receiver(delay=1.0)
    clock = Clock()
    store = queued_store(tmp_path, slow.url)
    try:
        one_finding(store, clock)
        tried = events.send_due(store, clock, timeout=0.2)
        assert [(s.state, s.status) for s in tried] == [("pending", "timeout")]
        store.set_webhook("rdw", "http://127.0.0.1:9/nothing-listens")
        for wait in events.BACKOFF:
            clock.at += wait
            (tried,) = events.send_due(store, clock, timeout=0.2)
            assert tried.status == "unreachable"
        assert tried.state == "failed" and tried.attempts == len(events.BACKOFF) + 1
        clock.at += timedelta(days=30)
        assert events.send_due(store, clock) == []
    finally:
        store.close()


def test_an_organisation_without_a_webhook_keeps_its_event_unsent(tmp_path):
    clock = Clock()
    store = ServerStore(tmp_path / "server.sqlite")
    try:
        one_finding(store, clock)
        assert events.send_due(store, clock) == []
        assert [e["state"] for e in store.events_out()] == ["no-webhook"]
    finally:
        store.close()
