"""The "What works for whom" area wired to the services: what it offers to choose from, and
the figures worked out on the background worker for the person signed in.

`OutcomesDesk` is made by the sign-in controller with the window and told who signs in.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QObject
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, can
from peerdesk.ui.change_chart import ChartRow
from peerdesk.ui.messages import sentence
from peerdesk.ui.outcomes_page import Asked, OutcomesPage

if TYPE_CHECKING:
    from peerdesk.services.outcomes.analysis import Breakdown
    from peerdesk.ui.store_control import StoreControl


def outcome_periods(today: date) -> list[tuple[str, tuple[date, date]]]:
    """The periods the page offers, as (words, (first day, last day))."""
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    year_ago = today - relativedelta(years=1) + timedelta(days=1)
    return [
        ("The last 12 months", (year_ago, today)),
        ("This financial year so far", (april, today)),
        ("Last financial year", (april - relativedelta(years=1), april - timedelta(days=1))),
        ("The last 3 years", (today - relativedelta(years=3) + timedelta(days=1), today)),
        ("The last 10 years", (today - relativedelta(years=10) + timedelta(days=1), today)),
    ]


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}".replace("%", " %")


def chart_rows(found: "Breakdown") -> list[ChartRow]:
    """Everyone first, then each group, largest first, as the chart and table show them."""
    from peerdesk.services.outcomes.analysis import FeedbackEstimate

    rows = []
    for e in (found.overall, *found.groups):
        value = e.mean_score if isinstance(e, FeedbackEstimate) else e.mean_change
        if not e.shown or value is None:
            rows.append(ChartRow(e.group, None, None, None, e.people, percent(e.response_rate)))
        else:
            rows.append(ChartRow(e.group, value, e.low, e.high, e.people, percent(e.response_rate)))
    return rows


def axis_words(found: "Breakdown") -> str:
    if found.feedback:
        return "Average answer"
    better = "lower" if found.lower_is_better else "higher"
    return f"Change from first to latest answer (points; {better} is better)"


class OutcomesDesk(QObject):
    def __init__(self, page: OutcomesPage, control: "StoreControl") -> None:
        super().__init__(control)
        self.control = control
        self.window = control.window
        self.page = page
        self.page.asked.connect(self.work_out)
        self._asked: Asked | None = None  # the question whose answer is awaited

    # Signed in and out ----------------------------------------------------------------------
    def signed_in(self, signed: SignedIn) -> None:
        if can(signed.actor, Permission.VIEW_FIGURES):
            with signed.store.read() as s:
                measures, dimensions = self._measures(s), self._dimensions(s)
            self.page.offer(measures, dimensions, outcome_periods(clock.today()))

    @staticmethod
    def _measures(s: Session) -> list[tuple[str, Any]]:
        """ONS4's four questions each on its own (never summed), the group's questions, goals,
        then each imported measure switched on."""
        from peerdesk.models import Measure, MeasureKind
        from peerdesk.services.outcomes.analysis import MEASURE_WORDS

        switched_on = (Measure.kind == MeasureKind.IMPORTED) & Measure.active.is_(True)
        imported = s.execute(select(Measure.name, Measure.key).where(switched_on))
        found: list[tuple[str, Any]] = [(words, key) for key, words in MEASURE_WORDS.items()]
        return found + [(name, key) for name, key in imported]

    @staticmethod
    def _dimensions(s: Session) -> list[tuple[str, Any]]:
        """The session's kind, place and time, then identity and the organisation's kinds of
        community (a language, a neighbourhood)."""
        from peerdesk.models import Community
        from peerdesk.services.outcomes.analysis import SESSION_DIMENSIONS, identity_dimension
        from peerdesk.services.outcomes.participants import IDENTITY_FIELDS

        kinds = s.scalars(select(Community.kind).distinct().order_by(Community.kind)).all()
        found: list[tuple[str, Any]] = [(str(d).capitalize(), str(d)) for d in SESSION_DIMENSIONS]
        for name in (*IDENTITY_FIELDS, *kinds):
            found.append((name.replace("_", " ").capitalize(), identity_dimension(name)))
        return found

    # What works for whom --------------------------------------------------------------------
    def work_out(self, asked: Asked) -> None:
        """Resampling hundreds of people's answers takes a moment: on the worker."""
        signed = self.control.signed_in
        if signed is None:
            return
        self._asked = asked
        start, end = asked.period

        def work(_progress: object) -> "Breakdown":
            from peerdesk.services.outcomes.whom import what_works_for_whom

            with signed.store.read() as s:
                return what_works_for_whom(s, signed.actor, start, end, asked.measure,
                                           asked.dimension)  # fmt: skip

        def done(found: "Breakdown") -> None:
            if self.control.signed_in is signed and self._asked is asked:
                from peerdesk.services.outcomes.analysis import dimension_words

                said = f"{found.measure} by {dimension_words(found.dimension)}. {found.note}"
                self.page.show_rows(
                    chart_rows(found), axis_words(found), not found.feedback, said.strip()
                )

        def failed(err: BaseException) -> None:
            said = sentence(err)  # a bug is logged even when nobody waits for the answer
            if self.control.signed_in is signed and self._asked is asked:
                self.page.show_problem(said)

        self.control.tasks.run(work, on_done=done, on_error=failed)
