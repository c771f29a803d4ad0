"""The records app's rules in the purge (``retention.purge_rules``): program rosters, computer
sessions, reference notes and camera footage, what the inventory counts of them, and their
words on the privacy notice. Registered in ``RecordsConfig.ready``."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from quietdesk.core.models import Branch
from quietdesk.retention import inventory, period_words, purge_rules
from quietdesk.retention.purge_rules import Rule, days_after
from quietdesk.retention.schedule import Schedule
from quietdesk.retention.steps import as_uuid, camera_files, each_page
from quietdesk.vault import api as vault

from .models import (
    Camera,
    ComputerSession,
    ComputerUseDay,
    Program,
    ProgramRegistration,
    ReferenceNote,
)

PROGRAM = Program._meta.db_table
REGISTRATION = ProgramRegistration._meta.db_table
SESSION = ComputerSession._meta.db_table
BRANCH = Branch._meta.db_table
FOOTAGE_KEY = "camera.footage"


def programs_registrations(purger, rule, cond: str, params: list) -> None:
    """Destroy each due program's roster key (shred list first), then its registrations."""
    today = connection.ops.adapt_datefield_value(purger.ctx.today)

    def handle(cursor, rows):
        ids = [r[0] for r in rows]
        vault.shred_many([as_uuid(r[1]) for r in rows])
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {REGISTRATION} WHERE program_id IN ({marks})", ids)  # noqa: S608
        deleted = cursor.rowcount
        cursor.execute(
            f"UPDATE {PROGRAM} SET roster_subject = NULL, code_word_ct = NULL, "  # noqa: S608
            f"registrations_destroyed_on = %s WHERE id IN ({marks})", [today, *ids])
        purger.commit(rule.key, deleted, programs__rosters=len(ids))

    each_page(purger, PROGRAM, cond, params, handle, "id, roster_subject", page=500)


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

    each_page(purger, SESSION, cond, params, handle)


def reference_notes(purger, rule, cond: str, params: list) -> None:
    """Expired notes: keys to the shred list, then the rows."""
    table = rule.table

    def handle(cursor, rows):
        ids = [r[0] for r in rows]
        vault.shred_many([as_uuid(i) for i in ids])
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)  # noqa: S608
        purger.commit(rule.key, cursor.rowcount)

    each_page(purger, table, cond, params, handle)


RULES = [
    Rule(
        "programs.registrations", "programs", "program rosters (registrations and code word)", Program, "step",
        population="roster_subject IS NOT NULL AND registrations_destroyed_on IS NULL",
        due=lambda ctx: ("roster_subject IS NOT NULL AND registrations_destroyed_on IS NULL AND ends_on < %s",
                         [ctx.before(ctx.schedule.registration_days_after_program)]),
        limit=lambda s: days_after(s.registration_days_after_program, "the program"),
        end_col="ends_on", step=programs_registrations,
    ),
    Rule(
        "computer_use.sessions", "computer_use", "computer sessions", ComputerSession, "step",
        population="1 = 1",
        due=lambda ctx: (
            "ended_at IS NOT NULL OR ends_at < %s",
            [ctx.moment(ctx.as_of - datetime.timedelta(minutes=ctx.schedule.session_grace_minutes))],
        ),
        limit=lambda s: f"at the session's end ({s.session_grace_minutes} min grace)",
        end_col="day", patron_col="patron_id", step=computer_use_sessions,
    ),
    Rule(
        "reference.notes", "reference", "reference follow-up notes", ReferenceNote, "step",
        population="1 = 1",
        due=lambda ctx: ("expires_on < %s", [ctx.day(ctx.today)]),
        limit=lambda s: f"on expiry (at most {s.follow_up_note_days} days)",
        start_col="created_on", end_col="expires_on", step=reference_notes,
    ),
]


# --- camera footage -----------------------------------------------------------


def footage_due(ctx, active) -> tuple[int, int]:
    due = held = 0
    for camera in Camera.objects.all():
        files, kept, _, _ = camera_files(ctx, camera, active)
        due += len(files)
        held += kept
    return due, held


def purge_footage(purger, active) -> int:
    """Delete footage older than each camera's retention; returns files kept for legal holds."""
    held_total = 0
    per_camera: defaultdict[int, int] = defaultdict(int)
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


def _lines(ctx: purge_rules.Ctx, active) -> list[inventory.Line]:
    """Registration rows (counted with their roster) and each camera's footage files."""
    lines = [inventory.fixed("programs", "program registrations (rows)", ProgramRegistration, "1 = 1", None,
                             "with their program's roster", today=ctx.today)]
    for camera in Camera.objects.all():
        due, held, total, oldest = camera_files(ctx, camera, active)
        first = inventory.day_of(oldest)
        future = int(first is not None and first > ctx.today)  # a wrong clock: not the oldest, but said
        lines.append(inventory.Line("camera", f"footage files: {camera.name}", total, None if future else first,
                                    f"{camera.retention_days} days", len(due), held, future))
    return lines


def _programs(s: Schedule) -> str:
    if s.registration_days_after_program:
        return ngettext("Sign-up lists are deleted %(n)d day after the program; attendance is only counted.", "Sign-up lists are deleted %(n)d days after the program; attendance is only counted.", s.registration_days_after_program) % {"n": s.registration_days_after_program}
    return gettext("Sign-up lists are deleted the day after the program; attendance is only counted.")


def _computer_use(s: Schedule) -> str:
    return gettext("Deleted at the end of your session; only daily counts are kept.")


def _camera(s: Schedule) -> str:
    days = [c.retention_days for c in Camera.objects.filter(active=True)] or [s.default_footage_days]
    return ngettext("Recordings are deleted after at most %(n)d day.", "Recordings are deleted after at most %(n)d days.", max(days)) % {"n": max(days)}


def _reference(s: Schedule) -> str:
    return ngettext("Questions are not recorded; a follow-up note, if needed, is destroyed within %(n)d day.", "Questions are not recorded; a follow-up note, if needed, is destroyed within %(n)d days.", s.follow_up_note_days) % {"n": s.follow_up_note_days}


def register() -> None:
    purge_rules.register(*RULES, counts={"programs.rosters": "program roster keys destroyed"})
    purge_rules.register_files(purge_rules.Files(FOOTAGE_KEY, "camera", "camera footage files", due=footage_due,
                                     purge=purge_footage))
    inventory.register_lines(_lines, after_rules=True)
    period_words.register_period("programs", _programs)
    period_words.register_period("computer_use", _computer_use)
    period_words.register_period("camera", _camera)
    period_words.register_period("reference", _reference)
