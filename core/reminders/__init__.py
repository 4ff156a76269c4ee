"""Reminders: generated idempotently from pluggable sources, listed and acknowledged by the people
responsible. The tortoise app label is ``reminders`` (migrations in ``migrations/reminders``)."""
