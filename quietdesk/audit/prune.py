"""The access log's own retention: blank expired entries, then drop the blanked prefix.

Design notes (read before changing):

* **Blanking.** An entry past its class's period (``events.Keep``; the days come
  from the retention schedule's ``[access_log]`` section) loses its body: the
  time of day, who, the sealed subject reference, the case, the categories, the
  basis. Its number, day and event stay, with ``body_digest`` so the chain still
  verifies (``chain.py``). Entries tied to a case that is open or under a legal
  hold, and entries about a person under a legal hold, are kept (``keep`` hooks
  registered by the legal and retention apps). Each batch is blanked in one
  transaction with a ``log_prune`` entry that records how many, a digest of their
  numbers and the periods applied; ``check_blanked`` (run by every verification)
  proves each blanked entry was blanked by such a run, and was due.
* **Dropping the prefix.** Once the oldest entries are all blanked, they are
  deleted, and a ``LogAnchor`` keeps a signed checkpoint of the last one deleted:
  verification starts from it and reports what was removed, when and by which
  rule. Without the signing key (``sign``) nothing is deleted.
* **Resumable and idempotent.** Batches commit one by one; a killed run is resumed
  by running it again, and a run with nothing due writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from quietdesk import sql

from . import chain
from .events import Event, Keep, by_keep
from .models import AccessEntry, LogAnchor
from .service import Actor, append, roll_up_routine

ACTOR = Actor.system("log-prune")
_T = AccessEntry._meta.db_table
# What the schedule may set, and the defaults (retention/default_schedule.toml says why).
DEFAULT_DAYS = {Keep.ROUTINE: 30, Keep.VIEW: 180, Keep.DISCLOSURE: 730, Keep.CASE: 730, Keep.ADMIN: 1095}


@dataclass
class KeepRules:
    """What must not be blanked whatever its age: filled by the apps' ``keep`` hooks."""

    case_refs: set[str] = field(default_factory=set)
    subject_held: list[Callable[[str], bool]] = field(default_factory=list)

    def keeps(self, case_ref: str, subject: str) -> bool:
        if case_ref and case_ref in self.case_refs:
            return True
        return bool(subject) and any(held(subject) for held in self.subject_held)


_KEEP_HOOKS: list[Callable[[KeepRules], None]] = []


def register_keep(hook: Callable[[KeepRules], None]) -> None:
    """Apps add what they keep: open cases (legal), legal holds (retention)."""
    if hook not in _KEEP_HOOKS:
        _KEEP_HOOKS.append(hook)


def keep_rules() -> KeepRules:
    rules = KeepRules()
    for hook in _KEEP_HOOKS:
        hook(rules)
    return rules


def _periods_text(days: dict[Keep, int]) -> str:
    return ",".join(f"{k.value}={days[k]}" for k in Keep)


def _parse_periods(text: str) -> dict[str, int]:
    out = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if value.isdigit():
            out[name] = int(value)
    return out


@dataclass
class Summary:
    blanked: int = 0
    kept: int = 0
    removed: int = 0
    routine_summaries: int = 0
    anchor: int | None = None  # first entry kept after dropping the prefix

    def as_dict(self) -> dict:
        return {"blanked": self.blanked, "kept_by_holds_or_cases": self.kept, "removed": self.removed,
                "routine_summaries": self.routine_summaries, "first_kept": self.anchor}


def _due_clause(days: dict[Keep, int], today: datetime.date) -> tuple[str, list]:
    parts, params = [], []
    for keep in Keep:
        events = sorted(e.value for e in by_keep(keep))
        if not events:
            continue
        cutoff = (today - datetime.timedelta(days=days[keep])).isoformat()
        marks = ", ".join(["%s"] * len(events))
        parts.append(f"(action IN ({marks}) AND at < %s)")
        params += [*events, cutoff]
    return " OR ".join(parts), params


def prune(
    days: dict[Keep, int],
    *,
    today: datetime.date | None = None,
    sign: Callable[[int, str], str] | None = None,
    batch: int = 5000,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Blank what is due and drop the blanked prefix. ``sign(size, head) -> note`` signs
    the anchor's checkpoint (the vault's key; the purge command passes it)."""
    today = today or datetime.datetime.now(datetime.UTC).date()  # the log's days are UTC days
    days = {k: int(days.get(k, DEFAULT_DAYS[k])) for k in Keep}
    summary = Summary()
    if not dry_run:
        summary.routine_summaries = roll_up_routine(today)
    rules = keep_rules()
    due, params = _due_clause(days, today)
    cols = ", ".join(chain.BODY_COLUMNS)
    last = 0
    while True:
        referenced = set(AccessEntry.objects.filter(pruned_by__isnull=False).values_list("pruned_by", flat=True)
                         .distinct())
        rows = sql.fetchall(
            f"SELECT seq, action, {cols} FROM {_T} WHERE body_digest IS NULL AND seq > %s AND ({due}) "  # noqa: S608
            "ORDER BY seq LIMIT %s",
            (last, *params, batch),
        )
        if not rows:
            break
        last = rows[-1][0]
        chosen = []
        for seq, action, at, actor, role, subject, case_ref, cats, basis, mark in rows:
            if rules.keeps(case_ref, subject) or (action == Event.LOG_PRUNE and seq in referenced):
                summary.kept += 1
                continue
            text = chain.body(at, actor, role, subject, case_ref, cats, basis, mark)
            chosen.append((seq, at[:10], chain.body_digest(text)))
        if not chosen or dry_run:
            summary.blanked += len(chosen)
            continue
        with transaction.atomic():
            seqs = [c[0] for c in chosen]
            entry = append(ACTOR, Event.LOG_PRUNE, basis=(
                f"blanked {len(seqs)}: set {chain.redacted_set_digest(seqs)}; keep {_periods_text(days)}"))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {_T} SET body_digest = %s, at = %s, actor = '', role = '', subject = '', "  # noqa: S608
                    "case_ref = '', categories = '', basis = '', restricted = '', pruned_by = %s "
                    "WHERE seq = %s AND body_digest IS NULL",
                    [(digest, day, entry.seq, seq) for seq, day, digest in chosen],
                )
        summary.blanked += len(chosen)
        if progress:
            progress(len(chosen))
    if not dry_run and sign is not None:
        _drop_prefix(sign, days, summary)
    return summary


def _drop_prefix(sign: Callable[[int, str], str], days: dict[Keep, int], summary: Summary) -> None:
    with transaction.atomic():
        first_kept = AccessEntry.objects.filter(body_digest__isnull=True).order_by("seq").values_list(
            "seq", flat=True).first()
        if first_kept is None:
            return
        removable = AccessEntry.objects.filter(seq__lt=first_kept)
        count = removable.count()
        if not count:
            return
        head = AccessEntry.objects.filter(seq=first_kept - 1).values_list("entry_hash", flat=True).first()
        if head is None:  # a gap below the first kept entry: leave it for verification to report
            return
        lowest = removable.order_by("seq").values_list("seq", flat=True).first()
        LogAnchor.objects.create(
            first_kept=first_kept, head_hash=head, note=sign(first_kept - 1, head), removed=count,
            made_at=timezone.now(), rules=f"blanked entries past their period ({_periods_text(days)})",
        )
        removable.delete()
        append(ACTOR, Event.LOG_PRUNE, basis=(
            f"removed entries #{lowest} to #{first_kept - 1} (all blanked); anchored at #{first_kept}"))
    summary.removed += count
    summary.anchor = first_kept


# --- verification's side -------------------------------------------------------------


def check_blanked() -> tuple[chain.Problem | None, list[str]]:
    """Every blanked entry must belong to a recorded prune run that was entitled to blank it:
    the run's count and digest of numbers match, and the entry was past its period on the
    run's day. Returns the first problem, and what was blanked, in words."""
    groups: dict[int | None, list[tuple[int, str, str]]] = {}
    for seq, by, at, action in AccessEntry.objects.filter(body_digest__isnull=False).order_by("seq").values_list(
            "seq", "pruned_by", "at", "action"):
        groups.setdefault(by, []).append((seq, at[:10], action))
    if None in groups:
        return chain.Problem(groups[None][0][0], "its content was blanked outside any prune run"), []
    runs: dict[int | None, AccessEntry] = {e.seq: e for e in AccessEntry.objects.filter(seq__in=list(groups), action=Event.LOG_PRUNE)}
    words = []
    for by, rows in groups.items():
        run = runs.get(by)
        if run is None or run.pruned:
            words.append(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} blanked by prune run #{by}, "
                         "whose own record has since expired")
            continue
        count_text, _, rest = run.basis.partition(": set ")
        digest, _, periods = rest.partition("; keep ")
        if count_text != f"blanked {len(rows)}" or digest != chain.redacted_set_digest(r[0] for r in rows):
            return chain.Problem(rows[0][0], f"blanked, but not by prune run #{by}, which blanked other entries"), []
        limits = _parse_periods(periods)
        run_day = datetime.date.fromisoformat(run.at[:10])
        for seq, day, action in rows:
            try:
                keep = Event(action).keep.value
            except ValueError:
                return chain.Problem(seq, f"blanked entry has an unknown event {action!r}"), []
            if keep not in limits or datetime.date.fromisoformat(day) >= run_day - datetime.timedelta(days=limits[keep]):
                return chain.Problem(seq, f"blanked by prune run #{by} before its period had passed"), []
        words.append(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} blanked on {run.at[:10]} by prune run "
                     f"#{by} (kept: {periods.replace(',', ', ')} days)")
    return None, words


def anchor_history() -> list[str]:
    return [f"entries before #{a.first_kept} ({a.removed} removed) dropped on "
            f"{timezone.localtime(a.made_at).date().isoformat()}: {a.rules}"
            for a in LogAnchor.objects.order_by("first_kept")]
