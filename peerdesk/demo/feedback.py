"""Invented feedback from the people the demo group supports, over its whole history.

About half of the sessions have any feedback. Most forms are anonymous one-offs; some people
come back under a code they chose, answering again each time, so their wellbeing can be
followed from first to later measures. How much it changes depends, plausibly, on the kind of
activity, the mode (online a little less than in person) and the person's community (the
language groups help the people who share that language most), so the analysis has something
real to find. About half the people describe themselves, with consent; a few forms come in on
paper and are typed in days later; some regulars set goals and rate them as they go. Words
("What helped?", goals) are rare: they are sealed one by one when the demo is set up.
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from peerdesk.dates import local
from peerdesk.demo.activity import LoggedSession
from peerdesk.demo.context import DemoContext, Rows
from peerdesk.demo.equality import AGE_BANDS, ETHNICITIES, PREFER_NOT, answer, weighted
from peerdesk.models import (
    ActivityKind,
    Community,
    EnteredFrom,
    FeedbackAnswer,
    FeedbackResponse,
    Goal,
    GoalRating,
    Participant,
    ParticipantCommunity,
    ParticipantIdentity,
    SessionMode,
)

FEEDBACK_CHANCE = 0.47  # of sessions with any feedback
RETURNING_CHANCE = 0.3  # of forms, from someone with a code
PAPER_CHANCE = 0.07
WORDS_CHANCE = 0.02
GOAL_CHANCE = 0.3  # of regulars, who set goals
IDENTITY_CHANCE = {True: 0.6, False: 0.4}  # regulars, one-offs
# Wellbeing gained over many visits (0–10 points), by kind of activity.
GAIN = {
    ActivityKind.WALK_AND_TALK: 2.2,
    ActivityKind.GROUP: 1.6,
    ActivityKind.ONE_TO_ONE: 1.9,
    ActivityKind.PHONE_ONLINE: 0.9,
}
MODE_GAIN = {SessionMode.ONLINE: -0.4, SessionMode.PHONE: -0.2}
COMMUNITIES = (
    ("language", "Polish", 4),
    ("language", "Arabic", 4),
    ("language", "Bengali", 3),
    ("neighbourhood", "Whitehawk", 12),
    ("neighbourhood", "Moulsecoomb", 10),
    ("neighbourhood", "Hangleton", 8),
)
CODE_WORDS = ("heron", "fox", "wren", "otter", "kite", "lark", "badger", "moth", "finch",
              "hare", "owl", "robin", "swift", "vole", "tern", "dove", "stoat", "newt")  # fmt: skip
WHAT_HELPED = (
    "Being listened to without being rushed.",
    "Walking side by side made it easier to talk.",
    "Hearing that others have felt the same.",
    "The tea and the quiet corner.",
    "Someone remembered what I said last time.",
    "Being able to speak in my own language.",
    "Not having to explain everything from the start.",
)
GOALS = (
    "Get out of the house on two days a week",
    "Sleep through more nights",
    "Call a friend once a week",
    "Go back to the allotment",
    "Feel able to go to the shops on my own",
    "Cook a proper meal for myself",
)


@dataclass
class Regular:
    """Someone who comes back, under their code."""

    participant_id: uuid.UUID
    kind: ActivityKind  # what they usually come to
    base: float  # life satisfaction at their first visit
    visits_left: int
    community: tuple[str, str] | None = None
    visits: int = 0
    goals: list[uuid.UUID] = field(default_factory=list)


class FeedbackMaker:
    def __init__(self, ctx: DemoContext, rng: random.Random, rows: Rows,
                 items: dict[str, uuid.UUID], coordinator_id: uuid.UUID) -> None:  # fmt: skip
        self.ctx, self.rng, self.rows, self.items = ctx, rng, rows, items
        self.coordinator_id = coordinator_id
        self.regulars: dict[ActivityKind, list[Regular]] = {kind: [] for kind in ActivityKind}
        self.codes: set[str] = set()
        self.communities = {
            (kind, name): rows.record(Community, ctx.stamp(ctx.history_start, 9), kind=kind,
                                      name=name, active=True)
            for kind, name, _ in COMMUNITIES
        }  # fmt: skip
        self.responses = 0

    def session(self, log: LoggedSession) -> None:
        rng = self.rng
        if rng.random() >= FEEDBACK_CHANCE:
            return
        attendees = int(log.row["attendees"])
        forms = 1 if attendees <= 1 else rng.choices((1, 2, 3), (70, 22, 8))[0]
        for _ in range(min(forms, attendees)):
            if rng.random() < RETURNING_CHANCE:
                self.returning_form(log)
            else:
                self.one_off_form(log)

    # People --------------------------------------------------------------------------
    def new_code(self) -> str:
        while True:
            code = f"{self.rng.choice(CODE_WORDS)}{self.rng.randint(1, 999)}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def regular_for(self, log: LoggedSession, day: date) -> Regular:
        """Someone still coming to this kind of activity (those who have stopped are dropped
        from the list), or now and then a new person with a new code."""
        known = self.regulars[log.kind]
        if known and self.rng.random() < 0.8:
            return self.rng.choice(known)
        rng = self.rng
        created = self.ctx.stamp(day, 12)
        participant = self.rows.record(Participant, created, code=self.new_code())
        regular = Regular(participant, log.kind, rng.gauss(4.6, 1.4), rng.randint(2, 14))
        if rng.random() < IDENTITY_CHANCE[True]:
            regular.community = self.add_identity(participant, day)
        self.regulars[log.kind].append(regular)
        return regular

    def add_identity(self, participant: uuid.UUID, day: date) -> tuple[str, str] | None:
        rng = self.rng
        created = self.ctx.stamp(day, 12)
        self.rows.record(
            ParticipantIdentity, created,
            participant_id=participant,
            consent_given_at=created,
            consent_entered_by_user_id=None,
            consent_withdrawn_at=None,
            age_band=answer(rng, rng.choice(AGE_BANDS)),
            gender=answer(rng, rng.choices(("Woman", "Man", "Non-binary"), (55, 40, 5))[0]),
            ethnicity=answer(rng, weighted(rng, ETHNICITIES)),
            disability=answer(rng, "Yes" if rng.random() < 0.35 else "No"),
            sexual_orientation=None,
            religion=None,
            lived_experience=PREFER_NOT if rng.random() < 0.1 else None,
        )  # fmt: skip
        if rng.random() < 0.3:
            return None
        kind, name, _ = rng.choices(COMMUNITIES, [w for _, _, w in COMMUNITIES])[0]
        link = {"participant_id": participant, "community_id": self.communities[(kind, name)]}
        self.rows.add(ParticipantCommunity, link)
        return (kind, name)

    # Forms ---------------------------------------------------------------------------
    def returning_form(self, log: LoggedSession) -> None:
        day = local(log.row["started_at"]).date()
        regular = self.regular_for(log, day)
        regular.visits += 1
        regular.visits_left -= 1
        if regular.visits_left == 0:
            self.regulars[log.kind].remove(regular)
        progress = 1 - math.exp(-(regular.visits - 1) / 3)
        level = regular.base + progress * self.gain(log, regular.community)
        response = self.response(log, regular.participant_id)
        self.wellbeing(response, log, level)
        if regular.visits == 1 and self.rng.random() < GOAL_CHANCE:
            for wording in self.rng.sample(GOALS, self.rng.randint(1, 2)):
                regular.goals.append(self.rows.record(
                    Goal, self.ctx.stamp(day, 13), participant_id=regular.participant_id,
                    wording=wording, entered_by_user_id=None, set_on=day, ended_on=None,
                ))  # fmt: skip
        for goal in regular.goals:
            rating = round(min(10, max(0, 2 + progress * 6 + self.rng.gauss(0, 1))))
            self.rows.record(GoalRating, self.ctx.stamp(day, 13), goal_id=goal,
                             response_id=response, rating=rating)  # fmt: skip

    def one_off_form(self, log: LoggedSession) -> None:
        participant = None
        community = None
        if self.rng.random() < IDENTITY_CHANCE[False]:
            day = local(log.row["started_at"]).date()
            participant = self.rows.record(Participant, self.ctx.stamp(day, 12), code=None)
            community = self.add_identity(participant, day)
        level = self.rng.gauss(4.8, 1.5) + 0.3 * self.gain(log, community)
        self.wellbeing(self.response(log, participant), log, level)

    def gain(self, log: LoggedSession, community: tuple[str, str] | None) -> float:
        gained = GAIN[log.kind] + MODE_GAIN.get(log.row["mode"], 0.0)
        if community and community[0] == "language" and log.kind is ActivityKind.GROUP:
            gained += 1.2  # a group in their own language
        return gained

    def response(self, log: LoggedSession, participant: uuid.UUID | None) -> uuid.UUID:
        rng, row = self.rng, log.row
        paper = rng.random() < PAPER_CHANCE
        answered = self.ctx.cap(row["ended_at"] + timedelta(minutes=rng.randint(1, 10)))
        created = self.ctx.cap(answered + timedelta(days=rng.randint(1, 9))) if paper else answered
        self.responses += 1
        return self.rows.record(
            FeedbackResponse, created,
            participant_id=participant,
            session_log_id=row["id"],
            activity_id=row["activity_id"],
            venue_id=row["venue_id"],
            mode=row["mode"],
            held_at=row["started_at"],
            answered_on=local(row["started_at"]).date(),
            entered_from=EnteredFrom.PAPER if paper else EnteredFrom.SCREEN,
            entered_by_user_id=self.coordinator_id if paper else None,
        )  # fmt: skip

    def wellbeing(self, response: uuid.UUID, log: LoggedSession, level: float) -> None:
        rng = self.rng
        scores = {
            "ons4.life_satisfaction": level,
            "ons4.worthwhile": level + 0.8,
            "ons4.happy": level + rng.gauss(0, 1.2),
            "ons4.anxious": 10.4 - level + rng.gauss(0, 1.3),
        }
        agree = 3.4 + (level - 4.5) * 0.25
        scores.update({"peer.understood": agree + 0.6, "peer.less_alone": agree + 0.3,
                       "peer.come_again": agree + 0.8})  # fmt: skip
        for key, value in scores.items():
            if rng.random() < 0.06:
                continue  # left blank
            top, bottom = (10, 0) if key.startswith("ons4") else (5, 1)
            answer_value = round(min(top, max(bottom, value + rng.gauss(0, 0.8))))
            self.rows.add(FeedbackAnswer, {"response_id": response, "item_id": self.items[key],
                                           "value": answer_value, "words": None})  # fmt: skip
        if rng.random() < WORDS_CHANCE:
            words = rng.choice(WHAT_HELPED)
            item = self.items["peer.what_helped"]
            self.rows.add(FeedbackAnswer, {"response_id": response, "item_id": item,
                                           "value": None, "words": words})  # fmt: skip


def add_feedback(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    logged: list[LoggedSession],
    items: dict[str, uuid.UUID],
    coordinator_id: uuid.UUID,
) -> int:
    """Feedback on the logged sessions, oldest first; returns how many forms."""
    maker = FeedbackMaker(ctx, rng, rows, items, coordinator_id)
    for log in sorted(logged, key=lambda log: log.row["started_at"]):
        maker.session(log)
    return maker.responses
