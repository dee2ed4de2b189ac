"""A handful of safeguarding concerns raised from session logs, across every category and
status: older ones closed, the newest still open, escalated or referred. Each has follow-up
actions with owners and a follow-up in the raising volunteer's supervisor's queue."""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peerdesk.demo.accounts import Accounts
from peerdesk.demo.activity import LoggedSession
from peerdesk.demo.context import DemoContext, Rows
from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.phrases import CONCERN_ACCOUNTS, CONCERN_ACTIONS
from peerdesk.models import (
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SafeguardingConcern,
)

RECENT = timedelta(days=45)
CATEGORY_WEIGHTS = {
    ConcernCategory.RISK_TO_SELF: 40,
    ConcernCategory.RISK_TO_OTHERS: 8,
    ConcernCategory.ABUSE_OR_NEGLECT: 15,
    ConcernCategory.LONE_WORKING_INCIDENT: 7,
    ConcernCategory.NEAR_MISS: 15,
    ConcernCategory.OTHER: 15,
}
NEWEST_STATUSES = (ConcernStatus.OPEN, ConcernStatus.ESCALATED, ConcernStatus.REFERRED)


def choose_logs(ctx: DemoContext, rng: random.Random, logged: list[LoggedSession]) -> list[int]:
    """Which logs raised a concern: three recent, the rest from any time, oldest first."""
    count = min(ctx.scale.concerns, len(logged))
    cutoff = ctx.now - RECENT
    recent = [i for i, log in enumerate(logged) if log.row["started_at"] >= cutoff]
    chosen = rng.sample(recent, min(3, len(recent)))
    others = sorted(set(range(len(logged))) - set(chosen))
    chosen += rng.sample(others, count - len(chosen))
    return sorted(chosen, key=lambda i: logged[i].row["started_at"])


def categories(rng: random.Random, count: int) -> list[ConcernCategory]:
    """Every category at least once, then in realistic proportions."""
    found = list(ConcernCategory)[:count]
    weights = list(CATEGORY_WEIGHTS.values())
    found += rng.choices(list(CATEGORY_WEIGHTS), weights, k=count - len(found))
    rng.shuffle(found)
    return found


def status_for(
    ctx: DemoContext, rng: random.Random, occurred: datetime, newest: int
) -> ConcernStatus:
    if newest < len(NEWEST_STATUSES):
        return NEWEST_STATUSES[newest]
    if occurred > ctx.now - RECENT:
        return rng.choice(NEWEST_STATUSES)
    return ConcernStatus.CLOSED if rng.random() < 0.92 else ConcernStatus.REFERRED


@dataclass(frozen=True)
class Timeline:
    """When a concern moved on: escalated to the lead, referred on, closed."""

    escalated_at: datetime | None
    referred_at: datetime | None
    closed_at: datetime | None


def timeline(
    ctx: DemoContext, rng: random.Random, occurred: datetime, status: ConcernStatus
) -> Timeline:
    # Closed concerns were sometimes escalated and referred first; open ones not yet.
    escalated = status is not ConcernStatus.OPEN and (
        status is not ConcernStatus.CLOSED or rng.random() < 0.5
    )
    referred = status is ConcernStatus.REFERRED or (escalated and rng.random() < 0.5)
    closed = status is ConcernStatus.CLOSED
    return Timeline(
        ctx.cap(occurred + timedelta(hours=rng.randint(2, 30))) if escalated else None,
        ctx.cap(occurred + timedelta(days=rng.randint(2, 6))) if referred else None,
        ctx.cap(occurred + timedelta(days=rng.randint(12, 40))) if closed else None,
    )


def add_concerns(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    accounts: Accounts,
    logged: list[LoggedSession],
) -> None:
    chosen = choose_logs(ctx, rng, logged)
    kinds = categories(rng, len(chosen))
    for newest, (index, category) in enumerate(zip(reversed(chosen), kinds, strict=True)):
        log = logged[index]
        log.row["safeguarding_flag"] = True
        started, ended = log.row["started_at"], log.row["ended_at"]
        occurred = started + (ended - started) / 2
        status = status_for(ctx, rng, occurred, newest)
        when = timeline(ctx, rng, occurred, status)
        raised_by = plans[log.volunteer]
        concern_id = add_concern(
            ctx, rng, rows, accounts, log, raised_by, occurred, (category, status), when
        )
        add_concern_actions(ctx, rng, rows, accounts, concern_id, occurred, when.closed_at)
        supervisor = accounts.supervisor_on(log.volunteer, occurred.date())
        add_follow_up(rows, concern_id, raised_by, supervisor.id, occurred, when.closed_at)


def add_concern(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    accounts: Accounts,
    log: LoggedSession,
    raised_by: VolunteerPlan,
    occurred: datetime,
    kind: tuple[ConcernCategory, ConcernStatus],
    when: Timeline,
) -> uuid.UUID:
    category, status = kind
    what, action = CONCERN_ACCOUNTS[category]
    created = ctx.cap(occurred + timedelta(hours=2))
    moments = (created, when.escalated_at, when.referred_at, when.closed_at)
    return rows.record(
        SafeguardingConcern,
        created,
        updated_at=max(m for m in moments if m is not None),
        raised_by_volunteer_id=raised_by.id,
        raised_by_user_id=accounts.coordinator_id if rng.random() < 0.5 else None,
        session_log_id=log.row["id"],
        occurred_at=occurred,
        category=category,
        what_happened=what,
        action_taken=action,
        status=status,
        escalated_at=when.escalated_at,
        referred_at=when.referred_at,
        closed_at=when.closed_at,
    )


def add_follow_up(
    rows: Rows,
    concern_id: uuid.UUID,
    raised_by: VolunteerPlan,
    supervisor_id: uuid.UUID,
    occurred: datetime,
    closed_at: datetime | None,
) -> None:
    """The raising volunteer's supervisor checks in with them after a concern."""
    created = occurred + timedelta(hours=2)
    rows.record(
        FollowUp,
        created,
        updated_at=closed_at or created,
        kind=FollowUpKind.CONCERN,
        volunteer_id=raised_by.id,
        session_log_id=None,
        concern_id=concern_id,
        assigned_user_id=supervisor_id,
        status=FollowUpStatus.CLOSED if closed_at else FollowUpStatus.OPEN,
        closed_at=closed_at,
        closed_by_session_id=None,
        closing_note="Checked in with the volunteer; they felt supported." if closed_at else None,
    )


def add_concern_actions(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    accounts: Accounts,
    concern_id: uuid.UUID,
    occurred: datetime,
    closed_at: datetime | None,
) -> None:
    """The first action is always checking in with the volunteer; all are done for closed
    concerns, only that first one (once due) for the rest."""
    wanted = rng.randint(2, 3)
    descriptions = [CONCERN_ACTIONS[0], *rng.sample(CONCERN_ACTIONS[1:], wanted - 1)]
    for number, description in enumerate(descriptions):
        due = occurred.date() + timedelta(days=3 + 5 * number)
        finished = due - timedelta(days=rng.randint(0, 2))
        done_on: date | None = None
        if closed_at is not None:
            done_on = min(finished, closed_at.date())
        elif number == 0 and finished < ctx.today:
            done_on = finished
        rows.record(
            ConcernAction,
            ctx.cap(occurred + timedelta(hours=3)),
            concern_id=concern_id,
            description=description,
            owner_user_id=accounts.coordinator_id,
            owner_name=accounts.coordinator_name,
            due_on=due,
            done_on=done_on,
        )
