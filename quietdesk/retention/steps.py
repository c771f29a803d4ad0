"""Purge steps that take more than one statement per batch: registration expiry
(notices, then accounts: ``patrons.expiry``), program rosters (destroy the key,
then the rows), computer sessions (count, then delete), reference notes (destroy
the keys, then the rows) and camera footage files."""

from __future__ import annotations

import datetime
import os
import uuid
from collections import defaultdict
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.core.models import Branch
from quietdesk.patrons import expiry
from quietdesk.patrons.models import Patron
from quietdesk.records.models import (
    Camera,
    ComputerSession,
    ComputerUseDay,
    Program,
    ProgramRegistration,
)
from quietdesk.vault import api as vault

PROGRAM = Program._meta.db_table
REGISTRATION = ProgramRegistration._meta.db_table
SESSION = ComputerSession._meta.db_table
BRANCH = Branch._meta.db_table


def _each_page(purger, table: str, cond: str, params: list, handle, columns: str = "id", page: int | None = None):
    """Keyset pages of due rows; ``handle(cursor, rows)`` runs in each page's own transaction."""
    page = min(page or purger.batch_size, 5_000)
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            after = "" if last is None else " AND id > %s"
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {cond}{after} ORDER BY id LIMIT %s",  # noqa: S608
                           [*params, *([] if last is None else [last]), page])
            rows = cursor.fetchall()
            if not rows:
                return
            handle(cursor, rows)
            last = rows[-1][0]


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


ACTOR = Actor.system("purge")
PATRON_PAGE = 200  # accounts per transaction: each is read or checked one by one


def _due_ids(table: str, cond: str, params: list, after, page: int, *, lock: bool = False) -> list:
    tail = "" if after is None else " AND id > %s"
    suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {cond}{tail} ORDER BY id LIMIT %s{suffix}",  # noqa: S608
                       [*params, *([] if after is None else [after]), page])
        return [r[0] for r in cursor.fetchall()]


def registration_notices(purger, rule, cond: str, params: list) -> None:
    """Email the accounts that will expire within the notice period, once each. The read of
    each address is logged as it happens; the day each notice went is recorded after the
    server took it (a crash in between sends it again: never an account closed unwarned)."""
    s = purger.ctx.schedule
    closes_on = purger.ctx.today + datetime.timedelta(days=s.notice_days)
    after = None
    while True:
        ids = _due_ids(rule.table, cond, params, after, PATRON_PAGE)
        if not ids:
            return
        after = ids[-1]
        patrons = list(Patron.objects.filter(pk__in=[_as_uuid(i) for i in ids]).order_by("pk"))
        result = expiry.send_notices(ACTOR, patrons, months=s.expire_after_months, closes_on=closes_on)
        with transaction.atomic():
            expiry.record_notices(result.sent + result.refused, purger.ctx.today)
            purger.commit(rule.key, len(result.sent), registration__notices_refused=len(result.refused),
                          registration__notices_unsent=len(result.unsent))
        if result.unsent:
            return  # the mail server is not answering: the rest wait for the next run


def registration_expired(purger, rule, cond: str, params: list) -> None:
    """Destroy the accounts past the period (and past their notice): each page's rows are
    locked, checked again as the desk would, listed for shredding and deleted together."""
    months = purger.ctx.schedule.expire_after_months
    after = None
    while True:
        with transaction.atomic():
            ids = _due_ids(rule.table, cond, params, after, PATRON_PAGE, lock=True)
            if not ids:
                return
            after = ids[-1]
            gone, kept = expiry.do_expire(ACTOR, [_as_uuid(i) for i in ids], months=months)
            purger.commit(rule.key, gone, registration__kept_in_use=kept)


def programs_registrations(purger, rule, cond: str, params: list) -> None:
    """Destroy each due program's roster key (shred list first), then its registrations."""
    today = connection.ops.adapt_datefield_value(purger.ctx.today)

    def handle(cursor, rows):
        ids = [r[0] for r in rows]
        vault.shred_many([_as_uuid(r[1]) for r in rows])
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {REGISTRATION} WHERE program_id IN ({marks})", ids)  # noqa: S608
        deleted = cursor.rowcount
        cursor.execute(
            f"UPDATE {PROGRAM} SET roster_subject = NULL, code_word_ct = NULL, "  # noqa: S608
            f"registrations_destroyed_on = %s WHERE id IN ({marks})", [today, *ids])
        purger.commit(rule.key, deleted, programs__rosters=len(ids))

    _each_page(purger, PROGRAM, cond, params, handle, "id, roster_subject", page=500)


def computer_use_sessions(purger, rule, cond: str, params: list) -> None:
    """Sessions nobody ended are counted (booked length) before they go; ended ones were counted."""
    def handle(cursor, rows):
        ids = [r[0] for r in rows]
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT COALESCE(b.code, ''), s.day, COUNT(*), SUM(s.minutes) FROM {SESSION} s "  # noqa: S608
            f"LEFT JOIN {BRANCH} b ON b.id = s.branch_id WHERE s.id IN ({marks}) AND s.ended_at IS NULL "
            "GROUP BY COALESCE(b.code, ''), s.day", ids)
        for code, day, sessions, minutes in cursor.fetchall():
            row, _ = ComputerUseDay.objects.get_or_create(branch_code=code, day=day)
            ComputerUseDay.objects.filter(pk=row.pk).update(sessions=row.sessions + sessions,
                                                            minutes=row.minutes + (minutes or 0))
        cursor.execute(f"DELETE FROM {SESSION} WHERE id IN ({marks})", ids)  # noqa: S608
        purger.commit(rule.key, cursor.rowcount)

    _each_page(purger, SESSION, cond, params, handle)


def reference_notes(purger, rule, cond: str, params: list) -> None:
    """Expired notes: keys to the shred list, then the rows."""
    table = rule.table

    def handle(cursor, rows):
        ids = [r[0] for r in rows]
        vault.shred_many([_as_uuid(i) for i in ids])
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)  # noqa: S608
        purger.commit(rule.key, cursor.rowcount)

    _each_page(purger, table, cond, params, handle)


# --- camera footage -----------------------------------------------------------


def _camera_dir(root: Path, camera: Camera) -> Path | None:
    """The camera's footage directory, only if it is really inside the footage root."""
    path = (root / camera.footage_subdir).resolve()
    if path == root or not path.is_relative_to(root) or not path.is_dir():
        return None
    return path


def _files(directory: Path):
    """Regular files under ``directory``; symbolic links are never followed or deleted."""
    stack = [directory]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    yield entry


def _held_dates(active) -> list[tuple[datetime.date, datetime.date]]:
    return [(h.date_from, h.date_to) for h in active if "camera" in h.categories]


def camera_files(ctx, camera: Camera, active):
    """(due entries, held count, all count, oldest mtime) for one camera."""
    root = ctx.schedule.footage_path.resolve()
    directory = _camera_dir(root, camera)
    if directory is None:
        return [], 0, 0, None
    limit = (ctx.as_of - datetime.timedelta(days=camera.retention_days)).timestamp()
    spans = _held_dates(active)
    due, held, total, oldest = [], 0, 0, None
    for entry in _files(directory):
        mtime = entry.stat(follow_symlinks=False).st_mtime
        total += 1
        oldest = mtime if oldest is None else min(oldest, mtime)
        if mtime >= limit:
            continue
        day = timezone.localdate(datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))
        if any(a <= day <= b for a, b in spans):
            held += 1
        else:
            due.append(entry.path)
    return due, held, total, oldest


def footage_due(ctx, active, *, count_only: bool = True) -> tuple[int, int]:
    due = held = 0
    for camera in Camera.objects.all():
        files, kept, _, _ = camera_files(ctx, camera, active)
        due += len(files)
        held += kept
    return due, held


def purge_footage(purger, active) -> int:
    """Delete footage older than each camera's retention; returns files kept for legal holds."""
    from .rules import FOOTAGE_KEY

    held_total = 0
    per_camera = defaultdict(int)
    for camera in Camera.objects.all():
        files, held, _, _ = camera_files(purger.ctx, camera, active)
        held_total += held
        for start in range(0, len(files), purger.batch_size):
            removed = 0
            for path in files[start : start + purger.batch_size]:
                try:
                    os.unlink(path)
                    removed += 1
                except FileNotFoundError:
                    pass  # another run got there first
            per_camera[camera.pk] += removed
            with transaction.atomic():
                Camera.objects.filter(pk=camera.pk).update(last_purge_at=timezone.now(),
                                                           last_purge_files=per_camera[camera.pk])
                purger.commit(FOOTAGE_KEY, removed)
        if not files:
            Camera.objects.filter(pk=camera.pk).update(last_purge_at=timezone.now(), last_purge_files=0)
    return held_total
