"""Writing shifts and their assignments: one shift at a time, staffed from the pattern's team,
with assignment statuses that fit whether the shift is past or still to come, and lone-working
check-ins for past lone-working shifts."""

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property

from peerdesk.dates import local, utc_from_local
from peerdesk.demo.context import DemoContext, Rows
from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.staffing import Need, Staffing, month_index
from peerdesk.models import (
    ActivityKind,
    Assignment,
    AssignmentStatus,
    LoneWorkingCheck,
    Shift,
    ShiftStatus,
    shift_required_roles,
)

ATTENDED, NO_SHOW = AssignmentStatus.ATTENDED, AssignmentStatus.NO_SHOW
CONFIRMED, OFFERED = AssignmentStatus.CONFIRMED, AssignmentStatus.OFFERED
DECLINED, COVER = AssignmentStatus.DECLINED, AssignmentStatus.COVER_REQUESTED
# (status, cumulative chance) for each volunteer put on a shift
PAST_ODDS = ((ATTENDED, 0.93), (NO_SHOW, 0.945), (COVER, 0.97), (DECLINED, 1.0))
# Shifts in the coming week are mostly confirmed; later ones are still being offered.
SOON_ODDS = ((CONFIRMED, 0.9), (OFFERED, 0.93), (COVER, 0.97), (DECLINED, 1.0))
LATER_ODDS = ((CONFIRMED, 0.72), (OFFERED, 0.92), (COVER, 0.95), (DECLINED, 1.0))
COVER_OFFER_CHANCE = 0.8
COVER_NOTES = ("Feeling unwell", "Family commitment came up", "Work shift changed", None)
DECLINE_NOTES = ("Away that weekend", "Already doing two shifts that week", None, None)


@dataclass(frozen=True)
class ShiftDraft:
    pattern_id: uuid.UUID | None
    occurrence_on: date | None
    activity: tuple[uuid.UUID, ActivityKind]
    venue_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    max_volunteers: int
    lone_working: bool
    planned_at: datetime  # when the shift was put on the rota
    online: bool = False
    status: ShiftStatus = ShiftStatus.PLANNED
    notes: str | None = None

    @cached_property
    def day(self) -> date:
        """The local date the shift happens on."""
        return local(self.starts_at).date()

    @cached_property
    def need(self) -> Need:
        return Need(self.activity[1], self.starts_at, self.ends_at, self.day)

    def cancelled(self, why: str) -> "ShiftDraft":
        return replace(self, status=ShiftStatus.CANCELLED, notes=why)

    def moved(self, by: timedelta, why: str) -> "ShiftDraft":
        return replace(self, starts_at=self.starts_at + by, ends_at=self.ends_at + by, notes=why)


@dataclass(slots=True)
class ShiftOutcome:
    """A past shift that went ahead, and who was there (the lead first)."""

    shift_id: uuid.UUID
    activity_id: uuid.UUID
    kind: ActivityKind
    venue_id: uuid.UUID | None
    online: bool
    starts_at: datetime
    ends_at: datetime
    lone_working: bool
    crew: list[int]


def pick(rng: random.Random, odds: tuple[tuple[AssignmentStatus, float], ...]) -> AssignmentStatus:
    roll = rng.random()
    return next(status for status, upto in odds if roll < upto)


class ShiftWriter:
    def __init__(
        self,
        ctx: DemoContext,
        rng: random.Random,
        rows: Rows,
        plans: list[VolunteerPlan],
        staffing: Staffing,
        facilitator_id: uuid.UUID,
    ) -> None:
        self.ctx, self.rng, self.rows = ctx, rng, rows
        self.plans, self.staffing = plans, staffing
        self.facilitator_id = facilitator_id
        self.today_starts = utc_from_local(ctx.today, 0, 0)
        self.past: list[ShiftOutcome] = []
        # Its own stream, so offers to cover leave every other choice of the demo as it was.
        self.offers = ctx.rng("cover offers")

    def write(self, draft: ShiftDraft, team_key: str | None) -> None:
        past = draft.starts_at < self.today_starts
        crew: list[int] = []
        if draft.status is ShiftStatus.PLANNED:
            crew = self.choose_crew(draft, team_key, past)
            if past and not crew:
                draft = draft.cancelled("Cancelled: no volunteers were free")
        shift_id = self.add_shift(draft)
        if draft.status is ShiftStatus.CANCELLED:
            return
        if past:
            self.record_past(shift_id, draft, crew)
        else:
            self.record_future(shift_id, draft, crew)

    def choose_crew(self, draft: ShiftDraft, team_key: str | None, past: bool) -> list[int]:
        # Usually the minimum, sometimes one more: volunteers' time is precious.
        extra = 1 if self.rng.random() < 0.35 else 0
        wanted = min(draft.max_volunteers, draft.min_volunteers + extra)
        if not past:
            roll = self.rng.random()
            if roll < 0.03:
                wanted = 0  # nobody yet: an unfilled shift
            elif roll < 0.1:
                wanted = max(0, draft.min_volunteers - 1)  # short-staffed
        key = team_key or f"one-off {draft.activity[0]}"
        size = draft.max_volunteers + 2
        return self.staffing.crew(key, draft.need, wanted, size) if wanted else []

    def add_shift(self, draft: ShiftDraft) -> uuid.UUID:
        created = self.ctx.cap(max(draft.planned_at, draft.starts_at - timedelta(days=35)))
        shift_id = self.rows.record(
            Shift,
            created,
            pattern_id=draft.pattern_id,
            occurrence_on=draft.occurrence_on,
            activity_id=draft.activity[0],
            venue_id=draft.venue_id,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            min_volunteers=draft.min_volunteers,
            max_volunteers=draft.max_volunteers,
            lone_working=draft.lone_working,
            status=draft.status,
            notes=draft.notes,
            version=1,
        )
        if draft.activity[1] is ActivityKind.GROUP:
            self.rows.add(
                shift_required_roles, {"shift_id": shift_id, "role_id": self.facilitator_id}
            )
        return shift_id

    def record_past(self, shift_id: uuid.UUID, draft: ShiftDraft, crew: list[int]) -> None:
        kind = draft.activity[1]
        there: list[int] = []
        for index in crew:
            status = pick(self.rng, PAST_ODDS)
            self.add_assignment(shift_id, draft, index, status)
            if status is ATTENDED:
                there.append(index)
            elif status in (COVER, DECLINED):
                cover = self.staffing.cover(draft.need, crew + there)
                if cover is not None:
                    self.add_assignment(shift_id, draft, cover, ATTENDED)
                    there.append(cover)
        if there:
            activity_id = draft.activity[0]
            self.past.append(ShiftOutcome(shift_id, activity_id, kind, draft.venue_id,
                                          draft.online, draft.starts_at, draft.ends_at,
                                          draft.lone_working, there))  # fmt: skip

    def record_future(self, shift_id: uuid.UUID, draft: ShiftDraft, crew: list[int]) -> None:
        soon = draft.day < self.ctx.today + timedelta(days=7)
        for index in crew:
            status = pick(self.rng, SOON_ODDS if soon else LATER_ODDS)
            place = self.add_assignment(shift_id, draft, index, status)
            if status is COVER:
                self.offer_cover(shift_id, draft, place, crew)
        if not crew and self.rng.random() < 0.5:
            # An unfilled shift that someone has already said no to.
            decliner = self.staffing.cover(draft.need, [])
            if decliner is not None:
                self.add_assignment(shift_id, draft, decliner, DECLINED)

    def offer_cover(
        self, shift_id: uuid.UUID, draft: ShiftDraft, request: uuid.UUID, crew: list[int]
    ) -> None:
        """Usually someone free that day has offered to take a place asked to be covered, and
        the offer waits for a coordinator to confirm it."""
        if self.offers.random() >= COVER_OFFER_CHANCE:
            return
        group, need = draft.need.kind.value, draft.need
        pool = self.staffing.pools.get((group, month_index(draft.day)), [])
        free = [i for i in pool if self.staffing.can_work(i, group, need, crew)]
        if free:
            index = self.staffing.book(self.offers.choice(free), need)
            self.add_assignment(shift_id, draft, index, OFFERED, covering=request)

    def add_assignment(
        self,
        shift_id: uuid.UUID,
        draft: ShiftDraft,
        index: int,
        status: AssignmentStatus,
        covering: uuid.UUID | None = None,
    ) -> uuid.UUID:
        rng, ctx = (self.offers if covering else self.rng), self.ctx
        offered = self.ctx.cap(draft.starts_at - timedelta(days=rng.randint(5, 25)))
        offered = max(offered, self.ctx.cap(draft.planned_at))
        responded = ctx.cap(min(offered + timedelta(hours=rng.randint(2, 60)), draft.starts_at))
        if covering:  # after the request it answers: in the last day or so before the shift
            offered = responded = ctx.cap(draft.starts_at - timedelta(hours=rng.randint(2, 18)))
        if status is COVER:
            responded = ctx.cap(
                max(offered, draft.starts_at - timedelta(hours=rng.randint(20, 90)))
            )
        note = {COVER: COVER_NOTES, DECLINED: DECLINE_NOTES}.get(status)
        updated = (
            ctx.cap(draft.ends_at + timedelta(minutes=40)) if status is ATTENDED else responded
        )
        assignment_id = self.rows.record(
            Assignment,
            offered,
            updated_at=max(offered, updated),
            shift_id=shift_id,
            volunteer_id=self.plans[index].id,
            status=status,
            # An offer to cover is the volunteer's own answer; a coordinator's offer awaits one.
            responded_at=None if status is OFFERED and covering is None else responded,
            note=rng.choice(note) if note else None,
            covering_id=covering,
        )
        if status is ATTENDED and draft.lone_working:
            self.add_lone_working_check(assignment_id, draft)
        return assignment_id

    def add_lone_working_check(self, assignment_id: uuid.UUID, draft: ShiftDraft) -> None:
        checked_in = draft.starts_at - timedelta(minutes=self.rng.randint(0, 8))
        missed = self.rng.random() < 0.01  # a forgotten check-out the coordinator followed up
        checked_out = draft.ends_at + timedelta(minutes=self.rng.randint(-10, 15))
        self.rows.record(
            LoneWorkingCheck,
            checked_in,
            updated_at=checked_in if missed else checked_out,
            assignment_id=assignment_id,
            checked_in_at=checked_in,
            expected_end_at=draft.ends_at,
            checked_out_at=None if missed else checked_out,
        )
