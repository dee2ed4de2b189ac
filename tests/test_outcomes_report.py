"""The outcome section of the governance reports and the outcome export, on a small fixture
whose every figure is worked out by hand below: five people answer after two Wednesday group
sessions, one person without a code after a phone call."""

import csv
import io
import json
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from peerdesk.errors import ValidationError
from peerdesk.models import EnteredFrom, SessionMode
from peerdesk.reports.export import export_governance
from peerdesk.reports.outcomes_export import export_outcomes
from peerdesk.reports.verify import verify_with_certificate
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.feedback import FeedbackForm, record_feedback
from peerdesk.services.outcomes.whom import outcome_summary, what_works_for_whom
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.figures import Audience, Period, governance_figures
from peerdesk.services.reporting.outcomes import KEY, OutcomeSection
from peerdesk.services.sessions import log_session
from peerdesk.services.signing_key import public_key
from tests.test_report_governance import pdf_lines
from tests.test_session_group import NOW, Group, ad_hoc, group

__all__ = ["group"]
# A week after the sessions: November is over, so its public report can be made.
pytestmark = pytest.mark.today(date(2026, 12, 7))
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
FIRST = {
    "ash1": 4,
    "bay2": 5,
    "cedar3": 6,
    "dune4": 3,
    "elm5": 7,
}  # ons4.happy at the first session
LATER = {"ash1": 7, "bay2": 6, "cedar3": 6, "dune4": 5, "elm5": 6}  # and a week later
# Changes +3, +1, 0, +2, -1: mean 1.0. First answers with the uncoded form's 9: 34 / 6.


@pytest.fixture
def answered(group: Group) -> Group:
    week_ago = ad_hoc(group, activity_id=group.group_activity, venue_id=group.hall,
                      started_at=NOW - timedelta(days=7, hours=3),
                      ended_at=NOW - timedelta(days=7, hours=2), attendees=8)  # fmt: skip
    today = ad_hoc(group, activity_id=group.group_activity, venue_id=group.hall, attendees=7)
    call = ad_hoc(group, activity_id=group.phone, mode=SessionMode.PHONE,
                  started_at=NOW - timedelta(days=1, hours=3),
                  ended_at=NOW - timedelta(days=1, hours=2), attendees=1)  # fmt: skip
    with group.store.session(group.vic) as s:
        first, later, phone = (log_session(s, group.vic, d, NOW) for d in (week_ago, today, call))
        for code in FIRST:
            for log, day, score in ((first, 19, FIRST[code]), (later, 26, LATER[code])):
                form = FeedbackForm(EnteredFrom.PAPER, session_log_id=log, participant_code=code,
                                    answers={"ons4.happy": score},
                                    answered_on=date(2026, 11, day))  # fmt: skip
                record_feedback(s, group.vic, form)
        anonymous = FeedbackForm(EnteredFrom.PAPER, session_log_id=phone,
                                 answers={"ons4.happy": 9},
                                 answered_on=date(2026, 11, 25))  # fmt: skip
        record_feedback(s, group.vic, anonymous)
    return group


def outcome_section(group: Group, audience: Audience) -> OutcomeSection:
    with group.store.read() as s:
        figures = governance_figures(s, group.coordinator, NOVEMBER, audience)
    found = figures.section(KEY)
    assert isinstance(found, OutcomeSection)
    return found


FIGURE = re.compile(r"^([+-]?\d+\.\d+) \((-?\d+\.\d+) to (-?\d+\.\d+)\)(?: n (\d+))?$")


def parse(text: str) -> tuple[float, float, float, int | None]:
    found = FIGURE.match(text)
    assert found, text
    mean, low, high, n = found.groups()
    return float(mean), float(low), float(high), None if n is None else int(n)


def test_the_board_section_recomputed_by_hand(answered: Group) -> None:
    section = outcome_section(answered, Audience.BOARD)
    assert section.headline("People reached").text == "5"
    assert section.headline("Returning people").text == "5"  # each answered on two days
    assert section.headline("Forms answered").text == "11"
    # 11 forms over 8 + 7 + 1 attendances.
    assert section.headline("Response rate").text == f"{round(100 * 11 / 16)}%"
    measures = section.table("Each measure: first answer and change")
    first = parse(measures.cell("Happy yesterday", "At first answer").text)
    assert (first[0], first[3]) == (round(34 / 6, 2), 6)
    change = parse(measures.cell("Happy yesterday", "Change since").text)
    assert (change[0], change[3]) == (1.0, 5)
    assert -1 <= change[1] <= 1.0 <= change[2] <= 3  # means of resamples stay within them
    by_activity = section.table("Change in wellbeing by activity")
    assert parse(by_activity.cell("Wednesday group", "Happy yesterday").text)[0::3] == (1.0, 5)
    assert by_activity.cell("Phone line", "Happy yesterday").text == "–"  # nobody with a code
    people = section.table("People who answered, by activity")
    assert people.cell("Wednesday group", "People").text == "5"
    forms = section.table("Forms answered, by activity")
    assert [forms.cell(g, "Forms").text for g in ("Wednesday group", "Phone line", "Total")] == [
        "10", "1", "11"
    ]  # fmt: skip


def test_the_public_section_protects_the_small_count_and_rounds(answered: Group) -> None:
    section = outcome_section(answered, Audience.PUBLIC)
    assert section.headlines == ()  # counts only in protected tables
    forms = section.table("Forms answered, by activity")
    # One form on the phone line: "<5"; the group's 10 then gives it away, so it is hidden.
    assert forms.cell("Phone line", "Forms").text == "<5"
    assert forms.cell("Wednesday group", "Forms").text == "[c]"
    mean, low, high, n = parse(
        section.table("Change in wellbeing by activity")
        .cell("Wednesday group", "Happy yesterday")
        .text
    )
    assert (mean, n) == (1.0, None)  # one decimal place, no n beside it
    assert all(len(str(v).split(".")[1]) == 1 for v in (low, high))


def test_the_report_pdf_has_the_section_and_its_charts(answered: Group, tmp_path: Path) -> None:
    person = SignedIn(answered.store, answered.coordinator)
    export_governance(person, NOVEMBER, tmp_path / "board.pdf")
    lines = pdf_lines(tmp_path / "board.pdf")
    assert "Outcomes and feedback: what works for whom" in lines
    assert any(line.startswith("Happy yesterday: change by activity") for line in lines)


def test_what_works_for_whom_only_for_those_who_see_figures(answered: Group) -> None:
    with answered.store.read() as s:
        found = what_works_for_whom(s, answered.trustee, NOVEMBER.start, NOVEMBER.end,
                                    "ons4.happy", "activity")  # fmt: skip
        summary = outcome_summary(s, answered.coordinator, NOVEMBER.start, NOVEMBER.end)
        with pytest.raises(PermissionDenied):
            what_works_for_whom(s, answered.vic, NOVEMBER.start, NOVEMBER.end, "ons4.happy", "mode")
        with pytest.raises(ValidationError, match="cannot be broken down by “shoe size”"):
            what_works_for_whom(s, answered.trustee, NOVEMBER.start, NOVEMBER.end,
                                "ons4.happy", "shoe size")  # fmt: skip
    wednesday = found.groups[0]
    assert (wednesday.group, wednesday.people, wednesday.responses) == ("Wednesday group", 5, 10)
    assert wednesday.response_rate == pytest.approx(10 / 15)
    assert (summary.reach.people, summary.reach.responses, summary.attendances) == (5, 11, 16)


def test_the_export_layout_and_its_signature(answered: Group, tmp_path: Path) -> None:
    person = SignedIn(answered.store, answered.coordinator)
    out = tmp_path / "outcomes.zip"
    export_outcomes(person, NOVEMBER, out)
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == [
            "counts.csv", "manifest.json", "manifest.sig", "means.csv", "outcomes.json"
        ]  # fmt: skip
        counts = list(csv.DictReader(io.StringIO(z.read("counts.csv").decode())))
        means = list(csv.DictReader(io.StringIO(z.read("means.csv").decode())))
        about = json.loads(z.read("outcomes.json"))
        files = {n: z.read(n) for n in z.namelist()}
    assert about["format"] == "peerdesk-outcomes/1"
    assert about["period"] == {"start": "2026-11-01", "end": "2026-11-30", "kind": "month"}
    phone = next(r for r in counts if r["table"] == "outcome_responses" and
                 r["dimension"] == "activity" and r["group"] == "Phone line")  # fmt: skip
    assert (phone["count"], phone["printed"], phone["hidden"]) == ("", "<5", "small")
    happy = next(r for r in means if r["statistic"] == "change" and r["dimension"] == "activity")
    assert (happy["measure_key"], happy["group"], happy["mean"]) == (
        "ons4.happy", "Wednesday group", "1.0"
    )  # fmt: skip
    certificate = public_key(answered.store).certificate()
    assert verify_with_certificate(out, certificate).valid
    # One figure changed in the CSV: the manifest's hash no longer matches.
    files["means.csv"] = files["means.csv"].replace(b",1.0,", b",2.0,", 1)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    result = verify_with_certificate(tampered, certificate)
    assert not result.valid and result.sentences[0].startswith("NOT valid")


def test_no_export_of_a_period_without_feedback(answered: Group, tmp_path: Path) -> None:
    person = SignedIn(answered.store, answered.coordinator)
    with pytest.raises(ValidationError, match="Nobody answered"):
        export_outcomes(person, Period(date(2026, 10, 1), date(2026, 10, 31)), tmp_path / "x.zip")


def test_a_heading_word_is_never_broken_in_the_narrow_columns() -> None:
    """The board's means table has a column per measure: "satisfaction" must fit in one."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table as PdfTable

    from peerdesk.reports.governance import CELL_PADDING, WIDTH, _table
    from peerdesk.reports.pdf import styles
    from peerdesk.services.reporting.sections import TableFigure
    from peerdesk.services.reporting.tables import Table

    headings = ("Life satisfaction", "Things done are worthwhile", "Happy yesterday",
                "Anxious yesterday", "Goal ratings", "Calm and coping")  # fmt: skip
    figure = TableFigure("Change in wellbeing by activity", Table(headings, ()), "")
    grid = next(f for f in _table(figure, styles()) if isinstance(f, PdfTable))
    widths = grid._colWidths
    assert sum(widths) <= WIDTH + 0.01
    for word in ("satisfaction", "worthwhile", "yesterday"):
        assert min(widths[1:]) >= stringWidth(word, "Helvetica-Bold", 8.5) + 2 * CELL_PADDING
