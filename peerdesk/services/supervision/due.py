"""Who is due for supervision, by name, for the Supervision page, and the Today page's sentences
about it: coordinators hear about everyone overdue, supervisors about their supervisees, and a
volunteer only about themself."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.models import SupervisionPairing, User, Volunteer, VolunteerStatus
from peerdesk.services.attention import Attention
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.supervision.cadence import (
    CadenceStatus,
    supervision_due,
)
from peerdesk.services.supervision.follow_ups import follow_up_queue

# Most pressing first: never supervised, overdue, due soon, in date, not required.
STATUS_ORDER = {
    CadenceStatus.NEVER: 0,
    CadenceStatus.OVERDUE: 1,
    CadenceStatus.DUE_SOON: 2,
    CadenceStatus.IN_DATE: 3,
    CadenceStatus.NOT_REQUIRED: 4,
}
NAMES_SHOWN = 3


@dataclass(frozen=True)
class DueRow:
    volunteer_id: uuid.UUID
    name: str
    status: CadenceStatus
    last_on: date | None
    next_due_on: date | None
    supervisor: str | None  # who supervises them today


def due_list(session: Session, actor: Actor, today: date) -> list[DueRow]:
    """Everyone the actor may see who has not left, with their cadence: most pressing first,
    then by due date."""
    rows = supervision_due(session, actor, today)
    if not rows:
        return []
    # Read for everyone still here rather than by a list of ids: a few dozen rows either way,
    # and no long IN list when a coordinator sees all 300.
    names = {
        vid: name
        for vid, name in session.execute(
            select(Volunteer.id, Volunteer.preferred_name).where(
                Volunteer.status != VolunteerStatus.LEFT
            )
        )
    }
    leads = _supervisors(session, today)
    found = [
        DueRow(
            r.volunteer_id,
            names[r.volunteer_id],
            r.status,
            r.last_on,
            r.next_due_on,
            leads.get(r.volunteer_id),
        )
        for r in rows
        if r.volunteer_id in names
    ]
    return sorted(found, key=lambda r: (STATUS_ORDER[r.status], r.next_due_on or date.max, r.name))


def _supervisors(session: Session, today: date) -> dict[uuid.UUID, str]:
    """Who supervises whom today (the latest pairing wins)."""
    rows = session.execute(
        select(SupervisionPairing.volunteer_id, User.display_name)
        .join(User, User.id == SupervisionPairing.supervisor_user_id)
        .where(
            SupervisionPairing.since_on <= today,
            or_(SupervisionPairing.until_on.is_(None), SupervisionPairing.until_on >= today),
        )
        .order_by(SupervisionPairing.since_on)
    )
    return {vid: name for vid, name in rows}


def supervision_attention(session: Session, actor: Actor, now: datetime) -> "list[Attention]":
    """The Today page's sentences: who is overdue or never supervised, and the follow-ups
    waiting (for coordinators and supervisors); a volunteer's own overdue supervision."""
    if not can(actor, Permission.VIEW_SUPERVISION):
        return []
    today = now.astimezone(group_zone(session)).date()
    if not can(actor, Permission.LEAD_SUPERVISION):
        return [Attention("supervision", s) for s in _own_sentences(session, actor, today)]
    rows = due_list(session, actor, today)
    sentences = [
        _people_sentence([r for r in rows if r.status is CadenceStatus.OVERDUE], "overdue"),
        _people_sentence([r for r in rows if r.status is CadenceStatus.NEVER], "never"),
        _queue_sentence(len(follow_up_queue(session, actor, today)), actor),
    ]
    return [Attention("supervision", s) for s in sentences if s]


def _own_sentences(session: Session, actor: Actor, today: date) -> list[str]:
    own = supervision_due(session, actor, today)
    late = [r for r in own if r.status in (CadenceStatus.OVERDUE, CadenceStatus.NEVER)]
    return [
        f"Your supervision was due by {show_date(r.next_due_on)}: "
        "your supervisor or a coordinator can arrange it with you."
        for r in late
    ]


def _people_sentence(rows: list[DueRow], which: str) -> str:
    if not rows:
        return ""
    people = [f"{r.name} (due {show_date(r.next_due_on)})" for r in rows]
    shown, more = people[:NAMES_SHOWN], len(people) - NAMES_SHOWN
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    if more > 0:
        listed += f", and {more} more"
    n = len(rows)
    if which == "overdue":
        what = "person is overdue" if n == 1 else "people are overdue"
        return f"{n} {what} for supervision: {listed}."
    what = "person has" if n == 1 else "people have"
    return f"{n} {what} not had a first supervision, now past due: {listed}."


def _queue_sentence(waiting: int, actor: Actor) -> str:
    if waiting == 0:
        return ""
    whose = (
        "in the supervision queue"
        if can(actor, Permission.OVERSEE_SUPERVISION)
        else "in your supervision queue"
    )
    what = "follow-up is" if waiting == 1 else "follow-ups are"
    return f"{waiting} {what} waiting {whose} (debrief requests and concerns)."
