"""The measures library: importing a licensed measure from the organisation's own copy (here an
invented measure of SWEMWBS's shape: 7 items on a 1–5 scale, raw 7–35 → an invented metric),
each problem with a file named in one sentence, scoring through the measure's own table, and
the command line."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from peerdesk.cli import main
from peerdesk.errors import ValidationError
from peerdesk.models import EnteredFrom, Measure, MeasureItem, MeasureKind
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.feedback import FeedbackForm, feedback_questions, record_feedback
from peerdesk.services.outcomes.measures import (
    group_questions,
    import_measure,
    list_measures,
    parse_measure,
    read_measure_file,
    reword_question,
    score,
    switch_measure,
)
from peerdesk.services.permissions import PermissionDenied
from tests.conftest import TEST_SECRET, TEST_USER
from tests.test_session_group import Group, group

__all__ = ["group"]
INVENTED = Path(__file__).parent / "data" / "invented_measure.json"


def invented(**changes: object) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(INVENTED.read_text())
    raw.update(changes)
    return raw


def test_the_invented_measure_is_read_and_scored_through_its_own_table() -> None:
    measure = read_measure_file(INVENTED)
    assert (measure.key, len(measure.items), measure.scale[0], measure.scale[-1]) == (
        "calm7",
        7,
        (1, "Not at all"),
        (5, "Very much"),
    )
    assert sorted(measure.scoring) == list(range(7, 36))
    # The table, not the raw total: 1+2+3+4+5+3+3 = 21 → 20 + 14 × 2.5 + 0.4 (21 is a multiple of 3)
    assert score(measure.scoring, [1, 2, 3, 4, 5, 3, 3]) == 55.4
    assert score(measure.scoring, [1] * 7) == 20.0
    assert score(measure.scoring, [5] * 7) == 90.0


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ([], "one JSON object"),
        ({"key": "x"}, 'The file has no "name".'),
        (invented(format="other"), '"format" must be'),
        (invented(key="Calm 7"), '"key" must be 2 to 30 small letters'),
        (invented(key="ons4"), "peerdesk's own"),
        (invented(notice=" "), "its licence says what to print"),
        (invented(items=[]), '"items" must be a list'),
        (invented(items=["One", "", "Three"]), "Item 2 has no wording"),
        (invented(scale=[[1, "Only"]]), "2 to 11 answers"),
        (invented(scale=[[1, "A"], [3, "B"]]), "one apart"),
        (invented(scoring={str(t): 1.0 for t in range(7, 30)}), "does not cover raw totals 30–35"),
        (invented(scoring={str(t): 1.0 for t in range(6, 36)}), "cannot happen \\(6\\)"),
        (invented(scoring={**invented()["scoring"], "12": "high"}), "metric for 12 is not a"),
        (invented(lower_is_better="yes"), "true or false"),
    ],
)  # fmt: skip
def test_each_problem_with_a_measure_file_is_one_sentence(raw: object, sentence: str) -> None:
    with pytest.raises(ValidationError, match=sentence):
        parse_measure(raw)


def test_several_problems_are_named_together() -> None:
    with pytest.raises(ValidationError) as raised:
        parse_measure(invented(key="X", notice="", items=["a", ""]))
    message = str(raised.value)
    assert '"key"' in message and '"notice"' in message and "Item 2" in message


def test_a_file_that_is_not_json_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "measure.json"
    bad.write_text("{ not json")
    with pytest.raises(ValidationError, match=r"measure\.json is not a measure file.*line 1"):
        read_measure_file(bad)
    with pytest.raises(ValidationError, match="cannot be read"):
        read_measure_file(tmp_path / "missing.json")


def test_an_imported_measure_is_asked_recorded_and_switched_off(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        import_measure(s, group.coordinator, read_measure_file(INVENTED))
    with group.store.read() as s:
        questions = feedback_questions(s)
        calm = [q for q in questions if q.measure_key == "calm7"]
        assert [q.item_key for q in calm] == [f"calm7.{n}" for n in range(1, 8)]
        assert questions[-1].item_key == "calm7.7"  # after ONS4 and the peer questions
        assert calm[0].choices[0] == (1, "Not at all") and calm[0].notice is not None
    half = FeedbackForm(EnteredFrom.SCREEN, answers={"calm7.1": 3, "calm7.2": 4})
    refused = pytest.raises(ValidationError, match="Answer all 7 questions of Calm and coping")
    with refused, group.store.session(group.vic) as s:
        record_feedback(s, group.vic, half)
    whole = FeedbackForm(EnteredFrom.SCREEN, answers={f"calm7.{n}": 4 for n in range(1, 8)})
    with group.store.session(group.vic) as s:
        record_feedback(s, group.vic, whole)
    with group.store.session(group.coordinator) as s:
        switched = switch_measure(s, group.coordinator, " CALM7 ", active=False)
    assert (switched.active, switched.responses, switched.items) == (False, 1, 7)
    with group.store.read() as s:
        assert not [q for q in feedback_questions(s) if q.measure_key == "calm7"]
        kinds = {m.key: m.kind for m in list_measures(s, group.vic)}
    assert kinds == {"ons4": MeasureKind.BUILT_IN, "peer": MeasureKind.GROUP_SET,
                     "calm7": MeasureKind.IMPORTED}  # fmt: skip


def test_only_coordinators_import_and_a_key_is_imported_once(group: Group) -> None:
    definition = read_measure_file(INVENTED)
    with pytest.raises(PermissionDenied), group.store.session(group.vic) as s:
        import_measure(s, group.vic, definition)
    with group.store.session(group.coordinator) as s:
        import_measure(s, group.coordinator, definition)
    refused = pytest.raises(ValidationError, match='already a measure "calm7"')
    with refused, group.store.session(group.coordinator) as s:
        import_measure(s, group.coordinator, definition)
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Measure)) == 3
        assert s.scalar(select(func.count()).select_from(MeasureItem)) == 8 + 7


def test_only_the_group_s_own_questions_are_reworded_by_a_coordinator(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        reword_question(s, group.coordinator, "peer.less_alone", "  I felt   less on my own ")
        for key, text, sentence in (
            ("ons4.happy", "Happy?", "not one of the group's own questions"),
            ("peer.understood", "   ", "has no wording"),
            ("peer.understood", "x" * 501, "at most 500 letters; this one has 501"),
        ):
            with pytest.raises(ValidationError, match=sentence):
                reword_question(s, group.coordinator, key, text)
    with pytest.raises(PermissionDenied), group.store.session(group.vic) as s:
        reword_question(s, group.vic, "peer.less_alone", "Less alone")
    with group.store.read() as s:
        words = {q.key: q.text for q in group_questions(s, group.coordinator)}
        asked = {q.item_key: q.text for q in feedback_questions(s)}
    assert words["peer.less_alone"] == asked["peer.less_alone"] == "I felt less on my own"
    assert words["peer.understood"] == asked["peer.understood"] == "I felt understood"
    assert set(words) == {k for k in asked if k.startswith("peer.")}


@pytest.mark.file_only  # the command on the data folder's file
def test_the_command_line_imports_prints_the_notice_lists_and_switches_off(
    coordinator: SignedIn,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = coordinator.store.folder
    coordinator.store.close(backup=False)
    monkeypatch.setenv("PEERDESK_PASSWORD", TEST_SECRET)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["measure", *argv, "--data-dir", str(folder.root), "--user", TEST_USER])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("import", str(INVENTED))
    assert code == 0 and "Imported Calm and coping" in out and "invented measure" in out
    code, out, _ = run("list")
    assert code == 0 and "calm7: Calm and coping" in out and "imported, on" in out
    assert "ons4: ONS personal wellbeing" in out and "Office for National Statistics" in out
    code, out, _ = run("off", "calm7")
    assert code == 0 and "no longer asked" in out
    code, out, err = run("off", "nothing")
    assert code != 0 and 'There is no measure "nothing"' in err and "Traceback" not in err
    code, _, err = run("import", str(INVENTED))
    assert code != 0 and "already a measure" in err
