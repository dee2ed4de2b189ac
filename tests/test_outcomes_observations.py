"""Outcome observations on a tiny fixture, every row written out by hand: one per scored item,
one per imported measure (its metric through its own table), one per goal rating; the
session's activity, mode, venue, weekday and hour; identity only while consent stands."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from peerdesk.models import EnteredFrom, FeedbackResponse, SessionMode
from peerdesk.services.outcomes.feedback import FeedbackForm, GoalEntry, record_feedback
from peerdesk.services.outcomes.measures import import_measure, read_measure_file
from peerdesk.services.outcomes.observation import OutcomeObservation
from peerdesk.services.outcomes.observations import outcome_observations
from peerdesk.services.outcomes.participants import (
    IdentityForm,
    add_community,
    withdraw_identity_consent,
)
from peerdesk.services.sessions import log_session
from peerdesk.services.volunteers.equality import EqualityAnswers
from tests.test_outcomes_measures import INVENTED
from tests.test_session_group import NOW, Group, ad_hoc, group

__all__ = ["group"]
pytestmark = pytest.mark.today(NOW.date())
THURSDAY = NOW.date()  # 26 Nov 2026; the session started at 12:00 UTC, 12:00 in London


def test_each_scored_answer_is_one_row_recomputed_by_hand(group: Group) -> None:
    with group.store.session(group.coordinator) as s:
        import_measure(s, group.coordinator, read_measure_file(INVENTED))
        polish = add_community(s, group.coordinator, "language", "Polish")
    data = ad_hoc(group, activity_id=group.group_activity, venue_id=group.hall,
                  mode=SessionMode.WALK_AND_TALK)  # fmt: skip
    with group.store.session(group.vic) as s:
        log_id = log_session(s, group.vic, data, NOW)
    consent = IdentityForm(EqualityAnswers(gender="Woman"), (polish,), consent=True)
    fox = FeedbackForm(
        EnteredFrom.SCREEN,
        session_log_id=log_id,
        participant_code="fox1",
        answers={"ons4.life_satisfaction": 6, "ons4.anxious": 7, "peer.understood": 5,
                 **{f"calm7.{n}": 4 for n in range(1, 8)}},
        what_helped="The walk",
        goals=(GoalEntry(3, wording="Sleep"),),
        identity=consent,
    )  # fmt: skip
    anonymous = FeedbackForm(EnteredFrom.PAPER, answers={"ons4.happy": 8},
                             answered_on=THURSDAY - timedelta(days=1))  # fmt: skip
    too_early = FeedbackForm(EnteredFrom.PAPER, participant_code="fox1", answers={"ons4.happy": 2},
                             answered_on=THURSDAY - timedelta(days=30))  # fmt: skip
    owl = FeedbackForm(EnteredFrom.PAPER, participant_code="owl2",
                       answers={"ons4.worthwhile": 9},
                       identity=IdentityForm(EqualityAnswers(gender="Man"), (), True))  # fmt: skip
    ids = {}
    with group.store.session(group.vic) as s:
        for name, form in (("fox", fox), ("anonymous", anonymous), ("early", too_early),
                           ("owl", owl)):  # fmt: skip
            ids[name] = record_feedback(s, group.vic, form).hex
        withdraw_identity_consent(s, group.vic, "owl2")
    with group.store.read() as s:
        responses = s.scalars(select(FeedbackResponse))
        people = {r.id.hex: r.participant_id.hex if r.participant_id else None for r in responses}
        found = outcome_observations(s, THURSDAY - timedelta(days=7), THURSDAY)
    fox_id, owl_id = people[ids["fox"]], people[ids["owl"]]
    assert people[ids["early"]] == fox_id  # the same person, outside the range

    def at_session(key: str, value: float) -> OutcomeObservation:
        return OutcomeObservation(ids["fox"], fox_id, THURSDAY, key, value, "Wednesday group",
                                  "walk_and_talk", "Church hall", 3, 12,
                                  {"gender": "Woman", "language": "Polish"})  # fmt: skip

    # calm7: seven answers of 4, raw 28 → 20 + 21 × 2.5 (28 is not a multiple of 3) = 72.5
    expected = [
        OutcomeObservation(ids["anonymous"], None, date(2026, 11, 25), "ons4.happy", 8.0,
                           None, None, None, 2, None, {}),
        *sorted(
            [at_session("calm7", 72.5), at_session("goal", 3.0),
             at_session("ons4.anxious", 7.0), at_session("ons4.life_satisfaction", 6.0),
             at_session("peer.understood", 5.0)],
            key=lambda o: o.measure_key,
        ),
        OutcomeObservation(ids["owl"], owl_id, THURSDAY, "ons4.worthwhile", 9.0,
                           None, None, None, 3, None, {}),
    ]  # fmt: skip
    expected.sort(key=lambda o: (o.answered_on, o.response_id, o.measure_key))
    assert found == expected


def test_an_empty_range_has_no_observations(group: Group) -> None:
    with group.store.read() as s:
        assert outcome_observations(s, THURSDAY, THURSDAY) == []
