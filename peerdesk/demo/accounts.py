"""Accounts and who supervises whom: the coordinator, supervisors (in the large demo, several,
one of whom has since left), a trustee, and a volunteer account linked to an active volunteer.
Passwords are left unset: people choose their own when they first sign in.

Every volunteer who reached the rota is paired with a supervisor on the rota at the time; when a
supervisor moves on, their supervisees are paired with someone else from that day.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date

from peerdesk.demo.context import DemoContext, Rows
from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.organisation import PEER_SUPPORTER
from peerdesk.models import SupervisionPairing, User, UserRole, VolunteerStatus


@dataclass(frozen=True)
class Supervisor:
    id: uuid.UUID
    name: str
    since: date
    until: date | None  # the day they stopped supervising

    def active_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Pairing:
    supervisor: Supervisor
    since: date
    until: date | None


@dataclass
class Accounts:
    coordinator_id: uuid.UUID
    coordinator_name: str
    supervisors: list[Supervisor]
    pairings: dict[int, list[Pairing]]  # by volunteer plan index

    def supervisor_on(self, index: int, day: date) -> Supervisor:
        """Who supervised volunteer `index` on `day` (their first supervisor before that)."""
        history = self.pairings.get(index, [])
        for pairing in history:
            if pairing.since <= day and (pairing.until is None or day < pairing.until):
                return pairing.supervisor
        return history[0].supervisor if history else self.supervisors[0]


def share(ctx: DemoContext, fraction: float) -> date:
    """The day `fraction` of the way through the demo history."""
    return ctx.history_start + (ctx.today - ctx.history_start) * fraction


def add_user(
    ctx: DemoContext, rows: Rows, username: str, name: str, role: UserRole, since: date,
    active: bool = True, volunteer_id: uuid.UUID | None = None,
) -> uuid.UUID:  # fmt: skip
    return rows.record(
        User,
        ctx.stamp(since, 9),
        username=username,
        display_name=name,
        role=role,
        volunteer_id=volunteer_id,
        uses_pin=False,
        active=active,
        last_sign_in_at=None,
    )


def add_supervisors(ctx: DemoContext, rows: Rows, coordinator: Supervisor) -> list[Supervisor]:
    start = ctx.history_start
    # username, name, from, until (as shares of the history)
    people: list[tuple[str, str, float, float | None]] = [("supervisor", "Ruth Evans", 0.0, None)]
    if ctx.scale.extra_supervisors:
        people = [
            ("gwen.m", "Gwen Morgan", 0.0, 0.4),
            ("amina.k", "Amina Khan", 0.0, None),
            ("supervisor", "Ruth Evans", 0.4, None),
            ("dev.p", "Dev Patel", 0.6, None),
        ]
    found = [coordinator]
    for username, name, began, ended in people:
        since = share(ctx, began) if began else start
        until = share(ctx, ended) if ended else None
        user_id = add_user(ctx, rows, username, name, UserRole.SUPERVISOR, since, until is None)
        found.append(Supervisor(user_id, name, since, until))
    return found


def pair_volunteer(
    ctx: DemoContext, rng: random.Random, plan: VolunteerPlan, supervisors: list[Supervisor]
) -> list[Pairing]:
    if plan.started_on is None or plan.rota_until(ctx.today) <= ctx.history_start:
        return []
    since, end = max(plan.started_on, ctx.history_start), plan.left_on
    pairings: list[Pairing] = []
    while True:
        supervisor = rng.choice([s for s in supervisors if s.active_on(since)])
        stops = (
            supervisor.until
            if supervisor.until and (end is None or supervisor.until < end)
            else end
        )
        pairings.append(Pairing(supervisor, since, stops))
        if stops is None or stops == end:
            return pairings
        since = stops


def add_accounts(
    ctx: DemoContext, rng: random.Random, rows: Rows, plans: list[VolunteerPlan]
) -> Accounts:
    start = ctx.history_start
    coordinator_id = add_user(ctx, rows, "coordinator", "Jo Adeyemi", UserRole.COORDINATOR, start)
    coordinator = Supervisor(coordinator_id, "Jo Adeyemi", start, None)
    supervisors = add_supervisors(ctx, rows, coordinator)
    add_user(ctx, rows, "trustee", "Malcolm Reid", UserRole.TRUSTEE, start)
    pairings = {
        i: found for i, p in enumerate(plans) if (found := pair_volunteer(ctx, rng, p, supervisors))
    }
    accounts = Accounts(coordinator_id, "Jo Adeyemi", supervisors, pairings)
    me = account_volunteer(plans, accounts)
    person = plans[me].person
    name = f"{person.preferred_name} {person.last_name}"
    since = plans[me].started_on or start
    add_user(ctx, rows, "volunteer", name, UserRole.VOLUNTEER, since, volunteer_id=plans[me].id)
    for index, history in pairings.items():
        for pairing in history:
            rows.record(
                SupervisionPairing, ctx.stamp(pairing.since, 12),
                supervisor_user_id=pairing.supervisor.id, volunteer_id=plans[index].id,
                since_on=pairing.since, until_on=pairing.until,
            )  # fmt: skip
    return accounts


def account_volunteer(plans: list[VolunteerPlan], accounts: Accounts) -> int:
    """The active peer supporter behind the `volunteer` account: someone supervised by the
    `supervisor` account and up to date, so both accounts have something to show."""
    ruth = next(s for s in accounts.supervisors if s.name == "Ruth Evans")
    candidates = [
        i
        for i, p in enumerate(plans)
        if p.status is VolunteerStatus.ACTIVE
        and PEER_SUPPORTER in p.roles
        and not (p.never_supervised or p.supervision_lapsed)
    ]
    for index in candidates:
        if accounts.pairings[index][-1].supervisor is ruth:
            return index
    index = candidates[0]
    last = accounts.pairings[index][-1]
    accounts.pairings[index][-1] = Pairing(ruth, last.since, last.until)
    return index
