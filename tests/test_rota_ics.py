"""The rota as .ics: it parses back with icalendar, UIDs are stable across exports, the times
carry the organisation's TZID (10:00 local either side of the clock changes) with a VTIMEZONE,
one volunteer's calendar has only their shifts, and no contact details are in it."""

import uuid
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.errors import OutputPathError, ValidationError
from peerdesk.models import AuditEvent, Venue
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.rota import assign, cant_make_it, create_pattern, create_shift
from peerdesk.services.rota.ics import export_ics, rota_ics, shift_uid
from tests.rota_world import TODAY, World, make_world, one_off, weekly

LONDON = ZoneInfo("Europe/London")
FIRST, LAST = date(2026, 3, 1), date(2026, 11, 30)
TODAY_UTC = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def world(store: Store) -> World:
    world = make_world(store)
    with store.session(world.coordinator) as s:
        sundays = weekly(world, "FREQ=WEEKLY;BYDAY=SU", first_on=date(2026, 3, 1))
        create_pattern(s, world.coordinator, sundays, TODAY)
    return world


def export(world: World, tmp_path: Path, name: str, volunteer: uuid.UUID | None = None) -> Calendar:
    out = tmp_path / name
    actor = world.coordinator if volunteer is None else world.actor_for(volunteer)
    export_ics(SignedIn(world.store, actor), out, FIRST, LAST, volunteer)
    return Calendar.from_ical(out.read_bytes())


def test_parses_back_with_the_same_uids_on_a_second_export(world: World, tmp_path: Path) -> None:
    first = export(world, tmp_path, "rota.ics")
    second = export(world, tmp_path, "again.ics")
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(uids) == 39 and len(set(uids)) == 39
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    with world.store.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "rota_ics")).all()
    assert len(events) == 2


def test_10am_local_with_tzid_and_vtimezone_across_the_clock_changes(
    world: World, tmp_path: Path
) -> None:
    cal = export(world, tmp_path, "rota.ics")
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    starts = {e.decoded("DTSTART").date(): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    for day in (date(2026, 3, 22), date(2026, 3, 29), date(2026, 10, 18), date(2026, 10, 25)):
        assert starts[day].time() == time(10)
        assert starts[day].utcoffset() == starts[day].astimezone(LONDON).utcoffset()
    raw = (tmp_path / "rota.ics").read_text()
    assert "DTSTART;TZID=Europe/London:20260329T100000" in raw
    assert "DTSTART;TZID=Europe/London:20261025T100000" in raw


def test_one_volunteers_calendar_and_no_contact_details(world: World, tmp_path: Path) -> None:
    with world.store.session(world.coordinator) as s:
        extra = create_shift(s, world.coordinator, one_off(world, date(2026, 4, 1)))
        d = assign(s, world.coordinator, extra.id, world.amara)
        other = create_shift(s, world.coordinator, one_off(world, date(2026, 4, 2)))
        d2 = assign(s, world.coordinator, other.id, world.amara)
        assign(s, world.coordinator, other.id, world.bea)
        asked = next(p.assignment_id for p in d2.people if p.name == "Amara")
        cant_make_it(s, world.coordinator, asked, None, TODAY_UTC)
    mine = export(world, tmp_path, "amara.ics", world.amara)
    found = {str(e["UID"]): str(e["STATUS"]) for e in mine.walk("VEVENT")}
    assert found == {shift_uid(d.id): "CONFIRMED", shift_uid(other.id): "CANCELLED"}
    everything = (tmp_path / "amara.ics").read_text()
    assert "amara@example.org" not in everything and "07700" not in everything
    whole = export(world, tmp_path, "rota.ics")
    text = "\n".join(str(e["DESCRIPTION"]) for e in whole.walk("VEVENT"))
    assert "Bea (Peer supporter)" in text and "@example.org" not in text


def test_a_volunteer_may_not_export_someone_elses_shifts(world: World) -> None:
    with pytest.raises(PermissionDenied), world.store.read() as s:
        rota_ics(s, world.amara_actor, FIRST, LAST, world.bea)


def test_bad_file_names_and_dates(world: World, tmp_path: Path) -> None:
    person = SignedIn(world.store, world.coordinator)
    with pytest.raises(OutputPathError, match=r"ending \.ics"):
        export_ics(person, tmp_path / "rota.txt", FIRST, LAST)
    with pytest.raises(OutputPathError, match="no folder"):
        export_ics(person, tmp_path / "nowhere" / "rota.ics", FIRST, LAST)
    with pytest.raises(ValidationError, match="before the first"):
        export_ics(person, tmp_path / "rota.ics", LAST, FIRST)
    assert not list(tmp_path.glob("*.ics")) and not list(tmp_path.glob("*.txt"))


def test_a_trustees_calendar_has_staffing_but_no_names(world: World, tmp_path: Path) -> None:
    with world.store.session(world.coordinator) as s:
        shift = create_shift(s, world.coordinator, one_off(world, date(2026, 4, 1)))
        assign(s, world.coordinator, shift.id, world.amara)
        assign(s, world.coordinator, shift.id, world.bea)
    out = tmp_path / "trustee.ics"
    export_ics(SignedIn(world.store, world.trustee), out, FIRST, LAST)
    raw = out.read_text()
    assert "Amara" not in raw and "Bea" not in raw and "Peer supporter)" not in raw
    uid = shift_uid(shift.id)
    (event,) = [e for e in Calendar.from_ical(raw).walk("VEVENT") if e["UID"] == uid]
    coordinators = export(world, tmp_path, "rota.ics")
    (same,) = [e for e in coordinators.walk("VEVENT") if e["UID"] == uid]
    staffing = str(same["DESCRIPTION"]).splitlines()[1]
    assert staffing.startswith("Staffing:") and staffing in str(event["DESCRIPTION"])
    assert "Amara" in str(same["DESCRIPTION"])


def test_awkward_text_is_escaped_and_folded_and_reads_back_unchanged(
    world: World, tmp_path: Path
) -> None:
    """The events are written directly: commas, semicolons, backslashes, accents and long
    lines come back from icalendar exactly as stored, and no line is longer than 75 octets."""
    awkward = "Salle Élodie; étage 2, côté \\ jardin – " + "très long nom de salle " * 5
    with world.store.session(world.coordinator) as s:
        s.get(Venue, world.venue).name = awkward  # type: ignore[union-attr]
    cal = export(world, tmp_path, "rota.ics")
    locations = {str(e["LOCATION"]) for e in cal.walk("VEVENT")}
    assert locations == {awkward}
    raw = (tmp_path / "rota.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\r\n " in raw  # the long location was folded
