"""A group's database on a PostgreSQL server: the URLs peerdesk accepts (TLS), setting a group
up and signing in with keyslots kept in the database, confidential text still sealed by role,
a newer or foreign database refused untouched, writers that keep the audit chain whole, the
grant that keeps the app's role off the audit trail, and the laptop-only commands refused.

The server tests need a PostgreSQL server: `PEERDESK_TEST_DATABASE_URL` names one on which the
test's role may create databases and roles (scripts/test-on-postgresql starts one). Each test
gets a database of its own, dropped afterwards."""

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import URL, create_engine, func, make_url, select, text
from sqlalchemy.exc import DBAPIError

from peerdesk import clock
from peerdesk.cli import main
from peerdesk.db import audit
from peerdesk.db import engine as engine_module
from peerdesk.db.keyslots import WrongSecretError
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import ServerStore, open_server
from peerdesk.db.server_url import ServerUrlError, check_server_url
from peerdesk.errors import NewerSchemaError, StoreError
from peerdesk.models import (
    AuditEvent,
    ConcernCategory,
    SafeguardingConcern,
    Venue,
    server_keys,
)
from peerdesk.services import safeguarding as sg
from peerdesk.services.auth import SignedIn, recover_on_server, sign_in_to_server, sign_out
from peerdesk.services.setup import start_on_server
from tests.conftest import TEST_SECRET, TEST_USER

ADMIN_URL = os.environ.get("PEERDESK_TEST_DATABASE_URL", "")
needs_server = pytest.mark.skipif(not ADMIN_URL, reason="PEERDESK_TEST_DATABASE_URL is not set")
DENIED = r"permission denied|must be owner"
WHAT_HAPPENED = "SENTINEL a participant spoke of ending their life"


# TLS ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app@db.example.org/group",
        "postgresql://app@db.example.org/group?sslmode=prefer",
        "postgresql://app@db.example.org/group?sslmode=require",
        "postgresql://app@10.0.0.5/group?sslmode=verify-ca",
    ],
)
def test_a_remote_server_without_checked_tls_is_refused(url: str) -> None:
    with pytest.raises(ServerUrlError, match="sslmode=verify-full"):
        check_server_url(url)


def test_unverified_tls_only_when_asked_for_by_name() -> None:
    given = "postgresql://app@db.example.org/group?sslmode=require"
    assert check_server_url(given, allow_unverified_tls=True).host == "db.example.org"
    with pytest.raises(ServerUrlError):
        check_server_url("postgresql://app@db.example.org/group", allow_unverified_tls=True)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app@db.example.org/group?sslmode=verify-full",
        "postgresql://app@localhost/group",
        "postgresql://app@127.0.0.1:5433/group",
        "postgresql:///group?host=/var/run/postgresql",
    ],
)
def test_checked_tls_or_this_computer_is_accepted(url: str) -> None:
    assert check_server_url(url).database == "group"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://app@localhost/group", "PostgreSQL servers only"),
        ("postgresql://app@localhost", "names no database"),
        ("not a url", "cannot be read"),
    ],
)
def test_other_urls_are_refused_in_a_sentence(url: str, says: str) -> None:
    with pytest.raises(ServerUrlError, match=says):
        check_server_url(url)


def test_the_cli_refuses_a_remote_url_without_tls(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["users", "list", "--database-url", "postgresql://a@db.example.org/g"])
    assert code == 1
    assert "sslmode=verify-full" in capsys.readouterr().err


# A database of the test's own ---------------------------------------------------------------
@pytest.fixture
def server_url() -> Iterator[URL]:
    if not ADMIN_URL:
        pytest.skip("PEERDESK_TEST_DATABASE_URL is not set")
    admin = make_url(ADMIN_URL).set(drivername="postgresql+psycopg")
    name = f"peerdesk_store_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.fixture
def group(server_url: URL, tmp_path: object, cheap_kdf: None) -> Iterator[SignedIn]:
    folder = DataFolder(tmp_path / "laptop")  # type: ignore[operator]
    made = start_on_server(server_url, folder, "Riverside Peers", TEST_USER, "Sam", TEST_SECRET)
    yield made.signed_in
    if not made.signed_in.store.closed:
        made.signed_in.store.close()


@needs_server
def test_a_group_on_a_server_signs_in_with_keys_kept_in_the_database(
    group: SignedIn, server_url: URL
) -> None:
    folder = group.store.folder
    sign_out(group)
    again = sign_in_to_server(server_url, folder, TEST_USER, TEST_SECRET)
    try:
        assert isinstance(again.store, ServerStore)
        assert again.actor.username == TEST_USER
        assert not folder.keys_file.exists()  # nothing of the keys on the laptop
        with again.store.read() as s:
            document = s.scalar(select(server_keys.c.document))
        assert document is not None and TEST_SECRET not in document
    finally:
        sign_out(again)


@needs_server
def test_a_wrong_password_is_counted_in_the_database(group: SignedIn, server_url: URL) -> None:
    folder = group.store.folder
    sign_out(group)
    with pytest.raises(WrongSecretError, match=r"not right\. 4 more tries"):
        sign_in_to_server(server_url, folder, TEST_USER, "wrong password")
    again = sign_in_to_server(server_url, folder, TEST_USER, TEST_SECRET)
    try:
        with again.store.read() as s:
            failed = s.scalar(select(func.count()).where(AuditEvent.action == "sign_in_failed"))
        assert failed == 1
    finally:
        sign_out(again)


@needs_server
def test_confidential_text_is_sealed_by_role_on_the_server(group: SignedIn) -> None:
    data = sg.ConcernInput(
        category=ConcernCategory.RISK_TO_SELF,
        occurred_at=clock.now() - timedelta(hours=1),
        what_happened=WHAT_HAPPENED,
    )
    with group.store.session(group.actor) as s:
        concern_id = sg.raise_concern(s, group.actor, data, clock.now())
    with group.store.engine.connect() as conn:
        stored = conn.scalar(
            select(SafeguardingConcern.what_happened).where(SafeguardingConcern.id == concern_id)
        )
    assert stored is not None and stored.startswith("sealed:1:")
    assert WHAT_HAPPENED not in stored
    with group.store.session(group.actor) as s:  # opening a concern is audited: a write
        assert sg.concern_detail(s, group.actor, concern_id).what_happened == WHAT_HAPPENED


@needs_server
def test_a_database_from_a_newer_peerdesk_is_refused_untouched(group: SignedIn) -> None:
    url = group.store.url
    with group.store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        before = conn.scalar(select(func.count()).select_from(AuditEvent))
    group.store.close()
    with pytest.raises(NewerSchemaError, match="newer version of peerdesk"):
        open_server(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditEvent)) == before
    engine.dispose()


@needs_server
def test_a_database_that_is_not_peerdesks_is_refused(server_url: URL) -> None:
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a peerdesk database"):
        open_server(server_url)


# Writers ----------------------------------------------------------------------------------
@needs_server
def test_four_writers_at_once_keep_the_audit_chain_whole(group: SignedIn) -> None:
    store, actor = group.store, group.actor
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(25):
                with store.session(actor) as s:
                    s.add(Venue(name=f"Hall {worker}-{n}"))
        except BaseException as err:  # reported by the test, not lost in the thread
            failures.append(err)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Venue)) == 100
        created = s.scalar(
            select(func.count()).where(
                AuditEvent.entity_type == "venues", AuditEvent.action == "create"
            )
        )
        assert created == 100
        assert audit.verify_chain(s) == []


# The app's role ---------------------------------------------------------------------------
@needs_server
def test_grant_keeps_the_apps_role_off_the_audit_trail(
    group: SignedIn, server_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    role = f"peerdesk_app_{uuid.uuid4().hex[:8]}"
    with group.store.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'app-secret'")
    owner_url = server_url.render_as_string(hide_password=False)
    try:
        assert main(["server", "grant", "--database-url", owner_url, "--app-role", role]) == 0
        assert "cannot alter, drop" in capsys.readouterr().out
        app_url = server_url.set(username=role, password="app-secret")
        app = create_engine(app_url)
        for attack in [
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_events_no_delete ON audit_events",
            "DROP TABLE audit_events",
            "TRUNCATE audit_events",
            "DELETE FROM audit_events",
            "CREATE TABLE audit_copy (id integer)",
        ]:
            with (
                app.connect() as conn,
                pytest.raises(DBAPIError, match=DENIED),
            ):
                conn.exec_driver_sql(attack)
        app.dispose()
        folder = group.store.folder
        sign_out(group)
        as_app = sign_in_to_server(app_url, folder, TEST_USER, TEST_SECRET)
        with as_app.store.session(as_app.actor) as s:
            s.add(Venue(name="The app's role still writes"))
        with as_app.store.read() as s:
            assert audit.verify_chain(s) == []
        sign_out(as_app)
    finally:
        with create_engine(server_url).begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")


# Laptop-only commands ---------------------------------------------------------------------
@needs_server
@pytest.mark.parametrize("command", [["backup"], ["restore", "x.sqlite3"], ["rekey"]])
def test_laptop_only_commands_say_backups_are_the_servers_job(
    server_url: URL, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = server_url.render_as_string(hide_password=False)
    assert main([*command, "--database-url", url, "--user", TEST_USER]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "server" in err and "Traceback" not in err


@needs_server
def test_the_recovery_key_sets_a_coordinators_password_on_a_server(
    server_url: URL, tmp_path: object, cheap_kdf: None
) -> None:
    folder = DataFolder(tmp_path / "laptop")  # type: ignore[operator]
    made = start_on_server(server_url, folder, "Riverside Peers", TEST_USER, "Sam", TEST_SECRET)
    sign_out(made.signed_in)
    new = "a brand new password"
    sign_out(recover_on_server(server_url, folder, made.recovery_key, TEST_USER, new))
    with pytest.raises(WrongSecretError):
        sign_in_to_server(server_url, folder, TEST_USER, TEST_SECRET)
    sign_out(sign_in_to_server(server_url, folder, TEST_USER, new))


@needs_server
def test_new_keys_on_a_server_reseal_everything_and_retire_the_old_recovery_key(
    server_url: URL,
    tmp_path: object,
    cheap_kdf: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = DataFolder(tmp_path / "laptop")  # type: ignore[operator]
    made = start_on_server(server_url, folder, "Riverside Peers", TEST_USER, "Sam", TEST_SECRET)
    group = made.signed_in
    data = sg.ConcernInput(
        category=ConcernCategory.RISK_TO_SELF,
        occurred_at=clock.now() - timedelta(hours=1),
        what_happened=WHAT_HAPPENED,
    )
    with group.store.session(group.actor) as s:
        concern_id = sg.raise_concern(s, group.actor, data, clock.now())
    raw = select(SafeguardingConcern.what_happened).where(SafeguardingConcern.id == concern_id)
    with group.store.engine.connect() as conn:
        sealed_before = conn.scalar(raw)
        keys_before = conn.scalar(select(server_keys.c.document))
    sign_out(group)

    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)
    url = server_url.render_as_string(hide_password=False)
    assert main(["rekey", "--new-keys", "--database-url", url, "--user", TEST_USER]) == 0
    said = capsys.readouterr().out
    assert made.recovery_key not in said

    again = sign_in_to_server(server_url, folder, TEST_USER, TEST_SECRET)
    try:
        with again.store.engine.connect() as conn:
            assert conn.scalar(raw) != sealed_before  # resealed to the new group key
            assert conn.scalar(select(server_keys.c.document)) != keys_before
        with again.store.session(again.actor) as s:
            assert sg.concern_detail(s, again.actor, concern_id).what_happened == WHAT_HAPPENED
            assert audit.verify_chain(s) == []
            assert s.scalar(select(func.count()).where(AuditEvent.action == "rekey")) == 1
            assert s.scalar(select(func.count()).where(AuditEvent.action == "view")) == 1
    finally:
        sign_out(again)
    with pytest.raises(WrongSecretError):  # the printed-out old recovery key opens nothing now
        recover_on_server(server_url, folder, made.recovery_key, TEST_USER, "a new password")


@needs_server
def test_a_connection_dropped_while_idle_is_replaced_before_use(
    group: SignedIn, server_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Venue)) == 0
    # The server drops this laptop's connections (a restart, a network change) while idle.
    with create_engine(server_url).connect() as admin:
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
    with group.store.read() as s:  # pinged, found gone, replaced: the person sees nothing
        assert s.scalar(select(func.count()).select_from(Venue)) == 0
    with group.store.session(group.actor) as s:
        s.add(Venue(name="Library"))


@needs_server
def test_reads_on_a_server_cannot_write(group: SignedIn) -> None:
    with group.store.read() as s:
        s.add(Venue(name="Library"))
        with pytest.raises(DBAPIError, match="read-only transaction"):
            s.flush()
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Venue)) == 0
