"""Shared machinery for the demo generator: the two sizes, reproducible randomness and ids, UTC
instants from local wall-clock dates, and the rows each stage collects for one bulk insert.

Nothing here reads the clock: every timestamp is derived from `today` and the generated data, so
the same seed, size and day always produce the same file.
"""

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from peerdesk.dates import utc_from_local
from peerdesk.models import Base
from peerdesk.models.ids import seeded_id

DemoSize = Literal["small", "large"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Scale:
    """How much history one demo size holds."""

    volunteers: int  # everyone who ever applied, leavers included
    on_books: int  # of those, still with the group today (any status but left)
    months: int  # months of rota, sessions and supervision before today
    target_shifts: int  # pattern occurrences to plan; 0 keeps only the core patterns
    extra_supervisors: bool
    concerns: int
    future_weeks: int = 4


SCALES: dict[DemoSize, Scale] = {
    "small": Scale(
        volunteers=25,
        on_books=19,
        months=18,
        target_shifts=0,
        extra_supervisors=False,
        concerns=7,
    ),
    "large": Scale(
        volunteers=300,
        on_books=75,
        months=120,
        target_shifts=60_000,
        extra_supervisors=True,
        concerns=48,
    ),
}


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the 28th at most, so it always exists)."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


@dataclass(frozen=True)
class DemoContext:
    seed: int
    size: DemoSize
    today: date
    # The benchmarks' larger groups: this many times the people, shifts and concerns over the
    # same years (history per person stays realistic; the tables grow by this factor).
    times: int = 1

    @property
    def scale(self) -> Scale:
        base = SCALES[self.size]
        if self.times == 1:
            return base
        return replace(
            base,
            volunteers=base.volunteers * self.times,
            on_books=base.on_books * self.times,
            target_shifts=base.target_shifts * self.times,
            concerns=base.concerns * self.times,
        )

    @property
    def history_start(self) -> date:
        """The first day of rota and session history."""
        return months_before(self.today, self.scale.months)

    @property
    def future_end(self) -> date:
        """The last day future shifts are planned for."""
        return self.today + timedelta(weeks=self.scale.future_weeks)

    @cached_property
    def now(self) -> datetime:
        """The moment the demo pretends to have been made: early on `today`. Nothing that
        happened in the past is stamped later than this."""
        return utc_from_local(self.today, 7, 30)

    def rng(self, stage: str) -> random.Random:
        """Each stage has its own stream, so changing one stage leaves the others' data alone."""
        return random.Random(f"{self.seed}:{self.size}:{stage}")

    def rows(self, stage: str) -> "Rows":
        return Rows(self.rng(f"{stage}:ids"))

    def stamp(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        """A local wall-clock moment as UTC, never later than `now`."""
        return min(utc_from_local(day, hour, minute), self.now)

    def cap(self, moment: datetime) -> datetime:
        return min(moment, self.now)


def unix_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER = {table.name: rank for rank, table in enumerate(Base.metadata.sorted_tables)}


class Rows:
    """Rows waiting to be inserted, table by table."""

    def __init__(self, id_rng: random.Random) -> None:
        self._id_rng = id_rng
        self._tables: dict[str, tuple[Table, list[Row]]] = {}

    def add(self, target: type[Base] | Table, row: Row) -> Row:
        table = target if isinstance(target, Table) else Base.metadata.tables[target.__tablename__]
        self._tables.setdefault(table.name, (table, []))[1].append(row)
        return row

    def record(self, target: type[Base], created: datetime, **fields: Any) -> uuid.UUID:
        """Add a domain record whose id, created_at and updated_at all come from `created`
        (pass updated_at to differ); returns its id."""
        record_id: uuid.UUID = self.record_row(target, created, **fields)["id"]
        return record_id

    def record_row(self, target: type[Base], created: datetime, **fields: Any) -> Row:
        """As `record`, returning the row itself for a later stage to adjust before insert."""
        row: Row = {"id": seeded_id(unix_ms(created), self._id_rng)}
        row.update(created_at=created, updated_at=created)
        row.update(fields)
        return self.add(target, row)

    def flush(self, session: Session) -> dict[str, int]:
        """Insert everything collected, in id order so v7 ids append to each index."""
        counts: dict[str, int] = {}
        for name in sorted(self._tables, key=INSERT_ORDER.__getitem__):
            table, rows = self._tables[name]
            if "id" in table.c:
                rows.sort(key=lambda row: row["id"].int)
            if rows:
                session.execute(insert(table), rows)
            counts[name] = len(rows)
        self._tables.clear()
        return counts
