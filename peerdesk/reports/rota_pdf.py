"""The printable rota: A4 landscape, a week (seven day columns, every shift in full) or a month
(a calendar grid, one line a shift) to a page, with names and roles on each shift and its
staffing in words and colour. Only names and roles are printed, never contact details: the
printout is pinned on noticeboards.

The week layout never drops a shift: a day with more than fits carries on to a continuation
page for the same week. The month layout is for an overview; a full day says how many more
shifts it has and that the week layout shows them all.
"""

import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from peerdesk.dates import show_date
from peerdesk.db import audit
from peerdesk.db.outputs import check_output, write_output
from peerdesk.errors import PeerdeskError
from peerdesk.models import AssignmentStatus
from peerdesk.services.auth import SignedIn
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.rota import ShiftDetail
from peerdesk.services.rota.exported import shifts_to_export
from peerdesk.wording import MONTHS, SHORT_MONTHS, WEEKDAYS, Staffing

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 28
HEADER = 44
FOOTER = 18
REGULAR, BOLD = "Vera", "VeraBd"
STAFFING_COLOURS = {
    Staffing.FILLED: colors.HexColor("#1b6e3a"),
    Staffing.OVER: colors.HexColor("#1f4e8c"),
    Staffing.SHORT: colors.HexColor("#9a5b00"),
    Staffing.UNFILLED: colors.HexColor("#b3261e"),
    Staffing.CANCELLED: colors.HexColor("#6b6b6b"),
}
MAX_DAYS = 366
MONTH_LINES_PER_SHIFT = 3
GRID = colors.HexColor("#9e9e9e")
MUTED = colors.HexColor("#555555")


class ReportError(PeerdeskError):
    """The rota cannot be printed as asked."""


@dataclass(frozen=True)
class Line:
    text: str
    font: str = REGULAR
    size: float = 7.5
    colour: colors.Color = colors.black


def _fonts() -> None:
    # Vera ships with reportlab and covers far more names than the built-in Type 1 fonts.
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))


def by_day(shifts: Sequence[ShiftDetail]) -> dict[date, list[ShiftDetail]]:
    """Each shift under every local day it touches (a shift across midnight on both)."""
    found: dict[date, list[ShiftDetail]] = defaultdict(list)
    for shift in shifts:
        for day in shift.days:
            found[day].append(shift)
    return found


def weeks(first: date, last: date) -> Iterator[date]:
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        yield monday
        monday += timedelta(days=7)


def render_rota(
    shifts: Sequence[ShiftDetail],
    first: date,
    last: date,
    title: str,
    layout: str = "week",
) -> bytes:
    """The PDF's bytes: `layout` is "week" or "month"."""
    _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("peerdesk")
    days = by_day(shifts)
    pages = (
        _week_pages(canvas, days, first, last, title)
        if layout == "week"
        else _month_pages(canvas, days, first, last, title)
    )
    if pages == 0:  # an empty range still prints a page that says so
        _header(canvas, title, f"{show_date(first)} to {show_date(last)}")
        canvas.setFont(REGULAR, 11)
        canvas.drawString(MARGIN, PAGE_H - MARGIN - HEADER - 20, "No shifts in these dates.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def export_rota_pdf(
    person: SignedIn,
    out: Path,
    first: date,
    last: date,
    layout: str = "week",
    *,
    overwrite: bool = True,
) -> int:
    """Render the rota from `first` to `last` and write it atomically to `out` (a crash leaves
    the old file or the new, never half); the export is audited. Returns how many shifts.
    `overwrite`: whether an existing `out` may be replaced."""
    folder = person.store.folder
    check_output(out, folder, overwrite=overwrite, suffixes=(".pdf",))
    if last < first:
        raise ReportError("The last day is before the first; check the dates.")
    if (last - first).days > MAX_DAYS:
        raise ReportError("Print at most a year of the rota at a time.")
    if layout not in ("week", "month"):
        raise ReportError("Choose a week or a month layout.")
    with person.store.read() as s:
        shifts = shifts_to_export(s, person.actor, first, last)
        org = organisation_settings(s).name
    data = render_rota(shifts, first, last, f"{org}: rota", layout)
    write_output(out, data, folder, overwrite=overwrite, suffixes=(".pdf",))
    with person.store.session(person.actor) as s:
        changes = {"shifts": len(shifts), "file": out.name, "from": first, "to": last}
        audit.record(s, "export", "rota_pdf", changes=changes)
    return len(shifts)


# Week pages --------------------------------------------------------------------------------------


def _week_pages(
    canvas: Canvas, days: dict[date, list[ShiftDetail]], first: date, last: date, title: str
) -> int:
    pages = 0
    column_w = (PAGE_W - 2 * MARGIN) / 7
    for monday in weeks(first, last):
        shown = [monday + timedelta(days=n) for n in range(7)]
        blocks = {
            d: [_shift_block(s, d, column_w - 6) for s in days.get(d, [])] if first <= d <= last
            else [] for d in shown
        }  # fmt: skip
        part = 1
        while True:
            left = _draw_week(canvas, shown, blocks, title, part, first, last)
            canvas.showPage()
            pages += 1
            if not any(left.values()):
                break
            blocks, part = left, part + 1
    return pages


def _draw_week(
    canvas: Canvas,
    shown: list[date],
    blocks: dict[date, list[list[Line]]],
    title: str,
    part: int,
    first: date,
    last: date,
) -> dict[date, list[list[Line]]]:
    """One page of a week; returns the blocks that did not fit (for a continuation page)."""
    span = f"Week of {show_date(shown[0])}" + (f" (continued, page {part})" if part > 1 else "")
    _header(canvas, title, span)
    column_w = (PAGE_W - 2 * MARGIN) / 7
    top, bottom = PAGE_H - MARGIN - HEADER, MARGIN + FOOTER
    left: dict[date, list[list[Line]]] = {}
    for n, day in enumerate(shown):
        x = MARGIN + n * column_w
        muted = not first <= day <= last
        heading = f"{WEEKDAYS[n]} {day.day} {SHORT_MONTHS[day.month - 1]}"
        _day_heading(canvas, x, top, column_w, heading, muted)
        y = top - 18
        queue = list(blocks.get(day, []))
        while queue:
            height = sum(line.size + 2 for line in queue[0]) + 6
            if y - height < bottom:
                break
            y = _draw_block(canvas, x + 3, y, queue.pop(0))
        left[day] = queue
        if queue:
            canvas.setFont(BOLD, 7)
            canvas.setFillColor(STAFFING_COLOURS[Staffing.UNFILLED])
            canvas.drawString(x + 3, bottom + 2, f"{len(queue)} more: see the next page")
    canvas.setStrokeColor(GRID)
    canvas.rect(MARGIN, bottom, PAGE_W - 2 * MARGIN, top - bottom)
    for n in range(1, 7):
        canvas.line(MARGIN + n * column_w, bottom, MARGIN + n * column_w, top)
    return left


def _shift_block(shift: ShiftDetail, day: date, width: float) -> list[Line]:
    start, end = shift.local_start, shift.local_end
    times = f"{start:%H:%M}–{end:%H:%M}"
    if start.date() < day:
        times = f"(from {start:%a} {start:%H:%M})–{end:%H:%M}"
    elif end.date() > start.date():
        times += " (next day)"
    lines = [Line(times, BOLD, 7.5)]
    lines += _wrapped(shift.title, BOLD, 7.5, width)
    if shift.venue:
        lines += _wrapped(shift.venue, REGULAR, 6.5, width, MUTED)
    word = shift.staffing
    state = Staffing.CANCELLED if shift.cancelled else f"{word} ({wanted(shift)})"
    flags = ", lone working" if shift.lone_working else ""
    lines += _wrapped(state + flags, BOLD, 6.5, width, STAFFING_COLOURS[word])
    if shift.required_roles and not shift.cancelled:
        lines += _wrapped("Needs: " + ", ".join(shift.required_roles), REGULAR, 6.5, width, MUTED)
    for person in _people(shift):
        lines += _wrapped(person, REGULAR, 7, width)
    return lines


def wanted(shift: ShiftDetail) -> str:
    """ "1 of 2" or "1 of 2–3": how many are on it against how many it needs."""
    least, most = shift.min_volunteers, shift.max_volunteers
    return f"{shift.filled} of {least}" + (f"–{most}" if most != least else "")


def _people(shift: ShiftDetail) -> list[str]:
    found = []
    for p in shift.people:
        if not p.name or not (p.fills or p.status is AssignmentStatus.OFFERED):
            continue
        roles = f" ({', '.join(p.roles)})" if p.roles else ""
        offered = " (offered)" if p.status is AssignmentStatus.OFFERED else ""
        found.append(f"• {p.name}{roles}{offered}")
    return found


def _wrapped(
    text: str, font: str, size: float, width: float, colour: colors.Color = colors.black
) -> list[Line]:
    return [Line(t, font, size, colour) for t in simpleSplit(text, font, size, width)]


def _draw_block(canvas: Canvas, x: float, y: float, lines: list[Line]) -> float:
    for line in lines:
        y -= line.size + 2
        canvas.setFont(line.font, line.size)
        canvas.setFillColor(line.colour)
        canvas.drawString(x, y, line.text)
    canvas.setStrokeColor(colors.HexColor("#d0d0d0"))
    canvas.line(x, y - 3, x + (PAGE_W - 2 * MARGIN) / 7 - 6, y - 3)
    return y - 6


# Month pages -------------------------------------------------------------------------------------


def _months(first: date, last: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def _month_pages(
    canvas: Canvas, days: dict[date, list[ShiftDetail]], first: date, last: date, title: str
) -> int:
    pages = 0
    for month in _months(first, last):
        _draw_month(canvas, days, month, first, last, title)
        canvas.showPage()
        pages += 1
    return pages


def _draw_month(
    canvas: Canvas,
    days: dict[date, list[ShiftDetail]],
    month: date,
    first: date,
    last: date,
    title: str,
) -> None:
    _header(canvas, title, f"{MONTHS[month.month - 1]} {month.year}")
    top, bottom = PAGE_H - MARGIN - HEADER, MARGIN + FOOTER
    column_w = (PAGE_W - 2 * MARGIN) / 7
    mondays = list(weeks(month, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)))
    row_h = (top - 14 - bottom) / len(mondays)
    for n, name in enumerate(WEEKDAYS):
        _day_heading(canvas, MARGIN + n * column_w, top, column_w, name, False)
    canvas.setStrokeColor(GRID)
    for r, monday in enumerate(mondays):
        for n in range(7):
            day = monday + timedelta(days=n)
            x, y = MARGIN + n * column_w, top - 14 - r * row_h
            canvas.setStrokeColor(GRID)
            canvas.rect(x, y - row_h, column_w, row_h)
            inside = day.month == month.month and first <= day <= last
            _month_cell(canvas, x, y, column_w, row_h, day, days.get(day, []) if inside else [],
                        inside)  # fmt: skip


def _month_cell(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    day: date,
    shifts: list[ShiftDetail],
    inside: bool,
) -> None:
    canvas.setFont(BOLD, 8)
    canvas.setFillColor(colors.black if inside else GRID)
    canvas.drawString(x + 3, y - 10, str(day.day))
    bottom, line_y = y - h + 4, y - 20
    for n, shift in enumerate(shifts):
        names = ", ".join(
            p.name + _held(shift, p.roles) for p in shift.people if p.fills and p.name
        )
        text = f"{shift.local_start:%H:%M} {shift.title}: {names or shift.staffing}"
        lines = simpleSplit(text, REGULAR, 6, w - 6)[:MONTH_LINES_PER_SHIFT]
        more = len(shifts) - n
        # Keep room for the "+N more" line unless this is the last shift.
        need = len(lines) * 7 + (7 if more > 1 else 0)
        if line_y - need < bottom:
            canvas.setFont(BOLD, 6)
            canvas.setFillColor(MUTED)
            canvas.drawString(x + 3, line_y, f"+{more} more (print by week)")
            return
        canvas.setFont(REGULAR, 6)
        canvas.setFillColor(STAFFING_COLOURS[shift.staffing])
        for line in lines:
            canvas.drawString(x + 3, line_y, line)
            line_y -= 7
        line_y -= 1


def _held(shift: ShiftDetail, roles: tuple[str, ...]) -> str:
    """The roles the shift needs that this person holds, shown after their name."""
    needed = [r for r in roles if r in shift.required_roles]
    return f" ({', '.join(needed)})" if needed else ""


# Shared ------------------------------------------------------------------------------------------


def _header(canvas: Canvas, title: str, span: str) -> None:
    canvas.setFillColor(colors.black)
    canvas.setFont(BOLD, 15)
    canvas.drawString(MARGIN, PAGE_H - MARGIN - 14, title)
    canvas.setFont(REGULAR, 10)
    canvas.drawString(MARGIN, PAGE_H - MARGIN - 30, span)
    _key(canvas)
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
    canvas.drawRightString(PAGE_W - MARGIN, MARGIN, "Names and roles only: no contact details.")


def _key(canvas: Canvas) -> None:
    """The staffing words in their colours, right-aligned under the title."""
    x = PAGE_W - MARGIN
    for word, colour in reversed(list(STAFFING_COLOURS.items())):
        x -= pdfmetrics.stringWidth(word, BOLD, 8)
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(colour)
        canvas.drawString(x, PAGE_H - MARGIN - 30, word)
        x -= 8
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(x, PAGE_H - MARGIN - 30, "Staffing:")


def _day_heading(canvas: Canvas, x: float, top: float, w: float, text: str, muted: bool) -> None:
    canvas.setFillColor(colors.HexColor("#eeeeee"))
    canvas.rect(x, top - 14, w, 14, stroke=0, fill=1)
    canvas.setFillColor(GRID if muted else colors.black)
    canvas.setFont(BOLD, 8)
    canvas.drawString(x + 3, top - 10, text)
