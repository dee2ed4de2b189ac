"""The organisation record: creating a new group and reading its name and policies.

Every read of the group's settings goes through `organisation_settings`: one query, and the
defaults (those a new group starts with, in `peerdesk.models.organisation`) for a database with
no organisation yet."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.errors import ValidationError
from peerdesk.models import Organisation
from peerdesk.models import organisation as defaults
from peerdesk.services.names import clean_name
from peerdesk.services.permissions import Actor, Permission, require


@dataclass(frozen=True)
class OrganisationSettings:
    """The group's name and the policies the rules read."""

    set_up: bool  # False: no organisation yet, and these are the defaults
    name: str
    charity_number: str | None
    host_organisation: str | None
    timezone: str
    dbs_recheck_months: int
    suppression_threshold: int
    idle_lock_minutes: int
    retention_months: int
    first_supervision_weeks: int
    lone_working_margin_minutes: int
    volunteers_may_use_pin: bool
    financial_year_start_month: int
    volunteer_hour_pence: int | None = None  # what an hour of volunteer time is worth

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


NOT_SET_UP = OrganisationSettings(
    set_up=False,
    name="peerdesk",
    charity_number=None,
    host_organisation=None,
    timezone=DEFAULT_ZONE,
    dbs_recheck_months=defaults.DEFAULT_DBS_RECHECK_MONTHS,
    suppression_threshold=defaults.DEFAULT_SUPPRESSION_THRESHOLD,
    idle_lock_minutes=defaults.DEFAULT_IDLE_LOCK_MINUTES,
    retention_months=defaults.DEFAULT_RETENTION_MONTHS,
    first_supervision_weeks=defaults.DEFAULT_FIRST_SUPERVISION_WEEKS,
    lone_working_margin_minutes=defaults.DEFAULT_LONE_WORKING_MARGIN_MINUTES,
    volunteers_may_use_pin=False,
    financial_year_start_month=defaults.DEFAULT_FINANCIAL_YEAR_START_MONTH,
)


def organisation_settings(session: Session) -> OrganisationSettings:
    """The organisation's name and policies (the defaults before there is one)."""
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        return NOT_SET_UP
    return OrganisationSettings(
        set_up=True,
        name=org.name,
        charity_number=org.charity_number,
        host_organisation=org.host_organisation,
        timezone=org.timezone,
        dbs_recheck_months=org.dbs_recheck_months,
        suppression_threshold=org.suppression_threshold,
        idle_lock_minutes=org.idle_lock_minutes,
        retention_months=org.retention_months,
        first_supervision_weeks=org.first_supervision_weeks,
        lone_working_margin_minutes=org.lone_working_margin_minutes,
        volunteers_may_use_pin=org.volunteers_may_use_pin,
        financial_year_start_month=org.financial_year_start_month,
        volunteer_hour_pence=org.volunteer_hour_pence,
    )


def group_zone(session: Session) -> ZoneInfo:
    """The group's time zone: the one way every rule finds out what day and hour it is there."""
    return organisation_settings(session).zone


MAX_NAME = 200


@dataclass(frozen=True)
class OrganisationSummary:
    name: str
    host_organisation: str | None
    timezone: str
    suppression_threshold: int


def _summary(org: Organisation | OrganisationSettings) -> OrganisationSummary:
    return OrganisationSummary(
        org.name, org.host_organisation, org.timezone, org.suppression_threshold
    )


def check_name(name: str) -> str:
    """The name tidied, or ValidationError saying what is wrong with it."""
    clean = clean_name(name)
    if not clean:
        raise ValidationError("Give the organisation a name, for example 'Riverside Peer Support'.")
    if len(clean) > MAX_NAME:
        raise ValidationError(f"The organisation's name is too long (at most {MAX_NAME} letters).")
    return clean


def create_organisation(session: Session, name: str) -> OrganisationSummary:
    """Start a new, empty organisation. A database holds exactly one."""
    clean = check_name(name)
    if organisation_settings(session).set_up:
        raise ValidationError("This data folder already holds an organisation.")
    org = Organisation(name=clean)
    session.add(org)
    session.flush()
    return _summary(org)


def current_organisation(session: Session) -> OrganisationSummary | None:
    """The organisation in this database, or None before set-up."""
    settings = organisation_settings(session)
    return _summary(settings) if settings.set_up else None


def idle_lock_minutes(session: Session) -> int:
    """After how many idle minutes the window locks itself (the organisation's policy)."""
    return organisation_settings(session).idle_lock_minutes


def set_financial_year_start(session: Session, actor: Actor, month: int) -> None:
    """The month (1 = January) the organisation's financial year starts: the public report's
    financial-year periods and the report window's choice of years follow it."""
    require(actor, Permission.CHANGE_SETTINGS)
    if not 1 <= month <= 12:
        raise ValidationError(
            "The financial year must start in a month from 1 (January) to 12 (December); "
            "choose one of those."
        )
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        raise ValidationError("There is no organisation here yet: set one up first.")
    org.financial_year_start_month = month


MAX_HOUR_PENCE = 100_000  # £1,000 an hour: anything above is a slip of the keyboard


def pounds(pence: int) -> str:
    """£12.50, as a funder reads it."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def set_volunteer_hour_value(session: Session, actor: Actor, typed: str) -> int | None:
    """The value of an hour of volunteer time, typed in pounds ("12.50", "£12"; empty: none),
    which the board report multiplies the hours by. Returns it in pence."""
    require(actor, Permission.CHANGE_SETTINGS)
    pence = _pence(typed)
    org = session.scalars(select(Organisation).limit(1)).first()
    if org is None:
        raise ValidationError("There is no organisation here yet: set one up first.")
    org.volunteer_hour_pence = pence
    return pence


def _pence(typed: str) -> int | None:
    text = typed.strip().removeprefix("£").replace(",", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    pence = value * 100
    if not value.is_finite() or pence != pence.to_integral() or not 0 < pence <= MAX_HOUR_PENCE:
        raise ValidationError(
            f"Type the value of an hour in pounds and pence, like 12.50, up to "
            f"{pounds(MAX_HOUR_PENCE)}; leave it empty to value no hours."
        )
    return int(pence)
