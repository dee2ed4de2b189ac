"""A participant's own words ("What helped?", their goals) are sealed to the coordinators and the
account that entered them: another volunteer's password and a copy of the folder show nothing,
and peerdesk signed in as each person opens only what it should."""

import pytest
from sqlalchemy import select

from peerdesk.db import cipher
from peerdesk.db.keyring import keyring_of
from peerdesk.db.keyslots import KeyFile
from peerdesk.db.paths import DataFolder
from peerdesk.db.sealing import is_sealed
from peerdesk.models import AuditEvent, EnteredFrom, FeedbackAnswer, Goal, Organisation, UserRole
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.outcomes.feedback import FeedbackForm, GoalEntry, record_feedback
from tests.conftest import TEST_SECRET, TEST_USER
from tests.test_keys_by_role import SECRET, actor_named, person

HELPED = "Helped-words-curlew-42"
GOAL = "Goal-words-marten-17"


@pytest.fixture
def words_entered(coordinator: SignedIn) -> DataFolder:
    """Vic (a volunteer) entered a paper form with words and a goal; Olu is another volunteer."""
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
    person(coordinator, "vic", UserRole.VOLUNTEER)
    person(coordinator, "olu", UserRole.VOLUNTEER)
    vic = actor_named(coordinator, "vic")
    form = FeedbackForm(
        EnteredFrom.PAPER,
        participant_code="wren5",
        answers={"ons4.happy": 6},
        what_helped=HELPED,
        goals=(GoalEntry(4, wording=GOAL),),
    )
    with coordinator.store.session(vic) as s:  # type: ignore[arg-type]
        record_feedback(s, vic, form)  # type: ignore[arg-type]
    folder = coordinator.store.folder
    sign_out(coordinator)
    return folder


def raw_words(folder: DataFolder, username: str, secret: str) -> list[str]:
    """The words as someone holding only `secret` and a copy of the folder reads them."""
    keyfile = KeyFile.load(folder.keys_file)
    master, _personal = keyfile.open_slot_keys(username, secret)
    conn = cipher.connect(folder.db_file, keyfile.data_key(master))
    try:
        rows = conn.execute(
            "SELECT words FROM feedback_answers WHERE words IS NOT NULL "
            "UNION ALL SELECT wording FROM goals"
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


# Every test here signs in to copies of a data folder: about the encrypted file and its keys.
pytestmark = pytest.mark.file_only


@pytest.mark.parametrize("username", ["vic", "olu"])
def test_a_copy_of_the_folder_shows_no_words_in_clear(
    words_entered: DataFolder, username: str
) -> None:
    values = raw_words(words_entered, username, SECRET)
    assert len(values) == 2 and all(is_sealed(v) for v in values)
    assert not any(HELPED in v or GOAL in v for v in values)


def test_only_the_enterer_and_the_coordinators_open_the_words(words_entered: DataFolder) -> None:
    opened: dict[str, set[str | None]] = {}
    for username, secret in (("vic", SECRET), ("olu", SECRET), (TEST_USER, TEST_SECRET)):
        me = sign_in(words_entered, username, secret)
        with me.store.read() as s:
            keyring = keyring_of(s)
            words = select(FeedbackAnswer.words).where(FeedbackAnswer.words.is_not(None))
            values = [*s.scalars(words), *s.scalars(select(Goal.wording))]
            opened[username] = {keyring.open(v) for v in values}
        sign_out(me)
    assert opened == {"vic": {HELPED, GOAL}, "olu": {None}, TEST_USER: {HELPED, GOAL}}


def test_the_words_are_audited_only_as_changed(words_entered: DataFolder) -> None:
    me = sign_in(words_entered, TEST_USER, TEST_SECRET)
    with me.store.read() as s:
        changes = [e.changes or "" for e in s.scalars(select(AuditEvent))]
    sign_out(me)
    joined = "\n".join(changes)
    assert '"words": "changed"' in joined and '"wording": "changed"' in joined
    assert HELPED not in joined and GOAL not in joined
