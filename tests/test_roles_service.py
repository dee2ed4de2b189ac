"""Volunteer roles: everyone signed in lists them, only coordinators add, change and delete them;
names are required, trimmed, unique ignoring case and at most 100 characters; supervision is
every 1 to 52 weeks or not required; a refusal writes nothing; a role in use is never
deleted."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import AuditEvent, Course, Role, User, UserRole, course_requirements
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.roles import (
    RoleInput,
    RoleUses,
    change_role,
    create_role,
    delete_role,
    list_roles,
    role_uses,
)
from peerdesk.services.rota import create_pattern, create_shift
from tests.rota_world import TODAY, World, make_world, one_off, weekly


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


@pytest.fixture
def supervisor(world: World) -> Actor:
    with world.store.session() as s:
        user = User(username="sup", display_name="Sup", role=UserRole.SUPERVISOR)
        s.add(user)
        s.flush()
        return Actor(user.id, user.username, user.display_name, user.role)


def write(world: World, actor: Actor, call: Callable[..., Any], *args: Any) -> Any:
    with world.store.session(actor) as s:
        return call(s, actor, *args)


def roles_held(world: World) -> list[tuple[str, str | None, int | None, bool, bool]]:
    """What the database holds, by name."""
    with world.store.read() as s:
        rows = s.execute(
            select(
                Role.name,
                Role.description,
                Role.supervision_every_weeks,
                Role.group_supervision_counts,
                Role.needs_dbs,
            ).order_by(Role.name)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def audit_count(world: World) -> int:
    with world.store.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def unused_role(world: World, name: str = "Befriender") -> uuid.UUID:
    made = write(world, world.coordinator, create_role, RoleInput(name))
    return made.id  # type: ignore[no-any-return]


# Everyone signed in lists them -----------------------------------------------------------------
def test_every_role_of_user_lists_roles_by_name_ignoring_case(
    world: World, supervisor: Actor
) -> None:
    write(world, world.coordinator, create_role, RoleInput("administrator"))
    for actor in (world.coordinator, supervisor, world.amara_actor, world.trustee):
        with world.store.read() as s:
            names = [r.name for r in list_roles(s, actor)]
        assert names == ["administrator", "Group facilitator", "Peer supporter"]


# Coordinators add and change them --------------------------------------------------------------
def test_a_coordinator_adds_a_role_trimmed_with_its_policies_and_audited(world: World) -> None:
    before = audit_count(world)
    made = write(
        world,
        world.coordinator,
        create_role,
        RoleInput("  Phone  line\tvolunteer \n", "  Answers the evening line. ", 4, False, False),
    )
    assert (made.name, made.description, made.supervision_every_weeks) == (
        "Phone line volunteer",
        "Answers the evening line.",
        4,
    )
    assert (made.group_supervision_counts, made.needs_dbs) == (False, False)
    assert ("Phone line volunteer", "Answers the evening line.", 4, False, False) in roles_held(
        world
    )
    assert audit_count(world) == before + 1
    with world.store.read() as s:
        who = s.scalar(select(AuditEvent.user_id).order_by(AuditEvent.seq.desc()).limit(1))
    assert who == world.coordinator.user_id


def test_supervision_not_required_and_a_blank_description_are_kept_as_none(world: World) -> None:
    made = write(world, world.coordinator, create_role, RoleInput("Trustee helper", "   ", None))
    assert (made.description, made.supervision_every_weeks) == (None, None)
    assert ("Trustee helper", None, None, True, True) in roles_held(world)


def test_a_coordinator_changes_a_role_and_its_holders_keep_it(world: World) -> None:
    with world.store.read() as s:
        was = next(r for r in list_roles(s, world.coordinator) if r.id == world.supporter)
    changed = write(
        world,
        world.coordinator,
        change_role,
        world.supporter,
        RoleInput("Peer Supporter (1:1)", "One to one.", 6, False, True),
        was,
    )
    assert (changed.name, changed.supervision_every_weeks) == ("Peer Supporter (1:1)", 6)
    assert ("Peer Supporter (1:1)", "One to one.", 6, False, True) in roles_held(world)
    with world.store.read() as s:
        uses = role_uses(s, world.coordinator, world.supporter)
    assert uses.volunteers == 4  # Amara, Bea, Cal and Dev still hold it


def test_changing_only_the_case_of_its_own_name_is_allowed(world: World) -> None:
    write(world, world.coordinator, change_role, world.supporter, RoleInput("PEER SUPPORTER"))
    assert "PEER SUPPORTER" in [r[0] for r in roles_held(world)]


# Every refusal: one sentence, nothing written --------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (RoleInput("   \n "), "Type a name for the role."),
        (RoleInput("x" * 101), "101 characters long; keep it to 100 or fewer"),
        (RoleInput("  peer   SUPPORTER "), "There is already a role called “Peer supporter”"),
        (RoleInput("Café", supervision_every_weeks=0), "Supervision every 0 weeks"),
        (RoleInput("Café", supervision_every_weeks=53), "choose from 1 to 52 weeks"),
        (RoleInput("Café", supervision_every_weeks=-2), "choose from 1 to 52 weeks"),
    ],
)
def test_a_refused_new_role_says_why_and_writes_nothing(
    world: World, typed: RoleInput, said: str
) -> None:
    before, audited = roles_held(world), audit_count(world)
    with pytest.raises(ValidationError, match=said) as refused:
        write(world, world.coordinator, create_role, typed)
    assert "\n" not in str(refused.value) and str(refused.value).endswith(".")
    assert roles_held(world) == before and audit_count(world) == audited


def test_names_are_unique_ignoring_case_beyond_ascii(world: World) -> None:
    write(world, world.coordinator, create_role, RoleInput("Café helper"))
    with pytest.raises(ValidationError, match="already a role called “Café helper”"):
        write(world, world.coordinator, create_role, RoleInput("CAFÉ HELPER"))
    write(world, world.coordinator, create_role, RoleInput("x" * 100))  # exactly 100 is fine


def test_a_refused_change_writes_nothing(world: World) -> None:
    before = roles_held(world)
    for typed in (
        RoleInput("Group facilitator"),  # another role's name
        RoleInput(""),
        RoleInput("Peer supporter", supervision_every_weeks=60),
    ):
        with pytest.raises(ValidationError):
            write(world, world.coordinator, change_role, world.supporter, typed)
    assert roles_held(world) == before


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(world: World) -> None:
    with world.store.read() as s:
        was = next(r for r in list_roles(s, world.coordinator) if r.id == world.supporter)
    write(world, world.coordinator, change_role, world.supporter, RoleInput("Supporter"), was)
    with pytest.raises(ValidationError, match="Someone else changed “Peer supporter”"):
        write(world, world.coordinator, change_role, world.supporter, RoleInput("Mine"), was)
    assert "Supporter" in [r[0] for r in roles_held(world)]


def test_a_role_deleted_meanwhile_says_so(world: World) -> None:
    gone = unused_role(world)
    write(world, world.coordinator, delete_role, gone)
    with pytest.raises(ValidationError, match="no longer in peerdesk"):
        write(world, world.coordinator, change_role, gone, RoleInput("Back"))
    with pytest.raises(ValidationError, match="no longer in peerdesk"):
        write(world, world.coordinator, delete_role, gone)


@pytest.mark.parametrize("who", ["supervisor", "volunteer", "trustee"])
def test_only_coordinators_add_change_or_delete(world: World, supervisor: Actor, who: str) -> None:
    actor = {"supervisor": supervisor, "volunteer": world.amara_actor, "trustee": world.trustee}[
        who
    ]
    spare = unused_role(world)
    before = roles_held(world)
    with pytest.raises(PermissionDenied, match="cannot change volunteer records"):
        write(world, actor, create_role, RoleInput("Mine"))
    with pytest.raises(PermissionDenied):
        write(world, actor, change_role, world.supporter, RoleInput("Mine"))
    with pytest.raises(PermissionDenied):
        write(world, actor, delete_role, spare)
    assert roles_held(world) == before


# Deleting: only what nothing uses --------------------------------------------------------------
def test_a_role_nothing_uses_is_deleted_and_audited(world: World) -> None:
    spare = unused_role(world)
    audited = audit_count(world)
    assert write(world, world.coordinator, delete_role, spare) == "Befriender"
    assert "Befriender" not in [r[0] for r in roles_held(world)]
    assert audit_count(world) == audited + 1


def test_a_role_someone_holds_is_not_deleted(world: World) -> None:
    before = roles_held(world)
    with pytest.raises(ValidationError) as refused:
        write(world, world.coordinator, delete_role, world.facilitator)
    assert str(refused.value) == (
        "“Group facilitator” cannot be deleted: 1 volunteer holds it. Take the role off them "
        "first, or keep it and rename it."
    )
    assert roles_held(world) == before


def test_a_role_a_course_shift_or_pattern_requires_is_not_deleted(world: World) -> None:
    spare = unused_role(world)
    with world.store.session() as s:
        course = Course(name="Listening skills")
        s.add(course)
        s.flush()
        s.execute(course_requirements.insert().values(course_id=course.id, role_id=spare))
    needs = frozenset({spare})
    write(world, world.coordinator, create_shift, one_off(world, TODAY + timedelta(days=3),
                                                          required_role_ids=needs))  # fmt: skip
    write(world, world.coordinator, create_shift, one_off(world, TODAY + timedelta(days=4),
                                                          required_role_ids=needs))  # fmt: skip
    with world.store.session(world.coordinator) as s:
        create_pattern(
            s, world.coordinator, weekly(world, "FREQ=WEEKLY;BYDAY=WE;COUNT=2",
                                         required_role_ids=needs), TODAY)  # fmt: skip
    with world.store.read() as s:
        uses = role_uses(s, world.coordinator, spare)
    assert uses.courses == 1 and uses.shifts >= 4 and uses.patterns == 1 and uses.volunteers == 0
    before = roles_held(world)
    with pytest.raises(ValidationError) as refused:
        write(world, world.coordinator, delete_role, spare)
    said = str(refused.value)
    assert said.startswith("“Befriender” cannot be deleted: 1 course requires it, ")
    assert f"{uses.shifts} shifts ask for it and 1 repeating pattern asks for it." in said
    assert roles_held(world) == before


def test_role_uses_counts_nothing_for_a_fresh_role(world: World) -> None:
    spare = unused_role(world)
    with world.store.read() as s:
        assert role_uses(s, world.trustee, spare) == RoleUses(0, 0, 0, 0)
