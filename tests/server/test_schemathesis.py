"""schemathesis over the server's own OpenAPI (/api/v1/openapi.json), against the
real server in its own process: for every operation a bounded number of
generated requests (fixed seed, no deadline), and for each answer: no 500s,
every error is application/problem+json, and the answer fits the document
(status code, content type, body schema)."""

from __future__ import annotations

import base64

import pytest
from fbs_server import KOEN, PEOPLE, requests, start_server

from server.setup import afnemer_keys

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: Examples per operation, and the seed: the same cases on every run. A login
#: costs a PBKDF2 of the PIN (on purpose): fewer there.
#: Half of them valid requests, half invalid ones (which must be 400s in problem+json).
EXAMPLES, LOGIN_EXAMPLES, SEED = 5, 2, 20260412


@pytest.fixture
def target(tmp_path):
    """A server of its own (a copy of the seeded folder, well under a second): its
    valid cases really change accounts (a tick, paper for everything), which the
    shared server's other tests must never see. Its cache is filled as a client's
    first sync does. Logins are sent without the token (logins pause by person)."""
    running = start_server(tmp_path / "data")
    for person, ontvanger in PEOPLE.items():
        running.fill(person, ontvanger)
    yield running
    running.stop()


def problem_json(ctx, response, case) -> bool | None:
    """Every 4xx and 5xx is problem+json with the status in its body."""
    if response.status_code >= 400:
        kind = response.headers.get("content-type", [""])[0]
        assert kind.startswith("application/problem+json"), (response.status_code, kind)
        assert response.json()["status"] == response.status_code
    return None


def _bounded(operation, label, headers, root, checks, ran, session, mode):
    """One operation's bounded property test: EXAMPLES cases from SEED."""

    @hypothesis.settings(
        max_examples=LOGIN_EXAMPLES if label.endswith("/_login") else EXAMPLES,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.seed(SEED)
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        ran[label] = ran.get(label, 0) + 1
        case.call_and_validate(
            base_url=root, session=session, headers=headers, checks=checks, timeout=10
        )

    return run


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_server_keeps_to_its_own_openapi(target, mode):
    """One test per generation mode (valid requests, invalid ones), each on a server
    of its own, so xdist runs the two halves side by side."""
    schema = schemathesis.openapi.from_url(target.url("/openapi.json"))
    key = afnemer_keys(target.data_dir)["rdw"]
    basic = "Basic " + base64.b64encode(f"{key['oin']}:{key['sleutel']}".encode()).decode()
    bearer = {"Authorization": f"Bearer {target.token('koen')}", "X-Ontvanger": KOEN}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        problem_json,
    ]
    root = target.base.removesuffix("/api/v1")
    ran: dict[str, int] = {}
    session = requests.Session()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if operation.path.endswith(("/_logout", "/_login")):
            headers: dict[str, str] = {}  # keep the token; logins are rate-limited by person
        elif operation.path.endswith(("/afnemer/berichten", "/aanmeldingen")):
            headers = {"Authorization": basic}
        else:
            headers = bearer

        generation = schemathesis.GenerationMode(mode)
        run = _bounded(operation, label, headers, root, checks, ran, session, generation)
        try:
            run()
        except Exception as error:  # noqa: BLE001 - gathered, reported at the end
            failures.append(f"{label} ({mode}): {type(error).__name__}: {error}"[:2000])
    print(f"schemathesis {mode}: {sum(ran.values())} cases over {len(ran)} operations")
    assert not failures, "\n\n".join(failures)
    assert len(ran) >= 15
