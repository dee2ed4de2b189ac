"""Which database engine the store-backed fixtures use: the encrypted file, or PostgreSQL.

By default every test store is a copy of a migrated, encrypted file (see `conftest`). With
PEERDESK_TEST_DATABASE_URL set to a PostgreSQL server (for example
`postgresql+psycopg://postgres@127.0.0.1:5440/postgres`, a database the account may create
others from), the same fixtures hand out a store whose data lives on that server instead:
alembic, with peerdesk's own configuration, builds a template database once per run (per
worker), and every test gets a fresh `CREATE DATABASE ... TEMPLATE ...` copy, dropped after it.
The keys (the vault) still come from the data folder: sealing by role does not depend on where
the rows are kept.

Tests about the file itself (encryption, keyslots, backups, restore, rekey, the folder lock, a
kill -9) are marked `file_only` and skipped on PostgreSQL.
"""

import os
import uuid
from typing import Any

from alembic import command
from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.pool import NullPool

from peerdesk.db.engine import WRITE_OPTION
from peerdesk.db.migrate import alembic_config

URL_VARIABLE = "PEERDESK_TEST_DATABASE_URL"
FILE_ONLY = "file_only"
FILE_ONLY_REASON = "about the encrypted file; the store is on PostgreSQL in this run"
# Any constant will do: every peerdesk writer on one database takes the same lock.
WRITER_LOCK = 0x70656572  # "peer"


def server_url() -> URL | None:
    """The PostgreSQL server the tests should use, or None for the encrypted file."""
    given = os.environ.get(URL_VARIABLE, "").strip()
    return make_url(given) if given else None


def postgres_engine(url: URL) -> Engine:
    """An engine on a PostgreSQL test database that behaves like the file's for peerdesk:
    write transactions (`db.engine.writer`) queue behind one another, as BEGIN IMMEDIATE makes
    them on the file, so the audit chain stays one line."""
    engine = create_engine(url, pool_size=2, max_overflow=4, hide_parameters=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION, False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    return engine


class PostgresDatabases:
    """A migrated template database on the server, and throwaway copies of it."""

    def __init__(self, server: URL) -> None:
        self.server = server
        # One name per process: pytest-xdist workers each build their own template.
        self.template = f"peerdesk_template_{os.getpid()}"
        self._admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def build_template(self) -> None:
        """Create the template database and migrate it to the newest schema with alembic."""
        self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {self.template}")
        engine = create_engine(self.server.set(database=self.template), poolclass=NullPool)
        try:
            config = alembic_config()
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        finally:
            engine.dispose()

    def copy(self) -> tuple[str, Engine]:
        """A fresh database copied from the template, and an engine on it."""
        name = f"peerdesk_test_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return name, postgres_engine(self.server.set(database=name))

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self.template)
        self._admin.dispose()
