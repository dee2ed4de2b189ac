"""Feedback and outcome measures from the people the group supports (issue 19).

- `questions`: the measures library as the feedback screen asks it (`feedback_questions`).
- `participants`: codes (never names) and self-described identity with consent.
- `feedback`: recording one form (`record_feedback`), checked in one place.
"""
