"""Eligibility: every reason named, the organisation's policy deciding block or warn, overrides
audited, and "suggest volunteers" fairest first."""

import json
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select

from peerdesk.db.store import Store
from peerdesk.models import (
    Absence,
    AuditEvent,
    Course,
    DBSCheck,
    DBSLevel,
    Role,
    TrainingCompletion,
    UsualAvailability,
    Volunteer,
    VolunteerStatus,
    course_requirements,
)
from peerdesk.services.browse.calendar_choices import volunteer_choices
from peerdesk.services.compliance import DBSStatus
from peerdesk.services.dbs import dbs_rechecks_due
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.people import dbs_section
from peerdesk.services.rota import (
    NeedsOverride,
    NotEligible,
    Reason,
    ShiftDetail,
    assign,
    check_eligibility,
    create_shift,
    rota_policy,
    set_rota_policy,
    sign_up,
    suggest_volunteers,
)
from tests.rota_world import World, make_world, one_off

DAY = date(2026, 5, 12)  # a Tuesday
BEFORE = datetime(2026, 5, 1, 9, tzinfo=UTC)


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def shift(world: World, day: date = DAY, start: time = time(10), **extra: object) -> ShiftDetail:
    with world.store.session(world.coordinator) as s:
        return create_shift(s, world.coordinator, one_off(world, day, start, **extra))


def reasons(world: World, shift_id: uuid.UUID, who: uuid.UUID) -> dict[Reason, str]:
    with world.store.read() as s:
        found = check_eligibility(s, world.coordinator, shift_id, who)
    return {c.reason: c.sentence for c in found.concerns}


def only_check(world: World, who: uuid.UUID, issued_on: date | None, **extra: object) -> None:
    """Their DBS certificates replaced by one issued on `issued_on` (None: no check at all)."""
    with world.store.session(world.coordinator) as s:
        s.execute(delete(DBSCheck).where(DBSCheck.volunteer_id == who))
        if issued_on is not None:
            s.add(DBSCheck(volunteer_id=who, level=DBSLevel.ENHANCED, issued_on=issued_on,
                           **extra))  # fmt: skip


def test_someone_clear_has_no_concerns(world: World) -> None:
    assert reasons(world, shift(world).id, world.amara) == {}


def test_double_booked(world: World) -> None:
    first, second = shift(world), shift(world, start=time(11))
    with world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, first.id, world.amara)
    assert reasons(world, second.id, world.amara) == {
        Reason.DOUBLE_BOOKED: "They are already on a shift at 10:00 that day."
    }
    # Back to back is not a clash.
    assert reasons(world, shift(world, start=time(12)).id, world.amara) == {}


def test_away(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        s.add(Absence(volunteer_id=world.amara, starts_on=date(2026, 5, 10),
                      ends_on=date(2026, 5, 16)))  # fmt: skip
    assert reasons(world, shift(world).id, world.amara) == {
        Reason.AWAY: "They are away from 10 May 2026 to 16 May 2026."
    }


def test_not_active(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        s.get_one(Volunteer, world.amara).status = VolunteerStatus.PAUSED
    assert reasons(world, shift(world).id, world.amara) == {Reason.NOT_ACTIVE: "Amara is paused."}


def test_an_applicant_can_be_chosen_and_is_told_what_to_do(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        s.get_one(Volunteer, world.amara).status = VolunteerStatus.APPLICANT
        s.get_one(Volunteer, world.bea).status = VolunteerStatus.LEFT
    with world.store.read() as s:
        listed = [c.name for c in volunteer_choices(s, world.coordinator)]
    assert listed == ["Amara E.", "Cal E.", "Dev E."]  # everyone but the leaver
    assert reasons(world, shift(world).id, world.amara) == {
        Reason.NOT_ACTIVE: "Amara is still an applicant: make them active on their record first."
    }


def test_missing_role_only_when_the_last_place_would_leave_it_uncovered(world: World) -> None:
    needs = frozenset({world.facilitator})
    group = shift(world, required_role_ids=needs, min_volunteers=2, max_volunteers=2)
    missing = {
        Reason.MISSING_ROLE: "The shift needs a Group facilitator, nobody on it is one yet, "
        "and this is its last place."
    }
    assert reasons(world, group.id, world.amara) == {}  # room left for a facilitator
    with world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, group.id, world.amara)
    assert reasons(world, group.id, world.bea) == missing
    assert reasons(world, group.id, world.dev) == {}
    lone = shift(world, start=time(14), required_role_ids=needs, max_volunteers=1)
    assert reasons(world, lone.id, world.cal) == missing
    with world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, lone.id, world.dev)
    assert reasons(world, lone.id, world.cal) == {}  # over the maximum, but the role is there


def test_mandatory_training_expired_on_the_day_of_the_shift(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        course = Course(name="Safeguarding adults", validity_months=12, grace_days=0)
        s.add(course)
        s.flush()
        s.execute(course_requirements.insert().values(course_id=course.id,
                                                      role_id=world.supporter))  # fmt: skip
        s.add(TrainingCompletion(volunteer_id=world.amara, course_id=course.id,
                                 completed_on=date(2025, 5, 12)))  # fmt: skip
        s.add(TrainingCompletion(volunteer_id=world.bea, course_id=course.id,
                                 completed_on=date(2025, 5, 13)))  # fmt: skip
    assert reasons(world, shift(world).id, world.amara) == {
        Reason.TRAINING_EXPIRED: "Their mandatory training has expired: Safeguarding adults."
    }
    assert reasons(world, shift(world).id, world.bea) == {}  # its last valid day


def test_dbs_recheck_overdue(world: World) -> None:
    only_check(world, world.amara, date(2023, 5, 12))
    only_check(world, world.bea, date(2023, 5, 12), update_service=True)
    assert reasons(world, shift(world).id, world.amara) == {
        Reason.DBS_OVERDUE: "Their DBS recheck is overdue."
    }
    assert reasons(world, shift(world).id, world.bea) == {}


NO_CHECK = "No DBS check is recorded for Amara, and the Peer supporter role needs one."


def test_no_dbs_check_for_a_role_that_needs_one_is_a_concern_like_an_overdue_recheck(
    world: World,
) -> None:
    only_check(world, world.amara, None)
    only_check(world, world.dev, None)
    target = shift(world)
    assert reasons(world, target.id, world.amara) == {Reason.DBS_OVERDUE: NO_CHECK}
    assert reasons(world, target.id, world.dev) == {
        Reason.DBS_OVERDUE: "No DBS check is recorded for Dev, and the Group facilitator and "
        "Peer supporter roles need one."
    }
    with world.store.session(world.coordinator) as s:
        s.get_one(Role, world.supporter).needs_dbs = False
    assert reasons(world, target.id, world.amara) == {}  # no role of theirs needs one


def test_no_dbs_check_is_never_suggested(world: World) -> None:
    only_check(world, world.amara, None)
    target = shift(world)
    with world.store.read() as s:
        found = suggest_volunteers(s, world.coordinator, target.id, BEFORE)
    assert sorted(f.name for f in found) == ["Bea", "Cal", "Dev"]


@pytest.mark.parametrize("blocks", [False, True])
def test_no_dbs_check_warns_or_blocks_as_the_policy_says_for_an_overdue_recheck(
    world: World, blocks: bool
) -> None:
    only_check(world, world.amara, None)
    only_check(world, world.bea, date(2020, 1, 1))
    with world.store.session(world.coordinator) as s:
        set_rota_policy(s, world.coordinator, {Reason.DBS_OVERDUE} if blocks else set())
    target = shift(world, max_volunteers=3)
    refused = NotEligible if blocks else NeedsOverride
    for who, said in ((world.amara, NO_CHECK), (world.bea, "Their DBS recheck is overdue.")):
        with (
            pytest.raises(refused, match=re.escape(said)),
            world.store.session(world.coordinator) as s,
        ):
            assign(s, world.coordinator, target.id, who, override=blocks)


def test_no_dbs_check_is_the_same_on_the_rota_today_and_in_the_report(world: World) -> None:
    only_check(world, world.amara, None)
    only_check(world, world.bea, date(2020, 1, 1))
    everyone = {world.amara, world.bea, world.cal, world.dev}
    with world.store.read() as s:
        due = {r.volunteer: r.status for r in dbs_rechecks_due(s, world.coordinator, DAY)}
        table = dbs_section(s, DAY, everyone, 1).tables[0].table
    assert due == {"Amara": DBSStatus.NONE, "Bea": DBSStatus.RECHECK_OVERDUE}
    counts = {label: shown[0].value for label, shown in table.rows}
    assert counts == {"DBS in place": 2, "Recheck overdue": 1, "No DBS check": 1, "Total": 4}
    for who in (world.amara, world.bea):
        assert Reason.DBS_OVERDUE in reasons(world, shift(world).id, who)
    assert reasons(world, shift(world).id, world.cal) == {}


def test_a_blocking_reason_stops_the_assignment_naming_it(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        s.get_one(Volunteer, world.amara).status = VolunteerStatus.PAUSED
    target = shift(world)
    refused = pytest.raises(
        NotEligible, match=r"^Amara cannot go on this shift: Amara is paused\.$"
    )
    with refused, world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, target.id, world.amara, override=True)


def test_a_warning_needs_an_override_which_is_audited(world: World) -> None:
    only_check(world, world.amara, date(2020, 1, 1))
    target = shift(world)
    needs = pytest.raises(NeedsOverride, match="DBS recheck is overdue")
    with needs as asked, world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, target.id, world.amara)
    assert asked.value.reasons == ("dbs_overdue",)
    with world.store.session(world.coordinator) as s:
        after = assign(s, world.coordinator, target.id, world.amara, override=True)
    assert [p.name for p in after.people] == ["Amara"] and after.staffing == "filled"
    with world.store.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "rota_override")).one()
    assert event.user_id == world.coordinator.user_id
    assert json.loads(event.changes or "{}") == {"reasons": ["dbs_overdue"]}


def test_the_organisation_decides_which_reasons_block(world: World) -> None:
    with world.store.read() as s:
        assert Reason.AWAY in rota_policy(s, world.coordinator).blocking
    with world.store.session(world.coordinator) as s:
        s.add(Absence(volunteer_id=world.amara, starts_on=DAY, ends_on=DAY))
        set_rota_policy(s, world.coordinator, {Reason.DBS_OVERDUE})
    target = shift(world)
    with pytest.raises(NeedsOverride, match="away"), world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, target.id, world.amara)
    with world.store.read() as s:
        assert rota_policy(s, world.amara_actor).blocking == {Reason.DBS_OVERDUE}
    with pytest.raises(PermissionDenied), world.store.session(world.amara_actor) as s:
        set_rota_policy(s, world.amara_actor, set())


def test_a_volunteer_signing_up_is_stopped_by_any_reason(world: World) -> None:
    only_check(world, world.amara, date(2020, 1, 1))
    target = shift(world)
    with (
        pytest.raises(NotEligible, match="Ask a coordinator"),
        world.store.session(world.amara_actor) as s,
    ):
        sign_up(s, world.amara_actor, target.id, BEFORE)
    with world.store.session(world.bea_actor) as s:
        done = sign_up(s, world.bea_actor, target.id, BEFORE)
    assert [(p.name, p.status.value) for p in done.people] == [("Bea", "confirmed")]


def test_suggestions_are_the_clear_and_available_fairest_first(world: World) -> None:
    # Cal did two shifts lately, Bea one, Dev none; Amara is away; Dev gave usual times that
    # miss Tuesdays, Bea's cover Tuesday mornings, Cal gave none.
    target = shift(world)
    for n, who in enumerate((world.cal, world.cal, world.bea)):
        with world.store.session(world.coordinator) as s:
            done = create_shift(s, world.coordinator,
                                one_off(world, DAY - timedelta(days=7 + n), time(18)))  # fmt: skip
            assign(s, world.coordinator, done.id, who)
    with world.store.session(world.coordinator) as s:
        s.add(Absence(volunteer_id=world.amara, starts_on=DAY, ends_on=DAY))
        s.add(UsualAvailability(volunteer_id=world.dev, weekday=3, starts_at=time(9),
                                ends_at=time(17)))  # fmt: skip
        s.add(UsualAvailability(volunteer_id=world.bea, weekday=1, starts_at=time(9),
                                ends_at=time(13)))  # fmt: skip
    now = datetime(2026, 5, 11, 9, tzinfo=UTC)
    with world.store.read() as s:
        found = suggest_volunteers(s, world.coordinator, target.id, now)
    assert [(f.name, f.recent_shifts, f.usually_available) for f in found] == [
        ("Bea", 1, True),
        ("Cal", 2, None),
    ]
    with pytest.raises(PermissionDenied), world.store.read() as s:
        suggest_volunteers(s, world.amara_actor, target.id, now)
