"""The governance report's figures for a period, as one frozen dataclass.

Everything printed in the report (and shown on the Reports page) is here, already suppressed:
counts of people and of events about people go through `tables` and `suppression`. Sessions,
shifts and hours describe the group's work rather than people and are shown in full. Dates are
whole days in the organisation's time zone, both ends included.

The fingerprint is a SHA-256 of the figures in a canonical JSON form (not the narrative, the
sign-offs or when it was made), so two exports of the same period from the same data carry the
same fingerprint, and any change to a figure changes it.
"""

import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import Funder
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.reporting import activity, people, safeguarding
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

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    @property
    def fingerprint(self) -> str:
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


def governance_figures(session: Session, actor: Actor, period: Period) -> GovernanceFigures:
    """The report's figures for `period`: coordinators and trustees (they are aggregates,
    suppressed), and nothing in them names or singles out a person."""
    require(actor, Permission.VIEW_FIGURES)
    period.check()
    org = organisation_settings(session)
    if not org.set_up:
        raise ValidationError("There is no organisation here yet, so there is nothing to report.")
    k = org.suppression_threshold
    funders = tuple(session.scalars(select(Funder.name).order_by(Funder.name)))
    work = activity.read_activity(session, period.start, period.end, org.timezone)
    crew = people.read_people(session, period.start, period.end, k)
    sections = (
        activity.activity_section(work, k),
        crew.volunteers,
        crew.training,
        crew.dbs,
        crew.supervision,
        safeguarding.safeguarding_section(session, period.start, period.end, org.timezone, k),
        crew.equality,
    )
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
    )
