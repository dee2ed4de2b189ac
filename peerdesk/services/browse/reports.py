"""The list of exported reports: what, which period, who exported it, whether it was signed off."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.folding import contains_folded
from peerdesk.models import ReportExport, ReportKind, ReportSignOff, User
from peerdesk.services.browse.paging import PageQuery, Query, Sorts, columns, count, page
from peerdesk.services.permissions import Actor, Permission, require


@dataclass(frozen=True)
class ReportRow:
    id: uuid.UUID
    report_code: str
    kind: ReportKind
    period_start: date
    period_end: date
    exported_at: datetime
    exported_by: str | None
    signed_off: bool


REPORT_SORTS: Sorts = {
    "exported": (ReportExport.exported_at, ReportExport.id),
    "kind": (ReportExport.kind, ReportExport.period_start, ReportExport.id),
    "period": (ReportExport.period_start, ReportExport.id),
}


def _report_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    return stmt.where(contains_folded(ReportExport.report_code, t)) if t else stmt


def reports_page(session: Session, actor: Actor, q: PageQuery = PageQuery()) -> list[ReportRow]:
    """Reports that were exported, who exported them and whether a trustee signed them off."""
    require(actor, Permission.VIEW_REPORTS)
    signed = select(ReportSignOff.id).where(ReportSignOff.report_export_id == ReportExport.id)
    stmt = select(
        *columns(ReportExport, "id report_code kind period_start period_end exported_at"),
        User.display_name,
        signed.exists(),
    ).outerjoin(User, User.id == ReportExport.exported_by_user_id)
    rows = page(session, _report_filter(stmt, q.text), REPORT_SORTS, q)
    return [ReportRow(*r) for r in rows]


def count_reports(session: Session, actor: Actor, text: str = "") -> int:
    require(actor, Permission.VIEW_REPORTS)
    return count(session, _report_filter(select(ReportExport.id), text))
