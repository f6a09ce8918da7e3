"""Where the Berichtenbox rules keep their rows: one small interface, two places.

:class:`Backend` is all the rules (:class:`app.mailbox.practice.PracticeMailbox`)
and the server's own tables (``server/store.py``) ask of a database:

* ``rows(sql, params)``: the rows of one query, each readable by column name;
* ``execute(sql, params)``: one statement in a transaction of its own; how many
  rows it changed;
* ``transaction()``: a context manager, one transaction (all or nothing), that
  yields a :class:`Tx` with the same ``rows`` and ``execute``. Writers take turns
  (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-scoped advisory lock), so
  a rule that reads, decides and writes inside one transaction decides once;
* ``text(column)``: SQL that reads a TEXT column as it is stored;
* ``errors``: the exceptions that mean "the storage failed";
* ``close()``.

SQL is written once, with ``?`` placeholders, in what SQLite and PostgreSQL both
understand (``INSERT ... ON CONFLICT (...) DO UPDATE``, ``LIMIT ? OFFSET ?``). The
PostgreSQL backend turns ``?`` into ``%s`` and ``INSERT OR IGNORE`` into
``INSERT ... ON CONFLICT DO NOTHING`` (kept as it is for SQLite, which also
skips a row that breaks NOT NULL with it).

:class:`SqliteBackend` (the default, nothing to install) opens its file the safe
way every store of the app is opened (:func:`app.storage.open_database`).
:class:`app.mailbox.storage_pg.PostgresBackend` is for a server that outgrows
one machine; only it imports psycopg, and only when it is made, so the app's
start-up never loads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from app.storage import Database, Notice, open_database, transaction

#: A URL that means PostgreSQL (anything else is the path of a SQLite file).
DATABASE_URL_PREFIXES = ("postgresql://", "postgres://")


def is_database_url(where: object) -> bool:
    return isinstance(where, str) and where.startswith(DATABASE_URL_PREFIXES)


class Tx(Protocol):
    """Statements inside one transaction."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...


class Backend(Protocol):
    """Where rows live. SQL uses ``?`` placeholders."""

    #: "sqlite" or "postgresql"
    kind: str
    #: What happened when the store was opened (SQLite: rescued, migrated ...).
    notices: list[Notice]
    #: The exceptions that mean the storage failed (nothing of that statement stays).
    errors: tuple[type[BaseException], ...]

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    def transaction(self) -> AbstractContextManager[Tx]: ...

    def text(self, column: str) -> str: ...

    def close(self) -> None: ...


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]:
        return self._conn.execute(sql, tuple(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, tuple(params)).rowcount


class SqliteBackend:
    """A SQLite file through :func:`app.storage.open_database` (made, migrated or
    rescued there), one connection per thread (:class:`app.storage.Database`)."""

    kind = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def __init__(
        self,
        path: Path,
        *,
        store: str,
        schema: str,
        version: int,
        migrations: Mapping[int, Callable[[sqlite3.Connection], None]] | None = None,
        salvage_tables: Sequence[str] = (),
    ):
        self.path = Path(path)
        self.db: Database
        self.db, self.notices = open_database(
            self.path,
            store=store,
            schema=schema,
            version=version,
            migrations=dict(migrations or {}),
            salvage_tables=tuple(salvage_tables),
        )

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]:
        return self.db.execute(sql, tuple(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self.transaction() as tx:
            return tx.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with transaction(self.db) as conn:
            yield _SqliteTx(conn)

    def text(self, column: str) -> str:
        """Text as bytes (``CAST(... AS BLOB)``), numbers as they are, so that
        sqlite3 never decodes a damaged row itself: its "Could not decode to
        UTF-8" error quotes the whole row, name and BSN too."""
        return f"CASE typeof({column}) WHEN 'text' THEN CAST({column} AS BLOB) ELSE {column} END"

    def close(self) -> None:
        self.db.close()


def open_postgres(url: str) -> Backend:
    """The PostgreSQL backend (imports psycopg now; ImportError without it)."""
    from app.mailbox.storage_pg import PostgresBackend

    return PostgresBackend(url)


def as_text(value: object) -> str:
    """A value read with :meth:`Backend.text` as text (damaged bytes replaced):
    for ids in logs and lists, never for a letter's own fields."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


__all__ = [
    "Backend",
    "DATABASE_URL_PREFIXES",
    "SqliteBackend",
    "Tx",
    "as_text",
    "is_database_url",
    "open_postgres",
]
