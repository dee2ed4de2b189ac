"""How a shift is put into words and colour, the same in every rota view: staffing is always
said in words, the colour is a second cue only."""

from datetime import date, datetime

from PySide6.QtGui import QColor, QPalette

from peerdesk.dates import show_date
from peerdesk.models import AssignmentStatus
from peerdesk.services.browse.calendar import CalendarShift, OnShift
from peerdesk.ui.paged_model import STATUS_COLOURS, status_ink
from peerdesk.wording import MONTHS, NEEDS_COVER, SHORT_MONTHS, SHORT_WEEKDAYS, Staffing, word

DAY_NAMES = SHORT_WEEKDAYS  # the rota views name a day in three letters
YOURS = "★"  # marks a shift the signed-in volunteer is on, in every view


def colour(staffing: Staffing) -> QColor:
    """The stripe or swatch beside a shift; not for text (see `staffing_ink`)."""
    return STATUS_COLOURS.get(staffing, STATUS_COLOURS[Staffing.CANCELLED])


def staffing_ink(staffing: Staffing, palette: QPalette, selected: bool = False) -> QColor:
    """The colour to write a staffing word in: readable on the palette, plain when selected."""
    return status_ink(staffing, palette, selected)


# Said before a shift's line in the month grid, where the line's end may be cut off.
NEEDS = "⚠"


def needs_filling(shift: CalendarShift) -> bool:
    return not shift.cancelled and shift.staffing in NEEDS_COVER


def hm(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"  # strftime is slow for a month of lines


def times(shift: CalendarShift, day: date | None = None) -> str:
    """ "10:00–12:30"; a shift across midnight names the other day ("22:00–Tue 02:00")."""
    end = hm(shift.ends)
    if shift.ends.date() != shift.starts.date() and shift.ends.time() != datetime.min.time():
        end = f"{DAY_NAMES[shift.ends.weekday()]} {end}"
    start = hm(shift.starts)
    if day is not None and shift.starts.date() != day:
        start = f"{DAY_NAMES[shift.starts.weekday()]} {start}"
    return f"{start}–{end}"


def staffing_text(shift: CalendarShift) -> str:
    """ "Short: 1 of 2–3 volunteers"; the word first, since it is what matters."""
    if shift.cancelled:
        return "Cancelled"
    wanted = (
        str(shift.min_volunteers)
        if shift.min_volunteers == shift.max_volunteers
        else f"{shift.min_volunteers}–{shift.max_volunteers}"
    )
    return f"{shift.staffing.capitalize()}: {shift.filled} of {wanted}"


def person(p: OnShift) -> str:
    """ "Tamsin (Facilitator)", with the place's status unless it is a plain confirmed one."""
    text = f"{p.name} ({', '.join(p.roles)})" if p.roles else p.name
    if p.status not in (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED):
        text += f" – {word(p.status).lower()}"
    return text


def people(shift: CalendarShift) -> str:
    if not shift.people:
        return "Nobody yet" if shift.filled == 0 else f"{shift.filled} on"
    return ", ".join(person(p) for p in shift.people)


def one_line(shift: CalendarShift, day: date | None = None) -> str:
    """A shift in a month cell or a menu: "★ 10:00 Wellbeing peer group – short"."""
    mark = f"{YOURS} " if shift.mine else ""
    return f"{mark}{times(shift, day).split('–')[0]} {shift.heading} – {shift.staffing}"


def described(shift: CalendarShift) -> str:
    """Everything a view shows of a shift, for a tooltip or a screen reader."""
    lines = [
        f"{show_date(shift.starts.date())}, {times(shift)}",
        shift.heading if shift.heading == shift.activity else f"{shift.heading} ({shift.activity})",
        shift.venue or "No venue",
        staffing_text(shift),
        people(shift),
    ]
    if shift.lone_working:
        lines.append("Lone working")
    if shift.mine:
        lines.append(f"You are on this shift ({word(shift.mine).lower()})")
    return "\n".join(lines)


def month_title(first: date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


def week_title(monday: date, sunday: date | None = None) -> str:
    """ "23–29 Nov 2026"; the days of a page when a narrow window shows only some of them."""
    sunday = sunday or date.fromordinal(monday.toordinal() + 6)
    if monday == sunday:
        return show_date(monday)
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {SHORT_MONTHS[sunday.month - 1]} {sunday.year}"
    return f"{show_date(monday)} – {show_date(sunday)}"
