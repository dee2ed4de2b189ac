"""Keyslots: wrapping the data key per user and for recovery, failures, atomic saves."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.db import keyslots
from peerdesk.db.keyslots import (
    FREE_ATTEMPTS,
    RECOVERY_SLOT,
    KeyFile,
    NoSuchSlotError,
    TooManyAttemptsError,
    WrongSecretError,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
)
from peerdesk.errors import StoreError

# About the file (the keys file): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at full strength costs ~0.2 s a call; the rules are the same with a cheap one."""
    cheap = keyslots.KdfParams(1, 8, 1)
    monkeypatch.setattr(keyslots.KdfParams, "current", classmethod(lambda cls: cheap))


def make(tmp_path: Path) -> tuple[KeyFile, bytes]:
    """A keys file whose slots wrap the returned master key."""
    master = new_data_key()
    kf = KeyFile(tmp_path / "peerdesk.keys", vault_id="org-1")
    kf.seal_data_key(master, new_data_key())
    kf.wrap("sam", "a long passphrase", master)
    kf.wrap(RECOVERY_SLOT, "ABCDE-FGHJK", master)
    kf.save()
    return kf, master


def test_each_slot_unwraps_the_same_master_key(tmp_path: Path) -> None:
    kf, key = make(tmp_path)
    loaded = KeyFile.load(kf.path)
    assert loaded.unwrap("sam", "a long passphrase").key == key
    assert loaded.unwrap(RECOVERY_SLOT, "ABCDE-FGHJK").key == key


def test_the_key_file_holds_no_key_in_the_clear(tmp_path: Path) -> None:
    kf, key = make(tmp_path)
    raw = kf.path.read_bytes()
    assert key not in raw and key.hex().encode() not in raw


def test_wrong_password_counts_and_then_delays(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(WrongSecretError):
            kf.unwrap("sam", "wrong", now)
    with pytest.raises(TooManyAttemptsError) as caught:
        kf.unwrap("sam", "a long passphrase", now + timedelta(seconds=5))
    assert "Try again in" in str(caught.value)
    # The count survives a restart: it is saved in the file.
    assert KeyFile.load(kf.path).slots["sam"].failures == FREE_ATTEMPTS
    unlocked = kf.unwrap("sam", "a long passphrase", now + timedelta(minutes=2))
    assert unlocked.failed_before == FREE_ATTEMPTS
    assert KeyFile.load(kf.path).slots["sam"].failures == 0


def test_the_delay_grows_and_is_capped(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    waits = []
    for _ in range(FREE_ATTEMPTS + 12):
        slot = kf.slots["sam"]
        at = slot.locked_until or now
        with pytest.raises(WrongSecretError):
            kf.unwrap("sam", "wrong", at)
        if slot.locked_until:
            waits.append(slot.locked_until - at)
    assert waits[0] == keyslots.FIRST_DELAY
    assert waits[1] == 2 * keyslots.FIRST_DELAY
    assert max(waits) == keyslots.LONGEST_DELAY


def test_a_slot_cannot_be_moved_to_another_user_or_organisation(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    kf.slots["alex"] = kf.slots["sam"]
    with pytest.raises(WrongSecretError):
        kf.unwrap("alex", "a long passphrase")
    other = KeyFile(kf.path, vault_id="org-2", slots={"sam": kf.slots["sam"]})
    with pytest.raises(WrongSecretError):
        other.unwrap("sam", "a long passphrase")


def test_unknown_user(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    with pytest.raises(NoSuchSlotError, match="no account called 'nobody'"):
        kf.unwrap("nobody", "x")


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": 99}', b"\x00\xff" * 50])
def test_damaged_key_file_says_to_use_the_recovery_key(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "peerdesk.keys"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="recovery key"):
        KeyFile.load(path)


def test_missing_key_file_says_to_use_the_recovery_key(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="missing"):
        KeyFile.load(tmp_path / "peerdesk.keys")


def test_parameters_changed_since_means_rewrap_at_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kf, key = make(tmp_path)
    stronger = keyslots.KdfParams(2, 16, 1)
    monkeypatch.setattr(keyslots.KdfParams, "current", classmethod(lambda cls: stronger))
    assert kf.unwrap("sam", "a long passphrase").key == key
    assert KeyFile.load(kf.path).slots["sam"].kdf == stronger


def test_previous_data_keys_survive_a_rekey(tmp_path: Path) -> None:
    kf, master = make(tmp_path)
    first, second, third = new_data_key(), new_data_key(), new_data_key()
    for key in (first, second, third):
        kf.seal_data_key(master, key)
    kf.save()
    loaded = KeyFile.load(kf.path)
    assert loaded.data_key(master) == third
    assert loaded.previous_data_keys(master)[:2] == [second, first]


def test_atomic_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    kf.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peerdesk.keys"]
    assert json.loads(kf.path.read_text())["vault_id"] == "org-1"


def test_recovery_keys_are_long_and_forgiving_to_type() -> None:
    key = new_recovery_key()
    assert len(key.replace("-", "")) == 40
    assert normalise_recovery_key(key.lower().replace("-", " ")) == key


def test_lockout_survives_hundreds_of_wrong_attempts(tmp_path: Path) -> None:
    kf, _ = make(tmp_path)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    for _ in range(300):
        at = kf.slots["sam"].locked_until or now
        with pytest.raises(WrongSecretError):
            kf.unwrap("sam", "wrong", at)
    assert kf.slots["sam"].failures == 300
    assert kf.slots["sam"].locked_until == at + keyslots.LONGEST_DELAY
