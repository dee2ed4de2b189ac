"""`peerdesk check` quick and full, a cut trail caught from the command line, and `rekey`
waiting for a copy that still holds the folder."""

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import AuditEvent

# The command-line tests' password in the environment (autouse) and their new organisation.
from tests.test_cli import PASSWORD, assert_plain_error, init, password, run  # noqa: F401
from tests.test_faults import tampered

# About the file (checks and rekey of the file from the command line): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


def test_check_is_full_the_first_time_then_quick_and_says_what_a_full_one_costs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    code, out, err = run(capsys, "check", "--user", "ffion", "--data-dir", data)
    assert code == 0 and "Integrity:   ok" in out
    assert "Checking every page" in err  # never checked in full: done now, with progress
    code, out, err = run(capsys, "check", "--user", "ffion", "--data-dir", data)
    assert code == 0 and "Healthy" in out
    assert "not read (quick check" in out and "--full" in out and "second" in out
    assert "Checking every page" not in err
    code, out, err = run(capsys, "check", "--full", "--user", "ffion", "--data-dir", data)
    assert code == 0 and "Integrity:   ok" in out and "Checking every page" in err


def test_check_reports_newest_events_removed_with_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    assert run(capsys, "check", "--user", "ffion", "--data-dir", str(data))[0] == 0
    vault, _ = Vault.unlock(DataFolder(data), "ffion", PASSWORD)
    with tampered(vault) as s:
        newest = s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(3))
        s.execute(delete(AuditEvent).where(AuditEvent.seq.in_(list(newest))))
        s.commit()
    code, out, _ = run(capsys, "check", "--user", "ffion", "--data-dir", str(data))
    assert code == 1 and "NOT healthy" in out
    assert "events were removed" in out


def test_rekey_waits_for_a_copy_that_still_holds_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    vault, _ = Vault.unlock(DataFolder(data), "ffion", PASSWORD)
    holder = Store.open(vault)  # a window still signed in, in a process that is running
    try:
        before = vault.folder.db_file.read_bytes()[:4096]
        code, _, err = run(
            capsys, "rekey", "--take-over", "--user", "ffion", "--data-dir", str(data)
        )
        assert code == 1
        assert_plain_error(err)
        assert "will not change the data key" in err
        assert vault.folder.db_file.read_bytes()[:4096] == before
        assert holder.holds_folder()
    finally:
        holder.close(backup=False)
