"""Training: the course catalogue with validity and renewal windows, which courses each role
must hold, and completions over each volunteer's time with the group. Most renew on time; some
renew late, some let a course lapse, and a few newer volunteers have not done everything yet, so
the compliance view shows every state. A monthly learning circle is recorded too."""

import random
import uuid
from datetime import date, timedelta

from peerdesk.demo.context import DemoContext, Rows, months_after
from peerdesk.demo.lifecycle import VolunteerPlan, days
from peerdesk.demo.organisation import (
    COORDINATOR,
    FACILITATOR,
    PEER_SUPPORTER,
    WALK_BUDDY,
    RoleInfo,
)
from peerdesk.models import Course, TrainingCompletion, course_requirements

INDUCTION = "Induction"
SAFEGUARDING = "Safeguarding adults"
MHFA = "Mental health first aid"
LONE_WORKING = "Lone working"
BOUNDARIES = "Boundaries and self-care"
SUICIDE = "Suicide awareness"
DATA_PROTECTION = "Data protection and confidentiality"
EQUALITY = "Equality, diversity and inclusion"
HEALTH_SAFETY = "Health and safety"
LEARNING_CIRCLE = "Learning circle"
TRAUMA = "Trauma-informed practice"
ONLINE_GROUPS = "Facilitating groups online"

IN_HOUSE = "Riverside Peer Support (in-house)"
# name, description, validity months, renewal window days, grace days, provider
COURSES = (
    (INDUCTION, "How we work: values, boundaries, the rota and who to call.", None, 0, 0, IN_HOUSE),
    (SAFEGUARDING, "Recognising and reporting abuse and neglect of adults.", 36, 90, 30,
     "Local safeguarding adults board (e-learning)"),
    (MHFA, "Two-day mental health first aid course.", 36, 90, 0, "External MHFA instructor"),
    (LONE_WORKING, "Staying safe when working alone; check-in and check-out.", 24, 60, 14,
     IN_HOUSE),
    (BOUNDARIES, "Keeping peer relationships safe, and looking after yourself.", None, 0, 0,
     IN_HOUSE),
    (SUICIDE, "Talking openly about suicide and making a safety plan.", 24, 60, 14,
     "Suicide prevention e-learning"),
    (DATA_PROTECTION, "Confidentiality, consent and keeping records safe.", 12, 30, 14,
     "Host charity learning team"),
    (EQUALITY, "Annual e-learning refresher.", 12, 30, 14, "Host charity learning team"),
    (HEALTH_SAFETY, "Annual e-learning refresher, including fire safety at venues.", 12, 30, 14,
     "Host charity learning team"),
    (LEARNING_CIRCLE, "Optional monthly peer learning session.", None, 0, 0, IN_HOUSE),
    (TRAUMA, "Optional half-day workshop.", None, 0, 0, "Host charity learning team"),
    (ONLINE_GROUPS, "Optional workshop for facilitators of online groups.", None, 0, 0,
     IN_HOUSE),
)  # fmt: skip
# Every role renews these each year.
ANNUAL = (DATA_PROTECTION, EQUALITY, HEALTH_SAFETY)
REQUIRED = {
    PEER_SUPPORTER: (INDUCTION, SAFEGUARDING, BOUNDARIES, SUICIDE, LONE_WORKING, *ANNUAL),
    FACILITATOR: (INDUCTION, SAFEGUARDING, MHFA, BOUNDARIES, SUICIDE, *ANNUAL),
    WALK_BUDDY: (INDUCTION, SAFEGUARDING, LONE_WORKING, BOUNDARIES, *ANNUAL),
    COORDINATOR: (INDUCTION, SAFEGUARDING, MHFA, LONE_WORKING, SUICIDE, *ANNUAL),
}
VALIDITY = {name: months for name, _, months, *_ in COURSES}
PROVIDER = {name: provider for name, *_, provider in COURSES}
CIRCLE_CHANCE = 0.8


def add_catalogue(ctx: DemoContext, rows: Rows, roles: dict[str, RoleInfo]) -> dict[str, uuid.UUID]:
    created = ctx.stamp(ctx.history_start, 10)
    courses: dict[str, uuid.UUID] = {}
    for name, description, months, window, grace, _provider in COURSES:
        courses[name] = rows.record(
            Course, created, name=name, description=description, validity_months=months,
            renewal_window_days=window, grace_days=grace, active=True,
        )  # fmt: skip
    for role, names in REQUIRED.items():
        for name in names:
            rows.add(course_requirements, {"course_id": courses[name], "role_id": roles[role].id})
    return courses


class TrainingRecorder:
    def __init__(
        self, ctx: DemoContext, rng: random.Random, rows: Rows, courses: dict[str, uuid.UUID]
    ) -> None:
        self.ctx, self.rng, self.rows, self.courses = ctx, rng, rows, courses

    def record(self, plan: VolunteerPlan) -> None:
        if plan.induction_on is None:
            return
        last_day = min(plan.rota_until(self.ctx.today), self.ctx.today) - timedelta(days=1)
        self.complete(plan, INDUCTION, plan.induction_on + days(self.rng, 7, 21), last_day)
        if plan.started_on is None:
            return
        for name in required_courses(plan):
            if name != INDUCTION:
                self.keep_up(plan, name, plan.started_on + days(self.rng, 0, 90), last_day)
        self.optional_courses(plan, last_day)
        self.learning_circles(plan, last_day)

    def complete(self, plan: VolunteerPlan, name: str, on: date, last_day: date) -> bool:
        if on > last_day:
            return False
        self.rows.record(
            TrainingCompletion, self.ctx.stamp(on + days(self.rng, 1, 5), 16),
            volunteer_id=plan.id, course_id=self.courses[name], completed_on=on,
            provider=PROVIDER[name], notes=None,
        )  # fmt: skip
        return True

    def keep_up(self, plan: VolunteerPlan, name: str, first: date, last_day: date) -> None:
        """The first completion, then renewals: mostly inside the renewal window, sometimes
        late, occasionally never (a lapsed course)."""
        rng = self.rng
        if plan.left_on is None and rng.random() < 0.06:
            return  # not done yet: shows as missing
        months = VALIDITY[name]
        on = first
        while self.complete(plan, name, on, last_day) and months is not None:
            roll = rng.random()
            if roll < 0.06:
                return
            due = months_after(on, months)
            on = due + days(rng, 10, 120) if roll < 0.18 else due - days(rng, 0, 50)

    def optional_courses(self, plan: VolunteerPlan, last_day: date) -> None:
        assert plan.started_on is not None
        if self.rng.random() < 0.3:
            self.complete(plan, TRAUMA, plan.started_on + days(self.rng, 60, 700), last_day)
        if FACILITATOR in plan.roles and self.rng.random() < 0.5:
            self.complete(plan, ONLINE_GROUPS, plan.started_on + days(self.rng, 30, 400), last_day)

    def learning_circles(self, plan: VolunteerPlan, last_day: date) -> None:
        """The third Wednesday of each month; people come when they can."""
        assert plan.started_on is not None
        month = max(plan.started_on, self.ctx.history_start).replace(day=1)
        while month <= last_day:
            circle = month + timedelta(days=(2 - month.weekday()) % 7 + 14)
            if plan.on_rota(circle) and self.rng.random() < CIRCLE_CHANCE:
                self.complete(plan, LEARNING_CIRCLE, circle, last_day)
            month = months_after(month, 1)


def required_courses(plan: VolunteerPlan) -> list[str]:
    return list(dict.fromkeys(name for role in plan.roles for name in REQUIRED[role]))


def record_training(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    roles: dict[str, RoleInfo],
) -> None:
    recorder = TrainingRecorder(ctx, rng, rows, add_catalogue(ctx, rows, roles))
    for plan in plans:
        recorder.record(plan)
