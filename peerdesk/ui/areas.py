"""What each list in the window shows: its columns, in the words people use, over the paged
queries in `peerdesk.services.browse`."""

from datetime import time

from peerdesk.dates import show_date, show_datetime
from peerdesk.services import browse
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui.area_registry import AREAS
from peerdesk.ui.paged_model import Column, ListSource
from peerdesk.wording import count, word


def _hm(value: time) -> str:
    return f"{value:%H:%M}"


def _text(value: str | None) -> str:
    return value or ""


VOLUNTEERS = ListSource(
    key="volunteers",
    noun="volunteer",
    page=browse.volunteers_page,
    count=browse.count_volunteers,
    columns=(
        Column("Name", lambda r: r.preferred_name, sort="name"),
        Column("Full name", lambda r: r.full_name, sort="full_name"),
        Column("Roles", lambda r: ", ".join(r.roles), sort="roles"),
        Column("Status", lambda r: word(r.status), sort="status"),
        Column("Started", lambda r: show_date(r.started_on), sort="started"),
        # Sealed (docs/keys.md): shown, but not sorted or searched.
        Column("Email", lambda r: _text(r.email)),
        Column("Phone", lambda r: _text(r.phone)),
    ),
    filter_hint="Filter by name, role or status (email and phone are sealed: not searched)",
)


SESSION_LOGS = ListSource(
    key="sessions",
    noun="session",
    page=browse.session_logs_page,
    count=browse.count_session_logs,
    descending=True,
    columns=(
        Column("Date", lambda r: show_date(r.day), sort="date"),
        Column("Start", lambda r: _hm(r.starts)),
        Column("Activity", lambda r: r.activity, sort="activity"),
        Column("Volunteer", lambda r: r.volunteer, sort="volunteer"),
        Column("Mode", lambda r: word(r.mode)),
        Column("Attendees", lambda r: str(r.attendees), numeric=True),
        Column("New", lambda r: str(r.new_attendees), numeric=True),
    ),
)

SUPERVISION = ListSource(
    key="supervision",
    noun="supervision session",
    page=browse.supervision_page,
    count=browse.count_supervision,
    descending=True,
    columns=(
        Column("Date", lambda r: show_date(r.held_on), sort="date"),
        Column("Kind", lambda r: word(r.kind)),
        Column("Supervisor", lambda r: r.supervisor, sort="supervisor"),
        Column("Minutes", lambda r: str(r.duration_minutes), numeric=True),
        Column("Supervisees", lambda r: str(r.supervisees), numeric=True),
    ),
)

COURSES = ListSource(
    key="training",
    noun="course",
    page=browse.courses_page,
    count=browse.count_courses,
    columns=(
        Column("Course", lambda r: r.name, sort="name"),
        Column(
            "Renew every",
            lambda r: count(r.validity_months, "month") if r.validity_months else "Never",
        ),
        Column("Required for", lambda r: ", ".join(r.required_for)),
        Column("Completions", lambda r: str(r.completions), sort="completions", numeric=True),
        Column("Last completed", lambda r: show_date(r.last_completed), sort="last_completed"),
        Column("In use", lambda r: "Yes" if r.active else "No"),
    ),
)

REPORTS = ListSource(
    key="reports",
    noun="report exported",
    many="reports exported",
    page=browse.reports_page,
    count=browse.count_reports,
    descending=True,
    columns=(
        Column("Exported", lambda r: show_datetime(r.exported_at), sort="exported"),
        Column("Report", lambda r: word(r.kind), sort="kind"),
        Column(
            "Period",
            lambda r: f"{show_date(r.period_start)} – {show_date(r.period_end)}",
            sort="period",
        ),
        Column("Code", lambda r: r.report_code),
        Column("Exported by", lambda r: _text(r.exported_by)),
        Column("Signed off", lambda r: "Yes" if r.signed_off else "Not yet"),
    ),
)

# Which permission opens each area of the window: declared with the area, in the registry.
AREA_PERMISSIONS: dict[str, Permission | None] = {area.key: area.permission for area in AREAS}


def areas_for(actor: Actor) -> list[str]:
    """The keys of the areas this person's role may use, in sidebar order."""
    return [
        key
        for key, need in AREA_PERMISSIONS.items()
        if (need is None or can(actor, need))
        # Logging a session needs a volunteer record to log it for.
        and not (key == "log" and actor.volunteer_id is None)
    ]


def sees_compliance(actor: Actor) -> bool:
    """Whether the Training area shows the compliance matrix: coordinators see everyone active,
    supervisors their supervisees (the service limits the rows); others see the catalogue."""
    return can(actor, Permission.VIEW_COMPLIANCE)


def sources(key: str) -> tuple[ListSource, ListSource | None]:
    """The list a page shows, and what its option box switches to."""
    if key == "rota":
        from peerdesk.ui.rota.list_view import rota_sources

        return rota_sources()
    return {
        "volunteers": VOLUNTEERS,
        "sessions": SESSION_LOGS,
        "supervision": SUPERVISION,
        "training": COURSES,
        "reports": REPORTS,
    }[key], None
