"""Runs the demo stages in order inside one write transaction: a failure leaves the database as
empty as it was. Each stage collects plain rows and bulk-inserts them with SQLAlchemy Core, which
is what lets ten years of a busy group be written in seconds."""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.portable import defer_foreign_keys
from peerdesk.db.store import Store
from peerdesk.demo.accounts import add_accounts
from peerdesk.demo.activity import leave_latest_check_out_open, log_sessions
from peerdesk.demo.concerns import add_concerns
from peerdesk.demo.context import DemoContext, DemoSize, Rows
from peerdesk.demo.feedback import add_feedback
from peerdesk.demo.lifecycle import plan_volunteers
from peerdesk.demo.organisation import create_organisation
from peerdesk.demo.people import add_usual_availability, add_volunteers
from peerdesk.demo.rota import build_rota
from peerdesk.demo.supervision import record_supervision
from peerdesk.demo.training import record_training
from peerdesk.errors import ValidationError
from peerdesk.models import MeasureItem, Organisation, User, Volunteer

Progress = Callable[[str, int, int], None]  # (what is happening, done, total)

STAGES = (
    "Setting up the organisation",
    "Creating volunteers",
    "Creating accounts",
    "Building the rota",
    "Logging sessions and concerns",
    "Gathering feedback",
    "Recording training",
    "Recording supervision",
)


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo wrote."""

    organisations: int = 0
    funders: int = 0
    reporting_periods: int = 0
    roles: int = 0
    volunteers: int = 0
    volunteer_roles: int = 0
    status_changes: int = 0
    dbs_checks: int = 0
    equality_monitoring: int = 0
    availability: int = 0
    absences: int = 0
    users: int = 0
    supervision_pairings: int = 0
    venues: int = 0
    activities: int = 0
    shift_patterns: int = 0
    pattern_exceptions: int = 0
    shifts: int = 0
    assignments: int = 0
    lone_working_checks: int = 0
    session_logs: int = 0
    co_volunteers: int = 0
    follow_ups: int = 0
    concerns: int = 0
    concern_actions: int = 0
    courses: int = 0
    training_completions: int = 0
    supervision_sessions: int = 0
    supervision_attendees: int = 0
    supervision_notes: int = 0
    supervision_actions: int = 0
    participants: int = 0
    feedback_responses: int = 0
    goals: int = 0

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        return "\n".join(f"{name.replace('_', ' ')}: {n:,}" for name, n in self.as_dict().items())


# Table name -> DemoSummary field, where they differ; link tables are not summarised.
FIELD_FOR_TABLE = {
    "volunteer_status_changes": "status_changes",
    "usual_availability": "availability",
    "session_co_volunteers": "co_volunteers",
    "safeguarding_concerns": "concerns",
}


def summarise(counts: dict[str, int]) -> DemoSummary:
    known = {f.name for f in fields(DemoSummary)}
    values: dict[str, int] = {}
    for table, n in counts.items():
        name = FIELD_FOR_TABLE.get(table, table)
        if name in known:
            values[name] = values.get(name, 0) + n
    return DemoSummary(**values)


def refuse_unless_empty(session: Session) -> None:
    for model in (Organisation, Volunteer, User):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValidationError(
                "This data folder already holds an organisation, so demo data cannot be added. "
                "Choose a new, empty data folder for the demo."
            )


def generate_demo(
    store: Store,
    *,
    seed: int = 1,
    size: DemoSize = "small",
    today: date | None = None,
    progress: Progress | None = None,
    times: int = 1,
) -> DemoSummary:
    """Fill an empty database with an invented group: the same seed, size and day always give
    the same data. `times` multiplies the group (the benchmarks' larger sizes)."""
    ctx = DemoContext(seed, size, today or clock.today(), times)
    step = progress or (lambda _what, _done, _total: None)
    with store.session() as session:
        refuse_unless_empty(session)
        # Rows go in by id (time) order, and an offer to cover can share its millisecond with the
        # cover request it answers: foreign keys are checked at commit instead, all at once.
        defer_foreign_keys(session)
        counts = DemoRun(ctx, session).run(step)
    step("Demo data ready", len(STAGES), len(STAGES))
    return summarise(counts)


class DemoRun:
    """The stages in order; each adds its rows and inserts them before the next begins."""

    def __init__(self, ctx: DemoContext, session: Session) -> None:
        self.ctx, self.session = ctx, session
        self.counts: dict[str, int] = {}

    def insert(self, rows: Rows) -> None:
        for table, n in rows.flush(self.session).items():
            self.counts[table] = self.counts.get(table, 0) + n

    def run(self, step: Progress) -> dict[str, int]:
        ctx = self.ctx
        stages = (
            self.organisation, self.volunteers, self.accounts, self.rota, self.sessions,
            self.feedback, self.training, self.supervision,
        )  # fmt: skip
        for done, (what, stage) in enumerate(zip(STAGES, stages, strict=True)):
            step(what, done, len(STAGES))
            rows = ctx.rows(what)
            stage(rows)
            self.insert(rows)
        return self.counts

    def organisation(self, rows: Rows) -> None:
        self.roles = create_organisation(self.ctx, rows)

    def volunteers(self, rows: Rows) -> None:
        self.plans = plan_volunteers(self.ctx, self.ctx.rng("journeys"))
        add_volunteers(self.ctx, self.ctx.rng("volunteers"), rows, self.plans, self.roles)

    def accounts(self, rows: Rows) -> None:
        self.people = add_accounts(self.ctx, self.ctx.rng("accounts"), rows, self.plans)

    def rota(self, rows: Rows) -> None:
        self.built = build_rota(self.ctx, self.ctx.rng("rota"), rows, self.plans, self.roles)
        rng = self.ctx.rng("availability")
        for index, plan in enumerate(self.plans):
            slots = self.built.regular_slots.get(index, [])
            add_usual_availability(self.ctx, rng, rows, plan, slots)

    def sessions(self, rows: Rows) -> None:
        ctx, plans, accounts = self.ctx, self.plans, self.people
        logged = log_sessions(ctx, ctx.rng("sessions"), rows, plans, accounts, self.built.past)
        add_concerns(ctx, ctx.rng("concerns"), rows, plans, accounts, logged)
        leave_latest_check_out_open(self.session, self.built.past)
        self.logged = logged

    def feedback(self, rows: Rows) -> None:
        rows_by_key = self.session.execute(select(MeasureItem.key, MeasureItem.id)).all()
        items = {key: item_id for key, item_id in rows_by_key}
        coordinator = self.people.coordinator_id
        add_feedback(self.ctx, self.ctx.rng("feedback"), rows, self.logged, items, coordinator)

    def training(self, rows: Rows) -> None:
        record_training(self.ctx, self.ctx.rng("training"), rows, self.plans, self.roles)

    def supervision(self, rows: Rows) -> None:
        ctx = self.ctx
        record_supervision(ctx, ctx.rng("supervision"), rows, self.plans, self.people, self.roles)
