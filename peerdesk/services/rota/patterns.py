"""Shift patterns: creating and ending them, their exceptions (a date cancelled or moved), and
generating their shifts (`generate`). Coordinators only; everyone signed in may list them."""

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    ExceptionKind,
    PatternException,
    Role,
    Shift,
    ShiftPattern,
    ShiftStatus,
    Venue,
    pattern_required_roles,
)
from peerdesk.services.names import clean_name
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, can, require
from peerdesk.services.rota.common import (
    check_minutes,
    check_staffing,
    local_span,
    require_editor,
)
from peerdesk.services.rota.generate import HORIZON_MONTHS, generate_for, horizon_end
from peerdesk.services.rota.places import check_in_use
from peerdesk.services.rota.rules import (
    MAX_SHIFTS_PER_PATTERN,
    first_occurrence,
    occurrences,
    parse_rule,
    tidy_rule,
)
from peerdesk.services.rota.shapes import Generated, PatternInfo, PatternInput

__all__ = [
    "HORIZON_MONTHS",
    "MAX_SHIFTS_PER_PATTERN",
    "cancel_occurrence",
    "create_pattern",
    "edit_pattern",
    "end_pattern",
    "generate_shifts",
    "kept_after",
    "list_patterns",
    "move_occurrence",
]

MAX_TITLE = 200
EARLIEST_YEAR = 2000


def create_pattern(
    session: Session, actor: Actor, data: PatternInput, today: date
) -> tuple[PatternInfo, Generated]:
    """A new recurring shift, and its shifts for the months ahead."""
    require_editor(actor, "add shift patterns")
    pattern = ShiftPattern()
    return _save(session, pattern, data, today)


def edit_pattern(
    session: Session, actor: Actor, pattern_id: uuid.UUID, data: PatternInput, today: date
) -> tuple[PatternInfo, Generated]:
    """Change a pattern; its shifts still to come that nobody is on, and no coordinator
    edited, follow it (the others are kept and counted in `Generated.kept`)."""
    require_editor(actor, "change shift patterns")
    return _save(session, _get(session, pattern_id), data, today)


def _save(
    session: Session, pattern: ShiftPattern, data: PatternInput, today: date
) -> tuple[PatternInfo, Generated]:
    title = _check(session, data, today)
    check_in_use(session, data.activity_id, data.venue_id, pattern.activity_id, pattern.venue_id)
    pattern.title = title
    pattern.activity_id, pattern.venue_id = data.activity_id, data.venue_id
    pattern.rrule = tidy_rule(data.rrule)
    pattern.first_on, pattern.until_on = data.first_on, data.until_on
    pattern.local_start, pattern.duration_minutes = data.local_start, data.duration_minutes
    pattern.min_volunteers, pattern.max_volunteers = data.min_volunteers, data.max_volunteers
    pattern.lone_working, pattern.active = data.lone_working, True
    session.add(pattern)
    session.flush()
    links = pattern_required_roles
    session.execute(delete(links).where(links.c.pattern_id == pattern.id))
    if data.required_role_ids:
        session.execute(
            insert(links),
            [{"pattern_id": pattern.id, "role_id": r} for r in sorted(data.required_role_ids)],
        )
    made = generate_for(session, [pattern], today, group_zone(session), horizon_end(today))
    return _info(session, pattern), made


def _check(session: Session, data: PatternInput, today: date) -> str:
    title = clean_name(data.title)
    if not title:
        raise ValidationError("Give the pattern a title, for example 'Tuesday drop-in'.")
    if len(title) > MAX_TITLE:
        raise ValidationError(f"The title is too long (at most {MAX_TITLE} letters).")
    check_refs(session, data.activity_id, data.venue_id, data.required_role_ids)
    check_minutes(data.duration_minutes)
    check_staffing(data.min_volunteers, data.max_volunteers)
    if data.first_on.year < EARLIEST_YEAR or data.first_on > horizon_end(today):
        raise ValidationError("The first date is far from today; check the year.")
    if data.until_on is not None and data.until_on < data.first_on:
        raise ValidationError("The pattern ends before it starts: check its first and last dates.")
    rule = parse_rule(data.rrule, data.first_on, data.local_start)
    if first_occurrence(rule, data.first_on, data.until_on) is None:
        raise ValidationError(
            "This pattern has no dates: its rule never falls between its first and last dates."
        )
    last = min(data.until_on or horizon_end(today), horizon_end(today))
    occurrences(rule, max(data.first_on, today), last)  # refuses a rule that makes too many
    return title


def check_refs(
    session: Session,
    activity_id: uuid.UUID,
    venue_id: uuid.UUID | None,
    role_ids: frozenset[uuid.UUID],
) -> None:
    if session.get(Activity, activity_id) is None:
        raise ValidationError("Choose what the shift is (the activity).")
    if venue_id is not None and session.get(Venue, venue_id) is None:
        raise ValidationError("That venue is no longer on record; choose another.")
    if role_ids:
        known = session.scalar(select(func.count()).where(Role.id.in_(role_ids)))
        if known != len(role_ids):
            raise ValidationError("One of the roles the shift needs is no longer on record.")


def end_pattern(
    session: Session, actor: Actor, pattern_id: uuid.UUID, last_on: date, today: date
) -> Generated:
    """Stop a pattern after `last_on`: its later shifts nobody is on are removed."""
    require_editor(actor, "end shift patterns")
    pattern = _get(session, pattern_id)
    if last_on < pattern.first_on:
        raise ValidationError("The last date is before the pattern's first date.")
    # Ending is for stopping sooner; a later "end" would quietly make shifts again.
    if not pattern.active:
        raise ValidationError(f"“{pattern.title}” has already ended.")
    if pattern.until_on is not None and last_on > pattern.until_on:
        raise ValidationError(
            f"“{pattern.title}” already ends on {show_date(pattern.until_on)}; to run it "
            "longer, change its last date instead."
        )
    pattern.until_on = last_on
    session.flush()
    return generate_for(session, [pattern], today, group_zone(session), horizon_end(today))


def kept_after(session: Session, actor: Actor, pattern_id: uuid.UUID, last_on: date) -> list[date]:
    """The dates of a pattern's shifts after `last_on` still on the rota: once it is ended,
    those someone is on (or a coordinator changed), which the coordinator sorts out by hand."""
    require(actor, Permission.VIEW_ROTA)
    stmt = (
        select(Shift.occurrence_on)
        .where(
            Shift.pattern_id == pattern_id,
            Shift.occurrence_on > last_on,
            Shift.status != ShiftStatus.CANCELLED,
        )
        .order_by(Shift.occurrence_on)
    )
    return [day for day in session.scalars(stmt) if day is not None]


def generate_shifts(
    session: Session,
    actor: Actor,
    today: date,
    pattern_id: uuid.UUID | None = None,
    months: int = HORIZON_MONTHS,
) -> Generated:
    """Shifts for every active pattern (or one) from `today` for `months` ahead."""
    require_editor(actor, "generate shifts")
    stmt = select(ShiftPattern).order_by(ShiftPattern.first_on)
    stmt = stmt.where(ShiftPattern.id == pattern_id) if pattern_id else stmt
    patterns = list(session.scalars(stmt))
    return generate_for(session, patterns, today, group_zone(session), horizon_end(today, months))


# Shifts are made a year ahead; once the furthest falls this far inside the horizon, the next
# coordinator to sign in makes the rest. More than a month, so that a monthly pattern's last shift
# (up to 31 days before the horizon) does not look short: a sign-in pays for it about monthly.
TOP_UP_DAYS = 35


def keep_rota_ahead(session: Session, actor: Actor, today: date) -> Generated | None:
    """Extend the active patterns' shifts to the full horizon when the furthest has fallen
    TOP_UP_DAYS short of it (a year after the patterns were made, the rota would otherwise
    simply stop). None when nothing needed doing, or the actor is not a coordinator."""
    if not can(actor, Permission.EDIT_ROTA):
        return None
    live = select(ShiftPattern.id).where(
        ShiftPattern.active, (ShiftPattern.until_on.is_(None)) | (ShiftPattern.until_on > today)
    )
    if session.scalar(live.limit(1)) is None:
        return None
    # Each live pattern's latest shift, read from the end of ix_shifts_pattern_starts: a max over
    # all their shifts at once would read every shift they ever had.
    latest = (
        select(func.max(Shift.starts_at))
        .where(Shift.pattern_id == ShiftPattern.id)
        .correlate(ShiftPattern)
        .scalar_subquery()
    )
    furthest = session.scalar(select(func.max(latest)).where(ShiftPattern.id.in_(live)))
    wanted = horizon_end(today) - timedelta(days=TOP_UP_DAYS)
    if furthest is not None and furthest.astimezone(group_zone(session)).date() >= wanted:
        return None
    return generate_shifts(session, actor, today)


def cancel_occurrence(
    session: Session, actor: Actor, pattern_id: uuid.UUID, on: date, reason: str | None = None
) -> None:
    """One date of a pattern is off (a bank holiday, the venue closed)."""
    require_editor(actor, "cancel shifts")
    pattern = _get(session, pattern_id)
    _check_date_of(pattern, on)
    _exception(session, pattern.id, on, ExceptionKind.CANCELLED, None, None)
    shift = _shift_on(session, pattern.id, on)
    if shift is not None:
        shift.status = ShiftStatus.CANCELLED
        shift.notes = (reason or "").strip() or shift.notes
    session.flush()


def move_occurrence(
    session: Session,
    actor: Actor,
    pattern_id: uuid.UUID,
    on: date,
    to_day: date,
    local_start: time,
    duration_minutes: int | None = None,
) -> None:
    """One date of a pattern happens at another time (or on another day)."""
    require_editor(actor, "move shifts")
    pattern = _get(session, pattern_id)
    _check_date_of(pattern, on)
    minutes = duration_minutes or pattern.duration_minutes
    check_minutes(minutes)
    if abs((to_day - on).days) > 31:
        raise ValidationError("A date can be moved by up to a month; for more, add a new shift.")
    starts, ends = local_span(to_day, local_start, minutes, group_zone(session))
    _exception(session, pattern.id, on, ExceptionKind.MOVED, starts, ends)
    shift = _shift_on(session, pattern.id, on)
    if shift is not None:
        shift.starts_at, shift.ends_at, shift.status = starts, ends, ShiftStatus.PLANNED
    session.flush()


def _exception(
    session: Session,
    pattern_id: uuid.UUID,
    on: date,
    kind: ExceptionKind,
    starts: datetime | None,
    ends: datetime | None,
) -> None:
    found = session.scalar(
        select(PatternException).where(
            PatternException.pattern_id == pattern_id, PatternException.occurrence_on == on
        )
    )
    if found is None:
        found = PatternException(pattern_id=pattern_id, occurrence_on=on)
        session.add(found)
    found.kind, found.moved_starts_at, found.moved_ends_at = kind, starts, ends


def _check_date_of(pattern: ShiftPattern, on: date) -> None:
    rule = parse_rule(pattern.rrule, pattern.first_on, pattern.local_start)
    if on < pattern.first_on or (pattern.until_on and on > pattern.until_on):
        raise ValidationError(f"The pattern does not run on {show_date(on)}.")
    if on not in occurrences(rule, on, on):
        raise ValidationError(f"The pattern has no shift on {show_date(on)}; check the date.")


def _shift_on(session: Session, pattern_id: uuid.UUID, on: date) -> Shift | None:
    return session.scalar(
        select(Shift).where(Shift.pattern_id == pattern_id, Shift.occurrence_on == on)
    )


def _get(session: Session, pattern_id: uuid.UUID) -> ShiftPattern:
    pattern = session.get(ShiftPattern, pattern_id)
    if pattern is None:
        raise ValidationError("That shift pattern is no longer on record.")
    return pattern


def list_patterns(session: Session, actor: Actor, include_ended: bool = False) -> list[PatternInfo]:
    require(actor, Permission.VIEW_ROTA)
    stmt = select(ShiftPattern).order_by(func.lower(ShiftPattern.title))
    if not include_ended:
        stmt = stmt.where(ShiftPattern.active)
    return [_info(session, p) for p in session.scalars(stmt)]


def _info(session: Session, p: ShiftPattern) -> PatternInfo:
    roles = session.execute(
        select(Role.id, Role.name)
        .join(pattern_required_roles, pattern_required_roles.c.role_id == Role.id)
        .where(pattern_required_roles.c.pattern_id == p.id)
        .order_by(Role.name)
    ).all()
    venue = session.get(Venue, p.venue_id) if p.venue_id else None
    return PatternInfo(
        id=p.id,
        title=p.title,
        activity=session.get_one(Activity, p.activity_id).name,
        venue=venue.name if venue else None,
        rrule=p.rrule,
        first_on=p.first_on,
        until_on=p.until_on,
        local_start=p.local_start,
        duration_minutes=p.duration_minutes,
        min_volunteers=p.min_volunteers,
        max_volunteers=p.max_volunteers,
        required_roles=tuple(r.name for r in roles),
        lone_working=p.lone_working,
        active=p.active,
        activity_id=p.activity_id,
        venue_id=p.venue_id,
        required_role_ids=frozenset(r.id for r in roles),
    )
