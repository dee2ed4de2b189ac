"""`peerdesk roles list|add`: a new group lists none, adds roles with their policies, and bad input
or a non-coordinator gets one line and nothing written."""

from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.cli import main
from peerdesk.db.paths import DataFolder
from peerdesk.models import Role, UserRole
from peerdesk.services.auth import sign_in, sign_out
from peerdesk.services.setup import ensure_account

SECRET = "a long test passphrase"


def test_listing_and_adding_roles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("PEERDESK_PASSWORD", SECRET)
    assert (
        main(["init", "--org", "Riverside", "--coordinator", "ffion", "--data-dir", str(data)]) == 0
    )
    person = sign_in(DataFolder(data), "ffion", SECRET)
    ensure_account(person.store, "tess", "Tess", UserRole.TRUSTEE, SECRET)
    sign_out(person)
    capsys.readouterr()

    def run(*argv: str, user: str = "ffion") -> tuple[int, str, str]:
        code = main(["roles", *argv, "--data-dir", str(data), "--user", user])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("list") == (
        0,
        "There are no roles yet. Add one with: peerdesk roles add NAME\n",
        "",
    )
    code, out, _ = run("add", "  Peer  supporter ", "--description", "Listens one to one.")
    assert code == 0
    assert out == "Added the role “Peer supporter”: supervision every 6 weeks; needs a DBS check.\n"
    code, out, _ = run("add", "Befriender", "--no-supervision", "--no-dbs")
    assert code == 0
    code, out, _ = run("add", "Group facilitator", "--supervision-weeks", "4", "--one-to-one-only")
    assert code == 0
    code, out, _ = run("list", user="tess")  # everyone signed in may list them
    assert code == 0
    assert out == (
        "Befriender: supervision not required; no DBS check\n"
        "Group facilitator: supervision every 4 weeks (one-to-one only); needs a DBS check\n"
        "Peer supporter: supervision every 6 weeks; needs a DBS check\n"
    )

    for argv, user, message in [
        (("add", "PEER SUPPORTER"), "ffion", "There is already a role called “Peer supporter”"),
        (("add", "Mentor", "--supervision-weeks", "60"), "ffion", "choose from 1 to 52 weeks"),
        (("add", "   "), "ffion", "Type a name for the role."),
        (("add", "Mentor"), "tess", "cannot change volunteer records"),
    ]:
        code, _out, err = run(*argv, user=user)
        assert code == 1 and message in err
        assert err.startswith("peerdesk: ") and len(err.strip().splitlines()) == 1

    person = sign_in(DataFolder(data), "ffion", SECRET)
    with person.store.read() as s:
        stored = s.execute(
            select(Role.name, Role.description, Role.supervision_every_weeks).order_by(Role.name)
        )
        assert [tuple(r) for r in stored] == [
            ("Befriender", None, None),
            ("Group facilitator", None, 4),
            ("Peer supporter", "Listens one to one.", 6),
        ]
    sign_out(person)
