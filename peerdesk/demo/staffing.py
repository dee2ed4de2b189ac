"""Who works which shift. Each pattern keeps a small team of regulars, as real rotas do; when a
regular leaves or is away, someone else on the rota that month covers. Group shifts always look
for a facilitator first. Everyone chosen must be on the rota that day (started, not left, not
paused, not on an absence) and not already booked on an overlapping shift."""

import random
from dataclasses import dataclass
from datetime import date, datetime

from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.organisation import COORDINATOR, FACILITATOR, PEER_SUPPORTER, WALK_BUDDY
from peerdesk.models import ActivityKind

# Which roles can be put on each kind of shift; group shifts also need a facilitator.
CAN_STAFF = {
    ActivityKind.ONE_TO_ONE: (PEER_SUPPORTER, COORDINATOR),
    ActivityKind.PHONE_ONLINE: (PEER_SUPPORTER, COORDINATOR),
    ActivityKind.GROUP: (FACILITATOR, PEER_SUPPORTER),
    ActivityKind.WALK_AND_TALK: (WALK_BUDDY, PEER_SUPPORTER),
}
LEADS = "lead facilitator"
TRIES = 12


@dataclass(frozen=True)
class Need:
    """One shift to staff."""

    kind: ActivityKind
    starts_at: datetime
    ends_at: datetime
    day: date  # local


def staffing_groups(plan: VolunteerPlan) -> frozenset[str]:
    """The kinds of shift someone's roles let them staff, and whether they can lead a group."""
    groups = {kind.value for kind, roles in CAN_STAFF.items() if set(roles) & set(plan.roles)}
    return frozenset(groups | ({LEADS} if FACILITATOR in plan.roles else set()))


def month_index(day: date) -> int:
    return day.year * 12 + day.month


class Staffing:
    def __init__(self, plans: list[VolunteerPlan], rota_end: date, rng: random.Random) -> None:
        self.plans = plans
        self.rng = rng
        self.teams: dict[str, list[int]] = {}
        self.pools: dict[tuple[str, int], list[int]] = {}
        self.booked: dict[tuple[int, date], list[tuple[datetime, datetime]]] = {}
        self.groups = [staffing_groups(plan) for plan in plans]
        for index, plan in enumerate(plans):
            self._add_to_pools(index, plan, rota_end)

    def _add_to_pools(self, index: int, plan: VolunteerPlan, rota_end: date) -> None:
        if plan.started_on is None:
            return
        last = month_index(plan.rota_until(rota_end))
        for month in range(month_index(plan.started_on), last + 1):
            for group in sorted(self.groups[index]):
                self.pools.setdefault((group, month), []).append(index)

    def is_free(self, index: int, need: Need) -> bool:
        """On the rota that day and not on another shift at the same time."""
        if not self.plans[index].on_rota(need.day):
            return False
        booked = self.booked.get((index, need.day), ())
        return all(end <= need.starts_at or need.ends_at <= start for start, end in booked)

    def book(self, index: int, need: Need) -> int:
        self.booked.setdefault((index, need.day), []).append((need.starts_at, need.ends_at))
        return index

    def can_work(self, index: int, group: str, need: Need, taken: list[int]) -> bool:
        return group in self.groups[index] and index not in taken and self.is_free(index, need)

    def from_pool(self, group: str, need: Need, taken: list[int]) -> int | None:
        """Someone on the rota this month who can cover; a few random tries are enough."""
        pool = self.pools.get((group, month_index(need.day)))
        if not pool:
            return None
        for _ in range(TRIES):
            index = self.rng.choice(pool)
            if self.can_work(index, group, need, taken):
                return index
        return None

    def team(self, key: str, need: Need, size: int) -> list[int]:
        """The pattern's regulars as of the shift: leavers drop out and newcomers join."""
        team = self.teams.setdefault(key, [])
        team[:] = [i for i in team if (left := self.plans[i].left_on) is None or left > need.day]
        while len(team) < size:
            joining = self.from_pool(need.kind.value, need, team)
            if joining is None:
                break
            team.append(joining)
        return team

    def crew(self, key: str, need: Need, wanted: int, size: int) -> list[int]:
        """Up to `wanted` volunteers for one shift, booked on it: regulars first, and a
        facilitator leading any group."""
        group = need.kind.value
        team = self.team(key, need, size)
        chosen: list[int] = []
        if need.kind is ActivityKind.GROUP:
            lead = next((i for i in team if self.can_work(i, LEADS, need, chosen)), None)
            lead = lead if lead is not None else self.from_pool(LEADS, need, chosen)
            if lead is None:
                return []
            chosen.append(self.book(lead, need))
        for index in team:
            if len(chosen) >= wanted:
                return chosen
            if self.can_work(index, group, need, chosen):
                chosen.append(self.book(index, need))
        while len(chosen) < wanted and (cover := self.from_pool(group, need, chosen)) is not None:
            chosen.append(self.book(cover, need))
        return chosen

    def cover(self, need: Need, taken: list[int]) -> int | None:
        """Someone else for a shift a volunteer has stepped back from."""
        found = self.from_pool(need.kind.value, need, taken)
        return None if found is None else self.book(found, need)
