"""The Reports page driven through the window over demo data: figures on screen, the narrative
kept with the export, export on the background worker, and a trustee's sign-off."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.models import ReportExport, ReportSignOff, SessionLog, UserRole
from peerdesk.services.reporting.records import Narrative
from peerdesk.services.setup import ensure_account
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.report_desk import SignOffDialog
from peerdesk.ui.reports_page import quarters, years
from peerdesk.ui.store_control import StoreControl
from tests.conftest import TEST_SECRET
from tests.ui.conftest import Answers, OpenWindow, sign_in

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day


@pytest.fixture
def demo_folder(store: Store) -> Iterator[DataFolder]:
    generate_demo(store, seed=7, size="small", today=TODAY)
    for name, role in (("coordinator", UserRole.COORDINATOR), ("trustee", UserRole.TRUSTEE)):
        ensure_account(store, name, name.title(), role, TEST_SECRET)
    store.close(backup=False)
    yield store.folder


def open_reports(
    open_window: OpenWindow, folder: DataFolder, qtbot: QtBot, who: str
) -> tuple[MainWindow, StoreControl]:
    window, control = open_window(folder)
    sign_in(qtbot, window, who)
    assert control.signed_in is not None
    window.show_area("reports")
    assert window.reports_page is not None
    assert window.stack.currentWidget() is window.reports_page
    return window, control


def set_period(window: MainWindow, start: date, end: date) -> None:
    page = window.reports_page
    assert page is not None
    page.kind.setCurrentText("Custom dates")
    page.start.setDate(QDate(start.year, start.month, start.day))
    page.end.setDate(QDate(end.year, end.month, end.day))


def save_as(qtbot: QtBot, control: StoreControl, out: Path) -> None:
    """In the export's file dialog, which opens on its file name: the whole path typed over
    the name suggested, and Enter (keys only, as a person without a mouse would)."""
    desk = control.report_desk
    qtbot.waitUntil(lambda: desk.file_dialog is not None and desk.file_dialog.isVisible())
    dialog = desk.file_dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused_in(dialog) is not None, timeout=5_000)
    field = focused_in(dialog)
    assert isinstance(field, QLineEdit), "the file dialog opens on its file name"
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, str(out))
    qtbot.keyClick(field, Qt.Key.Key_Return)


def focused_in(window: QWidget | None) -> QWidget | None:
    here = QApplication.focusWidget()
    return here if here is not None and here.window() is window else None


def test_quarters_and_years_follow_the_financial_year() -> None:
    q = quarters(date(2026, 11, 26))
    assert (q[0].start, q[0].end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q[0].label.startswith("Q3 2026–27")
    assert (q[2].start, q[2].end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (q[3].start, q[3].end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q[3].label.startswith("Q4 2025–26")
    y = years(date(2026, 2, 1))
    assert (y[0].start, y[0].end) == (date(2025, 4, 1), date(2026, 3, 31))


def test_a_year_from_september_keeps_calendar_quarters() -> None:
    """A public report covers calendar quarters only: with a year from September the quarters
    stay calendar ones, named by their months."""
    q = quarters(date(2026, 11, 26), month=9)
    assert (q[0].start, q[0].end, q[0].label) == (
        date(2026, 10, 1), date(2026, 12, 31), "Oct–Dec 2026"
    )  # fmt: skip
    y = years(date(2026, 8, 31), month=9)
    assert (y[0].start, y[0].end, y[0].label) == (date(2025, 9, 1), date(2026, 8, 31), "2025–26")


# The export's file dialog (Qt's own) is a window the headless test platform cannot raise.
@pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_figures_narrative_and_export(
    open_window: OpenWindow,
    demo_folder: DataFolder,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answers: Answers,
) -> None:
    window, control = open_reports(open_window, demo_folder, qtbot, "coordinator")
    page = window.reports_page
    assert (
        page is not None and page.export.isVisibleTo(page) and not page.sign_off.isVisibleTo(page)
    )
    set_period(window, date(2025, 6, 1), date(2026, 5, 31))
    qtbot.mouseClick(page.show_figures, Qt.MouseButton.LeftButton)
    shown = page.figures.toPlainText()
    assert control.store is not None
    with control.store.read() as s:
        logs = [
            log for log in s.scalars(select(SessionLog))
            if date(2025, 6, 1) <= log.started_at.date() <= date(2026, 5, 31)
        ]  # fmt: skip
    assert "Sessions by activity and mode" in shown and "Methods" not in shown
    assert "Volunteer hours" in shown
    # Sessions near midnight may fall on the other side of a UTC date: a margin of a few.
    totals = [int(t.replace(",", "")) for t in shown.split() if t.replace(",", "").isdigit()]
    assert any(abs(t - len(logs)) <= 3 for t in totals)
    qtbot.keyClicks(page.narrative["highlights"], "A second group opened in the library.")
    out = tmp_path / "report.pdf"
    qtbot.mouseClick(page.export, Qt.MouseButton.LeftButton)
    save_as(qtbot, control, out)
    qtbot.waitUntil(lambda: out.exists() and page.export.isEnabled(), timeout=30_000)
    with control.store.read() as s:
        row = s.scalars(select(ReportExport)).one()
    assert Narrative.from_json(row.narrative).highlights == "A second group opened in the library."
    assert row.report_code in page.status.text()
    assert any(row.report_code in text for text in answers.shown)
    page.tabs.setCurrentWidget(page.exports)
    assert page.exports.model is not None and page.exports.model.rowCount() == 1
    # Signing out forgets the figures and the words.
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: control.signed_in is None)
    assert page.figures.toPlainText() == ""
    assert page.narrative["highlights"].toPlainText() == ""


def test_a_trustee_signs_off_and_the_next_export_shows_it(
    open_window: OpenWindow, demo_folder: DataFolder, qtbot: QtBot, tmp_path: Path
) -> None:
    window, control = open_reports(open_window, demo_folder, qtbot, "trustee")
    page = window.reports_page
    assert page is not None and page.sign_off.isVisibleTo(page)
    assert page.narrative["highlights"].isReadOnly()
    set_period(window, date(2025, 6, 1), date(2026, 5, 31))
    first = tmp_path / "first.pdf"
    control.report_desk.export_to(first)
    qtbot.waitUntil(lambda: first.exists() and page.export.isEnabled(), timeout=30_000)
    page.tabs.setCurrentWidget(page.exports)
    page.exports.reload()
    model = page.exports.model
    assert model is not None and model.rowCount() == 1
    page.exports.table.selectionModel().select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.mouseClick(page.sign_off, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SignOffDialog))
    # The signer is the signed-in trustee: shown, not typed.
    assert control.signed_in is not None
    trustee_name = control.signed_in.actor.display_name
    assert dialog.signer.text() == trustee_name
    qtbot.keyClicks(dialog.comment, "Reviewed at the November board.")
    dialog.go.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert control.store is not None
    with control.store.read() as s:
        signed = s.scalars(select(ReportSignOff)).one()
    assert (signed.signer_name, signed.comment) == (
        trustee_name,
        "Reviewed at the November board.",
    )
    second = tmp_path / "second.pdf"
    control.report_desk.export_to(second)
    qtbot.waitUntil(lambda: second.exists() and page.export.isEnabled(), timeout=30_000)
    import pypdf

    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(second).pages).split())
    assert trustee_name in text and "Reviewed at the November board." in text


def test_a_volunteer_exports_their_own_record_from_their_page(
    open_window: OpenWindow,
    demo_folder: DataFolder,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answers: Answers,
) -> None:
    from peerdesk.services.setup import ensure_account as add

    window, control = open_window(demo_folder)
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    add(control.signed_in.store, "volunteer", "Volunteer", UserRole.VOLUNTEER, TEST_SECRET)
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: control.signed_in is None)
    sign_in(qtbot, window, "volunteer")
    signed = control.signed_in
    assert signed is not None and signed.actor.volunteer_id is not None
    out = tmp_path / "mine.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "PDF"))
    control.volunteer_desk.open_record(signed.actor.volunteer_id)
    editor = control.volunteer_desk.editor
    assert editor is not None and editor.record_button.isVisibleTo(editor)
    editor.record_button.click()
    assert out.exists()
    with signed.store.read() as s:
        row = s.scalars(select(ReportExport)).one()
    assert row.report_code in answers.shown[-1]
    editor.reject()


def test_an_end_before_the_start_is_one_plain_sentence_and_nothing_is_written(
    open_window: OpenWindow,
    demo_folder: DataFolder,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answers: Answers,
) -> None:
    window, control = open_reports(open_window, demo_folder, qtbot, "coordinator")
    page = window.reports_page
    assert page is not None
    set_period(window, date(2026, 5, 31), date(2025, 6, 1))
    qtbot.keyClicks(page.narrative["learning"], "Keep this text.")
    qtbot.mouseClick(page.show_figures, Qt.MouseButton.LeftButton)
    out = tmp_path / "r.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "PDF"))
    qtbot.mouseClick(page.export, Qt.MouseButton.LeftButton)
    assert answers.shown == ["The period ends before it starts; choose an end date after it."] * 2
    assert not out.exists() and page.figures.toPlainText() == ""
    assert page.narrative["learning"].toPlainText() == "Keep this text."
    assert control.store is not None
    with control.store.read() as s:
        assert s.scalars(select(ReportExport)).first() is None
