"""Supervision cadence: when each volunteer was last supervised, when the next one is due, and
whether they are in date, due soon, overdue, never supervised or not required, as it was on a day.

The rules (computed whenever shown, never stored):
- Only someone on probation or active on the day needs supervision; applicants, people in
  induction, paused and left are *not required*. The status on the day comes from the status
  history, so a report for a past period sees people as they were then.
- The roles held on the day (a role's `since` on or before it) set the policy. With several roles
  needing supervision, the most frequent cadence applies (the smallest `supervision_every_weeks`):
  a facilitator who is also a peer supporter is seen every four weeks, not six. Whether group
  sessions count follows that role; when roles tie on the cadence, group sessions count only if
  every tied role says so (the stricter reading). A role with no cadence needs no supervision.
- Sessions count when held on or before the day and the volunteer attended. The next one is due
  one cadence after the last; with none yet, the first is due `Organisation.first_supervision_weeks`
  after starting (or after taking on the role that needs it, if later).
- A pause stops the clock: days spent paused that began before the due date push it back by as
  many days, so someone back from a break is not overdue for time they were away. Someone already
  overdue when they paused is still overdue when they return.
- Due soon: within `DUE_SOON_DAYS` of the due date (the due date itself included). Overdue: the
  day after the due date onwards. *Never supervised* is overdue with no session at all: a new
  starter still inside their first interval is in date (or due soon), with no last date.
- Policies are read as they are now: changing a role's cadence changes every due date computed
  after it, including for past days (the audit trail keeps the old value).
"""

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import id_key
from peerdesk.models import (
    Role,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionSession,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.services.browse.paging import Query, only
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import (
    Actor,
    Permission,
    require,
    supervision_queue_ids,
)

DUE_SOON_DAYS = 14
RECENT_DAYS = 366  # see _last_sessions
NEEDS_SUPERVISION = frozenset({VolunteerStatus.PROBATION, VolunteerStatus.ACTIVE})


class CadenceStatus(enum.StrEnum):
    """Where a volunteer stands for supervision, in the words shown to people."""

    IN_DATE = "in date"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    NEVER = "never supervised"
    NOT_REQUIRED = "not required"


# The ones a coordinator or supervisor should act on now.
NEEDS_ACTION = frozenset({CadenceStatus.OVERDUE, CadenceStatus.NEVER})


@dataclass(frozen=True)
class CadenceRow:
    volunteer_id: uuid.UUID
    last_on: date | None  # the last counted session on or before the day
    next_due_on: date | None  # None when not required
    status: CadenceStatus


@dataclass(frozen=True)
class RolePolicy:
    """One role held by a volunteer: from when, and its supervision policy."""

    since: date | None
    every_weeks: int | None  # None: this role needs no supervision
    group_counts: bool = True


@dataclass
class VolunteerFacts:
    """What the rule needs about one volunteer, read in bulk."""

    volunteer_id: uuid.UUID
    started_on: date | None
    current_status: VolunteerStatus
    history: list[tuple[date, VolunteerStatus]] = field(default_factory=list)  # oldest first
    roles: list[RolePolicy] = field(default_factory=list)
    last_any: date | None = None  # last attended session of any kind, on or before the day
    last_one_to_one: date | None = None


def status_on(facts: VolunteerFacts, on: date) -> VolunteerStatus | None:
    """The volunteer's status on `on` from their history; None before its first step. A record
    with no history at all (made before histories were kept) has its current status."""
    if not facts.history:
        return facts.current_status
    held = [status for day, status in facts.history if day <= on]
    return held[-1] if held else None


def governing_policy(roles: Iterable[RolePolicy], on: date) -> RolePolicy | None:
    """The policy that applies on `on`: the most frequent cadence among the roles then held."""
    held = [r for r in roles if r.every_weeks is not None and (r.since is None or r.since <= on)]
    if not held:
        return None
    weeks = min(r.every_weeks for r in held if r.every_weeks is not None)
    tied = [r for r in held if r.every_weeks == weeks]
    since = max((r.since for r in tied if r.since is not None), default=None)
    if any(r.since is None for r in tied):
        since = None
    return RolePolicy(since, weeks, all(r.group_counts for r in tied))


def pauses(history: Sequence[tuple[date, VolunteerStatus]]) -> list[tuple[date, date | None]]:
    """Each pause as (first day paused, day back or None if still paused), oldest first."""
    found: list[tuple[date, date | None]] = []
    began: date | None = None
    for day, status in history:
        if status is VolunteerStatus.PAUSED and began is None:
            began = day
        elif status is not VolunteerStatus.PAUSED and began is not None:
            found.append((began, day))
            began = None
    if began is not None:
        found.append((began, None))
    return found


def stop_the_clock(due: date, anchor: date, breaks: Sequence[tuple[date, date | None]]) -> date:
    """`due` pushed back by the paused days between `anchor` and it (see the module rules)."""
    for began, back in breaks:
        if back is None or back <= anchor:
            continue
        start = max(began, anchor)
        if start < due:
            due += back - start
    return due


def assess(facts: VolunteerFacts, on: date, first_weeks: int) -> CadenceRow:
    """One volunteer's cadence on `on` (the rules in the module docstring)."""
    status = status_on(facts, on)
    policy = governing_policy(facts.roles, on)
    if status not in NEEDS_SUPERVISION or policy is None or policy.every_weeks is None:
        return CadenceRow(facts.volunteer_id, facts.last_any, None, CadenceStatus.NOT_REQUIRED)
    last = facts.last_any if policy.group_counts else facts.last_one_to_one
    if last is not None:
        anchor, weeks = last, policy.every_weeks
    else:
        started = facts.started_on or _first_day_needing(facts.history) or on
        anchor = max(started, policy.since) if policy.since else started
        weeks = first_weeks
    due = stop_the_clock(anchor + timedelta(weeks=weeks), anchor, pauses(facts.history))
    return CadenceRow(facts.volunteer_id, last, due, _status(last, due, on))


def _first_day_needing(history: Sequence[tuple[date, VolunteerStatus]]) -> date | None:
    return next((day for day, status in history if status in NEEDS_SUPERVISION), None)


def _status(last: date | None, due: date, on: date) -> CadenceStatus:
    if on > due:
        return CadenceStatus.NEVER if last is None else CadenceStatus.OVERDUE
    if (due - on).days <= DUE_SOON_DAYS:
        return CadenceStatus.DUE_SOON
    return CadenceStatus.IN_DATE


def cadence_rows(
    session: Session, on: date, volunteer_ids: set[uuid.UUID] | None = None
) -> list[CadenceRow]:
    """Every volunteer's cadence as it was on `on` (or only `volunteer_ids`'), in no particular
    order. No actor: for internal use and aggregate figures; people lists use `supervision_due`.

    Someone who had left by `on` (their leaving date on or before it) is not required, and their
    history and sessions are not read at all (`last_on` is None): after ten years most records
    are leavers', and skipping them keeps this quick enough for the GUI thread."""
    first_weeks = organisation_settings(session).first_supervision_weeks
    people = session.execute(
        only(
            select(Volunteer.id, Volunteer.started_on, Volunteer.status, Volunteer.left_on),
            Volunteer.id,
            volunteer_ids,
        )
    ).all()
    gone = [
        CadenceRow(vid, None, None, CadenceStatus.NOT_REQUIRED)
        for vid, _started, _status, left_on in people
        if left_on is not None and left_on <= on
    ]
    facts = {
        vid: VolunteerFacts(vid, started, status)
        for vid, started, status, left_on in people
        if left_on is None or left_on > on
    }
    still_here = or_(Volunteer.left_on.is_(None), Volunteer.left_on > on)
    load_facts(
        session,
        on,
        facts,
        only(select(Volunteer.id).where(still_here), Volunteer.id, volunteer_ids),
    )
    return gone + [assess(f, on, first_weeks) for f in facts.values()]


def supervision_due(session: Session, actor: Actor, today: date) -> list[CadenceRow]:
    """The cadence rows the actor may see: coordinators everyone's, supervisors their
    supervisees', volunteers their own."""
    require(actor, Permission.VIEW_SUPERVISION)
    ids = supervision_queue_ids(session, actor, today)
    if ids is not None and not ids:
        return []
    return cadence_rows(session, today, ids)


def load_facts(
    session: Session, on: date, facts: dict[uuid.UUID, VolunteerFacts], scope: Query
) -> None:
    """Fill in histories, roles and last sessions of `facts`, whose ids `scope` selects: a
    subquery rather than a list of ids, and ids read as the stored text and matched through a
    dictionary, because turning thousands of ids into UUID objects was most of the time."""
    if not facts:
        return
    by_text = {vid.hex: facts[vid] for vid in facts} | {str(vid): facts[vid] for vid in facts}
    changes = (
        select(
            as_text(VolunteerStatusChange.volunteer_id),
            VolunteerStatusChange.changed_on,
            VolunteerStatusChange.status,
        )
        .where(VolunteerStatusChange.volunteer_id.in_(scope))
        .order_by(VolunteerStatusChange.changed_on, VolunteerStatusChange.created_at)
    )
    for vid, day, status in session.execute(changes):
        by_text[vid].history.append((day, status))
    roles = (
        select(
            as_text(VolunteerRole.volunteer_id),
            VolunteerRole.since,
            Role.supervision_every_weeks,
            Role.group_supervision_counts,
        )
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(VolunteerRole.volunteer_id.in_(scope))
    )
    for vid, since, weeks, group_counts in session.execute(roles):
        by_text[vid].roles.append(RolePolicy(since, weeks, group_counts))
    _last_sessions(session, on, facts, by_text)


def as_text(column: Any) -> Any:
    """An id read as its hex text, the same on both engines (see `portable.id_key`)."""
    return id_key(column)


def _needs_lookup(facts: VolunteerFacts, on: date) -> bool:
    """Whether the last sessions matter on `on`: for someone needing supervision, or paused."""
    status = status_on(facts, on)
    return status in NEEDS_SUPERVISION or status is VolunteerStatus.PAUSED


def _last_sessions(
    session: Session,
    on: date,
    facts: dict[uuid.UUID, VolunteerFacts],
    by_text: dict[str, VolunteerFacts],
) -> None:
    """The last sessions of those who need them: first from the sessions of the past year,
    read through the index on the day held (nearly everyone supervised has one there), then
    through each remaining person's own attendances. Reading every attendance of ten years for
    300 people costs several times as much."""
    wanted = {vid for vid, f in facts.items() if _needs_lookup(f, on)}
    if not wanted:
        return
    since = on - timedelta(days=RECENT_DAYS)
    recent = last_sessions(on).where(SupervisionSession.held_on > since)
    for vid, last_any, last_one in session.execute(recent):
        found = by_text.get(vid)
        if found is not None and found.volunteer_id in wanted:
            found.last_any, found.last_one_to_one = last_any, last_one
    # A 1:1 may be older than the year even when a group session is not.
    missing = {vid for vid in wanted if facts[vid].last_one_to_one is None}
    if missing:
        older = last_sessions(on).where(SupervisionAttendee.volunteer_id.in_(missing))
        for vid, last_any, last_one in session.execute(older):
            by_text[vid].last_any, by_text[vid].last_one_to_one = last_any, last_one


def last_sessions(on: date) -> Query:
    """Per volunteer: the last attended session of any kind and the last 1:1, on or before `on`."""
    one_to_one = case(
        (SupervisionSession.kind == SupervisionKind.ONE_TO_ONE, SupervisionSession.held_on)
    )
    return (
        select(
            as_text(SupervisionAttendee.volunteer_id),
            func.max(SupervisionSession.held_on),
            func.max(one_to_one),
        )
        .join(SupervisionSession, SupervisionSession.id == SupervisionAttendee.session_id)
        .where(SupervisionAttendee.attended.is_(True), SupervisionSession.held_on <= on)
        .group_by(SupervisionAttendee.volunteer_id)
    )
