"""Supervision: 1:1 sessions at each volunteer's role cadence (every four weeks for
facilitators, six for peer supporters), fortnightly group supervision with each supervisor,
wellbeing checks, confidential notes and agreed actions in every status. Three long-standing
volunteers have let supervision lapse and two recent starters were never supervised, so the
overdue list has people on it."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from peerdesk.demo.accounts import Accounts, Supervisor
from peerdesk.demo.context import DemoContext, Rows, months_after
from peerdesk.demo.lifecycle import VolunteerPlan, days
from peerdesk.demo.organisation import RoleInfo
from peerdesk.demo.people import anonymised_at
from peerdesk.demo.phrases import (
    AGREED_ACTIONS,
    GROUP_SUMMARIES,
    SHARED_SUMMARIES,
    SUPERVISION_NOTES,
    WELLBEING_CHECKS,
)
from peerdesk.models import (
    ActionStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
)

FIRST_SUPERVISION = timedelta(weeks=6)
GROUP_CHANCE = 0.75  # of joining a fortnightly group supervision
ONE_TO_ONE_CHANCE = 0.92  # of a due 1:1 happening rather than being skipped


@dataclass
class GroupSession:
    supervisor: Supervisor
    held_on: date
    attendees: list[tuple[int, bool]] = field(default_factory=list)  # plan index, attended


class SupervisionRecorder:
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
        self.groups: dict[tuple[uuid.UUID, date], GroupSession] = {}

    def supervise(self, index: int, cadence_weeks: int) -> None:
        plan = self.plans[index]
        if plan.started_on is None or plan.never_supervised:
            return
        start = max(
            plan.started_on + FIRST_SUPERVISION - days(self.rng, 0, 10), self.ctx.history_start
        )
        end = min(plan.rota_until(self.ctx.today), self.ctx.today)
        if plan.supervision_lapsed:
            end = self.ctx.today - timedelta(weeks=cadence_weeks) - days(self.rng, 21, 56)
        self.join_groups(index, start, end)
        due = start
        while due < end:
            held = weekday_on_or_after(due)
            if held < end and plan.on_rota(held) and self.rng.random() < ONE_TO_ONE_CHANCE:
                self.one_to_one(index, held)
            due = held + timedelta(weeks=cadence_weeks) + days(self.rng, -7, 10)

    def one_to_one(self, index: int, held: date) -> None:
        rng, plan = self.rng, self.plans[index]
        supervisor = self.accounts.supervisor_on(index, held)
        minutes = rng.choice((45, 60, 60, 75))
        session_id = self.add_session(
            SupervisionKind.ONE_TO_ONE, held, supervisor, minutes, SHARED_SUMMARIES, 0.6
        )
        self.add_attendee(session_id, held, plan, True)
        if rng.random() < 0.55:
            self.rows.record(
                SupervisionNote, self.ctx.stamp(held, 17), session_id=session_id,
                author_user_id=supervisor.id, about_volunteer_id=plan.id,
                body=rng.choice(SUPERVISION_NOTES),
            )  # fmt: skip
        if rng.random() < 0.35:
            self.add_action(session_id, held, index)

    def join_groups(self, index: int, start: date, end: date) -> None:
        """Group supervision with the volunteer's supervisor, on the second and fourth
        Thursdays of the month; people join when they can."""
        month = start.replace(day=1)
        while month < end:
            second_thursday = month + timedelta(days=(3 - month.weekday()) % 7 + 7)
            for held in (second_thursday, second_thursday + timedelta(weeks=2)):
                joins = self.rng.random() < GROUP_CHANCE
                if joins and start <= held < end and self.plans[index].on_rota(held):
                    self.join_group(index, held)
            month = months_after(month, 1)

    def join_group(self, index: int, held: date) -> None:
        supervisor = self.accounts.supervisor_on(index, held)
        group = self.groups.setdefault((supervisor.id, held), GroupSession(supervisor, held))
        group.attendees.append((index, self.rng.random() < 0.9))

    def add_session(
        self,
        kind: SupervisionKind,
        held: date,
        supervisor: Supervisor,
        minutes: int,
        summaries: tuple[str, ...],
        summary_chance: float,
    ) -> uuid.UUID:
        summary = self.rng.choice(summaries) if self.rng.random() < summary_chance else None
        return self.rows.record(
            SupervisionSession, self.ctx.stamp(held, 17), kind=kind, held_on=held,
            duration_minutes=minutes, supervisor_user_id=supervisor.id, shared_summary=summary,
        )  # fmt: skip

    def add_attendee(
        self, session_id: uuid.UUID, held: date, plan: VolunteerPlan, attended: bool
    ) -> None:
        wellbeing = (
            self.rng.choice(WELLBEING_CHECKS) if attended and self.rng.random() < 0.75 else None
        )
        self.rows.record(
            SupervisionAttendee, self.ctx.stamp(held, 17), session_id=session_id,
            volunteer_id=plan.id, attended=attended, wellbeing_check=wellbeing,
        )  # fmt: skip

    def add_action(self, session_id: uuid.UUID, held: date, index: int) -> None:
        """An agreed action: long-past ones done or dropped, recent ones mostly open."""
        rng, plan, today = self.rng, self.plans[index], self.ctx.today
        due = held + days(rng, 14, 42)
        roll = rng.random()
        if due < today - timedelta(days=28):
            status = ActionStatus.DONE if roll < 0.8 else ActionStatus.DROPPED
        else:
            status = ActionStatus.OPEN if roll < 0.6 else ActionStatus.DONE
        done_on = None
        if status is ActionStatus.DONE:
            done_on = min(max(held, due - days(rng, 0, 10)), today - timedelta(days=1))
        anonymous = anonymised_at(self.ctx, plan) is not None
        self.rows.record(
            SupervisionAction, self.ctx.stamp(held, 17),
            updated_at=self.ctx.stamp(done_on or held, 17),
            session_id=session_id, volunteer_id=plan.id, description=rng.choice(AGREED_ACTIONS),
            owner="Volunteer" if anonymous else plan.person.preferred_name, due_on=due,
            status=status, done_on=done_on,
        )  # fmt: skip

    def write_groups(self) -> None:
        for key in sorted(self.groups, key=lambda k: (self.groups[k].held_on, str(k[0]))):
            group = self.groups[key]
            session_id = self.add_session(SupervisionKind.GROUP, group.held_on, group.supervisor,
                                          90, GROUP_SUMMARIES, 0.8)  # fmt: skip
            for index, attended in group.attendees:
                self.add_attendee(session_id, group.held_on, self.plans[index], attended)
                if attended and self.rng.random() < 0.08:
                    self.add_action(session_id, group.held_on, index)
            if self.rng.random() < 0.25:
                self.rows.record(
                    SupervisionNote, self.ctx.stamp(group.held_on, 17), session_id=session_id,
                    author_user_id=group.supervisor.id, about_volunteer_id=None,
                    body="The group was supportive of one another; no concerns to follow up.",
                )  # fmt: skip


def weekday_on_or_after(day: date) -> date:
    """Supervision happens Monday to Friday."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def record_supervision(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    accounts: Accounts,
    roles: dict[str, RoleInfo],
) -> None:
    cadence = {name: role.supervision_every_weeks for name, role in roles.items()}
    recorder = SupervisionRecorder(ctx, rng, rows, plans, accounts)
    for index, plan in enumerate(plans):
        weeks = plan.cadence_weeks(cadence)
        if weeks is not None:
            recorder.supervise(index, weeks)
    recorder.write_groups()
