"""How long each category is kept, in words a patron reads, in the active language.

Built from the retention schedule and what the apps know in force (the camera register),
so the privacy notice and the "what we keep" page can never drift from what the purge
does. Each app registers the words for its own categories (``register_period`` in its
``retention_rules``); every sentence goes through Django's translation framework.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from .schedule import Schedule

_PERIODS: dict[str, Callable[[Schedule], str]] = {}


def register_period(category: str, words: Callable[[Schedule], str]) -> None:
    """``words(schedule)``: how long ``category`` is kept, in the active language."""
    _PERIODS[category] = words


def public_periods() -> dict[str, str]:
    """How long each category is kept, in the active language, from the schedule and camera register."""
    from . import schedule

    s = schedule.get()
    out = {category: words(s) for category, words in _PERIODS.items()}
    out["database_search"] = gettext("Not stored at all.")
    return out
