"""The Today page's sentence for trustees: governance reports exported but not yet signed off.

One sentence per period (several exports of one period need one sign-off, unless the figures
changed since: a sign-off binds the figures it saw), newest first."""

from datetime import datetime

from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.reporting.records import periods_awaiting_sign_off

MOST = 3


def reports_awaiting_sign_off(session: Session, actor: Actor, now: datetime) -> list[Attention]:
    if not can(actor, Permission.SIGN_OFF_REPORTS):
        return []
    waiting = periods_awaiting_sign_off(session, now)[:MOST]
    return [
        Attention(
            "reports",
            f"The governance report for {show_date(start)} to {show_date(end)} is waiting "
            "for a trustee's sign-off.",
        )
        for start, end in waiting
    ]
