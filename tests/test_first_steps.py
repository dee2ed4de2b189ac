"""A new group's first steps on the Today page: each shows until it is done, for coordinators."""

from datetime import UTC, date, datetime, time

from peerdesk.db.store import Store
from peerdesk.models import Activity, ActivityKind, Role, Shift, UserRole, Volunteer
from peerdesk.services.first_steps import first_steps_attention
from peerdesk.services.permissions import Actor

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
COORDINATOR = Actor(None, "jo", "Jo", UserRole.COORDINATOR)


def _steps(store: Store, actor: Actor = COORDINATOR) -> list[str]:
    with store.read() as s:
        return [a.area for a in first_steps_attention(s, actor, NOW)]


def _add(store: Store, *records: object) -> None:
    with store.session() as s:
        s.add_all(records)


def test_each_step_shows_until_it_is_done(store: Store) -> None:
    assert _steps(store) == ["training", "volunteers", "rota"]
    _add(store, Role(name="Peer supporter"))
    _add(store, Volunteer(preferred_name="Sam", started_on=date(2026, 1, 5)))
    assert _steps(store) == ["rota"]
    _add(store, Activity(name="Drop-in", kind=ActivityKind.GROUP))
    with store.read() as s:
        sentence = first_steps_attention(s, COORDINATOR, NOW)[0].sentence
    assert "make your first shift" in sentence
    with store.session() as s:
        activity = s.query(Activity).one()
        s.add(
            Shift(
                activity_id=activity.id,
                starts_at=datetime.combine(date(2026, 12, 1), time(10), UTC),
                ends_at=datetime.combine(date(2026, 12, 1), time(12), UTC),
            )
        )
    assert _steps(store) == []


def test_only_coordinators_are_shown_the_set_up(store: Store) -> None:
    for role in (UserRole.SUPERVISOR, UserRole.VOLUNTEER, UserRole.TRUSTEE):
        assert _steps(store, Actor(None, "x", "X", role)) == []
