"""Session logs: logging one straight after a session, a coordinator's corrections (audited),
the Sessions page's filtered list and totals, and exporting them."""

from peerdesk.services.sessions.editing import (
    SessionCorrection,
    SessionLogDetail,
    correct_session_log,
    session_log_detail,
)
from peerdesk.services.sessions.export import (
    export_session_logs,
    export_sessions_between,
    session_log_rows,
)
from peerdesk.services.sessions.listing import (
    SessionFilter,
    SessionTotals,
    filtered_count,
    filtered_page,
    session_totals,
)
from peerdesk.services.sessions.recording import (
    Choice,
    LogChoices,
    SessionInput,
    UnloggedShift,
    default_mode,
    everyones_unlogged_shifts,
    log_choices,
    log_session,
    request_debrief,
    supervisor_of,
    unlogged_shifts,
)
from peerdesk.services.sessions.rules import MAX_ATTENDEES, parse_count

__all__ = [
    "MAX_ATTENDEES",
    "Choice",
    "LogChoices",
    "SessionCorrection",
    "SessionFilter",
    "SessionInput",
    "SessionLogDetail",
    "SessionTotals",
    "UnloggedShift",
    "correct_session_log",
    "default_mode",
    "everyones_unlogged_shifts",
    "export_session_logs",
    "export_sessions_between",
    "filtered_count",
    "filtered_page",
    "log_choices",
    "log_session",
    "parse_count",
    "request_debrief",
    "session_log_detail",
    "session_log_rows",
    "session_totals",
    "supervisor_of",
    "unlogged_shifts",
]
