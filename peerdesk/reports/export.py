"""Exporting a report: read the figures in one short session, render the PDF, then record the
export and write the file in one audited write session, so a file is only left on disk with its
record (a failed write rolls the record back).

Used by the CLI and, on a background thread, by the Reports page."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from peerdesk.dates import local
from peerdesk.models import ReportKind
from peerdesk.reports.governance import ReportMeta, render_governance
from peerdesk.reports.pdf import write_pdf
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, require
from peerdesk.services.reporting.figures import Period, governance_figures
from peerdesk.services.reporting.records import (
    ExportRecord,
    Narrative,
    file_sha256,
    latest_narrative,
    new_report_code,
    record_export,
    sign_offs_for_period,
)

Progress = Callable[[str, int, int], None]


def _quiet(_what: str, _done: int, _total: int) -> None:
    pass


def export_governance(
    person: SignedIn,
    period: Period,
    out: Path,
    narrative: Narrative | None = None,
    progress: Progress | None = None,
) -> ExportRecord:
    """Write the governance report for `period` to `out` and record it. Without a narrative,
    the one stored with the period's newest export is used."""
    step = progress or _quiet
    actor = person.actor
    require(actor, Permission.EXPORT_REPORTS)
    period.check()
    if narrative is not None:
        narrative.check()
    step("Counting the figures", 0, 3)
    with person.store.read() as s:
        figures = governance_figures(s, actor, period)
        signed = sign_offs_for_period(s, ReportKind.GOVERNANCE, period.start, period.end)
        words = (
            narrative
            if narrative is not None
            else latest_narrative(s, actor, period.start, period.end)
        )
    now = datetime.now(UTC)
    code = new_report_code(ReportKind.GOVERNANCE, local(now, figures.timezone).date())
    meta = ReportMeta(code, now, actor.role.value)
    step("Laying out the pages", 1, 3)
    data = render_governance(figures, words, signed, meta)
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
        write_pdf(out, data)
    step("Report written", 3, 3)
    return record
