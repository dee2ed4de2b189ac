"""The audit trail: one event per change in the same transaction, confidential text never
recorded, a hash chain that reveals removed or altered events, and scrubbing that keeps it whole."""

import json
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from peerdesk.db import cipher
from peerdesk.db.audit import record, scrub, verify_chain
from peerdesk.db.store import Store
from peerdesk.models import (
    AuditEvent,
    Role,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    User,
    UserRole,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from tests.tools.dump import dump

SECRET = "SENTINEL-confidential-wellbeing-text"


@dataclass(frozen=True)
class FakeActor:
    user_id: uuid.UUID | None


def events(store: Store) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def make_note(store: Store) -> tuple[uuid.UUID, uuid.UUID]:
    with store.session() as s:
        user = User(username="sup", display_name="Sup", role=UserRole.SUPERVISOR)
        s.add(user)
        s.flush()
        sess = SupervisionSession(
            kind=SupervisionKind.ONE_TO_ONE,
            held_on=date(2026, 11, 1),
            duration_minutes=60,
            supervisor_user_id=user.id,
        )
        s.add(sess)
        s.flush()
        note = SupervisionNote(session_id=sess.id, author_user_id=user.id, body=SECRET)
        s.add(note)
    return user.id, note.id


def test_create_update_delete_each_write_one_event(store: Store) -> None:
    actor = FakeActor(None)
    with store.session(actor) as s:
        v = Volunteer(preferred_name="Amara", status=VolunteerStatus.APPLICANT)
        s.add(v)
    with store.session(actor) as s:
        s.get(Volunteer, v.id).status = VolunteerStatus.ACTIVE  # type: ignore[union-attr]
    with store.session(actor) as s:
        s.delete(s.get(Volunteer, v.id))
    evs = [e for e in events(store) if e.entity_type == "volunteers"]
    assert [e.action for e in evs] == ["create", "update", "delete"]
    assert all(e.entity_id == str(v.id) for e in evs)
    assert json.loads(evs[1].changes or "{}") == {"status": ["applicant", "active"]}
    assert json.loads(evs[0].changes or "{}")["preferred_name"] == [None, "Amara"]


def test_events_name_the_actor(store: Store) -> None:
    user_id, _ = make_note(store)
    with store.session(FakeActor(user_id)) as s:
        s.add(Volunteer(preferred_name="Tom"))
    assert events(store)[-1].user_id == user_id


@pytest.mark.file_only
def test_confidential_text_is_recorded_only_as_changed(store: Store) -> None:
    _, note_id = make_note(store)
    with store.session() as s:
        s.get(SupervisionNote, note_id).body = SECRET + " more"  # type: ignore[union-attr]
    note_events = [e for e in events(store) if e.entity_type == "supervision_notes"]
    assert [json.loads(e.changes or "{}")["body"] for e in note_events] == ["changed", "changed"]
    dumped = "\n".join(dump(store.path, store.vault.key))
    assert dumped.count(SECRET) == 1  # the note itself, never the trail


def test_a_failed_transaction_leaves_no_event(store: Store) -> None:
    before = len(events(store))
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Volunteer(preferred_name="Never saved"))
        s.flush()
        raise RuntimeError("save failed")
    assert len(events(store)) == before


@pytest.mark.file_only
def test_the_chain_verifies_and_reveals_tampering(store: Store) -> None:
    make_note(store)
    with store.session() as s:
        record(s, "sign_in", "users", "x")
        record(s, "export", "report_exports", "y")
    with store.read() as s:
        assert verify_chain(s) == []
    conn = cipher.connect(store.path, store.vault.key)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute("UPDATE audit_events SET action = 'view' WHERE seq = 2")
    conn.execute("DELETE FROM audit_events WHERE seq = 4")
    conn.commit()
    conn.close()
    with store.read() as s:
        problems = verify_chain(s)
    assert {(p.seq, p.problem) for p in problems} >= {
        (2, "this event was altered"),
        (5, "an event before it was removed or altered"),
    }


def test_the_database_refuses_to_change_or_delete_events(store: Store) -> None:
    make_note(store)
    with pytest.raises(IntegrityError, match="append-only"), store.session() as s:
        s.execute(text("UPDATE audit_events SET action = 'nothing'"))
    with pytest.raises(IntegrityError, match="append-only"), store.session() as s:
        s.execute(text("DELETE FROM audit_events"))


@pytest.mark.file_only
def test_scrubbing_erases_changes_and_the_chain_still_verifies(store: Store) -> None:
    with store.session() as s:
        s.add(Volunteer(preferred_name="Erase Me", email="erase@example.org"))
    target = [e.seq for e in events(store) if e.entity_type == "volunteers"]
    with store.session() as s:
        assert scrub(s, target) == 1
    scrubbed = next(e for e in events(store) if e.seq in target)
    assert scrubbed.changes is None and scrubbed.scrubbed_at is not None
    with store.read() as s:
        assert verify_chain(s) == []
    trail = [line for line in dump(store.path, store.vault.key) if line.startswith("audit_")]
    assert trail and "erase@example.org" not in "\n".join(trail)


def test_giving_a_volunteer_a_role_is_audited(store: Store) -> None:
    with store.session() as s:
        role = Role(name="Peer supporter")
        v = Volunteer(preferred_name="Dev")
        s.add_all([role, v])
    with store.session() as s:
        dev = s.get(Volunteer, v.id)
        assert dev is not None
        dev.roles.append(s.get(Role, role.id))  # type: ignore[arg-type]
    with store.session() as s:
        dev = s.get(Volunteer, v.id)
        assert dev is not None
        dev.roles.clear()
    links = [e for e in events(store) if e.action in ("link", "unlink")]
    assert [(e.action, e.entity_id) for e in links] == [("link", str(v.id)), ("unlink", str(v.id))]
    assert json.loads(links[0].changes or "{}") == {"roles": [None, str(role.id)]}


@pytest.mark.file_only
def test_an_erased_event_that_still_holds_changes_is_reported(store: Store) -> None:
    make_note(store)
    conn = cipher.connect(store.path, store.vault.key)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.execute("UPDATE audit_events SET scrubbed_at = '2026-01-01' WHERE seq = 1")
    conn.commit()
    conn.close()
    with store.read() as s:
        assert [p.problem for p in verify_chain(s)] == ["marked as erased but still holds changes"]


def test_a_link_rows_event_keeps_its_whole_id(store: Store) -> None:
    """A link-table row's id is both its ids joined by "/" (73 characters): PostgreSQL refused
    it before 0014 widened the column; SQLite kept it anyway."""
    with store.session() as s:
        role, v = Role(name="Peer supporter"), Volunteer(preferred_name="Dev")
        s.add_all([role, v])
    with store.session() as s:
        s.add(VolunteerRole(volunteer_id=v.id, role_id=role.id))
    link = next(e for e in events(store) if e.entity_type == "volunteer_roles")
    assert link.entity_id == f"{v.id}/{role.id}" and len(link.entity_id) == 73
