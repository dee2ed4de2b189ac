"""The Today page's sentence for trustees: governance reports exported but not yet signed off.

One sentence per period (several exports of one period need one sign-off), newest first."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.models import ReportExport, ReportKind, ReportSignOff
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor, Permission, can

MOST = 3


def reports_awaiting_sign_off(session: Session, actor: Actor, now: datetime) -> list[Attention]:
    if not can(actor, Permission.SIGN_OFF_REPORTS):
        return []
    signed = (
        select(ReportExport.period_start, ReportExport.period_end)
        .join(ReportSignOff, ReportSignOff.report_export_id == ReportExport.id)
        .where(ReportExport.kind == ReportKind.GOVERNANCE)
    )
    done = {(start, end) for start, end in session.execute(signed)}
    exported = [
        (start, end)
        for start, end in session.execute(
            select(ReportExport.period_start, ReportExport.period_end)
            .where(ReportExport.kind == ReportKind.GOVERNANCE, ReportExport.exported_at <= now)
            .order_by(ReportExport.period_end.desc(), ReportExport.period_start)
            .distinct()
        )
    ]
    waiting = [p for p in exported if p not in done][:MOST]
    return [
        Attention(
            "reports",
            f"The governance report for {show_date(start)} to {show_date(end)} is waiting "
            "for a trustee's sign-off.",
        )
        for start, end in waiting
    ]
