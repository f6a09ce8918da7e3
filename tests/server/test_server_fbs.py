"""FBS "Berichten Uitvraag" as the real server speaks it, over loopback HTTP."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fbs_server import KEES, KOEN, requests

from server import API_VERSION

PROBLEM = "application/problem+json"


def _problem(answer, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith(PROBLEM)
    assert answer.headers["API-Version"] == API_VERSION
    body = answer.json()
    assert body["status"] == status and body["title"]
    assert "999990" not in answer.text  # no BSN in any error
    return body


def _rows(server, sql: str, *args) -> list:
    with sqlite3.connect(server.data_dir / "practice.sqlite") as conn:
        return conn.execute(sql, args).fetchall()


def _all_pages(server, person="koen", ontvanger=KOEN, size=5) -> list[dict]:
    items, path, pages = [], f"/berichten?paginaGrootte={size}", 0
    while path:
        answer = server.get(path, person, ontvanger)
        assert answer.status_code == 200
        assert answer.headers["API-Version"] == API_VERSION
        body = answer.json()
        assert ("prev" in body["_links"]) == (pages > 0)
        items += body["berichten"]
        nxt = body["_links"].get("next")
        path = nxt["href"].removeprefix("/api/v1") if nxt else ""
        pages += 1
    return items


def _find(server, subject_part: str, person="koen", ontvanger=KOEN) -> dict:
    return next(b for b in _all_pages(server, person, ontvanger) if subject_part in b["onderwerp"])


def test_pages_follow_hal_links_and_hold_every_letter_once(server):
    items = _all_pages(server, size=5)
    ids = [b["berichtId"] for b in items]
    assert len(ids) == len(set(ids))
    assert len(ids) == _rows(server, "SELECT COUNT(*) FROM letters WHERE recipient='koen'")[0][0]
    first = items[0]
    for key in ("berichtId", "onderwerp", "publicatietijdstip", "aantalBijlagen", "magazijnId"):
        assert key in first
    assert first["_links"]["self"]["href"] == f"/api/v1/berichten/{first['berichtId']}"
    assert {b["status"] for b in items} <= {"gelezen", "ongelezen"}


def test_paging_parameters_are_checked(server):
    _problem(server.get("/berichten?paginaGrootte=201"), 400)
    _problem(server.get("/berichten?pagina=-1"), 400)
    far = server.get("/berichten?pagina=999999")
    assert far.status_code == 200 and far.json()["berichten"] == []


def test_one_letter_with_the_marked_extensions(server):
    apk = _find(server, "APK van uw voertuig")
    answer = server.get(f"/berichten/{apk['berichtId']}")
    assert answer.status_code == 200
    letter = answer.json()
    assert "APK" in letter["inhoud"]
    assert letter["handelingsperspectief"] == "informatie verstrekken"
    assert letter["berichtType"] == "verzoek"
    assert letter["referentie"].startswith("Kenteken")
    datetime.fromisoformat(letter["einddatumHandelingstermijn"])
    assert letter["magazijnId"].isdigit() and len(letter["magazijnId"]) == 20  # the RDW's OIN
    assert "aantalBijlagen" not in letter and letter["bijlagen"] == []


def test_patch_is_a_merge_patch_on_status_and_map(server):
    letter = _find(server, "APK van uw voertuig")
    url = server.url(f"/berichten/{letter['berichtId']}")
    headers = {**server.headers("koen", KOEN), "Content-Type": "application/merge-patch+json"}
    params = {"magazijnId": letter["magazijnId"]}

    answer = requests.patch(url, params=params, headers=headers, data=b'{"status": "gelezen"}')
    assert answer.status_code == 200 and answer.json()["status"] == "gelezen"
    answer = requests.patch(
        url, params=params, headers=headers, data=b'{"status": null, "map": "archief"}'
    )
    assert answer.json()["status"] == "gelezen" and answer.json()["map"] == "archief"
    back = requests.patch(url, params=params, headers=headers, data=b'{"status": "ongelezen"}')
    assert back.json()["status"] == "ongelezen" and back.json()["map"] == "archief"
    assert server.get(f"/berichten/{letter['berichtId']}").json()["map"] == "archief"

    _problem(requests.patch(url, params=params, headers=headers, data=b"{}"), 400)
    _problem(requests.patch(url, params=params, headers=headers, data=b'{"status": "x"}'), 400)
    _problem(requests.patch(url, headers=headers, data=b'{"status": "gelezen"}'), 400)
    plain = {**headers, "Content-Type": "application/json"}
    _problem(requests.patch(url, params=params, headers=plain, data=b'{"status": "x"}'), 415)
    other = {"magazijnId": "00000099000000000001"}  # the Belastingdienst's store
    _problem(requests.patch(url, params=other, headers=headers, data=b'{"map": "a"}'), 404)


def test_delete_then_it_is_gone(server):
    letter = _all_pages(server, "lisa", "BSN:999990044")[0]
    url = server.url(f"/berichten/{letter['berichtId']}")
    headers = server.headers("lisa", "BSN:999990044")
    answer = requests.delete(url, params={"magazijnId": letter["magazijnId"]}, headers=headers)
    assert answer.status_code == 204 and answer.headers["API-Version"] == API_VERSION
    body = _problem(requests.get(url, headers=headers), 404)
    assert body["code"] == "unknown-letter"
    again = requests.delete(url, params={"magazijnId": letter["magazijnId"]}, headers=headers)
    _problem(again, 404)


def test_search_finds_by_subject_and_text(server):
    answer = server.get("/berichten/_zoeken", params={"q": "apk"})
    assert answer.status_code == 200
    subjects = [b["onderwerp"] for b in answer.json()["berichten"]]
    assert any("APK" in s for s in subjects)
    _problem(server.get("/berichten/_zoeken", params={"q": "a"}), 400)
    _problem(server.get("/berichten/_zoeken"), 400)


def test_attachment_is_always_a_download(server):
    letter = next(b for b in _all_pages(server, "kees", KEES) if b["aantalBijlagen"])
    detail = server.get(f"/berichten/{letter['berichtId']}", "kees", KEES).json()
    href = detail["bijlagen"][0]["_links"]["self"]["href"].removeprefix("/api/v1")
    answer = server.get(href, "kees", KEES)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == "attachment"
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["API-Version"] == API_VERSION
    assert answer.content.startswith(b"%PDF-")
    missing = href.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    _problem(server.get(missing, "kees", KEES), 404)


def test_every_error_is_problem_json(server):
    _problem(requests.get(server.url("/nergens"), timeout=10), 404)
    _problem(requests.put(server.url("/berichten"), timeout=10), 405)
    _problem(server.get("/berichten/00000000-0000-0000-0000-000000000000"), 404)
    _problem(server.get("/berichten/geen-uuid"), 400)
    _problem(server.get("/berichten", ontvanger="999990019"), 400)  # no type prefix
    body = _problem(requests.get(server.url("/berichten"), timeout=10), 401)
    assert body["code"] == "unauthorized"
    wrong = {"Authorization": "Bearer nep", "X-Ontvanger": KOEN}
    _problem(requests.get(server.url("/berichten"), headers=wrong, timeout=10), 401)


def test_another_persons_post_is_forbidden(server):
    body = _problem(server.get("/berichten", "koen", KEES), 403)
    assert body["code"] == "forbidden"
    kees_letter = _all_pages(server, "kees", KEES)[0]["berichtId"]
    _problem(server.get(f"/berichten/{kees_letter}", "koen", KEES), 403)
    # Koen asking for Kees's letter as himself: not his, so not there.
    _problem(server.get(f"/berichten/{kees_letter}", "koen", KOEN), 404)
    _problem(server.get("/berichten", "koen", "BSN:123456789"), 403)  # nobody known


def test_tokens_are_stored_hashed_expire_and_can_be_revoked(server):
    answer = server.login("corry", "22222")
    assert answer.status_code == 200
    session = answer.json()
    token = session["token"]
    assert session["persoon"]["ontvanger"] == "BSN:999990020"
    raw = b"".join(p.read_bytes() for p in server.data_dir.glob("server.sqlite*"))
    assert token.encode() not in raw
    with sqlite3.connect(server.data_dir / "server.sqlite") as conn:
        hashes = {r[0] for r in conn.execute("SELECT hash FROM tokens")}
    assert hashlib.sha256(token.encode()).hexdigest() in hashes

    headers = {"Authorization": f"Bearer {token}", "X-Ontvanger": "BSN:999990020"}
    assert requests.get(server.url("/account"), headers=headers, timeout=10).status_code == 200
    logout = requests.post(server.url("/_logout"), headers=headers, timeout=10)
    assert logout.status_code == 204
    _problem(requests.get(server.url("/account"), headers=headers, timeout=10), 401)

    expired = "verlopen-token-voor-de-test"
    past = datetime.now(UTC) - timedelta(minutes=1)
    with sqlite3.connect(server.data_dir / "server.sqlite") as conn:
        conn.execute(
            "INSERT INTO tokens (hash, person_id, created, expires) VALUES (?, 'koen', ?, ?)",
            (hashlib.sha256(expired.encode()).hexdigest(), past.isoformat(), past.isoformat()),
        )
    old = {"Authorization": f"Bearer {expired}", "X-Ontvanger": KOEN}
    _problem(requests.get(server.url("/berichten"), headers=old, timeout=10), 401)


def test_wrong_pin_is_refused_in_the_same_words(server):
    wrong = _problem(server.login("kees", "00000"), 401)
    nobody = _problem(server.login("niemand", "00000"), 401)
    assert wrong == nobody


def test_account_status_is_read_only(server):
    before = _rows(server, "SELECT * FROM accounts ORDER BY person_id")
    first = server.get("/account").json()
    second = server.get("/account").json()
    assert first == second
    assert first["actief"] is True and "belastingdienst" in first["aangevinkt"]
    assert _rows(server, "SELECT * FROM accounts ORDER BY person_id") == before


def test_openapi_is_served_and_marks_the_extensions(server):
    spec = requests.get(server.url("/openapi.json"), timeout=10).json()
    paths = spec["paths"]
    for path in ("/api/v1/berichten", "/api/v1/berichten/{berichtId}", "/api/v1/aanmeldingen"):
        assert path in paths
    assert paths["/api/v1/afnemer/berichten"]["post"]["x-brieventafel"] is True
    props = spec["components"]["schemas"]["Bericht"]["properties"]
    for name in ("handelingsperspectief", "einddatumHandelingstermijn", "berichtType"):
        assert props[name]["x-brieventafel"] is True
    assert "x-brieventafel" not in props["onderwerp"]
    for item in paths.values():
        for operation in item.values():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(answer["content"]) == ["application/problem+json"]
    assert "422" not in paths["/api/v1/berichten"]["get"]["responses"]  # 400, as FBS says


def test_token_command_prints_a_working_token(server):
    done = subprocess.run(
        [sys.executable, "-m", "server", "token", "kees", "--data-dir", str(server.data_dir)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    headers = {"Authorization": f"Bearer {token}", "X-Ontvanger": KEES}
    assert requests.get(server.url("/berichten"), headers=headers, timeout=10).status_code == 200


@pytest.mark.parametrize("args", [["token", "niemand"], []])
def test_cli_refuses_in_plain_words(tmp_path, args):
    data = tmp_path / "leeg"
    done = subprocess.run(
        [sys.executable, "-m", "server", *args, "--data-dir", str(data)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--practice" in done.stderr and "Traceback" not in done.stderr


def test_the_list_with_met_inhoud_carries_text_and_attachments_and_without_is_fbs(server):
    """Brieventafel's list extension (``metInhoud=true``): each item is the whole letter,
    so a client needs no GET per letter; without it the list keeps the FBS shape."""
    plain = server.get("/berichten?paginaGrootte=200", "kees", KEES).json()["berichten"]
    full = server.get("/berichten?paginaGrootte=200&metInhoud=true", "kees", KEES).json()
    assert [b["berichtId"] for b in full["berichten"]] == [b["berichtId"] for b in plain]
    for item, whole in zip(plain, full["berichten"], strict=True):
        assert "inhoud" not in item and "bijlagen" not in item  # what FBS clients see
        detail = server.get(f"/berichten/{item['berichtId']}", "kees", KEES).json()
        assert whole["inhoud"] == detail["inhoud"] and whole["bijlagen"] == detail["bijlagen"]
        assert {k: x for k, x in whole.items() if k not in ("inhoud", "bijlagen")} == item
    assert any(b["bijlagen"] for b in full["berichten"])
    assert (
        plain
        == server.get("/berichten?paginaGrootte=200&metInhoud=false", "kees", KEES).json()[
            "berichten"
        ]
    )
    paged = server.get("/berichten?paginaGrootte=2&metInhoud=true", "kees", KEES).json()
    assert paged["_links"]["next"]["href"].endswith("&metInhoud=true")  # the next page too
    _problem(server.get("/berichten?metInhoud=misschien"), 400)

    spec = requests.get(server.url("/openapi.json"), timeout=10).json()
    params = spec["paths"]["/api/v1/berichten"]["get"]["parameters"]
    ours = next(p for p in params if p["name"] == "metInhoud")
    assert ours["x-brieventafel"] is True and "Uitbreiding Brieventafel" in ours["description"]
    assert all("x-brieventafel" not in p for p in params if p["name"] != "metInhoud")
    item = spec["components"]["schemas"]["BerichtSamenvatting"]["properties"]
    assert item["inhoud"]["x-brieventafel"] is True and item["bijlagen"]["x-brieventafel"] is True


CLI_WITHOUT_FASTAPI = """
import sys
from server.__main__ import main
data, empty = sys.argv[1:3]
codes = [
    main(["token", "niemand", "--data-dir", empty]),
    main(["--data-dir", empty, "--practice", "--database-url", "mysql://iemand:geheim@host/db"]),
    main(["--data-dir", empty, "--certfile", "geen.pem"]),
    main(["token", "kees", "--data-dir", data]),
]
print("codes", codes, "fastapi", "fastapi" in sys.modules)
"""


def test_refusals_and_the_token_command_do_not_load_fastapi(server, tmp_path):
    """A refusal is said at once, and a token is printed, without FastAPI's imports
    (they took a second or more; a refusal took 3 s in the tests)."""
    done = subprocess.run(
        [sys.executable, "-c", CLI_WITHOUT_FASTAPI, str(server.data_dir), str(tmp_path / "leeg")],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "codes [2, 2, 2, 0] fastapi False"
    token = done.stdout.splitlines()[0]
    headers = {"Authorization": f"Bearer {token}", "X-Ontvanger": KEES}
    assert requests.get(server.url("/account"), headers=headers, timeout=10).status_code == 200
    assert "Traceback" not in done.stderr and "geheim" not in done.stderr
