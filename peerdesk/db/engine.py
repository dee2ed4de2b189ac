"""The one place that makes a SQLAlchemy engine for a peerdesk database file.

Connections go through SQLCipher with the raw data key (see `cipher`); there is no plaintext
engine.

Every connection gets WAL, foreign keys, synchronous=FULL, a busy timeout and the SQL function
`fold` (see `folding`). pysqlite's own implicit transactions are switched off so we emit BEGIN
ourselves: writes use BEGIN IMMEDIATE, which takes the write lock up front. Without it, two
processes that read then write fail with "database is locked" (measured: 323 errors in a short
run, 0 with it).

On a PostgreSQL server (`make_server_engine`) a write transaction takes one transaction-level
advisory lock as it begins, the same place SQLite's BEGIN IMMEDIATE takes its lock: the audit
trail's hash chain reads the newest event and then appends after it, so two writers at READ
COMMITTED would both chain to the same event (measured: 79-82 broken links per 100 events with
4 writers, 0 with the lock). Reads take no lock.

A list opened on a server costs round trips, not server time (the volunteer list's query runs
in about a millisecond there), so the server engines spend as few as they can: a connection is
pinged before use only after it has been idle a while (`IDLE_PING_SECONDS`), not on every
checkout, and reads run outside an explicit transaction (`make_server_reader`), saving the
BEGIN and the ROLLBACK around each one.
"""

import time
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from peerdesk.db.cipher import key_literal, sqlcipher
from peerdesk.db.folding import register

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "peerdesk_write"
# Any constant works, as long as every peerdesk writer on the database uses the same one:
# they all queue on one lock.
WRITER_LOCK = 0x70656572  # "peer", the same constant as tests/engines.py
# A connection unused this long may have been dropped meanwhile (a laptop that slept or changed
# network, a server restarted): it is pinged before use, and replaced if it does not answer.
IDLE_PING_SECONDS = 30.0
_LAST_USED = "peerdesk_last_used"


def configure_connection(dbapi_connection: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")  # errors are reported in our words
        cursor.execute("PRAGMA temp_store = MEMORY")  # no plaintext temporary files
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
    register(dbapi_connection)  # fold(): names compared without case or accents


def make_engine(db_file: Path, key: bytes) -> Engine:
    sqlcipher()  # fail closed, with a plain message, before SQLAlchemy looks for the driver
    url = URL.create("sqlite+pysqlcipher", password=key_literal(key), database=str(db_file))
    # A small queue of connections shared by threads, not one connection per thread.
    # hide_parameters: SQLAlchemy puts bound values (names, notes) into error messages, and
    # error messages reach the log file, which is not encrypted.
    engine = create_engine(
        url, poolclass=QueuePool, pool_size=2, max_overflow=4, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_server_engine(url: str | URL) -> Engine:
    """An engine for a peerdesk database on a PostgreSQL server (psycopg 3). `url` has been
    through `server_url.check_server_url` (TLS)."""
    if isinstance(url, str):
        url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, pool_size=2, max_overflow=4, hide_parameters=True)
    _ping_when_idle(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION, False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    return engine


def make_server_reader(engine: Engine) -> Engine:
    """An engine for reads beside a server `engine`, with a small pool of its own: each query
    runs in its own implicit transaction (autocommit) on a connection the server keeps read-only.
    At READ COMMITTED a transaction gives each statement a fresh snapshot anyway, so a read
    loses nothing without one; and the server refuses any write through this engine, where the
    file's read session would roll it back."""
    reader = create_engine(
        engine.url,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,
        isolation_level="AUTOCOMMIT",
        connect_args={"options": "-c default_transaction_read_only=on"},
    )
    _ping_when_idle(reader)
    return reader


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pessimistic disconnect handling, but only for a connection idle longer
    than IDLE_PING_SECONDS: `pool_pre_ping` would cost a round trip on every checkout."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is None or time.monotonic() - last < IDLE_PING_SECONDS:
            return  # a new connection, or one that answered a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            # The pool drops this connection and checks out a fresh one.
            raise DisconnectionError("the server connection was lost while idle") from err


def is_server(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def writer(engine: Engine) -> Engine:
    """The same engine and pool, whose transactions begin with BEGIN IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})
