"""Keys by role (docs/keys.md): confidential text is sealed to the people allowed to read it.

The attacker's view: a volunteer, a supervisor and a trustee each open the database with only
their own password and `peerdesk.db` (unwrap their slot, open SQLCipher, SELECT), and find
nothing confidential of anyone else's in clear, while peerdesk signed in as them still shows
what they may see.
"""

import contextlib
import shutil
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from nacl.exceptions import CryptoError
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db import cipher
from peerdesk.db.keyring import keyring_of, open_value
from peerdesk.db.keyslots import KeyFile
from peerdesk.db.paths import DataFolder
from peerdesk.db.sealing import Keyring, is_sealed, open_bytes
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.errors import StoreError
from peerdesk.models import (
    Activity,
    ActivityKind,
    AuditEvent,
    ConcernCategory,
    DBSLevel,
    Organisation,
    SafeguardingConcern,
    SessionLog,
    SessionMode,
    SupervisionKind,
    SupervisionNote,
    SupervisionPairing,
    User,
    UserRole,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services import accounts, browse, dbs, setup
from peerdesk.services import safeguarding as sg
from peerdesk.services.auth import SignedIn, actor_for, recover, sign_in, sign_out
from peerdesk.services.reporting.people import equality_section
from peerdesk.services.sessions.editing import session_log_detail
from peerdesk.services.supervision.reading import session_detail
from peerdesk.services.supervision.recording import AttendeeInput, SessionInput, record_session
from peerdesk.services.volunteers.equality import EqualityAnswers, save_equality_monitoring
from peerdesk.services.volunteers.records import (
    VolunteerInput,
    update_volunteer,
    volunteer_record,
)
from peerdesk.services.volunteers.records import create_volunteer as create
from tests.conftest import TEST_SECRET, TEST_USER

# About the file (opening the file's copy with one role's keys): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only

SECRET = "a long passphrase"
WHAT = "Concern-text-kestrel-31"
FIRST_ACTION = "First-action-badger-8"
NOTE = "Supervision-note-lynx-56"
CONFIDENTIAL = (WHAT, FIRST_ACTION, NOTE)


def person(signed_in: SignedIn, name: str, role: UserRole) -> uuid.UUID:
    """A volunteer record with an account of its own (a real keyslot, password SECRET)."""
    with signed_in.store.session(signed_in.actor) as s:
        volunteer = Volunteer(preferred_name=name.title(), status=VolunteerStatus.ACTIVE)
        s.add(volunteer)
        s.flush()
        volunteer_id = volunteer.id
    accounts.add_user(
        signed_in.store, signed_in.actor, name, name.title(), role, SECRET, volunteer_id
    )
    return volunteer_id


def actor_named(signed_in: SignedIn, name: str) -> object:
    with signed_in.store.read() as s:
        return actor_for(s.scalars(select(User).where(User.username == name)).one())


@pytest.fixture
def sealed_group(coordinator: SignedIn) -> tuple[DataFolder, uuid.UUID, uuid.UUID]:
    """Vic (a volunteer) raised a concern; Sam (Vic's supervisor) wrote a note in a 1:1; Tess
    is a trustee. Returns the folder, the concern and the supervision session."""
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
    vic = person(coordinator, "vic", UserRole.VOLUNTEER)
    person(coordinator, "sam", UserRole.SUPERVISOR)
    accounts.add_user(
        coordinator.store, coordinator.actor, "tess", "Tess", UserRole.TRUSTEE, SECRET
    )
    vic_actor, sam_actor = actor_named(coordinator, "vic"), actor_named(coordinator, "sam")
    now = clock.now()
    with coordinator.store.session(sam_actor) as s:
        s.add(SupervisionPairing(supervisor_user_id=sam_actor.user_id, volunteer_id=vic,  # type: ignore[attr-defined]
                                 since_on=now.date() - timedelta(days=30)))  # fmt: skip
    concern_data = sg.ConcernInput(
        ConcernCategory.RISK_TO_SELF, now - timedelta(hours=1), WHAT, FIRST_ACTION
    )
    with coordinator.store.session(vic_actor) as s:
        concern = sg.raise_concern(s, vic_actor, concern_data, now)  # type: ignore[arg-type]
    held_data = SessionInput(SupervisionKind.ONE_TO_ONE, now.date(), 50, (AttendeeInput(vic),),
                             confidential_note=NOTE)  # fmt: skip
    with coordinator.store.session(sam_actor) as s:
        held = record_session(s, sam_actor, held_data)  # type: ignore[arg-type]
    folder = coordinator.store.folder
    sign_out(coordinator)
    return folder, concern, held


def raw_values(folder: DataFolder, username: str, secret: str) -> list[str]:
    """Every confidential column as someone holding only `secret` and a copy of the folder
    reads it: no peerdesk code above `db/`."""
    keyfile = KeyFile.load(folder.keys_file)
    master, _personal = keyfile.open_slot_keys(username, secret)
    conn = cipher.connect(folder.db_file, keyfile.data_key(master))
    try:
        rows = conn.execute(
            "SELECT what_happened FROM safeguarding_concerns UNION ALL "
            "SELECT action_taken FROM safeguarding_concerns UNION ALL "
            "SELECT description FROM concern_actions UNION ALL "
            "SELECT body FROM supervision_notes"
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows if r[0] is not None]


@pytest.mark.parametrize("username", ["vic", "sam", "tess"])
def test_an_own_password_and_a_copy_of_the_folder_show_nothing_confidential(
    sealed_group: tuple[DataFolder, uuid.UUID, uuid.UUID], username: str
) -> None:
    folder, _concern, _held = sealed_group
    values = raw_values(folder, username, SECRET)
    assert values and all(is_sealed(v) for v in values)
    assert not any(word in v for v in values for word in CONFIDENTIAL)


def test_each_person_reads_only_what_is_sealed_to_them(
    sealed_group: tuple[DataFolder, uuid.UUID, uuid.UUID],
) -> None:
    folder, _concern, _held = sealed_group
    readable: dict[str, set[str]] = {}
    for username, secret in (
        ("vic", SECRET),
        ("sam", SECRET),
        ("tess", SECRET),
        (TEST_USER, TEST_SECRET),
    ):
        me = sign_in(folder, username, secret)
        with me.store.read() as s:
            keyring = keyring_of(s)
            values = [*s.scalars(select(SafeguardingConcern.what_happened)),
                      *s.scalars(select(SupervisionNote.body))]  # fmt: skip
            readable[username] = {keyring.open(v) or "" for v in values} & set(CONFIDENTIAL)
        sign_out(me)
    assert readable == {"vic": {WHAT}, "sam": {NOTE}, "tess": set(), TEST_USER: {WHAT, NOTE}}


def test_the_app_still_shows_each_role_what_it_may_see(
    sealed_group: tuple[DataFolder, uuid.UUID, uuid.UUID],
) -> None:
    folder, concern, held = sealed_group
    vic = sign_in(folder, "vic", SECRET)
    with vic.store.session(vic.actor) as s:
        seen = sg.concern_detail(s, vic.actor, concern)
    assert (seen.what_happened, seen.action_taken) == (WHAT, FIRST_ACTION)
    sign_out(vic)
    sam = sign_in(folder, "sam", SECRET)
    with sam.store.session(sam.actor) as s:
        assert [n.body for n in session_detail(s, sam.actor, held).notes] == [NOTE]
    sign_out(sam)
    coordinator = sign_in(folder, TEST_USER, TEST_SECRET)
    with coordinator.store.session(coordinator.actor) as s:
        assert sg.concern_detail(s, coordinator.actor, concern).what_happened == WHAT
        assert [n.body for n in session_detail(s, coordinator.actor, held).notes] == [NOTE]
    sign_out(coordinator)


def test_text_from_before_keys_by_role_is_sealed_at_the_first_coordinators_sign_in(
    store: Store,
) -> None:
    """An upgraded folder: accounts without personal keys, no group key, text in clear."""
    from peerdesk.services.setup import ensure_account

    actor = ensure_account(store, TEST_USER, "Coord", UserRole.COORDINATOR, TEST_SECRET)
    with store.session(actor) as s:
        s.add(Organisation(name="Riverside"))
        s.add(SafeguardingConcern(occurred_at=clock.now(), category=ConcernCategory.OTHER,
                                  what_happened=WHAT, raised_by_user_id=actor.user_id))  # fmt: skip
    folder = store.folder
    store.close(backup=False)
    assert raw_values(folder, TEST_USER, TEST_SECRET) == [WHAT]
    coordinator = sign_in(folder, TEST_USER, TEST_SECRET)
    sign_out(coordinator)
    (sealed,) = raw_values(folder, TEST_USER, TEST_SECRET)
    assert is_sealed(sealed) and WHAT not in sealed
    coordinator = sign_in(folder, TEST_USER, TEST_SECRET)
    with coordinator.store.read() as s:
        assert open_value(s, s.scalars(select(SafeguardingConcern.what_happened)).one()) == WHAT
    sign_out(coordinator)


def test_a_slot_from_before_keys_by_role_gets_a_personal_key_at_sign_in(vault: Vault) -> None:
    folder = vault.folder
    vault.set_secret("older", SECRET)  # no personal key, as every slot was before
    assert not KeyFile.load(folder.keys_file).slots["older"].personal
    unlocked = Vault.unlock(folder, "older", SECRET)[0]
    assert unlocked.personal is not None
    again = Vault.unlock(folder, "older", SECRET)[0]
    assert again.personal == unlocked.personal


def test_a_removed_coordinator_with_an_old_copy_of_the_folder_opens_nothing_current(
    sealed_group: tuple[DataFolder, uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    folder, concern, held = sealed_group
    coordinator = sign_in(folder, TEST_USER, TEST_SECRET)
    accounts.add_user(
        coordinator.store, coordinator.actor, "cora", "Cora", UserRole.COORDINATOR, SECRET
    )
    sign_out(coordinator)
    cora = sign_in(folder, "cora", SECRET)  # she reads everything while a coordinator
    with cora.store.read() as s:
        assert WHAT in {
            open_value(s, v) for v in s.scalars(select(SafeguardingConcern.what_happened))
        }
    sign_out(cora)
    old_copy = tmp_path / "old"
    shutil.copytree(folder.root, old_copy)
    old_personal = KeyFile.load(old_copy / folder.keys_file.name).open_slot_keys("cora", SECRET)[1]

    coordinator = sign_in(folder, TEST_USER, TEST_SECRET)
    accounts.remove(coordinator.store, coordinator.actor, "cora")
    made = setup.change_data_key(coordinator, new_keys=True)
    sign_out(coordinator)
    assert made is not None and not made.dropped

    # Her old keys file and password: the old data key opens no current database ...
    old_keys = KeyFile.load(old_copy / folder.keys_file.name)
    old_master = old_keys.open_slot_keys("cora", SECRET)[0]
    with pytest.raises(cipher.sqlcipher().DatabaseError, match="not a database"):
        conn = cipher.connect(folder.db_file, old_keys.data_key(old_master))
        conn.execute("SELECT count(*) FROM users").fetchall()
    # ... nor does her old master key open the current keys file's data key ...
    with pytest.raises(StoreError):
        KeyFile.load(folder.keys_file).data_key(old_master)
    # ... and even inside the database, her old group key opens none of the current values.
    old_group = Keyring(None, None)
    conn = cipher.connect(old_copy / folder.db_file.name, old_keys.data_key(old_master))
    for key_id, sealed in conn.execute(
        "SELECT group_key_id, sealed_private_key FROM group_key_grants"
    ).fetchall():
        with contextlib.suppress(CryptoError):  # the grants to the other coordinator
            old_group.groups[uuid.UUID(key_id)] = open_bytes(sealed, old_personal or b"")
    conn.close()
    assert old_group.groups
    current = raw_values(folder, TEST_USER, TEST_SECRET)
    assert current and all(old_group.open(v) is None for v in current)

    # Everyone else carries on, and the new recovery key works.
    for username, secret in (("vic", SECRET), (TEST_USER, TEST_SECRET)):
        me = sign_in(folder, username, secret)
        with me.store.session(me.actor) as s:
            assert sg.concern_detail(s, me.actor, concern).what_happened == WHAT
        sign_out(me)
    sign_out(recover(folder, made.recovery_key, TEST_USER, "a brand new passphrase"))
    me = sign_in(folder, TEST_USER, "a brand new passphrase")
    with me.store.session(me.actor) as s:
        assert [n.body for n in session_detail(s, me.actor, held).notes] == [NOTE]
    sign_out(me)


def test_the_group_key_goes_to_the_roles_the_policy_lets_see_every_confidential_record() -> None:
    from peerdesk.db.keyring import GROUP_KEY_ROLES
    from peerdesk.services.permissions import Permission, roles_with

    assert set(GROUP_KEY_ROLES) == set(roles_with(Permission.VIEW_SAFEGUARDING))
    assert set(GROUP_KEY_ROLES) == set(roles_with(Permission.OVERSEE_SUPERVISION))


# The values about one volunteer: wellbeing words, session-log notes, DBS certificate numbers,
# contact details and equality answers -----------------------------------------------------
ADDRESS = "12-Heron-Row"
CONTACT = "Kin-Otter-4"
CONTACT_PHONE = "07700 900461"
NUMBER = "001234567890"
GENDER = "Gender-wren-5"
LOG_NOTE = "Log-note-vole-17"
WELLBEING = "Wellbeing-hare-22"
COORDINATORS_NOTE = "Coordinators-note-stoat-3"
EMAIL = "vic.heron@example.org"
PHONE = "07700 900358"
PERSONAL = (ADDRESS, CONTACT, CONTACT_PHONE, NUMBER, GENDER, LOG_NOTE, WELLBEING, COORDINATORS_NOTE,
            EMAIL, PHONE)  # fmt: skip
PERSONAL_COLUMNS = (
    ("volunteers", "address"),
    ("volunteers", "emergency_contact_name"),
    ("volunteers", "emergency_contact_phone"),
    ("dbs_checks", "certificate_number"),
    ("equality_monitoring", "gender"),
    ("session_logs", "notes"),
    ("supervision_attendees", "wellbeing_check"),
    ("volunteers", "notes"),
    ("volunteers", "email"),
    ("volunteers", "phone"),
)


@dataclass(frozen=True)
class PersonalGroup:
    folder: DataFolder
    vic: uuid.UUID
    log: uuid.UUID
    held: uuid.UUID


@pytest.fixture
def personal_group(coordinator: SignedIn) -> PersonalGroup:
    """Vic's contact details, DBS number, equality answers and a session log are recorded
    before Vic, Tess (a trustee) or Wes (another volunteer) has an account; then Sam, Vic's
    supervisor, hears Vic's wellbeing words in a 1:1."""
    me, today = coordinator.actor, clock.today()
    with coordinator.store.session(me) as s:
        s.add(Organisation(name="Riverside"))
        activity = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(activity)
        s.flush()
        activity_id = activity.id
    vic = create_volunteer(coordinator, VolunteerInput("Vic", email=EMAIL, phone=PHONE,
        address=ADDRESS, emergency_contact_name=CONTACT, emergency_contact_phone=CONTACT_PHONE,
        notes=COORDINATORS_NOTE))  # fmt: skip
    start = clock.now() - timedelta(days=2)
    with coordinator.store.session(me) as s:
        dbs.record_dbs_check(
            s, me, vic, DBSLevel.ENHANCED, NUMBER, today - timedelta(days=9), today
        )
        save_equality_monitoring(s, me, vic, EqualityAnswers(gender=GENDER))
        log = SessionLog(volunteer_id=vic, activity_id=activity_id, mode=SessionMode.IN_PERSON,
                         started_at=start, ended_at=start + timedelta(hours=1),
                         notes=LOG_NOTE)  # fmt: skip
        s.add(log)
        s.flush()
        log_id = log.id
    accounts.add_user(coordinator.store, me, "vic", "Vic", UserRole.VOLUNTEER, SECRET, vic)
    person(coordinator, "sam", UserRole.SUPERVISOR)
    person(coordinator, "wes", UserRole.VOLUNTEER)
    accounts.add_user(coordinator.store, me, "tess", "Tess", UserRole.TRUSTEE, SECRET)
    sam = actor_named(coordinator, "sam")
    with coordinator.store.session(sam) as s:
        s.add(SupervisionPairing(supervisor_user_id=sam.user_id, volunteer_id=vic,  # type: ignore[attr-defined]
                                 since_on=today - timedelta(days=30)))  # fmt: skip
        held = record_session(s, sam, SessionInput(SupervisionKind.ONE_TO_ONE, today, 50,  # type: ignore[arg-type]
                              (AttendeeInput(vic, wellbeing_check=WELLBEING),)))  # fmt: skip
    folder = coordinator.store.folder
    sign_out(coordinator)
    return PersonalGroup(folder, vic, log_id, held)


def create_volunteer(signed_in: SignedIn, data: VolunteerInput) -> uuid.UUID:
    with signed_in.store.session(signed_in.actor) as s:
        return create(s, signed_in.actor, data, clock.today()).id


def attackers_view(folder: DataFolder, username: str, secret: str) -> tuple[list[str], set[str]]:
    """With only `secret`, a copy of the folder and `peerdesk.db`: every personal value as
    stored, and the texts the person's own keys (personal, and any group grant) open."""
    keyfile = KeyFile.load(folder.keys_file)
    master, personal = keyfile.open_slot_keys(username, secret)
    conn = cipher.connect(folder.db_file, keyfile.data_key(master))
    try:
        (user_id,) = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
        keyring = Keyring(uuid.UUID(user_id), personal)
        for key_id, sealed in conn.execute(
            "SELECT group_key_id, sealed_private_key FROM group_key_grants WHERE user_id = ?",
            (user_id,),
        ).fetchall():
            with contextlib.suppress(CryptoError):
                keyring.groups[uuid.UUID(key_id)] = open_bytes(sealed, personal or b"")
        stored = [
            value
            for table, column in PERSONAL_COLUMNS
            for (value,) in conn.execute(f"SELECT {column} FROM {table}").fetchall()
            if value is not None
        ]
    finally:
        conn.close()
    return stored, {keyring.open(v) or "" for v in stored} & set(PERSONAL)


@pytest.mark.parametrize(
    ("username", "may_read"),
    [
        ("vic", set(PERSONAL) - {COORDINATORS_NOTE}),
        ("sam", {WELLBEING}),
        ("tess", {GENDER}),
        ("wes", set()),
    ],
)
def test_own_keys_open_only_the_personal_values_each_may_see(
    personal_group: PersonalGroup, username: str, may_read: set[str]
) -> None:
    stored, opened = attackers_view(personal_group.folder, username, SECRET)
    assert len(stored) == len(PERSONAL) and all(is_sealed(v) for v in stored)
    assert not any(word in v for v in stored for word in PERSONAL)
    assert opened == may_read


def test_the_app_still_shows_each_role_the_personal_values_it_showed(
    personal_group: PersonalGroup,
) -> None:
    g, today = personal_group, clock.today()
    for username, secret in (("vic", SECRET), (TEST_USER, TEST_SECRET)):
        me = sign_in(g.folder, username, secret)
        with me.store.read() as s:
            record = volunteer_record(s, me.actor, g.vic)
            assert (record.address, record.emergency_contact_name) == (ADDRESS, CONTACT)
            assert record.emergency_contact_phone == CONTACT_PHONE
            assert (record.email, record.phone) == (EMAIL, PHONE)
            (listed,) = [r for r in browse.volunteers_page(s, me.actor) if r.id == g.vic]
            assert (listed.email, listed.phone) == (EMAIL, PHONE)
            assert record.notes == (COORDINATORS_NOTE if username == TEST_USER else None)
            assert record.equality is not None and record.equality.gender == GENDER
            shown = dbs.volunteer_dbs(s, me.actor, g.vic, today).checks[0].certificate_number
            assert shown == (NUMBER if username == TEST_USER else "•••• 7890")
            assert session_log_detail(s, me.actor, g.log).notes == LOG_NOTE
            (came,) = session_detail(s, me.actor, g.held).attendees
            assert came.wellbeing_check == WELLBEING
        sign_out(me)
    sam = sign_in(g.folder, "sam", SECRET)
    with sam.store.read() as s:
        (came,) = session_detail(s, sam.actor, g.held).attendees
        assert came.wellbeing_check == WELLBEING
        # A supervisor was shown the last four digits; the number is sealed to coordinators
        # and the person, so now only that one is recorded.
        assert dbs.volunteer_dbs(s, sam.actor, g.vic, today).checks[0].certificate_number == "••••"
    sign_out(sam)
    tess = sign_in(g.folder, "tess", SECRET)
    with tess.store.read() as s:
        section, _hidden = equality_section(s, {g.vic}, 0)
    gender = next(t for t in section.tables if t.title == "Gender")
    assert GENDER in str(gender.table)
    sign_out(tess)


def test_an_unchanged_sealed_value_is_not_resealed_or_audited_on_save(
    personal_group: PersonalGroup,
) -> None:
    g = personal_group
    me = sign_in(g.folder, TEST_USER, TEST_SECRET)
    with me.store.read() as s:
        before = s.scalars(select(Volunteer.address).where(Volunteer.id == g.vic)).one()
        seen = volunteer_record(s, me.actor, g.vic)
    with me.store.session(me.actor) as s:
        edit = VolunteerInput("Vic", pronouns="they/them", address=seen.address,
                              emergency_contact_name=seen.emergency_contact_name,
                              emergency_contact_phone=seen.emergency_contact_phone)  # fmt: skip
        update_volunteer(s, me.actor, g.vic, edit, seen.updated_at, clock.today())
    with me.store.read() as s:
        assert s.scalars(select(Volunteer.address).where(Volunteer.id == g.vic)).one() == before
        newest = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert newest is not None and "address" not in (newest.changes or "")
    sign_out(me)


def test_the_board_roles_for_equality_answers_are_the_policys() -> None:
    from peerdesk.db.keyring import GROUP_KEY_ROLES
    from peerdesk.db.sealed_columns import FIGURES_ROLES
    from peerdesk.services.permissions import Permission, roles_with

    assert set(FIGURES_ROLES) == set(roles_with(Permission.VIEW_FIGURES)) - GROUP_KEY_ROLES


def test_personal_values_from_before_0015_are_sealed_at_the_first_coordinators_sign_in(
    store: Store,
) -> None:
    """An upgraded folder: no group key yet, so what was written stays in clear until then."""
    from peerdesk.services.setup import ensure_account

    actor = ensure_account(store, TEST_USER, "Coord", UserRole.COORDINATOR, TEST_SECRET)
    with store.session(actor) as s:
        s.add(Organisation(name="Riverside"))
        s.add(Volunteer(preferred_name="Vic", status=VolunteerStatus.ACTIVE, address=ADDRESS))
    folder = store.folder
    store.close(backup=False)
    assert attackers_view(folder, TEST_USER, TEST_SECRET)[0] == [ADDRESS]
    sign_out(sign_in(folder, TEST_USER, TEST_SECRET))
    (sealed,), opened = attackers_view(folder, TEST_USER, TEST_SECRET)
    assert is_sealed(sealed) and ADDRESS not in sealed and opened == {ADDRESS}


def test_the_audit_trail_holds_no_sealed_value_in_clear(personal_group: PersonalGroup) -> None:
    """Sealed fields are audited as "changed": a copy of the folder and any password finds
    none of their text in the trail, even after an edit of the email and phone."""
    g = personal_group
    me = sign_in(g.folder, TEST_USER, TEST_SECRET)
    with me.store.read() as s:
        seen = volunteer_record(s, me.actor, g.vic)
    with me.store.session(me.actor) as s:
        edit = VolunteerInput("Vic", email="new-" + EMAIL, phone="07700 900999",
                              address=seen.address)  # fmt: skip
        update_volunteer(s, me.actor, g.vic, edit, seen.updated_at, clock.today())
    sign_out(me)
    keyfile = KeyFile.load(g.folder.keys_file)
    master, _personal = keyfile.open_slot_keys("wes", SECRET)
    conn = cipher.connect(g.folder.db_file, keyfile.data_key(master))
    try:
        trail = " ".join(c for (c,) in conn.execute("SELECT changes FROM audit_events") if c)
        emails = [e for (e,) in conn.execute("SELECT email FROM volunteers") if e]
    finally:
        conn.close()
    assert '"email": "changed"' in trail and '"phone": "changed"' in trail
    assert not any(word in trail for word in (*PERSONAL, "new-" + EMAIL, "07700 900999"))
    assert emails and all(is_sealed(e) for e in emails)
