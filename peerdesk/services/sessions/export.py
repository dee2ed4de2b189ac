"""Session logs to CSV or XLSX, through the same exporter as volunteers and training: the logs
the person may see that match the Sessions page's filter, with head counts and hours but never
the notes (they are confidential)."""

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.dates import local
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    SessionCoVolunteer,
    SessionLog,
    SessionMode,
    Venue,
    Volunteer,
)
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse.sessions import visible_session_logs
from peerdesk.services.exporting import ExportCell, export_table
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor
from peerdesk.services.sessions.listing import SessionFilter

MODES = {
    SessionMode.IN_PERSON: "In person",
    SessionMode.PHONE: "Phone",
    SessionMode.ONLINE: "Online",
    SessionMode.WALK_AND_TALK: "Walk and talk",
}
HEADERS = (
    "Date",
    "Start",
    "End",
    "Activity",
    "Venue",
    "Mode",
    "Logged by",
    "Co-volunteers",
    "Volunteer hours",
    "Attendees",
    "New",
    "From a shift",
    "Debrief asked for",
)


def export_session_logs(person: SignedIn, out: Path, where: SessionFilter, text: str = "") -> int:
    """Returns how many logs were written."""
    with person.store.read() as s:
        rows = session_log_rows(s, person.actor, where, text)
    return export_table(person, "session logs", out, HEADERS, rows)


def export_sessions_between(
    person: SignedIn, out: Path, first_day: str | None, last_day: str | None
) -> int:
    """The command line's export: days typed as YYYY-MM-DD, either end open."""
    where = SessionFilter(_day(first_day, "--from"), _day(last_day, "--to"))
    if where.first_day and where.last_day and where.last_day < where.first_day:
        raise ValidationError("The --to day is before the --from day: swap them round.")
    return export_session_logs(person, out, where)


def _day(typed: str | None, option: str) -> date | None:
    if typed is None:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise ValidationError(
            f"{option} {typed} is not a date: write it as YYYY-MM-DD, like 2026-04-01."
        ) from None


def session_log_rows(
    session: Session, actor: Actor, where: SessionFilter, text: str = ""
) -> list[list[ExportCell]]:
    others = (
        select(func.count())
        .where(SessionCoVolunteer.session_log_id == SessionLog.id)
        .scalar_subquery()
    )
    stmt = (
        select(SessionLog, Activity.name, Venue.name, Volunteer.preferred_name, others)
        .join(Activity, Activity.id == SessionLog.activity_id)
        .join(Volunteer, Volunteer.id == SessionLog.volunteer_id)
        .outerjoin(Venue, Venue.id == SessionLog.venue_id)
        .order_by(SessionLog.started_at, SessionLog.id)
    )
    stmt = where.narrow(session, visible_session_logs(session, actor, stmt, text))
    here = str(group_zone(session))
    rows: list[list[ExportCell]] = []
    for log, activity, venue, volunteer, co in session.execute(stmt):
        start, end = local(log.started_at, here), local(log.ended_at, here)
        hours = (log.ended_at - log.started_at).total_seconds() / 3600 * (1 + co)
        rows.append(
            [
                start.date(),
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                activity,
                venue or "",
                MODES[log.mode],
                volunteer,
                co,
                round(hours, 2),
                log.attendees,
                log.new_attendees,
                "Yes" if log.shift_id else "No",
                "Yes" if log.debrief_requested else "No",
            ]
        )
    return rows
