"""Names compared the way people expect: case and accents ignored in search, in uniqueness and
when a name is looked up ("elodie" finds Élodie, "élan training" is "Élan training" again)."""

import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerdesk.db.folding import fold
from peerdesk.errors import ValidationError
from peerdesk.models import Role, Volunteer, VolunteerStatus
from peerdesk.services import browse
from peerdesk.services.browse import PageQuery
from peerdesk.services.importing.directory import load_directory
from peerdesk.services.roles import RoleInput, create_role
from peerdesk.services.rota import create_activity, create_venue
from peerdesk.services.training import CourseInput, add_course
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from tests.rota_world import World, make_world


@pytest.fixture
def world(store: Any) -> World:
    return make_world(store)


# The fold itself -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("elodie", "Élodie"),
        ("ÉLODIE", "Élodie"),
        ("sian", "Siân"),
        ("gwyn", "Gŵyn"),  # Welsh w with a circumflex
        ("sean", "Seán"),  # Irish fada
        ("istanbul", "İstanbul"),  # Turkish capital dotted I
        ("strasse", "Straße"),  # German sharp s folds to ss
        ("cafe", "Café"),
        ("cafe", "Cafe\u0301"),  # the accent typed as a separate mark
    ],
)
def test_a_name_typed_without_accents_or_case_matches(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_different_letters_stay_different() -> None:
    assert fold("Sian") != fold("Sean")
    assert fold("Bea") != fold("Ben")


@given(st.text())
def test_folding_twice_is_folding_once(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def _round_trips(text: str) -> bool:
    """Letters whose upper case folds back to them (not ß -> SS, nor ŉ -> ʼN)."""
    return all(ch.upper().casefold() == ch.casefold() for ch in text)


@given(st.text(alphabet=st.characters(categories=("Ll", "Lu", "Lt"))).filter(_round_trips))
def test_upper_case_folds_like_lower_case(text: str) -> None:
    assert fold(text.upper()) == fold(text)


@given(st.text())
def test_a_folded_name_has_no_combining_marks(text: str) -> None:
    assert not any(unicodedata.combining(ch) for ch in fold(text))


# Uniqueness ------------------------------------------------------------------------------------
def test_a_course_differing_only_in_accents_and_case_is_refused(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        add_course(s, world.coordinator, CourseInput("Élan training", validity_months=None))
    for typed in ("élan training", "ELAN TRAINING", "Elan training"):
        with (
            pytest.raises(ValidationError, match="already a course called"),
            world.store.session(world.coordinator) as s,
        ):
            add_course(s, world.coordinator, CourseInput(typed, validity_months=None))


def test_a_venue_or_activity_differing_only_in_accents_is_refused(world: World) -> None:
    # Two places called "Café" and "CAFE" in one small group are one place typed twice; the
    # refusal names the one already there, so a real second café can be told apart by name.
    with world.store.session(world.coordinator) as s:
        create_venue(s, world.coordinator, "Café")
        create_activity(s, world.coordinator, "Siân's walk", "walk_and_talk")
    with (
        pytest.raises(ValidationError, match="already a venue called “Café”"),
        world.store.session(world.coordinator) as s,
    ):
        create_venue(s, world.coordinator, "CAFE")
    with (
        pytest.raises(ValidationError, match="already an activity called “Siân's walk”"),
        world.store.session(world.coordinator) as s,
    ):
        create_activity(s, world.coordinator, "SIAN'S WALK", "walk_and_talk")


def test_a_role_differing_only_in_accents_is_refused(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_role(s, world.coordinator, RoleInput("Cyfaill Gŵyl"))
    with (
        pytest.raises(ValidationError, match="already a role called “Cyfaill Gŵyl”"),
        world.store.session(world.coordinator) as s,
    ):
        create_role(s, world.coordinator, RoleInput("cyfaill gwyl"))


# Looking a name up -----------------------------------------------------------------------------
def test_a_role_is_found_by_name_without_its_accents(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        s.add(Role(name="Cyfaill Gŵyl"))
    with world.store.session(world.coordinator) as s:
        made = create_volunteer(
            s, world.coordinator, VolunteerInput("Rhys", roles=("CYFAILL GWYL",))
        )
    assert made.roles == ("Cyfaill Gŵyl",)
    with world.store.read() as s:
        directory = load_directory(s)
    assert directory.role("cyfaill gwyl") is not None
    assert directory.role("peer SUPPORTER") is not None


# Search ----------------------------------------------------------------------------------------
PEOPLE = ("Élodie", "Siân", "Gŵyn", "Seán", "İlkay")


@pytest.fixture
def searchable(world: World) -> World:
    with world.store.session(world.coordinator) as s:
        for name in PEOPLE:
            s.add(Volunteer(preferred_name=name, status=VolunteerStatus.ACTIVE))
        s.add(Volunteer(preferred_name="Jo", last_name="Straße", status=VolunteerStatus.ACTIVE))
    return world


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("elodie", ["Élodie"]),
        ("ÉLODIE", ["Élodie"]),
        ("Elo", ["Élodie"]),
        ("sian", ["Siân"]),
        ("gwyn", ["Gŵyn"]),
        ("SEAN", ["Seán"]),
        ("ilkay", ["İlkay"]),
        ("strasse", ["Jo"]),
        ("STRASSE", ["Jo"]),
    ],
)
def test_the_volunteer_search_ignores_case_and_accents(
    searchable: World, typed: str, found: list[str]
) -> None:
    world = searchable
    with world.store.read() as s:
        rows = browse.volunteers_page(s, world.coordinator, PageQuery(text=typed))
        assert [r.preferred_name for r in rows] == found
        assert browse.count_volunteers(s, world.coordinator, typed) == len(found)


def test_wildcards_in_an_accented_search_are_still_taken_literally(searchable: World) -> None:
    with searchable.store.read() as s:
        assert browse.count_volunteers(s, searchable.coordinator, "%") == 0
        assert browse.count_volunteers(s, searchable.coordinator, "s_an") == 0


def test_the_course_list_filter_ignores_accents(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        add_course(s, world.coordinator, CourseInput("Élan training", validity_months=None))
        add_course(s, world.coordinator, CourseInput("First aid", validity_months=36))
    with world.store.read() as s:
        rows = browse.courses_page(s, world.coordinator, PageQuery(text="elan"))
    assert [r.name for r in rows] == ["Élan training"]
