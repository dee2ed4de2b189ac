"""Exports: only the fields the person may see, formulas neutralised, written atomically,
and every export imports back as it was."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from peerdesk.db.keyring import open_value
from peerdesk.errors import OutputPathError
from peerdesk.models import Course, Role, TrainingCompletion, UserRole, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.exporting import export_training, export_volunteers
from peerdesk.services.importing import import_training, import_volunteers, read_table
from peerdesk.services.permissions import PermissionDenied

# Evans's formula-looking cells carry the single quote that marks them as deliberate text (as
# peerdesk's own export writes them): imported as text, where unquoted they would be refused.
PEOPLE = (
    "First name,Last name,Email,Phone,Roles,Status,Start date,DBS certificate date,Notes\r\n"
    "Siân,Llewellyn,sian@example.org,+44 7700 900111,Peer supporter; Group facilitator,"
    "active,03/04/2023,14/03/2023,x\r\n"
    '"\'=HYPERLINK(""http://x.invalid"",""click"")",\'@Evans,evans@example.org,\'-1,'
    "Peer supporter,paused,2024-03-01,,\r\n"
)


@pytest.fixture
def group(coordinator: SignedIn, tmp_path: Path) -> SignedIn:
    with coordinator.store.session(coordinator.actor) as s:
        s.add_all([Role(name="Peer supporter"), Role(name="Group facilitator")])
        s.add(Course(name="Safeguarding adults", validity_months=36))
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    assert import_volunteers(coordinator, source).added == 2
    with coordinator.store.session(coordinator.actor) as s:
        course = s.scalars(select(Course)).one()
        for v in s.scalars(select(Volunteer)):
            s.add(
                TrainingCompletion(
                    volunteer_id=v.id, course_id=course.id, completed_on=date(2024, 1, 5)
                )
            )
    return coordinator


def snapshot(person: SignedIn) -> list[tuple[object, ...]]:
    with person.store.read() as s:
        return sorted(
            (
                v.first_name,
                v.last_name,
                open_value(s, v.email),  # sealed (docs/keys.md)
                open_value(s, v.phone),
                v.status.value,
                v.started_on,
                tuple(sorted(r.name for r in v.roles)),
            )
            for v in s.scalars(select(Volunteer))
        )


def as_volunteer(person: SignedIn) -> SignedIn:
    return SignedIn(person.store, replace(person.actor, role=UserRole.VOLUNTEER, volunteer_id=None))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formulas_are_neutralised(group: SignedIn, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"volunteers{suffix}"
    assert export_volunteers(group, out) == 2
    if suffix == ".csv":
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        cells = [c for line in raw.decode("utf-8-sig").splitlines() for c in line.split(",")]
    else:
        book = load_workbook(out)
        cells = [str(c) for row in book["Volunteers"].iter_rows(values_only=True) for c in row]
        assert all(c.data_type != "f" for row in book["Volunteers"].iter_rows() for c in row)
    dangerous = [c.strip('"') for c in cells if c.strip('"')[:1] in ("=", "+", "-", "@")]
    assert dangerous == []
    assert any(c.startswith("\"'=HYPERLINK") or c.startswith("'=HYPERLINK") for c in cells)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_volunteers_round_trip(group: SignedIn, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"volunteers{suffix}"
    export_volunteers(group, out)
    before = snapshot(group)
    with group.store.session(group.actor) as s:
        for v in s.scalars(select(Volunteer)):
            s.delete(v)
    result = import_volunteers(group, out)
    assert result.added == 2 and result.rejected_rows == []
    assert snapshot(group) == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_training_round_trip(group: SignedIn, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"training{suffix}"
    assert export_training(group, out) == 2
    with group.store.session(group.actor) as s:
        for c in s.scalars(select(TrainingCompletion)):
            s.delete(c)
    assert import_training(group, out).added == 2


def test_contact_details_only_for_coordinators(group: SignedIn, tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    export_volunteers(group, out)
    assert "Email" in read_table(out).headers
    export_volunteers(as_volunteer(group), out)  # no volunteer record: sees nobody
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Email" not in header and "Phone" not in header


def test_volunteer_sees_only_themself_and_trustee_nothing(group: SignedIn, tmp_path: Path) -> None:
    with group.store.read() as s:
        sian = s.scalars(select(Volunteer).where(Volunteer.first_name == "Siân")).one()
    person = SignedIn(
        group.store, replace(group.actor, role=UserRole.VOLUNTEER, volunteer_id=sian.id)
    )
    out = tmp_path / "me.csv"
    assert export_volunteers(person, out) == 1
    table = read_table(out)
    assert "Email" not in table.headers and table.rows[0].cells[0] == "Siân"
    trustee = SignedIn(group.store, replace(group.actor, role=UserRole.TRUSTEE))
    with pytest.raises(PermissionDenied):
        export_volunteers(trustee, tmp_path / "t.csv")


def test_bad_destinations(group: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match=r"\.csv or \.xlsx"):
        export_volunteers(group, tmp_path / "v.pdf")
    with pytest.raises(OutputPathError, match="no folder"):
        export_volunteers(group, tmp_path / "missing" / "v.csv")
    assert not list(tmp_path.glob(".*tmp"))


def test_every_export_is_in_the_audit_trail(coordinator: SignedIn, tmp_path: Path) -> None:
    from sqlalchemy import select

    from peerdesk.models import AuditEvent

    export_volunteers(coordinator, tmp_path / "people.csv")
    with coordinator.store.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (last.action, last.entity_type, last.user_id) == (
        "export",
        "volunteers",
        coordinator.actor.user_id,
    )
