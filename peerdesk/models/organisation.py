"""The organisation (the group itself), its funders, reporting periods and volunteer roles.

The organisation's policy columns drive the rules in services: supervision cadence, training
renewal, DBS recheck interval, small-number suppression and retention. One database holds one group.
"""

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.models.base import Record

# The policies a new group starts with, and what a database with no organisation yet reads
# (`peerdesk.services.organisation.organisation_settings`).
DEFAULT_DBS_RECHECK_MONTHS = 36
DEFAULT_SUPPRESSION_THRESHOLD = 5
DEFAULT_IDLE_LOCK_MINUTES = 5
DEFAULT_RETENTION_MONTHS = 72
DEFAULT_FIRST_SUPERVISION_WEEKS = 6
DEFAULT_LONE_WORKING_MARGIN_MINUTES = 30
DEFAULT_FINANCIAL_YEAR_START_MONTH = 4  # April, as most UK charities


class Organisation(Record):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("suppression_threshold IN (5, 10)", name="suppression_threshold"),
        CheckConstraint("dbs_recheck_months > 0", name="dbs_recheck_positive"),
        CheckConstraint("idle_lock_minutes BETWEEN 1 AND 120", name="idle_lock_range"),
        CheckConstraint("retention_months >= 12", name="retention_at_least_a_year"),
        CheckConstraint("first_supervision_weeks > 0", name="first_supervision_positive"),
        CheckConstraint("lone_working_margin_minutes >= 0", name="lone_working_margin"),
    )

    name: Mapped[str] = mapped_column(String(200))
    charity_number: Mapped[str | None] = mapped_column(String(40))
    company_number: Mapped[str | None] = mapped_column(String(40))
    host_organisation: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_ZONE)
    # Policies: the numbers the rules in services read.
    dbs_recheck_months: Mapped[int] = mapped_column(default=DEFAULT_DBS_RECHECK_MONTHS)
    suppression_threshold: Mapped[int] = mapped_column(default=DEFAULT_SUPPRESSION_THRESHOLD)
    idle_lock_minutes: Mapped[int] = mapped_column(default=DEFAULT_IDLE_LOCK_MINUTES)
    retention_months: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_MONTHS)
    first_supervision_weeks: Mapped[int] = mapped_column(default=DEFAULT_FIRST_SUPERVISION_WEEKS)
    lone_working_margin_minutes: Mapped[int] = mapped_column(
        default=DEFAULT_LONE_WORKING_MARGIN_MINUTES
    )
    # The month the financial year starts on (its first day): a public report may cover one.
    # A server default only, as the migration adds it: older revisions' inserts (the upgrade
    # test's) must not name it.
    financial_year_start_month: Mapped[int] = mapped_column(
        server_default=str(DEFAULT_FINANCIAL_YEAR_START_MONTH)
    )
    # What an hour of volunteer time is worth to funders, in pence; None until the group sets
    # it (the board report then says so rather than value the time at nothing).
    volunteer_hour_pence: Mapped[int | None] = mapped_column()
    # Off unless the group chooses it: a 6-digit PIN unlocks the same keys as a password, and a
    # stolen keys file lets a PIN be guessed offline far sooner than a long password.
    volunteers_may_use_pin: Mapped[bool] = mapped_column(default=False)


class Funder(Record):
    __tablename__ = "funders"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class ReportingPeriod(Record):
    __tablename__ = "reporting_periods"
    __table_args__ = (CheckConstraint("ends_on > starts_on", name="ends_after_start"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class Role(Record):
    """A volunteer role (peer supporter, group facilitator, ...) and the policies tied to it."""

    __tablename__ = "roles"
    __table_args__ = (
        CheckConstraint(
            "supervision_every_weeks IS NULL OR supervision_every_weeks > 0",
            name="supervision_cadence_positive",
        ),
    )

    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # None: supervision is not required for this role.
    supervision_every_weeks: Mapped[int | None]
    group_supervision_counts: Mapped[bool] = mapped_column(default=True)
    needs_dbs: Mapped[bool] = mapped_column(default=True)


class PublicRelease(Record):
    """One table of a public governance report, as printed: the ledger every later public
    release is checked against, so that no hidden count can be worked out by putting reports
    side by side. `cells` is JSON (see `services.reporting.ledger`)."""

    __tablename__ = "public_releases"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_ends_after_start"),
        Index("ix_public_releases_table_period", "table_key", "period_start", "period_end"),
    )

    report_code: Mapped[str] = mapped_column(String(40), index=True)
    table_key: Mapped[str] = mapped_column(String(80))
    period_start: Mapped[date]
    period_end: Mapped[date]
    cells: Mapped[str] = mapped_column(Text)
