"""The outcome tables for a partnership or a commissioner: a signed zip of CSV and JSON in the
layout docs/outcomes-export.md describes, so another group's peerdesk or a host's analyst can
put several groups' files together.

The figures are the public report's outcome section for the same standard period: counts
suppressed and audited against every earlier public release, means only for groups of at least
the threshold of people, rounded. Its count tables go into the release ledger like a public
report's, so later public reports and exports are checked against them too."""

import csv
import io
import json
from pathlib import Path

from peerdesk import clock
from peerdesk.dates import local
from peerdesk.db.outputs import check_output, write_output
from peerdesk.errors import ValidationError
from peerdesk.models import ReportKind
from peerdesk.reports.signed_zip import signed_zip
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.analysis import ChangeEstimate, Estimate
from peerdesk.services.permissions import Permission, require
from peerdesk.services.reporting.figures import (
    Audience,
    GovernanceFigures,
    Period,
    fingerprint,
    governance_figures,
)
from peerdesk.services.reporting.ledger import record_release
from peerdesk.services.reporting.outcomes import FORMS, PEOPLE, OutcomeSection, ledger_key
from peerdesk.services.reporting.records import (
    ExportRecord,
    file_sha256,
    new_report_code,
    record_export,
)
from peerdesk.services.signing_key import signing_key

FORMAT = "peerdesk-outcomes/1"
ZIP = (".zip",)
OUTCOME_KEYS = (FORMS, PEOPLE)
COUNT_COLUMNS = ("table", "dimension", "group", "count", "printed", "hidden")
MEAN_COLUMNS = (
    "measure_key", "measure", "statistic", "dimension", "group", "mean", "low_95", "high_95",
    "lower_is_better",
)  # fmt: skip


def export_outcomes(
    person: SignedIn, period: Period, out: Path, *, overwrite: bool = True
) -> ExportRecord:
    """Write the period's outcome tables to the zip `out`, signed, and record the export."""
    actor = person.actor
    require(actor, Permission.EXPORT_REPORTS)
    check_output(out, person.store.folder, overwrite=overwrite, suffixes=ZIP)
    period.check()
    key = signing_key(person.store, actor)
    with person.store.read() as s:
        figures = governance_figures(s, actor, period, Audience.PUBLIC)
    section = next((x for x in figures.sections if isinstance(x, OutcomeSection)), None)
    if section is None:
        raise ValidationError(
            "Nobody answered a feedback or outcome form in this period, so there is nothing to "
            "export; choose a period with feedback."
        )
    files = outcome_files(figures, section)
    digest = fingerprint(section)
    now = clock.now()
    code = new_report_code(ReportKind.GOVERNANCE, local(now, figures.timezone).date())
    data = signed_zip(files, key, report_code=code, figures_sha256=digest, signed_at=now)
    released = [t for t in figures.released if t.key.startswith(OUTCOME_KEYS)]
    with person.store.session(actor) as s:
        record = record_export(
            s,
            actor,
            code=code,
            kind=ReportKind.GOVERNANCE,
            period=(period.start, period.end),
            figures_sha256=digest,
            file_hash=file_sha256(data),
            exported_at=now,
        )
        record_release(s, code, released)
        write_output(out, data, person.store.folder, overwrite=overwrite, suffixes=ZIP)
    return record


def outcome_files(figures: GovernanceFigures, section: OutcomeSection) -> dict[str, bytes]:
    counts = _counts(section)
    means = _means(section)
    about = {
        "format": FORMAT,
        "organisation": figures.organisation,
        "charity_number": figures.charity_number,
        "period": {
            "start": figures.period.start.isoformat(),
            "end": figures.period.end.isoformat(),
            "kind": figures.period_kind,
        },
        "threshold": figures.threshold,
        "decimals": section.decimals,
        "counts": [dict(zip(COUNT_COLUMNS, row, strict=True)) for row in counts],
        "means": [dict(zip(MEAN_COLUMNS, row, strict=True)) for row in means],
    }
    return {
        "outcomes.json": json.dumps(about, indent=2, ensure_ascii=False).encode(),
        "counts.csv": _csv(COUNT_COLUMNS, counts),
        "means.csv": _csv(MEAN_COLUMNS, means),
    }


Row = tuple[str | int | float | bool | None, ...]


def _counts(section: OutcomeSection) -> list[Row]:
    rows: list[Row] = []
    for figure in section.tables:
        key = ledger_key(figure.title)
        if key is None:
            continue
        table, dimension = key.split(":", 1)
        for label, cells in figure.table.rows:
            cell = cells[0]
            hidden = "" if cell.hidden.value == "shown" else cell.hidden.value
            rows.append((table, dimension, label, cell.value, cell.text, hidden))
    return rows


def _means(section: OutcomeSection) -> list[Row]:
    rows: list[Row] = []
    for m in section.measures:
        first = "average_answer" if m.feedback else "first_answer"
        for statistic, mean, low, high in (
            (first, m.mean_first, m.first_low, m.first_high),
            ("change", m.mean_change, m.change_low, m.change_high),
        ):
            if mean is not None:
                rows.append((m.measure_key, m.measure, statistic, "all", "Everyone", mean, low,
                             high, m.lower_is_better))  # fmt: skip
    for b in section.breakdowns:
        statistic = "average_answer" if b.feedback else "change"
        for e in b.groups:
            if e.shown:
                rows.append((b.measure_key, b.measure, statistic, b.dimension, e.group,
                             _mean(e), e.low, e.high, b.lower_is_better))  # fmt: skip
    return rows


def _mean(e: Estimate) -> float | None:
    return e.mean_change if isinstance(e, ChangeEstimate) else e.mean_score


def _csv(columns: tuple[str, ...], rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")
