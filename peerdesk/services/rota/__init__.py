"""The rota: recurring shift patterns, shifts, who is on them, cover, eligibility and calendars.

Every function takes the open `Session` and the `Actor` it acts for and runs inside the caller's
`store.session(actor)` (writes, audited) or `store.read()` (reads); it returns the frozen values
in `shapes`, never live ORM objects, and raises a `PeerdeskError` with one plain sentence when the
input breaks a rule.

Patterns and shifts (`patterns`, `shifts`):
- `create_pattern(s, actor, PatternInput, today) -> (PatternInfo, Generated)` checks the RFC 5545
  rule (end before start, no occurrences, too many shifts) and generates its shifts;
  `edit_pattern(s, actor, pattern_id, PatternInput, today)` changes one and regenerates;
- `generate_shifts(s, actor, today, pattern_id=None) -> Generated` materialises every active
  pattern's occurrences for HORIZON_MONTHS ahead as UTC `Shift` rows, in the organisation's
  wall-clock time (a weekly 10:00 shift stays 10:00 across the clock changes); run again it
  changes nothing, and it never touches a shift someone is assigned to or a coordinator edited;
- `cancel_occurrence` / `move_occurrence` record a pattern exception and apply it;
- `list_patterns`, `end_pattern` (and `kept_after`: the staffed shifts an end left);
- `create_shift(s, actor, ShiftInput) -> ShiftDetail` (a one-off), `edit_shift(s, actor,
  shift_id, version, ShiftInput)` and `cancel_shift(s, actor, shift_id, version, reason)`: a
  stale `version` raises `StaleShift` (two coordinators never silently lose an update);
- `shift_detail(s, actor, shift_id)`, `shifts_between(s, actor, first_day, last_day, venue_id=,
  activity_id=, volunteer_id=)` (a shift across midnight is on both days: `ShiftDetail.days`).

People on shifts (`assignments`, `cover`, `availability`):
- coordinators: `assign(..., override=False)`, `unassign`, `record_attendance` (after the shift),
  `confirm_cover`;
- volunteers, for themselves: `sign_up`, `accept_offer`, `decline`, `cant_make_it` (raises a
  cover request), `offer_cover` (for a request they are eligible to take);
- `open_cover_requests(s, actor, now)`: all for coordinators, those a volunteer could take for
  them; `my_shifts(s, actor, first_day, last_day)`;
- `availability`, `set_usual_availability(..., expected=)` (`StaleAvailability` if the times
  changed since `expected` was read), `add_absence(..., today=)` (refuses time away that
  overlaps another or is all over already), `remove_absence` (coordinators, and the volunteer
  themself).

Venues and activities (`places`): `list_venues`, `list_activities` (everyone who sees the rota);
`create_venue`, `change_venue` (name, address), `create_activity`, `change_activity` (name,
kind), `set_venue_active` / `set_activity_active` (retire, bring back; never deleted, as shifts
and session logs point at them) for coordinators; `venue_in_use` / `activity_in_use` count the
shifts to come and the patterns still using one. Names are trimmed, unique ignoring case and
accents, and at most 200 characters.

Eligibility (`eligibility`): `check_eligibility` gives every `Concern` (double-booked, away, not
active, missing a role the shift needs, mandatory training expired, no DBS check or its recheck
overdue), each marked blocking or warning by the organisation's `rota_policy` (`set_rota_policy`
changes it).
Assigning someone with a blocking concern raises `NotEligible` naming it; with only warnings it
raises `NeedsOverride` unless `override=True`, and the override is audited.
`suggest_volunteers` ranks the clear and available, fairest (fewest recent shifts) first.

Elsewhere in the package: `checks` (each eligibility reason, for many people and shifts at once),
`rules` (reading and expanding RRULEs), `generate` (patterns into shifts), `leavers`
(`release_future_shifts`, called when a volunteer leaves), `today` (`rota_attention`, the Today
page's provider) and `ics` (`rota_ics`, `export_ics`). The printable rota is
`peerdesk.reports.rota_pdf.export_rota_pdf`; the commands are in `peerdesk.cli.rota`.

Who may do what: everyone signed in sees the rota (names and roles on shifts, never contact
details); only coordinators change patterns, shifts, assignments of others and policy.
"""

from peerdesk.services.rota.assignments import (
    accept_offer,
    assign,
    decline,
    my_shifts,
    record_attendance,
    sign_up,
    unassign,
)
from peerdesk.services.rota.availability import (
    StaleAvailability,
    add_absence,
    availability,
    remove_absence,
    set_usual_availability,
)
from peerdesk.services.rota.common import NeedsOverride, NotEligible, StaleShift
from peerdesk.services.rota.cover import (
    cant_make_it,
    confirm_cover,
    offer_cover,
    open_cover_requests,
)
from peerdesk.services.rota.eligibility import (
    RotaPolicy,
    check_eligibility,
    rota_policy,
    set_rota_policy,
    suggest_volunteers,
)
from peerdesk.services.rota.patterns import (
    HORIZON_MONTHS,
    MAX_SHIFTS_PER_PATTERN,
    cancel_occurrence,
    create_pattern,
    edit_pattern,
    end_pattern,
    generate_shifts,
    keep_rota_ahead,
    kept_after,
    list_patterns,
    move_occurrence,
)
from peerdesk.services.rota.places import (
    ActivityInfo,
    InUse,
    VenueInfo,
    activity_in_use,
    change_activity,
    change_venue,
    create_activity,
    create_venue,
    list_activities,
    list_venues,
    set_activity_active,
    set_venue_active,
    venue_in_use,
)
from peerdesk.services.rota.shapes import (
    AbsenceInfo,
    Availability,
    Concern,
    CoverRequest,
    Eligibility,
    Generated,
    OnShift,
    PatternInfo,
    PatternInput,
    Reason,
    ReleasedShift,
    ShiftDetail,
    ShiftInput,
    Suggestion,
    UsualSlot,
)
from peerdesk.services.rota.shifts import (
    cancel_shift,
    create_shift,
    edit_shift,
    shift_detail,
    shifts_between,
)

__all__ = [
    "HORIZON_MONTHS",
    "MAX_SHIFTS_PER_PATTERN",
    "AbsenceInfo",
    "ActivityInfo",
    "Availability",
    "Concern",
    "CoverRequest",
    "Eligibility",
    "Generated",
    "InUse",
    "NeedsOverride",
    "NotEligible",
    "OnShift",
    "PatternInfo",
    "PatternInput",
    "Reason",
    "ReleasedShift",
    "RotaPolicy",
    "ShiftDetail",
    "ShiftInput",
    "StaleAvailability",
    "StaleShift",
    "Suggestion",
    "UsualSlot",
    "VenueInfo",
    "accept_offer",
    "activity_in_use",
    "add_absence",
    "assign",
    "availability",
    "cancel_occurrence",
    "cancel_shift",
    "cant_make_it",
    "change_activity",
    "change_venue",
    "check_eligibility",
    "confirm_cover",
    "create_activity",
    "create_pattern",
    "create_shift",
    "create_venue",
    "decline",
    "edit_pattern",
    "edit_shift",
    "end_pattern",
    "generate_shifts",
    "keep_rota_ahead",
    "kept_after",
    "list_activities",
    "list_patterns",
    "list_venues",
    "move_occurrence",
    "my_shifts",
    "offer_cover",
    "open_cover_requests",
    "record_attendance",
    "remove_absence",
    "rota_policy",
    "set_activity_active",
    "set_rota_policy",
    "set_usual_availability",
    "set_venue_active",
    "shift_detail",
    "shifts_between",
    "sign_up",
    "suggest_volunteers",
    "unassign",
    "venue_in_use",
]
