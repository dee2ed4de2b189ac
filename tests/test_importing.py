"""Importing volunteers and training from groups' spreadsheets: the samples, every date form,
encoding and delimiter, the refusals, all-or-nothing, duplicates, and fuzzing."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from peerdesk.models import AuditEvent, Course, DBSCheck, Role, TrainingCompletion, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing import (
    ImportFileError,
    ImportRefused,
    import_training,
    import_volunteers,
    read_table,
)
from peerdesk.services.importing.values import BadValue, parse_date, parse_email, text
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.volunteers import volunteer_record

# Copies of the spreadsheets in the project's shared samples, kept with the tests.
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
ROLES = ("Peer supporter", "Group facilitator", "Coordinator")
COURSES = ("Safeguarding adults", "Mental health first aid")


def sample(name: str) -> Path:
    return SAMPLES / name


@pytest.fixture
def group(coordinator: SignedIn) -> SignedIn:
    """The coordinator's store with the roles and courses the samples name."""
    with coordinator.store.session(coordinator.actor) as s:
        s.add_all(Role(name=name) for name in ROLES)
        s.add_all(Course(name=name, validity_months=36) for name in COURSES)
    return coordinator


def volunteers(person: SignedIn) -> dict[str, Volunteer]:
    with person.store.read() as s:
        return {v.preferred_name: v for v in s.scalars(select(Volunteer))}


def opened(person: SignedIn, value: str | None) -> str | None:
    """A sealed value (email, phone: docs/keys.md) as the signed-in person reads it."""
    return person.store.keyring.open(value)


def count(person: SignedIn, model: type[object]) -> int:
    with person.store.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def write_csv(tmp_path: Path, text_: str, encoding: str = "utf-8", name: str = "v.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text_.encode(encoding))
    return path


# The samples ---------------------------------------------------------------------------------
def test_tidy_sample_imports_every_row(group: SignedIn) -> None:
    result = import_volunteers(group, sample("volunteers-tidy.csv"))
    assert (result.added, result.rejected_rows, result.problems) == (5, [], [])
    people = volunteers(group)
    assert sorted(people) == ["Amara", "Ffion", "Kwame", "Priya", "Tom"]
    amara = people["Amara"]
    assert (amara.last_name, opened(group, amara.email), opened(group, amara.phone)) == (
        "Okafor",
        "amara.okafor@example.org",
        "07700 900123",
    )
    assert amara.started_on == date(2023, 4, 1) and amara.status.value == "active"
    assert [r.name for r in people["Ffion"].roles] == ["Coordinator"]
    assert opened(group, people["Ffion"].phone) == "+44 7700 900789"
    assert count(group, DBSCheck) == 4  # Priya has no DBS date
    assert count(group, TrainingCompletion) == 4  # Kwame has no safeguarding date


def test_messy_sample_refused_whole_then_imported_skipping_bad_rows(group: SignedIn) -> None:
    """Expected, row by row (the spreadsheet's numbering; row 1 is the header):
    2 Siân Llewellyn: accepted (extra spaces trimmed, 03/04/2023 is 3 April)
    3 blank: skipped silently
    4 Seán O'Brien: accepted, two roles, 12/9/22 is 12 Sep 2022
    5 Zoë Brontë-Smith: accepted ('peer supporter' matches the role, '5 Feb 2024')
    6 Sian Llewellyn: rejected, same email as row 2 (and a warning: same name)
    7 Marek: rejected, 31/02/2024 and 'marek@example' (and a warning: phone 'not given')
    8 =HYPERLINK(...) Evans: rejected, the name and the notes look like spreadsheet formulas
    """
    path = sample("volunteers-messy-cp1252.csv")
    with pytest.raises(ImportRefused) as refused:
        import_volunteers(group, path)
    errors = [(p.row, p.column) for p in refused.value.problems if p.is_error]
    assert errors == [
        (6, "E-mail address"),
        (7, "E-mail address"),
        (7, "Started"),
        (8, "Forename"),
        (8, "Notes"),
    ]
    formula = next(p for p in refused.value.problems if (p.row, p.column) == (8, "Forename"))
    assert str(formula) == (
        "Error in row 8, Forename: the name '=HYPERLINK(\"http://example.in…' looks like a "
        "spreadsheet formula, not a name. Check the file."
    )
    assert count(group, Volunteer) == 0

    result = import_volunteers(group, path, skip_invalid=True)
    assert result.added == 3 and result.rejected_rows == [6, 7, 8]
    warned = {(p.row, p.column) for p in result.warnings}
    assert {(6, "Forename"), (7, "Phone")} <= warned
    people = volunteers(group)
    assert sorted(people) == ["Seán", "Siân", "Zoë"]
    sian = people["Siân"]
    assert (sian.first_name, sian.started_on) == ("Siân", date(2023, 4, 3))
    # The notes are sealed to the coordinators (docs/keys.md): read them as the record shows them.
    with group.store.read() as s:
        assert volunteer_record(s, group.actor, sian.id).notes == "Prefers Tuesdays"
    assert sorted(r.name for r in people["Seán"].roles) == ["Group facilitator", "Peer supporter"]
    assert people["Seán"].started_on == date(2022, 9, 12)
    assert people["Zoë"].last_name == "Brontë-Smith"
    assert people["Zoë"].started_on == date(2024, 2, 5)
    assert all(not v.preferred_name.startswith("=") for v in people.values())


def test_xlsx_sample_volunteers_then_training(group: SignedIn) -> None:
    """Volunteers sheet: all three accepted (whole names split, real Excel dates and the text
    date 14/07/2024). Training sheet: both rows accepted."""
    path = sample("volunteers.xlsx")
    result = import_volunteers(group, path, sheet="Volunteers")
    assert (result.added, result.rejected_rows) == (3, [])
    people = volunteers(group)
    assert (people["Grace"].first_name, people["Grace"].last_name) == ("Grace", "Adeyemi")
    assert people["Grace"].started_on == date(2023, 5, 2)
    assert people["Noor"].started_on == date(2024, 7, 14)
    assert [r.name for r in people["Liam"].roles] == ["Group facilitator"]

    trained = import_training(group, path, sheet="Training")
    assert (trained.added, trained.rejected_rows) == (2, [])
    with group.store.read() as s:
        got = s.execute(
            select(Volunteer.preferred_name, Course.name, TrainingCompletion.completed_on)
            .join(Volunteer, Volunteer.id == TrainingCompletion.volunteer_id)
            .join(Course)
            .order_by(Volunteer.preferred_name)
        ).all()
    assert [tuple(r) for r in got] == [
        ("Grace", "Safeguarding adults", date(2024, 1, 15)),
        ("Liam", "Mental health first aid", date(2023, 3, 3)),
    ]
    # The same training again: already recorded, so refused whole.
    with pytest.raises(ImportRefused):
        import_training(group, path, sheet="Training")


def test_import_is_audited_without_personal_data(group: SignedIn) -> None:
    import_volunteers(group, sample("volunteers-tidy.csv"))
    with group.store.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "import volunteers")).one()
    assert event.changes is not None
    assert '"added": 5' in event.changes and "volunteers-tidy.csv" in event.changes
    assert "Okafor" not in event.changes and "@" not in event.changes


def test_only_coordinators_import(group: SignedIn) -> None:
    from dataclasses import replace

    from peerdesk.models import UserRole

    volunteer = SignedIn(group.store, replace(group.actor, role=UserRole.VOLUNTEER))
    with pytest.raises(PermissionDenied):
        import_volunteers(volunteer, sample("volunteers-tidy.csv"))
    assert count(group, Volunteer) == 0


def test_dry_run_changes_nothing(group: SignedIn) -> None:
    result = import_volunteers(group, sample("volunteers-tidy.csv"), dry_run=True)
    assert result.added == 5 and result.dry_run
    assert count(group, Volunteer) == 0


# Values ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("03/04/2023", date(2023, 4, 3)),
        ("3/4/23", date(2023, 4, 3)),
        ("12/9/22", date(2022, 9, 12)),
        ("31/12/1999", date(1999, 12, 31)),
        ("1/1/75", date(1975, 1, 1)),
        ("05.02.2024", date(2024, 2, 5)),
        ("5 Feb 2024", date(2024, 2, 5)),
        ("5 February 2024", date(2024, 2, 5)),
        ("05-Feb-24", date(2024, 2, 5)),
        ("1st Sept 2023", date(2023, 9, 1)),
        ("2024-02-05", date(2024, 2, 5)),
        ("2024-02-05 00:00:00", date(2024, 2, 5)),
        (date(2024, 2, 5), date(2024, 2, 5)),
        ("  29/02/2024 ", date(2024, 2, 29)),
        ("", None),
        (None, None),
    ],
)
def test_british_dates(cell: str | date | None, expected: date | None) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "31/02/2024",
        "29/02/2023",
        "12/31/2024",
        "0/1/2024",
        "2024-13-01",
        "5 Fob 2024",
        "tomorrow",
        "1/2",
        "32/01/2024",
        "12/13/2024",
    ],
)
def test_impossible_or_us_dates_are_refused(cell: str) -> None:
    with pytest.raises(BadValue):
        parse_date(cell)


def test_emails_and_formula_cells() -> None:
    assert parse_email(" a.b@example.org ") == "a.b@example.org"
    for bad in ["marek@example", "no at sign", "a@b@c.org", "a b@c.org"]:
        with pytest.raises(BadValue):
            parse_email(bad)
    assert text("=1+1") == "=1+1"
    assert text("'=1+1") == "=1+1"  # peerdesk's own export quote comes off
    assert text("'quoted") == "'quoted"


# Reading: encodings, delimiters, refusals ------------------------------------------------------
ROWS = (
    "First name{d}Last name{d}Email{d}Start date\r\n"
    "Åse{d}Ó Dónaill{d}ase@example.org{d}5/2/2024\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_every_encoding_and_delimiter(
    group: SignedIn, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path, ROWS.format(d=delimiter), encoding)
    table = read_table(path)
    assert table.headers == ("First name", "Last name", "Email", "Start date")
    assert table.rows[0].cells == ("Åse", "Ó Dónaill", "ase@example.org", "5/2/2024")
    assert import_volunteers(group, path).added == 1
    assert volunteers(group)["Åse"].started_on == date(2024, 2, 5)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"\r\n\r\n", "no rows"),
        (b"First name,Last name\r\n", "header row but no people"),
        (b"\x00\x01\x02\x03\xff\xfe\x00binary", "not a CSV or Excel"),
        (b"PK\x03\x04 not really a zip", "cannot be opened"),
        (b"Colour,Size\r\nred,9\r\n", "no column peerdesk recognises as a name"),
    ],
)
def test_unreadable_files_are_refused_plainly(
    group: SignedIn, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as refused:
        import_volunteers(group, path)
    assert says in str(refused.value) and "\n" not in str(refused.value)
    assert count(group, Volunteer) == 0


def test_a_50_mb_file_is_refused_without_reading_it(group: SignedIn, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="50 MB, more than"):
        import_volunteers(group, path)


def test_missing_file_and_unknown_sheet(group: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="There is no file"):
        import_volunteers(group, tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="no sheet called 'Rota'"):
        import_volunteers(group, sample("volunteers.xlsx"), sheet="Rota")


def test_too_many_rows_refused(group: SignedIn, tmp_path: Path) -> None:
    body = "".join(f"P{n},Q\r\n" for n in range(20_001))
    path = write_csv(tmp_path, "First name,Last name\r\n" + body)
    with pytest.raises(ImportFileError, match="20,001 rows"):
        import_volunteers(group, path)


# Rules ------------------------------------------------------------------------------------------
def test_unknown_role_is_named(group: SignedIn, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Name,Roles\r\nAl Ba,Peer supporter / Juggler\r\n")
    with pytest.raises(ImportRefused) as refused:
        import_volunteers(group, path)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "Roles") and "'Juggler'" in problem.message


def test_duplicates_of_people_already_in_peerdesk(group: SignedIn, tmp_path: Path) -> None:
    import_volunteers(group, sample("volunteers-tidy.csv"))
    path = write_csv(
        tmp_path,
        "First name,Last name,Email\r\n"
        "Amara,Okafor,new.amara@example.org\r\n"  # same name: a warning, imported
        "Someone,Else,TOM.H@example.org\r\n",  # same email: an error
    )
    result = import_volunteers(group, path, skip_invalid=True)
    assert result.added == 1 and result.rejected_rows == [3]
    assert [(p.row, p.is_error) for p in result.problems] == [(2, False), (3, True)]


def test_status_column_and_missing_name(group: SignedIn, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "First name,Last name,Status\r\nAl,Ba,Paused\r\n,,active\r\nCy,Do,asleep\r\n",
    )
    result = import_volunteers(group, path, skip_invalid=True)
    assert result.rejected_rows == [3, 4]
    assert volunteers(group)["Al"].status.value == "paused"


def test_safeguarding_column_without_a_course_is_noted(
    coordinator: SignedIn, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "Name,Safeguarding training\r\nAl Ba,01/02/2024\r\n")
    result = import_volunteers(coordinator, path)
    assert result.added == 1 and "not imported" in result.notes[0]
    assert count(coordinator, TrainingCompletion) == 0


# Fuzzing ----------------------------------------------------------------------------------------
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADERS = ["First name", "Surname", "Name", "Email", "Phone", "Roles", "Start date", "Status", "X"]


def state(person: SignedIn) -> tuple[int, int]:
    return count(person, Volunteer), count(person, AuditEvent)


def import_checked(person: SignedIn, path: Path, skip_invalid: bool) -> None:
    """Either a plain refusal with the database unchanged, or a whole import."""
    before = state(person)
    try:
        result = import_volunteers(person, path, skip_invalid=skip_invalid)
    except (ImportFileError, ImportRefused) as err:
        assert str(err) and "\n" not in str(err)
        assert state(person) == before
        return
    assert state(person)[0] == before[0] + result.added


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_random_bytes_never_crash_or_half_import(
    group: SignedIn, tmp_path: Path, raw: bytes
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    import_checked(group, path, skip_invalid=False)


@FUZZ
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6, unique=True),
    cells=st.lists(st.lists(st.text(max_size=30), min_size=6, max_size=6), max_size=8),
    skip_invalid=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_cells_never_crash_or_half_import(
    group: SignedIn,
    tmp_path: Path,
    headers: list[str],
    cells: list[list[str]],
    skip_invalid: bool,
    delimiter: str,
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(row[: len(headers)] for row in cells)
    path = tmp_path / "cells.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    import_checked(group, path, skip_invalid)


# Formula-looking cells (CSV injection) ---------------------------------------------------------
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_looking_name_is_a_problem_row_not_a_person(
    group: SignedIn, tmp_path: Path, start: str
) -> None:
    name = f"{start}HYPERLINK(1)" if start not in "\t\r" else f"{start}=1+1"
    quoted = '"' + name + '"'
    path = write_csv(tmp_path, f"First name,Last name\r\n{quoted},Evans\r\nAna,Jones\r\n")
    with pytest.raises(ImportRefused) as refused:
        import_volunteers(group, path)
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.is_error) == (2, "First name", True)
    assert "looks like a spreadsheet formula, not a name. Check the file" in problem.message
    result = import_volunteers(group, path, skip_invalid=True)
    assert result.added == 1 and result.rejected_rows == [2]
    assert sorted(volunteers(group)) == ["Ana"]


def test_formula_looking_whole_names_notes_and_courses_are_refused(
    group: SignedIn, tmp_path: Path
) -> None:
    people = write_csv(
        tmp_path,
        "Name,Preferred name,Notes\r\n@SUM(1) Evans,,\r\nAna Jones,=Ana,\r\n"
        "Bo Lee,,+cmd|' /C calc'!A0\r\n",
        name="people.csv",
    )
    with pytest.raises(ImportRefused) as refused:
        import_volunteers(group, people)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "Name"),
        (3, "Preferred name"),
        (4, "Notes"),
    ]
    assert "the notes '+cmd|' /C calc'!A0' look like" in refused.value.problems[2].message
    with group.store.session(group.actor) as s:
        s.add(Volunteer(preferred_name="Cy", first_name="Cy", last_name="Day"))
    training = write_csv(
        tmp_path,
        "First name,Last name,Course,Date\r\nCy,Day,=Safeguarding,01/02/2024\r\n",
        name="training.csv",
    )
    with pytest.raises(ImportRefused) as refused:
        import_training(group, training)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "Course")]


def test_quoted_formula_text_and_international_phones_are_accepted(
    group: SignedIn, tmp_path: Path
) -> None:
    """The quote marks deliberate text (peerdesk's own export writes it); a phone number is
    checked as a phone number, so +44 is fine."""
    path = write_csv(tmp_path, "First name,Last name,Phone\r\n'-Ana,Jones,+44 7700 900123\r\n")
    result = import_volunteers(group, path)
    assert result.added == 1 and result.problems == []
    assert opened(group, volunteers(group)["-Ana"].phone) == "+44 7700 900123"
