"""The governance report as a PDF: cover and sign-offs, the narrative, each section's figures
with how they were counted, the monthly charts, and a methods page.

No person is named except trustees who signed off: the report says who made it by role."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer
from reportlab.platypus import Table as PdfTable

from peerdesk.dates import MONTHS, show_date, show_datetime
from peerdesk.reports.charts import monthly_chart
from peerdesk.reports.pdf import (
    MARGIN,
    SHADE,
    DocumentInfo,
    Progress,
    build,
    grid,
    paragraphs,
    styles,
    text,
)
from peerdesk.services.reporting.figures import GovernanceFigures
from peerdesk.services.reporting.records import Narrative, SignOffInfo
from peerdesk.services.reporting.sections import Section, TableFigure
from peerdesk.services.reporting.suppression import SECONDARY_MARK
from peerdesk.services.reporting.tables import TOTAL

WIDTH = 210 * mm - 2 * MARGIN


@dataclass(frozen=True)
class ReportMeta:
    report_code: str
    generated_at: datetime
    generated_by_role: str  # "coordinator", "trustee": never a name


def period_words(figures: GovernanceFigures) -> str:
    p = figures.period
    return f"{show_date(p.start)} to {show_date(p.end)}"


def document_info(figures: GovernanceFigures, meta: ReportMeta) -> DocumentInfo:
    title = f"Governance report {period_words(figures)}"
    return DocumentInfo(
        title=f"{figures.organisation}: {title}",
        author=figures.organisation,
        subject=f"Report {meta.report_code}; figures SHA-256 {figures.fingerprint}",
        report_code=meta.report_code,
        fingerprint=figures.fingerprint,
        footer=f"{figures.organisation} · {title}",
    )


def render_governance(
    figures: GovernanceFigures,
    narrative: Narrative,
    sign_offs: Sequence[SignOffInfo],
    meta: ReportMeta,
    progress: Progress | None = None,
) -> bytes:
    sheet = styles()
    story: list[Flowable] = []
    story += _cover(figures, meta, sign_offs, sheet)
    story += _narrative(narrative, sheet)
    for section in figures.sections:
        story += _section(section, sheet, figures)
    story += _methods(figures, sheet)
    return build(story, document_info(figures, meta), progress)


def _cover(
    figures: GovernanceFigures,
    meta: ReportMeta,
    sign_offs: Sequence[SignOffInfo],
    sheet: StyleSheet1,
) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(text(figures.organisation), sheet["Cover"]),
        Paragraph(f"Governance report · {period_words(figures)}", sheet["CoverSub"]),
    ]
    facts = [("Organisation", figures.organisation)]
    if figures.charity_number:
        facts.append(("Charity number", figures.charity_number))
    if figures.host:
        facts.append(("Host organisation", figures.host))
    if figures.funders:
        facts.append(("Funders", "\n".join(figures.funders)))
    facts += [
        ("Period", period_words(figures)),
        (
            "Generated",
            f"{show_datetime(meta.generated_at, figures.timezone)} by the "
            f"{meta.generated_by_role}, with peerdesk",
        ),
        ("Report ID", meta.report_code),
        ("Figures fingerprint", f"SHA-256 {figures.fingerprint}"),
    ]
    rows = [
        [Paragraph(f"<b>{text(k)}</b>", sheet["Cell"]),
         Paragraph(text(v).replace("\n", "<br/>"), sheet["Cell"])]
        for k, v in facts
    ]  # fmt: skip
    table = PdfTable(rows, colWidths=[40 * mm, WIDTH - 40 * mm], hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    story += [table, Spacer(1, 4 * mm)]
    story += _sign_offs(sign_offs, sheet)
    story.append(
        Paragraph(
            "Every count of people, or of events about people, from 1 to "
            f"{figures.threshold - 1} is shown as “&lt;{figures.threshold}”, and some others as "
            f"“{SECONDARY_MARK}” so that small numbers cannot be worked out from totals: see "
            "the methods page. This report names nobody except trustees who signed it off. "
            "To check it is exactly the report that was exported, run "
            "<font face='Courier'>peerdesk report verify</font> on this file.",
            sheet["Method"],
        )
    )
    return story


def _sign_offs(sign_offs: Sequence[SignOffInfo], sheet: StyleSheet1) -> list[Flowable]:
    if not sign_offs:
        return [Paragraph("Trustee sign-off: not yet signed off.", sheet["BodyText"])]
    story: list[Flowable] = [Paragraph("Trustee sign-off", sheet["TableTitle"])]
    for s in sign_offs:
        line = (
            f"Signed off by <b>{text(s.signer_name)}</b> on {show_date(s.signed_on)} "
            f"(report {text(s.report_code)})"
        )
        if s.comment:
            line += f": “{text(s.comment)}”"
        story.append(Paragraph(line, sheet["BodyText"]))
    box = PdfTable([[story]], colWidths=[WIDTH], hAlign="LEFT")
    box.setStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE), ("LEFTPADDING", (0, 0), (-1, -1), 8)])
    return [box, Spacer(1, 3 * mm)]


def _narrative(narrative: Narrative, sheet: StyleSheet1) -> list[Flowable]:
    parts = [(title, body) for title, body in narrative.parts() if body.strip()]
    if not parts:
        return []
    story: list[Flowable] = [Spacer(1, 4 * mm), Paragraph("From the coordinator", sheet["Section"])]
    for title, body in parts:
        story.append(Paragraph(text(title), sheet["TableTitle"]))
        story += paragraphs(body, sheet["BodyText"])
    return story


def _section(section: Section, sheet: StyleSheet1, figures: GovernanceFigures) -> list[Flowable]:
    """The section's blocks, each kept on one page; the heading goes with the first block, so
    it never stands alone at the foot of a page."""
    blocks: list[list[Flowable]] = []
    if section.headlines:
        rows = [
            [
                Paragraph(text(h.label), sheet["Cell"]),
                Paragraph(f"<b>{text(h.text)}</b>", sheet["Number"]),
                Paragraph(text(h.method), sheet["Method"]),
            ]
            for h in section.headlines
        ]
        table = PdfTable(rows, colWidths=[45 * mm, 22 * mm, WIDTH - 67 * mm], hAlign="LEFT")
        table.setStyle(
            [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, SHADE)]
        )
        blocks.append([table])
    if section.key == "activity":
        blocks.append(_charts(figures))
    blocks += [_table(figure, sheet) for figure in section.tables]
    title = Paragraph(text(section.title), sheet["Section"])
    if not blocks:
        return [title]
    blocks[0] = [title, *blocks[0]]
    return [KeepTogether(block) for block in blocks]


def _charts(figures: GovernanceFigures) -> list[Flowable]:
    half = (WIDTH - 6 * mm) / 2
    months = figures.monthly
    span = ""
    if months:
        first, last = months[0].month, months[-1].month
        span = f", {MONTHS[first.month - 1]} {first.year} to {MONTHS[last.month - 1]} {last.year}"
    pair = PdfTable(
        [[monthly_chart(months, half, f"Sessions by month{span}", hours=False),
          monthly_chart(months, half, f"Volunteer hours by month{span}", hours=True)]],
        colWidths=[half + 3 * mm, half + 3 * mm],
        hAlign="LEFT",
    )  # fmt: skip
    pair.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)])
    return [pair]


def _table(figure: TableFigure, sheet: StyleSheet1) -> list[Flowable]:
    t = figure.table
    header = ["", *t.columns]
    rows = [[label, *(c.text for c in cells)] for label, cells in t.rows]
    n = len(t.columns)
    first = min(70 * mm, WIDTH - n * 18 * mm)
    other = min(26 * mm, (WIDTH - first) / max(n, 1))
    total_last = bool(t.rows) and t.rows[-1][0] == TOTAL
    body = grid(header, rows, [first, *[other] * n], sheet, total_last=total_last)
    parts: list[Flowable] = [Paragraph(text(figure.title), sheet["TableTitle"]), body]
    if figure.method:
        parts.append(Paragraph(text(figure.method), sheet["Method"]))
    return parts


def _methods(figures: GovernanceFigures, sheet: StyleSheet1) -> list[Flowable]:
    k = figures.threshold
    story: list[Flowable] = [PageBreak(), Paragraph("Methods", sheet["Section"])]
    story.append(Paragraph("Counting rules", sheet["TableTitle"]))
    rules = [
        f"The period is {period_words(figures)}, whole days in the {figures.timezone} time "
        "zone, both ends included. Figures 'on the last day' describe the group as it was "
        "at the end of the period; statuses of concerns are as they were when the report "
        "was made.",
        "Counts come straight from the records kept in peerdesk: session logs, the rota, "
        "volunteer records with their start and leaving dates, training completions, DBS "
        "certificates and supervision sessions. Nothing is read from confidential notes.",
        "Sessions, shifts and volunteer hours describe the group's work rather than people and "
        "are shown in full. Every count of people, or of events about people (attendances, "
        "volunteers, concerns and incidents, equality answers), is suppressed as below.",
        "Each figure's own note says exactly how it was counted.",
    ]
    story += [Paragraph(text(r), sheet["BodyText"]) for r in rules]
    story.append(Paragraph("Small-number suppression", sheet["TableTitle"]))
    supp = [
        f"A count from 1 to {k - 1} is shown as “<{k}” (the organisation's threshold is {k}). "
        "Zero is shown: it identifies nobody.",
        f"Secondary suppression: where a hidden count could be worked out from a printed total "
        f"and the other counts in its row or column (or from the sum at the start + joined - left "
        f"= at the end), further counts are hidden too and shown as “{SECONDARY_MARK}”. Where no "
        f"part of a table can be shown safely, the whole table is shown as “{SECONDARY_MARK}”.",
        f"Percentages and averages are shown only when their base is at least {k} and the "
        "counts they are made from are printed; otherwise “–”.",
    ]
    story += [Paragraph(text(r), sheet["BodyText"]) for r in supp]
    story.append(Paragraph("Data completeness", sheet["TableTitle"]))
    story += [Paragraph(text(c), sheet["BodyText"]) for c in figures.completeness]
    story.append(Paragraph("Verifying this report", sheet["TableTitle"]))
    story.append(
        Paragraph(
            "The report ID and the SHA-256 fingerprint of its figures are printed at the foot of "
            "each page and stored in the file's properties. The whole file is signed with the "
            "organisation's own key (a standard PDF signature, shown by PDF readers); the key's "
            "fingerprint is printed under the signature on the first page. With the key file "
            "the organisation sends, 'peerdesk report verify FILE.pdf --key KEY.pem' says "
            "whether the file is unchanged since it was signed; any change to the file, however "
            "small, means it is not valid.",
            sheet["BodyText"],
        )
    )
    return story
