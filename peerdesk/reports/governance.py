"""The governance report as a PDF: cover and sign-offs, the narrative, each section's figures
with how they were counted, the monthly charts, and a methods page.

No person is named except trustees who signed off: the report says who made it by role. The
board report carries "Confidential — for the board" at the foot of every page; the public report's
methods page says what the disclosure check did, from the figures' own record of it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus import Table as PdfTable

from peerdesk.dates import show_date, show_datetime
from peerdesk.reports.charts import monthly_chart
from peerdesk.reports.outcomes_section import outcome_charts
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
from peerdesk.services.reporting.figures import Audience, GovernanceFigures
from peerdesk.services.reporting.outcomes import OutcomeSection
from peerdesk.services.reporting.periods import allowed_words
from peerdesk.services.reporting.public import table_titles
from peerdesk.services.reporting.records import Narrative, SignOffInfo
from peerdesk.services.reporting.sections import Section, TableFigure
from peerdesk.services.reporting.suppression import SECONDARY_MARK
from peerdesk.services.reporting.tables import ALL_HIDDEN, TOTAL
from peerdesk.wording import SHORT_MONTHS, count

WIDTH = 210 * mm - 2 * MARGIN
BOARD_MARK = "Confidential — for the board"
# A table of more rows than this may run on to the next page, if its heading and a few rows
# (START_ROOM) fit where it is.
LONG_TABLE = 7
START_ROOM = 32 * mm
SHORT_INTRO = 2  # headline rows kept on the page of the table after them
# The methods start on a page of their own only when less than this is left of the last one.
METHODS_ROOM = 90 * mm
OUTCOME_MEANS = (
    " The outcome section is the one exception: a mean score or change, rounded to one decimal "
    "place, for a group of at least {k} people whose count is printed."
)


@dataclass(frozen=True)
class ReportMeta:
    report_code: str
    generated_at: datetime
    generated_by_role: str  # "coordinator", "trustee": never a name


def period_words(figures: GovernanceFigures) -> str:
    p = figures.period
    return f"{show_date(p.start)} to {show_date(p.end)}"


def report_name(figures: GovernanceFigures) -> str:
    if figures.audience is Audience.PUBLIC:
        return "Public governance report"
    return "Board governance report"


def document_info(figures: GovernanceFigures, meta: ReportMeta) -> DocumentInfo:
    title = f"{report_name(figures)} {period_words(figures)}"
    footer = f"{figures.organisation} · {title}"
    if figures.audience is Audience.BOARD:
        footer = f"{BOARD_MARK} · {footer}"
    return DocumentInfo(
        title=f"{figures.organisation}: {title}",
        author=figures.organisation,
        subject=f"Report {meta.report_code}; figures SHA-256 {figures.fingerprint}",
        report_code=meta.report_code,
        fingerprint=figures.fingerprint,
        footer=footer,
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
        Paragraph(f"{report_name(figures)} · {period_words(figures)}", sheet["CoverSub"]),
    ]
    if figures.audience is Audience.BOARD:
        story.append(Paragraph(f"<b>{BOARD_MARK}</b>", sheet["BodyText"]))
    if figures.notice:
        story.append(Paragraph(f"<b>{text(figures.notice)}</b>", sheet["BodyText"]))
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
    story.append(Paragraph(_cover_note(figures), sheet["Method"]))
    return story


def _cover_note(figures: GovernanceFigures) -> str:
    if figures.audience is Audience.PUBLIC:
        hiding = (
            "Every count of people, or of events about people, from 1 to "
            f"{figures.threshold - 1} is shown as “&lt;{figures.threshold}”, and some others as "
            f"“{SECONDARY_MARK}” so that small numbers cannot be worked out from totals or from "
            "other public reports: see the methods page."
        )
    else:
        hiding = (
            "Exact figures, with nothing hidden, for the board to act on: small numbers here "
            "may identify people, so this report is not for publication. The public report "
            "for funders is made separately."
        )
    return (
        f"{hiding} This report names nobody except trustees who signed it off. To check it is "
        "exactly the report that was exported, run "
        "<font face='Courier'>peerdesk report verify</font> on this file."
    )


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
    long: list[bool] = []  # per block: may run on to the next page
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
        long.append(False)
    if section.key == "activity":
        blocks.append(_charts(figures))
        long.append(False)
    if isinstance(section, OutcomeSection):
        blocks.append(outcome_charts(section, WIDTH))
        long.append(False)
    for figure in section.tables:
        blocks.append(_table(figure, sheet))
        long.append(len(figure.table.rows) > LONG_TABLE)
    title = Paragraph(text(section.title), sheet["Section"])
    if not blocks:
        return [title]
    if 0 < len(section.headlines) <= SHORT_INTRO and len(blocks) > 1 and not long[1]:
        # A line or two of introduction (the equality tables' note) would stand alone at the
        # foot of a page: it goes with the first table.
        blocks[:2] = [[*blocks[0], *blocks[1]]]
        long[:2] = [False]
    blocks[0] = [title, *blocks[0]]
    story: list[Flowable] = []
    for block, runs_on in zip(blocks, long, strict=True):
        if runs_on:
            # Kept whole, a long table moved to the next page and left half a page empty:
            # it starts where it is if a heading and a few rows fit, and its heading row
            # repeats on the next page. (Not keepWithNext: reportlab would keep the heading
            # with the whole table, as before.)
            story += [CondPageBreak(START_ROOM), *block]
        else:
            story.append(KeepTogether(block))
    return story


def _charts(figures: GovernanceFigures) -> list[Flowable]:
    half = (WIDTH - 6 * mm) / 2
    months = figures.monthly
    span = ""
    if months:
        first, last = months[0].month, months[-1].month
        span = (
            f", {SHORT_MONTHS[first.month - 1]} {first.year} "
            f"to {SHORT_MONTHS[last.month - 1]} {last.year}"
        )
    pair = PdfTable(
        [[monthly_chart(months, half, f"Sessions by month{span}", hours=False),
          monthly_chart(months, half, f"Volunteer hours by month{span}", hours=True)]],
        colWidths=[half + 3 * mm, half + 3 * mm],
        hAlign="LEFT",
    )  # fmt: skip
    pair.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)])
    return [pair]


LABELS_AT_LEAST = 40 * mm
CELL_PADDING = 6  # points: reportlab's default padding either side of a table cell


def _widest_word(headings: Sequence[str], style: ParagraphStyle) -> float:
    """The width of the longest word of the headings, set in bold as the grid sets them."""
    words = [w for h in headings for w in h.split()]
    bold = "Helvetica-Bold" if style.fontName == "Helvetica" else style.fontName
    return max((stringWidth(w, bold, style.fontSize) for w in words), default=0.0)


def _table(figure: TableFigure, sheet: StyleSheet1) -> list[Flowable]:
    """The table's title, how it was counted, then the table: the note comes first so that a
    long table running on to the next page never leaves its note alone there."""
    t = figure.table
    parts: list[Flowable] = [Paragraph(text(figure.title), sheet["TableTitle"])]
    if figure.method:
        parts.append(Paragraph(text(figure.method), sheet["Method"]))
    if t.nothing_shown():
        # A column of "[c]" says nothing: one sentence says why instead.
        parts.append(Paragraph(text(ALL_HIDDEN), sheet["BodyText"]))
        return parts
    header = ["", *t.columns]
    rows = [[label, *(c.text for c in cells)] for label, cells in t.rows]
    n = len(t.columns)
    first = min(70 * mm, WIDTH - n * 18 * mm)
    other = min(26 * mm, (WIDTH - first) / max(n, 1))
    # A heading word never breaks inside itself ("Life satisfac-tion"): the figures' columns
    # take what their longest heading word needs from the labels' column, which wraps between
    # words, down to LABELS_AT_LEAST.
    needed = _widest_word(t.columns, sheet["Number"]) + 2 * CELL_PADDING
    if n and needed > other:
        other = min(needed, (WIDTH - LABELS_AT_LEAST) / n)
        first = WIDTH - n * other
    total_last = bool(t.rows) and t.rows[-1][0] == TOTAL
    parts.append(grid(header, rows, [first, *[other] * n], sheet, total_last=total_last))
    return parts


def _methods(figures: GovernanceFigures, sheet: StyleSheet1) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(METHODS_ROOM), Paragraph("Methods", sheet["Section"])]
    story.append(Paragraph("Counting rules", sheet["TableTitle"]))
    rules = [
        f"The period is {period_words(figures)}, whole days in the {figures.timezone} time "
        "zone, both ends included. Figures 'on the last day' describe the group as it was "
        "at the end of the period; statuses of concerns are as they were when the report "
        "was made.",
        "Counts come straight from the records kept in peerdesk: session logs, the rota, "
        "volunteer records with their start and leaving dates, training completions, DBS "
        "certificates and supervision sessions. Nothing is read from confidential notes.",
        "Each figure's own note says exactly how it was counted.",
    ]
    if figures.notice:
        rules.insert(0, figures.notice)
    story += [Paragraph(text(r), sheet["BodyText"]) for r in rules]
    if figures.audience is Audience.PUBLIC:
        story += _disclosure_methods(figures, sheet)
    else:
        story.append(Paragraph("Exact figures", sheet["TableTitle"]))
        story.append(
            Paragraph(
                "This is the board's report: every count is exact and nothing is hidden, so "
                "that the board can act on it. It is confidential: the public report, with "
                "small numbers protected, is the one to send to funders, hosts and "
                "commissioners.",
                sheet["BodyText"],
            )
        )
    story.append(Paragraph("Data completeness", sheet["TableTitle"]))
    story += [Paragraph(text(c), sheet["BodyText"]) for c in figures.completeness]
    story.append(Paragraph("Verifying this report", sheet["TableTitle"]))
    story.append(
        Paragraph(
            "The report ID and the SHA-256 fingerprint of its figures are printed at the foot of "
            "each page and stored in the file's properties. The whole file is signed with the "
            "organisation's own key (a standard PDF signature, shown by PDF readers); the key's "
            "fingerprint is printed with the signature at the top of the first page. With the key "
            "file the organisation sends, 'peerdesk report verify FILE.pdf --key KEY.pem' says "
            "whether the file is unchanged since it was signed; any change to the file, however "
            "small, means it is not valid.",
            sheet["BodyText"],
        )
    )
    return story


def _disclosure_methods(figures: GovernanceFigures, sheet: StyleSheet1) -> list[Flowable]:
    """What the public report's suppression and its audit did, from the figures' own record."""
    k = figures.threshold
    audit = figures.audit
    story: list[Flowable] = [Paragraph("Protecting small numbers", sheet["TableTitle"])]
    lines = [
        f"Public reports are made only for {allowed_words(figures.financial_year_month)}, and "
        f"only once the period is over. This one covers a {figures.period_kind}.",
        "Sessions, shifts and volunteer hours describe the group's work rather than people and "
        "are shown in full, except one-to-one and phone or online sessions (each is one person's), "
        "which are counted only as attendances. "
        "Every count of people, or of events about people (attendances, new people, "
        "volunteers, concerns and incidents, equality answers), is protected as below.",
        f"A count from 1 to {k - 1} is shown as “<{k}” (the organisation's threshold is {k}); "
        "a zero that is printed is shown as 0.",
        f"“{SECONDARY_MARK}” is a count hidden so that others cannot be worked out from totals: "
        "it may be any number, zero included.",
        "This report shows no percentages or averages: with small numbers they could give "
        "hidden counts away."
        + (
            OUTCOME_MEANS.format(k=k)
            if any(isinstance(s, OutcomeSection) for s in figures.sections)
            else ""
        ),
    ]
    if audit is not None:
        narrowest = (
            "no hidden count is limited above"
            if audit.narrowest is None
            else f"the narrowest range left for any hidden count is {audit.narrowest} (a count "
            "worked out as exactly zero aside: it identifies nobody)"
        )
        lines.append(
            "Before this report was made, its tables were checked together with "
            f"{count(audit.releases_checked, 'table')} of earlier public reports, the way a "
            "reader putting the reports side by side could (overlapping periods add up; each "
            "period's end is the next one's start). For each hidden count, a linear programme "
            "(the HiGHS solver) found the smallest and largest value consistent with every "
            f"printed figure; they must be at least {audit.protection} apart. "
            f"{count(audit.cells_checked, 'hidden count')} checked; "
            f"{count(audit.extra_hidden, 'further count')} hidden by the check; {narrowest}."
        )
        if audit.withheld:
            lines.append(
                "Some tables are withheld in full because the records they count changed after "
                "an earlier public report of an overlapping period, so the two could not be "
                "checked together: " + _titles(figures, audit.withheld) + "."
            )
    story += [Paragraph(text(line), sheet["BodyText"]) for line in lines]
    return story


def _titles(figures: GovernanceFigures, keys: Sequence[str]) -> str:
    """The withheld tables by the titles printed above them, each once."""
    titles = table_titles(figures.sections)
    named = dict.fromkeys(f"“{titles.get(key, key)}”" for key in keys)
    return ", ".join(named)
