"""DBS checks for volunteers whose roles need one: the first certificate during induction, the
Update Service for some, and rechecks every three years for the rest, with a few rechecks let
slip so the overdue list has something to show. DBS certificates do not expire; the recheck date
is the organisation's policy and is computed, never stored."""

import random
from datetime import date, timedelta

from peerdesk.demo.context import DemoContext, Rows, months_after
from peerdesk.demo.lifecycle import VolunteerPlan, days
from peerdesk.demo.organisation import COORDINATOR, RoleInfo
from peerdesk.models import DBSCheck, DBSLevel

RECHECK_MONTHS = 36


def dbs_level(rng: random.Random, plan: VolunteerPlan, roles: dict[str, RoleInfo]) -> DBSLevel:
    if COORDINATOR in plan.roles:
        return DBSLevel.ENHANCED_BARRED
    if any(roles[name].needs_dbs for name in plan.roles):
        return DBSLevel.ENHANCED_BARRED if rng.random() < 0.3 else DBSLevel.ENHANCED
    return DBSLevel.BASIC


def needs_check(rng: random.Random, plan: VolunteerPlan, roles: dict[str, RoleInfo]) -> bool:
    # Walk-and-talk buddies need no DBS check; about half have a basic one anyway.
    return any(roles[name].needs_dbs for name in plan.roles) or rng.random() < 0.5


def certificate_number(rng: random.Random) -> str:
    return f"00{rng.randrange(10**10):010d}"


def add_dbs_checks(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plan: VolunteerPlan,
    roles: dict[str, RoleInfo],
) -> None:
    if plan.induction_on is None or not needs_check(rng, plan, roles):
        return
    issued = plan.induction_on + days(rng, 14, 35)
    last_day = min(plan.rota_until(ctx.today), ctx.today) - timedelta(days=1)
    if issued > last_day:
        return  # still waiting for the certificate
    level = dbs_level(rng, plan, roles)
    if plan.dbs_recheck_missed:
        add_check(ctx, rng, rows, plan, level, issued, (False, None))
        return
    if rng.random() < 0.4:
        checked = update_checked_on(rng, issued, last_day)
        add_check(ctx, rng, rows, plan, level, issued, (True, checked))
        return
    while issued <= last_day:
        add_check(ctx, rng, rows, plan, level, issued, (False, None))
        if rng.random() < 0.15:
            return  # the recheck was missed: overdue if they are still volunteering
        issued = months_after(issued, RECHECK_MONTHS) - days(rng, 0, 45)


def update_checked_on(rng: random.Random, issued: date, last_day: date) -> date | None:
    """The latest online status check of an Update Service certificate; a few are late."""
    if (last_day - issued).days < 60:
        return None
    back = days(rng, 390, 540) if rng.random() < 0.2 else days(rng, 5, 330)
    return max(issued + timedelta(days=30), last_day - back)


def add_check(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plan: VolunteerPlan,
    level: DBSLevel,
    issued: date,
    update_service: tuple[bool, date | None],
) -> None:
    """One certificate; `update_service` is (subscribed, date of the latest status check)."""
    rows.record(
        DBSCheck,
        ctx.stamp(issued + days(rng, 1, 6)),
        volunteer_id=plan.id,
        level=level,
        certificate_number=certificate_number(rng),
        issued_on=issued,
        update_service=update_service[0],
        update_service_checked_on=update_service[1],
    )
