"""Initial schema: the whole domain of DESIGN.md section 2.

Revision ID: 0001_initial
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "one_to_one",
                "group",
                "phone_online",
                "walk_and_talk",
                name="kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("name", name=op.f("uq_activities_name")),
    )
    op.create_table(
        "courses",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("validity_months", sa.Integer(), nullable=True),
        sa.Column("renewal_window_days", sa.Integer(), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("grace_days >= 0", name=op.f("ck_courses_grace_not_negative")),
        sa.CheckConstraint(
            "renewal_window_days >= 0", name=op.f("ck_courses_renewal_window_not_negative")
        ),
        sa.CheckConstraint(
            "validity_months IS NULL OR validity_months > 0",
            name=op.f("ck_courses_validity_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("name", name=op.f("uq_courses_name")),
    )
    op.create_table(
        "organisations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("charity_number", sa.String(length=40), nullable=True),
        sa.Column("company_number", sa.String(length=40), nullable=True),
        sa.Column("host_organisation", sa.String(length=200), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("dbs_recheck_months", sa.Integer(), nullable=False),
        sa.Column("suppression_threshold", sa.Integer(), nullable=False),
        sa.Column("idle_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("first_supervision_weeks", sa.Integer(), nullable=False),
        sa.Column("lone_working_margin_minutes", sa.Integer(), nullable=False),
        sa.Column("volunteers_may_use_pin", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "dbs_recheck_months > 0", name=op.f("ck_organisations_dbs_recheck_positive")
        ),
        sa.CheckConstraint(
            "first_supervision_weeks > 0", name=op.f("ck_organisations_first_supervision_positive")
        ),
        sa.CheckConstraint(
            "idle_lock_minutes BETWEEN 1 AND 120", name=op.f("ck_organisations_idle_lock_range")
        ),
        sa.CheckConstraint(
            "lone_working_margin_minutes >= 0", name=op.f("ck_organisations_lone_working_margin")
        ),
        sa.CheckConstraint(
            "retention_months >= 12", name=op.f("ck_organisations_retention_at_least_a_year")
        ),
        sa.CheckConstraint(
            "suppression_threshold IN (5, 10)", name=op.f("ck_organisations_suppression_threshold")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "roles",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("supervision_every_weeks", sa.Integer(), nullable=True),
        sa.Column("group_supervision_counts", sa.Boolean(), nullable=False),
        sa.Column("needs_dbs", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "supervision_every_weeks IS NULL OR supervision_every_weeks > 0",
            name=op.f("ck_roles_supervision_cadence_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "venues",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
        sa.UniqueConstraint("name", name=op.f("uq_venues_name")),
    )
    op.create_table(
        "volunteers",
        sa.Column("preferred_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("pronouns", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("emergency_contact_name", sa.String(length=200), nullable=True),
        sa.Column("emergency_contact_phone", sa.String(length=40), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "applicant",
                "induction",
                "probation",
                "active",
                "paused",
                "left",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("leaving_reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR started_on IS NULL OR left_on >= started_on",
            name=op.f("ck_volunteers_left_after_start"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteers")),
    )
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteers_last_name"), ["last_name"], unique=False)
        batch_op.create_index(
            "ix_volunteers_status_name", ["status", "preferred_name"], unique=False
        )

    op.create_table(
        "absences",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_absences_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_absences_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
        sa.UniqueConstraint(
            "volunteer_id", "starts_on", name=op.f("uq_absences_volunteer_id_starts_on")
        ),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_absences_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "course_requirements",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_requirements_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_course_requirements_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", "role_id", name=op.f("pk_course_requirements")),
    )
    op.create_table(
        "dbs_checks",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "basic",
                "standard",
                "enhanced",
                "enhanced_barred",
                name="level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("certificate_number", sa.String(length=20), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("update_service", sa.Boolean(), nullable=False),
        sa.Column("update_service_checked_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_dbs_checks_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dbs_checks")),
    )
    with op.batch_alter_table("dbs_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dbs_checks_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "equality_monitoring",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.Column("gender", sa.String(length=100), nullable=True),
        sa.Column("ethnicity", sa.String(length=100), nullable=True),
        sa.Column("disability", sa.String(length=100), nullable=True),
        sa.Column("sexual_orientation", sa.String(length=100), nullable=True),
        sa.Column("religion", sa.String(length=100), nullable=True),
        sa.Column("lived_experience", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_equality_monitoring_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_monitoring")),
        sa.UniqueConstraint("volunteer_id", name=op.f("uq_equality_monitoring_volunteer_id")),
    )
    op.create_table(
        "funders",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_funders_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funders")),
    )
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funders_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "reporting_periods",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on > starts_on", name=op.f("ck_reporting_periods_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reporting_periods_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_periods")),
    )
    with op.batch_alter_table("reporting_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_periods_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "shift_patterns",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("rrule", sa.String(length=500), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("local_start", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("min_volunteers", sa.Integer(), nullable=False),
        sa.Column("max_volunteers", sa.Integer(), nullable=False),
        sa.Column("lone_working", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_minutes > 0", name=op.f("ck_shift_patterns_duration_positive")
        ),
        sa.CheckConstraint(
            "max_volunteers >= min_volunteers", name=op.f("ck_shift_patterns_max_at_least_min")
        ),
        sa.CheckConstraint(
            "min_volunteers >= 0", name=op.f("ck_shift_patterns_min_volunteers_not_negative")
        ),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= first_on",
            name=op.f("ck_shift_patterns_until_after_first"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_shift_patterns_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_shift_patterns_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_patterns")),
    )
    with op.batch_alter_table("shift_patterns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shift_patterns_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shift_patterns_venue_id"), ["venue_id"], unique=False)

    op.create_table(
        "training_completions",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_training_completions_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_training_completions_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completions")),
    )
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_completions_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            "ix_training_completions_volunteer_course",
            ["volunteer_id", "course_id", "completed_on"],
            unique=False,
        )

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "coordinator",
                "supervisor",
                "volunteer",
                "trustee",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("volunteer_id", sa.Uuid(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("uses_pin", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "failed_attempts >= 0", name=op.f("ck_users_failed_attempts_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_users_volunteer_id_volunteers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        sa.UniqueConstraint("volunteer_id", name=op.f("uq_users_volunteer_id")),
    )
    op.create_table(
        "usual_availability",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_usual_availability_ends_after_start")
        ),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_usual_availability_weekday_range")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_usual_availability_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usual_availability")),
    )
    with op.batch_alter_table("usual_availability", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_usual_availability_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "volunteer_roles",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_volunteer_roles_role_id_roles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_volunteer_roles_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("volunteer_id", "role_id", name=op.f("pk_volunteer_roles")),
    )
    with op.batch_alter_table("volunteer_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_roles_role_id"), ["role_id"], unique=False)

    op.create_table(
        "volunteer_status_changes",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applicant",
                "induction",
                "probation",
                "active",
                "paused",
                "left",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_volunteer_status_changes_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_status_changes")),
    )
    with op.batch_alter_table("volunteer_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_status_changes_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=60), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_audit_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_events_user_occurred", ["user_id", "occurred_at"], unique=False
        )

    op.create_table(
        "pattern_exceptions",
        sa.Column("pattern_id", sa.Uuid(), nullable=False),
        sa.Column("occurrence_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("cancelled", "moved", name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("moved_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moved_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind = 'cancelled' OR (moved_starts_at IS NOT NULL AND moved_ends_at > moved_starts_at)",
            name=op.f("ck_pattern_exceptions_moved_has_times"),
        ),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["shift_patterns.id"],
            name=op.f("fk_pattern_exceptions_pattern_id_shift_patterns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_exceptions")),
        sa.UniqueConstraint(
            "pattern_id",
            "occurrence_on",
            name=op.f("uq_pattern_exceptions_pattern_id_occurrence_on"),
        ),
    )
    op.create_table(
        "pattern_required_roles",
        sa.Column("pattern_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["shift_patterns.id"],
            name=op.f("fk_pattern_required_roles_pattern_id_shift_patterns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_pattern_required_roles_role_id_roles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("pattern_id", "role_id", name=op.f("pk_pattern_required_roles")),
    )
    op.create_table(
        "report_exports",
        sa.Column("report_code", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "governance",
                "rota",
                "volunteer_record",
                name="kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("figures_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_report_exports_period_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["exported_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_exports_exported_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_exports")),
        sa.UniqueConstraint("report_code", name=op.f("uq_report_exports_report_code")),
    )
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_exports_file_sha256"), ["file_sha256"], unique=False
        )
        batch_op.create_index(
            "ix_report_exports_kind_period", ["kind", "period_start", "period_end"], unique=False
        )

    op.create_table(
        "shifts",
        sa.Column("pattern_id", sa.Uuid(), nullable=True),
        sa.Column("occurrence_on", sa.Date(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_volunteers", sa.Integer(), nullable=False),
        sa.Column("max_volunteers", sa.Integer(), nullable=False),
        sa.Column("lone_working", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "cancelled", name="status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_shifts_ends_after_start")),
        sa.CheckConstraint(
            "max_volunteers >= min_volunteers", name=op.f("ck_shift_patterns_max_at_least_min")
        ),
        sa.CheckConstraint(
            "min_volunteers >= 0", name=op.f("ck_shift_patterns_min_volunteers_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name=op.f("fk_shifts_activity_id_activities")
        ),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["shift_patterns.id"],
            name=op.f("fk_shifts_pattern_id_shift_patterns"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_shifts_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint(
            "pattern_id", "occurrence_on", name=op.f("uq_shifts_pattern_id_occurrence_on")
        ),
    )
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shifts_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shifts_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index("ix_shifts_venue_starts", ["venue_id", "starts_at"], unique=False)

    op.create_table(
        "supervision_pairings",
        sa.Column("supervisor_user_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("since_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= since_on",
            name=op.f("ck_supervision_pairings_until_after_since"),
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_user_id"],
            ["users.id"],
            name=op.f("fk_supervision_pairings_supervisor_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_supervision_pairings_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_pairings")),
        sa.UniqueConstraint(
            "supervisor_user_id",
            "volunteer_id",
            "since_on",
            name=op.f("uq_supervision_pairings_supervisor_user_id_volunteer_id_since_on"),
        ),
    )
    with op.batch_alter_table("supervision_pairings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_pairings_supervisor_user_id"),
            ["supervisor_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_supervision_pairings_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "supervision_sessions",
        sa.Column(
            "kind",
            sa.Enum("one_to_one", "group", name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("supervisor_user_id", sa.Uuid(), nullable=False),
        sa.Column("shared_summary", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_minutes > 0", name=op.f("ck_supervision_sessions_duration_positive")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_user_id"],
            ["users.id"],
            name=op.f("fk_supervision_sessions_supervisor_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_sessions")),
    )
    with op.batch_alter_table("supervision_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_sessions_held_on"), ["held_on"], unique=False
        )
        batch_op.create_index(
            "ix_supervision_sessions_supervisor_held",
            ["supervisor_user_id", "held_on"],
            unique=False,
        )

    op.create_table(
        "assignments",
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "confirmed",
                "declined",
                "cover_requested",
                "attended",
                "no_show",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_assignments_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_assignments_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "shift_id", "volunteer_id", name=op.f("uq_assignments_shift_id_volunteer_id")
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assignments_volunteer_status", ["volunteer_id", "status"], unique=False
        )

    op.create_table(
        "report_sign_offs",
        sa.Column("report_export_id", sa.Uuid(), nullable=False),
        sa.Column("signed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_export_id"],
            ["report_exports.id"],
            name=op.f("fk_report_sign_offs_report_export_id_report_exports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_sign_offs_signed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_sign_offs")),
    )
    with op.batch_alter_table("report_sign_offs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_sign_offs_report_export_id"), ["report_export_id"], unique=False
        )

    op.create_table(
        "session_logs",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column(
            "mode",
            sa.Enum(
                "in_person",
                "phone",
                "online",
                "walk_and_talk",
                name="mode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("new_attendees", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("debrief_requested", sa.Boolean(), nullable=False),
        sa.Column("safeguarding_flag", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attendees >= 0", name=op.f("ck_session_logs_attendees_not_negative")),
        sa.CheckConstraint("ended_at > started_at", name=op.f("ck_session_logs_ends_after_start")),
        sa.CheckConstraint(
            "new_attendees BETWEEN 0 AND attendees",
            name=op.f("ck_session_logs_new_within_attendees"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name=op.f("fk_session_logs_activity_id_activities")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_session_logs_shift_id_shifts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_session_logs_venue_id_venues")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_session_logs_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
    )
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_logs_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_session_logs_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_session_logs_started_at"), ["started_at"], unique=False
        )
        batch_op.create_index(
            "ix_session_logs_volunteer_started", ["volunteer_id", "started_at"], unique=False
        )

    op.create_table(
        "shift_required_roles",
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_shift_required_roles_role_id_roles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_shift_required_roles_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shift_id", "role_id", name=op.f("pk_shift_required_roles")),
    )
    op.create_table(
        "supervision_actions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open", "done", "dropped", name="status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "done_on IS NULL OR status != 'open'", name=op.f("ck_supervision_actions_done_not_open")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["supervision_sessions.id"],
            name=op.f("fk_supervision_actions_session_id_supervision_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_supervision_actions_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_actions")),
    )
    with op.batch_alter_table("supervision_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_actions_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            "ix_supervision_actions_volunteer_status", ["volunteer_id", "status"], unique=False
        )

    op.create_table(
        "supervision_attendees",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("wellbeing_check", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["supervision_sessions.id"],
            name=op.f("fk_supervision_attendees_session_id_supervision_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_supervision_attendees_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_attendees")),
        sa.UniqueConstraint(
            "session_id",
            "volunteer_id",
            name=op.f("uq_supervision_attendees_session_id_volunteer_id"),
        ),
    )
    with op.batch_alter_table("supervision_attendees", schema=None) as batch_op:
        batch_op.create_index(
            "ix_supervision_attendees_volunteer", ["volunteer_id", "attended"], unique=False
        )

    op.create_table(
        "supervision_notes",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("author_user_id", sa.Uuid(), nullable=False),
        sa.Column("about_volunteer_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["about_volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_supervision_notes_about_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["users.id"], name=op.f("fk_supervision_notes_author_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["supervision_sessions.id"],
            name=op.f("fk_supervision_notes_session_id_supervision_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notes")),
    )
    with op.batch_alter_table("supervision_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_notes_author_user_id"), ["author_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervision_notes_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "lone_working_checks",
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "checked_out_at IS NULL OR checked_out_at >= checked_in_at",
            name=op.f("ck_lone_working_checks_out_after_in"),
        ),
        sa.CheckConstraint(
            "expected_end_at > checked_in_at",
            name=op.f("ck_lone_working_checks_expected_after_check_in"),
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_lone_working_checks_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lone_working_checks")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_lone_working_checks_assignment_id")),
    )
    op.create_table(
        "safeguarding_concerns",
        sa.Column("raised_by_volunteer_id", sa.Uuid(), nullable=True),
        sa.Column("raised_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("session_log_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "risk_to_self",
                "risk_to_others",
                "abuse_or_neglect",
                "lone_working_incident",
                "near_miss",
                "other",
                name="category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "escalated",
                "referred",
                "closed",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "closed_at IS NULL OR status = 'closed'",
            name=op.f("ck_safeguarding_concerns_closed_has_status"),
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_user_id"],
            ["users.id"],
            name=op.f("fk_safeguarding_concerns_raised_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_safeguarding_concerns_raised_by_volunteer_id_volunteers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_safeguarding_concerns_session_log_id_session_logs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_concerns")),
    )
    with op.batch_alter_table("safeguarding_concerns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concerns_raised_by_volunteer_id"),
            ["raised_by_volunteer_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_safeguarding_concerns_status_occurred", ["status", "occurred_at"], unique=False
        )

    op.create_table(
        "session_co_volunteers",
        sa.Column("session_log_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_session_co_volunteers_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_session_co_volunteers_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "session_log_id", "volunteer_id", name=op.f("pk_session_co_volunteers")
        ),
    )
    with op.batch_alter_table("session_co_volunteers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_co_volunteers_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "concern_actions",
        sa.Column("concern_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_user_id", sa.Uuid(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safeguarding_concerns.id"],
            name=op.f("fk_concern_actions_concern_id_safeguarding_concerns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_concern_actions_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_actions")),
    )
    with op.batch_alter_table("concern_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concern_actions_concern_id"), ["concern_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column(
            "kind",
            sa.Enum("debrief", "concern", name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("session_log_id", sa.Uuid(), nullable=True),
        sa.Column("concern_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_session_id", sa.Uuid(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'debrief' AND session_log_id IS NOT NULL) OR (kind = 'concern' AND concern_id IS NOT NULL)",
            name=op.f("ck_follow_ups_has_source"),
        ),
        sa.CheckConstraint(
            "closed_at IS NULL OR status = 'closed'", name=op.f("ck_follow_ups_closed_has_status")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_user_id"],
            ["users.id"],
            name=op.f("fk_follow_ups_assigned_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_session_id"],
            ["supervision_sessions.id"],
            name=op.f("fk_follow_ups_closed_by_session_id_supervision_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safeguarding_concerns.id"],
            name=op.f("fk_follow_ups_concern_id_safeguarding_concerns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_follow_ups_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_follow_ups_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_ups_assignee_status", ["assigned_user_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_follow_ups_volunteer_id"), ["volunteer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_volunteer_id"))
        batch_op.drop_index("ix_follow_ups_assignee_status")

    op.drop_table("follow_ups")
    with op.batch_alter_table("concern_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_actions_concern_id"))

    op.drop_table("concern_actions")
    with op.batch_alter_table("session_co_volunteers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_co_volunteers_volunteer_id"))

    op.drop_table("session_co_volunteers")
    with op.batch_alter_table("safeguarding_concerns", schema=None) as batch_op:
        batch_op.drop_index("ix_safeguarding_concerns_status_occurred")
        batch_op.drop_index(batch_op.f("ix_safeguarding_concerns_raised_by_volunteer_id"))

    op.drop_table("safeguarding_concerns")
    op.drop_table("lone_working_checks")
    with op.batch_alter_table("supervision_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_notes_session_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_notes_author_user_id"))

    op.drop_table("supervision_notes")
    with op.batch_alter_table("supervision_attendees", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_attendees_volunteer")

    op.drop_table("supervision_attendees")
    with op.batch_alter_table("supervision_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_actions_volunteer_status")
        batch_op.drop_index(batch_op.f("ix_supervision_actions_session_id"))

    op.drop_table("supervision_actions")
    op.drop_table("shift_required_roles")
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_session_logs_volunteer_started")
        batch_op.drop_index(batch_op.f("ix_session_logs_started_at"))
        batch_op.drop_index(batch_op.f("ix_session_logs_shift_id"))
        batch_op.drop_index(batch_op.f("ix_session_logs_activity_id"))

    op.drop_table("session_logs")
    with op.batch_alter_table("report_sign_offs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_sign_offs_report_export_id"))

    op.drop_table("report_sign_offs")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_volunteer_status")

    op.drop_table("assignments")
    with op.batch_alter_table("supervision_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_sessions_supervisor_held")
        batch_op.drop_index(batch_op.f("ix_supervision_sessions_held_on"))

    op.drop_table("supervision_sessions")
    with op.batch_alter_table("supervision_pairings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_pairings_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_pairings_supervisor_user_id"))

    op.drop_table("supervision_pairings")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index("ix_shifts_venue_starts")
        batch_op.drop_index(batch_op.f("ix_shifts_starts_at"))
        batch_op.drop_index(batch_op.f("ix_shifts_activity_id"))

    op.drop_table("shifts")
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_report_exports_kind_period")
        batch_op.drop_index(batch_op.f("ix_report_exports_file_sha256"))

    op.drop_table("report_exports")
    op.drop_table("pattern_required_roles")
    op.drop_table("pattern_exceptions")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_user_occurred")
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index("ix_audit_events_entity")

    op.drop_table("audit_events")
    with op.batch_alter_table("volunteer_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_status_changes_volunteer_id"))

    op.drop_table("volunteer_status_changes")
    with op.batch_alter_table("volunteer_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_roles_role_id"))

    op.drop_table("volunteer_roles")
    with op.batch_alter_table("usual_availability", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usual_availability_volunteer_id"))

    op.drop_table("usual_availability")
    op.drop_table("users")
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_completions_volunteer_course")
        batch_op.drop_index(batch_op.f("ix_training_completions_course_id"))

    op.drop_table("training_completions")
    with op.batch_alter_table("shift_patterns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_patterns_venue_id"))
        batch_op.drop_index(batch_op.f("ix_shift_patterns_activity_id"))

    op.drop_table("shift_patterns")
    with op.batch_alter_table("reporting_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_periods_organisation_id"))

    op.drop_table("reporting_periods")
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funders_organisation_id"))

    op.drop_table("funders")
    op.drop_table("equality_monitoring")
    with op.batch_alter_table("dbs_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dbs_checks_volunteer_id"))

    op.drop_table("dbs_checks")
    op.drop_table("course_requirements")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_volunteer_id"))

    op.drop_table("absences")
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteers_status_name")
        batch_op.drop_index(batch_op.f("ix_volunteers_last_name"))

    op.drop_table("volunteers")
    op.drop_table("venues")
    op.drop_table("roles")
    op.drop_table("organisations")
    op.drop_table("courses")
    op.drop_table("activities")
