"""The audit trail's vocabulary: what each kind of record is called, how a record of that kind
is named, and each field as the words people use ("phone number", not "phone").

Every audited table and every one of its fields has words here; a test walks the models so a new
table or field without words fails. Anything not found falls back to plain generic words, never
to a table or column name.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of record as the trail speaks of it."""

    noun: str  # "course", "DBS check"
    name: str | None = None  # the column that names one record ("name"), looked up by id
    owner: str | None = None  # the column holding the volunteer the record is about
    owner_part: int | None = None  # or: which part of a two-part id is that volunteer
    person: bool = False  # named as a person ("Sam's phone number"), not "the course First aid"
    confidential: bool = False  # say only "a confidential supervision note": no fields, no names

    @property
    def a(self) -> str:
        return f"{'an' if self.noun[:1].lower() in 'aeiou' else 'a'} {self.noun}"


GENERIC = Kind("record")

KINDS: dict[str, Kind] = {
    "absences": Kind("absence", owner="volunteer_id"),
    "activities": Kind("activity", name="name"),
    "assignments": Kind("place on a shift", owner="volunteer_id"),
    "concern_actions": Kind("action on a safeguarding concern", confidential=True),
    "courses": Kind("course", name="name"),
    "group_keys": Kind("coordinators' key", confidential=True),
    "group_key_grants": Kind("coordinator's copy of the coordinators' key", confidential=True),
    "dbs_checks": Kind("DBS check", owner="volunteer_id"),
    "equality_monitoring": Kind("equality monitoring answers", owner="volunteer_id"),
    "follow_ups": Kind("follow-up", owner="volunteer_id"),
    "funders": Kind("funder", name="name"),
    "lone_working_checks": Kind("lone-working check"),
    "organisations": Kind("organisation", name="name"),
    "pattern_exceptions": Kind("change to one date of a repeating shift"),
    "public_releases": Kind("published table of figures"),
    "report_exports": Kind("report export"),
    "report_sign_offs": Kind("report sign-off"),
    "report_signing_keys": Kind("organisation's report-signing key"),
    "reporting_periods": Kind("reporting period", name="name"),
    "roles": Kind("role", name="name"),
    "rota_policies": Kind("rota rule"),
    "safeguarding_concerns": Kind("safeguarding concern", confidential=True),
    "session_co_volunteers": Kind("co-volunteer on a session log", owner_part=1),
    "session_logs": Kind("session log", owner="volunteer_id"),
    "shift_patterns": Kind("repeating shift", name="title"),
    "shifts": Kind("shift"),
    "supervision_actions": Kind("supervision action", owner="volunteer_id"),
    "supervision_attendees": Kind("place in a supervision session", owner="volunteer_id"),
    "supervision_notes": Kind("confidential supervision note", confidential=True),
    "supervision_pairings": Kind("supervisor pairing", owner="volunteer_id"),
    "supervision_sessions": Kind("supervision session"),
    "training_completions": Kind("training record", owner="volunteer_id"),
    "users": Kind("account", name="display_name", person=True),
    "usual_availability": Kind("usual availability", owner="volunteer_id"),
    "venues": Kind("venue", name="name"),
    "volunteer_roles": Kind("role", owner_part=0),
    "volunteer_status_changes": Kind("status change", owner="volunteer_id"),
    "volunteers": Kind("volunteer", name="preferred_name", person=True),
    # feedback and outcome measures
    "measures": Kind("outcome measure", name="name"),
    "measure_items": Kind("question of an outcome measure", name="key"),
    "participants": Kind("participant's code", name="code"),
    "communities": Kind("community", name="name"),
    "participant_identities": Kind("participant's identity answers"),
    "participant_communities": Kind("participant's community"),
    "feedback_responses": Kind("feedback form"),
    "feedback_answers": Kind("answer on a feedback form"),
    "goals": Kind("participant's goal"),
    "goal_ratings": Kind("rating of a participant's goal"),
}

# The same field name means the same thing in every table unless a table says otherwise.
FIELDS: dict[str, str] = {
    "active": "in-use setting",
    "activity_id": "activity",
    "address": "address",
    "assignment_id": "shift place",
    "attended": "attendance",
    "attendees": "number of people",
    "blocks": "effect on the rota",
    "category": "category",
    "changed_on": "date of the change",
    "charity_number": "charity number",
    "checked_in_at": "check-in time",
    "checked_out_at": "check-out time",
    "closed_at": "date closed",
    "closed_by_session_id": "session that closed it",
    "closing_note": "closing note",
    "escrowed_key": "coordinators' copy of the personal key",
    "group_key_id": "coordinators' key",
    "group_name": "group",
    "public_key": "public key",
    "retired_at": "when the key was replaced",
    "sealed_private_key": "sealed key",
    "comment": "comment",
    "company_number": "company number",
    "concern_id": "safeguarding concern",
    "course_id": "course",
    "completed_on": "completion date",
    "covering_id": "shift place being covered",
    "dbs_recheck_months": "DBS recheck interval",
    "debrief_requested": "request to talk afterwards",
    "description": "description",
    "display_name": "name",
    "done_on": "date done",
    "due_on": "due date",
    "duration_minutes": "length",
    "email": "email address",
    "emergency_contact_name": "emergency contact's name",
    "emergency_contact_phone": "emergency contact's phone number",
    "ended_at": "end time",
    "ends_at": "end",
    "ends_on": "last day",
    "escalated_at": "date escalated",
    "expected_end_at": "expected end",
    "exported_at": "export time",
    "exported_by_user_id": "person who exported it",
    "figures_sha256": "fingerprint of the figures",
    "file_sha256": "fingerprint of the file",
    "fingerprint": "key fingerprint",
    "first_name": "first name",
    "first_on": "first date",
    "first_supervision_weeks": "weeks before first supervision",
    "grace_days": "days of grace",
    "group_supervision_counts": "group supervision setting",
    "held_on": "date",
    "host_organisation": "host organisation",
    "id": "record",
    "idle_lock_minutes": "minutes before the screen locks",
    "issued_on": "certificate date",
    "kind": "kind",
    "last_name": "last name",
    "left_on": "leaving date",
    "level": "level",
    "local_start": "start time",
    "lone_working": "lone working",
    "lone_working_margin_minutes": "lone-working margin",
    "max_volunteers": "most volunteers",
    "min_volunteers": "fewest volunteers",
    "mode": "way it was delivered",
    "must_change_secret": "first password still to be changed",
    "moved_ends_at": "moved end",
    "moved_starts_at": "moved start",
    "name": "name",
    "narrative": "narrative",
    "needs_dbs": "DBS requirement",
    "new_attendees": "number of new people",
    "note": "note",
    "notes": "notes",
    "occurred_at": "date it happened",
    "occurrence_on": "date",
    "organisation_id": "organisation",
    "owner": "person doing it",
    "owner_name": "person doing it",
    "owner_user_id": "person doing it",
    "pattern_id": "repeating shift",
    "period_end": "end of the period",
    "period_start": "start of the period",
    "phone": "phone number",
    "preferred_name": "preferred name",
    "pronouns": "pronouns",
    "provider": "provider",
    "raised_by_user_id": "person who raised it",
    "raised_by_volunteer_id": "volunteer who raised it",
    "reason": "reason",
    "referred_at": "date referred",
    "renewal_window_days": "renewal window",
    "report_code": "report code",
    "financial_year_start_month": "month the financial year starts",
    "volunteer_hour_pence": "value of an hour of volunteer time",
    "funded_by": "funder or project",
    "table_key": "table",
    "cells": "published counts",
    "report_export_id": "report",
    "responded_at": "reply time",
    "retention_months": "retention period",
    "role": "role",
    "role_id": "role",
    "rrule": "repeat",
    "safeguarding_flag": "safeguarding flag",
    "session_id": "supervision session",
    "session_log_id": "session log",
    "shared_summary": "shared summary",
    "shift_id": "shift",
    "signed_by_user_id": "person who signed",
    "signed_on": "date signed",
    "signer_name": "signer's name",
    "since": "start date",
    "since_on": "start date",
    "started_at": "start time",
    "started_on": "start date",
    "starts_at": "start",
    "starts_on": "first day",
    "status": "status",
    "supervision_every_weeks": "supervision interval",
    "supervisor_user_id": "supervisor",
    "suppression_threshold": "smallest count shown in reports",
    "timezone": "time zone",
    "title": "title",
    "until_on": "end date",
    "update_service": "Update Service",
    "update_service_checked_on": "date the Update Service was checked",
    "username": "user name",
    "uses_pin": "PIN setting",
    "validity_months": "validity",
    "venue_id": "venue",
    "volunteer_id": "volunteer",
    "volunteers_may_use_pin": "PIN setting for volunteers",
    "weekday": "day of the week",
    "wellbeing_check": "wellbeing check",
    # volunteers
    "anonymised_at": "date their details were erased",
    "leaving_reason": "reason for leaving",
    # equality monitoring (confidential: the trail says only that they changed)
    "age_band": "age band",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "sexual_orientation": "sexual orientation",
    "religion": "religion",
    "lived_experience": "lived experience",
    # supervision notes and concerns
    "about_volunteer_id": "volunteer it is about",
    "author_user_id": "author",
    "body": "note",
    "what_happened": "what happened",
    "action_taken": "action taken",
    "assigned_user_id": "person it is with",
    "certificate_number": "certificate number",
    "certificate_pem": "public key certificate",
    # feedback and outcome measures
    "key": "short name",
    "notice": "licence notice",
    "scale": "answer scale",
    "scoring": "scoring table",
    "position": "place in the order",
    "measure_id": "outcome measure",
    "text": "wording",
    "answer_kind": "kind of answer",
    "lower_is_better": "lower-is-better setting",
    "code": "participant's code",
    "participant_id": "participant",
    "community_id": "community",
    "consent_given_at": "when consent was given",
    "consent_entered_by_user_id": "person who recorded the consent",
    "consent_withdrawn_at": "when consent was withdrawn",
    "held_at": "session time",
    "answered_on": "date answered",
    "entered_from": "paper or screen",
    "entered_by_user_id": "person who entered it",
    "response_id": "feedback form",
    "item_id": "question",
    "value": "answer",
    "words": "answer in their own words",
    "wording": "goal in their own words",
    "set_on": "date set",
    "ended_on": "date ended",
    "goal_id": "goal",
    "rating": "rating",
    # many-to-many links (a volunteer's roles)
    "roles": "roles",
}

# Fields of one table that mean something more particular there.
TABLE_FIELDS: dict[tuple[str, str], str] = {
    ("group_key_grants", "user_id"): "holder",
    ("shifts", "starts_at"): "start time",
    ("shifts", "ends_at"): "end time",
    ("usual_availability", "starts_at"): "from time",
    ("usual_availability", "ends_at"): "to time",
    ("absences", "starts_on"): "first day away",
    ("absences", "ends_on"): "last day away",
    ("organisations", "name"): "name",
    ("shift_patterns", "until_on"): "last date",
    ("supervision_pairings", "until_on"): "end date",
    ("follow_ups", "closed_at"): "date closed",
}

SOME_DETAILS = "a detail"

# Exports, by what the event says was exported.
EXPORTS: dict[str, str] = {
    "volunteers": "the volunteer list",
    "training": "the training records",
    "session logs": "session logs",
    "rota_ics": "the rota as a calendar file",
    "rota_pdf": "the rota to print",
}

# Each action as a choice in the page's filter ("Added", "Signed in").
ACTION_WORDS: dict[str, str] = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "link": "Gave a role",
    "unlink": "Took a role away",
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "sign_in_failed": "Wrong password before signing in",
    "password_changed": "Changed own password",
    "password_reset": "Reset a password",
    "unlock_account": "Unlocked an account",
    "recovered": "Used the recovery key",
    "backup": "Made a backup",
    "restore": "Restored a backup",
    "rekey": "Changed the data file's key",
    "full_check": "Checked the whole data file",
    "rota_override": "Put someone on a shift despite a warning",
    "export": "Exported",
    "generate_shifts": "Updated the rota from repeating shifts",
    "view": "Opened a safeguarding record",
    "import volunteers": "Imported volunteers",
    "import training": "Imported training",
    "erase_from_trail": "Erased a person's details",
    "seal_in_trail": "Erased sealed values from earlier events",
}


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action) or action.replace("_", " ").capitalize()


def kind_words(table: str) -> str:
    """A kind of record as a filter choice ("DBS check"); "Other records" for one without
    words."""
    noun = KINDS[table].noun if table in KINDS else "other records"
    return noun[:1].upper() + noun[1:]


def field_words(table: str, field: str) -> str:
    """One field as words; "a detail" for a field nobody has given words yet."""
    return TABLE_FIELDS.get((table, field)) or FIELDS.get(field) or SOME_DETAILS


def kind_of(table: str | None) -> Kind:
    return KINDS.get(table or "", GENERIC)
