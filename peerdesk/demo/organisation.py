"""The demo group itself: Riverside Peer Support (demo), its host, funders, financial-year
reporting periods and the four volunteer roles with their supervision cadence."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.demo.context import DemoContext, Rows
from peerdesk.models import Funder, Organisation, ReportingPeriod, Role
from peerdesk.models import organisation as defaults

PEER_SUPPORTER = "Peer supporter"
FACILITATOR = "Group facilitator"
COORDINATOR = "Coordinator"
WALK_BUDDY = "Walk-and-talk buddy"


@dataclass(frozen=True)
class RoleInfo:
    id: uuid.UUID
    name: str
    supervision_every_weeks: int | None
    needs_dbs: bool


# name, description, supervision every N weeks, needs a DBS check
ROLE_POLICIES = (
    (PEER_SUPPORTER, "Offers 1:1 and phone peer support from lived experience.", 6, True),
    (FACILITATOR, "Co-facilitates peer groups in person and online.", 4, True),
    (COORDINATOR, "Volunteer coordinator: rota, inductions and first contact.", 8, True),
    (WALK_BUDDY, "Walks and talks with participants outdoors, in pairs.", 12, False),
)

FUNDERS = (
    ("Lottery Community Fund (demo)", "Three-year grant for the phone line and the groups."),
    ("NHS Riverside Integrated Care Board (demo)", "Commissioned peer support, renewed yearly."),
    ("Riverside Community Foundation (demo)", "Small grant towards volunteer expenses."),
)


def create_organisation(ctx: DemoContext, rows: Rows) -> dict[str, RoleInfo]:
    """The organisation, funders and reporting periods; returns the roles by name."""
    founded = ctx.stamp(ctx.history_start, 9)
    org_id = rows.record(
        Organisation,
        founded,
        name="Riverside Peer Support (demo)",
        charity_number="1000000 (demo)",
        company_number=None,
        host_organisation="Riverside Community Trust (demo)",
        timezone=DEFAULT_ZONE,
        dbs_recheck_months=defaults.DEFAULT_DBS_RECHECK_MONTHS,
        suppression_threshold=defaults.DEFAULT_SUPPRESSION_THRESHOLD,
        idle_lock_minutes=defaults.DEFAULT_IDLE_LOCK_MINUTES,
        retention_months=defaults.DEFAULT_RETENTION_MONTHS,
        first_supervision_weeks=defaults.DEFAULT_FIRST_SUPERVISION_WEEKS,
        lone_working_margin_minutes=defaults.DEFAULT_LONE_WORKING_MARGIN_MINUTES,
        volunteers_may_use_pin=True,
    )
    for name, notes in FUNDERS:
        rows.record(Funder, founded, organisation_id=org_id, name=name, notes=notes)
    add_financial_years(ctx, rows, org_id)
    return add_roles(rows, founded)


def financial_year_start(day: date) -> date:
    """1 April of the UK financial year `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def add_financial_years(ctx: DemoContext, rows: Rows, org_id: uuid.UUID) -> None:
    start = financial_year_start(ctx.history_start)
    while start <= ctx.today:
        ends = date(start.year + 1, 3, 31)
        rows.record(
            ReportingPeriod,
            ctx.stamp(max(start, ctx.history_start), 9),
            organisation_id=org_id,
            name=f"{start.year}–{str(start.year + 1)[2:]}",
            starts_on=start,
            ends_on=ends,
        )
        start = ends + timedelta(days=1)


def add_roles(rows: Rows, created: datetime) -> dict[str, RoleInfo]:
    roles: dict[str, RoleInfo] = {}
    for name, description, weeks, needs_dbs in ROLE_POLICIES:
        role_id = rows.record(
            Role,
            created,
            name=name,
            description=description,
            supervision_every_weeks=weeks,
            group_supervision_counts=True,
            needs_dbs=needs_dbs,
        )
        roles[name] = RoleInfo(role_id, name, weeks, needs_dbs)
    return roles
