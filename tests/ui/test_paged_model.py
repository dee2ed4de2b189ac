"""The paged table model: Qt's model rules, lazy pages, sorting and the filter."""

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from peerdesk.models import Volunteer, VolunteerStatus
from peerdesk.services.auth import SignedIn
from peerdesk.ui import areas
from peerdesk.ui.paged_model import ListSource, PagedTableModel
from peerdesk.ui.rota.list_view import rota_sources
from tests.test_browse import (
    TODAY,
    _rota,
    _sessions,
    _supervision,
    _training_and_concerns,
    _volunteers,
)

pytestmark = pytest.mark.today(TODAY)  # the lists below are filled with test_browse's fixed data


@pytest.fixture
def twelve(coordinator: SignedIn) -> SignedIn:
    with coordinator.store.session() as s:
        for n in range(12):
            s.add(
                Volunteer(
                    preferred_name=f"Person {n:02}",
                    status=VolunteerStatus.ACTIVE,
                    started_on=date(2025, 1, n + 1),
                )
            )
    return coordinator


def test_pages_are_fetched_as_the_view_needs_them(twelve: SignedIn) -> None:
    model = PagedTableModel(areas.VOLUNTEERS, twelve.store.read, twelve.actor, page_size=5)
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 5
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 12
    assert not model.canFetchMore(QModelIndex())
    assert model.total() == 12


def test_sort_and_filter_query_again(twelve: SignedIn) -> None:
    model = PagedTableModel(areas.VOLUNTEERS, twelve.store.read, twelve.actor, page_size=5)
    model.sort(4, Qt.SortOrder.DescendingOrder)  # Started
    assert model.index(0, 0).data() == "Person 11"
    assert model.index(0, 4).data() == "12 Jan 2025"
    model.sort(0, Qt.SortOrder.AscendingOrder)  # Name
    assert model.index(0, 0).data() == "Person 00"
    model.set_filter("person 0")
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 10
    assert model.total() == 10


def test_model_keeps_qt_rules_while_paging(qtmodeltester: ModelTester, twelve: SignedIn) -> None:
    model = PagedTableModel(areas.VOLUNTEERS, twelve.store.read, twelve.actor, page_size=5)
    qtmodeltester.check(model, force_py=True)
    model.fetchMore(QModelIndex())
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter("1")
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize(
    "source",
    [
        areas.VOLUNTEERS,
        *rota_sources(),
        areas.SESSION_LOGS,
        areas.SUPERVISION,
        areas.COURSES,
        areas.REPORTS,
    ],
    ids=lambda s: s.noun,
)
def test_every_list_keeps_qt_rules(
    qtmodeltester: ModelTester, coordinator: SignedIn, source: ListSource
) -> None:
    with coordinator.store.session() as s:
        people = _volunteers(s)
        group, _ = _rota(s, people)
        _sessions(s, people, group)
        _supervision(s, people)
        _training_and_concerns(s, people)
    model = PagedTableModel(source, coordinator.store.read, coordinator.actor, page_size=2)
    qtmodeltester.check(model, force_py=True)
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() > 0
    assert all(model.index(0, c).data() is not None for c in range(model.columnCount()))


def test_shift_staffing_has_a_word_and_a_colour(coordinator: SignedIn) -> None:
    with coordinator.store.session() as s:
        _rota(s, _volunteers(s))
    _upcoming, history = rota_sources()
    model = PagedTableModel(history, coordinator.store.read, coordinator.actor)
    model.fetchMore(QModelIndex())
    column = [c.header for c in history.columns].index("Staffing")
    words = [model.index(r, column).data() for r in range(model.rowCount())]
    assert words == ["Filled", "Short", "Unfilled", "Cancelled"]
    assert model.index(1, column).data(Qt.ItemDataRole.DecorationRole) is not None


def test_forget_drops_every_row_at_once(twelve: SignedIn) -> None:
    model = PagedTableModel(areas.VOLUNTEERS, twelve.store.read, twelve.actor)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 12
    model.forget()
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
