"""Who sees what, for each role, calling the services directly (the window only hides what the
services already refuse)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    Organisation,
    SessionCoVolunteer,
    SessionLog,
    SessionMode,
    Shift,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionPairing,
    SupervisionSession,
    User,
    UserRole,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services import audit_view, browse
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.reporting.figures import Period, governance_figures

START = datetime(2026, 11, 2, 10, tzinfo=UTC)


@dataclass
class Group:
    store: Store
    coordinator: Actor
    supervisor: Actor
    volunteer: Actor
    trustee: Actor


def _person(s: object, name: str) -> Volunteer:
    v = Volunteer(
        preferred_name=name,
        email=f"{name.lower()}@example.org",
        phone="07700 900111",
        status=VolunteerStatus.ACTIVE,
        started_on=date(2025, 1, 6),
    )
    s.add(v)  # type: ignore[attr-defined]
    return v


def _user(s: object, name: str, role: UserRole, volunteer: Volunteer | None) -> Actor:
    u = User(
        username=name,
        display_name=name.title(),
        role=role,
        volunteer_id=volunteer.id if volunteer else None,
    )
    s.add(u)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return Actor(u.id, u.username, u.display_name, role, u.volunteer_id)


@pytest.fixture
def group(store: Store) -> Group:
    """Amara is the volunteer's own record, Bea the supervisor's supervisee, Cal someone else,
    Sol the supervisor's own record."""
    with store.session() as s:
        s.add(Organisation(name="Group"))
        amara, bea, cal, sol = (_person(s, n) for n in ("Amara", "Bea", "Cal", "Sol"))
        act = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(act)
        s.flush()
        coordinator = _user(s, "coord", UserRole.COORDINATOR, None)
        supervisor = _user(s, "sup", UserRole.SUPERVISOR, sol)
        volunteer = _user(s, "vol", UserRole.VOLUNTEER, amara)
        trustee = _user(s, "trust", UserRole.TRUSTEE, None)
        s.add(
            SupervisionPairing(
                supervisor_user_id=supervisor.user_id,
                volunteer_id=bea.id,
                since_on=date(2025, 1, 1),
            )
        )
        s.add(Shift(activity_id=act.id, starts_at=START, ends_at=START + timedelta(hours=2)))
        logs = {}
        for i, who in enumerate((amara, bea, cal, sol)):
            log = SessionLog(
                volunteer_id=who.id,
                activity_id=act.id,
                mode=SessionMode.IN_PERSON,
                started_at=START - timedelta(days=i + 1),
                ended_at=START - timedelta(days=i + 1) + timedelta(hours=1),
                attendees=6,
                new_attendees=1,
            )
            s.add(log)
            logs[who.preferred_name] = log
        s.flush()
        s.add(SessionCoVolunteer(session_log_id=logs["Cal"].id, volunteer_id=amara.id))
        for leader, attendee, day in (
            (supervisor, bea, 1),
            (coordinator, cal, 2),
            (coordinator, amara, 3),
        ):
            sup = SupervisionSession(
                kind=SupervisionKind.ONE_TO_ONE,
                held_on=date(2026, 10, day),
                duration_minutes=60,
                supervisor_user_id=leader.user_id,
            )
            s.add(sup)
            s.flush()
            s.add(SupervisionAttendee(session_id=sup.id, volunteer_id=attendee.id))
    return Group(store, coordinator, supervisor, volunteer, trustee)


def names(group: Group, actor: Actor) -> list[str]:
    with group.store.read() as s:
        return sorted(r.preferred_name for r in browse.volunteers_page(s, actor))


def test_volunteer_list_coordinator_sees_everyone(group: Group) -> None:
    assert names(group, group.coordinator) == ["Amara", "Bea", "Cal", "Sol"]


def test_volunteer_list_supervisor_sees_self_and_supervisees(group: Group) -> None:
    assert names(group, group.supervisor) == ["Bea", "Sol"]


def test_volunteer_list_volunteer_sees_only_themself(group: Group) -> None:
    assert names(group, group.volunteer) == ["Amara"]


def test_volunteer_list_trustee_sees_no_one(group: Group) -> None:
    with pytest.raises(PermissionDenied, match="trustee"):
        names(group, group.trustee)


def contacts(group: Group, actor: Actor) -> dict[str, str | None]:
    with group.store.read() as s:
        return {r.preferred_name: r.email for r in browse.volunteers_page(s, actor)}


def test_contact_details_coordinator_sees_all(group: Group) -> None:
    assert all(contacts(group, group.coordinator).values())


def test_contact_details_supervisor_sees_only_their_own(group: Group) -> None:
    assert contacts(group, group.supervisor) == {"Bea": None, "Sol": "sol@example.org"}


def test_contact_details_volunteer_sees_their_own(group: Group) -> None:
    assert contacts(group, group.volunteer) == {"Amara": "amara@example.org"}


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "volunteer", "trustee"])
def test_everyone_sees_the_rota_without_names(group: Group, role: str) -> None:
    with group.store.read() as s:
        rows = browse.shifts_page(s, getattr(group, role))
    assert len(rows) == 1 and rows[0].activity == "Drop-in"


def logged_by(group: Group, actor: Actor) -> list[str]:
    with group.store.read() as s:
        return sorted(r.volunteer for r in browse.session_logs_page(s, actor))


def test_session_logs_coordinator_sees_all(group: Group) -> None:
    assert logged_by(group, group.coordinator) == ["Amara", "Bea", "Cal", "Sol"]


def test_session_logs_supervisor_sees_own_and_supervisees(group: Group) -> None:
    assert logged_by(group, group.supervisor) == ["Bea", "Sol"]


def test_session_logs_volunteer_sees_own_and_co_delivered(group: Group) -> None:
    assert logged_by(group, group.volunteer) == ["Amara", "Cal"]


def test_session_logs_trustee_is_refused(group: Group) -> None:
    with pytest.raises(PermissionDenied):
        logged_by(group, group.trustee)


def supervision_days(group: Group, actor: Actor) -> list[int]:
    with group.store.read() as s:
        return sorted(r.held_on.day for r in browse.supervision_page(s, actor))


def test_supervision_coordinator_sees_all(group: Group) -> None:
    assert supervision_days(group, group.coordinator) == [1, 2, 3]


def test_supervision_supervisor_sees_their_supervisees(group: Group) -> None:
    assert supervision_days(group, group.supervisor) == [1]


def test_supervision_volunteer_sees_their_own(group: Group) -> None:
    assert supervision_days(group, group.volunteer) == [3]


def test_supervision_trustee_is_refused(group: Group) -> None:
    with pytest.raises(PermissionDenied):
        supervision_days(group, group.trustee)


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_safeguarding_and_follow_up_counts_are_for_coordinators(group: Group, role: str) -> None:
    with group.store.read() as s:
        theirs = browse.today_summary(s, getattr(group, role), date(2026, 11, 2))
        coordinators = browse.today_summary(s, group.coordinator, date(2026, 11, 2))
    assert (theirs.open_concerns, theirs.overdue_actions, theirs.debriefs_waiting) == (
        None,
        None,
        None,
    )
    assert coordinators.open_concerns == 0
    assert theirs.active_volunteers == coordinators.active_volunteers == 4


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "volunteer", "trustee"])
def test_everyone_sees_the_course_catalogue_and_reports(group: Group, role: str) -> None:
    with group.store.read() as s:
        assert browse.courses_page(s, getattr(group, role)) == []
        assert browse.reports_page(s, getattr(group, role)) == []


@pytest.mark.parametrize("role", ["supervisor", "volunteer", "trustee"])
def test_the_audit_trail_is_for_coordinators(group: Group, role: str) -> None:
    with group.store.read() as s:
        assert audit_view.count_audit(s, group.coordinator, audit_view.AuditFilter()) > 0
        with pytest.raises(PermissionDenied):
            audit_view.audit_page(s, getattr(group, role), audit_view.AuditFilter())


@pytest.mark.parametrize(
    ("role", "sees"),
    [("coordinator", True), ("supervisor", False), ("volunteer", False), ("trustee", True)],
)
def test_the_groups_figures_are_for_coordinators_and_trustees(
    group: Group, role: str, sees: bool
) -> None:
    actor = getattr(group, role)
    period = Period(START.date() - timedelta(days=90), START.date())
    with group.store.read() as s:
        if sees:
            assert governance_figures(s, actor, period).organisation == "Group"
        else:
            with pytest.raises(PermissionDenied, match=r"cannot see the group's figures\."):
                governance_figures(s, actor, period)
