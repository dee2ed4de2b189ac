"""The organisation's settings are read in one place, with the defaults a new group starts with
before there is an organisation."""

from dataclasses import replace
from zoneinfo import ZoneInfo

from peerdesk.db.store import Store
from peerdesk.models import Organisation
from peerdesk.services.organisation import NOT_SET_UP, organisation_settings


def test_before_set_up_the_defaults_are_a_new_groups(store: Store) -> None:
    with store.read() as s:
        assert organisation_settings(s) == NOT_SET_UP
    with store.session() as s:
        s.add(Organisation(name="Riverside"))
    with store.read() as s:
        made = organisation_settings(s)
    # The same policies as a group that has just been set up, whose columns take their defaults.
    assert made == replace(NOT_SET_UP, set_up=True, name="Riverside")
    assert made.zone == ZoneInfo("Europe/London")


def test_the_groups_own_settings_are_read(store: Store) -> None:
    with store.session() as s:
        s.add(
            Organisation(
                name="Harbour",
                timezone="Europe/Dublin",
                retention_months=24,
                lone_working_margin_minutes=0,
                volunteers_may_use_pin=True,
            )
        )
    with store.read() as s:
        found = organisation_settings(s)
    assert found.set_up and found.name == "Harbour"
    assert found.zone == ZoneInfo("Europe/Dublin")
    assert (found.retention_months, found.lone_working_margin_minutes) == (24, 0)
    assert found.volunteers_may_use_pin
