"""`peerdesk export sessions` from the command line: a period, and bad days said in one line."""

from datetime import timedelta
from pathlib import Path

import pytest

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.services.auth import sign_in, sign_out
from tests.test_cli_data import PASSWORD, data, password, run
from tests.test_session_group import ad_hoc, build_group

__all__ = ["data", "password"]


@pytest.fixture
def logged(data: str) -> str:
    """Two sessions: one four days ago, one forty days ago."""
    from peerdesk.services.sessions import log_session

    person = sign_in(DataFolder(Path(data)), "ffion", PASSWORD)
    try:
        group = build_group(person.store)
        now = clock.now()
        for days in (4, 40):
            start = now - timedelta(days=days)
            with person.store.session(group.vic) as s:
                log_session(s, group.vic, ad_hoc(group, started_at=start,
                            ended_at=start + timedelta(hours=1)), now)  # fmt: skip
    finally:
        sign_out(person)
    return data


def test_export_sessions_for_a_period(
    logged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--user", "ffion", "--data-dir", logged]
    out_file = tmp_path / "sessions.csv"
    code, out, _ = run(capsys, "export", "sessions", "--out", str(out_file), *common)
    assert code == 0 and out.startswith("Exported 2 session logs")
    since = (clock.now() - timedelta(days=10)).date().isoformat()
    code, out, _ = run(capsys, "export", "sessions", "--out", str(out_file), "--from", since,
                       "--force", *common)  # fmt: skip
    assert code == 0 and out.startswith("Exported 1 session log to")
    assert len(out_file.read_text("utf-8-sig").splitlines()) == 2


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (["--from", "1 April"], "is not a date: write it as YYYY-MM-DD"),
        (["--from", "2026-05-01", "--to", "2026-04-01"], "before the --from day"),
    ],
)
def test_bad_days_are_one_plain_line(
    logged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], days: list[str], message: str
) -> None:
    code, _, err = run(capsys, "export", "sessions", "--out", str(tmp_path / "s.csv"), *days,
                       "--user", "ffion", "--data-dir", logged)  # fmt: skip
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
