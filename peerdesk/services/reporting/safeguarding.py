"""Safeguarding figures: concerns and incidents raised in the period by category and where they
stand now. Counts only: nothing of what happened, who raised it or who it was about."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.models import ConcernCategory, ConcernStatus, SafeguardingConcern
from peerdesk.services.reporting.activity import bounds_utc
from peerdesk.services.reporting.sections import Headline, Section, TableFigure
from peerdesk.services.reporting.tables import TOTAL, one_way, two_way
from peerdesk.wording import word

# The table's headings: the same words the concern form and list use (`peerdesk.wording`).
CATEGORY_WORDS = {category: word(category) for category in ConcernCategory}
STATUS_WORDS = {status: word(status) for status in ConcernStatus}
TITLE = "Concerns and incidents by category and status"


def safeguarding_section(
    session: Session, start: date, end: date, zone: str, k: int, public: bool = False
) -> Section:
    since, until = bounds_utc(start, end, zone)
    counts = {
        (category, status): n
        for category, status, n in session.execute(
            select(SafeguardingConcern.category, SafeguardingConcern.status, func.count())
            .where(
                SafeguardingConcern.occurred_at >= since, SafeguardingConcern.occurred_at < until
            )
            .group_by(SafeguardingConcern.category, SafeguardingConcern.status)
        )
    }
    if public:
        return _public_section(counts, k)
    table = two_way(
        [CATEGORY_WORDS[c] for c in ConcernCategory],
        [STATUS_WORDS[s] for s in ConcernStatus],
        [[counts.get((c, s), 0) for s in ConcernStatus] for c in ConcernCategory],
        k,
    )
    lone = table.cell(CATEGORY_WORDS[ConcernCategory.LONE_WORKING_INCIDENT], TOTAL)
    near = table.cell(CATEGORY_WORDS[ConcernCategory.NEAR_MISS], TOTAL)
    return Section(
        key="safeguarding",
        title="Safeguarding and incidents",
        headlines=(
            Headline(
                "Lone-working incidents",
                lone.text,
                "Concerns recorded in the category 'lone-working incident' that happened in the "
                "period.",
            ),
            Headline("Near misses", near.text, "Concerns recorded as a near miss in the period."),
        ),
        tables=(
            TableFigure(
                TITLE,
                table,
                "Concerns and incidents that happened in the period, by category, and their "
                "status when the report was made.",
            ),
        ),
    )


PUBLIC_TITLE = "Concerns and incidents by category"


def _public_section(counts: dict[tuple[ConcernCategory, ConcernStatus], int], k: int) -> Section:
    """By category only: where a concern stands changes after a report is made, so statuses
    in two reports of overlapping periods would not add up and could not be checked together.
    The category's headline figures are in the table."""
    by_category = [sum(n for (c, _s), n in counts.items() if c is cat) for cat in ConcernCategory]
    table = one_way([CATEGORY_WORDS[c] for c in ConcernCategory], by_category, k, "Concerns")
    return Section(
        key="safeguarding",
        title="Safeguarding and incidents",
        headlines=(),
        tables=(
            TableFigure(
                PUBLIC_TITLE,
                table,
                "Concerns and incidents that happened in the period, by category.",
            ),
        ),
    )
