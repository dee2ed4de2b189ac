"""DBS checks: recording a certificate, a volunteer's checks, and the rechecks due.

DBS certificates do not expire. The organisation's policy (`Organisation.dbs_recheck_months`,
three years unless the group changes it) says when to ask for a new check; a certificate on the
Update Service stays current while the volunteer subscribes, and the date of its latest online
status check is kept with it. The rules are in `peerdesk.services.compliance`.

`dbs_standings` reads, for many people at once, what that rule needs (who holds a role that needs
a check, and each one's newest certificate); the rota's eligibility checks, Today's rechecks and
the governance report all ask it, so "no check" and "recheck overdue" mean the same everywhere.

The certificate number is shown in full to coordinators only; everyone else who may see a
check (the volunteer, their supervisor) gets its last four digits (`•••• 1234`).
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import open_value
from peerdesk.errors import ValidationError
from peerdesk.models import (
    DBSCheck,
    DBSLevel,
    Role,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from peerdesk.services.compliance import (
    DBS_DUE_SOON_DAYS,
    DBS_NOT_IN_PLACE,
    DBSStatus,
    dbs_recheck,
    recheck_due_on,
)
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    can,
    require,
    visible_volunteer_ids,
)

MASK = "••••"
# As printed on the certificate: 12 digits (spaces and dashes are ignored).
CERTIFICATE_NUMBER = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class DBSRecord:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    level: DBSLevel
    certificate_number: str | None  # masked unless the reader is a coordinator
    issued_on: date
    update_service: bool
    update_service_checked_on: date | None
    recheck_due_on: date | None  # None while on the Update Service


@dataclass(frozen=True)
class VolunteerDBS:
    """A volunteer's DBS standing: from their newest certificate, and every check, newest first."""

    status: DBSStatus
    recheck_due_on: date | None
    checks: tuple[DBSRecord, ...]


@dataclass(frozen=True)
class DBSStandings:
    """What the DBS rule needs about some volunteers: the names of each one's roles that need a
    check (only those who hold one), and each one's newest certificate (issued on, Update
    Service)."""

    recheck_months: int
    roles_needing: dict[uuid.UUID, tuple[str, ...]]
    newest: dict[uuid.UUID, tuple[date, bool]]

    def status(self, volunteer_id: uuid.UUID, day: date) -> DBSStatus | None:
        """Where their check stands on `day`; None when none of their roles needs one."""
        if volunteer_id not in self.roles_needing:
            return None
        issued, subscribed = self.newest.get(volunteer_id, (None, False))
        return dbs_recheck(issued, subscribed, self.recheck_months, day)

    def in_place(self, volunteer_id: uuid.UUID, day: date) -> bool:
        """False when their role needs a check and there is none, or its recheck is overdue."""
        return self.status(volunteer_id, day) not in DBS_NOT_IN_PLACE

    def due_on(self, volunteer_id: uuid.UUID) -> date | None:
        issued, subscribed = self.newest.get(volunteer_id, (None, False))
        return recheck_due_on(issued, subscribed, self.recheck_months)


def dbs_standings(
    session: Session, volunteer_ids: Collection[uuid.UUID], issued_by: date | None = None
) -> DBSStandings:
    """The DBS standings of `volunteer_ids`, counting only certificates issued on or before
    `issued_by` when it is given (a report's last day)."""
    ids = list(volunteer_ids)
    roles: dict[uuid.UUID, list[str]] = defaultdict(list)
    needing = (
        select(VolunteerRole.volunteer_id, Role.name)
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(Role.needs_dbs, VolunteerRole.volunteer_id.in_(ids))
        .order_by(Role.name)
    )
    for volunteer_id, role in session.execute(needing):
        roles[volunteer_id].append(role)
    checks = (
        select(DBSCheck.volunteer_id, DBSCheck.issued_on, DBSCheck.update_service)
        .where(DBSCheck.volunteer_id.in_(ids))
        .order_by(DBSCheck.issued_on, DBSCheck.created_at)
    )
    if issued_by is not None:
        checks = checks.where(DBSCheck.issued_on <= issued_by)
    newest = {v: (issued, sub) for v, issued, sub in session.execute(checks)}  # newest wins
    needs = {v: tuple(names) for v, names in roles.items()}
    return DBSStandings(recheck_months(session), needs, newest)


@dataclass(frozen=True)
class RecheckDue:
    """An active volunteer whose role needs DBS and whose recheck is due soon, overdue, or who
    has no check at all."""

    volunteer_id: uuid.UUID
    volunteer: str
    status: DBSStatus
    issued_on: date | None
    recheck_due_on: date | None


def _number_shown(session: Session, check: DBSCheck, actor: Actor) -> str | None:
    """In full for coordinators, else the last four digits; only a mask where the number is
    sealed to coordinators and the person, and the reader (a supervisor) is neither."""
    if check.certificate_number is None:
        return None
    number = open_value(session, check.certificate_number)
    if number is None:
        return MASK
    return number if can(actor, Permission.KEEP_DBS) else mask_certificate(number)


def mask_certificate(number: str | None) -> str | None:
    """`•••• 1234`: the last four digits only."""
    if not number:
        return None
    return f"{MASK} {number[-4:]}"


def recheck_months(session: Session) -> int:
    """The organisation's DBS recheck interval in months."""
    return organisation_settings(session).dbs_recheck_months


def record_dbs_check(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    level: DBSLevel,
    certificate_number: str | None,
    issued_on: date,
    today: date,
    update_service: bool = False,
    update_service_checked_on: date | None = None,
) -> DBSRecord:
    """Record a DBS certificate (coordinators only)."""
    require(actor, Permission.KEEP_DBS)
    if session.get(Volunteer, volunteer_id) is None:
        raise ValidationError("That volunteer is no longer on record.")
    number = check_certificate_number(certificate_number)
    _check_dates(issued_on, today, update_service, update_service_checked_on)
    check = DBSCheck(
        volunteer_id=volunteer_id,
        level=DBSLevel(level),
        certificate_number=number,
        issued_on=issued_on,
        update_service=update_service,
        update_service_checked_on=update_service_checked_on if update_service else None,
    )
    session.add(check)
    session.flush()
    return _record(session, check, actor, recheck_months(session))


def record_update_service_check(
    session: Session, actor: Actor, check_id: uuid.UUID, checked_on: date, today: date
) -> DBSRecord:
    """Note the day a coordinator checked a certificate's status on the Update Service."""
    require(actor, Permission.KEEP_DBS)
    check = session.get(DBSCheck, check_id)
    if check is None:
        raise ValidationError("That DBS check is no longer on record.")
    if not check.update_service:
        raise ValidationError("This certificate is not on the Update Service.")
    _check_dates(check.issued_on, today, True, checked_on)
    check.update_service_checked_on = checked_on
    session.flush()
    return _record(session, check, actor, recheck_months(session))


def check_certificate_number(number: str | None) -> str | None:
    """The number with spaces and dashes removed, None if blank, or ValidationError."""
    clean = re.sub(r"[\s-]", "", number or "")
    if not clean:
        return None
    if not CERTIFICATE_NUMBER.match(clean):
        raise ValidationError(
            "A DBS certificate number is 12 digits, as printed at the top right of the certificate."
        )
    return clean


def _check_dates(issued_on: date, today: date, subscribed: bool, checked_on: date | None) -> None:
    if issued_on > today:
        raise ValidationError("The certificate's issue date is in the future; check the date.")
    if issued_on.year < 2002:
        raise ValidationError("DBS (and CRB) certificates date from 2002 on; check the year.")
    if checked_on is None:
        return
    if not subscribed:
        raise ValidationError("A status check date needs the certificate on the Update Service.")
    if not issued_on <= checked_on <= today:
        raise ValidationError(
            "The Update Service check date must be between the issue date and today."
        )


def volunteer_dbs(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, today: date
) -> VolunteerDBS:
    """A volunteer's DBS checks and standing: for the volunteer, their supervisor and
    coordinators."""
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    visible = visible_volunteer_ids(session, actor)
    if visible is not None and volunteer_id not in visible:
        raise PermissionDenied("You can see your own DBS check and those of people you supervise.")
    months = recheck_months(session)
    stmt = (
        select(DBSCheck)
        .where(DBSCheck.volunteer_id == volunteer_id)
        .order_by(DBSCheck.issued_on.desc(), DBSCheck.created_at.desc())
    )
    checks = tuple(_record(session, c, actor, months) for c in session.scalars(stmt))
    newest = checks[0] if checks else None
    return VolunteerDBS(
        status=_status(newest, months, today),
        recheck_due_on=newest.recheck_due_on if newest else None,
        checks=checks,
    )


def dbs_rechecks_due(
    session: Session, actor: Actor, today: date, within_days: int = DBS_DUE_SOON_DAYS
) -> list[RecheckDue]:
    """Active volunteers in a role that needs DBS whose recheck falls within `within_days` days
    (today + `within_days` or sooner, overdue included), or who have no check; most urgent
    first. Coordinators see everyone; supervisors their supervisees and themself."""
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    people = select(Volunteer.id, Volunteer.preferred_name).where(
        Volunteer.status == VolunteerStatus.ACTIVE
    )
    visible = visible_volunteer_ids(session, actor)
    if visible is not None:
        people = people.where(Volunteer.id.in_(visible))
    names = {v: name for v, name in session.execute(people)}
    standings = dbs_standings(session, names)
    found = []
    for volunteer_id in standings.roles_needing:
        status, due = standings.status(volunteer_id, today), standings.due_on(volunteer_id)
        if status is None:  # pragma: no cover - everyone here holds a role that needs DBS
            continue
        if status in DBS_NOT_IN_PLACE or (due is not None and (due - today).days <= within_days):
            issued = standings.newest.get(volunteer_id, (None, False))[0]
            found.append(RecheckDue(volunteer_id, names[volunteer_id], status, issued, due))
    return sorted(found, key=lambda r: (r.recheck_due_on or date.min, r.volunteer.lower()))


def _status(newest: DBSRecord | None, months: int, today: date) -> DBSStatus:
    if newest is None:
        return DBSStatus.NONE
    return dbs_recheck(newest.issued_on, newest.update_service, months, today)


def _record(session: Session, check: DBSCheck, actor: Actor, months: int) -> DBSRecord:
    return DBSRecord(
        id=check.id,
        volunteer_id=check.volunteer_id,
        level=check.level,
        certificate_number=_number_shown(session, check, actor),
        issued_on=check.issued_on,
        update_service=check.update_service,
        update_service_checked_on=check.update_service_checked_on,
        recheck_due_on=recheck_due_on(check.issued_on, check.update_service, months),
    )
