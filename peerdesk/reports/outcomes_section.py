"""The outcome section's charts: a dot-and-whisker chart per ONS4 question and dimension, one
row per group (the dot its mean change, the whisker its 95 % interval, a line at no change), so
a coordinator sees at a glance which activities and modes go with the largest change, and how
sure that is. A group too small to show is listed with "too few people" instead of a dot."""

from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from reportlab.platypus import Table as PdfTable

from peerdesk.reports.charts import SESSIONS_COLOUR
from peerdesk.reports.pdf import INK, MUTED, RULE
from peerdesk.services.outcomes.analysis import Breakdown, ChangeEstimate
from peerdesk.services.reporting.outcomes import OutcomeSection

ROW = 13  # points per group
LABEL = 34 * mm
VALUE = 16 * mm


def outcome_charts(section: OutcomeSection, width: float) -> list[Flowable]:
    """The section's charts two to a row."""
    half = (width - 6 * mm) / 2
    drawings = [
        dot_and_whisker(b, half, section.decimals, section.public)
        for b in section.charts
        if b.groups
    ]
    if not drawings:
        return []
    rows = [drawings[i : i + 2] for i in range(0, len(drawings), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append(Drawing(half, 1))
    table = PdfTable(rows, colWidths=[half + 3 * mm] * 2, hAlign="LEFT")
    table.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)])
    return [table]


def dot_and_whisker(found: Breakdown, width: float, decimals: int, public: bool) -> Drawing:
    """In public, only groups shown, and no n beside them (the counts tables print it,
    protected)."""
    groups = [
        g for g in found.groups if isinstance(g, ChangeEstimate) and (g.shown or g.people > 0)
    ]
    height = 30 + ROW * max(len(groups), 1)
    drawing = Drawing(width, height)
    better = "lower is better" if found.lower_is_better else "higher is better"
    title = f"{found.measure}: change by {found.dimension} ({better})"
    drawing.add(String(0, height - 10, title, fontName="Helvetica-Bold", fontSize=8, fillColor=INK))
    low, high = _scale(groups)
    left, right = LABEL, width - VALUE
    if right <= left or high <= low:
        return drawing

    def x(v: float) -> float:
        return float(left + (v - low) / (high - low) * (right - left))

    top = height - 22
    drawing.add(Line(x(0), 8, x(0), top + 4, strokeColor=RULE, strokeDashArray=[2, 2]))
    drawing.add(String(x(0), 0, "no change", fontName="Helvetica", fontSize=6,
                       fillColor=MUTED, textAnchor="middle"))  # fmt: skip
    for n, g in enumerate(groups):
        y = top - ROW * n - 4
        drawing.add(String(0, y - 3, _short(g.group), fontName="Helvetica", fontSize=7,
                           fillColor=INK))  # fmt: skip
        _group_mark(drawing, g, x, y, right, decimals, public)
    return drawing


def _group_mark(
    drawing: Drawing,
    g: ChangeEstimate,
    place: Callable[[float], float],
    y: float,
    right: float,
    decimals: int,
    public: bool,
) -> None:
    if not g.shown or g.mean_change is None or g.low is None or g.high is None:
        few = "too few people" if public else f"too few people (n {g.people})"
        drawing.add(String(place(0) + 4, y - 3, few, fontName="Helvetica-Oblique",
                           fontSize=6.5, fillColor=MUTED))  # fmt: skip
        return
    drawing.add(
        Line(place(g.low), y, place(g.high), y, strokeColor=SESSIONS_COLOUR, strokeWidth=1.2)
    )
    for end in (g.low, g.high):
        drawing.add(Line(place(end), y - 2.5, place(end), y + 2.5, strokeColor=SESSIONS_COLOUR))
    drawing.add(Circle(place(g.mean_change), y, 2.6, fillColor=SESSIONS_COLOUR, strokeColor=None))
    n = "" if public else f" n {g.people}"
    drawing.add(String(right + 3, y - 3, f"{g.mean_change:+.{decimals}f}{n}",
                       fontName="Helvetica", fontSize=6.5, fillColor=INK))  # fmt: skip


def _scale(groups: Sequence[ChangeEstimate]) -> tuple[float, float]:
    """From the lowest interval end to the highest, always including no change."""
    ends = [v for g in groups if g.shown for v in (g.low, g.high) if v is not None]
    low, high = min([0.0, *ends]), max([0.0, *ends])
    pad = max(high - low, 1.0) * 0.08
    return low - pad, high + pad


def _short(label: str) -> str:
    return label if len(label) <= 22 else label[:21] + "…"
