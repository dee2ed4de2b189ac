"""The import wizard and the File menu's exports, driven through the window as a coordinator
would: every step on the samples, the problems shown and skipped, a changed mapping, bad files,
cancelling, an export that imports again, and no such actions for a volunteer."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QMenu, QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import Course, Role, UserRole, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing import import_volunteers, read_table
from peerdesk.services.organisation import create_organisation
from peerdesk.services.setup import ensure_account
from peerdesk.ui import import_wizard
from peerdesk.ui.import_wizard import ImportWizard
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl
from tests.conftest import TEST_SECRET, TEST_USER, copy_folder
from tests.ui.conftest import Answers, OpenWindow, sign_in

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
ROLES = ("Peer supporter", "Group facilitator", "Coordinator")
COURSES = ("Safeguarding adults", "Mental health first aid")
WAIT = 10_000


def _set_up_group(person: SignedIn) -> None:
    with person.store.session(person.actor) as s:
        s.add_all(Role(name=name) for name in ROLES)
        s.add_all(Course(name=name, validity_months=36) for name in COURSES)


@pytest.fixture
def group_folder(coordinator: SignedIn) -> DataFolder:
    """Riverside Peer Support with the roles and courses the samples name, and a volunteer."""
    with coordinator.store.session() as s:
        create_organisation(s, "Riverside Peer Support")
    _set_up_group(coordinator)
    ensure_account(coordinator.store, "vic", "Vic Volunteer", UserRole.VOLUNTEER, TEST_SECRET)
    coordinator.store.close(backup=False)
    return coordinator.store.folder


@pytest.fixture
def window(
    open_window: OpenWindow, group_folder: DataFolder, qtbot: QtBot
) -> tuple[MainWindow, StoreControl]:
    shown, control = open_window(group_folder)
    sign_in(qtbot, shown, "coordinator")
    assert control.signed_in is not None
    return shown, control


def volunteer_names(control: StoreControl) -> list[str]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        return sorted(s.scalars(select(Volunteer.preferred_name)))


def open_wizard(
    control: StoreControl, action_name: str = "import_volunteers_action"
) -> ImportWizard:
    getattr(control.window, action_name).trigger()
    wizard = control.transfer.wizard
    assert wizard is not None and wizard.isVisible()
    return wizard


def to_mapping(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path.setText(str(path))
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=WAIT)


def to_preview(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: page.result is not None and not page.busy, timeout=WAIT)


def import_now(qtbot: QtBot, wizard: ImportWizard, answers: Answers) -> None:
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled() and finish.text() == "Import"
    finish.click()
    qtbot.waitUntil(lambda: any(m.startswith("Imported") for m in answers.shown), timeout=WAIT)


def test_tidy_sample_through_every_step(
    window: tuple[MainWindow, StoreControl],
    qtbot: QtBot,
    answers: Answers,
    qtmodeltester: ModelTester,
) -> None:
    shown, control = window
    wizard = open_wizard(control)
    to_mapping(qtbot, wizard, SAMPLES / "volunteers-tidy.csv")
    combos = wizard.mapping_page.combos
    assert combos["first name"].currentText() == "First name"
    assert combos["phone"].currentText() == "Mobile"
    assert combos["notes"].currentText() == "(not in this file)"
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.counts.text() == "5 ready · 0 with problems"
    assert [line.result for line in page.model.lines] == ["Ready"] * 5
    assert not page.skip.isVisible()
    qtmodeltester.check(page.model, force_py=True)
    import_now(qtbot, wizard, answers)
    assert answers.shown[-1] == "Imported 5 volunteers from volunteers-tidy.csv."
    assert volunteer_names(control) == ["Amara", "Ffion", "Kwame", "Priya", "Tom"]
    volunteers = shown.lists["volunteers"]
    assert shown.stack.currentWidget() is volunteers
    qtbot.waitUntil(lambda: volunteers.table.model().rowCount() == 5, timeout=WAIT)


def test_messy_sample_shows_problems_and_imports_only_when_skipping(
    window: tuple[MainWindow, StoreControl], qtbot: QtBot, answers: Answers
) -> None:
    _shown, control = window
    wizard = open_wizard(control)
    to_mapping(qtbot, wizard, SAMPLES / "volunteers-messy-cp1252.csv")
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.counts.text() == "3 ready · 3 with problems · 2 with warnings · 1 blank skipped"
    errors = [(ln.row, ln.column) for ln in page.model.lines if ln.result == "Error"]
    assert errors == [
        (6, "E-mail address"),
        (7, "E-mail address"),
        (7, "Started"),
        (8, "Forename"),
        (8, "Notes"),
    ]
    formula = next(ln for ln in page.model.lines if (ln.row, ln.column) == (8, "Forename"))
    assert formula.message.startswith("the name '=HYPERLINK(")
    assert formula.message.endswith("looks like a spreadsheet formula, not a name. Check the file")
    assert all(ln.message for ln in page.model.lines if ln.result != "Ready")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert page.skip.isVisible() and not finish.isEnabled()
    assert volunteer_names(control) == []
    page.skip.setChecked(True)
    assert finish.isEnabled()
    import_now(qtbot, wizard, answers)
    assert "Rows left out because of problems: 6, 7, 8." in answers.shown[-1]
    assert volunteer_names(control) == ["Seán", "Siân", "Zoë"]


def test_changing_a_mapping_changes_the_preview(
    window: tuple[MainWindow, StoreControl], qtbot: QtBot
) -> None:
    _shown, control = window
    wizard = open_wizard(control)
    to_mapping(qtbot, wizard, SAMPLES / "volunteers-tidy.csv")
    started = wizard.mapping_page.combos["start date"]
    started.setCurrentIndex(started.findText("Email"))
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.counts.text() == "0 ready · 5 with problems"
    assert {ln.column for ln in page.model.lines if ln.result == "Error"} == {"Email"}
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    # Back, put it right, and the preview follows.
    wizard.back()
    started.setCurrentIndex(started.findText("Start date"))
    to_preview(qtbot, wizard)
    assert page.counts.text() == "5 ready · 0 with problems"


def test_random_bytes_end_with_a_plain_message(
    window: tuple[MainWindow, StoreControl], qtbot: QtBot, answers: Answers, tmp_path: Path
) -> None:
    _shown, control = window
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"\x00\xff" + os.urandom(50_000))
    wizard = open_wizard(control)
    wizard.file_page.path.setText(str(noise))
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: bool(answers.shown), timeout=WAIT)
    assert "is not a CSV or Excel (.xlsx) file peerdesk can read" in answers.shown[-1]
    assert wizard.currentPage() is wizard.file_page and wizard.file_page.isComplete()
    assert volunteer_names(control) == []


def test_a_file_too_big_is_refused_plainly(
    window: tuple[MainWindow, StoreControl], qtbot: QtBot, answers: Answers, tmp_path: Path
) -> None:
    _shown, control = window
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(50 * 2**20)
    wizard = open_wizard(control)
    wizard.file_page.path.setText(str(big))
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: bool(answers.shown), timeout=WAIT)
    assert "more than peerdesk imports at once" in answers.shown[-1]
    assert volunteer_names(control) == []


@pytest.fixture
def slow_reading(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading waits until the test lets it go."""
    go = threading.Event()

    def held(path: Path, sheet: str | None = None) -> object:
        go.wait(WAIT / 1000)
        return read_table(path, sheet)

    monkeypatch.setattr(import_wizard, "read_table", held)
    yield go
    go.set()


def test_cancel_while_reading_leaves_nothing(
    window: tuple[MainWindow, StoreControl],
    qtbot: QtBot,
    answers: Answers,
    slow_reading: threading.Event,
) -> None:
    _shown, control = window
    wizard = open_wizard(control)
    page = wizard.file_page
    page.path.setText(str(SAMPLES / "volunteers-tidy.csv"))
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert page.cancel.isVisible() and not page.isComplete()
    page.cancel.click()
    assert page.status.text() == "Reading was cancelled. Nothing was imported."
    assert page.isComplete()
    slow_reading.set()
    control.tasks.wait(WAIT)
    qtbot.wait(50)  # the finished reading's result arrives, and is ignored
    assert wizard.currentPage() is page and wizard.table is None
    assert answers.shown == [] and volunteer_names(control) == []


def test_export_writes_a_file_that_imports_again(
    window: tuple[MainWindow, StoreControl],
    qtbot: QtBot,
    answers: Answers,
    tmp_path: Path,
    template_folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _shown, control = window
    wizard = open_wizard(control)
    to_mapping(qtbot, wizard, SAMPLES / "volunteers-tidy.csv")
    to_preview(qtbot, wizard)
    import_now(qtbot, wizard, answers)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"exported.{suffix}"
        monkeypatch.setattr(import_wizard, "ask_save_path", lambda *_a, o=str(out): o)
        done = f"Exported 5 volunteers to {out}."
        control.window.export_volunteers_action.trigger()
        qtbot.waitUntil(lambda d=done: d in answers.shown, timeout=WAIT)  # type: ignore[misc]
        # Into a second group's data, through the same importer.
        other = DataFolder(tmp_path / f"other-{suffix}")
        copy_folder(template_folder, other)
        store = Store.open(Vault.unlock(other, TEST_USER, TEST_SECRET)[0])
        try:
            actor = ensure_account(
                store, TEST_USER, "Other Coordinator", UserRole.COORDINATOR, TEST_SECRET
            )
            person = SignedIn(store, actor)
            _set_up_group(person)
            result = import_volunteers(person, out)
            assert (result.added, result.rejected_rows) == (5, [])
            with store.read() as s:
                assert s.scalar(select(func.count()).select_from(Volunteer)) == 5
        finally:
            store.close(backup=False)


def test_training_import_and_export(
    window: tuple[MainWindow, StoreControl],
    qtbot: QtBot,
    answers: Answers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workbook: its Volunteers sheet, then its Training sheet, chosen by name."""
    _shown, control = window
    wizard = open_wizard(control)
    to_mapping(qtbot, wizard, SAMPLES / "volunteers.xlsx")
    assert wizard.sheet == "Volunteers" and not wizard.file_page.sheet.isHidden()
    to_preview(qtbot, wizard)
    import_now(qtbot, wizard, answers)
    answers.shown.clear()
    wizard = open_wizard(control, "import_training_action")
    to_mapping(qtbot, wizard, SAMPLES / "volunteers.xlsx")
    assert wizard.sheet == "Training"
    to_preview(qtbot, wizard)
    assert wizard.preview_page.counts.text() == "2 ready · 0 with problems"
    import_now(qtbot, wizard, answers)
    assert answers.shown[-1] == "Imported 2 training records from volunteers.xlsx."
    out = tmp_path / "training.csv"
    monkeypatch.setattr(import_wizard, "ask_save_path", lambda *_a: str(out))
    control.window.export_training_action.trigger()
    qtbot.waitUntil(lambda: f"Exported 2 training records to {out}." in answers.shown, timeout=WAIT)


def test_a_volunteer_has_no_import_or_export(
    open_window: OpenWindow, group_folder: DataFolder, qtbot: QtBot
) -> None:
    shown, control = open_window(group_folder)
    sign_in(qtbot, shown, "vic")
    assert control.signed_in is not None
    file_menu = cast(QMenu, shown.menuBar().actions()[0].menu())
    visible = [a.text() for a in file_menu.actions() if a.isVisible()]
    assert not any("Import" in t or "Export" in t for t in visible)
    shown.import_volunteers_action.trigger()  # even if reached some other way
    assert control.transfer.wizard is None
