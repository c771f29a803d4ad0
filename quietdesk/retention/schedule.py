"""The retention schedule: how long each category of record is kept.

Defaults live in ``default_schedule.toml`` (shortest workable times, following
the ALA Q&A and the ICE response protocol). A library points
``QUIETDESK_RETENTION_SCHEDULE`` at its own TOML file, which may set only the
values it changes. The file is validated when quietdesk starts
(``RetentionConfig.ready``): an unknown key, a wrong type or a value out of
range stops start-up with a message naming the file, the key and the problem.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings

DEFAULT_FILE = Path(__file__).with_name("default_schedule.toml")
ENV = "QUIETDESK_RETENTION_SCHEDULE"

# section -> key -> (type, minimum, maximum); bool and str keys have no range.
SPEC: dict[str, dict[str, tuple]] = {
    "registration": {"expire_after_months": (int, 12, 240), "notice_days": (int, 7, 180)},
    "circulation": {"returned_loan_days": (int, 0, 3650), "reading_history_days": (int, 0, 36500)},
    "holds": {"closed_hold_days": (int, 0, 3650), "unfilled_hold_days": (int, 0, 3650)},
    "interlibrary_loan": {"closed_ill_days": (int, 0, 3650)},
    "programs": {"registration_days_after_program": (int, 0, 365)},
    "computer_use": {"session_grace_minutes": (int, 0, 1440)},
    "camera": {
        "footage_dir": (str, None, None),
        "default_footage_days": (int, 1, 3650),
        "legal_minimum_days": (int, 0, 3650),
    },
    "reference": {"follow_up_note_days": (int, 1, 365)},
    "database_search": {"stored": (bool, None, None)},
    "purge": {"batch_size": (int, 100, 1_000_000)},
    "access_log": {
        "routine_days": (int, 1, 3650),
        "view_days": (int, 1, 3650),
        "disclosure_days": (int, 1, 3650),
        "case_days": (int, 1, 3650),
        "admin_days": (int, 1, 3650),
    },
    # Enforced inside the library's Koha by `quietdesk koha enforce` (quietdesk/ils/).
    "koha": {
        "past_loan_days": (int, 0, 36500),
        "past_hold_days": (int, 0, 36500),
        "statistics_days": (int, 0, 36500),
        "action_log_days": (int, 0, 36500),
        "message_queue_days": (int, 0, 36500),
        "search_history_days": (int, 0, 36500),
        "deleted_patron_days": (int, 0, 36500),
        "patron_may_keep_history": (bool, None, None),
    },
}


class ScheduleError(ValueError):
    """The schedule file is not valid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The retention schedule {source} is not valid:\n{lines}")


@dataclass(frozen=True)
class Schedule:
    expire_after_months: int
    notice_days: int
    returned_loan_days: int
    reading_history_days: int
    closed_hold_days: int
    unfilled_hold_days: int
    closed_ill_days: int
    registration_days_after_program: int
    session_grace_minutes: int
    footage_dir: str
    default_footage_days: int
    legal_minimum_days: int
    follow_up_note_days: int
    stored: bool
    batch_size: int
    routine_days: int
    view_days: int
    disclosure_days: int
    case_days: int
    admin_days: int
    past_loan_days: int
    past_hold_days: int
    statistics_days: int
    action_log_days: int
    message_queue_days: int
    search_history_days: int
    deleted_patron_days: int
    patron_may_keep_history: bool
    source: str

    @property
    def access_log_days(self) -> dict[str, int]:
        """Days each class of access-log entry is kept (``audit.events.Keep`` values)."""
        return {"routine": self.routine_days, "view": self.view_days, "disclosure": self.disclosure_days,
                "case": self.case_days, "admin": self.admin_days}

    @property
    def footage_path(self) -> Path:
        configured = settings.QUIETDESK_FOOTAGE_DIR or self.footage_dir
        return Path(configured).resolve() if configured else Path(settings.DATA_DIR) / "footage"


def _kind(value) -> str:
    return {bool: "true/false", int: "a whole number", str: "text", float: "a decimal number"}.get(
        type(value), type(value).__name__
    )


def _check(doc: dict, problems: list[str]) -> dict:
    flat = {}
    for section, table in doc.items():
        if section not in SPEC:
            hint = difflib.get_close_matches(section, SPEC, n=1)
            problems.append(f"unknown section [{section}]" + (f" (did you mean [{hint[0]}]?)" if hint else "")
                            + f"; the sections are: {', '.join(SPEC)}")
            continue
        if not isinstance(table, dict):
            problems.append(f"[{section}] must be a table of settings, not a single value")
            continue
        for key, value in table.items():
            spec = SPEC[section].get(key)
            if spec is None:
                hint = difflib.get_close_matches(key, SPEC[section], n=1)
                problems.append(f"unknown setting {key!r} in [{section}]"
                                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                                + f"; valid settings: {', '.join(SPEC[section])}")
                continue
            kind, low, high = spec
            if type(value) is not kind:  # bool is an int in Python: compare exactly
                problems.append(f"[{section}] {key} must be {_kind(kind())}, not {value!r} ({_kind(value)})")
                continue
            if kind is int and not low <= value <= high:
                problems.append(f"[{section}] {key} = {value} is out of range: use {low} to {high}")
                continue
            flat[key] = value
    return flat


def _read(path: Path, problems: list[str], label: str) -> dict:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        problems.append(f"cannot read the file: {exc.strerror or exc}")
        return {}
    except UnicodeDecodeError:
        problems.append("the file is not UTF-8 text")
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"not valid TOML: {exc}")
        return {}


def load(path: str | Path | None = None) -> Schedule:
    """Read the defaults, then ``path`` (or the configured file) over them; validate."""
    problems: list[str] = []
    values = _check(_read(DEFAULT_FILE, problems, "defaults"), problems)
    if problems:  # a broken built-in file is a bug, not an operator's mistake
        raise ScheduleError(str(DEFAULT_FILE), problems)
    source = "built-in defaults"
    path = path if path is not None else configured_path()
    if path:
        source = str(path)
        values.update(_check(_read(Path(path), problems, source), problems))
    if not problems:
        if values["stored"]:
            problems.append("[database_search] stored must be false: quietdesk never keeps database searches")
        if values["notice_days"] > values["expire_after_months"] * 28 // 2:
            problems.append(
                f"[registration] notice_days ({values['notice_days']}) must be at most half of "
                f"expire_after_months ({values['expire_after_months']} months): the notice comes shortly before "
                "the account closes, not long after the patron's last visit"
            )
        if values["default_footage_days"] < values["legal_minimum_days"]:
            problems.append(
                f"[camera] default_footage_days ({values['default_footage_days']}) is shorter than "
                f"legal_minimum_days ({values['legal_minimum_days']})"
            )
    if problems:
        raise ScheduleError(source, problems)
    names = {f.name for f in fields(Schedule)} - {"source"}
    missing = names - values.keys()
    if missing:
        raise ScheduleError(str(DEFAULT_FILE), [f"the defaults lack {', '.join(sorted(missing))}"])
    return Schedule(source=source, **{k: values[k] for k in names})


def configured_path() -> str | None:
    return settings.QUIETDESK_RETENTION_SCHEDULE or None


_current: Schedule | None = None


def get() -> Schedule:
    """The schedule in force (validated at start-up, then cached)."""
    global _current
    if _current is None:
        _current = load()
    return _current


def reset() -> None:
    """Forget the cached schedule (tests, or after editing the file)."""
    global _current
    _current = None


def _days(n: int, what: str) -> str:
    if n == 0:
        return f"at the first purge after the day {what}"
    return f"{n} day{'s' if n != 1 else ''} after {what}"


def period(months: int) -> str:
    """"3 years", "18 months"."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def _koha(s: Schedule) -> list[tuple[str, list[str]]]:
    """The [koha] section, shown only where a Koha is configured."""
    if not (settings.QUIETDESK_KOHA_DATABASE_URL or settings.QUIETDESK_KOHA_API_URL):
        return []
    choice = ("Patrons who chose in Koha to keep their checkout history keep it, where Koha lets them choose "
              "(OPACPrivacy)." if s.patron_may_keep_history else
              "A patron's own choice in Koha to keep their checkout history is not honoured.")
    return [("Koha (the library's catalogue and circulation system)", [
        f"Past loans lose their borrower (pointed at Koha's anonymous patron) {_days(s.past_loan_days, 'the return')}; "
        f"past holds {_days(s.past_hold_days, 'they closed')}. {choice}",
        f"Statistics lose their borrower {_days(s.statistics_days, 'the transaction')}.",
        f"Logs about patrons are deleted {_days(s.action_log_days, 'the action')}; sent notices "
        f"{_days(s.message_queue_days, 'they were queued')}; search history {_days(s.search_history_days, 'the search')}; "
        f"archived deleted patrons {_days(s.deleted_patron_days, 'the deletion')}.",
    ])]


def describe(s: Schedule) -> list[tuple[str, list[str]]]:
    """The schedule in plain language, category by category."""
    footage = s.footage_path
    return [
        ("Registration", [
            "A patron's record (name, one contact, card number) is kept while they use the library. "
            f"An account not used for {period(s.expire_after_months)} (no checkout, return, renewal, hold, "
            "online sign-in or visit to the desk) is destroyed for good, keys and all.",
            f"Patrons with an email address are told {s.notice_days} days before, once, and keep the account by "
            "using their card or signing in. Nothing is destroyed while an item is out, a fine is owed, a hold "
            "waits on the shelf or a legal hold preserves the record. A patron may ask for deletion at any time.",
        ]),
        ("Circulation", [
            "A loan exists only while the item is out or a fine on it is owed. "
            "At return it is deleted at once; the item keeps only a count of its loans.",
            "Fines are kept only while they are owed; once paid, the loan is deleted.",
            f"Anonymous returned-loan rows left by earlier versions are deleted {_days(s.returned_loan_days, 'of the return')}.",
            "Reading history is kept only for patrons who turn it on, visible to them alone; "
            + ("kept until they erase it or turn it off." if s.reading_history_days == 0
               else f"entries are deleted {s.reading_history_days} days after the return."),
        ]),
        ("Holds", [
            "Holds wait on the shelf under a shelf code, never a name. A filled or cancelled hold is deleted at once.",
            f"Anonymous closed holds left by earlier versions are deleted {_days(s.closed_hold_days, 'they closed')}.",
            ("A hold still waiting after " + f"{s.unfilled_hold_days} days is cancelled."
             if s.unfilled_hold_days else "Waiting holds are never cancelled automatically."),
        ]),
        ("Interlibrary loan", [
            "When an interlibrary loan completes or is cancelled it is deleted at once, title and all "
            f"(rows left anonymous by earlier versions go {_days(s.closed_ill_days, 'it completed')}).",
        ]),
        ("Programs", [
            "Registration takes a first name or nothing; an optional code word admits attendees.",
            f"Registrations and the code word are destroyed {_days(s.registration_days_after_program, 'the program ended')}; "
            "attendance is kept as a count only.",
        ]),
        ("Computer use", [
            "Computers are booked by card or by guest pass. The session record is deleted when the session ends; "
            "only daily counts are kept.",
            f"A session nobody ended is deleted {s.session_grace_minutes} minutes after its booked end.",
        ]),
        ("Camera footage", [
            f"Footage files in {footage} are deleted when older than their camera's retention "
            f"(new cameras: {s.default_footage_days} days; never below the legal minimum of {s.legal_minimum_days} days).",
        ]),
        ("Reference", [
            "Reference interviews are not recorded. A follow-up note, when staff need one, "
            f"expires after at most {s.follow_up_note_days} days and is then destroyed.",
        ]),
        ("Database searches", ["Never stored."]),
        ("quietdesk's own access log", [
            "Everyday desk steps (lending, returns, holds, computer sessions, a card scanned at a self-check "
            "machine) are never logged per patron: only a count per member of staff or machine and day, "
            f"kept {s.routine_days} days.",
            f"Views and changes of a record are kept {s.view_days} days; disclosures (a production, an export, "
            f"a parent's or an authorized person's view) {s.disclosure_days} days; the steps of a request "
            f"(case) {s.case_days} days, and as long as the case is open or a legal hold names it; "
            f"administrative events {s.admin_days} days. Then their details are removed and, once the oldest "
            "entries are all removed, they are dropped behind a signed checkpoint.",
        ]),
        *_koha(s),
        ("Never purged", [
            "A loan whose item is still out or whose fine is still owed, a hold still waiting, "
            "and anything a legal hold covers (until the director releases it).",
        ]),
    ]

