"""Trust in an exported report: the record of each export and its audit event, deterministic
PDFs, trustee sign-off bound to the figures, and nothing left behind by a failed export (the
signature and `verify` are in test_report_signing)."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peerdesk import clock
from peerdesk.cli import main
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import (
    AuditEvent,
    Course,
    ReportExport,
    ReportKind,
    ReportSignOff,
    TrainingCompletion,
    UserRole,
    Volunteer,
    VolunteerRole,
    course_requirements,
)
from peerdesk.reports.export import export_governance
from peerdesk.reports.governance import ReportMeta, render_governance
from peerdesk.services.auth import SignedIn
from peerdesk.services.compliance import add_months
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.figures import governance_figures
from peerdesk.services.reporting.records import Narrative, sign_off
from tests.conftest import TEST_SECRET, TEST_USER
from tests.test_report_governance import PERIOD, TODAY, Printed, assert_printed, pdf_lines, person


def add_starter(store: Store, coordinator: SignedIn, on: date) -> None:
    """One more volunteer starting on `on`: the period's figures are no longer the same."""
    from peerdesk.services.volunteers.records import VolunteerInput, create_volunteer

    with store.read() as s:
        before = governance_figures(s, coordinator.actor, PERIOD).fingerprint
    with store.session(coordinator.actor) as s:
        create_volunteer(s, coordinator.actor, VolunteerInput("Nia", started_on=on), TODAY)
    with store.read() as s:
        assert governance_figures(s, coordinator.actor, PERIOD).fingerprint != before


@pytest.fixture
def demo(store: Store) -> Store:
    from peerdesk.demo import generate_demo

    generate_demo(store, seed=7, size="small", today=TODAY)
    return store


def test_an_export_is_recorded_and_audited(demo: Store, tmp_path: Path) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    words = Narrative(challenges="Weekday mornings.")
    record = export_governance(coordinator, PERIOD, tmp_path / "r.pdf", words)
    with demo.read() as s:
        row = s.scalars(select(ReportExport)).one()
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "report_exports"))
        event = events.one()
    assert row.report_code == record.report_code and row.kind is ReportKind.GOVERNANCE
    assert (row.period_start, row.period_end) == (PERIOD.start, PERIOD.end)
    assert row.exported_by_user_id == coordinator.actor.user_id
    assert Narrative.from_json(row.narrative) == words
    assert event.user_id == coordinator.actor.user_id and event.action == "create"
    assert row.figures_sha256 in (event.changes or "")


@pytest.mark.file_only  # the command on the data folder's file
def test_the_cli_exports_and_verifies(
    demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    person(demo, TEST_USER, UserRole.COORDINATOR)
    folder = demo.folder.root
    demo.close(backup=False)
    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)
    out = tmp_path / "cli.pdf"
    base = ["--data-dir", str(folder), "report"]
    user = ["--user", TEST_USER]
    assert main([*base, "governance", *user, "--from", "2025-06-01", "--to", "2026-05-31",
                 "--out", str(out)]) == 0  # fmt: skip
    assert "written to" in capsys.readouterr().out
    assert main([*base, "verify", *user, str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Valid:") and "figures are still the same" in said
    # One byte of the first page's content changed (the title's words are compressed).
    changed = bytearray(out.read_bytes())
    changed[changed.index(b"stream") + 20] ^= 1
    out.write_bytes(bytes(changed))
    assert main([*base, "verify", *user, str(out)]) == 1
    assert capsys.readouterr().out.startswith("NOT valid")
    assert main([*base, "governance", *user, "--from", "1 June", "--to", "2026-05-31",
                 "--out", str(out)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2026-11-26" in err and "Traceback" not in err


def test_the_same_figures_make_the_same_bytes(demo: Store) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    with demo.read() as s:
        first = governance_figures(s, coordinator.actor, PERIOD)
        second = governance_figures(s, coordinator.actor, PERIOD)
    assert first == second and first.fingerprint == second.fingerprint
    meta = ReportMeta("GOV-20261126-ABCDEF", datetime(2026, 11, 26, 12, tzinfo=UTC), "coordinator")
    assert render_governance(first, Narrative(), (), meta) == render_governance(
        second, Narrative(), (), meta
    )


def test_a_failed_write_leaves_no_file_and_no_record(demo: Store, tmp_path: Path) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    where = tmp_path / "out"
    where.mkdir()
    for out in (where / "missing" / "r.pdf", where / "r.txt", where):
        with pytest.raises(PeerdeskError):
            export_governance(coordinator, PERIOD, out)
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportExport)) == 0
    assert list(where.iterdir()) == []


def test_only_a_trustee_signs_off_and_dates_must_make_sense(demo: Store, tmp_path: Path) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    trustee = person(demo, "trustee", UserRole.TRUSTEE)
    record = export_governance(coordinator, PERIOD, tmp_path / "r.pdf")
    exported_on = record.exported_at.date()
    with pytest.raises(PermissionDenied), demo.session(coordinator.actor) as s:
        sign_off(s, coordinator.actor, record.id, exported_on, None, exported_on)
    for on in (exported_on + timedelta(days=1), exported_on - timedelta(days=1)):
        with pytest.raises(ValidationError), demo.session(trustee.actor) as s:
            sign_off(s, trustee.actor, record.id, on, None, exported_on)
    with demo.session(trustee.actor) as s:
        sign_off(s, trustee.actor, record.id, exported_on, "", exported_on)
    with demo.read() as s:
        row = s.scalars(select(ReportSignOff)).one()
        audited = s.scalar(select(func.count()).where(AuditEvent.entity_type == "report_sign_offs"))
    # The signer is the signed-in trustee's account, not a name typed in.
    assert (row.signer_name, row.comment, row.signed_by_user_id) == (
        trustee.actor.display_name,
        None,
        trustee.actor.user_id,
    )
    assert audited == 1


def test_training_figures_match_completions(demo: Store, tmp_path: Path) -> None:
    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    out = tmp_path / "r.pdf"
    export_governance(coordinator, PERIOD, out)
    printed = Printed(pdf_lines(out))
    end = PERIOD.end
    with demo.read() as s:
        at_end = {
            v.id
            for v in s.scalars(select(Volunteer))
            if v.started_on and v.started_on <= end and (v.left_on is None or v.left_on > end)
        }
        required = s.execute(
            select(VolunteerRole.volunteer_id, Course)
            .join(course_requirements, course_requirements.c.role_id == VolunteerRole.role_id)
            .join(Course, Course.id == course_requirements.c.course_id)
            .where(Course.active)
        ).all()
        done = s.scalars(select(TrainingCompletion)).all()
    pairs = {(v, c.id): c for v, c in required if v in at_end}
    by_course: dict[str, list[int]] = {}
    for (v, course_id), course in pairs.items():
        dates = [
            d.completed_on
            for d in done
            if (d.volunteer_id, d.course_id) == (v, course_id) and d.completed_on <= end
        ]
        valid = bool(dates) and (
            course.validity_months is None or end < add_months(max(dates), course.validity_months)
        )
        counts = by_course.setdefault(course.name, [0, 0])
        counts[0 if valid else 1] += 1
    title = "Mandatory training on the last day of the period"
    for name, (valid, not_valid) in by_course.items():
        # The board report (the default) is exact: a threshold of 1 hides nothing.
        assert_printed(printed.row(title, name, 3), [valid, not_valid, valid + not_valid], 1)


def test_trustees_are_told_of_reports_waiting_for_sign_off(demo: Store, tmp_path: Path) -> None:
    from peerdesk.services.today_attention import needs_attention

    coordinator = person(demo, "coordinator", UserRole.COORDINATOR)
    trustee = person(demo, "trustee", UserRole.TRUSTEE)
    first = export_governance(coordinator, PERIOD, tmp_path / "a.pdf")
    export_governance(coordinator, PERIOD, tmp_path / "b.pdf")  # the same period again
    now = clock.now()
    with demo.read() as s:
        waiting = [a for a in needs_attention(s, trustee.actor, now) if a.area == "reports"]
        for_coordinator = needs_attention(s, coordinator.actor, now)
    assert [a.sentence for a in waiting] == [
        "The governance report for 1 Jun 2025 to 31 May 2026 is waiting for a trustee's sign-off."
    ]
    assert not [a for a in for_coordinator if a.area == "reports"]
    on = first.exported_at.date()
    with demo.session(trustee.actor) as s:
        sign_off(s, trustee.actor, first.id, on, None, on)
    with demo.read() as s:
        assert not [a for a in needs_attention(s, trustee.actor, now) if a.area == "reports"]
    # New figures for the period: the next export is not signed off, and the trustee is asked again.
    add_starter(demo, coordinator, PERIOD.start)
    third = tmp_path / "c.pdf"
    export_governance(coordinator, PERIOD, third)
    later = clock.now()
    with demo.read() as s:
        again = [
            a.sentence for a in needs_attention(s, trustee.actor, later) if a.area == "reports"
        ]
    assert again == [
        "The governance report for 1 Jun 2025 to 31 May 2026 is waiting for a trustee's sign-off."
    ]
    text = " ".join(pdf_lines(third))
    assert "not yet signed off" in text and "Signed off by" not in text
