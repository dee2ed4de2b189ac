"""The read-only lists and Today figures, over rows inserted into a fresh store."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.models import (
    ActionStatus,
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    ConcernCategory,
    ConcernStatus,
    Course,
    FollowUp,
    FollowUpKind,
    Organisation,
    ReportExport,
    ReportKind,
    ReportSignOff,
    Role,
    SafeguardingConcern,
    SessionLog,
    SessionMode,
    Shift,
    ShiftStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    TrainingCompletion,
    User,
    UserRole,
    Venue,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
)
from peerdesk.services import browse
from peerdesk.services.browse import PageQuery
from peerdesk.services.permissions import Actor

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SECRET = "confidential wellbeing words"


def _volunteers(s: Session) -> list[Volunteer]:
    peer, lead = Role(name="Peer supporter"), Role(name="Group facilitator")
    people = [
        Volunteer(
            preferred_name="Sam",
            first_name="Samira",
            last_name="Khan",
            status=VolunteerStatus.ACTIVE,
            started_on=date(2024, 3, 1),
            email="sam@example.org",
        ),
        Volunteer(
            preferred_name="alex",
            last_name="Jones",
            status=VolunteerStatus.ACTIVE,
            started_on=date(2025, 1, 5),
        ),
        Volunteer(preferred_name="Bea", status=VolunteerStatus.APPLICANT, phone="0161 000"),
    ]
    s.add_all([peer, lead, *people])
    s.flush()
    s.add_all(
        [
            VolunteerRole(volunteer_id=people[0].id, role_id=peer.id),
            VolunteerRole(volunteer_id=people[0].id, role_id=lead.id),
        ]
    )
    return people


def _rota(s: Session, people: list[Volunteer]) -> tuple[Activity, Venue]:
    group = Activity(name="Drop-in group", kind=ActivityKind.GROUP)
    hall = Venue(name="Church hall")
    s.add_all([group, hall])
    s.flush()
    # tomorrow: two filled of min 2 (filled); day after: one of min 2 (short); then none (unfilled)
    for days, on in ((1, 2), (2, 1), (3, 0)):
        start = NOON + timedelta(days=days)
        shift = Shift(
            activity_id=group.id,
            venue_id=hall.id,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            min_volunteers=2,
            max_volunteers=3,
        )
        s.add(shift)
        s.flush()
        for person in people[:on]:
            s.add(
                Assignment(
                    shift_id=shift.id, volunteer_id=person.id, status=AssignmentStatus.CONFIRMED
                )
            )
    start = NOON + timedelta(days=4)
    s.add(
        Shift(
            activity_id=group.id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=ShiftStatus.CANCELLED,
        )
    )
    return group, hall


def _sessions(s: Session, people: list[Volunteer], group: Activity) -> None:
    for days, count in ((2, 7), (10, 3), (45, 9)):
        start = NOON - timedelta(days=days)
        s.add(
            SessionLog(
                volunteer_id=people[days % 2].id,
                activity_id=group.id,
                mode=SessionMode.IN_PERSON,
                started_at=start,
                ended_at=start + timedelta(hours=1),
                attendees=count,
                new_attendees=1,
                notes=SECRET,
            )
        )


def _supervision(s: Session, people: list[Volunteer]) -> None:
    lead = User(username="jo", display_name="Jo Supervisor", role=UserRole.SUPERVISOR)
    s.add(lead)
    s.flush()
    held = SupervisionSession(
        kind=SupervisionKind.GROUP,
        held_on=date(2026, 11, 1),
        duration_minutes=60,
        supervisor_user_id=lead.id,
    )
    s.add(held)
    s.flush()
    for person, came in ((people[0], True), (people[1], True), (people[2], False)):
        s.add(
            SupervisionAttendee(
                session_id=held.id, volunteer_id=person.id, attended=came, wellbeing_check=SECRET
            )
        )
    s.add(SupervisionNote(session_id=held.id, author_user_id=lead.id, body=SECRET))
    s.add_all(
        [
            SupervisionAction(
                session_id=held.id,
                volunteer_id=people[0].id,
                description="Read",
                due_on=TODAY - timedelta(days=1),
            ),
            SupervisionAction(
                session_id=held.id,
                volunteer_id=people[1].id,
                description="Call",
                due_on=TODAY + timedelta(days=5),
            ),
            SupervisionAction(
                session_id=held.id,
                volunteer_id=people[1].id,
                description="Done",
                due_on=TODAY - timedelta(days=9),
                status=ActionStatus.DONE,
                done_on=TODAY,
            ),
        ]
    )
    report = ReportExport(
        report_code="GOV-2026-1",
        kind=ReportKind.GOVERNANCE,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        exported_by_user_id=lead.id,
        figures_sha256="a" * 64,
        file_sha256="b" * 64,
    )
    s.add(report)
    s.flush()
    s.add(ReportSignOff(report_export_id=report.id, signer_name="Trustee", signed_on=TODAY))


def _training_and_concerns(s: Session, people: list[Volunteer]) -> None:
    first_aid, induction = Course(name="First aid", validity_months=36), Course(name="Induction")
    s.add_all([first_aid, induction])
    s.flush()
    role = s.query(Role).filter_by(name="Peer supporter").one()
    s.execute(course_requirements.insert().values(course_id=induction.id, role_id=role.id))
    for person in people:
        s.add(
            TrainingCompletion(
                volunteer_id=person.id, course_id=induction.id, completed_on=date(2025, 2, 1)
            )
        )
    s.add(
        TrainingCompletion(
            volunteer_id=people[0].id, course_id=first_aid.id, completed_on=date(2026, 6, 3)
        )
    )
    for status in (ConcernStatus.OPEN, ConcernStatus.ESCALATED):
        s.add(
            SafeguardingConcern(
                occurred_at=NOON,
                category=ConcernCategory.OTHER,
                what_happened=SECRET,
                status=status,
            )
        )
    log = s.query(SessionLog).first()
    assert log is not None
    s.add(FollowUp(kind=FollowUpKind.DEBRIEF, volunteer_id=people[0].id, session_log_id=log.id))


# Every list as a coordinator sees it; what other roles see is in test_permissions.
BOSS = Actor(None, "boss", "Boss", UserRole.COORDINATOR)


@pytest.fixture
def filled(store: Store) -> Store:
    with store.session() as s:
        s.add(Organisation(name="Riverside Peer Support"))
        people = _volunteers(s)
        group, _ = _rota(s, people)
        _sessions(s, people, group)
        _supervision(s, people)
        _training_and_concerns(s, people)
    return store


def test_volunteers_sorted_by_name_ignoring_case_with_roles(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.volunteers_page(s, BOSS)
    assert [r.preferred_name for r in rows] == ["alex", "Bea", "Sam"]
    sam = rows[2]
    assert sam.roles == ("Group facilitator", "Peer supporter")
    assert sam.full_name == "Samira Khan"
    assert sam.status is VolunteerStatus.ACTIVE
    assert rows[0].roles == ()


def test_volunteer_filter_sort_and_paging(filled: Store) -> None:
    with filled.read() as s:
        assert [
            r.preferred_name for r in browse.volunteers_page(s, BOSS, PageQuery(text="KHAN"))
        ] == ["Sam"]
        # Emails are sealed (docs/keys.md): the filter searches names, roles and status only.
        assert browse.count_volunteers(s, BOSS, "example.org") == 0
        assert browse.count_volunteers(s, BOSS) == 3
        newest = browse.volunteers_page(
            s, BOSS, PageQuery(sort="started", descending=True, limit=1)
        )
        second = browse.volunteers_page(
            s, BOSS, PageQuery(sort="started", descending=True, offset=1)
        )
    assert [r.preferred_name for r in newest] == ["alex"]
    assert [r.preferred_name for r in second] == ["Sam", "Bea"]


def test_a_like_wildcard_in_the_filter_is_taken_literally(filled: Store) -> None:
    with filled.read() as s:
        assert browse.count_volunteers(s, BOSS, "%") == 0
        assert browse.count_volunteers(s, BOSS, "_") == 0


def test_unknown_sort_is_refused(filled: Store) -> None:
    with filled.read() as s, pytest.raises(ValueError, match="allowed"):
        browse.volunteers_page(s, BOSS, PageQuery(sort="password"))


def test_shifts_show_local_time_and_staffing(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.shifts_page(s, BOSS)
        assert browse.count_shifts(s, BOSS, "church") == 3
        assert browse.count_shifts(s, BOSS, since=NOON + timedelta(days=2)) == 3
    assert [r.staffing for r in rows] == ["filled", "short", "unfilled", "cancelled"]
    first = rows[0]
    # 12:00 UTC in late November is 12:00 in London (GMT).
    assert (first.day, first.starts, first.ends) == (date(2026, 11, 27), time(12), time(14))
    assert (first.venue, first.activity, first.filled) == ("Church hall", "Drop-in group", 2)
    assert rows[3].venue is None


@pytest.mark.parametrize(
    ("filled", "least", "most", "word"),
    [
        (0, 1, 2, "unfilled"),
        (1, 2, 2, "short"),
        (2, 2, 2, "filled"),
        (3, 1, 2, "over"),
        (0, 0, 1, "filled"),
    ],
)
def test_staffing_words(filled: int, least: int, most: int, word: str) -> None:
    assert browse.staffing_word(filled, least, most) == word


def test_shift_sorts_by_venue(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.shifts_page(s, BOSS, PageQuery(sort="venue"))
    assert rows[0].venue is None  # no venue sorts first


@pytest.mark.parametrize("descending", [False, True])
def test_shifts_by_venue_page_across_those_without_one(filled: Store, descending: bool) -> None:
    """Shifts with no venue and those with one are read as two lists: pages of every size,
    starting anywhere, join them without a gap or a repeat, in the order of the whole list."""
    with filled.session() as s:
        annex = Venue(name="Annex")
        s.add(annex)
        s.flush()
        group = s.query(Activity).one()
        for days in (5, 6):
            start = NOON + timedelta(days=days)
            s.add(Shift(activity_id=group.id, venue_id=annex.id, starts_at=start,
                        ends_at=start + timedelta(hours=1)))  # fmt: skip
            s.add(Shift(activity_id=group.id, starts_at=start, ends_at=start + timedelta(hours=1)))
    with filled.read() as s:
        whole = browse.shifts_page(s, BOSS, PageQuery(sort="venue", descending=descending))
        key = [(r.venue or "", r.day, r.starts) for r in whole]
        assert key == sorted(key, reverse=descending) and len(whole) == 8
        for size in (1, 2, 3, 5):
            pages = [
                browse.shifts_page(
                    s, BOSS, PageQuery(offset=at, limit=size, sort="venue", descending=descending)
                )
                for at in range(0, 9, size)
            ]
            assert [r.id for p in pages for r in p] == [r.id for r in whole]
        annex_only = browse.shifts_page(s, BOSS, PageQuery(sort="venue", text="annex"))
    assert [r.venue for r in annex_only] == ["Annex", "Annex"]


def test_session_logs_newest_first_without_notes(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.session_logs_page(s, BOSS, PageQuery(descending=True))
        assert browse.count_session_logs(s, BOSS, "alex") == 1
    assert [r.attendees for r in rows] == [7, 3, 9]
    assert rows[0].volunteer == "Sam" and rows[0].activity == "Drop-in group"
    assert SECRET not in repr(rows)


def test_supervision_counts_attended_supervisees_and_hides_notes(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.supervision_page(s, BOSS)
        assert browse.count_supervision(s, BOSS, "jo") == 1
        assert browse.count_supervision(s, BOSS, "nobody") == 0
    assert len(rows) == 1
    row = rows[0]
    assert (row.kind, row.supervisor, row.supervisees) == (
        SupervisionKind.GROUP,
        "Jo Supervisor",
        2,
    )
    assert SECRET not in repr(dataclasses.asdict(row))


def test_courses_with_completions(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.courses_page(s, BOSS, PageQuery(sort="completions", descending=True))
    assert [(r.name, r.completions) for r in rows] == [("Induction", 3), ("First aid", 1)]
    assert rows[0].required_for == ("Peer supporter",)
    assert rows[1].last_completed == date(2026, 6, 3)


def test_reports_exported_with_sign_off(filled: Store) -> None:
    with filled.read() as s:
        rows = browse.reports_page(s, BOSS)
        assert browse.count_reports(s, BOSS, "gov") == 1
    assert rows[0].report_code == "GOV-2026-1"
    assert rows[0].exported_by == "Jo Supervisor"
    assert rows[0].signed_off is True


def test_today_summary_has_real_figures(filled: Store) -> None:
    with filled.read() as s:
        summary = browse.today_summary(s, BOSS, TODAY)
    assert summary == browse.TodaySummary(
        active_volunteers=2,
        shifts_ahead=3,
        shifts_needing_cover=2,
        open_concerns=2,
        overdue_actions=1,
        debriefs_waiting=1,
        sessions_last_30_days=2,
        people_reached_last_30_days=10,
    )


def test_empty_store_lists_nothing(store: Store) -> None:
    with store.read() as s:
        assert browse.volunteers_page(s, BOSS) == []
        assert browse.shifts_page(s, BOSS) == []
        assert browse.today_summary(s, BOSS, TODAY).active_volunteers == 0


def test_volunteer_filter_finds_roles_and_statuses_as_you_type(filled: Store) -> None:
    def names(text: str) -> list[str]:
        with filled.read() as s:
            return sorted(
                r.preferred_name for r in browse.volunteers_page(s, BOSS, PageQuery(text=text))
            )

    assert names("facilitator") == ["Sam"]
    assert names("applic") == ["Bea"]
    assert names("act") == ["Sam", "alex"]
    assert names("zzz") == []


def test_every_volunteer_column_sorts_and_hidden_ones_do_not_leak(filled: Store) -> None:
    volunteer = Actor(None, "v", "V", UserRole.VOLUNTEER)
    with filled.read() as s:
        for sort in ("name", "full_name", "roles", "status", "started"):
            assert len(browse.volunteers_page(s, BOSS, PageQuery(sort=sort))) == 3
        by_roles = browse.volunteers_page(s, BOSS, PageQuery(sort="roles", descending=True))
        assert by_roles[0].preferred_name == "Sam"  # the only one with roles
        # Email and phone are sealed: no one, not even a coordinator, sorts by them in SQL.
        for sort in ("email", "phone"):
            for who in (BOSS, volunteer):
                with pytest.raises(ValueError, match="unknown sort"):
                    browse.volunteers_page(s, who, PageQuery(sort=sort))
