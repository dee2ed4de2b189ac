"""Keyboard first, in every window: each dialog opens on its first field, no two controls a
person can see at once share an Alt-letter (menus included), Tab leaves tables and goes in the
order things are on screen.

The dialogs are built from a registry; a test checks the registry names every dialog class in
`peerdesk.ui`, so a new dialog cannot be left out unawares."""

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import peerdesk.ui
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.models import (
    SafeguardingConcern,
    SessionLog,
    Shift,
    SupervisionSession,
    UserRole,
)
from peerdesk.services.accounts import FirstSecret, list_users
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.feedback import feedback_questions
from peerdesk.services.roles import list_roles
from peerdesk.services.rota import list_patterns
from peerdesk.services.rota.places import list_venues
from peerdesk.services.setup import ensure_account
from peerdesk.services.supervision.follow_ups import follow_up_queue
from peerdesk.services.supervision.reading import session_detail
from peerdesk.services.training import list_courses
from peerdesk.ui.focus import tab_stops
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl
from tests.conftest import TEST_SECRET
from tests.ui.conftest import OpenWindow, sign_in
from tests.ui.keyboard_checks import (
    FIELDS,
    clashes,
    mnemonics,
    out_of_order,
    place,
    unheard_in_every_tab,
)

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the demo below is built around this day


@pytest.fixture
def demo_folder(store: Store) -> Iterator[DataFolder]:
    generate_demo(store, seed=7, size="small", today=TODAY)
    ensure_account(store, "coordinator", "Coordinator", UserRole.COORDINATOR, TEST_SECRET)
    store.close(backup=False)
    yield store.folder


@pytest.fixture
def coordinator_window(
    open_window: OpenWindow, demo_folder: DataFolder, qtbot: QtBot
) -> tuple[MainWindow, StoreControl]:
    window, control = open_window(demo_folder)
    window.resize(1366, 768)
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    # A progress box shown while signing in on a busy computer can keep the activation.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    return window, control


@dataclass
class World:
    window: MainWindow
    control: StoreControl
    signed: SignedIn

    def first_id(self, model: type) -> uuid.UUID:
        with self.signed.store.read() as s:
            found = s.scalars(select(model.id).limit(1)).first()  # type: ignore[attr-defined]
        assert found is not None, f"the demo has no {model.__name__}"
        return found  # type: ignore[no-any-return]

    def read(self, query: Callable[..., object]) -> object:
        with self.signed.store.read() as s:
            return query(s, self.signed.actor)


def _volunteer_parts(kind: str) -> Callable[[World], QDialog]:
    def build(w: World) -> QDialog:
        from peerdesk.models import VolunteerStatus
        from peerdesk.ui import volunteer_parts as parts

        if kind == "status":
            return parts.StatusDialog("Sam", list(VolunteerStatus), w.window)
        if kind == "leaving":
            return parts.LeavingDialog("Sam", w.window)
        if kind == "dbs":
            return parts.DBSDialog("Sam", w.window)
        return parts.TrainingDialog("Sam", w.read(list_courses), w.window)  # type: ignore[arg-type]

    return build


def _places(w: World) -> QDialog:
    from peerdesk.ui.rota.places_dialog import PlacesDialog

    return PlacesDialog(w.signed, w.window)


def _roles(w: World) -> QDialog:
    from peerdesk.ui.roles_dialog import RolesDialog

    return RolesDialog(w.signed, w.window)


def _supervision_view(w: World) -> object:
    return w.read(lambda s, a: session_detail(s, a, w.first_id(SupervisionSession)))


def registry() -> dict[str, Callable[[World], QDialog]]:
    """Every dialog class in peerdesk.ui (by module.name), and how to open one over the demo."""
    from peerdesk.ui import (
        account_dialogs,
        account_people,
        accounts_page,
        concern_form,
        feedback_paper,
        import_preview,
        import_wizard,
        recovery_key_dialog,
        report_desk,
        roles_dialog,
        server_dialog,
        session_log_dialog,
        session_log_for_others,
        sign_in_giving,
        supervision_amend,
        supervision_desk,
        supervision_form,
        volunteer_editor,
        welcome,
    )
    from peerdesk.ui.compliance_page import CourseDialog
    from peerdesk.ui.rota import availability_dialog, patterns_dialog, places_dialog, shift_forms
    from peerdesk.ui.rota.shift_dialog import ShiftDialog

    def people(w: World) -> list[tuple[uuid.UUID, str]]:
        from peerdesk.services.supervision.access import may_record_for

        return w.read(may_record_for)  # type: ignore[return-value]

    def volunteer_id(w: World) -> uuid.UUID:
        return people(w)[0][0]

    return {
        "account_dialogs.EncryptDialog": lambda w: account_dialogs.EncryptDialog(w.window),
        "account_dialogs.RecoverDialog": lambda w: account_dialogs.RecoverDialog(
            ["coordinator"], w.window
        ),
        "account_dialogs.ChangeSecretDialog": lambda w: account_dialogs.ChangeSecretDialog(
            False, w.window
        ),
        "account_dialogs.ChooseOwnSecretDialog": lambda w: account_dialogs.ChooseOwnSecretDialog(
            True, w.window
        ),
        "account_people.NewAccountDialog": lambda w: account_people.NewAccountDialog(
            lambda name: name.lower(), w.window
        ),
        "account_people.LinkDialog": lambda w: account_people.LinkDialog(
            list_users(w.signed.store, w.signed.actor)[0],
            [(uuid.uuid4(), "Sam Okafor (ABC123)")],
            w.window,
        ),
        "accounts_page.RoleDialog": lambda w: accounts_page.RoleDialog(
            list_users(w.signed.store, w.signed.actor)[0], w.window
        ),
        "accounts_page.AccountsDialog": lambda w: accounts_page.AccountsDialog(
            w.signed, w.control.tasks, w.window
        ),
        "compliance_page.CourseDialog": lambda w: CourseDialog(
            [(r.id, r.name) for r in w.read(list_roles)],
            None,
            w.window,  # type: ignore[attr-defined]
        ),
        "concern_form.ConcernDialog": lambda w: concern_form.ConcernDialog(
            w.signed.store, w.signed.actor, w.window
        ),
        "concern_form.ConcernView": lambda w: concern_form.ConcernView(
            w.signed.store, w.signed.actor, w.first_id(SafeguardingConcern), w.window
        ),
        "feedback_paper.PaperFormDialog": lambda w: feedback_paper.PaperFormDialog(
            "Today",
            w.read(lambda s, _a: feedback_questions(s)),
            [],
            w.window,  # type: ignore[arg-type]
        ),
        "import_wizard.ImportWizard": lambda w: import_wizard.ImportWizard(
            import_preview.VOLUNTEERS, w.signed, w.control.tasks, w.window
        ),
        "recovery_key_dialog.RecoveryKeyDialog": lambda w: recovery_key_dialog.RecoveryKeyDialog(
            "ABCD-EFGH-IJKL-MNOP", "Riverside", w.window
        ),
        "report_desk.SignOffDialog": lambda w: report_desk.SignOffDialog(
            "ABC123", "Riverside", w.window
        ),
        "roles_dialog.RolesDialog": _roles,
        "roles_dialog.RoleForm": lambda w: roles_dialog.RoleForm(_roles(w), None),  # type: ignore[arg-type]
        "rota.places_dialog.PlacesDialog": _places,
        "rota.places_dialog.ActivityForm": lambda w: places_dialog.ActivityForm(
            _places(w),
            None,  # type: ignore[arg-type]
        ),
        "rota.places_dialog.VenueForm": lambda w: places_dialog.VenueForm(_places(w), None),  # type: ignore[arg-type]
        "rota.places_dialog.PlaceForm": lambda w: places_dialog.VenueForm(
            _places(w),
            w.read(list_venues)[0],  # type: ignore[arg-type,index]
        ),
        "rota.shift_forms.RotaForm": lambda w: shift_forms.NewShiftDialog(
            w.signed, TODAY, w.window
        ),
        "rota.shift_forms.NewShiftDialog": lambda w: shift_forms.NewShiftDialog(
            w.signed, TODAY, w.window
        ),
        "rota.shift_forms.NewPatternDialog": lambda w: shift_forms.NewPatternDialog(
            w.signed, TODAY, w.window
        ),
        "rota.patterns_dialog.PatternsDialog": lambda w: patterns_dialog.PatternsDialog(
            w.signed, TODAY, w.window
        ),
        "rota.patterns_dialog.ChangePatternDialog": lambda w: patterns_dialog.ChangePatternDialog(
            w.signed,
            w.read(list_patterns)[0],
            TODAY,
            w.window,  # type: ignore[index]
        ),
        "rota.patterns_dialog.EndPatternDialog": lambda w: patterns_dialog.EndPatternDialog(
            w.signed,
            w.read(list_patterns)[0],
            TODAY,
            w.window,  # type: ignore[index]
        ),
        "rota.availability_dialog.AvailabilityDialog": (
            lambda w: availability_dialog.AvailabilityDialog(
                w.signed.store, w.signed.actor, volunteer_id(w), "Sam", w.window
            )
        ),
        "rota.shift_dialog.ShiftDialog": lambda w: ShiftDialog(
            w.signed, w.first_id(Shift), w.window
        ),
        "server_dialog.ServerDialog": lambda w: server_dialog.ServerDialog(
            server_dialog.ServerChoice(None), w.window
        ),
        "session_log_dialog.SessionLogDialog": lambda w: session_log_dialog.SessionLogDialog(
            w.signed.store, w.signed.actor, w.first_id(SessionLog), w.window
        ),
        "session_log_for_others.LogForOthersDialog": (
            lambda w: session_log_for_others.LogForOthersDialog(
                w.signed.store, w.signed.actor, w.window
            )
        ),
        "sign_in_giving.GiveSignInDialog": lambda w: sign_in_giving.GiveSignInDialog(
            "Sam", "sam", True, w.window
        ),
        "sign_in_giving.FirstSecretDialog": lambda w: sign_in_giving.FirstSecretDialog(
            FirstSecret("sam", "4821", True), "Sam", w.window
        ),
        "supervision_amend.AmendDialog": lambda w: supervision_amend.AmendDialog(
            _supervision_view(w),
            TODAY,
            w.window,  # type: ignore[arg-type]
        ),
        "supervision_desk.ClosingNoteDialog": lambda w: supervision_desk.ClosingNoteDialog(
            w.read(lambda s, a: follow_up_queue(s, a, TODAY))[0],
            w.window,  # type: ignore[index]
        ),
        "supervision_desk.SessionDialog": lambda w: supervision_desk.SessionDialog(
            _supervision_view(w),
            w.window,  # type: ignore[arg-type]
        ),
        "supervision_form.SessionForm": lambda w: supervision_form.SessionForm(
            people(w), people(w), lambda _ids: ([], []), TODAY, w.window
        ),
        "volunteer_editor.VolunteerEditor": lambda w: volunteer_editor.VolunteerEditor(
            w.signed.store, w.signed.actor, volunteer_id(w), w.window
        ),
        "volunteer_parts.StatusDialog": _volunteer_parts("status"),
        "volunteer_parts.LeavingDialog": _volunteer_parts("leaving"),
        "volunteer_parts.DBSDialog": _volunteer_parts("dbs"),
        "volunteer_parts.TrainingDialog": _volunteer_parts("training"),
        "welcome.WelcomeDialog": lambda w: welcome.WelcomeDialog(w.window),
        # Bases: each is checked through the dialogs made from it above.
        "account_dialogs.FormDialog": lambda w: account_dialogs.EncryptDialog(w.window),
        "records_dialog.RecordsDialog": _roles,
    }


def dialog_classes() -> set[str]:
    """module.Class for every QDialog (wizards too) defined in peerdesk.ui."""
    found = set()
    prefix = "peerdesk.ui."
    for info in pkgutil.walk_packages(peerdesk.ui.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and issubclass(cls, QDialog):
                found.add(f"{info.name.removeprefix(prefix)}.{name}")
    return found


def test_the_registry_names_every_dialog() -> None:
    assert set(registry()) == dialog_classes()


def test_every_dialog_opens_on_its_first_field_with_no_alt_letter_twice(
    coordinator_window: tuple[MainWindow, StoreControl], qtbot: QtBot
) -> None:
    """All in one test: the demo they open over takes seconds to make. Each Alt-letter is
    pressed too, on every tab: it must reach its one control."""
    window, control = coordinator_window
    assert control.signed_in is not None
    world = World(window, control, control.signed_in)
    problems = []
    for name, build in sorted(registry().items()):
        dialog = build(world)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: d.focusWidget() is not None, timeout=2_000)
        problems += [f"{name}: {said}" for said in keyboard_problems(dialog)]
        problems += [f"{name}: {said}" for said in unheard_in_every_tab(dialog, qtbot)]
        dialog.done(0)
        dialog.deleteLater()
    assert not problems, "\n".join(problems)


def keyboard_problems(dialog: QWidget) -> list[str]:
    problems = [f"Alt+{key.upper()} on {texts}" for key, texts in clashes(dialog).items()]
    if problems:  # the letters taken, to choose a free one
        problems.append(f"letters in use: {''.join(sorted(mnemonics(dialog)))}")
    fields = [w for w in tab_stops(dialog) if isinstance(w, FIELDS)]
    focused = dialog.focusWidget()
    if fields:
        top = min(fields, key=lambda w: (place(w, dialog).top(), place(w, dialog).left()))
        if focused is not top:
            problems.append(f"starts on {type(focused).__name__}, not on {top.accessibleName()!r}")
    problems += [f"Tab stays in {t.accessibleName()!r}" for t in _tables_keeping_tab(dialog)]
    return problems + out_of_order(dialog)


def _tables_keeping_tab(window: QWidget) -> list[QAbstractItemView]:
    return [
        view
        for view in window.findChildren(QAbstractItemView)
        if view.tabKeyNavigation() and view.isVisibleTo(window)
    ]


def _views(window: MainWindow) -> Iterator[str]:
    """Each area of the sidebar, and in it each tab, made the one showing; says which."""
    for key in window.area_keys():
        window.show_area(key)
        page = window.stack.currentWidget()
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(window)]
        yield key
        for widget in tabs:
            for n in range(widget.count()):
                widget.setCurrentIndex(n)
                yield f"{key}: {widget.tabText(n)}"


def test_no_alt_letter_twice_in_any_area_and_tab_leaves_tables(
    coordinator_window: tuple[MainWindow, StoreControl],
) -> None:
    window, _control = coordinator_window
    problems = []
    for where in _views(window):
        for key, texts in clashes(window).items():
            problems.append(f"{where}: Alt+{key.upper()} on {texts}")
        for table in _tables_keeping_tab(window):
            problems.append(f"{where}: Tab stays in {table.accessibleName()!r}")
        problems += [f"{where}: {said}" for said in out_of_order(window)]
    assert not problems, "\n".join(problems)


def test_today_links_are_reached_and_opened_by_keyboard(
    coordinator_window: tuple[MainWindow, StoreControl], qtbot: QtBot
) -> None:
    window, _control = coordinator_window
    window.show_area("today")
    label = window.today.attention
    assert label is not None and label.isVisible(), "the demo has something needing attention"
    stops = tab_stops(window)
    assert label in stops
    before = stops[stops.index(label) - 1]
    before.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert label.hasFocus()
    with qtbot.waitSignal(window.today.open_area, timeout=2_000) as opened:
        qtbot.keyClick(label, Qt.Key.Key_Return)
    assert opened.args and window.stack.currentWidget() is not window.today
