"""Session logs: what volunteers delivered on the shifts they attended, plus a few ad hoc
follow-up calls. Times sit close to the shift, head counts are anonymous (new never more than
attended), and notes speak of "one participant", never of names. A few volunteers ask for a
debrief, which puts a follow-up in their supervisor's queue.

Two things are left for whoever explores the demo: the `volunteer` account's shifts of the last
few days are not logged yet (so "Log a session" has something to offer), and the most recent
lone-working shift was never checked out of (so the coordinator's Today page shows an overdue
check-out).
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peerdesk.demo.accounts import Accounts, account_volunteer
from peerdesk.demo.context import DemoContext, Row, Rows
from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.phrases import DEBRIEF_CLOSING, SESSION_NOTES
from peerdesk.demo.shifts import ShiftOutcome
from peerdesk.models import (
    ActivityKind,
    Assignment,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    LoneWorkingCheck,
    SessionCoVolunteer,
    SessionLog,
    SessionMode,
)

DEBRIEF_CHANCE = 0.012
NOTE_CHANCE = 0.35
SESSIONS_PER_SHIFT = (25, 55, 20)  # weights of 1, 2 or 3 people seen in one 1:1 shift
WAITING_TO_LOG = timedelta(days=3)


@dataclass(slots=True)
class LoggedSession:
    """What the safeguarding stage needs to know about a log."""

    row: Row
    volunteer: int  # plan index
    kind: ActivityKind
    lone_working: bool


def session_mode(rng: random.Random, outcome: ShiftOutcome) -> SessionMode:
    if outcome.kind is ActivityKind.WALK_AND_TALK:
        return SessionMode.WALK_AND_TALK
    if outcome.online:
        return SessionMode.ONLINE
    if outcome.kind is ActivityKind.PHONE_ONLINE:
        return SessionMode.PHONE if rng.random() < 0.85 else SessionMode.ONLINE
    return SessionMode.IN_PERSON


def head_count(rng: random.Random, outcome: ShiftOutcome) -> tuple[int, int]:
    """(attendees, of whom new) for one session."""
    if outcome.kind is ActivityKind.GROUP:
        attendees = round(rng.triangular(2, 8 if outcome.online else 12, 6))
        return attendees, min(attendees, rng.choices((0, 1, 2, 3), (55, 30, 10, 5))[0])
    if outcome.kind is ActivityKind.WALK_AND_TALK:
        attendees = rng.randint(1, 6)
        return attendees, min(attendees, rng.choices((0, 1, 2), (60, 30, 10))[0])
    return 1, int(rng.random() < 0.25)


class SessionLogger:
    def __init__(
        self,
        ctx: DemoContext,
        rng: random.Random,
        rows: Rows,
        plans: list[VolunteerPlan],
        accounts: Accounts,
    ) -> None:
        self.ctx, self.rng, self.rows = ctx, rng, rows
        self.plans, self.accounts = plans, accounts
        self.logged: list[LoggedSession] = []
        self.account_volunteer = account_volunteer(plans, accounts)

    def waiting(self, outcome: ShiftOutcome, volunteer: int) -> bool:
        """The `volunteer` account's recent shifts are left for the person exploring to log."""
        recent = outcome.starts_at >= self.ctx.now - WAITING_TO_LOG
        return recent and volunteer == self.account_volunteer

    def log_shift(self, outcome: ShiftOutcome) -> None:
        rng = self.rng
        start = outcome.starts_at + timedelta(minutes=rng.randint(-5, 10))
        end = outcome.ends_at + timedelta(minutes=rng.randint(-20, 10))
        if outcome.kind in (ActivityKind.GROUP, ActivityKind.WALK_AND_TALK):
            # One log for the whole group, by whoever led it, with the others as co-volunteers.
            if self.waiting(outcome, outcome.crew[0]):
                return
            self.add_log(outcome, outcome.crew[0], (start, end), outcome.crew[1:])
            return
        for volunteer in outcome.crew:
            if self.waiting(outcome, volunteer):
                continue
            sessions = rng.choices((1, 2, 3), SESSIONS_PER_SHIFT)[0]
            length = (end - start) / sessions
            for n in range(sessions):
                begins = start + length * n
                self.add_log(outcome, volunteer, (begins, begins + length - timedelta(minutes=5)))

    def add_log(
        self,
        outcome: ShiftOutcome,
        volunteer: int,
        times: tuple[datetime, datetime],
        co_volunteers: tuple[int, ...] | list[int] = (),
        from_shift: bool = True,
    ) -> None:
        rng = self.rng
        attendees, new = head_count(rng, outcome)
        notes = rng.choice(SESSION_NOTES[outcome.kind]) if rng.random() < NOTE_CHANCE else None
        debrief = rng.random() < DEBRIEF_CHANCE
        created = self.ctx.cap(times[1] + timedelta(minutes=rng.randint(5, 90)))
        row = self.rows.record_row(
            SessionLog,
            created,
            volunteer_id=self.plans[volunteer].id,
            shift_id=outcome.shift_id if from_shift else None,
            activity_id=outcome.activity_id,
            venue_id=outcome.venue_id,
            mode=session_mode(rng, outcome),
            started_at=times[0],
            ended_at=times[1],
            attendees=attendees,
            new_attendees=new,
            notes=notes,
            debrief_requested=debrief,
            safeguarding_flag=False,
        )
        log_id = row["id"]
        for other in co_volunteers:
            self.rows.add(
                SessionCoVolunteer, {"session_log_id": log_id, "volunteer_id": self.plans[other].id}
            )
        if debrief:
            self.add_debrief(log_id, volunteer, times[1])
        self.logged.append(LoggedSession(row, volunteer, outcome.kind, outcome.lone_working))

    def add_debrief(self, log_id: uuid.UUID, volunteer: int, ended: datetime) -> None:
        """The volunteer asked to talk after the session: a follow-up for their supervisor,
        long since closed unless it was in the last ten days."""
        rng = self.rng
        supervisor = self.accounts.supervisor_on(volunteer, ended.date())
        closed = ended + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 4))
        is_closed = closed < self.ctx.now - timedelta(days=4)
        self.rows.record(
            FollowUp,
            ended + timedelta(minutes=30),
            updated_at=closed if is_closed else ended + timedelta(minutes=30),
            kind=FollowUpKind.DEBRIEF,
            volunteer_id=self.plans[volunteer].id,
            session_log_id=log_id,
            concern_id=None,
            assigned_user_id=supervisor.id,
            status=FollowUpStatus.CLOSED if is_closed else FollowUpStatus.OPEN,
            closed_at=closed if is_closed else None,
            closed_by_session_id=None,
            closing_note=rng.choice(DEBRIEF_CLOSING) if is_closed else None,
        )

    def log_follow_up_call(self, outcome: ShiftOutcome) -> None:
        """An ad hoc call a day or two after a 1:1, arranged at the session."""
        volunteer = outcome.crew[0]
        later = timedelta(days=self.rng.randint(1, 3))
        starts = outcome.starts_at + later
        if starts.date() >= self.ctx.today or not self.plans[volunteer].on_rota(starts.date()):
            return
        call = ShiftOutcome(outcome.shift_id, outcome.activity_id, ActivityKind.PHONE_ONLINE,
                            None, False, starts, starts, False, [volunteer])  # fmt: skip
        minutes = timedelta(minutes=self.rng.randint(15, 45))
        self.add_log(call, volunteer, (starts, starts + minutes), from_shift=False)


def log_sessions(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    accounts: Accounts,
    past: list[ShiftOutcome],
) -> list[LoggedSession]:
    logger = SessionLogger(ctx, rng, rows, plans, accounts)
    for outcome in past:
        logger.log_shift(outcome)
        if outcome.kind is ActivityKind.ONE_TO_ONE and rng.random() < 0.06:
            logger.log_follow_up_call(outcome)
    return logger.logged


def leave_latest_check_out_open(session: Session, past: list[ShiftOutcome]) -> int:
    """The most recent lone-working shift's check-in has no check-out: overdue on the
    coordinator's Today page. Returns how many checks were changed (0 without such a shift)."""
    lone = [o for o in past if o.lone_working]
    if not lone:
        return 0
    latest = max(lone, key=lambda o: o.starts_at)
    on_shift = select(Assignment.id).where(Assignment.shift_id == latest.shift_id)
    result = session.execute(
        update(LoneWorkingCheck)
        .where(LoneWorkingCheck.assignment_id.in_(on_shift))
        .values(checked_out_at=None, updated_at=LoneWorkingCheck.checked_in_at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
