"""Names people type lose the invisible bidirectional controls that would make them display as
something else (a right-to-left override turns "Sam<RLO>fdp.exe" into "Samexe.pdf")."""

from datetime import time

import pytest
from sqlalchemy import select

from peerdesk import clock
from peerdesk.errors import ValidationError
from peerdesk.models import ActivityKind, Course, Organisation, Role, ShiftPattern, Venue, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.names import BIDI_CONTROLS, clean_name
from peerdesk.services.organisation import check_name, create_organisation
from peerdesk.services.roles import RoleInput, create_role
from peerdesk.services.rota.patterns import create_pattern
from peerdesk.services.rota.places import create_activity, create_venue
from peerdesk.services.rota.shapes import PatternInput
from peerdesk.services.training import CourseInput, add_course
from peerdesk.services.volunteers.records import VolunteerInput, create_volunteer

RLO, PDF, RLI, PDI, LRM, ALM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200e", "\u061c"


def test_every_bidi_control_is_taken_out_and_right_to_left_letters_stay() -> None:
    assert clean_name(f" Sam{RLO}fdp.exe{PDF} ") == "Samfdp.exe"
    assert clean_name("".join(sorted(BIDI_CONTROLS))) == ""
    assert len(BIDI_CONTROLS) == 12
    assert clean_name(f"{RLI}نور{PDI} {LRM}Ali{ALM}") == "نور Ali"


def test_volunteers_roles_and_venues_are_stored_without_them(coordinator: SignedIn) -> None:
    actor = coordinator.actor
    with coordinator.store.session(actor) as s:
        create_role(s, actor, RoleInput(name=f"Peer{RLO} supporter", description=""))
        create_venue(s, actor, f"{RLI}Riverside{PDI} Centre")
        create_volunteer(
            s, actor, VolunteerInput(preferred_name=f"Sam{RLO}fdp", first_name=f"{LRM}Sam")
        )
    with coordinator.store.read() as s:
        names = [*s.query(Role.name), *s.query(Venue.name)]
        people = s.query(Volunteer.preferred_name, Volunteer.first_name).one()
    assert sorted(n for (n,) in names) == ["Peer supporter", "Riverside Centre"]
    assert tuple(people) == ("Samfdp", "Sam")


def test_courses_patterns_and_the_organisation_are_stored_without_them(
    coordinator: SignedIn,
) -> None:
    actor, today = coordinator.actor, clock.today()
    with coordinator.store.session(actor) as s:
        create_organisation(s, f"River{RLO}side{PDF} Peer Support")
        add_course(s, actor, CourseInput(name=f"{RLI}Safe{PDI}guarding", validity_months=None))
        activity = create_activity(s, actor, "Drop-in", ActivityKind.GROUP)
        create_pattern(s, actor, PatternInput(title=f"Tues{LRM}day {ALM}drop-in",
            activity_id=activity.id, rrule="FREQ=WEEKLY", first_on=today,
            local_start=time(18), duration_minutes=90), today)  # fmt: skip
    with coordinator.store.read() as s:
        assert s.scalars(select(Organisation.name)).one() == "Riverside Peer Support"
        assert s.scalars(select(Course.name)).one() == "Safeguarding"
        assert s.scalars(select(ShiftPattern.title)).one() == "Tuesday drop-in"


def test_an_organisation_name_of_only_controls_is_refused() -> None:
    with pytest.raises(ValidationError, match="Give the organisation a name"):
        check_name(f"{RLO}{PDF}")
