"""What the purge's multi-statement steps share: keyset pages of due rows, each in a
transaction of its own, and the walk over a camera's footage files. The steps themselves
belong to the apps whose records they destroy (registration expiry in
``patrons.retention_rules``; program rosters, computer sessions, reference notes and
camera footage in ``records.retention_rules``)."""

from __future__ import annotations

import datetime
import os
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from quietdesk.audit.service import Actor

ACTOR = Actor.system("purge")
PATRON_PAGE = 200  # accounts per transaction: each is read or checked one by one


def each_page(purger, table: str, cond: str, params: list, handle, columns: str = "id", page: int | None = None):
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


def as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def due_ids(table: str, cond: str, params: list, after, page: int, *, lock: bool = False) -> list:
    tail = "" if after is None else " AND id > %s"
    suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {cond}{tail} ORDER BY id LIMIT %s{suffix}",  # noqa: S608
                       [*params, *([] if after is None else [after]), page])
        return [r[0] for r in cursor.fetchall()]


# --- footage files ----------------------------------------------------------------


def _camera_dir(root: Path, camera) -> Path | None:
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


def camera_files(ctx, camera, active):
    """(due entries, held count, all count, oldest mtime) for one camera of the register
    (``footage_subdir``, ``retention_days``)."""
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
