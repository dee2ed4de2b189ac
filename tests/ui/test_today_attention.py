"""The Today page's "Needs attention" list: escaped sentences, links to the area, hidden when
there is nothing to look at."""

from datetime import time, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import Activity, ActivityKind, Shift, UserRole, Volunteer, VolunteerStatus
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import PatternInput, create_pattern
from peerdesk.services.rota.generate import horizon_end
from peerdesk.ui.today_page import TodayPage
from tests.conftest import TEST_SECRET, TEST_USER
from tests.ui.conftest import SignInAs, open_group

LABELS = {"rota": "Rota", "sessions": "Sessions"}


def test_sentences_with_links_and_the_urgent_marked(qtbot: QtBot) -> None:
    page = TodayPage()
    qtbot.addWidget(page)
    page.show_attention(
        [
            Attention("sessions", "A concern raised by <Sam> is open.", urgent=True),
            Attention("rota", "3 shifts are short."),
            Attention("audit", "Not an area this person has."),
        ],
        LABELS,
    )
    assert page.attention is not None and page._attention_heading is not None
    text = page.attention.text()
    assert "&lt;Sam&gt;" in text and "<Sam>" not in text
    assert "<b>Urgent:</b> A concern" in text
    assert '<a href="rota">Open Rota</a>' in text
    assert 'href="audit"' not in text  # no link to an area this person cannot open
    assert page.attention.isVisibleTo(page) and page._attention_heading.isVisibleTo(page)


def test_a_link_asks_for_its_area(qtbot: QtBot) -> None:
    page = TodayPage()
    qtbot.addWidget(page)
    page.show_attention([Attention("rota", "3 shifts are short.")], LABELS)
    assert page.attention is not None
    with qtbot.waitSignal(page.open_area) as signal:
        page.attention.linkActivated.emit("rota")
    assert signal.args == ["rota"]


def test_hidden_when_nothing_needs_attention_and_after_signing_out(qtbot: QtBot) -> None:
    page = TodayPage()
    qtbot.addWidget(page)
    page.show_attention([], LABELS)
    assert page.attention is None  # nothing built for nothing
    page.show_attention([Attention("rota", "3 shifts are short.")], LABELS)
    page.clear()
    assert page.attention is not None and not page.attention.isVisibleTo(page)
    assert page.attention.text() == ""


def test_the_window_opens_the_area_a_link_names(signed_in_as: SignInAs) -> None:
    window, _ = signed_in_as("coordinator")
    window.today.open_area.emit("rota")
    assert window.stack.currentWidget() is window.pages["rota"]


def test_a_coordinator_signing_in_keeps_the_rota_a_year_ahead(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot
) -> None:
    """Patterns made two months ago: their shifts stop two months short of a year ahead until a
    coordinator signs in."""
    made_on = clock.today() - timedelta(days=60)
    store = open_group(org_folder)
    editor = Actor(None, "setup", "Setup", UserRole.COORDINATOR)
    with store.session() as s:
        activity = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(activity)
        s.flush()
        pattern = PatternInput(
            title="Tuesday drop-in",
            activity_id=activity.id,
            venue_id=None,
            rrule="FREQ=WEEKLY;BYDAY=TU",
            first_on=made_on,
            local_start=time(10),
            duration_minutes=120,
        )
        create_pattern(s, editor, pattern, made_on)
    store.close(backup=False)
    _window, control = signed_in_as("coordinator")
    qtbot.waitUntil(lambda: not control.tasks.busy, timeout=30_000)  # the top-up runs aside
    store = Store.open(Vault.unlock(org_folder, TEST_USER, TEST_SECRET)[0], take_over=True)
    with store.read() as s:
        furthest = s.scalar(select(func.max(Shift.starts_at)))
    store.close(backup=False)
    assert furthest is not None
    assert (horizon_end(clock.today()) - furthest.date()).days < 7


def test_today_is_read_again_when_shown_again(signed_in_as: SignInAs) -> None:
    """A change made on another page (here straight in the data) shows when Today is opened."""
    window, control = signed_in_as("coordinator")
    assert window.today.numbers["active_volunteers"].text() == "0"
    assert control.signed_in is not None
    with control.signed_in.store.session(control.signed_in.actor) as s:
        s.add(
            Volunteer(preferred_name="Sam", status=VolunteerStatus.ACTIVE, started_on=clock.today())
        )
    window.show_area("rota")
    assert window.today.numbers["active_volunteers"].text() == "0"  # not read while away
    window.show_area("today")
    assert window.today.numbers["active_volunteers"].text() == "1"
