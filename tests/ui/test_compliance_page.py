"""The Training area's compliance matrix and the Today page's "Coming up", driven through the
window on records put in through the services: a word in every cell at each status boundary,
"problems only", the counts, the catalogue alone for volunteers, and nothing kept after locking."""

import uuid
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import DBSLevel, Role, Volunteer, VolunteerRole, VolunteerStatus
from peerdesk.services import dbs, training
from peerdesk.services.auth import SignedIn
from peerdesk.services.compliance import CourseRule, StatusCutoffs
from peerdesk.services.organisation import create_organisation
from peerdesk.services.setup import ensure_account
from peerdesk.ui.compliance_page import ComplianceModel, TrainingPage
from peerdesk.ui.main_window import MainWindow
from tests.conftest import TEST_SECRET
from tests.ui.conftest import PEOPLE, OpenWindow, sign_in

SAFEGUARDING = CourseRule(validity_months=12, renewal_window_days=30, grace_days=14)


def _latest_for(today: date) -> dict[str, date | None]:
    """Each person's Safeguarding completion, on the first or last day of a status today."""
    cut = StatusCutoffs.on(SAFEGUARDING, today)
    assert cut.in_date_from and cut.due_from and cut.grace_from
    return {
        "Amara": cut.in_date_from,  # the last day still in date
        "Bea": cut.in_date_from - timedelta(days=1),  # the first day renewal is due
        "Cal": cut.due_from - timedelta(days=1),  # the first day of grace
        "Dev": cut.grace_from - timedelta(days=1),  # the first day expired
        "Eve": None,  # never done
    }


# Words in each row: Volunteer, First aid (facilitators only), Induction, Safeguarding adults.
EXPECTED = {
    "Amara": ["Amara", "✓ in date", "✓ in date", "✓ in date"],
    "Bea": ["Bea", None, "✓ in date", "due"],
    "Cal": ["Cal", None, "✓ in date", "grace"],
    "Dev": ["Dev", None, "✓ in date", "✗ expired"],
    "Eve": ["Eve", None, "✗ missing", "✗ missing"],
}


def _add_people(coordinator: SignedIn) -> tuple[dict[str, uuid.UUID], uuid.UUID, uuid.UUID]:
    """Five active peer supporters (Amara also a facilitator) and one paused, who is not shown.
    No volunteer service exists yet, so they go in as records."""
    with coordinator.store.session(coordinator.actor) as s:
        create_organisation(s, "Riverside Peer Support")
        peer, facilitator = Role(name="Peer supporter", needs_dbs=True), Role(name="Facilitator")
        s.add_all([peer, facilitator])
        s.flush()
        people = {}
        for name in [*EXPECTED, "Paused Pat"]:
            paused = name == "Paused Pat"
            v = Volunteer(
                preferred_name=name,
                status=VolunteerStatus.PAUSED if paused else VolunteerStatus.ACTIVE,
            )
            s.add(v)
            s.flush()
            s.add(VolunteerRole(volunteer_id=v.id, role_id=peer.id))
            people[name] = v.id
        s.add(VolunteerRole(volunteer_id=people["Amara"], role_id=facilitator.id))
    return people, peer.id, facilitator.id


def _course(
    coordinator: SignedIn,
    s: Session,
    name: str,
    months: int | None,
    roles: frozenset[uuid.UUID],
    window: int = 60,
    grace: int = 0,
) -> uuid.UUID:
    data = training.CourseInput(name, months, window, grace, required_role_ids=roles)
    return training.add_course(s, coordinator.actor, data).id


@pytest.fixture
def training_folder(coordinator: SignedIn) -> DataFolder:
    """Riverside Peer Support with an account per role, courses, completions and a DBS check."""
    today = clock.today()
    people, peer, facilitator = _add_people(coordinator)
    actor, store = coordinator.actor, coordinator.store
    with store.session(actor) as s:
        rule, peers = SAFEGUARDING, frozenset({peer})
        safeguarding = _course(
            coordinator, s, "Safeguarding adults", rule.validity_months, peers, 30, 14
        )
        induction = _course(coordinator, s, "Induction", None, peers)
        first_aid = _course(coordinator, s, "First aid", 36, frozenset({facilitator}))
        for name, on in _latest_for(today).items():
            if on is not None:
                training.record_completion(s, actor, people[name], safeguarding, on, today)
            if name != "Eve":
                training.record_completion(s, actor, people[name], induction, today, today)
        training.record_completion(s, actor, people["Amara"], first_aid, today, today)
        long_ago = today - timedelta(days=4 * 365)
        dbs.record_dbs_check(s, actor, people["Cal"], DBSLevel.ENHANCED, None, long_ago, today)
    for username, name, role in PEOPLE[1:]:
        ensure_account(store, username, name, role, TEST_SECRET)
    store.close(backup=False)
    return store.folder


def _open_as(
    open_window: OpenWindow, folder: DataFolder, qtbot: QtBot, username: str
) -> tuple[MainWindow, TrainingPage]:
    window, control = open_window(folder)
    sign_in(qtbot, window, username)
    assert control.signed_in is not None
    assert window.training_page is not None
    return window, window.training_page


def _rows(model: ComplianceModel) -> dict[str, list[str | None]]:
    columns = range(model.columnCount())
    return {
        model.index(r, 0).data(): [model.index(r, c).data() for c in columns]
        for r in range(model.rowCount())
    }


def test_matrix_shows_a_word_for_each_status_and_the_counts(
    open_window: OpenWindow, training_folder: DataFolder, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    window, page = _open_as(open_window, training_folder, qtbot, "coordinator")
    window.show_area("training")
    model = page.matrix.model
    assert page.tabs.currentWidget() is page.matrix
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Volunteer", "First aid", "Induction", "Safeguarding adults"]
    assert _rows(model) == EXPECTED  # Paused Pat is not listed
    assert page.matrix.counts.text() == (
        "6 in date · 1 renewal due · 1 in grace · 1 expired · 2 missing"
    )
    bea = model.index(1, 3)
    assert bea.data(Qt.ItemDataRole.BackgroundRole) is not None  # colour beside the word
    tip = bea.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Safeguarding adults: Renewal due. Completed ") and "runs out" in tip
    assert model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole) is None  # not required: blank


def test_problems_only_and_the_name_filter_narrow_the_rows(
    open_window: OpenWindow, training_folder: DataFolder, qtbot: QtBot
) -> None:
    window, page = _open_as(open_window, training_folder, qtbot, "coordinator")
    window.show_area("training")
    panel = page.matrix
    counts = panel.counts.text()
    qtbot.mouseClick(panel.problems_only, Qt.MouseButton.LeftButton)
    assert panel.problems_only.isChecked()
    assert list(_rows(panel.model)) == ["Bea", "Cal", "Dev", "Eve"]
    assert panel.shown.text() == "4 volunteers shown"
    qtbot.keyClicks(panel.filter, "DE")
    assert list(_rows(panel.model)) == ["Dev"]
    assert panel.counts.text() == counts  # the counts are for everyone, whatever is shown
    window.show_area("today")
    window.show_area("training")  # read again when shown; the filter stays as typed
    assert list(_rows(panel.model)) == ["Dev"]


def test_volunteers_see_the_catalogue_only(
    open_window: OpenWindow, training_folder: DataFolder, qtbot: QtBot
) -> None:
    window, page = _open_as(open_window, training_folder, qtbot, "vic")
    window.show_area("training")
    assert not page.tabs.isTabVisible(0)
    assert page.tabs.currentWidget() is page.courses
    assert page.matrix.model.rowCount() == 0 and page.matrix.counts.text() == ""
    assert page.courses.model is not None and page.courses.model.rowCount() == 3
    assert window.today.coming_up is None or window.today.coming_up.isHidden()


def test_coordinators_see_what_is_coming_up_on_today(
    open_window: OpenWindow, training_folder: DataFolder, qtbot: QtBot
) -> None:
    window, _ = _open_as(open_window, training_folder, qtbot, "coordinator")
    label = window.today.coming_up
    assert label is not None and not label.isHidden()
    text = label.text()
    assert "In the next 30 days, 1 training course runs out: Bea's Safeguarding adults." in text
    assert "5 DBS rechecks are due in the next 60 days or overdue: " in text
    assert "Amara (no check recorded), Bea (no check recorded)" in text
    assert "and 2 more." in text  # Cal, overdue, is among them: the sentence stays short


def test_locking_clears_the_matrix_and_coming_up(
    open_window: OpenWindow, training_folder: DataFolder, qtbot: QtBot
) -> None:
    window, page = _open_as(open_window, training_folder, qtbot, "coordinator")
    window.show_area("training")
    qtbot.keyClicks(page.matrix.filter, "a")
    assert page.matrix.model.rowCount() > 0
    window.lock_action.trigger()
    assert window.screens.currentWidget() is window.sign_in_page
    models = window.splitter.findChildren(QAbstractItemModel)
    assert page.matrix.model in models
    assert [m for m in models if m.rowCount() > 0] == []
    assert page.matrix.model.columnCount() == 1  # no course names either
    assert page.matrix.filter.text() == "" and page.matrix.counts.text() == ""
    assert window.today.coming_up is not None and window.today.coming_up.text() == ""
    assert window.today.coming_up.isHidden()
