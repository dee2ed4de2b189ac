"""The audit trail as sentences: every audited kind of record, field and action has words, names
are looked up in bulk, and confidential records are never named nor their values shown."""

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

import peerdesk
from peerdesk.db import audit
from peerdesk.models import (
    AuditEvent,
    Base,
    Course,
    Role,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    User,
    UserRole,
    Volunteer,
)
from peerdesk.services.audit_sentences import ACTIONS, Names, sentence
from peerdesk.services.audit_view import AuditFilter, AuditRow, audit_page
from peerdesk.services.audit_words import (
    ACTION_WORDS,
    FIELDS,
    KINDS,
    SOME_DETAILS,
    field_words,
)
from peerdesk.services.auth import SignedIn

SECRET = "SENTINEL-what-was-said-in-supervision"
# audit.record(session, "action", ...) and record(session, "action", ...) anywhere in the code,
# and the importer's _import(person, table, "action", ...), which records its action for it.
RECORDED = re.compile(r"\b(?:record\(\s*\w+|_import\(\s*\w+,\s*\w+),\s*\"([^\"]+)\"")


def mapped_tables() -> Iterator[tuple[str, list[str]]]:
    for mapper in Base.registry.mappers:
        table = mapper.class_.__tablename__
        if table != "audit_events":
            fields = [a.key for a in mapper.column_attrs if a.key not in audit.BOOKKEEPING]
            yield table, fields


def recorded_actions() -> set[str]:
    source = Path(peerdesk.__file__).parent
    found: set[str] = set()
    for path in source.rglob("*.py"):
        found |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


# Every combination in the code has words --------------------------------------------------
def test_every_audited_table_and_field_has_words() -> None:
    for table, fields in mapped_tables():
        assert table in KINDS, f"the audit trail has no words for the table {table}"
        for name in fields:
            assert field_words(table, name) != SOME_DETAILS, f"no words for {table}.{name}"


def test_every_linked_relationship_has_words() -> None:
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.secondary is not None:
                assert rel.key in FIELDS, f"no words for {mapper.class_.__name__}.{rel.key}"


def test_every_action_recorded_anywhere_has_a_sentence_and_a_filter_word() -> None:
    recorded = recorded_actions()
    assert {"sign_in", "export", "import volunteers", "erase_from_trail"} <= recorded
    for action in recorded | {"create", "update", "delete", "link", "unlink"}:
        assert action in ACTIONS, f"the audit trail has no sentence for '{action}'"
        assert action in ACTION_WORDS, f"the audit filter has no words for '{action}'"


def fake_event(action: str, table: str | None, changes: dict[str, object] | None) -> AuditEvent:
    return AuditEvent(
        seq=1,
        occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
        action=action,
        entity_type=table,
        entity_id=str(uuid.uuid4()) if table else None,
        changes=json.dumps(changes) if changes else None,
    )


@pytest.mark.parametrize("action", ["create", "update", "delete"])
def test_every_table_and_change_reads_as_a_sentence_without_table_or_field_names(
    action: str,
) -> None:
    for table, fields in mapped_tables():
        changes = {name: [None, 1] for name in fields}
        said = sentence(fake_event(action, table, changes), "Jo", Names())
        assert said.startswith("Jo ") and "_" not in said, said
        assert table not in said.split(), said


def test_every_other_action_reads_as_a_sentence_even_when_erased() -> None:
    for action in ACTIONS:
        for changes in (None, {"rows": 1, "added": 2, "attempts": 3, "events": [1, 2]}):
            said = sentence(fake_event(action, "users", changes), "Vic", Names())
            assert said and "_" not in said, (action, said)


def test_unknown_tables_and_actions_fall_back_to_plain_words() -> None:
    said = sentence(fake_event("update", "mystery_things", {"odd_field": [1, 2]}), "Jo", Names())
    assert said == "Jo changed a record"
    added = sentence(fake_event("create", "mystery_things", {"odd_field": [1, 2]}), "Jo", Names())
    assert added == "Jo added a record"
    assert sentence(fake_event("teleport", None, None), None, Names()) == "peerdesk made a change"


def test_counts_agree_with_their_number() -> None:
    one = sentence(
        fake_event("import volunteers", None, {"added": 1, "file": "a.csv"}), "Jo", Names()
    )
    many = sentence(fake_event("import volunteers", None, {"added": 3}), "Jo", Names())
    assert one == "Jo imported 1 volunteer from a.csv" and many == "Jo imported 3 volunteers"
    exported = sentence(fake_event("export", None, {"rows": 1}), "Jo", Names())
    assert exported == "Jo exported a file (1 row)"


# With a real trail ------------------------------------------------------------------------
def sentences(person: SignedIn) -> list[str]:
    with person.store.read() as s:
        return [r.sentence for r in audit_page(s, person.actor, AuditFilter(), limit=10_000)]


def rows(person: SignedIn) -> list[AuditRow]:
    with person.store.read() as s:
        return audit_page(s, person.actor, AuditFilter(), limit=10_000)


def test_the_examples_read_as_sentences_with_names(coordinator: SignedIn) -> None:
    store, me = coordinator.store, coordinator.actor
    with store.session(me) as s:
        sam = Volunteer(preferred_name="Sam", first_name="Samira", phone="0100")
        course = Course(name="First aid")
        role = Role(name="Listener")
        vic = User(username="vic", display_name="Vic", role=UserRole.VOLUNTEER)
        s.add_all([sam, course, role, vic])
    with store.session(me) as s:
        found = s.get(Volunteer, sam.id)
        assert found is not None
        found.phone = "0200"
        found.roles.append(s.get(Role, role.id))  # type: ignore[arg-type]
        audit.record(s, "sign_in", "users", str(vic.id), user_id=vic.id)
    with store.session(me) as s:
        s.delete(s.get(Course, course.id))
    said = sentences(coordinator)
    assert "Test Coordinator changed Sam's phone number" in said
    assert "Test Coordinator added the course First aid" in said
    assert "Test Coordinator added the volunteer Sam" in said
    assert "Test Coordinator gave Sam the role Listener" in said
    assert "Vic signed in" in said
    assert "Test Coordinator removed the course First aid" in said  # named from the trail
    changed = next(r for r in rows(coordinator) if r.sentence.endswith("phone number"))
    # A phone number is sealed (docs/keys.md): the trail says that it changed, not to what.
    assert changed.changes == "phone number: changed" and changed.record == "volunteer"


def test_a_confidential_record_is_never_named_nor_its_text_shown(coordinator: SignedIn) -> None:
    store, me = coordinator.store, coordinator.actor
    with store.session(me) as s:
        session = SupervisionSession(
            kind=SupervisionKind.ONE_TO_ONE,
            held_on=date(2026, 1, 5),
            duration_minutes=60,
            supervisor_user_id=me.user_id,
        )
        s.add(session)
        s.flush()
        note = SupervisionNote(session_id=session.id, author_user_id=me.user_id, body=SECRET)
        s.add(note)
    with store.session(me) as s:
        found = s.get(SupervisionNote, note.id)
        assert found is not None
        found.body = SECRET + " and more"
    shown = rows(coordinator)
    said = [r.sentence for r in shown]
    assert "Test Coordinator changed a confidential supervision note" in said
    assert "Test Coordinator added a confidential supervision note" in said
    assert "note: changed" in [r.changes for r in shown]
    assert all(SECRET not in f"{r.sentence} {r.changes}" for r in shown)


def test_names_are_looked_up_in_bulk_not_per_event(coordinator: SignedIn) -> None:
    store, me = coordinator.store, coordinator.actor

    def queries_for_a_page() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        with store.read() as s:
            engine = s.get_bind()
            event.listen(engine, "before_cursor_execute", count)
            try:
                audit_page(s, me, AuditFilter(), limit=200)
            finally:
                event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    def add_volunteers(n: int) -> None:
        with store.session(me) as s:
            s.add_all(Volunteer(preferred_name=f"Person {k}") for k in range(n))

    add_volunteers(3)
    few = queries_for_a_page()
    add_volunteers(60)
    assert queries_for_a_page() == few


def test_many_changed_fields_are_summed_up(coordinator: SignedIn) -> None:
    store, me = coordinator.store, coordinator.actor
    with store.session(me) as s:
        v = Volunteer(preferred_name="Ana")
        s.add(v)
    with store.session(me) as s:
        found = s.get(Volunteer, v.id)
        assert found is not None
        found.email, found.pronouns = "ana@example.org", "she/her"
        found.address, found.last_name = "1 High Street", "Smith"
    said = sentences(coordinator)
    assert "Test Coordinator changed Ana's address, email address and 2 other details" in said
