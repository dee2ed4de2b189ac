"""Feedback and outcome measures: the measures library (with ONS4 and the group's peer questions
seeded), participants known by a code, their identity with consent, feedback responses and their
answers, and goals rated over time. New tables only: nothing the audit trail refers to is rebuilt.

Revision ID: 0013_outcomes
Revises: 0012_sealed_fields
Create Date: 2026-12-07
"""

import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from peerdesk import clock

revision = "0013_outcomes"
down_revision = "0012_sealed_fields"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


MODES = ("in_person", "phone", "online", "walk_and_talk")
EQUALITY = (
    ("age_band", 40),
    ("gender", 100),
    ("ethnicity", 100),
    ("disability", 100),
    ("sexual_orientation", 100),
    ("religion", 100),
    ("lived_experience", 100),
)


def upgrade() -> None:
    if "measures" in sa.inspect(op.get_bind()).get_table_names():
        return  # stepped back earlier with feedback kept (see downgrade): carry on with it
    _measures()
    _participants()
    _responses()
    _goals()
    _seed()


def _measures() -> None:
    op.create_table(
        "measures",
        *_stamps(),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", _enum("kind", "built_in", "imported", "group_set"), nullable=False),
        sa.Column("notice", sa.Text(), nullable=True),
        sa.Column("scale", sa.Text(), nullable=True),
        sa.Column("scoring", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("key", name=op.f("uq_measures_key")),
    )
    op.create_table(
        "measure_items",
        *_stamps(),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "answer_kind",
            _enum("answer_kind", "score_0_10", "choice", "text"),
            nullable=False,
        ),
        sa.Column("lower_is_better", sa.Boolean(), nullable=False),
        _fk("measure_items", "measure_id", "measures", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_items")),
        sa.UniqueConstraint("key", name=op.f("uq_measure_items_key")),
        sa.UniqueConstraint(
            "measure_id", "position", name=op.f("uq_measure_items_measure_id_position")
        ),
    )


def _participants() -> None:
    op.create_table(
        "participants",
        *_stamps(),
        sa.Column("code", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("code", name=op.f("uq_participants_code")),
    )
    op.create_table(
        "communities",
        *_stamps(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("kind", "name", name=op.f("uq_communities_kind_name")),
    )
    op.create_table(
        "participant_identities",
        *_stamps(),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_entered_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("consent_withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        *(sa.Column(name, sa.String(length), nullable=True) for name, length in EQUALITY),
        _fk("participant_identities", "participant_id", "participants", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["consent_entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_participant_identities_consent_entered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_identities")),
        sa.UniqueConstraint(
            "participant_id", name=op.f("uq_participant_identities_participant_id")
        ),
    )
    op.create_table(
        "participant_communities",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=False),
        _fk("participant_communities", "participant_id", "participants", "CASCADE"),
        _fk("participant_communities", "community_id", "communities", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "participant_id", "community_id", name=op.f("pk_participant_communities")
        ),
    )
    op.create_index(
        "ix_participant_communities_community_id", "participant_communities", ["community_id"]
    )


def _responses() -> None:
    op.create_table(
        "feedback_responses",
        *_stamps(),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("session_log_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("mode", _enum("mode", *MODES), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("entered_from", _enum("entered_from", "screen", "paper"), nullable=False),
        sa.Column("entered_by_user_id", sa.Uuid(), nullable=True),
        _fk("feedback_responses", "participant_id", "participants", "SET NULL"),
        _fk("feedback_responses", "session_log_id", "session_logs", "SET NULL"),
        _fk("feedback_responses", "activity_id", "activities"),
        _fk("feedback_responses", "venue_id", "venues"),
        sa.ForeignKeyConstraint(
            ["entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_feedback_responses_entered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_responses")),
    )
    op.create_index("ix_feedback_responses_answered_on", "feedback_responses", ["answered_on"])
    op.create_index(
        "ix_feedback_responses_participant_id", "feedback_responses", ["participant_id"]
    )
    op.create_index(
        "ix_feedback_responses_session_log_id", "feedback_responses", ["session_log_id"]
    )
    op.create_table(
        "feedback_answers",
        *_stamps(),
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(value IS NULL) <> (words IS NULL)", name=op.f("ck_feedback_answers_value_or_words")
        ),
        _fk("feedback_answers", "response_id", "feedback_responses", "CASCADE"),
        _fk("feedback_answers", "item_id", "measure_items", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
        sa.UniqueConstraint(
            "response_id", "item_id", name=op.f("uq_feedback_answers_response_id_item_id")
        ),
    )
    op.create_index("ix_feedback_answers_item_id", "feedback_answers", ["item_id"])


def _goals() -> None:
    op.create_table(
        "goals",
        *_stamps(),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("entered_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        _fk("goals", "participant_id", "participants", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_goals_entered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index("ix_goals_participant_id", "goals", ["participant_id"])
    op.create_table(
        "goal_ratings",
        *_stamps(),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 0 AND 10", name=op.f("ck_goal_ratings_rating_range")),
        _fk("goal_ratings", "goal_id", "goals", "CASCADE"),
        _fk("goal_ratings", "response_id", "feedback_responses", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_ratings")),
        sa.UniqueConstraint(
            "goal_id", "response_id", name=op.f("uq_goal_ratings_goal_id_response_id")
        ),
    )
    op.create_index("ix_goal_ratings_response_id", "goal_ratings", ["response_id"])


# The measures every group starts with. ONS4's wording is the Office for National Statistics'
# (Open Government Licence); each question is reported on its own, never summed.
ONS4_NOTICE = (
    "ONS personal wellbeing questions © Office for National Statistics, "
    "used under the Open Government Licence v3.0."
)
ONS4_ITEMS = (
    ("ons4.life_satisfaction", "Overall, how satisfied are you with your life nowadays?", False),
    (
        "ons4.worthwhile",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        False,
    ),
    ("ons4.happy", "Overall, how happy did you feel yesterday?", False),
    ("ons4.anxious", "Overall, how anxious did you feel yesterday?", True),
)
AGREEMENT = [
    [1, "Strongly disagree"],
    [2, "Disagree"],
    [3, "Neither agree nor disagree"],
    [4, "Agree"],
    [5, "Strongly agree"],
]
PEER_ITEMS = (
    ("peer.understood", "I felt understood", "choice"),
    ("peer.less_alone", "I felt less alone", "choice"),
    ("peer.come_again", "I'd come again", "choice"),
    ("peer.what_helped", "What helped?", "text"),
)


def _seed() -> None:
    # Stored as the models store UTC on SQLite: without the offset.
    now = clock.now().replace(tzinfo=None)
    stamps = {"created_at": now, "updated_at": now, "active": True}
    ons4, peer = uuid.uuid4(), uuid.uuid4()
    stamp_columns = (
        sa.column("id", sa.Uuid()),
        sa.column("created_at", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    measures = sa.table(
        "measures",
        *stamp_columns,
        sa.column("active", sa.Boolean()),
        *(sa.column(c, sa.Text()) for c in ("key", "name", "kind", "notice", "scale", "scoring")),
        sa.column("position", sa.Integer()),
    )
    items = sa.table(
        "measure_items",
        *(sa.column(c.name, c.type) for c in stamp_columns),
        sa.column("measure_id", sa.Uuid()),
        sa.column("position", sa.Integer()),
        *(sa.column(c, sa.Text()) for c in ("key", "text", "answer_kind")),
        sa.column("lower_is_better", sa.Boolean()),
    )
    op.bulk_insert(
        measures,
        [
            {
                **stamps,
                "id": ons4,
                "key": "ons4",
                "name": "ONS personal wellbeing (ONS4)",
                "kind": "built_in",
                "notice": ONS4_NOTICE,
                "scale": json.dumps([[0, "Not at all"], [10, "Completely"]]),
                "scoring": None,
                "position": 0,
            },
            {
                **stamps,
                "id": peer,
                "key": "peer",
                "name": "Our peer-support questions",
                "kind": "group_set",
                "notice": None,
                "scale": json.dumps(AGREEMENT),
                "scoring": None,
                "position": 1,
            },
        ],
    )
    rows = [
        _item(now, ons4, n, key, text, "score_0_10", lower)
        for n, (key, text, lower) in enumerate(ONS4_ITEMS)
    ]
    rows += [
        _item(now, peer, n, key, text, kind, False)
        for n, (key, text, kind) in enumerate(PEER_ITEMS)
    ]
    op.bulk_insert(items, rows)


def _item(
    now: datetime,
    measure: object,
    position: int,
    key: str,
    text: str,
    kind: str,
    lower: bool,
) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "created_at": now,
        "updated_at": now,
        "measure_id": measure,
        "position": position,
        "key": key,
        "text": text,
        "answer_kind": kind,
        "lower_is_better": lower,
    }


KEPT_IF_ANY = (
    "SELECT count(*) FROM feedback_responses",
    "SELECT count(*) FROM participants",
    "SELECT count(*) FROM communities",
    "SELECT count(*) FROM measures WHERE kind = 'imported'",
)


def downgrade() -> None:
    """Once anyone's feedback (or an imported measure) is stored nothing is dropped: stepping
    back must not lose what people told the group. An older peerdesk ignores the extra tables;
    upgrading again finds them and carries on."""
    bind = op.get_bind()
    if any(bind.execute(sa.text(query)).scalar() for query in KEPT_IF_ANY):
        return
    for index, table in (
        ("ix_goal_ratings_response_id", "goal_ratings"),
        ("ix_goals_participant_id", "goals"),
        ("ix_feedback_answers_item_id", "feedback_answers"),
        ("ix_feedback_responses_session_log_id", "feedback_responses"),
        ("ix_feedback_responses_participant_id", "feedback_responses"),
        ("ix_feedback_responses_answered_on", "feedback_responses"),
        ("ix_participant_communities_community_id", "participant_communities"),
    ):
        op.drop_index(index, table)
    for table in (
        "goal_ratings",
        "goals",
        "feedback_answers",
        "feedback_responses",
        "participant_communities",
        "participant_identities",
        "communities",
        "participants",
        "measure_items",
        "measures",
    ):
        op.drop_table(table)
