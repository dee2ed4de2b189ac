"""A new pattern whose first date has passed: the form says, before saving, that its shifts
start from today (the date is kept: it is when the pattern really began)."""

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.models import Shift, ShiftPattern
from tests.ui.conftest import OpenWindow
from tests.ui.test_rota_views import Rota, open_rota, rota

__all__ = ["rota"]


def test_a_first_date_in_the_past_is_said_before_saving(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    qtbot.mouseClick(page.new_pattern, Qt.MouseButton.LeftButton)
    form = control.rota_desk.dialog
    today = clock.today()
    assert form.past_start.isHidden()  # it opens on a day to come
    form.title.setText("Monday peer group")
    form.fields.activity.setCurrentIndex(form.fields.activity.findText("Wellbeing group"))
    form.fields.start.setText("18:00")
    form.fields.end.setText("20:00")
    first = today - timedelta(days=34)
    for n, box in enumerate(form.repeat.days):
        box.setChecked(n == today.weekday())
    form.repeat.first_on.setText(show_date(first))
    assert not form.past_start.isHidden()
    assert form.past_start.text() == (
        f"The first date, {show_date(first)}, has passed: peerdesk makes no shifts in the past, "
        f"so this pattern's shifts will start from today, {show_date(today)}."
    )
    form.repeat.first_on.setText("32 Foo")  # half-typed: nothing said until it is a date
    assert form.past_start.isHidden()
    form.repeat.first_on.setText(show_date(today + timedelta(days=1)))
    assert form.past_start.isHidden()
    form.repeat.first_on.setText(show_date(first))
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert not form.isVisible(), form.problem.text()
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        pattern = s.scalars(select(ShiftPattern).where(ShiftPattern.title == "Monday peer group"))
        made = pattern.one()
        earliest = s.scalar(
            select(Shift.starts_at).where(Shift.pattern_id == made.id).order_by(Shift.starts_at)
        )
    assert made.first_on == first  # kept as typed
    assert earliest is not None and earliest.date() >= today - timedelta(days=1)
