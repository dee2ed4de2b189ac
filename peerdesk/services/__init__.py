"""Use cases over a Session: plain functions returning dataclasses. No Qt here."""
