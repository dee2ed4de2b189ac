"""Migration 0017_sealed_contact on a data file: email and phone stored in clear are sealed to
the coordinators and the person, audit events that recorded them in clear are scrubbed with the
chain intact, the blind index is filled at the next coordinator's sign-in; stepping back drops
the index and keeps the values sealed; upgrading again carries on."""

import uuid
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.db.engine import make_engine
from peerdesk.db.migrate import alembic_config, upgrade
from peerdesk.db.schema import HEAD, read_revision
from peerdesk.db.sealing import is_sealed, is_wrapped, recipients_of, user_recipient
from peerdesk.models import AuditEvent, UserRole, Volunteer, VolunteerStatus
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.volunteers.records import volunteer_record
from tests.conftest import TEST_SECRET, TEST_USER

pytestmark = pytest.mark.file_only  # steps the data file back with its own key

BEFORE = "0016_server_keys"
EMAIL, PHONE = "wren.old@example.org", "07700 900777"


def _downgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)


def _contact(engine: Engine) -> tuple[str, str]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT email, phone FROM volunteers")).one()
    return row.email, row.phone


def test_clear_contact_details_and_old_events_are_sealed_then_step_back(
    coordinator: SignedIn,
) -> None:
    store = coordinator.store
    with store.session(coordinator.actor) as s:
        wren = Volunteer(preferred_name="Wren", status=VolunteerStatus.ACTIVE)
        s.add(wren)
    accounts.add_user(store, coordinator.actor, "wren", "Wren", UserRole.VOLUNTEER,
                      "a long passphrase", wren.id)  # fmt: skip
    vault, folder = store.vault, store.folder
    store.close(backup=False)
    engine = make_engine(folder.db_file, vault.key)
    try:
        _downgrade(engine)
        # As an older peerdesk wrote them: in clear, and in the trail with their values.
        with Session(engine) as s, s.begin():
            s.execute(
                text("UPDATE volunteers SET email = :e, phone = :p"), {"e": EMAIL, "p": PHONE}
            )
            head = s.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
            clear = {"email": [None, EMAIL], "phone": [None, PHONE]}
            old = audit.chained_event(head or audit.GENESIS, "update", "volunteers", wren.id.hex,
                                      clear)  # fmt: skip
            s.add(old)
            s.flush()
            old_seq = old.seq
        upgrade(engine)
        email, phone = _contact(engine)
        assert is_sealed(email) and is_sealed(phone) and EMAIL not in email
        assert not is_wrapped(email)  # sealed with public keys only
        with engine.connect() as conn:
            wren_id = conn.execute(text("SELECT id FROM users WHERE username = 'wren'")).scalar()
        assert user_recipient(uuid.UUID(str(wren_id))) in recipients_of(email)  # the person
        with Session(engine) as s:
            assert audit.verify_chain(s) == []
            scrubbed = s.get(AuditEvent, old_seq)
            assert scrubbed is not None and scrubbed.changes is None and scrubbed.scrubbed_at
            said = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
            assert said is not None and said.action == "seal_in_trail"
            trail = " ".join(c for c in s.scalars(select(AuditEvent.changes)) if c)
        assert EMAIL not in trail and PHONE not in trail
    finally:
        engine.dispose()

    me = sign_in(folder, TEST_USER, TEST_SECRET)  # fills the blind index
    with me.store.read() as s:
        assert s.scalar(select(Volunteer.email_index)) is not None
        # Resealed with the group key at hand: quick for coordinators to open in the list.
        assert all(is_wrapped(v) for v in s.execute(select(Volunteer.email, Volunteer.phone)).one())
        record = volunteer_record(s, me.actor, wren.id)
    assert (record.email, record.phone) == (EMAIL, PHONE)
    sign_out(me)

    engine = make_engine(folder.db_file, vault.key)
    try:
        _downgrade(engine)
        assert "email_index" not in {c["name"] for c in inspect(engine).get_columns("volunteers")}
        assert is_sealed(_contact(engine)[0])  # cannot be opened without the keys: kept
        upgrade(engine)
    finally:
        engine.dispose()
    assert read_revision(folder.db_file, vault.key) == HEAD
    me = sign_in(folder, TEST_USER, TEST_SECRET)
    with me.store.read() as s:
        assert volunteer_record(s, me.actor, wren.id).email == EMAIL
        assert audit.verify_chain(s) == []
    sign_out(me)


def test_an_empty_database_upgrades_and_steps_back(tmp_path: Path) -> None:
    from peerdesk.db.keyslots import new_data_key

    db, key = tmp_path / "db.sqlite3", new_data_key()
    engine = make_engine(db, key)
    try:
        upgrade(engine)
        _downgrade(engine)
        upgrade(engine)
        assert "email_index" in {c["name"] for c in inspect(engine).get_columns("volunteers")}
    finally:
        engine.dispose()
