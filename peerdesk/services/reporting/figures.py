"""The governance report's figures for a period, as one frozen dataclass, for one of two readers.

- The *board* report (coordinators and trustees): exact figures, nothing suppressed, for acting
  on; any period.
- The *public* report (for funders, hosts and commissioners): only a standard period that is
  over (`periods`); counts of people and of events about people are suppressed in each table
  (`tables`, `suppression`) and then audited together with every earlier public release
  (`public`, `disclosure`), which may hide more.

Nobody else gets figures: volunteers and supervisors are refused here, not only in the window.
Sessions, shifts and hours describe the group's work rather than people and are shown in full.
Dates are whole days in the organisation's time zone, both ends included.

The fingerprint is a SHA-256 of the figures in a canonical JSON form (not the narrative, the
sign-offs or when it was made), so two exports of the same period from the same data carry the
same fingerprint, and any change to a figure changes it.
"""

import dataclasses
import enum
import functools
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.models import Funder
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.reporting import activity, outcomes, people, periods, safeguarding
from peerdesk.services.reporting.disclosure import AuditResult
from peerdesk.services.reporting.funders import funders_section
from peerdesk.services.reporting.ledger import ReleasedTable
from peerdesk.services.reporting.public import protect_release
from peerdesk.services.reporting.sections import Section

MAX_PERIOD_DAYS = 3 * 366 + 1


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    def check(self) -> "Period":
        if self.end < self.start:
            raise ValidationError("The period ends before it starts; choose an end date after it.")
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise ValidationError("Choose a period of at most three years.")
        return self


class Audience(enum.StrEnum):
    BOARD = "board"
    PUBLIC = "public"


@dataclass(frozen=True)
class GovernanceFigures:
    organisation: str
    charity_number: str | None
    host: str | None
    funders: tuple[str, ...]
    period: Period
    threshold: int
    timezone: str
    sections: tuple[Section, ...]
    monthly: tuple[activity.Month, ...]
    completeness: tuple[str, ...]
    audience: Audience = Audience.BOARD
    period_kind: str | None = None  # the standard period a public report covers
    financial_year_month: int = 4
    audit: AuditResult | None = None  # the public report's check against earlier releases
    released: tuple[ReleasedTable, ...] = ()  # what the ledger records when it is exported
    notice: str | None = None  # a period not over yet, or not begun

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    @functools.cached_property
    def fingerprint(self) -> str:
        # Asked for by the cover, the footer, the sign-off and the export record: once is
        # enough (the figures are frozen).
        return fingerprint(self)


def fingerprint(figures: object) -> str:
    """SHA-256 of a dataclass of figures in canonical JSON."""
    body = json.dumps(_plain(figures), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date | uuid.UUID):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def governance_figures(
    session: Session, actor: Actor, period: Period, audience: Audience = Audience.BOARD
) -> GovernanceFigures:
    """The report's figures for `period`, for the board (exact) or the public (suppressed and
    audited against every earlier public release). Only coordinators and trustees may have
    either; nothing in them names or singles out a person."""
    require(actor, Permission.VIEW_FIGURES)
    period.check()
    org = organisation_settings(session)
    if not org.set_up:
        raise ValidationError("There is no organisation here yet, so there is nothing to report.")
    public = audience is Audience.PUBLIC
    kind = None
    if public:
        kind = periods.require_standard(period.start, period.end, org.financial_year_start_month)
        if period.end >= clock.today():
            raise ValidationError(
                f"A public report can be made once its period is over, after "
                f"{show_date(period.end)}; make the board report until then."
            )
    # The board reads exact figures: a threshold of 1 hides nothing.
    k = org.suppression_threshold if public else 1
    funders = tuple(session.scalars(select(Funder.name).order_by(Funder.name)))
    work = activity.read_activity(session, period.start, period.end, org.timezone, public)
    crew = people.read_people(session, period.start, period.end, k, public)
    sections: tuple[Section, ...] = (
        activity.activity_section(work, k),
        crew.volunteers,
        crew.training,
        crew.dbs,
        crew.supervision,
        safeguarding.safeguarding_section(
            session, period.start, period.end, org.timezone, k, public
        ),
        crew.equality,
    )
    if not public:  # not in the ledger, so never printed for the public
        asked = funders_section(
            session,
            period.start,
            period.end,
            org.timezone,
            org.lone_working_margin_minutes,
            org.volunteer_hour_pence,
        )
        sections = (*sections[:-1], asked, sections[-1])  # before the equality tables
    found = outcomes.outcome_section(
        session, period.start, period.end, org.timezone, k, org.suppression_threshold, public
    )
    sections += (found,) if found else ()
    audit = None
    released: tuple[ReleasedTable, ...] = ()
    if public:
        sections, released, audit = protect_release(
            session, sections, (period.start, period.end), k, org.financial_year_start_month
        )
        sections = outcomes.settle(sections)
    return GovernanceFigures(
        organisation=org.name,
        charity_number=org.charity_number,
        host=org.host_organisation,
        funders=funders,
        period=period,
        threshold=k,
        timezone=org.timezone,
        sections=sections,
        monthly=work.months,
        completeness=(*work.completeness, *crew.completeness),
        audience=audience,
        period_kind=kind.value if kind else None,
        financial_year_month=org.financial_year_start_month,
        audit=audit,
        released=released,
        notice=period_notice(period),
    )


def period_notice(period: Period) -> str | None:
    today = clock.today()
    if period.start > today:
        return (
            f"This period has not begun yet (it starts on {show_date(period.start)}): there "
            "is nothing to count, and the figures 'on the last day' are as things stand today."
        )
    if period.end >= today:
        return (
            f"This period is not over yet: the figures are to {show_date(today)} and will "
            "change until it ends."
        )
    return None
