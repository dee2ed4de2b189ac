"""The Today page's "Needs attention" list: escaped sentences, links to the area, hidden when
there is nothing to look at."""

from pytestqt.qtbot import QtBot

from peerdesk.services.attention import Attention
from peerdesk.ui.today_page import TodayPage
from tests.ui.conftest import SignInAs

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
