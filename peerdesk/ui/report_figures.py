"""The governance figures as HTML for the Reports page: the same figures, labels and method
notes as the PDF (already suppressed by the service), in the palette's own colours."""

from html import escape

from peerdesk.dates import show_date
from peerdesk.services.reporting.figures import Audience, GovernanceFigures
from peerdesk.services.reporting.sections import Section, TableFigure
from peerdesk.services.reporting.tables import ALL_HIDDEN
from peerdesk.wording import SHORT_MONTHS


def figures_html(figures: GovernanceFigures) -> str:
    p = figures.period
    if figures.audience is Audience.BOARD:
        how = "Exact figures for the board: confidential, nothing is hidden."
    else:
        how = (
            f"For funders: counts from 1 to {figures.threshold - 1} show as "
            f"“&lt;{figures.threshold}”; “[c]” is hidden so a small number cannot be worked out, "
            "here or from earlier public reports."
        )
    parts = [
        f"<h2>{escape(figures.organisation)}</h2>",
        f"<p>Governance figures, {show_date(p.start)} to {show_date(p.end)}. {how}</p>",
    ]
    if figures.notice:
        parts.append(f"<p><b>{escape(figures.notice)}</b></p>")
    for section in figures.sections:
        parts.append(_section(section))
        if section.key == "activity":
            parts.append(_months(figures))
    parts.append("<h3>Data completeness</h3>")
    parts += [f"<p>{escape(line)}</p>" for line in figures.completeness]
    return "\n".join(parts)


def _section(section: Section) -> str:
    parts = [f"<h3>{escape(section.title)}</h3>"]
    if section.headlines:
        rows = "".join(
            f"<tr><td>{escape(h.label)}</td><td align='right'><b>{escape(h.text)}</b></td>"
            f"<td><small>{escape(h.method)}</small></td></tr>"
            for h in section.headlines
        )
        parts.append(f"<table cellpadding='3'>{rows}</table>")
    parts += [_table(t) for t in section.tables]
    return "".join(parts)


def _table(figure: TableFigure) -> str:
    note = f"<p><small>{escape(figure.method)}</small></p>" if figure.method else ""
    if figure.table.nothing_shown():
        return f"<h4>{escape(figure.title)}</h4><p>{escape(ALL_HIDDEN)}</p>{note}"
    head = "".join(f"<th align='right'>{escape(c)}</th>" for c in figure.table.columns)
    rows = "".join(
        f"<tr><td>{escape(label)}</td>"
        + "".join(f"<td align='right'>{escape(c.text)}</td>" for c in cells)
        + "</tr>"
        for label, cells in figure.table.rows
    )
    return (
        f"<h4>{escape(figure.title)}</h4>"
        f"<table cellpadding='3' cellspacing='0' border='0'><tr><th></th>{head}</tr>{rows}</table>"
        f"{note}"
    )


def _months(figures: GovernanceFigures) -> str:
    rows = "".join(
        f"<tr><td>{SHORT_MONTHS[m.month.month - 1]} {m.month.year}</td>"
        f"<td align='right'>{m.sessions:,}</td><td align='right'>{m.hours:,.1f}</td></tr>"
        for m in figures.monthly
    )
    return (
        "<h4>Sessions and volunteer hours by month</h4>"
        "<table cellpadding='3'><tr><th></th><th align='right'>Sessions</th>"
        f"<th align='right'>Hours</th></tr>{rows}</table>"
    )
