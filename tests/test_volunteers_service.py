"""Volunteer records: each rule, each role's access, stale edits, status moves, leaving,
equality monitoring and anonymisation (at the retention boundary, leaving no trace)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text

from peerdesk.db.audit import verify_chain
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    Course,
    DBSCheck,
    DBSLevel,
    EqualityMonitoring,
    Organisation,
    Role,
    SessionLog,
    SessionMode,
    Shift,
    SupervisionPairing,
    TrainingCompletion,
    User,
    UserRole,
    Volunteer,
    course_requirements,
)
from peerdesk.models import VolunteerStatus as S
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.volunteers import (
    PREFER_NOT_TO_SAY,
    EqualityAnswers,
    VolunteerInput,
    VolunteerRecord,
    anonymise_leavers,
    change_status,
    create_volunteer,
    equality_monitoring,
    leave,
    not_yet_in_place,
    save_equality_monitoring,
    update_volunteer,
    volunteer_record,
)

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
ROLES = ("coordinator", "supervisor", "volunteer", "trustee")


@dataclass
class Group:
    store: Store
    coordinator: Actor
    supervisor: Actor
    volunteer: Actor
    trustee: Actor
    amara: uuid.UUID  # the volunteer's own record
    bea: uuid.UUID  # the supervisor's supervisee
    cal: uuid.UUID  # someone else


def _user(s: object, name: str, role: UserRole, volunteer_id: uuid.UUID | None) -> Actor:
    u = User(username=name, display_name=name.title(), role=role, volunteer_id=volunteer_id)
    s.add(u)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return Actor(u.id, u.username, u.display_name, role, u.volunteer_id)


def person(name: str, **extra: object) -> VolunteerInput:
    fields: dict[str, object] = {
        "preferred_name": name,
        "first_name": f"{name}ina",
        "last_name": f"{name}son",
        "pronouns": "they/them",
        "email": f"{name.lower()}@example.org",
        "phone": "07700 900123",
        "emergency_contact_name": f"{name}'s sister",
        "emergency_contact_phone": "+44 (0)20 7946 0000",
        "started_on": date(2025, 1, 6),
        "notes": f"{name} prefers evenings",
        "roles": ("Peer supporter",),
    }
    fields.update(extra)
    return VolunteerInput(**fields)  # type: ignore[arg-type]


@pytest.fixture
def group(store: Store) -> Group:
    with store.session() as s:
        s.add(Organisation(name="Group", retention_months=12))
        s.add_all([Role(name="Peer supporter"), Role(name="Group facilitator")])
        s.flush()
        coordinator = _user(s, "coord", UserRole.COORDINATOR, None)
    ids = {}
    with store.session(coordinator) as s:
        for name in ("Amara", "Bea", "Cal", "Sol"):
            ids[name] = create_volunteer(s, coordinator, person(name), TODAY).id
    with store.session() as s:
        supervisor = _user(s, "sup", UserRole.SUPERVISOR, ids["Sol"])
        volunteer = _user(s, "vol", UserRole.VOLUNTEER, ids["Amara"])
        trustee = _user(s, "trust", UserRole.TRUSTEE, None)
        s.add(
            SupervisionPairing(
                supervisor_user_id=supervisor.user_id,
                volunteer_id=ids["Bea"],
                since_on=date(2025, 1, 1),
            )
        )
    return Group(
        store, coordinator, supervisor, volunteer, trustee, ids["Amara"], ids["Bea"], ids["Cal"]
    )


# Reading a record, by role ----------------------------------------------------------------------


def read(group: Group, actor: Actor, who: uuid.UUID) -> VolunteerRecord:
    with group.store.read() as s:
        return volunteer_record(s, actor, who)


def test_coordinator_sees_everything(group: Group) -> None:
    r = read(group, group.coordinator, group.cal)
    assert (r.preferred_name, r.first_name, r.last_name, r.pronouns) == (
        "Cal",
        "Calina",
        "Calson",
        "they/them",
    )
    assert (r.email, r.phone, r.emergency_contact_name) == (
        "cal@example.org",
        "07700 900123",
        "Cal's sister",
    )
    assert r.notes == "Cal prefers evenings"
    assert r.roles == ("Peer supporter",)
    assert r.status is S.APPLICANT and [h.status for h in r.history] == [S.APPLICANT]
    assert r.equality == EqualityAnswers()


def test_volunteer_sees_own_contact_and_equality_but_not_notes(group: Group) -> None:
    r = read(group, group.volunteer, group.amara)
    assert r.email == "amara@example.org" and r.emergency_contact_phone is not None
    assert r.equality is not None
    assert r.notes is None and r.leaving_reason is None


@pytest.mark.parametrize("who", ["bea", "cal"])
def test_volunteer_cannot_see_anyone_else(group: Group, who: str) -> None:
    with pytest.raises(PermissionDenied):
        read(group, group.volunteer, getattr(group, who))


def test_supervisor_sees_supervisee_without_contact_notes_or_equality(group: Group) -> None:
    r = read(group, group.supervisor, group.bea)
    assert r.preferred_name == "Bea" and r.roles == ("Peer supporter",)
    assert (r.email, r.phone, r.address, r.emergency_contact_name, r.emergency_contact_phone) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert r.notes is None and r.equality is None
    with pytest.raises(PermissionDenied):
        read(group, group.supervisor, group.cal)


def test_trustee_sees_no_one(group: Group) -> None:
    with pytest.raises(PermissionDenied, match="trustee"):
        read(group, group.trustee, group.amara)


# Creating and editing ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_create_and_edit(group: Group, role: str) -> None:
    actor = getattr(group, role)
    stamp = read(group, group.coordinator, group.amara).updated_at
    with group.store.session(actor) as s:
        with pytest.raises(PermissionDenied):
            create_volunteer(s, actor, person("Dee"), TODAY)
        with pytest.raises(PermissionDenied):
            update_volunteer(s, actor, group.amara, person("Amy"), stamp, TODAY)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (person("  "), "name this volunteer likes"),
        (person("Dee", email="dee.example.org"), "does not look like an email"),
        (person("Dee", email="dee@example"), "does not look like an email"),
        (person("Dee", phone="call me"), "phone number should be digits"),
        (person("Dee", phone="123"), "phone number should be digits"),
        (person("Dee", emergency_contact_phone="n/a"), "emergency contact's phone"),
        (person("Dee", started_on=date(1900, 1, 1)), "too long ago"),
        (person("Dee", started_on=date(2030, 1, 1)), "more than a year ahead"),
        (person("Dee", pronouns="x" * 41), "pronouns is too long"),
        (person("Dee", roles=("Astronaut",)), "no role called 'Astronaut'"),
        (person("Dee", left_on=date(2026, 1, 1)), "has not left"),
    ],
)
def test_create_refuses_bad_input_with_a_plain_sentence(
    group: Group, data: VolunteerInput, message: str
) -> None:
    with group.store.session(group.coordinator) as s, pytest.raises(ValidationError, match=message):
        create_volunteer(s, group.coordinator, data, TODAY)


def test_create_tidies_and_sets_roles_by_name(group: Group) -> None:
    data = person(" Dee ", email=" ", roles=("group FACILITATOR", "Peer supporter"))
    with group.store.session(group.coordinator) as s:
        r = create_volunteer(s, group.coordinator, data, TODAY)
    assert r.preferred_name == "Dee" and r.email is None
    assert r.roles == ("Group facilitator", "Peer supporter")


def test_edit_saves_and_a_stale_copy_is_refused(group: Group) -> None:
    first = read(group, group.coordinator, group.amara)
    with group.store.session(group.coordinator) as s:
        saved = update_volunteer(
            s, group.coordinator, group.amara, person("Amy", roles=()), first.updated_at, TODAY
        )
    assert saved.preferred_name == "Amy" and saved.roles == ()
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="Someone else changed this record"),
    ):
        update_volunteer(
            s, group.coordinator, group.amara, person("Amara"), first.updated_at, TODAY
        )
    assert read(group, group.coordinator, group.amara).preferred_name == "Amy"


def test_a_change_of_roles_alone_makes_other_copies_stale(group: Group) -> None:
    first = read(group, group.coordinator, group.amara)
    with group.store.session(group.coordinator) as s:
        update_volunteer(
            s, group.coordinator, group.amara, person("Amara", roles=()), first.updated_at, TODAY
        )
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="Someone else"),
    ):
        update_volunteer(
            s, group.coordinator, group.amara, person("Amara"), first.updated_at, TODAY
        )


def test_edit_refuses_leaving_before_starting(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        leave(s, group.coordinator, group.amara, date(2026, 3, 1), None)
    stamp = read(group, group.coordinator, group.amara).updated_at
    data = person("Amara", started_on=date(2026, 4, 1), left_on=date(2026, 3, 1))
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="leaving date is before the start date"),
    ):
        update_volunteer(s, group.coordinator, group.amara, data, stamp, TODAY)


# Status moves -----------------------------------------------------------------------------------


def move(group: Group, who: uuid.UUID, status: S, day: int = 1, actor: Actor | None = None) -> None:
    with group.store.session(group.coordinator) as s:
        change_status(s, actor or group.coordinator, who, status, date(2026, 2, day), "note")


def test_the_path_to_active_and_pausing_both_ways(group: Group) -> None:
    for day, status in enumerate((S.INDUCTION, S.PROBATION, S.ACTIVE, S.PAUSED, S.ACTIVE), 1):
        move(group, group.amara, status, day)
    r = read(group, group.coordinator, group.amara)
    assert r.status is S.ACTIVE
    assert [h.status for h in r.history] == [
        S.APPLICANT,
        S.INDUCTION,
        S.PROBATION,
        S.ACTIVE,
        S.PAUSED,
        S.ACTIVE,
    ]
    assert r.history[-1].on == date(2026, 2, 5)


def test_becoming_a_volunteer_fills_in_an_empty_start_date(group: Group) -> None:
    """Reports count people on the books from their start date; one added without it starts
    on the day they begin probation (a date already typed is kept)."""
    with group.store.session(group.coordinator) as s:
        s.get_one(Volunteer, group.amara).started_on = None
    for day, status in enumerate((S.INDUCTION, S.PROBATION, S.ACTIVE), 1):
        move(group, group.amara, status, day)
        move(group, group.bea, status, day)
    with group.store.read() as s:
        assert s.get_one(Volunteer, group.amara).started_on == date(2026, 2, 2)
        assert s.get_one(Volunteer, group.bea).started_on == date(2025, 1, 6)


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ((), S.PAUSED, "applicant can move to induction, probation or active"),
        ((S.ACTIVE,), S.PROBATION, "active can move to paused .* not straight to probation"),
        ((), S.APPLICANT, "already applicant"),
        ((S.INDUCTION,), S.APPLICANT, "not straight to applicant"),
        ((), S.LEFT, "leaving steps"),
    ],
)
def test_refused_moves_say_why(group: Group, path: tuple[S, ...], to: S, message: str) -> None:
    for status in path:
        move(group, group.amara, status, 2)
    with pytest.raises(ValidationError, match=message):
        move(group, group.amara, to, 3)


def test_a_status_change_goes_straight_to_the_status_wanted(group: Group) -> None:
    """An applicant who did induction and probation on paper becomes active in one change."""
    with group.store.session(group.coordinator) as s:
        s.get_one(Volunteer, group.amara).started_on = None
    move(group, group.amara, S.ACTIVE, 3)
    r = read(group, group.coordinator, group.amara)
    assert [h.status for h in r.history] == [S.APPLICANT, S.ACTIVE]
    assert r.status is S.ACTIVE and r.started_on == date(2026, 2, 3)
    move(group, group.bea, S.INDUCTION, 1)
    move(group, group.bea, S.ACTIVE, 2)
    assert read(group, group.coordinator, group.bea).status is S.ACTIVE


def test_what_is_not_yet_in_place_is_listed_not_enforced(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        role = s.scalars(select(Role).where(Role.name == "Peer supporter")).one()
        done, missing = Course(name="Induction day"), Course(name="Safeguarding adults")
        s.add_all([done, missing, Course(name="Optional extra")])
        s.flush()
        for course in (done, missing):
            s.execute(course_requirements.insert().values(course_id=course.id, role_id=role.id))
        s.add(TrainingCompletion(volunteer_id=group.amara, course_id=done.id,
                                 completed_on=date(2026, 1, 10)))  # fmt: skip
    with group.store.read() as s:
        gaps = not_yet_in_place(s, group.coordinator, group.amara, TODAY)
    assert gaps == ["Safeguarding adults: missing", "DBS check: none recorded"]
    move(group, group.amara, S.ACTIVE, 3)  # information, not a blocker
    with group.store.session(group.coordinator) as s:
        s.add(DBSCheck(volunteer_id=group.amara, level=DBSLevel.ENHANCED,
                       issued_on=date(2026, 1, 5)))  # fmt: skip
    with group.store.read() as s:
        assert not_yet_in_place(s, group.coordinator, group.amara, TODAY) == [
            "Safeguarding adults: missing"
        ]
        with pytest.raises(PermissionDenied):
            not_yet_in_place(s, group.volunteer, group.amara, TODAY)


def test_a_move_dated_before_the_last_one_is_refused(group: Group) -> None:
    move(group, group.amara, S.INDUCTION, 10)
    with pytest.raises(ValidationError, match="before their last status change"):
        move(group, group.amara, S.PROBATION, 9)


def test_no_moves_after_leaving(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        leave(s, group.coordinator, group.amara, date(2026, 2, 1), "Moved away")
    with pytest.raises(ValidationError, match="has left"):
        move(group, group.amara, S.ACTIVE, 2)
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="already left"),
    ):
        leave(s, group.coordinator, group.amara, date(2026, 2, 3), None)


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_change_status_or_record_leaving(group: Group, role: str) -> None:
    actor = getattr(group, role)
    with pytest.raises(PermissionDenied):
        move(group, group.amara, S.INDUCTION, actor=actor)
    with group.store.session(actor) as s:
        with pytest.raises(PermissionDenied):
            leave(s, actor, group.amara, date(2026, 2, 1), None)
        with pytest.raises(PermissionDenied):
            anonymise_leavers(s, actor, TODAY)


# Leaving ----------------------------------------------------------------------------------------


def _shift(s: object, activity: Activity, starts: datetime, minimum: int = 1) -> Shift:
    shift = Shift(
        activity_id=activity.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        min_volunteers=minimum,
        max_volunteers=3,
    )
    s.add(shift)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return shift


def test_leaving_declines_later_shifts_and_says_which_are_short(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        act = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(act)
        s.flush()
        # 23:30 on the leaving day in London is still that day; 00:30 next day is after it.
        same_day = _shift(s, act, datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
        next_day = _shift(s, act, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), minimum=2)
        later = _shift(s, act, datetime(2026, 7, 10, 10, tzinfo=UTC), minimum=1)
        for shift in (same_day, next_day, later):
            s.add(
                Assignment(
                    shift_id=shift.id, volunteer_id=group.amara, status=AssignmentStatus.CONFIRMED
                )
            )
        s.add(
            Assignment(shift_id=later.id, volunteer_id=group.bea, status=AssignmentStatus.CONFIRMED)
        )
    with group.store.session(group.coordinator) as s:
        affected = leave(s, group.coordinator, group.amara, date(2026, 6, 30), "New job")
    assert [a.shift_id for a in affected] == [next_day.id, later.id]
    assert [(a.still_on, a.short) for a in affected] == [(0, True), (1, False)]
    assert affected[0].activity == "Drop-in"
    with group.store.read() as s:
        statuses = {
            a.shift_id: a.status
            for a in s.scalars(select(Assignment).where(Assignment.volunteer_id == group.amara))
        }
    assert statuses[same_day.id] is AssignmentStatus.CONFIRMED
    assert statuses[next_day.id] is statuses[later.id] is AssignmentStatus.DECLINED
    r = read(group, group.coordinator, group.amara)
    assert (r.status, r.left_on, r.leaving_reason) == (S.LEFT, date(2026, 6, 30), "New job")
    assert r.history[-1].status is S.LEFT and r.history[-1].note is None
    assert read(group, group.volunteer, group.amara).leaving_reason is None


def test_leaving_before_starting_is_refused(group: Group) -> None:
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="before their start date"),
    ):
        leave(s, group.coordinator, group.amara, date(2024, 12, 1), None)


# Equality monitoring ----------------------------------------------------------------------------

ANSWERS = EqualityAnswers(
    age_band="35-44", gender="Non-binary", ethnicity=PREFER_NOT_TO_SAY, lived_experience="Yes"
)


@pytest.mark.parametrize("role", ["coordinator", "volunteer"])
def test_equality_read_and_written_by_the_person_and_coordinators(group: Group, role: str) -> None:
    actor = getattr(group, role)
    with group.store.session(actor) as s:
        saved = save_equality_monitoring(s, actor, group.amara, ANSWERS)
    assert saved == ANSWERS
    with group.store.read() as s:
        assert equality_monitoring(s, actor, group.amara) == ANSWERS
    assert read(group, actor, group.amara).equality == ANSWERS


@pytest.mark.parametrize("role", ["supervisor", "trustee"])
def test_equality_hidden_from_everyone_else(group: Group, role: str) -> None:
    actor = getattr(group, role)
    with group.store.session(actor) as s:
        with pytest.raises(PermissionDenied):
            equality_monitoring(s, actor, group.bea)
        with pytest.raises(PermissionDenied):
            save_equality_monitoring(s, actor, group.bea, ANSWERS)
    with group.store.session(group.volunteer) as s, pytest.raises(PermissionDenied):
        equality_monitoring(s, group.volunteer, group.bea)


def test_equality_all_empty_keeps_nothing(group: Group) -> None:
    with group.store.session(group.volunteer) as s:
        save_equality_monitoring(s, group.volunteer, group.amara, ANSWERS)
        save_equality_monitoring(s, group.volunteer, group.amara, EqualityAnswers(gender="  "))
    with group.store.read() as s:
        assert s.scalars(select(EqualityMonitoring)).all() == []


def test_equality_answer_too_long_is_refused(group: Group) -> None:
    with (
        group.store.session(group.volunteer) as s,
        pytest.raises(ValidationError, match="gender is too long"),
    ):
        save_equality_monitoring(s, group.volunteer, group.amara, EqualityAnswers(gender="x" * 101))


# Anonymisation ----------------------------------------------------------------------------------

LEFT_ON = date(2025, 3, 15)  # kept 12 months: until 15 Mar 2026


def _leaver(group: Group) -> uuid.UUID:
    """Cal with everything personal recorded, then leaving."""
    with group.store.session(group.coordinator) as s:
        data = person("Cal", address="1 Secret Lane, Leeds")
        stamp = volunteer_record(s, group.coordinator, group.cal).updated_at
        update_volunteer(s, group.coordinator, group.cal, data, stamp, TODAY)
        change_status(
            s, group.coordinator, group.cal, S.INDUCTION, date(2025, 2, 1), "Cal did well"
        )
        save_equality_monitoring(s, group.coordinator, group.cal, ANSWERS)
        s.add(
            DBSCheck(
                volunteer_id=group.cal,
                level=DBSLevel.ENHANCED,
                certificate_number="001234567890",
                issued_on=date(2025, 1, 10),
            )
        )
        act = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(act)
        s.flush()
        start = datetime(2025, 2, 1, 10, tzinfo=UTC)
        s.add(
            SessionLog(
                volunteer_id=group.cal,
                activity_id=act.id,
                mode=SessionMode.IN_PERSON,
                started_at=start,
                ended_at=start + timedelta(hours=1),
                attendees=4,
                new_attendees=1,
            )
        )
        leave(s, group.coordinator, group.cal, LEFT_ON, "Cal's private reason")
    return group.cal


def anonymise(group: Group, today: date) -> int:
    with group.store.session(group.coordinator) as s:
        return anonymise_leavers(s, group.coordinator, today)


@pytest.mark.parametrize(
    ("today", "count"),
    [(date(2026, 3, 14), 0), (date(2026, 3, 15), 0), (date(2026, 3, 16), 1)],
)
def test_anonymised_only_after_the_retention_period(group: Group, today: date, count: int) -> None:
    _leaver(group)
    assert anonymise(group, today) == count
    assert (read(group, group.coordinator, group.cal).preferred_name == "Cal") is (count == 0)


def test_anonymisation_keeps_counts_and_removes_the_person(group: Group) -> None:
    _leaver(group)
    assert anonymise(group, TODAY) == 1
    r = read(group, group.coordinator, group.cal)
    assert r.preferred_name == "Former volunteer 001" and r.anonymised
    assert (r.first_name, r.last_name, r.pronouns, r.email, r.phone, r.address) == (None,) * 6
    assert (r.emergency_contact_name, r.notes, r.leaving_reason) == (None, None, None)
    assert r.equality == EqualityAnswers()
    assert (r.status, r.left_on, r.roles) == (S.LEFT, LEFT_ON, ("Peer supporter",))
    assert all(h.note is None for h in r.history) and len(r.history) == 3
    with group.store.read() as s:
        assert s.scalar(select(DBSCheck.certificate_number)) is None
        assert s.scalar(select(DBSCheck.level)) is DBSLevel.ENHANCED
        assert len(s.scalars(select(SessionLog)).all()) == 1
        assert s.scalars(select(EqualityMonitoring)).all() == []


def test_anonymisation_is_idempotent_and_refuses_later_edits(group: Group) -> None:
    _leaver(group)
    assert anonymise(group, TODAY) == 1
    with group.store.read() as s:
        events = len(s.execute(text("SELECT seq FROM audit_events")).all())
    assert anonymise(group, TODAY) == 0
    with group.store.read() as s:
        assert len(s.execute(text("SELECT seq FROM audit_events")).all()) == events
    stamp = read(group, group.coordinator, group.cal).updated_at
    with (
        group.store.session(group.coordinator) as s,
        pytest.raises(ValidationError, match="anonymised"),
    ):
        update_volunteer(s, group.coordinator, group.cal, person("Cal"), stamp, TODAY)


def _every_cell(store: Store) -> str:
    """Every value of every row of every table, as one searchable text."""
    with store.read() as s:
        tables = inspect(s.connection()).get_table_names()  # on either engine
        cells: list[str] = []
        for table in list(tables):
            for row in s.execute(text(f'SELECT * FROM "{table}"')):
                cells.extend(str(value) for value in row)
    return "\n".join(cells)


def test_no_personal_string_of_the_anonymised_remains_anywhere(group: Group) -> None:
    _leaver(group)
    before = _every_cell(group.store)
    personal = [
        "Calina",
        "Calson",
        "cal@example.org",
        "Cal's sister",
        "Secret Lane",
        "Cal prefers evenings",
        "Cal did well",
        "Cal's private reason",
        "001234567890",
        "Non-binary",
        "35-44",
        '"Cal"',  # the preferred name as recorded in the audit trail
    ]
    assert [p for p in personal if p not in before] == []  # the search finds them
    anonymise(group, TODAY)
    after = _every_cell(group.store)
    assert [p for p in personal if p in after] == []
    assert "Amarason" in after  # the others are untouched


def test_the_audit_chain_still_verifies_after_anonymisation(group: Group) -> None:
    _leaver(group)
    anonymise(group, TODAY)
    with group.store.read() as s:
        assert verify_chain(s) == []
        erased = s.execute(
            text("SELECT count(*) FROM audit_events WHERE action = 'erase_from_trail'")
        ).scalar()
    assert erased == 1


def test_numbers_continue_across_runs(group: Group) -> None:
    _leaver(group)
    anonymise(group, TODAY)
    with group.store.session(group.coordinator) as s:
        leave(s, group.coordinator, group.bea, date(2025, 1, 6), None)
    anonymise(group, date(2031, 2, 1))
    assert read(group, group.coordinator, group.bea).preferred_name == "Former volunteer 002"
    with group.store.read() as s:
        names = s.scalars(select(Volunteer.preferred_name).order_by(Volunteer.preferred_name))
        assert list(names) == ["Amara", "Former volunteer 001", "Former volunteer 002", "Sol"]
