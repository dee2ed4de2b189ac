"""The ledger of public releases: every table of a public governance report as it was printed,
kept so that each later public release can be checked together with all of them.

A released table is its inner counts (rows by columns) and the totals printed with them. Each
printed cell is kept as what a reader learns from it: its exact value, or the range its mark
allows ("<5": 1 to 4; "[c]": any count, zero included)."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.models import PublicRelease
from peerdesk.services.reporting.suppression import Hidden, Shown

# What a reader knows of a printed count: (lowest, highest); highest None is unbounded.
Bounds = tuple[int, int | None]


def reader_bounds(cell: Shown, k: int) -> Bounds:
    if cell.hidden is Hidden.SHOWN and cell.value is not None:
        return (cell.value, cell.value)
    if cell.hidden is Hidden.SMALL:
        return (1, k - 1)
    return (0, None)


def is_hidden(b: Bounds) -> bool:
    return b[1] is None or b[0] != b[1]


@dataclass(frozen=True)
class ReleasedTable:
    """One printed table. `cells[i][j]` is row i, column j; the optional totals are those of
    each row, each column and all of them, as printed."""

    key: str
    start: date
    end: date
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Bounds, ...], ...]
    row_totals: tuple[Bounds, ...] | None = None
    column_totals: tuple[Bounds, ...] | None = None
    grand_total: Bounds | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "rows": self.rows,
                "columns": self.columns,
                "cells": self.cells,
                "row_totals": self.row_totals,
                "column_totals": self.column_totals,
                "grand_total": self.grand_total,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_record(cls, record: PublicRelease) -> "ReleasedTable":
        data = json.loads(record.cells)

        def bounds(pairs: Sequence[Sequence[int | None]] | None) -> tuple[Bounds, ...] | None:
            return None if pairs is None else tuple((int(p[0] or 0), p[1]) for p in pairs)

        grand = data["grand_total"]
        return cls(
            key=record.table_key,
            start=record.period_start,
            end=record.period_end,
            rows=tuple(data["rows"]),
            columns=tuple(data["columns"]),
            cells=tuple(bounds(row) or () for row in data["cells"]),
            row_totals=bounds(data["row_totals"]),
            column_totals=bounds(data["column_totals"]),
            grand_total=None if grand is None else (int(grand[0]), grand[1]),
        )


def earlier_releases(session: Session) -> list[ReleasedTable]:
    records = session.scalars(select(PublicRelease).order_by(PublicRelease.created_at))
    return [ReleasedTable.from_record(r) for r in records]


def was_released(session: Session, report_code: str) -> bool:
    """Whether the export with this code was a public report (its tables are in the ledger)."""
    found = select(PublicRelease.id).where(PublicRelease.report_code == report_code).limit(1)
    return session.scalars(found).first() is not None


def record_release(session: Session, report_code: str, tables: Sequence[ReleasedTable]) -> None:
    """Add a public report's tables to the ledger (in the export's own write session, so the
    ledger holds exactly the reports that were written)."""
    for t in tables:
        session.add(
            PublicRelease(
                report_code=report_code,
                table_key=t.key,
                period_start=t.start,
                period_end=t.end,
                cells=t.to_json(),
            )
        )
