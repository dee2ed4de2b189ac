"""What works for whom, from observations alone: every figure worked out by hand from a small
fixture, suppression of small groups, and intervals that hold the true mean on synthetic data."""

import math
import zlib
from collections import Counter
from datetime import date

import numpy as np
import pytest

from peerdesk.services.outcomes import analysis
from peerdesk.services.outcomes.analysis import ChangeEstimate, Dimension, FeedbackEstimate
from peerdesk.services.outcomes.observation import OutcomeObservation

HAPPY = "ons4.happy"
ANXIOUS = "ons4.anxious"
UNDERSTOOD = "peer.understood"


def answer(
    form: str,
    person: str | None,
    day: int,
    measure: str,
    score: float,
    activity: str = "Walk and talk group",
    mode: str = "In person",
    hour: int = 10,
    identity: dict[str, str] | None = None,
) -> OutcomeObservation:
    return OutcomeObservation(
        response_id=form,
        person=person,
        answered_on=date(2026, 3, day),
        measure_key=measure,
        score=score,
        activity=activity,
        mode=mode,
        venue="Library",
        weekday=date(2026, 3, day).weekday(),
        hour=hour,
        identity=identity or {},
    )


# Three people on the walk, one at the café; one form without a code.
FIXTURE = [
    answer("f1", "ash", 2, HAPPY, 4),
    answer("f1", "ash", 2, UNDERSTOOD, 4),
    answer("f2", "ash", 16, HAPPY, 7),  # ash: +3
    answer("f2", "ash", 16, UNDERSTOOD, 2),  # ash's average answer: 3
    answer("f3", "bay", 3, HAPPY, 5),
    answer("f4", "bay", 17, HAPPY, 6),  # bay: +1
    answer("f5", "cedar", 4, HAPPY, 6, activity="Café", hour=18),
    answer("f6", "cedar", 25, HAPPY, 6, activity="Café", hour=18),  # cedar: 0, at the café
    answer("f7", "dune", 5, HAPPY, 8),  # dune answered once: no change
    answer("f8", None, 6, HAPPY, 9),
    answer("f8", None, 6, UNDERSTOOD, 5),
]


def test_change_by_activity_is_last_less_first_and_small_groups_show_nothing() -> None:
    found = analysis.breakdown(FIXTURE, HAPPY, Dimension.ACTIVITY, threshold=2)
    walk, cafe = found.groups
    assert isinstance(walk, ChangeEstimate)
    assert (walk.group, walk.people, walk.mean_change, walk.shown) == (
        "Walk and talk group", 2, 2.0, True  # (3 + 1) / 2
    )  # fmt: skip
    # Forms f1-f4, f7 and f8 were on the walk; f5 and f6 at the café.
    assert (walk.responses, cafe.responses) == (6, 2)
    assert walk.low is not None and walk.high is not None
    assert 1.0 <= walk.low <= 2.0 <= walk.high <= 3.0  # the mean of two people lies between them
    assert (cafe.group, cafe.people, cafe.shown, cafe.mean_change, cafe.low) == (
        "Café", 1, False, None, None
    )  # fmt: skip
    assert found.hidden_groups == 1
    assert "1 group has fewer than 2 people" in found.note
    assert found.overall.people == 3
    assert found.overall.mean_change == pytest.approx((3 + 1 + 0) / 3)


def test_threshold_hides_every_group_below_it() -> None:
    found = analysis.breakdown(FIXTURE, HAPPY, Dimension.ACTIVITY, threshold=5)
    assert not any(g.shown for g in found.groups)
    assert all(g.mean_change is None for g in found.groups if isinstance(g, ChangeEstimate))
    assert not found.overall.shown  # three people in all


def test_feedback_averages_each_person_first_and_counts_uncoded_forms_apart() -> None:
    found = analysis.breakdown(FIXTURE, UNDERSTOOD, Dimension.ACTIVITY, threshold=2)
    assert found.feedback
    walk = found.groups[0]
    assert isinstance(walk, FeedbackEstimate)
    # ash: (4 + 2) / 2 = 3; the uncoded form f8: 5.
    assert (walk.people, walk.mean_score) == (2, 4.0)


def test_response_rate_is_forms_over_attendances() -> None:
    attendances = {"Walk and talk group": 24, "Café": 10, "": 34}
    found = analysis.breakdown(FIXTURE, HAPPY, Dimension.ACTIVITY, 2, attendances)
    walk, cafe = found.groups
    assert walk.response_rate == pytest.approx(6 / 24)
    assert cafe.response_rate == pytest.approx(2 / 10)
    assert found.overall.response_rate == pytest.approx(8 / 34)


def test_time_of_day_day_of_week_and_identity() -> None:
    assert [analysis.time_of_day(h) for h in (0, 11, 12, 16, 17, 23)] == [
        "Morning", "Morning", "Afternoon", "Afternoon", "Evening", "Evening"
    ]  # fmt: skip
    by_time = analysis.breakdown(FIXTURE, HAPPY, Dimension.TIME_OF_DAY, 1)
    assert {g.group: g.people for g in by_time.groups} == {"Morning": 2, "Evening": 1}
    by_day = analysis.breakdown(FIXTURE, HAPPY, Dimension.WEEKDAY, 1)
    # ash's last form was on Monday 16 March, bay's on Tuesday 17, cedar's on Wednesday 25.
    assert {g.group: g.people for g in by_day.groups if g.people} == {
        "Monday": 1, "Tuesday": 1, "Wednesday": 1
    }  # fmt: skip
    tagged = [
        answer("g1", "eve", 2, HAPPY, 3, identity={"language": "Polish"}),
        answer("g2", "eve", 9, HAPPY, 5, identity={"language": "Polish"}),
        answer("g3", "fen", 2, HAPPY, 3),
        answer("g4", "fen", 9, HAPPY, 4),
    ]
    language = analysis.identity_dimension("language")
    assert analysis.identity_dimensions(tagged) == (language,)
    by_language = analysis.breakdown(tagged, HAPPY, language, 1)
    assert {g.group: g.people for g in by_language.groups} == {
        "Polish": 1, analysis.NOT_RECORDED: 1
    }  # fmt: skip
    # A mean of one person is that person's answer: not shown even with a threshold of 1.
    assert not any(g.shown for g in by_language.groups)
    assert by_language.overall.mean_change == 1.5


def test_ons4_are_four_measures_never_summed_and_anxious_lower_is_better() -> None:
    form = [answer("h1", "gale", 2, m, 5) for m in analysis.ONS4]
    assert analysis.measures_in([*form, *FIXTURE]) == (*analysis.ONS4, UNDERSTOOD)
    anxious = analysis.breakdown(form, ANXIOUS, Dimension.MODE, 1)
    assert (
        anxious.lower_is_better and not analysis.breakdown(form, HAPPY, "mode", 1).lower_is_better
    )


def test_measure_summary_and_reach() -> None:
    happy = analysis.measure_summary(FIXTURE, HAPPY, threshold=2)
    # First answers: ash 4, bay 5, cedar 6, dune 8, the uncoded form 9.
    assert happy.people == 5
    assert happy.mean_first == pytest.approx((4 + 5 + 6 + 8 + 9) / 5)
    assert happy.people_changed == 3
    assert happy.mean_change == pytest.approx(4 / 3)
    reach = analysis.reach(FIXTURE)
    assert (reach.people, reach.returning, reach.responses, reach.without_code) == (4, 3, 8, 1)


def test_intervals_are_reproducible() -> None:
    a = analysis.breakdown(FIXTURE, HAPPY, Dimension.ACTIVITY, 2)
    b = analysis.breakdown(list(reversed(FIXTURE)), HAPPY, Dimension.ACTIVITY, 2)
    assert a == b


def test_an_interval_is_the_percentile_bootstrap_with_its_own_seed() -> None:
    """Recomputed in plain Python from the same seed's draws: how often each distinct change
    is drawn in each of the 2,000 resamples, each resample's mean, then the 2.5th and 97.5th
    percentiles by linear interpolation between the sorted means."""
    values = [float(v) for v in np.random.default_rng(7).integers(-10, 11, size=301)]
    seen = Counter(values)
    distinct = sorted(seen)
    rng = np.random.default_rng(zlib.crc32(b"ons4.happy|activity|Walk and talk"))
    draws = rng.multinomial(301, [seen[v] / 301 for v in distinct], size=2000)
    means = sorted(
        sum(int(c) * v for c, v in zip(row, distinct, strict=True)) / 301 for row in draws
    )

    def percentile(q: float) -> float:
        at = (len(means) - 1) * q
        below = math.floor(at)
        return means[below] + (means[below + 1] - means[below]) * (at - below)

    low, high = analysis.interval(values, "ons4.happy|activity|Walk and talk")
    assert low == pytest.approx(percentile(0.025))
    assert high == pytest.approx(percentile(0.975))
    # The order of the people does not matter, only how many gave each value.
    assert analysis.interval(values[::-1], "ons4.happy|activity|Walk and talk") == (low, high)


def resampled_people(values: list[float], seed: int) -> tuple[float, float]:
    """The reference: the percentile bootstrap as textbooks state it, n people picked with
    replacement, here 20,000 times so that its own Monte-Carlo error is small."""
    data = np.asarray(values)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(data), size=(20_000, len(data)), dtype=np.int32)
    low, high = np.percentile(data[picks].mean(axis=1), [2.5, 97.5])
    return float(low), float(high)


@pytest.mark.parametrize("people", [12, 60, 400])
def test_drawing_counts_gives_the_interval_of_resampling_people(people: int) -> None:
    """Invented changes, skewed as real ones are: the counts' interval and the reference's
    agree within Monte-Carlo error. An end of a 2,000-resample interval wanders by about 0.06
    standard errors of the mean from one seed to the next (the reference's by a third of
    that), so a quarter of a standard error is four times the error of the difference; drawing
    the wrong distribution, such as resamples of half the people, is 0.8 of one off."""
    rng = np.random.default_rng(people)
    values = [float(v) for v in rng.choice([-4, -1, 0, 0, 1, 1, 2, 3, 6], size=people)]
    error = float(np.std(values)) / math.sqrt(people)
    low, high = analysis.interval(values, f"invented|{people}")
    ref_low, ref_high = resampled_people(values, seed=people)
    assert abs(low - ref_low) < 0.25 * error
    assert abs(high - ref_high) < 0.25 * error


def test_everyone_is_one_interval_in_every_table() -> None:
    """Everyone's change is the same people whatever the dimension: one interval, the one the
    measure's summary prints."""
    rng = np.random.default_rng(11)
    found = synthetic(0.5, 30, rng)
    overall = {
        analysis.breakdown(found, HAPPY, d, 5).overall
        for d in (*analysis.SESSION_DIMENSIONS, analysis.identity_dimension("language"))
    }
    assert len(overall) == 1
    (everyone,) = overall
    summary = analysis.measure_summary(found, HAPPY, 5)
    assert (everyone.low, everyone.high) == (summary.change_low, summary.change_high)
    together = analysis.breakdowns(found, [HAPPY], analysis.SESSION_DIMENSIONS, 5)
    assert {b.overall for b in together} == overall


def synthetic(effect: float, people: int, rng: np.random.Generator) -> list[OutcomeObservation]:
    """Each person answers twice; their second score is the first plus `effect` and noise."""
    found = []
    for p in range(people):
        first = float(rng.uniform(2, 7))
        found.append(answer(f"a{p}", f"p{p}", 1, HAPPY, first))
        found.append(answer(f"b{p}", f"p{p}", 20, HAPPY, first + effect + rng.normal(0, 2)))
    return found


def test_interval_holds_a_known_effect() -> None:
    rng = np.random.default_rng(19)
    found = analysis.breakdown(synthetic(1.5, 400, rng), HAPPY, Dimension.ACTIVITY, 5).overall
    assert found.low is not None and found.high is not None
    assert found.low < 1.5 < found.high
    assert found.high - found.low < 0.6  # about 4 standard errors of 2 / sqrt(400)


def test_intervals_cover_the_true_mean_about_95_times_in_100() -> None:
    rng = np.random.default_rng(2026)
    covered = 0
    runs = 200
    for _ in range(runs):
        found = analysis.breakdown(synthetic(0.8, 40, rng), HAPPY, Dimension.ACTIVITY, 5).overall
        assert found.low is not None and found.high is not None
        covered += found.low <= 0.8 <= found.high
    # A percentile interval from 40 people falls a little short of 95 %; far off means a bug.
    assert 0.88 * runs <= covered <= 0.99 * runs
