"""`quietdesk purge`: delete or anonymize every record past its retention rule.

Design notes
------------
Why. A record that no longer exists cannot be demanded, leaked or misused:
the ALA asks for "the least amount of PII for the shortest length of time",
and the ICE response protocol asks of every list "how soon can you delete
it?". The services already forget at the moment they can (a return cuts the
borrower link, a session is deleted when it ends); the purge is the schedule's
enforcer for everything that must wait a while, and the safety net for
anything a crash, a legal hold or an old import left behind.

What is never purged. A loan whose item is still out or whose fine is still
owed; a hold still waiting on an item that is out, or sitting on the hold shelf
(those are physical items someone will come for); and anything an active legal
hold covers: every rule's SQL carries an exclusion built from the holds in force
(``holds.exclusion``), and camera footage is checked against the holds by date.
A patron's account expires only when unused for the schedule's period, after a
notice where there is an email address, and never while anything is out, owed or
on the hold shelf or a hold names the patron (``patrons.expiry``).
Program attendance counts, daily computer-use counts, items' loan counts and
the camera register are not personal and are kept.

How it runs. Set-based SQL in batches, never row by row in Python: each batch
is one DELETE or UPDATE over a slice of the primary key (a range of integer ids,
or a page of UUIDs found by keyset), restricted by the rule's ``due`` condition,
in a transaction of its own that also updates this run's ``PurgeRun`` row. So
memory stays flat whatever the table size, locks are held for one batch only,
and the record of what the run did is exactly as far along as the data.

Why it is resumable and idempotent. A batch either commits (its rows and its
count) or leaves no trace. Every rule's condition is a property of the rows
themselves (dates, statuses, a missing link), not of the run's progress, so a
row the run did not reach is found by the next run, and a row already handled
no longer matches. Kill the process at any point and run it again: it continues
with whatever is still due and ends in the same state as one uninterrupted
run (``tests/retention/test_purge_resume.py`` kills a real process with
SIGKILL to check). Multi-step rules are ordered so each step is safe to repeat:
a program roster's key is written to the shred list (durably, outside the
database) before its rows are deleted in one transaction, so a crash in between
leaves rows that can no longer be read and will be deleted next time. Footage
files are deleted one batch at a time and counted after; a run killed inside a
batch may have removed files it did not get to count (the files are gone
either way, which is the safe direction). A run that finds an earlier one from
this host still marked running with no live process marks it interrupted.

Accounting. Each run is a ``PurgeRun`` row (counts per rule, rows kept back by
legal holds, batches, status), and a finished run writes one access-log entry
naming the counts. Nothing personal is in either.
"""

from __future__ import annotations

import datetime
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.processes import is_running

from . import legal_holds
from . import schedule as schedules
from .models import PurgeRun
from .purge_rules import FILES, LOG_NOTES, NOT_REMOVALS, RULES, Ctx, Rule

STALE_AFTER = datetime.timedelta(minutes=15)


@dataclass
class Plan:
    """What a run would do (``--dry-run``) or did: per rule, rows due and rows held back."""

    due: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(n for key, n in self.due.items() if key not in NOT_REMOVALS)


def condition(rule: Rule, ctx: Ctx, active) -> tuple[str, list, str, list]:
    """(due with legal-hold exclusion, params, due alone, params)."""
    where, params = rule.due(ctx)
    if rule.whole_record and rule.patron_col:
        keep, keep_params = legal_holds.record_exclusion(patron_col=rule.patron_col, holds=active)
    else:
        keep, keep_params = legal_holds.exclusion(rule.category, patron_col=rule.patron_col, start_col=rule.start_col,
                                            end_col=rule.end_col, holds=active)
    return f"({where}){keep}", [*params, *keep_params], f"({where})", params


def _count(table: str, where: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def plan(ctx: Ctx, *, with_counts: bool = True) -> Plan:
    """Count what is due per rule (and what legal holds keep back). Writes nothing."""
    active = legal_holds.active_holds()
    result = Plan()
    for rule in RULES:
        cond, params, bare, bare_params = condition(rule, ctx, active)
        due = _count(rule.table, cond, params) if with_counts else 0
        result.due[rule.key] = due
        if with_counts and cond != bare:
            result.held[rule.key] = _count(rule.table, bare, bare_params) - due
    for files in FILES:
        result.due[files.key], result.held[files.key] = files.due(ctx, active)
    return result


class Purger:
    """One purge run. ``on_batch(rule_key, run)`` is called inside each batch's
    transaction, after its work and before its commit (tests raise there to
    simulate a crash)."""

    def __init__(self, *, as_of: datetime.datetime | None = None, batch_size: int | None = None,
                 triggered_by: str = "quietdesk purge", progress=None,
                 on_batch: Callable[[str, PurgeRun], None] | None = None):
        self.schedule = schedules.get()
        self.ctx = Ctx(as_of or timezone.now(), self.schedule)
        self.batch_size = batch_size or self.schedule.batch_size
        self.triggered_by = triggered_by
        self.progress = progress
        self.on_batch = on_batch
        self.run_row: PurgeRun  # made when the run starts (run())

    # -- the run's own record ------------------------------------------------

    def _mark_interrupted(self) -> list[int]:
        now = timezone.now()
        host = socket.gethostname()[:100]
        stale = []
        for run in PurgeRun.objects.filter(status=PurgeRun.Status.RUNNING):
            if run.host == host and run.pid and run.pid != os.getpid() and not is_running(run.pid):
                stale.append(run.pk)
            elif run.host != host and now - run.heartbeat_at > STALE_AFTER:
                stale.append(run.pk)
        PurgeRun.objects.filter(pk__in=stale).update(status=PurgeRun.Status.INTERRUPTED)
        return stale

    def _start(self) -> PurgeRun:
        now = timezone.now()
        resumed = self._mark_interrupted()
        return PurgeRun.objects.create(
            started_at=now, heartbeat_at=now, as_of=self.ctx.as_of, triggered_by=self.triggered_by[:150],
            host=socket.gethostname()[:100], pid=os.getpid(),
            note=f"continues interrupted run #{max(resumed)}" if resumed else "",
        )

    def commit(self, key: str, n: int, **also: int) -> None:
        """Record a batch's work; call inside the batch's transaction."""
        run = self.run_row
        run.counts[key] = run.counts.get(key, 0) + n
        for extra, count in also.items():
            run.counts[extra.replace("__", ".")] = run.counts.get(extra.replace("__", "."), 0) + count
        run.batches += 1
        PurgeRun.objects.filter(pk=run.pk).update(counts=run.counts, batches=F("batches") + 1,
                                                  heartbeat_at=timezone.now())
        if self.on_batch is not None:
            self.on_batch(key, run)
        if self.progress is not None and n:
            self.progress.update(n)

    # -- table rules ---------------------------------------------------------

    def _table_rule(self, rule: Rule, cond: str, params: list) -> None:
        table = rule.table
        head_params: list
        if rule.action == "delete":
            head, head_params = f"DELETE FROM {table}", []  # noqa: S608
        elif rule.sets is None:
            raise ValueError(f"Retention rule {rule.key} anonymizes but names nothing to set.")
        else:
            sets, head_params = rule.sets(self.ctx)
            head = f"UPDATE {table} SET {sets}"  # noqa: S608
        if rule.int_pk:
            with connection.cursor() as cursor:
                # Nothing due: one statement, rather than a pass over every slice of ids.
                cursor.execute(f"SELECT 1 FROM {table} WHERE {cond} LIMIT 1", params)  # noqa: S608
                if cursor.fetchone() is None:
                    return
                cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}", [])  # noqa: S608
                lo, hi = cursor.fetchone()
            if lo is None:
                return
            for start in range(lo, hi + 1, self.batch_size):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"{head} WHERE id >= %s AND id < %s AND {cond}",
                                   [*head_params, start, start + self.batch_size, *params])
                    self.commit(rule.key, cursor.rowcount)
            return
        last = None
        page = min(self.batch_size, 10_000)  # ids travel as parameters
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                after = "" if last is None else " AND id > %s"
                cursor.execute(f"SELECT id FROM {table} WHERE {cond}{after} ORDER BY id LIMIT %s",  # noqa: S608
                               [*params, *([] if last is None else [last]), page])
                ids = [r[0] for r in cursor.fetchall()]
                if not ids:
                    return
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(f"{head} WHERE id IN ({marks}) AND {cond}", [*head_params, *ids, *params])
                self.commit(rule.key, cursor.rowcount)
                last = ids[-1]

    # -- the run ---------------------------------------------------------------

    def run(self) -> PurgeRun:
        self.run_row = self._start()
        active = legal_holds.active_holds()
        try:
            for rule in RULES:
                cond, params, bare, bare_params = condition(rule, self.ctx, active)
                if cond != bare:
                    held = _count(rule.table, bare, bare_params) - _count(rule.table, cond, params)
                    self.run_row.held[rule.key] = held
                self.run_row.counts.setdefault(rule.key, 0)
                if rule.action == "step" and rule.step is not None:
                    rule.step(self, rule, cond, params)
                else:
                    self._table_rule(rule, cond, params)
            for files in FILES:
                self.run_row.counts.setdefault(files.key, 0)
                self.run_row.held[files.key] = files.purge(self, active)
            self._finish(PurgeRun.Status.DONE)
        except KeyboardInterrupt:
            self._finish(PurgeRun.Status.INTERRUPTED)
            raise
        except BaseException:
            self._finish(PurgeRun.Status.FAILED)
            raise
        return self.run_row

    def _finish(self, status: str) -> None:
        run = self.run_row
        run.status, run.finished_at = status, timezone.now()
        with transaction.atomic():
            PurgeRun.objects.filter(pk=run.pk).update(status=status, finished_at=run.finished_at,
                                                      held=run.held, heartbeat_at=run.finished_at)
            if status == PurgeRun.Status.DONE:
                cats = sorted({r.category for r in RULES if run.counts.get(r.key)}
                              | {f.category for f in FILES if run.counts.get(f.key)})
                held = sum(run.held.values())
                notes = "".join(f", {words.format(n=run.counts[key])}" for key, words in LOG_NOTES.items()
                                if run.counts.get(key))
                append(Actor.system("purge"), Event.PURGE, categories=cats,
                       basis=f"run #{run.pk}: {run.total} records past retention removed or anonymized"
                             f"{f', {held} kept for legal holds' if held else ''}"
                             f"{notes}")
