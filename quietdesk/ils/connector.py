"""The ILS connector interface: what quietdesk needs from the system a library already runs.

A library's patron records mostly live in its integrated library system (ILS): Koha,
Evergreen, FOLIO. quietdesk does not replace it; a connector lets quietdesk

* measure what the ILS holds (``exposure``: one ``Finding`` per table, field, free-text
  column, preference or category setting);
* enforce the library's retention schedule inside it (``enforce``: set-based batches,
  resumable and idempotent, dry run unless told to apply);
* read, read-only, exactly what a judge's order names (``patron_records``).

Patrons cross the boundary only as card numbers: a legal hold in quietdesk names a
quietdesk patron, whose card number the reader decrypts (logged) and hands to the
connector (``Retention.keep``); a production does the same. Card numbers stay in
memory: no log line, message or exception text carries one.

Koha implements it twice: ``koha_db.KohaDatabase`` (its MariaDB/MySQL database, read
and write) and ``koha_rest.KohaRest`` (its REST API, read-only: Koha's API has no
anonymise or purge endpoint). docs/architecture.md, "ILS connectors", says how
Evergreen and FOLIO can implement it next.
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

SEVERITIES = ("high", "medium", "low", "info", "ok")


class ConnectorError(Exception):
    """What went wrong, in words an operator can act on. Never personal data, never a password."""


@dataclass
class Finding:
    """One line of the exposure report. ``past_retention`` is None where no rule applies."""

    kind: str  # table | field | free_text | preference | category | patrons
    table: str = ""
    column: str = ""
    preference: str = ""
    label: str = ""
    rows: int = 0
    linked: int | None = None  # rows that name a real patron
    past_retention: int | None = None
    kept: int = 0  # past retention but kept: a legal hold, or the patron's own choice
    oldest: str | None = None
    retention_days: int | None = None
    value: str | None = None
    recommended: str | None = None
    severity: str = "info"
    recommendation: str = ""
    checklist: str = ""  # the ALA (or NISO) item it maps to
    kinds: dict[str, int] = field(default_factory=dict)  # free text: high-risk kinds found (counts only)

    def as_dict(self) -> dict:
        out = asdict(self)
        if not self.kinds:
            out.pop("kinds")
        return out


@dataclass(frozen=True)
class Keep:
    """What legal holds in force keep from the schedule, in the ILS's terms.

    ``patrons``: (card number, categories, first day, last day) per hold naming a
    patron; ``everyone``: (categories, first day, last day) per hold on everyone's
    records. Card numbers are in memory only."""

    patrons: tuple[tuple[str, frozenset[str], datetime.date, datetime.date], ...] = ()
    everyone: tuple[tuple[frozenset[str], datetime.date, datetime.date], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.patrons or self.everyone)


@dataclass(frozen=True)
class Retention:
    """The schedule as at one day, with what legal holds keep."""

    as_of: datetime.date
    days: dict[str, int]  # schedule key -> days (past_loan_days, ...)
    patron_may_keep_history: bool
    keep: Keep = Keep()

    def cutoff(self, key: str) -> datetime.date:
        """Rows dated before this day are past the rule."""
        return self.as_of - datetime.timedelta(days=self.days[key])


@dataclass
class Step:
    """One enforcement step's outcome (counts only)."""

    key: str
    label: str
    verb: str  # anonymised | stripped | deleted
    due: int = 0  # dry run: what would change
    kept: int = 0  # dry run: past the rule but kept (a legal hold, the patron's own choice)
    done: int = 0
    batches: int = 0


Progress = Callable[[int], None]


class Connector(abc.ABC):
    """The interface each ILS implements."""

    name = "ils"  # short, used in file names and log lines: "koha"
    label = "the ILS"
    can_enforce = False

    @abc.abstractmethod
    def check(self) -> None:
        """Connect and check this is a supported ILS; raise ConnectorError saying what is wrong."""

    @abc.abstractmethod
    def exposure(self, retention: Retention) -> list[Finding]:
        """What a demand served today could reach, read-only."""

    def enforce(self, retention: Retention, *, apply: bool, batch_size: int,
                progress: Callable[[str, int], Progress] | None = None) -> list[Step]:
        """Apply the schedule (``apply``) or count what is due. Connectors that cannot write refuse."""
        raise ConnectorError(f"{self.label} cannot be changed from quietdesk: it offers no way to anonymise or "
                             "delete records. Ask the host to run its own retention jobs (see the operator's guide).")

    def check_writable(self, retention: Retention) -> None:
        """Raise ConnectorError (changing nothing) if ``enforce(apply=True)`` could not write."""
        self.enforce(retention, apply=False, batch_size=1)  # the default refuses

    @abc.abstractmethod
    def producible(self) -> tuple[str, ...]:
        """The policy's record categories this ILS holds for a patron (registration, circulation, holds...)."""

    @abc.abstractmethod
    def patron_records(self, card_number: str, category: str, date_from: datetime.date | None,
                       date_to: datetime.date | None) -> tuple[tuple[str, ...], list[dict]]:
        """(columns, rows) of one patron's records in one category, read-only. Dated rows carry an ISO
        ``date`` and fall in the range; an unknown card number gives no rows."""

    def close(self) -> None:  # noqa: B027 (optional: connectors without connections keep this)
        """Release connections."""


def retention(as_of: datetime.date | None = None, keep: Keep = Keep()) -> Retention:
    """The retention schedule's [koha] section as at ``as_of`` (today by default)."""
    from django.utils import timezone

    from quietdesk.retention import schedule

    s = schedule.get()
    keys = ("past_loan_days", "past_hold_days", "statistics_days", "action_log_days", "message_queue_days",
            "search_history_days", "deleted_patron_days")
    return Retention(as_of=as_of or timezone.localdate(), days={k: getattr(s, k) for k in keys},
                     patron_may_keep_history=s.patron_may_keep_history, keep=keep)
