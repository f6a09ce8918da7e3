"""The PostgreSQL :class:`~app.mailbox.storage.Backend` (psycopg 3).

Only a server with ``--database-url postgresql://...`` makes one; psycopg is
imported when it is made, never when this module is imported, so the app's
start-up on the practice box never loads it.

One connection per thread (FastAPI runs its handlers on a thread pool), made on
first use and made again after a lost connection. Reads outside a transaction
run in autocommit. Each transaction first takes one advisory lock
(``pg_advisory_xact_lock``), released at its end: writers take turns, as they do
on SQLite with ``BEGIN IMMEDIATE``, so a rule that reads, decides and writes in
one transaction (activation, a paper request) decides once, also with two
servers on one database. Reads never wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

#: The advisory lock every transaction takes (any number; the same for every server).
WRITE_LOCK = 7251209
_IGNORE = "INSERT OR IGNORE "


def translate(sql: str) -> str:
    """SQLite's spelling to PostgreSQL's: ``?`` placeholders, ``INSERT OR IGNORE``."""
    sql = sql.strip().replace("%", "%%").replace("?", "%s")
    if sql.upper().startswith(_IGNORE):
        sql = "INSERT " + sql[len(_IGNORE) :] + " ON CONFLICT DO NOTHING"
    return sql


def _param(value: Any) -> Any:
    # PostgreSQL text cannot hold U+0000 (SQLite can): stored as U+FFFD instead.
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _params(params: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_param(p) for p in params)


class _PgTx:
    def __init__(self, conn: Any):
        self._conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]:
        return list(self._conn.execute(translate(sql), _params(params)).fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(translate(sql), _params(params)).rowcount


class PostgresBackend:
    kind = "postgresql"

    def __init__(self, url: str):
        import psycopg  # the server extra; only needed for PostgreSQL

        self._psycopg = psycopg
        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        self.url = url
        self.notices: list = []
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False
        self._conn()  # unreachable: psycopg.OperationalError now, not at the first request

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is not None and conn.closed:
            conn = None
        if conn is None:
            if self._closed:
                raise RuntimeError("the store is closed")
            from psycopg.rows import dict_row

            conn = self._psycopg.connect(
                self.url, autocommit=True, row_factory=dict_row, connect_timeout=10
            )
            with self._lock:
                self._all.append(conn)
            self._local.conn = conn
        return conn

    def _dropped(self, error: BaseException) -> None:
        """After a lost connection the next call of this thread connects again."""
        if isinstance(error, self._psycopg.OperationalError):
            conn = getattr(self._local, "conn", None)
            self._local.conn = None
            if conn is not None:
                with suppress(self._psycopg.Error):
                    conn.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]:
        try:
            return _PgTx(self._conn()).rows(sql, params)
        except self._psycopg.Error as error:
            self._dropped(error)
            raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self.transaction() as tx:
            return tx.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[_PgTx]:
        conn = self._conn()
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield _PgTx(conn)
        except self._psycopg.Error as error:
            self._dropped(error)
            raise

    def text(self, column: str) -> str:
        return column  # PostgreSQL text is always valid UTF-8

    def table_exists(self, name: str) -> bool:
        found = self.rows("SELECT to_regclass(CAST(? AS TEXT)) IS NOT NULL AS found", (name,))
        return bool(found[0]["found"])

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._all:
                conn.close()


__all__ = ["PostgresBackend", "WRITE_LOCK", "translate"]
