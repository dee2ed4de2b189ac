"""Settings: the month the financial year starts, changed by a coordinator in the window (and
stored), seen by a trustee, neither for a volunteer."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.models import Organisation
from tests.ui.conftest import SignInAs


def test_a_coordinator_sets_the_month_the_financial_year_starts(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("settings")
    assert window.settings_page is not None
    box = window.settings_page.reporting_year
    assert box.isVisible() and box.month.isEnabled()
    assert box.month.currentData() == 4  # a new group's default: April
    box.month.setCurrentIndex(box.month.findText("January"))
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "starts in January" in box.problem.text()
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.scalars(select(Organisation.financial_year_start_month)).one() == 1


def test_a_trustee_sees_the_month_without_changing_it(signed_in_as: SignInAs) -> None:
    window, _control = signed_in_as("tess")
    window.show_area("settings")
    assert window.settings_page is not None
    box = window.settings_page.reporting_year
    assert box.isVisible() and not box.month.isEnabled() and not box.save.isVisible()


def test_a_volunteer_is_not_shown_it(signed_in_as: SignInAs) -> None:
    window, _control = signed_in_as("vic")
    window.show_area("settings")
    assert window.settings_page is not None
    assert not window.settings_page.reporting_year.isVisible()


@pytest.mark.today(date(2026, 11, 26))
def test_the_reports_page_offers_the_new_years_once_saved(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, _control = signed_in_as("coordinator")
    page = window.reports_page
    assert page is not None and window.settings_page is not None
    window.show_area("reports")
    page.kind.setCurrentText("Financial year")
    assert page.choice.itemText(0) == "2026–27"  # from April, the default
    window.show_area("settings")
    box = window.settings_page.reporting_year
    box.month.setCurrentIndex(box.month.findText("January"))
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    window.show_area("reports")
    assert page.kind.currentText() == "Financial year"
    assert page.choice.itemText(0) == "2026"
    assert (page.period().start, page.period().end) == (date(2025, 1, 1), date(2025, 12, 31))
    page.kind.setCurrentText("Quarter")
    assert page.choice.itemText(1) == "Q3 2026 (Jul–Sep 2026)"


def test_a_coordinator_values_an_hour_of_volunteer_time(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("settings")
    assert window.settings_page is not None and control.signed_in is not None
    box = window.settings_page.reporting_year
    assert box.rate.text() == "" and not box.rate.isReadOnly()
    qtbot.keyClicks(box.rate, "twelve pounds")
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "pounds and pence" in box.problem.text()
    assert box.rate.text() == "twelve pounds"  # kept, to correct
    box.rate.setText("£12.5")
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "is worth £12.50" in box.problem.text()
    with control.signed_in.store.read() as s:
        assert s.scalars(select(Organisation.volunteer_hour_pence)).one() == 1250
