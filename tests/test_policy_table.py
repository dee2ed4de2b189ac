"""Who may do what, written out in full: every named permission and every relational rule for
each role. A change to `peerdesk/services/permissions.py` that gives or takes an act from a role
fails here until the table below says so too (and a new permission fails until it has a row)."""

import uuid
from collections.abc import Callable

import pytest

from peerdesk.models import UserRole
from peerdesk.services.permissions import (
    ROLE_PERMISSIONS,
    Actor,
    Permission,
    PermissionDenied,
    can,
    may_act_on_rota_for,
    may_amend_supervision,
    may_export_record,
    may_log_sessions_for,
    may_read_confidential_note,
    may_read_feedback_words,
    may_record_feedback_for,
    may_see_concern,
    may_see_contact_details,
    may_see_equality,
    may_see_session_notes,
    may_see_wellbeing_words,
    needs_volunteer_record,
    require,
    role_can,
    roles_with,
    starts_at_logging,
)

ROLES = (UserRole.COORDINATOR, UserRole.SUPERVISOR, UserRole.VOLUNTEER, UserRole.TRUSTEE)

# permission              coordinator supervisor volunteer trustee
PERMISSIONS = """
VIEW_VOLUNTEER_LIST       yes  yes  yes  -
EDIT_VOLUNTEERS           yes  -    -    -
VIEW_VOLUNTEER_NOTES      yes  -    -    -
VIEW_CONTACT_DETAILS      yes  -    -    -
VIEW_EQUALITY             yes  -    -    -
EXPORT_RECORDS            yes  -    -    -
VIEW_ROTA                 yes  yes  yes  yes
VIEW_ROTA_NAMES           yes  yes  yes  -
EDIT_ROTA                 yes  -    -    -
VIEW_SESSION_LOGS         yes  yes  yes  -
VIEW_ALL_RECORDS          yes  -    -    -
LOG_SESSIONS              yes  yes  yes  -
LOG_SESSIONS_FOR_OTHERS   yes  -    -    -
CORRECT_SESSION_LOGS      yes  -    -    -
WATCH_LONE_WORKING        yes  -    -    -
VIEW_SUPERVISION          yes  yes  yes  -
LEAD_SUPERVISION          yes  yes  -    -
OVERSEE_SUPERVISION       yes  -    -    -
VIEW_TRAINING             yes  yes  yes  -
VIEW_CATALOGUE            yes  yes  yes  yes
KEEP_TRAINING             yes  -    -    -
VIEW_COMPLIANCE           yes  yes  -    -
KEEP_DBS                  yes  -    -    -
VIEW_REPORTS              yes  yes  yes  yes
VIEW_FIGURES              yes  -    -    yes
EXPORT_REPORTS            yes  -    -    yes
WRITE_NARRATIVE           yes  -    -    -
SIGN_OFF_REPORTS          -    -    -    yes
VIEW_SAFEGUARDING         yes  -    -    -
ACT_ON_CONCERNS           yes  -    -    -
MANAGE_USERS              yes  -    -    -
VIEW_AUDIT                yes  -    -    -
MANAGE_DATA               yes  -    -    -
USE_PIN                   -    -    yes  -
RECORD_FEEDBACK           yes  yes  yes  -
MANAGE_MEASURES           yes  -    -    -
"""

ME, OTHER = uuid.uuid4(), uuid.uuid4()  # volunteer records: the actor's own, and someone else's
MY_ACCOUNT, OTHER_ACCOUNT = uuid.uuid4(), uuid.uuid4()


def actor(role: UserRole) -> Actor:
    """Each role's account linked to a volunteer record of its own, so "their own" is testable
    for every role (a coordinator or supervisor is usually a volunteer too)."""
    return Actor(MY_ACCOUNT, role.value, role.value.title(), role, ME)


Rule = Callable[[Actor], bool]
# rule and whose record it is      coordinator supervisor volunteer trustee
RULES: dict[str, tuple[Rule, str]] = {
    "contact details, own": (lambda a: may_see_contact_details(a, ME), "yes yes yes yes"),
    "contact details, other's": (lambda a: may_see_contact_details(a, OTHER), "yes - - -"),
    "equality answers, own": (lambda a: may_see_equality(a, ME), "yes yes yes yes"),
    "equality answers, other's": (lambda a: may_see_equality(a, OTHER), "yes - - -"),
    "export a record, own": (lambda a: may_export_record(a, ME), "yes yes yes yes"),
    "export a record, other's": (lambda a: may_export_record(a, OTHER), "yes - - -"),
    "log sessions for, self": (lambda a: may_log_sessions_for(a, ME), "yes yes yes -"),
    "log sessions for, other": (lambda a: may_log_sessions_for(a, OTHER), "yes - - -"),
    "feedback, own session": (lambda a: may_record_feedback_for(a, ME), "yes yes yes -"),
    "feedback, other's session": (lambda a: may_record_feedback_for(a, OTHER), "yes - - -"),
    "feedback, no session log": (lambda a: may_record_feedback_for(a, None), "yes yes yes -"),
    "feedback words, entered": (
        lambda a: may_read_feedback_words(a, MY_ACCOUNT),
        "yes yes yes yes",
    ),
    "feedback words, other's": (
        lambda a: may_read_feedback_words(a, OTHER_ACCOUNT),
        "yes - - -",
    ),
    "session notes, own log": (lambda a: may_see_session_notes(a, ME), "yes yes yes yes"),
    "session notes, other's log": (lambda a: may_see_session_notes(a, OTHER), "yes - - -"),
    "rota place, own": (lambda a: may_act_on_rota_for(a, ME), "yes yes yes yes"),
    "rota place, other's": (lambda a: may_act_on_rota_for(a, OTHER), "yes - - -"),
    "concern, raised by own account": (
        lambda a: may_see_concern(a, MY_ACCOUNT, None),
        "yes yes yes yes",
    ),
    "concern, raised by own record": (lambda a: may_see_concern(a, None, ME), "yes yes yes yes"),
    "concern, raised by other": (lambda a: may_see_concern(a, OTHER_ACCOUNT, OTHER), "yes - - -"),
    "amend supervision, led": (lambda a: may_amend_supervision(a, MY_ACCOUNT), "yes yes yes yes"),
    "amend supervision, other's": (lambda a: may_amend_supervision(a, OTHER_ACCOUNT), "yes - - -"),
    "wellbeing words, own": (
        lambda a: may_see_wellbeing_words(a, ME, OTHER_ACCOUNT),
        "yes yes yes yes",
    ),
    "wellbeing words, heard": (
        lambda a: may_see_wellbeing_words(a, OTHER, MY_ACCOUNT),
        "yes yes yes yes",
    ),
    "wellbeing words, other's": (
        lambda a: may_see_wellbeing_words(a, OTHER, OTHER_ACCOUNT),
        "yes - - -",
    ),
    "confidential note, written": (
        lambda a: may_read_confidential_note(a, MY_ACCOUNT),
        "yes yes yes yes",
    ),
    "confidential note, other's": (
        lambda a: may_read_confidential_note(a, OTHER_ACCOUNT),
        "yes - - -",
    ),
    "needs a volunteer record": (lambda a: needs_volunteer_record(a.role), "- - yes -"),
    "window opens at logging": (starts_at_logging, "- - yes -"),
}


def _cells(row: str) -> list[bool]:
    marks = row.split()
    assert len(marks) == len(ROLES) and set(marks) <= {"yes", "-"}, row
    return [m == "yes" for m in marks]


def _permission_cases() -> list[tuple[Permission, UserRole, bool]]:
    cases = []
    for line in PERMISSIONS.strip().splitlines():
        name, _, marks = line.partition(" ")
        cases += [(Permission[name], r, c) for r, c in zip(ROLES, _cells(marks), strict=True)]
    return cases


@pytest.mark.parametrize(("permission", "role", "expected"), _permission_cases())
def test_permission_table(permission: Permission, role: UserRole, expected: bool) -> None:
    assert can(actor(role), permission) is expected
    assert role_can(role, permission) is expected
    assert (role in roles_with(permission)) is expected


def test_the_table_has_one_row_for_each_permission() -> None:
    names = [line.split()[0] for line in PERMISSIONS.strip().splitlines()]
    assert sorted(names) == sorted(p.name for p in Permission)
    assert set(ROLE_PERMISSIONS) == set(UserRole)


@pytest.mark.parametrize(
    ("rule", "role", "expected"),
    [
        (name, role, cell)
        for name, (_, marks) in RULES.items()
        for role, cell in zip(ROLES, _cells(marks), strict=True)
    ],
)
def test_relational_rules(rule: str, role: UserRole, expected: bool) -> None:
    decide, _ = RULES[rule]
    assert decide(actor(role)) is expected


def test_an_account_with_no_volunteer_record_has_nothing_of_its_own() -> None:
    """A trustee (or a coordinator) without a volunteer record: "own" must not match a missing
    record by both being empty."""
    for role in ROLES:
        bare = Actor(MY_ACCOUNT, "bare", "Bare", role, None)
        expected = role is UserRole.COORDINATOR
        assert may_see_contact_details(bare, OTHER) is expected
        assert may_see_concern(bare, OTHER_ACCOUNT, None) is expected


def test_a_refusal_says_who_can() -> None:
    with pytest.raises(PermissionDenied, match=r"^Your account \(volunteer\) cannot record "):
        require(actor(UserRole.VOLUNTEER), Permission.KEEP_DBS)
    with pytest.raises(PermissionDenied, match=r"cannot sign off a report\. Only a trustee can\.$"):
        require(actor(UserRole.COORDINATOR), Permission.SIGN_OFF_REPORTS)
    require(actor(UserRole.TRUSTEE), Permission.SIGN_OFF_REPORTS)
