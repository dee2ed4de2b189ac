"""Charts drawn with reportlab.graphics (matplotlib's import alone costs about a second)."""

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from peerdesk.reports.pdf import ACCENT, INK, MUTED
from peerdesk.services.reporting.activity import Month
from peerdesk.wording import SHORT_MONTHS

SESSIONS_COLOUR = ACCENT
HOURS_COLOUR = colors.HexColor("#c58b2b")
# Below this many at most, the value axis counts in ones.
SMALL_AXIS = 5


def monthly_chart(months: Sequence[Month], width: float, title: str, hours: bool) -> Drawing:
    """Bars by month: sessions, or volunteer hours."""
    height = 150
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName="Helvetica-Bold", fontSize=9.5,
                       fillColor=INK))  # fmt: skip
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 26
    chart.width, chart.height = width - 44, height - 50
    values = [round(m.hours, 1) if hours else m.sessions for m in months]
    chart.data = [values]
    chart.bars[0].fillColor = HOURS_COLOUR if hours else SESSIONS_COLOUR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 4 if len(months) <= 12 else 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = MUTED
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e7eb")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    chart.categoryAxis.categoryNames = _month_names(months)
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fillColor = MUTED
    chart.categoryAxis.strokeColor = MUTED
    highest = max(values, default=0)
    if highest < SMALL_AXIS:
        # Whole steps: left to itself the axis steps by fractions, which the whole-number labels
        # print as "1, 1, 1, 0" (an empty quarter looked broken).
        chart.valueAxis.valueMax = max(1, math.ceil(highest))
        chart.valueAxis.valueStep = 1
    drawing.add(chart)
    return drawing


def _month_names(months: Sequence[Month]) -> list[str]:
    """Month initials when there are more than twelve bars, short names otherwise (the years
    are in the chart's title)."""
    short = len(months) > 12
    return [SHORT_MONTHS[m.month.month - 1][: 1 if short else 3] for m in months]
