"""A volunteer's own record as a PDF: who they are in the group, their roles, training and DBS
standing, and a statement of shifts and hours by month."""

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus import Table as PdfTable

from peerdesk.dates import show_date, show_datetime
from peerdesk.reports.pdf import MARGIN, DocumentInfo, build, grid, styles, text
from peerdesk.services.reporting.volunteer_record import VolunteerRecord
from peerdesk.wording import SHORT_MONTHS

WIDTH = 210 * mm - 2 * MARGIN


def render_volunteer_record(
    record: VolunteerRecord, report_code: str, fingerprint: str, generated_at: datetime
) -> bytes:
    sheet = styles()
    story: list[Flowable] = [
        Paragraph(text(record.name), sheet["Cover"]),
        Paragraph(f"Volunteer record · {text(record.organisation)}", sheet["CoverSub"]),
    ]
    facts = [
        ("Status", record.status.capitalize()),
        ("Started", show_date(record.started_on) or "Not yet"),
    ]
    if record.left_on:
        facts.append(("Left", show_date(record.left_on)))
    facts += [
        ("Roles", ", ".join(r.name for r in record.roles) or "None recorded"),
        ("Shifts attended", f"{record.total_shifts:,}"),
        ("Hours of sessions", f"{record.total_hours:,.1f}"),
        ("Record as of", show_date(record.as_of)),
        ("Generated", show_datetime(generated_at)),
        ("Report ID", report_code),
    ]
    rows = [[Paragraph(f"<b>{text(k)}</b>", sheet["Cell"]), Paragraph(text(v), sheet["Cell"])]
            for k, v in facts]  # fmt: skip
    table = PdfTable(rows, colWidths=[40 * mm, WIDTH - 40 * mm], hAlign="LEFT")
    story += [table, Spacer(1, 3 * mm)]
    story.append(Paragraph("Roles", sheet["Section"]))
    story.append(
        grid(
            ["Role", "Since"],
            [[r.name, show_date(r.since) or "–"] for r in record.roles] or [["None", ""]],
            [90 * mm, 35 * mm],
            sheet,
        )
    )
    story.append(Paragraph("Training", sheet["Section"]))
    lines = [
        [
            c.course + ("" if c.mandatory else " (optional)"),
            c.status.value.capitalize(),
            show_date(c.last_completed) or "–",
            show_date(c.expires_on) or "–",
        ]
        for c in record.training
    ]
    widths = [75 * mm, 30 * mm, 32 * mm, 32 * mm]
    header = ["Course", "Status", "Completed", "Expires"]
    story.append(grid(header, lines or [["None", "", "", ""]], widths, sheet))
    story.append(Paragraph("DBS check", sheet["Section"]))
    dbs = [
        record.dbs_status.value.capitalize(),
        (record.dbs_level or "–").capitalize(),
        show_date(record.dbs_issued_on) or "–",
        show_date(record.dbs_recheck_due_on) or "–",
    ]
    columns = ["Standing", "Level", "Issued", "Recheck due"]
    story.append(grid(columns, [dbs], [40 * mm, 35 * mm, 30 * mm, 30 * mm], sheet))
    story.append(
        Paragraph(
            "DBS certificates do not expire; the recheck date follows the organisation's policy. "
            "The certificate number is not printed.",
            sheet["Method"],
        )
    )
    story.append(Paragraph("Shifts and hours by month", sheet["Section"]))
    months = [
        [f"{SHORT_MONTHS[m.month.month - 1]} {m.month.year}", f"{m.shifts:,}", f"{m.sessions:,}",
         f"{m.hours:,.1f}"]
        for m in record.months
    ]  # fmt: skip
    months.append(
        ["Total", f"{record.total_shifts:,}", f"{sum(m.sessions for m in record.months):,}",
         f"{record.total_hours:,.1f}"]
    )  # fmt: skip
    story.append(
        grid(["Month", "Shifts attended", "Sessions", "Hours"], months,
             [45 * mm, 35 * mm, 30 * mm, 30 * mm], sheet, total_last=True)
    )  # fmt: skip
    story.append(
        Paragraph(
            "Shifts: rota shifts marked attended. Sessions and hours: sessions the volunteer "
            "logged or was recorded as co-volunteer on, with their logged length.",
            sheet["Method"],
        )
    )
    info = DocumentInfo(
        title=f"Volunteer record: {record.name}",
        author=record.organisation,
        subject=f"Report {report_code}; figures SHA-256 {fingerprint}",
        report_code=report_code,
        fingerprint=fingerprint,
        footer=f"{record.organisation} · Volunteer record of {record.name}",
    )
    return build(story, info)
