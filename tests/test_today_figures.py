"""The Today page's "sessions in the last 30 days": today and the 29 days before it, by the
group's own calendar, so a session logged this morning counts at once."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from peerdesk.db.store import Store
from peerdesk.models import Activity, ActivityKind, Organisation, SessionLog, SessionMode, Volunteer
from peerdesk.services import browse
from peerdesk.services.auth import SignedIn

TODAY = date(2026, 11, 26)
LONDON = ZoneInfo("Europe/London")


def _log(store: Store, at: datetime, attendees: int) -> None:
    with store.session() as s:
        volunteer = Volunteer(preferred_name="Vic")
        activity = Activity(name=f"Drop-in {at:%d %b %H:%M}", kind=ActivityKind.GROUP)
        s.add_all([volunteer, activity])
        s.flush()
        s.add(SessionLog(volunteer_id=volunteer.id, activity_id=activity.id,
                         mode=SessionMode.IN_PERSON, started_at=at,
                         ended_at=at + timedelta(hours=1), attendees=attendees))  # fmt: skip


def test_the_last_30_days_include_today(coordinator: SignedIn) -> None:
    store = coordinator.store
    with store.session() as s:
        s.add(Organisation(name="Riverside Peer Support"))
    _log(store, datetime(2026, 11, 26, 10, 0, tzinfo=LONDON), 4)  # this morning
    _log(store, datetime(2026, 10, 28, 0, 30, tzinfo=LONDON), 3)  # the 30th day, just
    _log(store, datetime(2026, 10, 27, 23, 30, tzinfo=LONDON), 50)  # 31 days ago: out
    _log(store, datetime(2026, 11, 27, 0, 30, tzinfo=LONDON), 70)  # tomorrow: out
    with store.read() as s:
        summary = browse.today_summary(s, coordinator.actor, TODAY)
    assert (summary.sessions_last_30_days, summary.people_reached_last_30_days) == (2, 7)
