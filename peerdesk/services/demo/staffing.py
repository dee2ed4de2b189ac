"""Who works which shift. Each pattern keeps a small team of regulars, as real rotas do; when a
regular leaves or is away, someone else on the rota that month covers. Group shifts always look
for a facilitator first. Everyone chosen must be on the rota that day (started, not left, not
paused, not on an absence)."""

import random
from datetime import date

from peerdesk.models import ActivityKind
from peerdesk.services.demo.lifecycle import VolunteerPlan
from peerdesk.services.demo.organisation import COORDINATOR, FACILITATOR, PEER_SUPPORTER, WALK_BUDDY

# Which roles can be put on each kind of shift; group shifts also need a facilitator.
CAN_STAFF = {
    ActivityKind.ONE_TO_ONE: (PEER_SUPPORTER, COORDINATOR),
    ActivityKind.PHONE_ONLINE: (PEER_SUPPORTER, COORDINATOR),
    ActivityKind.GROUP: (FACILITATOR, PEER_SUPPORTER),
    ActivityKind.WALK_AND_TALK: (WALK_BUDDY, PEER_SUPPORTER),
}
LEADS = "lead facilitator"
TRIES = 12


def month_index(day: date) -> int:
    return day.year * 12 + day.month


class Staffing:
    def __init__(self, plans: list[VolunteerPlan], today: date, rng: random.Random) -> None:
        self.plans = plans
        self.rng = rng
        self.teams: dict[str, list[int]] = {}
        self.pools: dict[tuple[str, int], list[int]] = {}
        for index, plan in enumerate(plans):
            self._add_to_pools(index, plan, today)

    def _add_to_pools(self, index: int, plan: VolunteerPlan, today: date) -> None:
        if plan.started_on is None:
            return
        groups = [kind.value for kind, roles in CAN_STAFF.items() if set(roles) & set(plan.roles)]
        if FACILITATOR in plan.roles:
            groups.append(LEADS)
        for month in range(month_index(plan.started_on), month_index(plan.rota_until(today)) + 1):
            for group in groups:
                self.pools.setdefault((group, month), []).append(index)

    def can_work(self, index: int, group: str, day: date, taken: list[int]) -> bool:
        plan = self.plans[index]
        roles = (FACILITATOR,) if group == LEADS else CAN_STAFF[ActivityKind(group)]
        return (
            index not in taken and plan.on_rota(day) and any(role in plan.roles for role in roles)
        )

    def from_pool(self, group: str, day: date, taken: list[int]) -> int | None:
        """Someone on the rota this month who can cover; a few random tries are enough."""
        pool = self.pools.get((group, month_index(day)))
        if not pool:
            return None
        for _ in range(TRIES):
            index = self.rng.choice(pool)
            if self.can_work(index, group, day, taken):
                return index
        return None

    def team(self, key: str, group: str, day: date, size: int) -> list[int]:
        """The pattern's regulars as of `day`: leavers drop out and newcomers join."""
        team = self.teams.setdefault(key, [])
        team[:] = [i for i in team if (left := self.plans[i].left_on) is None or left > day]
        while len(team) < size:
            joining = self.from_pool(group, day, team)
            if joining is None:
                break
            team.append(joining)
        return team

    def crew(self, key: str, kind: ActivityKind, day: date, wanted: int, size: int) -> list[int]:
        """Up to `wanted` volunteers for one shift, regulars first, a facilitator leading
        any group."""
        group = kind.value
        team = self.team(key, group, day, size)
        chosen: list[int] = []
        if kind is ActivityKind.GROUP:
            lead = next((i for i in team if self.can_work(i, LEADS, day, chosen)), None)
            lead = lead if lead is not None else self.from_pool(LEADS, day, chosen)
            if lead is None:
                return []
            chosen.append(lead)
        for index in team:
            if len(chosen) >= wanted:
                return chosen
            if self.can_work(index, group, day, chosen):
                chosen.append(index)
        while len(chosen) < wanted and (cover := self.from_pool(group, day, chosen)) is not None:
            chosen.append(cover)
        return chosen

    def cover(self, kind: ActivityKind, day: date, taken: list[int]) -> int | None:
        return self.from_pool(kind.value, day, taken)
