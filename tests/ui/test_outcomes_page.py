"""The "What works for whom" area on the demo's invented feedback: worked out on the worker,
shown as a chart and as a table with the same figures as the service gives, a group too small
to show said in words, and the page emptied when the screen locks."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerdesk.services.outcomes.whom import what_works_for_whom
from peerdesk.ui.change_chart import TOO_FEW
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.outcomes_desk import chart_rows
from peerdesk.ui.outcomes_page import OutcomesPage, table_words
from peerdesk.ui.store_control import StoreControl
from tests.ui.test_keyboard_reach import coordinator_window, demo_folder

__all__ = ["coordinator_window", "demo_folder"]
TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)


def shown_rows(page: OutcomesPage) -> list[tuple[str, ...]]:
    return [tuple(page.model.item(r, c).text() for c in range(5))
            for r in range(page.model.rowCount())]  # fmt: skip


def expected_rows(control: StoreControl, page: OutcomesPage) -> list[tuple[str, ...]]:
    """What the service gives for the page's choices, as the table words it."""
    start, end = page.period.currentData()
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        found = what_works_for_whom(
            s, control.signed_in.actor, start, end, page.measure.currentData(),
            page.dimension.currentData(),
        )  # fmt: skip
    return [table_words(row) for row in chart_rows(found)]


def test_the_page_opens_on_the_first_choice_without_being_asked(
    coordinator_window: tuple[MainWindow, StoreControl], qtbot: QtBot
) -> None:
    window, control = coordinator_window
    page = window.outcomes_page
    assert page is not None
    assert page.chart.caption() == "", "no axis and no line to explain before any figure"
    window.show_area("outcomes")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20_000)
    assert (page.measure.currentIndex(), page.dimension.currentIndex()) == (0, 0)
    assert page.period.currentIndex() == 0
    assert shown_rows(page) == expected_rows(control, page)
    assert page.chart.caption().endswith("; the dashed line is no change")
    assert page.chart.caption().startswith("Change from first to latest answer")


def test_change_by_activity_matches_the_service_in_chart_and_table(
    coordinator_window: tuple[MainWindow, StoreControl], qtbot: QtBot
) -> None:
    window, control = coordinator_window
    window.show_area("outcomes")
    page = window.outcomes_page
    assert page is not None and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20_000)  # the first choice
    page.period.setCurrentIndex(page.period.findText("The last 3 years"))
    page.measure.setCurrentIndex(page.measure.findData("ons4.happy"))
    page.dimension.setCurrentIndex(page.dimension.findData("activity"))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.show_button.isEnabled(), timeout=20_000)
    assert page.status.text().startswith("Happy yesterday by activity")
    shown = shown_rows(page)
    assert shown == expected_rows(control, page)
    assert shown[0][0] == "Everyone" and len(page.chart.rows) == len(shown)
    assert any(row.change is not None for row in page.chart.rows), "the demo shows some change"
    for row in page.chart.rows:
        if row.change is None:
            assert table_words(row)[1] == TOO_FEW
    # Locking forgets the figures: nothing of them stays behind the sign-in screen.
    control.lock_screen()
    assert page.model.rowCount() == 0 and page.chart.rows == [] and page.measure.count() == 0
