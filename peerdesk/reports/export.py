"""Exporting a report: read the figures in one short session, render the PDF, sign it with the
organisation's key, then record the export and write the file in one audited write session, so a
file is only left on disk with its record (a failed write rolls the record back).

Used by the CLI and, on a background thread, by the Reports page."""

import uuid
from collections.abc import Callable
from pathlib import Path

from peerdesk import clock
from peerdesk.dates import local
from peerdesk.db.outputs import check_output
from peerdesk.models import ReportKind
from peerdesk.reports.governance import ReportMeta, render_governance
from peerdesk.reports.pdf import PDF, write_pdf
from peerdesk.reports.signature import sign_report
from peerdesk.reports.volunteer_record import render_volunteer_record
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, can, require
from peerdesk.services.reporting.figures import (
    Audience,
    Period,
    fingerprint,
    governance_figures,
)
from peerdesk.services.reporting.ledger import record_release
from peerdesk.services.reporting.records import (
    ExportRecord,
    Narrative,
    file_sha256,
    latest_narrative,
    new_report_code,
    record_export,
    sign_offs_for_period,
)
from peerdesk.services.reporting.volunteer_record import volunteer_record
from peerdesk.services.signing_key import signing_key

Progress = Callable[[str, int, int], None]


def _quiet(_what: str, _done: int, _total: int) -> None:
    pass


def export_governance(
    person: SignedIn,
    period: Period,
    out: Path,
    narrative: Narrative | None = None,
    progress: Progress | None = None,
    *,
    overwrite: bool = True,
    audience: Audience = Audience.BOARD,
) -> ExportRecord:
    """Write the governance report for `period` to `out` and record it (a public one also in
    the ledger of public releases, which later public reports are checked against). Without a
    narrative,
    the one stored with the period's newest export is used. `overwrite`: whether an existing
    `out` may be replaced (the window's file dialog has asked; the command line asks --force)."""
    step = progress or _quiet
    actor = person.actor
    require(actor, Permission.EXPORT_REPORTS)
    check_output(out, person.store.folder, overwrite=overwrite, suffixes=PDF)
    period.check()
    if narrative is not None:
        narrative.check()
    key = signing_key(person.store, actor)
    step("Counting the figures", 0, 3)
    with person.store.read() as s:
        figures = governance_figures(s, actor, period, audience)
        signed = sign_offs_for_period(
            s, ReportKind.GOVERNANCE, period.start, period.end, figures.fingerprint
        )
        words = (
            narrative
            if narrative is not None
            else latest_narrative(s, actor, period.start, period.end)
        )
    now = clock.now()
    code = new_report_code(ReportKind.GOVERNANCE, local(now, figures.timezone).date())
    meta = ReportMeta(code, now, actor.role.value)
    step("Laying out the pages", 1, 3)
    data = sign_report(render_governance(figures, words, signed, meta), key)
    step("Writing the file", 2, 3)
    with person.store.session(actor) as s:
        record = record_export(
            s,
            actor,
            code=code,
            kind=ReportKind.GOVERNANCE,
            period=(period.start, period.end),
            figures_sha256=figures.fingerprint,
            file_hash=file_sha256(data),
            exported_at=now,
            narrative=words,
        )
        record_release(s, code, figures.released)
        write_pdf(out, data, person.store.folder, overwrite)
    step("Report written", 3, 3)
    return record


def export_volunteer_record(
    person: SignedIn,
    volunteer_id: uuid.UUID,
    out: Path,
    progress: Progress | None = None,
    *,
    overwrite: bool = True,
) -> ExportRecord:
    """Write a volunteer's own record to `out` and record the export (no figures of anyone
    else, so any signed-in person may export their own). It is signed with the organisation's
    key when exported by someone who may export reports; a volunteer's copy of their own record
    is not signed (the key is not theirs to use), and `verify` says so."""
    step = progress or _quiet
    actor = person.actor
    check_output(out, person.store.folder, overwrite=overwrite, suffixes=PDF)
    key = signing_key(person.store, actor) if can(actor, Permission.EXPORT_REPORTS) else None
    now = clock.now()
    step("Reading the record", 0, 2)
    with person.store.read() as s:
        record = volunteer_record(s, actor, volunteer_id, local(now).date())
    code = new_report_code(ReportKind.VOLUNTEER_RECORD, record.as_of)
    digest = fingerprint(record)
    data = render_volunteer_record(record, code, digest, now)
    if key is not None:
        data = sign_report(data, key)
    step("Writing the file", 1, 2)
    with person.store.session(actor) as s:
        result = record_export(
            s,
            actor,
            code=code,
            kind=ReportKind.VOLUNTEER_RECORD,
            period=record.period,
            figures_sha256=digest,
            file_hash=file_sha256(data),
            exported_at=now,
        )
        write_pdf(out, data, person.store.folder, overwrite)
    step("Record written", 2, 2)
    return result
