"""The purge's rules: one per kind of record, registered by the app that keeps it.

Each rule says, in SQL over constant table and column names, which rows are
records of its kind (``population``, for the inventory) and which are past
their rule (``due``, from the schedule and the run's ``as_of``), and what to do
with them: delete, or anonymize (cut the link to the patron). Rules whose work
is more than one statement (registration expiry, programs, computer sessions,
reference notes) bring their own ``step``; records kept as files (camera
footage) register a ``Files``. The legal-hold exclusion (``holds.exclusion``;
for a patron's record itself, ``holds.record_exclusion``) is added to every ``due``.

Retention depends on nothing it purges: each app registers its rules in its
``AppConfig.ready()`` (``patrons``, ``circulation`` and ``records``, in their
``retention_rules`` modules), as ``legal.registry`` takes the producers. Rules run
in the order they are registered, which is the order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from .schedule import Schedule


@dataclass(frozen=True)
class Ctx:
    as_of: datetime.datetime
    schedule: Schedule

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.as_of)

    def before(self, days: int):
        """Parameter: the first day still kept by a rule of ``days`` days."""
        return connection.ops.adapt_datefield_value(self.today - datetime.timedelta(days=days))

    def day(self, value: datetime.date):
        return connection.ops.adapt_datefield_value(value)

    def moment(self, value: datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)


@dataclass(frozen=True)
class Rule:
    key: str
    category: str  # policy category, as legal holds name it
    label: str
    model: type[models.Model]
    action: str  # delete | anonymize | step (``step`` does the work)
    population: str | Callable[[Ctx], tuple[str, list]]  # WHERE: records of this kind
    due: Callable[[Ctx], tuple[str, list]]  # WHERE: past their rule (legal holds aside)
    limit: Callable[[Schedule], str]  # the rule in words, for the inventory
    end_col: str
    start_col: str | None = None
    patron_col: str | None = None
    sets: Callable[[Ctx], tuple[str, list]] | None = None  # anonymize: SET clause
    whole_record: bool = False  # a patron's record itself: any hold naming them keeps it (holds.record_exclusion)
    # action "step": step(purger, rule, due condition, params), in batches that call purger.commit
    step: Callable[..., None] | None = None

    def population_sql(self, ctx: Ctx) -> tuple[str, list]:
        return self.population(ctx) if callable(self.population) else (self.population, [])

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def int_pk(self) -> bool:
        return self.model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}


@dataclass(frozen=True)
class Files:
    """Records kept as files outside the database (camera footage), purged by their app's code."""

    key: str  # the run's count
    category: str  # policy category, as legal holds name it
    label: str  # what the count is, for `quietdesk purge`
    due: Callable[[Ctx, list], tuple[int, int]]  # (files due, files kept for legal holds); writes nothing
    purge: Callable[..., int]  # purge(purger, active holds) -> files kept for legal holds


def days_after(n: int, what: str) -> str:
    return f"{n} day{'s' if n != 1 else ''} after {what}" if n else f"the day after {what}"


def fixed(where: str) -> Callable[[Ctx], tuple[str, list]]:
    return lambda ctx: (where, [])


RULES: list[Rule] = []
BY_KEY: dict[str, Rule] = {}
FILES: list[Files] = []
# Counts a run keeps beside its rules' (``key`` -> words for `quietdesk purge`).
COUNT_LABELS: dict[str, str] = {}
# Counts a run keeps that are not records removed (notices sent, accounts found in use after all).
NOT_REMOVALS: set[str] = set()
# Counts the purge's access-log entry names beside the total (``key`` -> words with ``{n}``).
LOG_NOTES: dict[str, str] = {}


def register(*rules: Rule, counts: dict[str, str] | None = None, not_removals: tuple[str, ...] = (),
             log_notes: dict[str, str] | None = None) -> None:
    """Add an app's rules (in the order they run), the words for the other counts its steps
    keep, which of its counts are not records removed, and which the run's access-log entry
    names. Registering a key again replaces it."""
    for rule in rules:
        if rule.action == "step" and rule.step is None:
            raise ValueError(f"retention rule {rule.key!r} is a step but names none")
        if rule.key in BY_KEY:
            RULES[RULES.index(BY_KEY[rule.key])] = rule
        else:
            RULES.append(rule)
        BY_KEY[rule.key] = rule
    COUNT_LABELS.update(counts or {})
    NOT_REMOVALS.update(not_removals)
    LOG_NOTES.update(log_notes or {})


def register_files(files: Files) -> None:
    FILES[:] = [f for f in FILES if f.key != files.key] + [files]
