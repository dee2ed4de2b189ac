"""Read-only, paged lists for every area of the main window, and the Today figures.

Every function takes the `Actor` it reads for and shows only what that person may see (see
`peerdesk.services.permissions`). Confidential text (supervision notes, wellbeing checks,
concern details, session notes) is never selected here.
"""

from peerdesk.services.browse.courses import CourseRow, count_courses, courses_page
from peerdesk.services.browse.paging import PAGE_SIZE, PageQuery
from peerdesk.services.browse.people import VolunteerRow, count_volunteers, volunteers_page
from peerdesk.services.browse.reports import ReportRow, count_reports, reports_page
from peerdesk.services.browse.rota import ShiftRow, count_shifts, shifts_page, staffing_word
from peerdesk.services.browse.sessions import SessionLogRow, count_session_logs, session_logs_page
from peerdesk.services.browse.supervision import (
    SupervisionRow,
    count_supervision,
    supervision_page,
)
from peerdesk.services.browse.today import LOOKAHEAD_DAYS, TodaySummary, today_summary

__all__ = [
    "LOOKAHEAD_DAYS",
    "PAGE_SIZE",
    "CourseRow",
    "PageQuery",
    "ReportRow",
    "SessionLogRow",
    "ShiftRow",
    "SupervisionRow",
    "TodaySummary",
    "VolunteerRow",
    "count_courses",
    "count_reports",
    "count_session_logs",
    "count_shifts",
    "count_supervision",
    "count_volunteers",
    "courses_page",
    "reports_page",
    "session_logs_page",
    "shifts_page",
    "staffing_word",
    "supervision_page",
    "today_summary",
    "volunteers_page",
]
