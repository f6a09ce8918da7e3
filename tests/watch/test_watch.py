"""The watcher on a real practice box and desk, with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes

import pytest
from smtp_servers import MailServer, free_port

from app import watch
from app.desk import Desk
from app.outbox import MailSettings, State
from app.reminders import TrustedPerson
from app.session import PRACTICE_FOLDER, Session

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ANNA = TrustedPerson("Anna", "anna@example.org")


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def choose(data_dir, port, trusted=ANNA, person="koen"):
    watch.save_mail_settings(data_dir, MailSettings("127.0.0.1", port, security="none"))
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        watch.set_trusted_person(desk, person, trusted)
    finally:
        desk.close()


def letters_of(data_dir, person="koen"):
    session = Session.open_practice(data_dir, person_id=person)
    try:
        return session.table(), [l for f in session.folders() for l in f.letters]
    finally:
        session.close()


def body_of(received) -> str:
    return message_from_bytes(received.data).get_payload(decode=True).decode("utf-8")


def test_koen_s_unopened_letters_reach_anna_once_without_their_text(data_dir, server):
    choose(data_dir, server.port)
    clock = Clock()
    first = watch.run_once(data_dir, person_id="koen", clock=clock)
    assert first.mails_sent == 1
    assert first.reminders > 0
    assert len(server.received) == 1
    mail = message_from_bytes(server.received[0].data)
    assert server.received[0].recipients == ["anna@example.org"]
    text = body_of(server.received[0])
    assert "Beste Anna," in text and "Kijk samen in Brieventafel." in text
    assert "RDW" in text and "Uiterlijk" in text
    assert mail["Subject"].startswith("Oefening: ")
    on_table, _ = letters_of(data_dir)
    for letter in on_table:  # nothing of any letter's content
        assert letter.body[:40] not in text
        assert letter.subject not in text
        assert letter.summary not in text
    assert "E-mail verstuurd aan Anna over de brieven van" in "\n".join(first.lines)
    assert sum(line.startswith("Herinnering: ") for line in first.lines) == first.reminders

    second = watch.run_once(data_dir, person_id="koen", clock=clock)
    assert second.lines == [] and len(server.received) == 1  # nothing new today

    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        (sent,) = watch.history(desk, "koen", data_dir)
    finally:
        desk.close()
    assert sent.state is State.SENT
    assert sent.text.startswith("Wij hebben Anna gemaild op 3 december over de brieven van ")


def test_putting_a_letter_away_stops_every_reminder_for_it(data_dir, server):
    choose(data_dir, server.port)
    watch.run_once(data_dir, person_id="koen")  # brings this week's practice letter too
    server.received.clear()
    on_table, _ = letters_of(data_dir)
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        for letter in on_table:
            desk.put_away("koen", letter.id)
    finally:
        desk.close()
    for days in range(0, 7):  # (on day 7 the next practice letter comes)
        day = date.today() + timedelta(days=days)
        result = watch.run_once(data_dir, person_id="koen", today=lambda d=day: d)
        assert result.lines == []
    assert server.received == []


def test_a_reminder_comes_back_daily_and_snooze_quiets_it_for_three_days(data_dir, server):
    today = date.today()
    first = watch.run_once(data_dir, person_id="koen")
    assert first.reminders > 0
    assert watch.run_once(data_dir, person_id="koen").reminders == 0  # once a day
    tomorrow = today + timedelta(days=1)
    again = watch.run_once(data_dir, person_id="koen", today=lambda: tomorrow)
    assert again.reminders > 0
    on_table, _ = letters_of(data_dir)
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        for letter in on_table:
            watch.snooze(desk, "koen", letter.id, tomorrow)
        log = watch.reminder_log(desk, "koen")
    finally:
        desk.close()
    assert len(log) == first.reminders + again.reminders
    for days in (2, 3):
        day = today + timedelta(days=days)
        assert watch.run_once(data_dir, person_id="koen", today=lambda d=day: d).reminders == 0
    day4 = today + timedelta(days=4)
    assert watch.run_once(data_dir, person_id="koen", today=lambda: day4).reminders > 0


def test_a_dead_mail_server_queues_and_the_next_run_sends(data_dir):
    port = free_port()
    choose(data_dir, port)
    clock = Clock()
    first = watch.run_once(data_dir, person_id="koen", clock=clock)
    assert first.mails_sent == 0
    assert "De e-mail aan Anna wacht nog. De mailserver antwoordt niet." in "\n".join(first.lines)
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        (waiting,) = watch.history(desk, "koen", data_dir)
    finally:
        desk.close()
    assert waiting.state is State.WAITING and waiting.text.startswith("Deze e-mail wacht nog")
    server = MailServer(port=port).start()
    try:
        clock.now += timedelta(minutes=1)
        later = watch.run_once(data_dir, person_id="koen", clock=clock)
        assert later.mails_sent == 1 and len(server.received) == 1
        clock.now += timedelta(hours=1)
        assert watch.run_once(data_dir, person_id="koen", clock=clock).mails_sent == 0
        assert len(server.received) == 1
    finally:
        server.stop()


def test_a_refused_address_is_told_plainly(data_dir, server):
    server.handler.refuse_rcpt = "550 5.1.1 no such user"
    choose(data_dir, server.port)
    result = watch.run_once(data_dir, person_id="koen", clock=Clock())
    assert "De e-mail aan Anna kwam niet aan. Kijk of het adres klopt." in result.lines


def test_no_mail_server_chosen_says_so_and_keeps_the_mail(data_dir):
    desk = Desk(data_dir / PRACTICE_FOLDER)
    try:
        watch.set_trusted_person(desk, "koen", ANNA)
    finally:
        desk.close()
    result = watch.run_once(data_dir, person_id="koen", clock=Clock())
    assert "Er wacht een e-mail. Kies eerst een mailserver bij Herinneringen." in result.lines


def test_a_kill_after_queueing_and_before_marking_told_queues_nothing_twice(
    data_dir, server, monkeypatch
):
    choose(data_dir, server.port)
    real = watch._queue_pending
    calls = []

    def queue_then_die(desk, person_id, outbox):
        calls.append(1)
        if len(calls) == 2:  # the fresh mail: queued, then the process "dies"
            outbox.add(**{k: v for k, v in _pending(desk, person_id).items()})
            raise KeyboardInterrupt
        real(desk, person_id, outbox)

    monkeypatch.setattr(watch, "_queue_pending", queue_then_die)
    with pytest.raises(KeyboardInterrupt):
        watch.run_once(data_dir, person_id="koen", clock=Clock())
    monkeypatch.setattr(watch, "_queue_pending", real)
    result = watch.run_once(data_dir, person_id="koen", clock=Clock())
    assert result.mails_sent == 1 and len(server.received) == 1
    assert watch.run_once(data_dir, person_id="koen", clock=Clock()).mails_sent == 0


def _pending(desk, person_id):
    import json

    raw = json.loads(desk.setting(person_id, watch.PENDING))
    return {"key": raw["key"], "to": raw["to"], "subject": raw["subject"], "body": raw["body"]}


def test_mail_settings_are_private_and_hold_no_password(data_dir):
    watch.save_mail_settings(
        data_dir, MailSettings("smtp.example.nl", 587, user="koen", sender="k@example.nl")
    )
    path = data_dir / watch.MAIL_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert "password" not in path.read_text()
    assert watch.load_mail_settings(data_dir) == MailSettings(
        "smtp.example.nl", 587, user="koen", sender="k@example.nl"
    )
    path.write_text("{nonsense")
    assert watch.load_mail_settings(data_dir) is None


def test_host_and_port():
    assert watch.parse_host_port("smtp.example.nl:587") == ("smtp.example.nl", 587)
    assert watch.parse_host_port("[::1]:25") == ("::1", 25)
    for bad in ("smtp.example.nl", ":25", "host:0", "host:99999", "host:abc"):
        assert watch.parse_host_port(bad) is None


def test_the_desk_folder_is_the_sessions_own(tmp_path):
    assert watch.desk_folder(tmp_path, None) == tmp_path / PRACTICE_FOLDER
    import inspect

    # Session.open_remote names its folder the same way (sha256 of the service name)
    assert "hexdigest()[:16]" in inspect.getsource(Session.open_remote)
    assert watch.desk_folder(tmp_path, "https://post.example.nl").name.startswith("server-")


def test_a_wrong_stored_address_is_told_and_nothing_is_marked_told(data_dir, server):
    choose(data_dir, server.port, trusted=TrustedPerson("Anna", "anna-at-example"))
    result = watch.run_once(data_dir, person_id="koen", clock=Clock())
    assert "Het e-mailadres van Anna klopt niet. Kijk het na bij Herinneringen." in result.lines
    choose(data_dir, server.port)  # put right
    assert watch.run_once(data_dir, person_id="koen", clock=Clock()).mails_sent == 1


def test_the_tray_checks_on_its_worker_and_shows_the_lines(data_dir, qtbot):
    from ui.watch.tray import Tray

    tray = Tray(data_dir, "koen", None)
    qtbot.addWidget(tray.window)
    with qtbot.waitSignal(tray.watcher.checked, timeout=20_000):
        tray.watcher.start()
    tray.watcher.wait()
    # each reminder in a row of its own, with "Ik weet het, herinner me over 3 dagen"
    rows = tray.window.rows
    assert rows and all(row.snooze_button.isVisibleTo(tray.window) for row in rows)
    assert all(row.text.text() == row.reminder.text for row in rows)
    assert not tray.window.lines.text().startswith("Herinnering: ")
    assert "brieven die aandacht vragen" in tray.window.count.text()
    tray.watcher.stop()
