"""A PostgreSQL database for the tests: ``$BRIEVENTAFEL_TEST_PG`` (``.ci/run``
starts a server on loopback and sets it), each test in a schema of its own.

No server reachable: a skip that says what to install on a person's machine, a
failure in CI (CI=true), as tests/system_libs.py does for system libraries.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from system_libs import missing

#: The database .ci/run makes (user and password "brieventafel", on loopback).
DEFAULT_URL = "postgresql://brieventafel:brieventafel@127.0.0.1:5432/brieventafel_test"


def test_url() -> str:
    return os.environ.get("BRIEVENTAFEL_TEST_PG") or DEFAULT_URL


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema; dropped afterwards."""
    try:
        import psycopg
    except ImportError:
        missing("psycopg is not installed", "python3-psycopg (or pip install -e '.[test]')")
    url = test_url()
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        missing(
            "no PostgreSQL server answers at $BRIEVENTAFEL_TEST_PG (or the default "
            f"{DEFAULT_URL.split('@')[1]})",
            "postgresql",
        )
    name = "t_" + secrets.token_hex(6)
    with admin:
        admin.execute(f"CREATE SCHEMA {name}")
        try:
            glue = "&" if "?" in url else "?"
            # every connection of this test carries the schema's name, so the end
            # of the test can find the ones a stuck process left open
            yield f"{url}{glue}options={quote(f'-csearch_path={name}')}&application_name={name}"
        finally:
            # A process the test started and lost (a failure, a timeout) may still
            # hold locks in the schema: DROP would wait for it for ever.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute("SET lock_timeout = '30s'")
            admin.execute(f"DROP SCHEMA {name} CASCADE")
