"""Each invented volunteer's journey, planned before any row is written: when they applied, went
through induction, started on probation, became active, paused, and perhaps left and why.

Later stages read these plans to decide who can be on a shift, who is supervised and when, and
whose training and DBS checks fall due, so the whole demo tells one consistent story.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from peerdesk.demo.context import DemoContext
from peerdesk.demo.names import Person, invent_people
from peerdesk.demo.organisation import COORDINATOR, FACILITATOR, PEER_SUPPORTER, WALK_BUDDY
from peerdesk.models import VolunteerStatus

PROBATION = timedelta(weeks=12)
NO_ID = uuid.UUID(int=0)

LEFT_IN_INDUCTION = (
    "Decided peer support volunteering was not right for them just now",
    "Could not make the induction dates work",
)
LEFT_IN_PROBATION = (
    "Found the shifts hard to fit around work",
    "Focusing on their own wellbeing for now",
)
LEFT_LATER = (
    "Moved away from the area",
    "Started a full-time course",
    "Caring responsibilities at home",
    "Found paid work in peer support",
    "Focusing on their own wellbeing for now",
    "Took a role with the host charity",
    "Retired from volunteering after many years",
    "No reason given",
)


@dataclass
class VolunteerPlan:
    person: Person
    roles: tuple[str, ...]
    applied_on: date
    induction_on: date | None = None
    started_on: date | None = None  # first day on the rota (probation)
    active_on: date | None = None
    left_on: date | None = None
    leaving_reason: str | None = None
    status: VolunteerStatus = VolunteerStatus.APPLICANT
    pauses: list[tuple[date, date | None]] = field(default_factory=list)  # [start, end)
    absences: list[tuple[date, date]] = field(default_factory=list)  # inclusive
    never_supervised: bool = False  # an active volunteer whose first supervision never happened
    supervision_lapsed: bool = False  # an active volunteer now overdue for supervision
    dbs_recheck_missed: bool = False  # a long-serving volunteer whose DBS recheck is overdue
    id: uuid.UUID = NO_ID  # set when the volunteer's row is made

    def on_rota(self, day: date) -> bool:
        """Could be given a shift on `day`: started, not left, not paused, not away."""
        if self.started_on is None or day < self.started_on:
            return False
        if self.left_on is not None and day >= self.left_on:
            return False
        if any(start <= day and (end is None or day < end) for start, end in self.pauses):
            return False
        return not any(start <= day <= end for start, end in self.absences)

    def rota_until(self, today: date) -> date:
        """The day after the last day they could be on the rota (today for people still here)."""
        return self.left_on or today

    def cadence_weeks(self, cadence: dict[str, int | None]) -> int | None:
        weeks = [w for role in self.roles if (w := cadence.get(role)) is not None]
        return min(weeks) if weeks else None


def choose_roles(rng: random.Random) -> tuple[str, ...]:
    roles = [PEER_SUPPORTER] if rng.random() < 0.8 else []
    if rng.random() < 0.3:
        roles.append(FACILITATOR)
    if rng.random() < 0.2:
        roles.append(WALK_BUDDY)
    return tuple(roles) or (PEER_SUPPORTER,)


def days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def through_induction(rng: random.Random, plan: VolunteerPlan, started: date) -> None:
    """Fill in the steps up to a probation start on `started`."""
    plan.induction_on = started - days(rng, 21, 42)
    plan.applied_on = plan.induction_on - days(rng, 14, 35)
    plan.started_on = started
    plan.status = VolunteerStatus.PROBATION


def become_active(plan: VolunteerPlan, rng: random.Random) -> None:
    assert plan.started_on is not None
    plan.active_on = plan.started_on + PROBATION + days(rng, 0, 14)
    plan.status = VolunteerStatus.ACTIVE


def current_statuses(on_books: int) -> list[VolunteerStatus]:
    """How the volunteers still with the group are spread across statuses today."""
    counts = {
        VolunteerStatus.APPLICANT: max(1, on_books // 20),
        VolunteerStatus.INDUCTION: max(1, on_books // 20),
        VolunteerStatus.PROBATION: max(2, on_books // 14),
        VolunteerStatus.PAUSED: max(1, on_books // 17),
    }
    active = on_books - sum(counts.values())
    return [s for s, n in counts.items() for _ in range(n)] + [VolunteerStatus.ACTIVE] * active


def plan_current(
    ctx: DemoContext, rng: random.Random, person: Person, status: VolunteerStatus
) -> VolunteerPlan:
    today = ctx.today
    plan = VolunteerPlan(person, choose_roles(rng), today - days(rng, 1, 20))
    if status is VolunteerStatus.INDUCTION:
        plan.induction_on = today - days(rng, 1, 25)
        plan.applied_on = plan.induction_on - days(rng, 14, 35)
        plan.status = status
    elif status is VolunteerStatus.PROBATION:
        through_induction(rng, plan, today - days(rng, 7, 80))
    elif status in (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED):
        longest = (today - ctx.history_start).days + 365
        tenure = min(longest, 100 + int(rng.expovariate(1 / (longest / 3))))
        through_induction(rng, plan, today - timedelta(days=tenure))
        become_active(plan, rng)
        if status is VolunteerStatus.PAUSED:
            assert plan.active_on is not None
            paused = max(plan.active_on + timedelta(days=7), today - days(rng, 14, 120))
            plan.pauses.append((min(paused, today - timedelta(days=1)), None))
            plan.status = status
    return plan


def plan_leaver(ctx: DemoContext, rng: random.Random, person: Person) -> VolunteerPlan:
    """Someone who has left: in induction, on probation, or after months or years."""
    for _ in range(20):
        plan = draft_leaver(ctx, rng, person)
        assert plan.left_on is not None
        if ctx.history_start <= plan.left_on <= ctx.today - timedelta(days=3):
            return plan
    plan.left_on = ctx.today - days(rng, 3, 30)
    return plan


def draft_leaver(ctx: DemoContext, rng: random.Random, person: Person) -> VolunteerPlan:
    # Some started before the history begins: the founders of the group.
    earliest = ctx.history_start - timedelta(days=365 if ctx.size == "small" else 730)
    span = (ctx.today - timedelta(days=60) - earliest).days
    plan = VolunteerPlan(person, choose_roles(rng), earliest + days(rng, 0, span))
    phase = rng.random()
    if phase < 0.1:
        plan.induction_on = plan.applied_on + days(rng, 14, 35)
        plan.left_on = plan.induction_on + days(rng, 7, 40)
        plan.leaving_reason = rng.choice(LEFT_IN_INDUCTION)
    elif phase < 0.25:
        through_induction(rng, plan, plan.applied_on + days(rng, 60, 100))
        assert plan.started_on is not None
        plan.left_on = plan.started_on + days(rng, 14, 80)
        plan.leaving_reason = rng.choice(LEFT_IN_PROBATION)
    else:
        through_induction(rng, plan, plan.applied_on + days(rng, 60, 100))
        become_active(plan, rng)
        assert plan.active_on is not None
        mean = 250 if ctx.size == "small" else 900
        plan.left_on = plan.active_on + timedelta(days=30 + int(rng.expovariate(1 / mean)))
        plan.leaving_reason = rng.choice(LEFT_LATER)
    plan.status = VolunteerStatus.LEFT
    return plan


def add_past_pause(rng: random.Random, plan: VolunteerPlan, today: date) -> None:
    """A break of one to four months some time after becoming active, long since over."""
    if plan.active_on is None:
        return
    # Before any current pause, so two breaks never overlap.
    limit = plan.pauses[0][0] if plan.pauses else plan.rota_until(today)
    available = (limit - plan.active_on).days
    if available < 200 or rng.random() > 0.12:
        return
    start = plan.active_on + days(rng, 20, available - 150)
    plan.pauses.insert(0, (start, start + days(rng, 30, 120)))


def add_absences(rng: random.Random, plan: VolunteerPlan, today: date) -> None:
    """Holidays and breaks: one in the past for many, an upcoming one for some still here."""
    if plan.started_on is None:
        return
    end = plan.rota_until(today)
    span = (end - plan.started_on).days - 20
    if span > 30 and rng.random() < 0.6:
        start = plan.started_on + days(rng, 10, span)
        plan.absences.append((start, start + days(rng, 6, 13)))
    if plan.left_on is None and rng.random() < 0.35:
        start = today + days(rng, 3, 25)
        plan.absences.append((start, start + days(rng, 3, 13)))


def plan_volunteers(ctx: DemoContext, rng: random.Random) -> list[VolunteerPlan]:
    """Everyone who ever applied, earliest application first."""
    scale = ctx.scale
    people = invent_people(rng, scale.volunteers, distinct=scale.on_books)
    statuses = current_statuses(scale.on_books)
    here = [plan_current(ctx, rng, p, s) for p, s in zip(people, statuses, strict=False)]
    leavers = [plan_leaver(ctx, rng, p) for p in people[len(here) :]]
    actives = [p for p in here if p.status is VolunteerStatus.ACTIVE]
    appoint_coordinators(actives, leavers, ctx.size)
    mark_gaps_to_notice(ctx, rng, actives)
    ensure_facilitators(actives, max(3, scale.on_books // 6))
    plans = here + leavers
    for plan in plans:
        add_past_pause(rng, plan, ctx.today)
        add_absences(rng, plan, ctx.today)
    plans.sort(key=lambda p: (p.applied_on, p.person.last_name, p.person.first_name))
    return plans


def appoint_coordinators(
    actives: list[VolunteerPlan], leavers: list[VolunteerPlan], size: str
) -> None:
    """Volunteer coordinators: long-serving people, a few of whom have since moved on."""
    longest = sorted(actives, key=lambda p: p.started_on or date.max)
    chosen = longest[:2] if size == "large" else longest[:1]
    chosen += [p for p in leavers if p.active_on][: 3 if size == "large" else 0]
    for plan in chosen:
        plan.roles = (COORDINATOR, PEER_SUPPORTER)


def mark_gaps_to_notice(ctx: DemoContext, rng: random.Random, actives: list[VolunteerPlan]) -> None:
    """The cases a coordinator should see flagged: two recent starters never supervised, three
    long-standing volunteers overdue for supervision, two overdue for a DBS recheck."""
    recent = [p for p in actives if COORDINATOR not in p.roles][-2:]
    for plan in recent:
        through_induction(rng, plan, ctx.today - days(rng, 112, 150))
        become_active(plan, rng)
        plan.never_supervised = True
    settled = [
        p
        for p in actives
        if p.started_on
        and p.started_on < ctx.today - timedelta(days=300)
        and all(p is not r for r in recent)
    ]
    for plan in settled[:3]:
        plan.supervision_lapsed = True
    # Two volunteers of more than three years whose DBS recheck has not happened.
    veterans = [p for p in settled[3:] if COORDINATOR not in p.roles][:2]
    for plan in veterans:
        through_induction(rng, plan, ctx.today - days(rng, 1200, 1500))
        become_active(plan, rng)
        plan.dbs_recheck_missed = True


def ensure_facilitators(actives: list[VolunteerPlan], wanted: int) -> None:
    """Groups cannot run without facilitators, so make sure enough active volunteers are."""
    have = sum(FACILITATOR in p.roles for p in actives)
    for plan in actives:
        if have >= wanted:
            return
        if FACILITATOR not in plan.roles and COORDINATOR not in plan.roles:
            plan.roles = (*plan.roles, FACILITATOR)
            have += 1
