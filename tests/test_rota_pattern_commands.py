"""`peerdesk rota patterns` and `peerdesk rota end-pattern`: the patterns in words, ending one
(later empty shifts removed, a staffed one kept and named), and bad input in one line."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk import clock
from peerdesk.cli import main
from peerdesk.dates import show_date
from peerdesk.db.paths import DataFolder
from peerdesk.models import Shift
from peerdesk.services.auth import sign_in, sign_out
from peerdesk.services.rota import assign, create_pattern
from tests.rota_world import populate, weekly

SECRET = "a long test passphrase"


def test_listing_and_ending_patterns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("PEERDESK_PASSWORD", SECRET)
    assert (
        main(["init", "--org", "Riverside", "--coordinator", "ffion", "--data-dir", str(data)]) == 0
    )
    today = clock.today()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7)
    person = sign_in(DataFolder(data), "ffion", SECRET)
    with person.store.session(person.actor) as s:
        world = populate(s, person.store)
        info, _made = create_pattern(s, person.actor, weekly(world, first_on=tuesday), today)
        staffed = tuesday + timedelta(days=21)
        shift = s.scalar(select(Shift.id).where(Shift.occurrence_on == staffed))
        assert shift is not None
        assign(s, person.actor, shift, world.amara)
    sign_out(person)
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["rota", *argv, "--data-dir", str(data), "--user", "ffion"])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("patterns")
    assert code == 0
    assert out == (
        f"{info.id}  Tuesday drop-in (1:1 drop-in at Riverside Community Centre): Every week on "
        f"Tuesday, 10:00–13:00; from {show_date(tuesday)}, until: No end date; active\n"
    )
    for argv, message in [
        (("end-pattern", "drop-in"), "'drop-in' is not a pattern ID"),
        (
            ("end-pattern", str(info.id), "--last", "31/02/2030"),
            "--last '31/02/2030' is not a date",
        ),
        (
            ("end-pattern", str(info.id), "--last", f"{tuesday - timedelta(days=1)}"),
            "The last date is before the pattern's first date.",
        ),
    ]:
        code, _out, err = run(*argv)
        assert code == 1 and message in err
        assert err.startswith("peerdesk: ") and len(err.strip().splitlines()) == 1

    code, out, _ = run("end-pattern", str(info.id), "--last", f"{tuesday:%d/%m/%Y}")
    assert code == 0
    assert out.startswith(f"The pattern ends on {show_date(tuesday)}: ")
    assert out.endswith(
        f"later shifts removed. Kept, as someone is on them: {show_date(staffed)}.\n"
    )
    removed = int(out.split(": ")[1].split()[0])
    assert removed > 40  # a year of Tuesdays
    person = sign_in(DataFolder(data), "ffion", SECRET)
    with person.store.read() as s:
        left = s.scalars(select(Shift.occurrence_on).order_by(Shift.occurrence_on)).all()
    sign_out(person)
    assert left == [tuesday, staffed]
    code, out, _ = run("patterns")
    assert out.endswith(f"until: {show_date(tuesday)}; active\n")  # its last date is to come
