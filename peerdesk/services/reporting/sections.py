"""The building blocks of a report's figures: a headline figure, a table, a section; each with
the one-line note that says how it was counted."""

from dataclasses import dataclass

from peerdesk.services.reporting.tables import Table


@dataclass(frozen=True)
class Headline:
    """One figure with the sentence that says how it was counted."""

    label: str
    text: str
    method: str


@dataclass(frozen=True)
class TableFigure:
    title: str
    table: Table
    method: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    headlines: tuple[Headline, ...]
    tables: tuple[TableFigure, ...]

    def headline(self, label: str) -> Headline:
        return next(h for h in self.headlines if h.label == label)

    def table(self, title: str) -> Table:
        return next(t.table for t in self.tables if t.title == title)
