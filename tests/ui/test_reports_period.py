"""Which period the Reports page opens on: the last whole quarter, or, for a group with nothing
in it yet (a new group), this quarter so far, where its first sessions are."""

from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.models import Activity, ActivityKind, SessionLog, SessionMode, Volunteer
from peerdesk.ui.reports_page import quarter_choices
from tests.ui.conftest import OpenWindow, open_group
from tests.ui.test_reports_page import open_reports

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)


def _log_on(folder: DataFolder, at: datetime) -> None:
    store = open_group(folder)
    try:
        with store.session() as s:
            volunteer = Volunteer(preferred_name="Vic")
            activity = Activity(name="Drop-in", kind=ActivityKind.GROUP)
            s.add_all([volunteer, activity])
            s.flush()
            s.add(SessionLog(volunteer_id=volunteer.id, activity_id=activity.id,
                             mode=SessionMode.IN_PERSON, started_at=at,
                             ended_at=at + timedelta(hours=1), attendees=5))  # fmt: skip
    finally:
        store.close(backup=False)


def test_this_quarter_so_far_comes_first() -> None:
    first, last_whole, *_ = quarter_choices(TODAY)
    assert (first.start, first.end) == (date(2026, 10, 1), TODAY)
    assert first.label == "This quarter so far (1 Oct 2026 – 26 Nov 2026)"
    assert (last_whole.start, last_whole.end) == (date(2026, 7, 1), date(2026, 9, 30))


def test_a_new_group_opens_on_this_quarter_so_far(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    _log_on(org_folder, datetime(2026, 11, 3, 10, 0).astimezone())
    window, _control = open_reports(open_window, org_folder, qtbot, "coordinator")
    page = window.reports_page
    assert page is not None
    assert page.choice.currentText().startswith("This quarter so far")
    assert page.period().start == date(2026, 10, 1) and page.period().end == TODAY


def test_a_group_with_a_last_quarter_opens_on_it(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    _log_on(org_folder, datetime(2026, 8, 12, 10, 0).astimezone())
    window, _control = open_reports(open_window, org_folder, qtbot, "coordinator")
    page = window.reports_page
    assert page is not None
    assert page.choice.currentText().startswith("Q2 2026–27")
    assert (page.period().start, page.period().end) == (date(2026, 7, 1), date(2026, 9, 30))
