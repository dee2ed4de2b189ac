"""A volunteer's own record as PDF: they may export their own, a coordinator anyone's, and its
figures match their shifts and sessions."""

from pathlib import Path

import pytest
from sqlalchemy import or_, select

from peerdesk.db.keyring import open_value
from peerdesk.db.store import Store
from peerdesk.models import (
    Assignment,
    AssignmentStatus,
    ReportExport,
    ReportKind,
    SessionCoVolunteer,
    SessionLog,
    UserRole,
    Volunteer,
)
from peerdesk.reports.export import export_volunteer_record
from peerdesk.reports.verify import verify_signed_in, verify_with_certificate
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.signing_key import public_key
from tests.test_report_governance import TODAY, pdf_lines, person, qpdf_check


@pytest.fixture
def demo(store: Store) -> Store:
    from peerdesk.demo import generate_demo

    generate_demo(store, seed=7, size="small", today=TODAY)
    return store


def test_a_volunteer_exports_their_own_record(demo: Store, tmp_path: Path) -> None:
    volunteer = person(demo, "volunteer", UserRole.VOLUNTEER)
    own = volunteer.actor.volunteer_id
    assert own is not None
    out = tmp_path / "me.pdf"
    record = export_volunteer_record(volunteer, own, out)
    qpdf_check(out)
    with demo.read() as s:
        me = s.get(Volunteer, own)
        assert me is not None
        email = open_value(s, me.email)  # sealed (docs/keys.md)
        attended = select(Assignment).where(
            Assignment.volunteer_id == own, Assignment.status == AssignmentStatus.ATTENDED
        )
        shifts = s.scalars(attended).all()
        with_me = select(SessionCoVolunteer.session_log_id).where(
            SessionCoVolunteer.volunteer_id == own
        )
        logs = s.scalars(
            select(SessionLog).where(
                or_(SessionLog.volunteer_id == own, SessionLog.id.in_(with_me))
            )
        ).all()
        row = s.scalars(select(ReportExport)).one()
    hours = sum((log.ended_at - log.started_at).total_seconds() / 3600 for log in logs)
    lines = pdf_lines(out)
    assert me.preferred_name in lines[0] or (me.first_name or "") in lines[0]
    total = lines.index("Total", lines.index("Shifts and hours by month"))
    assert lines[total + 1 : total + 4] == [f"{len(shifts):,}", f"{len(logs):,}", f"{hours:,.1f}"]
    assert "Shifts attended" in lines and f"{len(shifts):,}" in lines
    assert row.kind is ReportKind.VOLUNTEER_RECORD and row.report_code == record.report_code
    # The organisation's key is for those who may export reports: a volunteer's own copy is not
    # signed, and says so when checked.
    unsigned = verify_with_certificate(out, public_key(demo).certificate())
    assert not unsigned.valid and "is not signed" in unsigned.sentences[0]
    assert email is None or email not in " ".join(lines)


def test_nobody_else_but_a_coordinator_exports_someone_s_record(
    demo: Store, tmp_path: Path
) -> None:
    volunteer = person(demo, "volunteer", UserRole.VOLUNTEER)
    trustee = person(demo, "trustee", UserRole.TRUSTEE)
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    with demo.read() as s:
        other = s.scalars(
            select(Volunteer.id).where(Volunteer.id != volunteer.actor.volunteer_id).limit(1)
        ).one()
    for who in (volunteer, trustee):
        with pytest.raises(PermissionDenied):
            export_volunteer_record(who, other, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    record = export_volunteer_record(coordinator, other, tmp_path / "x.pdf")
    qpdf_check(tmp_path / "x.pdf")
    checked = verify_signed_in(coordinator, tmp_path / "x.pdf")
    assert checked.valid and f"(report {record.report_code})" in checked.sentences[0]


def test_a_leavers_record_stands_as_of_the_day_they_left(demo: Store) -> None:
    from peerdesk.services.reporting.volunteer_record import volunteer_record
    from peerdesk.services.training import volunteer_training

    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    actor = coordinator.actor
    changed = 0
    with demo.read() as s:
        leavers = s.scalars(select(Volunteer).where(Volunteer.left_on.is_not(None))).all()
        assert leavers
        for leaver in leavers:
            assert leaver.left_on is not None
            record = volunteer_record(s, actor, leaver.id, TODAY)
            assert record.as_of == leaver.left_on
            then = [
                (c.course, c.status)
                for c in volunteer_training(s, actor, leaver.id, leaver.left_on)
            ]
            now = [(c.course, c.status) for c in volunteer_training(s, actor, leaver.id, TODAY)]
            assert [(c.course, c.status) for c in record.training] == then
            changed += then != now
    assert changed  # some leaver's training has lapsed since: the record does not say so
