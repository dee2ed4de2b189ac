"""Venues and activities: where shifts happen and what they are. Everyone who sees the rota may
list them; only coordinators add, change, retire and bring them back.

They are never deleted: shifts, patterns and session logs point at them, and a year-old log must
still say where it happened. Retiring one (`active = False`) takes it out of the forms that make
new shifts and patterns; what already uses it keeps it.

Every refusal is a `ValidationError` (or `PermissionDenied`) raised before anything is written,
with one sentence saying what to do."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.db.folding import fold, folded
from peerdesk.errors import ValidationError
from peerdesk.models import Activity, ActivityKind, Shift, ShiftPattern, ShiftStatus, Venue
from peerdesk.services.names import clean_name
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.rota.common import require_editor
from peerdesk.services.unique_rules import flush_unique

MAX_NAME = 200  # the column's width
MAX_ADDRESS = 500  # a postal address with directions fits; a pasted page does not


@dataclass(frozen=True)
class ActivityInfo:
    id: uuid.UUID
    name: str
    kind: ActivityKind
    active: bool
    funded_by: str | None = None  # the funder or project the board report splits work by


@dataclass(frozen=True)
class VenueInfo:
    id: uuid.UUID
    name: str
    address: str | None
    active: bool


@dataclass(frozen=True)
class InUse:
    """What still uses a venue or activity: planned shifts from now on, and patterns that go
    on making shifts. Retiring it leaves them as they are; the coordinator is told how many."""

    shifts: int
    patterns: int


# Listing ---------------------------------------------------------------------------------------
def list_activities(session: Session, actor: Actor) -> list[ActivityInfo]:
    """Every activity, those in use first, then by name."""
    require(actor, Permission.VIEW_ROTA)
    rows = session.scalars(select(Activity).order_by(Activity.active.desc(), Activity.name))
    return [_activity_info(a) for a in rows]


def list_venues(session: Session, actor: Actor) -> list[VenueInfo]:
    """Every venue, those in use first, then by name."""
    require(actor, Permission.VIEW_ROTA)
    rows = session.scalars(select(Venue).order_by(Venue.active.desc(), Venue.name))
    return [_venue_info(v) for v in rows]


def activity_in_use(session: Session, actor: Actor, activity_id: uuid.UUID, now: datetime) -> InUse:
    require(actor, Permission.VIEW_ROTA)
    return _in_use(
        session, Shift.activity_id == activity_id, ShiftPattern.activity_id == activity_id, now
    )


def venue_in_use(session: Session, actor: Actor, venue_id: uuid.UUID, now: datetime) -> InUse:
    require(actor, Permission.VIEW_ROTA)
    return _in_use(session, Shift.venue_id == venue_id, ShiftPattern.venue_id == venue_id, now)


def _in_use(session: Session, shift_is: Any, pattern_is: Any, now: datetime) -> InUse:
    today: date = now.astimezone(group_zone(session)).date()
    shifts = session.scalar(
        select(func.count())
        .select_from(Shift)
        .where(shift_is, Shift.status == ShiftStatus.PLANNED, Shift.ends_at > now)
    )
    patterns = session.scalar(
        select(func.count())
        .select_from(ShiftPattern)
        .where(
            pattern_is,
            ShiftPattern.active,
            or_(ShiftPattern.until_on.is_(None), ShiftPattern.until_on >= today),
        )
    )
    return InUse(shifts or 0, patterns or 0)


# Activities ------------------------------------------------------------------------------------
def create_activity(
    session: Session,
    actor: Actor,
    name: str,
    kind: ActivityKind | str,
    funded_by: str | None = None,
) -> ActivityInfo:
    require_editor(actor, "add activities")
    clean = _name(session, Activity, name, "activity", None)
    activity = Activity(name=clean, kind=_kind(kind), active=True, funded_by=_funder(funded_by))
    session.add(activity)
    flush_unique(session, _taken_meanwhile("activity", clean))
    return _activity_info(activity)


def change_activity(
    session: Session,
    actor: Actor,
    activity_id: uuid.UUID,
    name: str,
    kind: ActivityKind | str,
    was: ActivityInfo | None = None,
    funded_by: str | None = None,
) -> ActivityInfo:
    """Rename an activity and/or change its kind and the funder or project it is for. Its
    shifts and logs follow: they point at it. `was`: what the coordinator saw when they opened
    it; if someone else has changed it since, nothing is written (no silent lost update)."""
    require_editor(actor, "change activities")
    activity = _get_activity(session, activity_id)
    if was is not None and _activity_info(activity) != was:
        raise ValidationError(_changed_meanwhile(was.name))
    clean = _name(session, Activity, name, "activity", activity_id)
    activity.name, activity.kind = clean, _kind(kind)
    activity.funded_by = _funder(funded_by)
    flush_unique(session, _taken_meanwhile("activity", clean))
    return _activity_info(activity)


def set_activity_active(
    session: Session, actor: Actor, activity_id: uuid.UUID, active: bool
) -> ActivityInfo:
    """Retire an activity (`active=False`) or bring it back."""
    require_editor(actor, "retire or bring back activities")
    activity = _get_activity(session, activity_id)
    _check_change_of_state(activity.name, activity.active, active)
    activity.active = active
    session.flush()
    return _activity_info(activity)


# Venues ----------------------------------------------------------------------------------------
def create_venue(
    session: Session, actor: Actor, name: str, address: str | None = None
) -> VenueInfo:
    require_editor(actor, "add venues")
    clean = _name(session, Venue, name, "venue", None)
    venue = Venue(name=clean, address=_address(address), active=True)
    session.add(venue)
    flush_unique(session, _taken_meanwhile("venue", clean))
    return _venue_info(venue)


def change_venue(
    session: Session,
    actor: Actor,
    venue_id: uuid.UUID,
    name: str,
    address: str | None,
    was: VenueInfo | None = None,
) -> VenueInfo:
    """Rename a venue and/or change its address (empty: no address). `was`: as for
    `change_activity`."""
    require_editor(actor, "change venues")
    venue = _get_venue(session, venue_id)
    if was is not None and _venue_info(venue) != was:
        raise ValidationError(_changed_meanwhile(was.name))
    clean = _name(session, Venue, name, "venue", venue_id)
    tidy_address = _address(address)
    venue.name, venue.address = clean, tidy_address
    flush_unique(session, _taken_meanwhile("venue", clean))
    return _venue_info(venue)


def set_venue_active(
    session: Session, actor: Actor, venue_id: uuid.UUID, active: bool
) -> VenueInfo:
    """Retire a venue (`active=False`) or bring it back."""
    require_editor(actor, "retire or bring back venues")
    venue = _get_venue(session, venue_id)
    _check_change_of_state(venue.name, venue.active, active)
    venue.active = active
    session.flush()
    return _venue_info(venue)


def check_in_use(
    session: Session,
    activity_id: uuid.UUID,
    venue_id: uuid.UUID | None,
    kept_activity: uuid.UUID | None,
    kept_venue: uuid.UUID | None,
) -> None:
    """A retired activity or venue is not chosen anew for a shift or pattern; one it already
    has may stay (changing the time of an old shift must not force a new venue on it)."""
    if activity_id != kept_activity:
        activity = session.get(Activity, activity_id)
        if activity is not None and not activity.active:
            raise ValidationError(_retired(activity.name, "activity"))
    if venue_id is not None and venue_id != kept_venue:
        venue = session.get(Venue, venue_id)
        if venue is not None and not venue.active:
            raise ValidationError(_retired(venue.name, "venue"))


def _retired(name: str, what: str) -> str:
    return (
        f"“{name}” is retired; choose another {what}, or bring it back under "
        "“Venues and activities…” first."
    )


# Rules -----------------------------------------------------------------------------------------
def _name(
    session: Session,
    model: type[Activity] | type[Venue],
    typed: str,
    what: str,
    own_id: uuid.UUID | None,
) -> str:
    """The name trimmed (runs of spaces and line breaks made one space), or why it cannot be.
    Unique ignoring case and accents, so "Drop-in" and "drop-in", or "Café" and "CAFE", never
    sit side by side in a filter box."""
    clean = clean_name(typed)
    if not clean:
        raise ValidationError(f"Type a name for the {what}.")
    if len(clean) > MAX_NAME:
        raise ValidationError(
            f"The {what}'s name is {len(clean)} characters long; keep it to {MAX_NAME} or fewer."
        )
    same = select(model.name, model.active).where(
        folded(model.name) == fold(clean), model.id != own_id
    )
    other = session.execute(same.limit(1)).first()
    if other is not None:
        other_name, active = other
        retired = "" if active else " (retired: bring it back instead)"
        raise ValidationError(
            f"There is already {_article(what)} {what} called “{other_name}”{retired}; "
            "choose another name."
        )
    return clean


def _taken_meanwhile(what: str, name: str) -> str:
    """Another laptop saved the same name between our check and our write (on a server)."""
    return (
        f"Someone else has just saved {_article(what)} {what} called “{name}”; nothing was "
        "saved here. Choose another name."
    )


def _changed_meanwhile(name: str) -> str:
    return (
        f"Someone else changed “{name}” after you opened it, so yours was not saved: "
        "cancel to see theirs, then change it again."
    )


def _article(what: str) -> str:
    return "an" if what[0] in "aeiou" else "a"


def _kind(kind: ActivityKind | str) -> ActivityKind:
    try:
        return ActivityKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ActivityKind)
        raise ValidationError(f"Choose what kind of activity it is ({kinds}).") from None


def _address(typed: str | None) -> str | None:
    """Line breaks kept (an address has lines); blank lines and edge spaces dropped."""
    lines = [line.strip() for line in (typed or "").splitlines()]
    clean = "\n".join(line for line in lines if line)
    if len(clean) > MAX_ADDRESS:
        raise ValidationError(
            f"The address is {len(clean)} characters long; keep it to {MAX_ADDRESS} or fewer."
        )
    return clean or None


def _check_change_of_state(name: str, now: bool, wanted: bool) -> None:
    """Someone else may have done it already since the list was read: say so, change nothing."""
    if now == wanted:
        state = "in use" if now else "retired"
        raise ValidationError(f"“{name}” is already {state}.")


def _get_activity(session: Session, activity_id: uuid.UUID) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise ValidationError("That activity is no longer in peerdesk; close and reopen the list.")
    return activity


def _get_venue(session: Session, venue_id: uuid.UUID) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise ValidationError("That venue is no longer in peerdesk; close and reopen the list.")
    return venue


def _funder(typed: str | None) -> str | None:
    """A funder's or project's name as typed, in one line; None when left empty."""
    clean = " ".join((typed or "").split())
    if len(clean) > MAX_NAME:
        raise ValidationError(
            f"The funder or project name is longer than {MAX_NAME} characters; shorten it."
        )
    return clean or None


def _activity_info(a: Activity) -> ActivityInfo:
    return ActivityInfo(a.id, a.name, a.kind, a.active, a.funded_by)


def _venue_info(v: Venue) -> VenueInfo:
    return VenueInfo(v.id, v.name, v.address, v.active)
