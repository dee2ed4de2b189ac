"""A full disk and a read-only data folder, for real: a tiny tmpfs filled to the last byte, and a
read-only bind mount (both need root and `mount`; skipped otherwise, with the reason). Anyone can
still sign in to read; every command says in one sentence what is wrong and what to do; nothing
is set aside or lost, and once space is freed the data is whole and writable again."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.cli import main
from peerdesk.db.paths import DataFolder
from peerdesk.db.read_only import ReadOnlyError
from peerdesk.db.schema import integrity_problems
from peerdesk.models import Volunteer, VolunteerStatus
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from tests.conftest import TEST_SECRET, TEST_USER

# A full or read-only data folder: about the encrypted file.
pytestmark = pytest.mark.file_only


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def _can_mount(tmp_path: Path) -> str | None:
    """Why these tests cannot run here, or None."""
    if os.name != "posix" or os.geteuid() != 0:
        return "mounting a tiny or read-only file system needs root"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount command"
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe))
    except (subprocess.CalledProcessError, OSError) as err:
        return f"this machine does not let us mount a tmpfs ({err})"
    subprocess.run(["umount", str(probe)], check=True)
    return None


@pytest.fixture
def group_folder(coordinator: SignedIn) -> DataFolder:
    """The test organisation with one volunteer, closed (as after signing out)."""
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Volunteer(preferred_name="Sam", status=VolunteerStatus.ACTIVE))
    folder = coordinator.store.folder
    coordinator.store.close(backup=False)
    return folder


@pytest.fixture
def full_disk(group_folder: DataFolder, tmp_path: Path) -> Iterator[tuple[DataFolder, Path]]:
    """A copy of the folder on a 24 MB tmpfs, then filled: (the folder, the filler file)."""
    reason = _can_mount(tmp_path)
    if reason:
        pytest.skip(reason)
    mounted = tmp_path / "small-disk"
    mounted.mkdir()
    _mount("-t", "tmpfs", "-o", "size=24m,mode=700", "tmpfs", str(mounted))
    try:
        shutil.copytree(group_folder.root, mounted / "data")
        filler = mounted / "filler"
        with filler.open("wb") as f, pytest.raises(OSError, match="No space left"):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        yield DataFolder(mounted / "data"), filler
    finally:
        subprocess.run(["umount", "-l", str(mounted)], check=True)


@contextmanager
def read_only_copy(folder: DataFolder, tmp_path: Path) -> Iterator[DataFolder]:
    """A copy of `folder` behind a read-only bind mount (refused even to root); the test is
    skipped where mounting is not allowed."""
    reason = _can_mount(tmp_path)
    if reason:
        pytest.skip(reason)
    copy = tmp_path / "read-only"
    shutil.copytree(folder.root, copy)
    _mount("--bind", str(copy), str(copy))
    try:
        _mount("-o", "remount,ro,bind", str(copy))
        yield DataFolder(copy)
    finally:
        subprocess.run(["umount", "-l", str(copy)], check=True)


@pytest.fixture
def read_only_folder(group_folder: DataFolder, tmp_path: Path) -> Iterator[DataFolder]:
    with read_only_copy(group_folder, tmp_path) as copy:
        yield copy


def names(signed_in: SignedIn) -> list[str]:
    with signed_in.store.read() as s:
        return list(s.scalars(select(Volunteer.preferred_name)))


def test_on_a_full_disk_anyone_signs_in_to_read_and_nothing_is_lost(
    full_disk: tuple[DataFolder, Path],
) -> None:
    folder, filler = full_disk
    before = sorted(p.name for p in folder.root.iterdir())
    me = sign_in(folder, TEST_USER, TEST_SECRET)
    assert me.read_only is not None and "disk is full" in me.read_only
    assert "free some space" in me.read_only
    assert names(me) == ["Sam"]
    with pytest.raises(ReadOnlyError, match="free some space"), me.store.session(me.actor) as s:
        s.add(Volunteer(preferred_name="Ana", status=VolunteerStatus.ACTIVE))
    sign_out(me)
    # Nothing set aside or left behind (SQLite's own journal files aside).
    after = {p.name for p in folder.root.iterdir()} - {
        "peerdesk.sqlite3-shm",
        "peerdesk.sqlite3-wal",
    }
    assert sorted(after) == before

    filler.unlink()
    me = sign_in(folder, TEST_USER, TEST_SECRET)
    assert me.read_only is None
    with me.store.session(me.actor) as s:
        s.add(Volunteer(preferred_name="Ana", status=VolunteerStatus.ACTIVE))
    assert sorted(names(me)) == ["Ana", "Sam"]
    sign_out(me)
    assert integrity_problems(folder.db_file, me.store.vault.key) == []


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("check",), 0),  # reading works, and says it is read-only
        (("users", "list"), 0),
        (("backup",), 1),
        (("roles", "add", "Listener"), 1),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else str(a),
)
def test_each_command_on_a_full_disk_says_what_to_do(
    full_disk: tuple[DataFolder, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    code: int,
) -> None:
    folder, _filler = full_disk
    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)
    got = main([*argv, "--user", TEST_USER, "--data-dir", str(folder.root)])
    err = capsys.readouterr().err
    assert got == code, err
    assert "did not expect" not in err and "Traceback" not in err
    assert "The disk is full" in err and "free some space" in err


def test_a_read_only_folder_opens_to_read_and_says_so(
    read_only_folder: DataFolder,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = sign_in(read_only_folder, TEST_USER, TEST_SECRET)
    assert me.read_only is not None and "make the folder writable" in me.read_only
    assert names(me) == ["Sam"]
    sign_out(me)
    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)
    assert main(["backup", "--user", TEST_USER, "--data-dir", str(read_only_folder.root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("peerdesk: ") and "did not expect" not in err
    assert "cannot be written" in err and "make the folder writable" in err
