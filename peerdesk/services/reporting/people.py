"""Figures about volunteers: how many were on the books and who joined and left, by role;
training in date; DBS in place; supervision within cadence; equality reach. All counts of people,
so all suppressed.

"At the start" of a period: started before its first day and not left before it; "at the end":
started by its last day and not left by then. Someone who starts on the first day is counted as
joining, not also at the start, so at the end = at the start + joined - left exactly: a sum a
reader could use, and it is given to the suppression with the counts.

`k` is the suppression threshold; the board report passes 1, which hides nothing. `public`:
the public report leaves out what is there for the board to act on (percentages, rechecks
due soon) and the equality tables' totals (the volunteers table prints them)."""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import open_value
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Course,
    EqualityMonitoring,
    Role,
    Volunteer,
    VolunteerRole,
)
from peerdesk.services.compliance import (
    CourseRule,
    DBSStatus,
    StatusCutoffs,
    TrainingStatus,
    expires_on,
)
from peerdesk.services.dbs import dbs_standings
from peerdesk.services.reporting.sections import Headline, Section, TableFigure
from peerdesk.services.reporting.suppression import Shown, publish
from peerdesk.services.reporting.tables import Table, one_way, share, two_way
from peerdesk.services.supervision.cadence import CadenceStatus, cadence_rows
from peerdesk.services.training.matrix import required_with_newest
from peerdesk.wording import count

LOOK_AHEAD_DAYS = 90
VALID = frozenset({TrainingStatus.IN_DATE, TrainingStatus.RENEWAL_DUE})
EQUALITY_QUESTIONS = (
    ("age_band", "Age"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnic group"),
    ("disability", "Disability"),
    ("sexual_orientation", "Sexual orientation"),
    ("religion", "Religion or belief"),
    ("lived_experience", "Lived experience"),
)
PREFER_NOT = "Prefer not to say"
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class People:
    volunteers: Section
    training: Section
    dbs: Section
    supervision: Section
    equality: Section
    completeness: tuple[str, ...]


def on_books(day: date) -> Select[uuid.UUID]:
    """Volunteers on the books at the start of `day`, before anyone starting that day."""
    return select(Volunteer.id).where(
        Volunteer.started_on < day,
        or_(Volunteer.left_on.is_(None), Volunteer.left_on >= day),
    )


def on_books_at_end(end: date) -> Select[uuid.UUID]:
    """Volunteers on the books at the end of `end` (not left by then)."""
    return select(Volunteer.id).where(
        Volunteer.started_on <= end,
        or_(Volunteer.left_on.is_(None), Volunteer.left_on > end),
    )


def read_people(session: Session, start: date, end: date, k: int, public: bool = False) -> People:
    at_end = set(session.scalars(on_books_at_end(end)))
    equality, answered = equality_section(session, at_end, k, public)
    # "N of M filled in the form" beside the "not answered" counts would pin them: the public
    # report says only that the form is optional.
    if public:
        completeness = (
            "The equality form is optional; volunteers without one are counted as 'not answered'.",
        )
    else:
        completeness = (
            f"{answered:,} of {count(len(at_end), 'volunteer')} on the books at the end of the "
            f"period {'has' if answered == 1 else 'have'} filled in the optional equality form.",
        )
    return People(
        volunteers=volunteers_section(session, start, end, at_end, k),
        training=training_section(session, end, k, public),
        dbs=dbs_section(session, end, at_end, k, public),
        supervision=supervision_section(session, end, k, public),
        equality=equality,
        completeness=completeness,
    )


def volunteers_section(
    session: Session, start: date, end: date, at_end: set[uuid.UUID], k: int
) -> Section:
    at_start = len(session.scalars(on_books(start)).all())
    joined = len(
        session.scalars(select(Volunteer.id).where(Volunteer.started_on.between(start, end))).all()
    )
    left = len(
        session.scalars(
            select(Volunteer.id).where(
                Volunteer.left_on.between(start, end), Volunteer.started_on.is_not(None)
            )
        ).all()
    )
    flow = publish([at_start, joined, left, len(at_end)], [[(0, 1), (1, 1), (2, -1), (3, -1)]], k)
    flow_table = Table(("At start", "Joined", "Left", "At end"), (("Volunteers", tuple(flow)),))
    roles = session.execute(
        select(Role.name, VolunteerRole.volunteer_id).join(Role, Role.id == VolunteerRole.role_id)
    ).all()
    by_role = Counter(name for name, who in roles if who in at_end)
    names = sorted({name for name, _ in roles} | set(session.scalars(select(Role.name))))
    # Roles overlap (one person may hold two), so there is no total to give anything away.
    role_counts = publish([by_role[n] for n in names], [], k)
    role_table = Table(
        ("At end",), tuple((n, (c,)) for n, c in zip(names, role_counts, strict=True))
    )
    return Section(
        key="volunteers",
        title="Volunteers",
        headlines=(),
        tables=(
            TableFigure(
                "Volunteers on the books",
                flow_table,
                "At the start: started (first day on the rota) before the first day and not "
                "left before it; joined: started in the period; at the end: started and not "
                "left by the last day. At the end = at the start + joined - left.",
            ),
            TableFigure(
                "Volunteers by role at the end of the period",
                role_table,
                "Roles held by volunteers on the books at the end; someone with two roles is "
                "counted in each, so the roles add up to more than the volunteers.",
            ),
        ),
    )


def training_section(session: Session, end: date, k: int, public: bool = False) -> Section:
    """Per mandatory course, on the last day: in date (valid, renewal window included) or not,
    among volunteers on the books whose roles require it; and how many expire in 90 days."""
    pairs, newest = required_with_newest(on_books_at_end(end), end)
    latest = session.execute(select(pairs.c.course, newest)).all()
    wanted = select(Course).where(Course.id.in_({c for c, _ in latest}))
    courses = {c.id: c for c in session.scalars(wanted)}
    rules = {
        c.id: CourseRule(c.validity_months, c.renewal_window_days, c.grace_days)
        for c in courses.values()
    }
    cutoffs = {c: StatusCutoffs.on(rule, end) for c, rule in rules.items()}
    counts: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0, 0])
    horizon = end + timedelta(days=LOOK_AHEAD_DAYS)
    for c, last in latest:
        status = cutoffs[c].status(last)
        counts[c][0 if status in VALID else 1] += 1
        expiry = expires_on(rules[c], last) if last else None
        if status in VALID and expiry is not None and expiry <= horizon:
            counts[c][2] += 1
    order = sorted(courses, key=lambda c: courses[c].name.lower())
    labels = [courses[c].name for c in order]
    table = two_way(
        labels, ["In date", "Not in date"], [counts[c][:2] for c in order], k, column_totals=False
    )
    shares = [share(cells[0], cells[2], k) for _label, cells in table.rows]
    expiring = publish([counts[c][2] for c in order], [], k)
    if public:
        rows = tuple(
            (label, (*cells, soon))
            for (label, cells), soon in zip(table.rows, expiring, strict=True)
        )
        full = Table(("In date", "Not in date", "Required", "Expiring in 90 days"), rows)
    else:
        rows = tuple(
            (label, (*cells, Shown(None, pct), soon))
            for (label, cells), pct, soon in zip(table.rows, shares, expiring, strict=True)
        )
        columns = ("In date", "Not in date", "Required", "% in date", "Expiring in 90 days")
        full = Table(columns, rows)
    return Section(
        key="training",
        title="Training",
        headlines=(),
        tables=(
            TableFigure(
                "Mandatory training on the last day of the period",
                full,
                "For each course a volunteer's roles require, the newest completion on or before "
                "the last day: in date if still valid then (renewal window included); expiring: "
                "valid then, but expiring within 90 days after.",
            ),
        ),
    )


def dbs_section(
    session: Session, end: date, at_end: set[uuid.UUID], k: int, public: bool = False
) -> Section:
    standings = dbs_standings(session, at_end, issued_by=end)
    months = standings.recheck_months
    in_place = overdue = none = due_soon = 0
    horizon = end + timedelta(days=LOOK_AHEAD_DAYS)
    for v in standings.roles_needing:
        status = standings.status(v, end)
        if status is DBSStatus.NONE:
            none += 1
        elif status is DBSStatus.RECHECK_OVERDUE:
            overdue += 1
        else:  # the one rule: in place is neither of those (`compliance.DBS_NOT_IN_PLACE`)
            in_place += 1
            due = standings.due_on(v)
            due_soon += due is not None and due <= horizon
    table = one_way(
        ["DBS in place", "Recheck overdue", "No DBS check"],
        [in_place, overdue, none],
        k,
        "Volunteers",
    )
    soon = publish([due_soon], [], k)[0]
    return Section(
        key="dbs",
        title="Safer recruitment",
        headlines=()
        if public
        else (
            Headline(
                "% with DBS in place",
                share(table.rows[0][1][0], table.rows[-1][1][0], k),
                "Of volunteers on the books at the end whose role needs a DBS check.",
            ),
            Headline(
                "Rechecks due in the next 90 days",
                soon.text,
                f"In place at the end, with the recheck date ({months} months after issue, by "
                "policy; none while on the Update Service) within 90 days after it.",
            ),
        ),
        tables=(
            TableFigure(
                "DBS checks for roles that need them",
                table,
                "Newest certificate issued on or before the last day. Certificates do not "
                "expire: 'recheck overdue' follows the organisation's recheck policy.",
            ),
        ),
    )


def supervision_section(session: Session, end: date, k: int, public: bool = False) -> Section:
    """Only statuses and dates from the cadence rule: nothing is read from notes."""
    rows = [r for r in cadence_rows(session, end) if r.status is not CadenceStatus.NOT_REQUIRED]
    within = sum(r.status in (CadenceStatus.IN_DATE, CadenceStatus.DUE_SOON) for r in rows)
    overdue = sum(r.status is CadenceStatus.OVERDUE for r in rows)
    never = sum(r.status is CadenceStatus.NEVER for r in rows)
    table = one_way(
        ["Within cadence", "Overdue", "Never supervised"], [within, overdue, never], k, "Volunteers"
    )
    return Section(
        key="supervision",
        title="Supervision",
        headlines=()
        if public
        else (
            Headline(
                "% supervised within cadence",
                share(table.rows[0][1][0], table.rows[-1][1][0], k),
                "Of volunteers who needed supervision on the last day (on probation or active, "
                "in a role with a cadence), those whose next supervision was not yet overdue.",
            ),
        ),
        tables=(
            TableFigure(
                "Supervision on the last day of the period",
                table,
                "Each role's cadence (the most frequent when someone holds several); pauses stop "
                "the clock. Never supervised: past the first due date with no session at all.",
            ),
        ),
    )


def equality_section(
    session: Session, at_end: set[uuid.UUID], k: int, public: bool = False
) -> tuple[Section, int]:
    forms = _equality_forms(session, at_end)
    tables = []
    for n, (field, title) in enumerate(EQUALITY_QUESTIONS):
        answers = Counter(_answer(f[n], field) for f in forms)
        answers[NOT_ANSWERED] += len(at_end) - len(forms)
        labels = sorted(a for a in answers if a not in (PREFER_NOT, NOT_ANSWERED))
        labels += [PREFER_NOT, NOT_ANSWERED]
        # The total is the number on the books at the end, printed in the volunteers table:
        # the public report leaves it to that table (where it may be hidden).
        cells = [[answers[a]] for a in labels]
        table = (
            two_way(labels, ["Volunteers"], cells, k, row_totals=False, column_totals=False)
            if public
            else one_way(labels, [answers[a] for a in labels], k, "Volunteers", known_total=True)
        )
        tables.append(TableFigure(title, table, ""))
    method = Headline(
        "About these answers",
        "",
        "Self-described answers of volunteers on the books at the end of the period, from the "
        "optional equality form; no form, or a question left blank, is 'not answered'. Only "
        "totals are ever reported.",
    )
    section = Section("equality", "Equality reach of volunteers", (method,), tuple(tables))
    return section, len(forms)


def _equality_forms(session: Session, at_end: set[uuid.UUID]) -> list[list[str | None]]:
    """The answers of those on the books, opened: they are sealed to coordinators, the person
    and those who read the figures (docs/keys.md). A form the reader cannot open would make
    the counts wrong, so it stops the report with what to do."""
    columns = [getattr(EqualityMonitoring, field) for field, _ in EQUALITY_QUESTIONS]
    stmt = select(EqualityMonitoring.volunteer_id, *columns)
    forms = []
    for who, *row in session.execute(stmt):
        if who not in at_end:
            continue
        opened = [open_value(session, value) for value in row]
        if any(o is None and v is not None for o, v in zip(opened, row, strict=True)):
            raise ValidationError(
                "Some equality answers were sealed before your account could read them: ask a "
                "coordinator to sign in once (that shares them with you), then make the report "
                "again."
            )
        forms.append(opened)
    return forms


def _answer(value: str | None, field: str) -> str:
    if not value or not value.strip():
        return NOT_ANSWERED
    if field == "ethnicity" and ":" in value:
        # The broad group: the detailed ones are too small to show in a small group.
        return value.split(":", 1)[0].strip()
    return value.strip()
