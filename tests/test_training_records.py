"""Training and DBS records through the services: who may read and write them, the compliance
matrix and its counts, what expires soon, rechecks due, and the masked certificate number."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import (
    AuditEvent,
    Course,
    DBSCheck,
    DBSLevel,
    Organisation,
    Role,
    SupervisionPairing,
    TrainingCompletion,
    User,
    UserRole,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
)
from peerdesk.services import dbs, training
from peerdesk.services.compliance import DBSStatus, TrainingStatus
from peerdesk.services.permissions import Actor, PermissionDenied

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
NUMBER = "001234567890"


@dataclass
class Group:
    store: Store
    coordinator: Actor
    supervisor: Actor
    volunteer: Actor
    trustee: Actor
    people: dict[str, uuid.UUID]
    courses: dict[str, uuid.UUID]
    role_id: uuid.UUID

    def read(self, fn: Callable[..., Any], actor: Actor, *args: Any, **kw: Any) -> Any:
        with self.store.read() as s:
            return fn(s, actor, *args, **kw)

    def write(self, fn: Callable[..., Any], actor: Actor, *args: Any, **kw: Any) -> Any:
        with self.store.session(actor) as s:
            return fn(s, actor, *args, **kw)


def _user(s: Session, name: str, role: UserRole, volunteer: uuid.UUID | None) -> Actor:
    u = User(username=name, display_name=name.title(), role=role, volunteer_id=volunteer)
    s.add(u)
    s.flush()
    return Actor(u.id, u.username, u.display_name, role, volunteer)


def _done(s: Session, who: uuid.UUID, course: uuid.UUID, on: date) -> None:
    s.add(TrainingCompletion(volunteer_id=who, course_id=course, completed_on=on))


# Safeguarding: 36 months, renewal window 90 days, grace 30. On TODAY (26 Nov 2026):
#   Amara renewal due (expires 10 Jan 2027), Bea in grace (expired 1 Nov 2026), Cal expired and
#   missing Induction, Sol renewal due (expires 10 Dec 2026), Eve in date. Dee is paused.
SAFEGUARDING_DONE = {
    "Amara": date(2024, 1, 10),
    "Bea": date(2023, 11, 1),
    "Cal": date(2022, 6, 1),
    "Sol": date(2023, 12, 10),
    "Eve": date(2025, 6, 1),
}


@pytest.fixture
def group(store: Store) -> Group:
    """Amara is the volunteer's own record, Bea the supervisor's supervisee, Sol the
    supervisor's own record; Cal and Eve are others; Dee is paused."""
    with store.session() as s:
        s.add(Organisation(name="Group"))
        role = Role(name="Peer supporter", needs_dbs=True)
        safeguarding = Course(
            name="Safeguarding adults", validity_months=36, renewal_window_days=90, grace_days=30
        )
        induction = Course(name="Induction", validity_months=None, renewal_window_days=0)
        optional = Course(name="Trauma-informed practice", validity_months=None)
        s.add_all([role, safeguarding, induction, optional])
        s.flush()
        for course in (safeguarding, induction):
            s.execute(course_requirements.insert(), {"course_id": course.id, "role_id": role.id})
        people = {}
        for name in ("Amara", "Bea", "Cal", "Sol", "Eve", "Dee"):
            status = VolunteerStatus.PAUSED if name == "Dee" else VolunteerStatus.ACTIVE
            v = Volunteer(preferred_name=name, status=status)
            s.add(v)
            s.flush()
            s.add(VolunteerRole(volunteer_id=v.id, role_id=role.id))
            people[name] = v.id
        for name, on in SAFEGUARDING_DONE.items():
            _done(s, people[name], safeguarding.id, on)
        for name in ("Amara", "Bea", "Sol", "Eve"):
            _done(s, people[name], induction.id, date(2025, 1, 10))
        _done(s, people["Amara"], optional.id, date(2025, 3, 3))
        coordinator = _user(s, "coord", UserRole.COORDINATOR, None)
        supervisor = _user(s, "sup", UserRole.SUPERVISOR, people["Sol"])
        volunteer = _user(s, "vol", UserRole.VOLUNTEER, people["Amara"])
        trustee = _user(s, "trust", UserRole.TRUSTEE, None)
        s.add(
            SupervisionPairing(
                supervisor_user_id=supervisor.user_id,
                volunteer_id=people["Bea"],
                since_on=date(2025, 1, 1),
            )
        )
        courses = {
            "safeguarding": safeguarding.id,
            "induction": induction.id,
            "optional": optional.id,
        }
    return Group(store, coordinator, supervisor, volunteer, trustee, people, courses, role.id)


def _actors(g: Group) -> dict[str, Actor]:
    return {
        "coordinator": g.coordinator,
        "supervisor": g.supervisor,
        "volunteer": g.volunteer,
        "trustee": g.trustee,
    }


# The catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "volunteer", "trustee"])
def test_everyone_reads_the_catalogue(group: Group, role: str) -> None:
    courses = group.read(training.list_courses, _actors(group)[role])
    assert [c.name for c in courses] == [
        "Induction",
        "Safeguarding adults",
        "Trauma-informed practice",
    ]
    assert courses[1].required_for == ("Peer supporter",)
    assert courses[1].validity_months == 36


def test_coordinator_adds_and_edits_a_course(group: Group) -> None:
    new = training.CourseInput(
        "  Lone   working ", 24, 60, 14, required_role_ids=frozenset({group.role_id})
    )
    added = group.write(training.add_course, group.coordinator, new)
    assert (added.name, added.required_for, added.grace_days) == (
        "Lone working",
        ("Peer supporter",),
        14,
    )
    changed = training.CourseInput("Lone working", None, 0, 0, "Refresher not needed")
    edited = group.write(training.edit_course, group.coordinator, added.id, changed)
    assert (edited.validity_months, edited.required_for, edited.description) == (
        None,
        (),
        "Refresher not needed",
    )
    with group.store.read() as s:
        events = s.scalars(
            select(AuditEvent.entity_type).where(AuditEvent.entity_id == str(added.id))
        )
        assert "courses" in set(events)


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_change_the_catalogue(group: Group, role: str) -> None:
    with pytest.raises(PermissionDenied):
        group.write(
            training.add_course, _actors(group)[role], training.CourseInput("First aid", 36)
        )
    with pytest.raises(PermissionDenied):
        group.write(
            training.edit_course,
            _actors(group)[role],
            group.courses["induction"],
            training.CourseInput("Renamed", None),
        )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (training.CourseInput("   ", 12), "name"),
        (training.CourseInput("safeguarding ADULTS", 12), "already a course"),
        (training.CourseInput("First aid", 0), "Validity"),
        (training.CourseInput("First aid", 12, renewal_window_days=-1), "renewal window"),
        (training.CourseInput("First aid", 12, grace_days=400), "grace"),
        (
            training.CourseInput("First aid", 12, required_role_ids=frozenset({uuid.uuid4()})),
            "role",
        ),
    ],
)
def test_bad_course_input_is_one_plain_sentence(
    group: Group, data: training.CourseInput, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        group.write(training.add_course, group.coordinator, data)


# Completions ------------------------------------------------------------------------------------


def test_coordinator_records_a_completion(group: Group) -> None:
    done = group.write(
        training.record_completion,
        group.coordinator,
        group.people["Cal"],
        group.courses["induction"],
        TODAY,
        TODAY,
        provider=" In-house ",
        notes="",
    )
    assert (done.completed_on, done.provider, done.notes) == (TODAY, "In-house", None)
    rows = group.read(training.volunteer_training, group.coordinator, group.people["Cal"], TODAY)
    assert {r.course: r.status for r in rows}["Induction"] is TrainingStatus.IN_DATE


@pytest.mark.parametrize(
    ("on", "says"),
    [
        (date(2026, 11, 27), "future"),
        (date(1900, 1, 1), "too long ago"),
        (date(2025, 1, 10), "already recorded"),  # Amara's induction, that day
    ],
)
def test_bad_completions_are_refused(group: Group, on: date, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        group.write(
            training.record_completion,
            group.coordinator,
            group.people["Amara"],
            group.courses["induction"],
            on,
            TODAY,
        )


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_record_completions(group: Group, role: str) -> None:
    with pytest.raises(PermissionDenied):
        group.write(
            training.record_completion,
            _actors(group)[role],
            group.people["Amara"],
            group.courses["optional"],
            TODAY,
            TODAY,
        )


# A volunteer's own training ---------------------------------------------------------------------


def test_own_training_lists_mandatory_first_with_statuses(group: Group) -> None:
    rows = group.read(training.volunteer_training, group.volunteer, group.people["Amara"], TODAY)
    summary = [(r.course, r.mandatory, r.status) for r in rows]
    assert summary == [
        ("Induction", True, TrainingStatus.IN_DATE),
        ("Safeguarding adults", True, TrainingStatus.RENEWAL_DUE),
        ("Trauma-informed practice", False, TrainingStatus.IN_DATE),
    ]
    assert rows[1].expires_on == date(2027, 1, 10)
    assert rows[0].expires_on is None


def test_missing_mandatory_course_is_listed(group: Group) -> None:
    rows = group.read(training.volunteer_training, group.coordinator, group.people["Cal"], TODAY)
    assert {r.course: r.status for r in rows} == {
        "Induction": TrainingStatus.MISSING,
        "Safeguarding adults": TrainingStatus.EXPIRED,
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", {"Amara", "Bea", "Cal", "Sol", "Eve", "Dee"}),
        ("supervisor", {"Bea", "Sol"}),
        ("volunteer", {"Amara"}),
        ("trustee", set()),
    ],
)
def test_who_sees_whose_training(group: Group, role: str, allowed: set[str]) -> None:
    for name, volunteer_id in group.people.items():
        if name in allowed:
            group.read(training.volunteer_training, _actors(group)[role], volunteer_id, TODAY)
        else:
            with pytest.raises(PermissionDenied):
                group.read(training.volunteer_training, _actors(group)[role], volunteer_id, TODAY)


# The compliance matrix --------------------------------------------------------------------------


def test_matrix_counts_every_required_cell(group: Group) -> None:
    matrix = group.read(training.compliance_matrix, group.coordinator, TODAY)
    assert matrix.courses == ("Induction", "Safeguarding adults")
    assert [r.name for r in matrix.rows] == ["Amara", "Bea", "Cal", "Eve", "Sol"]  # Dee paused
    assert matrix.volunteers == 5
    assert matrix.counts == {
        TrainingStatus.IN_DATE: 5,
        TrainingStatus.RENEWAL_DUE: 2,
        TrainingStatus.IN_GRACE: 1,
        TrainingStatus.EXPIRED: 1,
        TrainingStatus.MISSING: 1,
    }
    cal = matrix.rows[2].cells
    assert [c.status if c else None for c in cal] == [
        TrainingStatus.MISSING,
        TrainingStatus.EXPIRED,
    ]


def test_matrix_problems_only_keeps_the_counts(group: Group) -> None:
    everyone = group.read(training.compliance_matrix, group.coordinator, TODAY)
    problems = group.read(training.compliance_matrix, group.coordinator, TODAY, problems_only=True)
    assert [r.name for r in problems.rows] == ["Amara", "Bea", "Cal", "Sol"]
    assert problems.counts == everyone.counts
    assert problems.volunteers == 5


def test_matrix_leaves_a_course_not_required_empty(group: Group) -> None:
    with group.store.session() as s:
        other = Role(name="Walk buddy")
        s.add(other)
        s.flush()
        s.add(VolunteerRole(volunteer_id=group.people["Eve"], role_id=other.id))
        s.execute(
            course_requirements.insert(),
            {"course_id": group.courses["optional"], "role_id": other.id},
        )
    matrix = group.read(training.compliance_matrix, group.coordinator, TODAY)
    assert matrix.courses[-1] == "Trauma-informed practice"
    by_name = {r.name: r.cells for r in matrix.rows}
    assert by_name["Amara"][-1] is None  # done it, but not required for her role
    eve = by_name["Eve"][-1]
    assert eve is not None and eve.status is TrainingStatus.MISSING


def test_supervisor_sees_their_supervisees_in_the_matrix(group: Group) -> None:
    matrix = group.read(training.compliance_matrix, group.supervisor, TODAY)
    assert [r.name for r in matrix.rows] == ["Bea", "Sol"]
    assert sum(matrix.counts.values()) == 4


@pytest.mark.parametrize("role", ["volunteer", "trustee"])
def test_volunteers_and_trustees_have_no_matrix(group: Group, role: str) -> None:
    with pytest.raises(PermissionDenied):
        group.read(training.compliance_matrix, _actors(group)[role], TODAY)


# What expires soon ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "names"),
    [(13, []), (14, ["Sol"]), (30, ["Sol"]), (45, ["Sol", "Amara"]), (90, ["Sol", "Amara"])],
)
def test_expiring_within_days(group: Group, days: int, names: list[str]) -> None:
    soon = group.read(training.expiring_training, group.coordinator, TODAY, days)
    assert [e.volunteer for e in soon] == names
    if soon:
        assert (soon[0].expires_on, soon[0].days_left) == (date(2026, 12, 10), 14)


@pytest.mark.parametrize(("role", "names"), [("supervisor", ["Sol"]), ("volunteer", ["Amara"])])
def test_expiring_shows_only_whom_you_may_see(group: Group, role: str, names: list[str]) -> None:
    soon = group.read(training.expiring_training, _actors(group)[role], TODAY, 90)
    assert [e.volunteer for e in soon] == names


def test_trustees_do_not_see_who_expires(group: Group) -> None:
    with pytest.raises(PermissionDenied):
        group.read(training.expiring_training, group.trustee, TODAY)


# DBS --------------------------------------------------------------------------------------------


def _dbs(group: Group, name: str, issued: date, update_service: bool = False) -> dbs.DBSRecord:
    record: dbs.DBSRecord = group.write(
        dbs.record_dbs_check,
        group.coordinator,
        group.people[name],
        DBSLevel.ENHANCED,
        NUMBER,
        issued,
        TODAY,
        update_service,
    )
    return record


@pytest.fixture
def checked(group: Group) -> Group:
    """Amara's recheck due soon, Bea on the Update Service, Cal overdue, Sol none, Eve in date."""
    _dbs(group, "Amara", date(2023, 12, 1))
    _dbs(group, "Bea", date(2020, 1, 1), update_service=True)
    _dbs(group, "Cal", date(2023, 1, 1))
    _dbs(group, "Eve", date(2025, 1, 1))
    return group


def test_coordinator_sees_the_full_certificate_number(checked: Group) -> None:
    got = checked.read(dbs.volunteer_dbs, checked.coordinator, checked.people["Amara"], TODAY)
    assert got.status is DBSStatus.RECHECK_DUE_SOON
    assert got.recheck_due_on == date(2026, 12, 1)
    assert got.checks[0].certificate_number == NUMBER


@pytest.mark.parametrize(("role", "name"), [("volunteer", "Amara"), ("supervisor", "Bea")])
def test_others_see_the_number_masked(checked: Group, role: str, name: str) -> None:
    got = checked.read(dbs.volunteer_dbs, _actors(checked)[role], checked.people[name], TODAY)
    assert got.checks[0].certificate_number == "•••• 7890"


def test_update_service_is_in_date_with_its_check_date(checked: Group) -> None:
    bea = checked.read(dbs.volunteer_dbs, checked.coordinator, checked.people["Bea"], TODAY)
    assert (bea.status, bea.recheck_due_on) == (DBSStatus.IN_DATE, None)
    checked.write(
        dbs.record_update_service_check,
        checked.coordinator,
        bea.checks[0].id,
        date(2026, 10, 1),
        TODAY,
    )
    bea = checked.read(dbs.volunteer_dbs, checked.coordinator, checked.people["Bea"], TODAY)
    assert bea.checks[0].update_service_checked_on == date(2026, 10, 1)


def test_the_certificate_number_is_confidential_in_the_audit_trail(checked: Group) -> None:
    with checked.store.read() as s:
        numbers = s.scalars(
            select(AuditEvent.changes).where(AuditEvent.entity_type == "dbs_checks")
        )
        assert all(NUMBER not in (c or "") for c in numbers)


@pytest.mark.parametrize(
    ("role", "names"),
    [("coordinator", ["Sol", "Cal", "Amara"]), ("supervisor", ["Sol"]), ("volunteer", ["Amara"])],
)
def test_rechecks_due(checked: Group, role: str, names: list[str]) -> None:
    due = checked.read(dbs.dbs_rechecks_due, _actors(checked)[role], TODAY)
    assert [d.volunteer for d in due] == names
    statuses = {d.volunteer: d.status for d in due}
    assert statuses.get("Cal", DBSStatus.RECHECK_OVERDUE) is DBSStatus.RECHECK_OVERDUE
    assert statuses.get("Sol", DBSStatus.NONE) is DBSStatus.NONE


def test_recheck_uses_the_organisations_policy(checked: Group) -> None:
    with checked.store.session() as s:
        s.scalars(select(Organisation)).one().dbs_recheck_months = 24
    due = checked.read(dbs.dbs_rechecks_due, checked.coordinator, TODAY)
    assert [d.volunteer for d in due] == ["Sol", "Cal", "Amara", "Eve"]
    assert due[-1].recheck_due_on == date(2027, 1, 1)


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_record_dbs(group: Group, role: str) -> None:
    with pytest.raises(PermissionDenied):
        group.write(
            dbs.record_dbs_check,
            _actors(group)[role],
            group.people["Amara"],
            DBSLevel.BASIC,
            None,
            date(2025, 1, 1),
            TODAY,
        )


def test_trustees_see_no_dbs(checked: Group) -> None:
    with pytest.raises(PermissionDenied):
        checked.read(dbs.volunteer_dbs, checked.trustee, checked.people["Amara"], TODAY)
    with pytest.raises(PermissionDenied):
        checked.read(dbs.dbs_rechecks_due, checked.trustee, TODAY)


def test_volunteer_cannot_see_anothers_dbs(checked: Group) -> None:
    with pytest.raises(PermissionDenied):
        checked.read(dbs.volunteer_dbs, checked.volunteer, checked.people["Cal"], TODAY)


@pytest.mark.parametrize(
    ("number", "issued", "subscribed", "checked_on", "says"),
    [
        ("1234", date(2025, 1, 1), False, None, "12 digits"),
        ("00123456789X", date(2025, 1, 1), False, None, "12 digits"),
        (NUMBER, date(2026, 11, 27), False, None, "future"),
        (NUMBER, date(1999, 1, 1), False, None, "2002"),
        (NUMBER, date(2025, 1, 1), False, date(2025, 2, 1), "Update Service"),
        (NUMBER, date(2025, 1, 1), True, date(2024, 12, 31), "between"),
    ],
)
def test_bad_dbs_input_is_refused(
    group: Group, number: str, issued: date, subscribed: bool, checked_on: date | None, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        group.write(
            dbs.record_dbs_check,
            group.coordinator,
            group.people["Amara"],
            DBSLevel.ENHANCED,
            number,
            issued,
            TODAY,
            subscribed,
            checked_on,
        )


def test_certificate_number_spaces_are_removed(group: Group) -> None:
    got = group.write(
        dbs.record_dbs_check,
        group.coordinator,
        group.people["Amara"],
        DBSLevel.STANDARD,
        "0012 3456 7890",
        date(2025, 1, 1),
        TODAY,
    )
    assert got.certificate_number == NUMBER
    with group.store.read() as s:
        assert s.scalars(select(DBSCheck.certificate_number)).one() == NUMBER


def test_masking_helper() -> None:
    assert dbs.mask_certificate(NUMBER) == "•••• 7890"
    assert dbs.mask_certificate(None) is None


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 10), date(2027, 1, 10), date(2027, 3, 1)])
def test_matrix_agrees_with_each_volunteers_own_training(group: Group, today: date) -> None:
    """The matrix reads statuses from date cut-offs; a person's page from the rule itself."""
    matrix = group.read(training.compliance_matrix, group.coordinator, today)
    for row in matrix.rows:
        own = group.read(training.volunteer_training, group.coordinator, row.volunteer_id, today)
        by_course = {r.course_id: (r.status, r.expires_on) for r in own}
        for course_id, cell in zip(matrix.course_ids, row.cells, strict=True):
            if cell is not None:
                assert (cell.status, cell.expires_on) == by_course[course_id]
