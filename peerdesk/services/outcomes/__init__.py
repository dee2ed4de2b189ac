"""Feedback and outcome measures from the people the group supports (issue 19).

- `questions`: the measures library as the feedback screen asks it (`feedback_questions`).
- `participants`: codes (never names), self-described identity with consent, communities.
- `feedback`: recording one form (`record_feedback`), checked in one place.
- `goals`: a returning person's current goals, to rate again.
- `observation`: `OutcomeObservation`, the row every outcome figure is computed from.
"""
