"""`quietdesk koha enforce`: the library's retention schedule, applied inside Koha.

Design notes
------------
What. Past loans and holds past the rule are pointed at the patron named by Koha's
AnonymousPatron preference, as Koha's batch_anonymise.pl does (never deleted: Koha's
circulation counts and item histories stay right); the last borrower of an item is
forgotten with the loans; statistics lose their borrower; logs about patrons, sent
notices, saved searches and the deleted-patron archive are deleted past their rules.
What is due is defined once, in ``koha_tables.due_sql``; the exposure report counts
with the same SQL, which is how a run proves its work (below).

Never touched: a row an active quietdesk legal hold covers (``legal_keep``); the
history of a patron whose Koha ``privacy`` is 0 ("keep forever") when the schedule's
``patron_may_keep_history`` is on and Koha's OPACPrivacy lets patrons choose; pending
notices; current loans and holds.

How. Set-based SQL in batches, never row by row: each batch is one UPDATE or DELETE
over a slice of an integer key (the primary key; borrowernumber for the archive of
deleted patrons, which has no primary key), restricted by the due condition. The
statistics table has no key at all: its batches walk its indexed ``datetime`` column
(keyset: each batch ends where the next N rows end). The connection is in autocommit
mode, so each batch commits alone: a batch holds its locks for one statement, memory
stays flat whatever the table size.

Why it is resumable and idempotent. A batch either commits or leaves no trace, and
the due condition is a property of each row (its date, its patron, the anonymous
patron, holds, choices), not of the run's progress: a row already handled no longer
matches, a row not reached is found by the next run. Kill the process anywhere, run
it again, and the end state is that of one uninterrupted run
(tests/ils/test_enforce_resume.py kills a real process to check).

Read-only by default. Without ``apply`` nothing is written (the counts are what would
change). With it, ``preflight`` first checks, changing nothing, that AnonymousPatron
names an existing patron and that the account may run every statement (each is
prepared with a condition that matches no row: the server checks privileges and
read-only mode before it looks for rows), so a read-only account gets a clear
message before the first write instead of half a run.

Proof. After applying, the run reads Koha again with the exposure report's own
counting, and every enforced table's count past retention must be 0.
"""

from __future__ import annotations

import datetime

from .connector import ConnectorError, Retention, Step
from .exposure import build_context, count_table
from .koha_tables import ENFORCED, Context, available, change_sql, due_sql, q

NO_ANONYMOUS = ("Koha's AnonymousPatron system preference does not name an existing patron, so past loans and "
                "holds cannot be anonymised. In Koha: create a patron to hold anonymised history (e.g. surname "
                "'Anonymous', a category with no privileges), then set Administration > System preferences > "
                "AnonymousPatron to its borrowernumber. Nothing was changed.")


def _context(db, retention: Retention, *, need_anonymous: bool) -> tuple[Context, list]:
    db.check()
    ctx = build_context(db, retention)
    tables = available(ENFORCED, ctx.columns)
    if need_anonymous and ctx.anonymous is None and any(t.verb == "anonymised" for t in tables):
        raise ConnectorError(NO_ANONYMOUS)
    return ctx, tables


def preflight(db, retention: Retention) -> tuple[Context, list]:
    """Check, changing nothing, that every statement of an applied run would be allowed."""
    ctx, tables = _context(db, retention, need_anonymous=True)
    for t in tables:
        head, params = change_sql(t, ctx)
        try:
            db.execute(head + "1 = 0", params)
        except ConnectorError:
            raise ConnectorError(
                f"The Koha account in QUIETDESK_KOHA_DATABASE_URL may not change {t.name} (read-only, or a "
                "privilege is missing). Nothing was changed. Give it the grants listed in the operator's guide "
                "('Using quietdesk with Koha'), or run without --apply to see what is due.") from None
    return ctx, tables


def _ranges(db, t, step: int):
    lo, hi = db.one(f"SELECT MIN({q(t.key)}), MAX({q(t.key)}) FROM {q(t.name)}")  # noqa: S608 (constants)
    if lo is None:
        return 0, iter(())
    lo, hi = int(lo), int(hi)
    count = (hi - lo) // step + 1
    return count, ((start, start + step) for start in range(lo, hi + 1, step))


def _by_key(db, t, ctx: Context, batch_size: int, tick, result: Step) -> None:
    head, head_params = change_sql(t, ctx)
    due, due_params = due_sql(t, ctx)
    statement = f"{head}{q(t.key)} >= %s AND {q(t.key)} < %s AND {due}"
    count, ranges = _ranges(db, t, batch_size)
    tick(None, count)
    for lo, hi in ranges:
        result.done += db.execute(statement, [*head_params, lo, hi, *due_params])
        result.batches += 1
        tick(1, None)


def _by_date(db, t, ctx: Context, batch_size: int, tick, result: Step) -> None:
    """Keyset over the date column (a table without a key): each batch ends where the next N rows end."""
    head, head_params = change_sql(t, ctx)
    due, due_params = due_sql(t, ctx)
    col, cutoff = q(t.date), ctx.cutoff(t)
    tick(None, None)
    lo = db.one(f"SELECT MIN({col}) FROM {q(t.name)}")[0]  # noqa: S608 (constants)
    while lo is not None and lo < _as_datetime(cutoff):
        row = db.one(f"SELECT {col} FROM {q(t.name)} WHERE {col} >= %s AND {col} < %s "  # noqa: S608
                     f"ORDER BY {col} LIMIT 1 OFFSET %s", [lo, cutoff, batch_size])
        nxt = row[0] if row else None
        if nxt is not None and nxt == lo:  # more than a batch share one instant: take them all
            result.done += db.execute(f"{head}{col} = %s AND {due}", [*head_params, lo, *due_params])
            nxt = db.one(f"SELECT MIN({col}) FROM {q(t.name)} WHERE {col} > %s", [lo])[0]  # noqa: S608
        else:
            upper, params = (f" AND {col} < %s", [nxt]) if nxt is not None else ("", [])
            result.done += db.execute(f"{head}{col} >= %s{upper} AND {due}", [*head_params, lo, *params,
                                                                                  *due_params])
        result.batches += 1
        tick(1, None)
        lo = nxt


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def run(db, retention: Retention, *, apply: bool, batch_size: int, progress=None) -> list[Step]:
    """Apply (or, without ``apply``, count) every rule. ``progress(label, total)`` returns ``tick(n)``."""
    if batch_size < 1:
        raise ConnectorError("The batch size must be at least 1.")
    if apply:
        ctx, tables = preflight(db, retention)
    else:
        ctx, tables = _context(db, retention, need_anonymous=False)
    steps = []
    for t in tables:
        result = Step(key=t.name, label=t.label, verb=t.verb)
        if not apply:
            counted = count_table(db, t, ctx)
            result.due, result.kept = counted.past_retention or 0, counted.kept
            steps.append(result)
            continue
        bar = {"tick": None}

        def tick(n, total, t=t, bar=bar):
            if progress is None:
                return
            if bar["tick"] is None:
                bar["tick"] = progress(f"{t.label} {t.verb}", total)
            if n:
                bar["tick"](n)

        (_by_date if t.keyset else _by_key)(db, t, ctx, batch_size, tick, result)
        steps.append(result)
    return steps


def verify(db, retention: Retention) -> dict[str, int]:
    """Read Koha again: rows still past retention per enforced table (all 0 after a complete run)."""
    from .exposure import past_retention

    return past_retention(db, retention)
