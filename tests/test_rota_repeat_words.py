"""A pattern's rule said in the pattern form's words, and read back into the form's choices;
a rule the form cannot make is said as itself (and `read_rule` gives None)."""

from datetime import time

import pytest

from peerdesk.services.rota.repeat_words import (
    FORTNIGHTLY,
    MONTHLY,
    WEEKLY,
    Repeat,
    hours_words,
    read_rule,
    rule_words,
)


@pytest.mark.parametrize(
    ("rule", "repeat", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", Repeat(WEEKLY, (1,)), "Every week on Tuesday"),
        ("freq=weekly;byday=th,mo", Repeat(WEEKLY, (0, 3)), "Every week on Mon, Thu"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=6",
            Repeat(FORTNIGHTLY, (4,), count=6),
            "Every two weeks on Friday, 6 times",
        ),
        (
            "FREQ=MONTHLY;BYDAY=+2TU",  # as the demo writes it
            Repeat(MONTHLY, nth=2, weekday=1),
            "Every month on the second Tuesday",
        ),
        (
            "FREQ=MONTHLY;BYDAY=-1SU",
            Repeat(MONTHLY, nth=-1, weekday=6),
            "Every month on the last Sunday",
        ),
        (
            "FREQ=WEEKLY;BYDAY=SA;COUNT=1;WKST=MO",
            Repeat(WEEKLY, (5,), count=1),
            "Every week on Saturday, 1 time",
        ),
    ],
)
def test_rules_the_form_makes(rule: str, repeat: Repeat, words: str) -> None:
    assert read_rule(rule) == repeat
    assert rule_words(rule) == words


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
        "FREQ=WEEKLY",  # no day: the form always names one
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270101",
        "FREQ=MONTHLY;BYDAY=5TU",
        "FREQ=MONTHLY;BYDAY=2TU,4TU",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=x",
    ],
)
def test_rules_the_form_cannot_make_are_said_as_themselves(rule: str) -> None:
    assert read_rule(rule) is None
    assert rule_words(rule) == f"By the rule {rule}"


def test_hours() -> None:
    assert hours_words(time(10), 150) == "10:00–12:30"
    assert hours_words(time(22), 240) == "22:00–02:00 the next day"
    assert hours_words(time(22), 120) == "22:00–00:00"


def test_dates_in_a_sentence() -> None:
    from datetime import date, timedelta

    from peerdesk.ui.rota.patterns_dialog import dates_words

    day = date(2026, 12, 1)
    assert dates_words([day]) == "1 Dec 2026"
    assert dates_words([day, day + timedelta(7)]) == "1 Dec 2026 and 8 Dec 2026"
    weeks = [day + timedelta(7 * n) for n in range(8)]
    assert dates_words(weeks) == (
        "1 Dec 2026, 8 Dec 2026, 15 Dec 2026, 22 Dec 2026, 29 Dec 2026 and 3 more"
    )
