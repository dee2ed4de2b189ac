"""The printable rota and the `peerdesk rota` commands: A4 landscape pages with names and roles
(never contact details), a busy day carried onto a continuation page, atomic files, and one-line
errors on bad input."""

from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from peerdesk.cli import main
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.errors import OutputPathError
from peerdesk.reports.rota_pdf import ReportError, export_rota_pdf, render_rota
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.rota import assign, create_pattern, create_shift, shifts_between
from tests.rota_world import TODAY, World, make_world, one_off, populate, weekly

WEEK = (date(2026, 5, 11), date(2026, 5, 17))
A4_LANDSCAPE = (842, 595)


@pytest.fixture
def world(store: Store) -> World:
    world = make_world(store)
    with store.session(world.coordinator) as s:
        group = one_off(world, date(2026, 5, 13), time(18, 30), activity_id=world.group_activity,
                        required_role_ids=frozenset({world.facilitator}))  # fmt: skip
        shift = create_shift(s, world.coordinator, group)
        assign(s, world.coordinator, shift.id, world.dev)
        assign(s, world.coordinator, shift.id, world.amara)
        late = one_off(world, date(2026, 5, 15), time(22), duration_minutes=180)
        create_shift(s, world.coordinator, late)
    return world


def text_of(path: Path) -> list[str]:
    """Each page's text with lines joined: names and roles may wrap in a narrow column."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_a_week_page_has_names_roles_and_staffing_but_no_contact_details(
    world: World, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "rota.pdf"
    count = export_rota_pdf(SignedIn(world.store, world.coordinator), out, *WEEK)
    assert count == 2
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert tuple(round(float(v)) for v in reader.pages[0].mediabox[2:]) == A4_LANDSCAPE
    (page,) = text_of(out)
    assert "Riverside Peer Support: rota" in page and "Week of 11 May 2026" in page
    assert "Dev (Group facilitator, Peer supporter)" in page
    assert "Amara (Peer supporter)" in page and "Needs: Group facilitator" in page
    assert "filled (2 of 1–2)" in page
    # The shift across midnight is on Friday and, continued, on Saturday.
    assert "22:00–01:00 (next day)" in page and "(from Fri 22:00)–01:00" in page
    assert "example.org" not in page and "07700" not in page
    assert [p.name for p in tmp_path.iterdir()] == ["rota.pdf"]  # no temporary file left


def test_a_busy_day_continues_on_another_page_and_a_month_says_how_many_more(
    world: World, tmp_path: Path
) -> None:
    with world.store.session(world.coordinator) as s:
        for hour in range(8, 22):
            for minute in (0, 30):
                create_shift(s, world.coordinator, one_off(world, date(2026, 5, 12),
                                                           time(hour, minute)))  # fmt: skip
    with world.store.read() as s:
        shifts = shifts_between(s, world.coordinator, *WEEK)
    week = tmp_path / "week.pdf"
    week.write_bytes(render_rota(shifts, *WEEK, "Rota"))
    pages = text_of(week)
    assert len(pages) >= 2 and "continued, page 2" in pages[1]
    assert "more: see the next page" in pages[0]
    month = tmp_path / "month.pdf"
    month.write_bytes(render_rota(shifts, date(2026, 5, 1), date(2026, 5, 31), "Rota", "month"))
    (page,) = text_of(month)
    assert "May 2026" in page and "more (print by week)" in page


def test_a_trustees_printed_rota_has_staffing_but_no_names(world: World, tmp_path: Path) -> None:
    for layout in ("week", "month"):
        out = tmp_path / f"trustee-{layout}.pdf"
        export_rota_pdf(SignedIn(world.store, world.trustee), out, *WEEK, layout)
        text = " ".join(text_of(out))
        assert "Amara" not in text and "Dev" not in text, layout
        assert "of 1" in text or "filled" in text or "short" in text, layout
        mine = tmp_path / f"coordinator-{layout}.pdf"
        export_rota_pdf(SignedIn(world.store, world.coordinator), mine, *WEEK, layout)
        assert "Amara" in " ".join(text_of(mine)), layout


def test_bad_requests_are_refused_plainly(world: World, tmp_path: Path) -> None:
    person = SignedIn(world.store, world.coordinator)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for out, first, last, message in [
        (tmp_path / "rota.txt", *WEEK, "ending .pdf"),
        (tmp_path / "no" / "rota.pdf", *WEEK, "no folder"),
        (tmp_path / "rota.pdf", WEEK[1], WEEK[0], "before the first"),
        (tmp_path / "rota.pdf", date(2026, 1, 1), date(2027, 6, 1), "at most a year"),
    ]:
        with pytest.raises((ReportError, OutputPathError), match=message):
            export_rota_pdf(person, out, first, last)
    assert list(tmp_path.iterdir()) == []


def test_the_rota_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    data = tmp_path / "data"
    monkeypatch.setenv("PEERDESK_PASSWORD", "a long test passphrase")
    made = main(["init", "--org", "Riverside", "--coordinator", "ffion", "--data-dir", str(data)])
    assert made == 0
    person = sign_in(DataFolder(data), "ffion", "a long test passphrase")
    with person.store.session(person.actor) as s:
        world = populate(s, person.store)
        create_pattern(s, person.actor, weekly(world), TODAY)
    sign_out(person)
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["rota", *argv, "--data-dir", str(data), "--user", "ffion"])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("generate")
    assert code == 0 and out.startswith("Shifts for the next 12 months: ")
    code, out, _ = run("ics", "--from", "2026-03-01", "--to", "2026-03-31", "--out",
                       str(tmp_path / "rota.ics"))  # fmt: skip
    assert code == 0 and out == f"Wrote 5 shifts to {tmp_path / 'rota.ics'}.\n"
    code, out, _ = run("pdf", "--from", "2/3/2026", "--to", "8/3/2026", "--out",
                       str(tmp_path / "rota.pdf"))  # fmt: skip
    assert code == 0 and "from 2 Mar 2026 to 8 Mar 2026 (1 shift)" in out
    for argv, message in [
        (("pdf", "--from", "31/02/2026", "--to", "8/3/2026", "--out", "x.pdf"), "not a date"),
        (("ics", "--volunteer", "someone", "--out", str(tmp_path / "x.ics")), "no volunteer"),
        (("ics", "--out", str(tmp_path / "x.txt")), "ending .ics"),
    ]:
        code, out, err = run(*argv)
        assert code == 1 and message in err
        assert err.startswith("peerdesk: ") and len(err.strip().splitlines()) == 1
