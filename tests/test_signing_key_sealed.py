"""The report-signing private key is sealed to the people who may sign (docs/keys.md): the
coordinators' group key and each open trustee's personal key. The attacker's view: a volunteer
and a supervisor open the data file with their own password and `peerdesk.db` only, and cannot
get the private key; a coordinator and a trustee still sign reports that verify."""

from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from peerdesk.db.keyring import GROUP_KEY_ROLES, load_keyring
from peerdesk.db.paths import DataFolder
from peerdesk.db.sealing import Keyring, new_key_pair, recipients_of, user_recipient
from peerdesk.db.signing_seal import (
    PERSONAL_SIGNING_ROLES,
    is_sealed_to_signers,
    open_private_key,
)
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import Organisation, SigningKey, User, UserRole
from peerdesk.reports.export import export_governance
from peerdesk.reports.signature import Outcome, check_report
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.permissions import Permission, roles_with
from peerdesk.services.reporting.figures import Period
from peerdesk.services.signing_key import (
    SigningKeyError,
    new_signing_key,
    public_key,
    signing_key,
)
from tests.conftest import TEST_SECRET, TEST_USER, noon_on

SECRET = "a long passphrase"
TODAY = date(2026, 11, 26)
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31))
# Opens copies of the data folder with each role's own password: about the encrypted file.
pytestmark = [pytest.mark.today(TODAY), pytest.mark.file_only]


@pytest.fixture
def signers_folder(coordinator: SignedIn) -> DataFolder:
    """Vic (volunteer), Sam (supervisor) and Tess (trustee) have accounts; the signing key has
    been made."""
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
    for name, role in (
        ("vic", UserRole.VOLUNTEER),
        ("sam", UserRole.SUPERVISOR),
        ("tess", UserRole.TRUSTEE),
    ):
        accounts.add_user(coordinator.store, coordinator.actor, name, name.title(), role, SECRET)
    public_key(coordinator.store)
    folder = coordinator.store.folder
    sign_out(coordinator)
    return folder


def taken_with_own_password(folder: DataFolder, username: str, secret: str) -> bytes | None:
    """What someone holding `secret` and a copy of the folder gets of the private key using
    `peerdesk.db` only: their slot, the data key (and earlier ones), their keyring."""
    vault = Vault.unlock(folder, username, secret)[0]
    store = Store.open(vault)
    try:
        with store.read() as s:
            user_id = s.scalars(select(User.id).where(User.username == username)).one()
            keyring = load_keyring(s, user_id, vault.personal)
            row = s.scalars(select(SigningKey)).one()
            return open_private_key(row, keyring, [vault.key, *vault.previous_keys()])
    finally:
        store.close(backup=False)


def private_der(folder: DataFolder, username: str, secret: str) -> bytes:
    me = sign_in(folder, username, secret)
    try:
        return signing_key(me.store, me.actor).private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    finally:
        sign_out(me)


@pytest.mark.parametrize("username", ["vic", "sam"])
def test_a_volunteers_or_supervisors_own_password_does_not_give_the_signing_key(
    signers_folder: DataFolder, username: str
) -> None:
    assert taken_with_own_password(signers_folder, username, SECRET) is None
    real = private_der(signers_folder, TEST_USER, TEST_SECRET)
    raw = Store.open(Vault.unlock(signers_folder, username, SECRET)[0])
    try:
        with raw.read() as s:
            stored = s.scalars(select(SigningKey.sealed_private_key)).one()
    finally:
        raw.close(backup=False)
    assert is_sealed_to_signers(stored)
    assert real not in stored and real.hex().encode() not in stored


@pytest.mark.parametrize(("username", "secret"), [(TEST_USER, TEST_SECRET), ("tess", SECRET)])
def test_a_coordinator_and_a_trustee_sign_reports_that_verify(
    signers_folder: DataFolder, username: str, secret: str, tmp_path: Path
) -> None:
    assert taken_with_own_password(signers_folder, username, secret) is not None
    me = sign_in(signers_folder, username, secret)
    out = tmp_path / "report.pdf"
    export_governance(me, PERIOD, out)
    trusted = public_key(me.store).certificate()
    sign_out(me)
    assert check_report(out.read_bytes(), trusted).outcome is Outcome.VALID


def test_a_volunteer_signed_in_cannot_ask_for_the_key(signers_folder: DataFolder) -> None:
    vic = sign_in(signers_folder, "vic", SECRET)
    try:
        with pytest.raises(Exception, match="export reports"):
            signing_key(vic.store, vic.actor)
    finally:
        sign_out(vic)


def test_a_key_from_before_is_sealed_to_the_signers_at_the_next_sign_in(
    coordinator: SignedIn,
) -> None:
    """An older folder's key, sealed under the data key: a volunteer's password opened it."""
    store = coordinator.store
    accounts.add_user(store, coordinator.actor, "vic", "Vic", UserRole.VOLUNTEER, SECRET)
    with store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
        s.add(new_signing_key("Riverside", store.vault.key, noon_on(TODAY)))
    folder = store.folder
    store.close(backup=False)
    assert taken_with_own_password(folder, "vic", SECRET) is not None  # the hole being closed
    sign_out(sign_in(folder, "vic", SECRET))  # anyone's sign-in seals it
    assert taken_with_own_password(folder, "vic", SECRET) is None
    assert taken_with_own_password(folder, TEST_USER, TEST_SECRET) is not None


def test_trustees_added_and_closed_are_added_to_and_dropped_from_the_seal(
    signers_folder: DataFolder,
) -> None:
    coordinator = sign_in(signers_folder, TEST_USER, TEST_SECRET)
    store, actor = coordinator.store, coordinator.actor
    accounts.add_user(store, actor, "tom", "Tom", UserRole.TRUSTEE, SECRET)
    accounts.change_role(store, actor, "sam", UserRole.TRUSTEE)
    accounts.remove(store, actor, "tess")
    with store.read() as s:
        ids = {name: uid for name, uid in s.execute(select(User.username, User.id))}
        sealed = s.scalars(select(SigningKey.sealed_private_key)).one().decode()
    sign_out(coordinator)
    assert user_recipient(ids["tom"]) in recipients_of(sealed)
    assert user_recipient(ids["sam"]) in recipients_of(sealed)
    assert user_recipient(ids["tess"]) not in recipients_of(sealed)
    assert taken_with_own_password(signers_folder, "tom", SECRET) is not None
    assert taken_with_own_password(signers_folder, "sam", SECRET) is not None


def test_a_trustee_without_the_seal_is_told_what_to_do(store: Store) -> None:
    """A key sealed to signers the trustee is not among (their key came after): one sentence."""
    from peerdesk.services.setup import ensure_account

    actor = ensure_account(store, "tess", "Tess", UserRole.TRUSTEE, SECRET)
    with store.session(actor) as s:
        s.add(Organisation(name="Riverside"))
        s.add(
            new_signing_key(
                "Riverside", store.vault.key, noon_on(TODAY), {"g:other": new_key_pair()[1]}
            )
        )
    store.keyring = Keyring()
    with pytest.raises(SigningKeyError, match="ask a coordinator to sign in"):
        signing_key(store, actor)


def test_the_signers_are_the_roles_that_may_export_reports() -> None:
    assert set(roles_with(Permission.EXPORT_REPORTS)) == GROUP_KEY_ROLES | PERSONAL_SIGNING_ROLES
