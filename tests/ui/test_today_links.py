"""Links from Today land where the thing is: "add the roles" opens Training on the Courses tab,
where the Roles… button is, not on the compliance matrix."""

from pytestqt.qtbot import QtBot

from tests.ui.conftest import SignInAs


def test_the_roles_first_step_lands_beside_the_roles_button(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    attention = window.today.attention
    assert attention is not None
    assert '<a href="training#courses">Open Training</a>' in attention.text()
    training = window.training_page
    assert training is not None
    training.tabs.setCurrentWidget(training.matrix)  # where the area opens by itself
    attention.linkActivated.emit("training#courses")
    assert window.stack.currentWidget() is training
    assert training.tabs.currentWidget() is training.courses
    qtbot.waitUntil(control.course_desk.roles_button.isVisible)


def test_a_plain_area_link_still_opens_the_area(signed_in_as: SignInAs) -> None:
    window, _ = signed_in_as("coordinator")
    window.today.open_area.emit("training")
    assert window.stack.currentWidget() is window.training_page
