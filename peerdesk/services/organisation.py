"""The organisation record: creating a new group and reading its name and policies."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import Organisation

MAX_NAME = 200


@dataclass(frozen=True)
class OrganisationSummary:
    name: str
    host_organisation: str | None
    timezone: str
    suppression_threshold: int


def _summary(org: Organisation) -> OrganisationSummary:
    return OrganisationSummary(
        org.name, org.host_organisation, org.timezone, org.suppression_threshold
    )


def check_name(name: str) -> str:
    """The name tidied, or ValidationError saying what is wrong with it."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("Give the organisation a name, for example 'Riverside Peer Support'.")
    if len(clean) > MAX_NAME:
        raise ValidationError(f"The organisation's name is too long (at most {MAX_NAME} letters).")
    return clean


def create_organisation(session: Session, name: str) -> OrganisationSummary:
    """Start a new, empty organisation. A database holds exactly one."""
    clean = check_name(name)
    if session.scalar(select(Organisation.id).limit(1)) is not None:
        raise ValidationError("This data folder already holds an organisation.")
    org = Organisation(name=clean)
    session.add(org)
    session.flush()
    return _summary(org)


def current_organisation(session: Session) -> OrganisationSummary | None:
    """The organisation in this database, or None before set-up."""
    org = session.scalars(select(Organisation).limit(1)).first()
    return _summary(org) if org else None


DEFAULT_IDLE_LOCK_MINUTES = 5


def idle_lock_minutes(session: Session) -> int:
    """After how many idle minutes the window locks itself (the organisation's policy)."""
    minutes = session.scalar(select(Organisation.idle_lock_minutes).limit(1))
    return minutes or DEFAULT_IDLE_LOCK_MINUTES
