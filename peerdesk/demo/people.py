"""Volunteer records from the planned journeys: the person, their roles, every status change,
DBS checks, equality monitoring, absences and (once the rota is known) usual availability.

Leavers whose retention period has passed are already anonymised, as the retention rule would
have done: their counts stay, their personal details are gone.
"""

import random
from datetime import date, datetime, time, timedelta

from peerdesk.demo.checks import add_dbs_checks
from peerdesk.demo.context import DemoContext, Rows, months_after
from peerdesk.demo.equality import add_equality_monitoring
from peerdesk.demo.lifecycle import VolunteerPlan, days
from peerdesk.demo.names import Directory, emergency_contact, invent_address
from peerdesk.demo.organisation import RoleInfo
from peerdesk.models import (
    Absence,
    UsualAvailability,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)

RETENTION_MONTHS = 72
NOTES = (
    "Happy to cover at short notice.",
    "Prefers daytime shifts.",
    "Speaks Urdu and English.",
    "Interested in training as a group facilitator.",
    "Would like to try the phone line.",
    "Needs step-free access; the library room works well.",
)
ABSENCE_REASONS = ("Holiday", "Family time", "A break for own wellbeing", "Exams", "Working away")
# Cleared when a leaver is anonymised after the retention period.
PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "pronouns",
    "email",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "notes",
)
Slot = tuple[int, time, time]  # weekday (Monday = 0), local start, local end


def add_volunteers(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    roles: dict[str, RoleInfo],
) -> None:
    directory = Directory(rng)
    for plan in plans:
        created = ctx.stamp(max(plan.applied_on, ctx.history_start), 11)
        fields = volunteer_fields(ctx, rng, plan, directory)
        fields.setdefault("updated_at", max(created, ctx.stamp(last_change(plan), 11)))
        plan.id = rows.record(Volunteer, created, **fields)
        add_role_rows(rows, plan, roles)
        add_status_history(ctx, rows, plan)
        add_equality_monitoring(rng, rows, plan.id, plan.person.pronouns, created)
        add_dbs_checks(ctx, rng, rows, plan, roles)
        for start, end in plan.absences:
            reason = rng.choice(ABSENCE_REASONS)
            rows.record(
                Absence,
                ctx.stamp(start - days(rng, 3, 20)),
                volunteer_id=plan.id,
                starts_on=start,
                ends_on=end,
                reason=reason,
            )


def volunteer_fields(
    ctx: DemoContext, rng: random.Random, plan: VolunteerPlan, directory: Directory
) -> dict[str, object]:
    person = plan.person
    anonymised = anonymised_at(ctx, plan)
    has_contact = rng.random() < 0.8
    fields: dict[str, object] = {
        "preferred_name": person.preferred_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "pronouns": person.pronouns,
        "email": directory.email(person),
        "phone": directory.phone(),
        "address": invent_address(rng) if rng.random() < 0.6 else None,
        "emergency_contact_name": emergency_contact(rng, person) if has_contact else None,
        "emergency_contact_phone": directory.phone() if has_contact else None,
        "status": plan.status,
        "started_on": plan.started_on,
        "left_on": plan.left_on,
        "leaving_reason": plan.leaving_reason,
        "notes": rng.choice(NOTES) if rng.random() < 0.2 else None,
        "anonymised_at": anonymised,
    }
    if anonymised is not None:
        fields.update(dict.fromkeys(PERSONAL_FIELDS))
        fields.update(preferred_name="Former volunteer", updated_at=anonymised)
    return fields


def anonymised_at(ctx: DemoContext, plan: VolunteerPlan) -> datetime | None:
    if plan.left_on is None:
        return None
    due = months_after(plan.left_on, RETENTION_MONTHS)
    return ctx.stamp(due + timedelta(days=7), 9) if due + timedelta(days=7) < ctx.today else None


def status_steps(plan: VolunteerPlan) -> list[tuple[VolunteerStatus, date, str | None]]:
    """The volunteer's status history, oldest first."""
    steps: list[tuple[VolunteerStatus, date, str | None]] = [
        (VolunteerStatus.APPLICANT, plan.applied_on, "Application received")
    ]
    if plan.induction_on:
        steps.append((VolunteerStatus.INDUCTION, plan.induction_on, None))
    if plan.started_on:
        steps.append((VolunteerStatus.PROBATION, plan.started_on, "First shift"))
    if plan.active_on and (plan.left_on is None or plan.active_on < plan.left_on):
        steps.append((VolunteerStatus.ACTIVE, plan.active_on, "Probation review went well"))
    for start, end in plan.pauses:
        steps.append((VolunteerStatus.PAUSED, start, "Taking a break"))
        if end is not None:
            steps.append((VolunteerStatus.ACTIVE, end, "Back on the rota"))
    if plan.left_on:
        steps.append((VolunteerStatus.LEFT, plan.left_on, plan.leaving_reason))
    return steps


def last_change(plan: VolunteerPlan) -> date:
    return max(day for _, day, _ in status_steps(plan))


def add_status_history(ctx: DemoContext, rows: Rows, plan: VolunteerPlan) -> None:
    for status, day, note in status_steps(plan):
        rows.record(
            VolunteerStatusChange,
            ctx.stamp(day, 11),
            volunteer_id=plan.id,
            status=status,
            changed_on=day,
            note=note,
        )


def add_role_rows(rows: Rows, plan: VolunteerPlan, roles: dict[str, RoleInfo]) -> None:
    for name in plan.roles:
        rows.add(
            VolunteerRole,
            {"volunteer_id": plan.id, "role_id": roles[name].id, "since": plan.started_on},
        )


def add_usual_availability(
    ctx: DemoContext, rng: random.Random, rows: Rows, plan: VolunteerPlan, slots: list[Slot]
) -> None:
    """When someone still with the group is usually free: the shifts they regularly do, and
    sometimes another time they offered."""
    if plan.left_on is not None or plan.induction_on is None:
        return
    offered = list(dict.fromkeys(slots))
    if not offered or rng.random() < 0.3:
        start = rng.choice((time(9, 30), time(13, 0), time(17, 30)))
        offered.append((rng.randint(0, 6), start, time(start.hour + 4, start.minute)))
    created = ctx.stamp(max(plan.induction_on, ctx.history_start), 12)
    for weekday, start, end in sorted(set(offered)):
        rows.record(
            UsualAvailability,
            created,
            volunteer_id=plan.id,
            weekday=weekday,
            starts_at=start,
            ends_at=end,
        )
