"""How the public report's pages read where the disclosure check hid much: a table with every
count hidden prints one sentence, not a column of "[c]"; tables withheld whole are named on the
methods page by the titles printed above them, not by internal keys."""

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from peerdesk.reports.governance import ReportMeta, render_governance
from peerdesk.services.auth import SignedIn
from peerdesk.services.reporting.figures import Audience, Period, governance_figures
from peerdesk.services.reporting.public import _mark
from peerdesk.services.reporting.records import Narrative
from peerdesk.services.reporting.sections import TableFigure
from peerdesk.services.reporting.tables import ALL_HIDDEN, Table
from peerdesk.ui.report_figures import figures_html
from tests.test_report_governance import TODAY, coordinator_of, demo, pdf_lines  # noqa: F401

pytestmark = pytest.mark.today(TODAY)
QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))


def test_hidden_tables_print_a_sentence_and_withheld_ones_their_titles(
    coordinator_of: SignedIn,  # noqa: F811
    tmp_path: Path,
) -> None:
    with coordinator_of.store.read() as s:
        figures = governance_figures(s, coordinator_of.actor, QUARTER, Audience.PUBLIC)
    roles = figures.section("volunteers").tables[1]
    assert roles.title == "Volunteers by role at the end of the period"
    hidden = TableFigure(
        roles.title,
        Table(
            roles.table.columns,
            tuple((label, tuple(map(_mark, cells))) for label, cells in roles.table.rows),
        ),
        roles.method,
    )
    volunteers = figures.section("volunteers")
    sections = tuple(
        replace(s, tables=(s.tables[0], hidden, *s.tables[2:])) if s is volunteers else s
        for s in figures.sections
    )
    assert figures.audit is not None
    audit = replace(figures.audit, withheld=("equality:Gender", "roles", "training_expiring"))
    changed = replace(figures, sections=sections, audit=audit)
    meta = ReportMeta("GOV-TEST", datetime(2026, 11, 26, 12, tzinfo=UTC), "coordinator")
    out = tmp_path / "public.pdf"
    out.write_bytes(render_governance(changed, Narrative(), (), meta))
    lines = pdf_lines(out)
    text = " ".join(lines)
    at = lines.index(roles.title)
    assert " ".join(lines[at : at + 6]).count("[c]") == 0  # the sentence, not the marks
    assert " ".join(ALL_HIDDEN.split()) in text
    assert "“Gender”, “Volunteers by role at the end of the period”, “Mandatory training" in text
    assert "equality:" not in text and "training_expiring" not in text
    assert ALL_HIDDEN in figures_html(changed)  # the Reports page says it the same way
