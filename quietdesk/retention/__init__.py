"""Retention: the schedule, the purge, legal holds and the inventory."""


def public_schedule() -> dict[str, str]:
    """{policy category: how long it is kept, in plain words} for the patron-facing notice."""
    from .period_words import public_periods

    return public_periods()
