"""Supervision: who is due (cadence), recording sessions, what each person may see of them, and
the follow-ups waiting in a supervisor's queue."""
