"""Shared fixtures: a fresh, encrypted, migrated store in its own data folder for every test.

The schema is migrated once per test run into a template folder (database and keys file); each
test gets a file copy of it, which is much faster than running alembic again. Argon2 runs with
tiny parameters in tests: the rules are the same, and full strength costs ~0.2 s a call.

Anything logged at ERROR fails the test (as qutebrowser's log-fail handler does): peerdesk logs
at ERROR only for a bug or a failure someone must look at, so a test that meets one unawares has
found something. A test that provokes one on purpose says so with
`@pytest.mark.expect_unexpected_error` and checks the log itself.
"""

import logging
import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.db import keyslots
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import RECOVERY_NAME, Vault
from peerdesk.models import UserRole
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Actor
from tests import engines

TEST_USER = "coordinator"
TEST_SECRET = "correct horse battery"
CHEAP_KDF = keyslots.KdfParams(1, 8, 1)


EXPECTED = "expect_unexpected_error"


class ErrorLog(logging.Handler):
    """Keeps every record logged at ERROR or above, from any logger and thread."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def errors_logged(request: pytest.FixtureRequest) -> Iterator[ErrorLog]:
    """Fails the test, at teardown, if anything was logged at ERROR it did not expect."""
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker(EXPECTED) is None:
        said = "\n".join(handler.format(r) for r in handler.records)
        pytest.fail(f"logged at ERROR (mark the test {EXPECTED} if it means to):\n{said}")


@pytest.fixture(scope="session", autouse=True)
def cheap_kdf() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keyslots.KdfParams, "current", classmethod(lambda cls: CHEAP_KDF))
        yield


def noon_on(day: date) -> datetime:
    """Midday where the group is: far from midnight, so the day is the same in every zone."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(DEFAULT_ZONE))


@pytest.fixture(autouse=True)
def clock_on_marked_day(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test (or module) marked `today(date(...))` runs with peerdesk's clock on that day.

    Tests built on fixed data (a demo made for a given day, a rota around a clock change) pin the
    day here instead of reading the real one, so they pass on any day they are run. The clock
    still ticks: only the starting point moves.
    """
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(noon_on(marker.args[0]), tick=True):
        yield


@pytest.fixture(scope="session")
def template_folder(tmp_path_factory: pytest.TempPathFactory, cheap_kdf: None) -> DataFolder:
    """An encrypted, migrated data folder with no organisation yet, unlocked by TEST_USER."""
    folder = DataFolder(tmp_path_factory.mktemp("template") / "data")
    vault, _recovery = Vault.create(folder, TEST_USER, TEST_SECRET)
    Store.open(vault).close(backup=False)
    return folder


def copy_folder(template: DataFolder, folder: DataFolder) -> None:
    folder.ensure()
    for name in (template.db_file.name, template.keys_file.name, RECOVERY_NAME):
        shutil.copyfile(template.root / name, folder.root / name)
    shutil.copyfile(template.backup_dir / RECOVERY_NAME, folder.backup_dir / RECOVERY_NAME)


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    return DataFolder(tmp_path / "data")


@pytest.fixture
def vault(folder: DataFolder, template_folder: DataFolder) -> Vault:
    copy_folder(template_folder, folder)
    return Vault.unlock(folder, TEST_USER, TEST_SECRET)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests about the encrypted file are skipped, saying why."""
    if engines.server_url() is None:
        return
    skip = pytest.mark.skip(reason=engines.FILE_ONLY_REASON)
    for item in items:
        if item.get_closest_marker(engines.FILE_ONLY) is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[engines.PostgresDatabases | None]:
    """The migrated PostgreSQL template, when PEERDESK_TEST_DATABASE_URL names a server."""
    server = engines.server_url()
    if server is None:
        yield None
        return
    databases = engines.PostgresDatabases(server)
    databases.build_template()
    yield databases
    databases.close()


@pytest.fixture
def store(vault: Vault, postgres_databases: engines.PostgresDatabases | None) -> Iterator[Store]:
    """The store every store-backed test uses: the vault's file, or a fresh PostgreSQL copy."""
    if postgres_databases is None:
        opened = Store.open(vault)
        yield opened
        opened.close(backup=False)
        return
    name, engine = postgres_databases.copy()
    opened = Store(vault, engine, FolderLock.acquire(vault.folder.lock_file))
    try:
        yield opened
    finally:
        opened.close(backup=False)
        postgres_databases.drop(name)


@pytest.fixture
def coordinator(store: Store) -> SignedIn:
    """The store with a coordinator account (TEST_USER) to act as."""
    from peerdesk.services.setup import ensure_account, settle_new_keys

    actor: Actor = ensure_account(
        store,
        TEST_USER,
        "Test Coordinator",
        UserRole.COORDINATOR,
        TEST_SECRET,
        store.vault.personal,
    )
    # As at setup: the coordinators' group key, so confidential values are sealed.
    settle_new_keys(store, actor, {TEST_USER: store.vault.personal})
    return SignedIn(store, actor)
