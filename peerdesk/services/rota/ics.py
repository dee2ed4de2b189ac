"""The rota as an iCalendar (.ics) file, for one volunteer or everyone, through `icalendar`.

Each event's UID comes from its shift's id, so importing a newer export updates the events a
calendar already has instead of adding copies; SEQUENCE is the shift's version, so the newer
edit wins. Times carry the organisation's TZID with a VTIMEZONE for it, so a calendar shows a
10:00 shift at 10:00 in summer and winter alike. Events hold names and roles only: never anyone's
contact details, and for a trustee no names at all (as in the window).
"""

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event, Timezone
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db import audit
from peerdesk.db.outputs import check_output, write_output
from peerdesk.errors import ValidationError
from peerdesk.models import AssignmentStatus
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Actor, PermissionDenied, may_act_on_rota_for
from peerdesk.services.rota.common import org_zone
from peerdesk.services.rota.exported import shifts_to_export
from peerdesk.services.rota.shapes import ShiftDetail

PRODID = "-//peerdesk//rota//EN"
UID_DOMAIN = "peerdesk"
A = AssignmentStatus
# A place that no longer puts them on the shift: the event is kept, marked cancelled, so a
# calendar that had it removes it on the next import.
OFF = (A.DECLINED, A.COVER_REQUESTED)
ICS = (".ics",)


def shift_uid(shift_id: uuid.UUID) -> str:
    return f"{shift_id}@{UID_DOMAIN}"


def rota_calendar(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    volunteer_id: uuid.UUID | None = None,
    stamp: datetime | None = None,
) -> Calendar:
    """The shifts touching `first_day` to `last_day` (a volunteer's only, if given)."""
    if volunteer_id is not None and not may_act_on_rota_for(actor, volunteer_id):
        raise PermissionDenied("You can export your own shifts or the whole rota.")
    zone = org_zone(session)
    shifts = shifts_to_export(session, actor, first_day, last_day, volunteer_id)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Rota" if volunteer_id is None else "My shifts")
    cal.add("x-wr-timezone", zone.key)
    # A year either side: a shift across midnight, or a calendar that reads ahead, stays covered.
    margin = timedelta(days=366)
    cal.add_component(
        Timezone.from_tzid(zone.key, first_date=first_day - margin, last_date=last_day + margin)
    )
    now = stamp or clock.now()
    for shift in shifts:
        cal.add_component(_event(shift, volunteer_id, now))
    return cal


def _event(shift: ShiftDetail, volunteer_id: uuid.UUID | None, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", shift_uid(shift.id))
    event.add("dtstamp", stamp)
    event.add("sequence", shift.version)
    event.add("dtstart", shift.local_start)
    event.add("dtend", shift.local_end)
    event.add("summary", shift.title)
    if shift.venue:
        event.add("location", shift.venue)
    event.add("description", _description(shift))
    event.add("status", _status(shift, volunteer_id))
    return event


def _status(shift: ShiftDetail, volunteer_id: uuid.UUID | None) -> str:
    if shift.cancelled:
        return "CANCELLED"
    if volunteer_id is None:
        return "CONFIRMED"
    mine = next((p.status for p in shift.people if p.volunteer_id == volunteer_id), None)
    if mine in OFF:
        return "CANCELLED"
    return "TENTATIVE" if mine is A.OFFERED else "CONFIRMED"


def _description(shift: ShiftDetail) -> str:
    wanted = f"{shift.min_volunteers}–{shift.max_volunteers}"
    lines = [shift.activity, f"Staffing: {shift.staffing} ({shift.filled} of {wanted})"]
    if shift.required_roles:
        lines.append("Needs: " + ", ".join(shift.required_roles))
    if shift.lone_working:
        lines.append("Lone working: check in and out.")
    # A trustee's export has places without names (see `exported`): counted, never listed.
    on = [p for p in shift.people if p.name and (p.fills or p.status is A.OFFERED)]
    for p in on:
        roles = f" ({', '.join(p.roles)})" if p.roles else ""
        offered = " – offered" if p.status is A.OFFERED else ""
        lines.append(f"{p.name}{roles}{offered}")
    return "\n".join(lines)


def export_ics(
    person: SignedIn,
    out: Path,
    first_day: date,
    last_day: date,
    volunteer_id: uuid.UUID | None = None,
    *,
    overwrite: bool = True,
) -> int:
    """Write the calendar atomically to `out` and audit the export; returns how many shifts.
    `overwrite`: whether an existing `out` may be replaced."""
    folder = person.store.folder
    check_output(out, folder, overwrite=overwrite, suffixes=ICS)
    if last_day < first_day:
        raise ValidationError("The last day is before the first; check the dates.")
    with person.store.read() as s:
        cal = rota_calendar(s, person.actor, first_day, last_day, volunteer_id)
    events = len(cal.walk("VEVENT"))
    write_output(out, cal.to_ical(), folder, overwrite=overwrite, suffixes=ICS)
    with person.store.session(person.actor) as s:
        changes = {"shifts": events, "file": out.name, "volunteer": str(volunteer_id or "all")}
        audit.record(s, "export", "rota_ics", changes=changes)
    return events
