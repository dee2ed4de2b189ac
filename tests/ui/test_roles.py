"""Each role sees only its own areas of the window, and its own figures."""

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import SignInAs

EVERY_AREA = [
    "today",
    "volunteers",
    "rota",
    "sessions",
    "safeguarding",
    "supervision",
    "training",
    "reports",
    "outcomes",
    "audit",
    "settings",
]
# "Log a session" also needs a volunteer record, which these test accounts do not have.
PEOPLE_AREAS = [
    "today",
    "volunteers",
    "rota",
    "sessions",
    "safeguarding",
    "supervision",
    "training",
    "settings",
]


@pytest.mark.parametrize(
    ("username", "areas"),
    [
        ("coordinator", EVERY_AREA),
        ("sam", PEOPLE_AREAS),
        ("vic", PEOPLE_AREAS),
        ("tess", ["today", "rota", "training", "reports", "outcomes", "settings"]),
    ],
)
def test_each_role_sees_its_areas(
    signed_in_as: SignInAs, qtbot: QtBot, username: str, areas: list[str]
) -> None:
    window, _ = signed_in_as(username)
    assert window.area_keys() == areas
    go = [a.text().replace("&", "") for a in window.go_menu.actions()]
    assert go == [window.sidebar.item(n).text() for n in range(window.sidebar.count())]
    coordinator = username == "coordinator"
    assert window.backup_action.isVisible() is coordinator
    assert window.restore_action.isEnabled() is coordinator
    assert window.settings_page is not None
    assert window.settings_page.backups.isHidden() is not coordinator
    for key in areas:
        window.show_area(key)
        assert window.stack.currentWidget() is window.pages[key]
    for key, page in window.lists.items():  # pages outside the role hold no data at all
        assert (page.model is not None) is (key in areas)


def test_confidential_figures_are_only_for_coordinators(signed_in_as: SignInAs) -> None:
    window, _ = signed_in_as("vic")
    today = window.today
    assert today.numbers["open_concerns"].isHidden()
    assert not today.numbers["active_volunteers"].isHidden()
    window.close()
    window2, _ = signed_in_as("coordinator")
    assert not window2.today.numbers["open_concerns"].isHidden()
