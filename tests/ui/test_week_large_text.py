"""The Week view on a small laptop at a large text size: days are never squeezed until their
words are cut short with "…". A narrow window shows a page of days at a time, and previous and
next step by page; each card grows to hold all its words. Looked at in a screenshot
(offscreen `grab()`) when it was built; this test checks what was seen there."""

from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from peerdesk.models import AssignmentStatus
from peerdesk.services.browse.calendar import CalendarShift, OnShift
from peerdesk.ui.rota.week_view import ShiftCard, WeekView

MONDAY = date(2026, 11, 23)


def shift(day: int, hour: int, people: int) -> CalendarShift:
    starts = datetime(2026, 11, 23 + day, hour)
    return CalendarShift(
        key=f"{day:02d}{hour:02d}".ljust(32, "0"),
        starts=starts,
        ends=starts + timedelta(hours=2, minutes=30),
        title="Wellbeing peer support group",
        activity="Group",
        venue="Riverside Community Library",
        min_volunteers=2,
        max_volunteers=3,
        lone_working=False,
        cancelled=False,
        filled=people,
        people=tuple(
            OnShift(
                f"{n:032x}",
                f"Volunteer{n} Longsurname",
                ("Facilitator",),
                AssignmentStatus.CONFIRMED,
            )
            for n in range(people)
        ),
    )


WEEK = [shift(d, h, (d + h) % 4) for d in range(7) for h in (10, 18)]


def painted_week(qtbot: QtBot, width: int) -> tuple[WeekView, ShiftCard]:
    view = WeekView()
    qtbot.addWidget(view)
    view.resize(width, 600)
    view.show()
    view.week.show_week(MONDAY, WEEK, MONDAY)
    view.select_day(MONDAY)
    card = view.itemDelegate()
    assert isinstance(card, ShiftCard)
    card.shortened.clear()
    view.grab()  # paints every card shown
    return view, card


# 200 % on a 1366-pixel screen leaves about 480 logical pixels for the week beside the sidebar.
@pytest.mark.parametrize("width", [480, 300, 1100])
def test_no_shift_is_cut_short_at_any_width(qtbot: QtBot, width: int) -> None:
    view, card = painted_week(qtbot, width)
    shown = [c for c in range(7) if not view.isColumnHidden(c)]
    assert len(shown) == view.days_shown and view.days_shown in (7, 4, 3, 2, 1)
    assert all(view.columnWidth(c) >= view.readable_width() for c in shown)
    assert card.shortened == []


def test_a_narrow_week_pages_through_its_days(qtbot: QtBot) -> None:
    view, _card = painted_week(qtbot, 480)
    n = view.days_shown
    assert 1 < n < 7  # a few days side by side, not the whole week
    assert (view.first_day_shown(), view.last_day_shown()) == (
        MONDAY,
        MONDAY + timedelta(days=n - 1),
    )
    day, seen = MONDAY, []
    while day < MONDAY + timedelta(days=7):  # next, page by page, to the next week's Monday
        seen.append(day)
        day = view.stepped(day, 1)
    assert day == MONDAY + timedelta(days=7)
    assert seen == [MONDAY + timedelta(days=d) for d in range(0, 7, n)]
    assert view.stepped(MONDAY, -1) == seen[-1] - timedelta(days=7)  # back: last week's last page
