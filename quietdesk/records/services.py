"""Writes for programs, computer sessions, cameras and reference notes. Each
``do_*`` records itself in the same transaction as the change: registering for a
program, booking or ending a computer session are routine steps (counted, never
logged per person); administrative changes and reference notes are logged."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append, count_routine
from quietdesk.retention import legal_holds, schedule
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import (
    Camera,
    ComputerSession,
    ComputerUseDay,
    Program,
    ProgramRegistration,
    ReferenceNote,
)

ROSTER_KIND = "program_roster"
NOTE_KIND = "reference_note"
_GUEST_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


# --- programs -----------------------------------------------------------


def do_create_program(actor: Actor, *, title: str, starts_at, ends_at, registration: str,
                      code_word: str = "", branch=None) -> Program:
    if ends_at <= starts_at:
        raise ValidationError("The program must end after it starts.")
    with transaction.atomic():
        program = Program(title=title, branch=branch, starts_at=starts_at, ends_at=ends_at,
                          ends_on=timezone.localdate(ends_at), registration=registration)
        if registration != Program.Registration.NONE or code_word:
            program.roster_subject = uuid.uuid4()
            sealer = vault.new_subject(ROSTER_KIND, program.roster_subject)
            program.code_word_ct = sealer.seal("records.program", "code_word", program.id, code_word or None)
        program.save(force_insert=True)
        append(actor, Event.PROGRAM_CREATE, categories=["programs"], basis=f"program {program.vault_pseudonym} scheduled")
    return program


def _open_roster(program: Program) -> uuid.UUID:
    """The roster's vault subject, while its registrations are kept."""
    if program.registrations_destroyed_on is not None or program.roster_subject is None:
        raise ValidationError("This program's registrations were destroyed after it ended.")
    return program.roster_subject


def do_register(actor: Actor, program: Program, first_name: str = "") -> ProgramRegistration:
    """Register one attendee: a first name, or nothing at all (a seat)."""
    if program.registration != Program.Registration.FIRST_NAME:
        raise ValidationError("This program takes no registrations: people just come.")
    roster = _open_roster(program)
    with transaction.atomic():
        reg = ProgramRegistration(program=program, roster_subject=roster, registered_at=timezone.now())
        reg.first_name_ct = vault.sealer_for(roster).seal(
            "records.programregistration", "first_name", reg.id, first_name.strip() or None)
        reg.save(force_insert=True)
        count_routine(actor, Event.PROGRAM_REGISTER)
    return reg


def do_remove_registration(actor: Actor, reg: ProgramRegistration) -> None:
    with transaction.atomic():
        ProgramRegistration.objects.filter(pk=reg.pk).delete()
        count_routine(actor, Event.PROGRAM_UNREGISTER)


def roster(actor: Actor, program: Program, *, purpose: str) -> list[tuple[ProgramRegistration, str]]:
    regs = list(program.registrations.order_by("registered_at"))
    if not regs:
        return []
    names = reader.read_many(actor, regs, ("first_name",), category="programs", purpose=purpose, event=Event.VIEW)
    return [(r, n["first_name"]) for r, n in zip(regs, names, strict=True)]


def code_word(actor: Actor, program: Program, *, purpose: str) -> str:
    if program.code_word_ct is None or program.registrations_destroyed_on is not None:
        return ""
    return reader.read(actor, program, ("code_word",), category="programs", purpose=purpose)["code_word"]


def do_record_attendance(actor: Actor, program: Program, count: int) -> Program:
    if count < 0:
        raise ValidationError("Attendance is a count of zero or more.")
    with transaction.atomic():
        Program.objects.filter(pk=program.pk).update(attendance=count)
        program.attendance = count
        count_routine(actor, Event.PROGRAM_ATTENDANCE)
    return program


# --- computer use -------------------------------------------------------


def _count_use(branch_code: str, day: datetime.date, minutes: int) -> None:
    row, _ = ComputerUseDay.objects.get_or_create(branch_code=branch_code, day=day)
    ComputerUseDay.objects.filter(pk=row.pk).update(sessions=F("sessions") + 1, minutes=F("minutes") + minutes)


def do_start_session(actor: Actor, *, station: str, minutes: int, patron=None, branch=None,
                     starts_at=None) -> ComputerSession:
    """Book a computer by card (``patron``) or with a guest pass (``patron=None``)."""
    starts_at = starts_at or timezone.now()
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    station = station.strip().upper()
    with transaction.atomic():
        clash = ComputerSession.objects.filter(
            branch=branch, station=station, ended_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at)
        if clash.exists():
            raise ValidationError(f"{station} is already booked for that time.")
        session = ComputerSession.objects.create(
            branch=branch, station=station, patron=patron, starts_at=starts_at, ends_at=ends_at,
            day=timezone.localdate(starts_at), minutes=minutes,
            guest_pass="" if patron else "".join(secrets.choice(_GUEST_ALPHABET) for _ in range(8)),
        )
        count_routine(actor, Event.COMPUTER_SESSION)
    return session


def do_end_session(actor: Actor, session: ComputerSession, *, now=None) -> None:
    """End a session: count it, then delete it (kept, ended, only under a legal hold)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = ComputerSession.objects.select_for_update().get(pk=session.pk)
        if session.ended_at is not None:
            raise ValidationError("This session has already ended.")
        used = max(0, min(int((now - session.starts_at).total_seconds() // 60), session.minutes))
        day = session.day
        _count_use(session.branch.code if session.branch else "", day, used)
        patron_id = session.patron_id
        if patron_id and legal_holds.covers("computer_use", patron_id=patron_id, start=day):
            ComputerSession.objects.filter(pk=session.pk).update(ended_at=now)
        else:
            ComputerSession.objects.filter(pk=session.pk).delete()
        count_routine(actor, Event.COMPUTER_SESSION_END)


# --- cameras ------------------------------------------------------------


def check_camera_retention(days: int) -> None:
    minimum = schedule.get().legal_minimum_days
    if days < max(1, minimum):
        raise ValidationError(f"Keep footage at least {max(1, minimum)} days (the legal minimum in the schedule).")


def do_add_camera(actor: Actor, *, name: str, location: str, footage_subdir: str, retention_days: int,
                  branch=None) -> Camera:
    check_camera_retention(retention_days)
    with transaction.atomic():
        camera = Camera.objects.create(name=name, location=location, branch=branch, footage_subdir=footage_subdir,
                                       retention_days=retention_days)
        append(actor, Event.CAMERA_REGISTER, categories=["camera"],
               basis=f"camera {camera.pk} registered, footage kept {retention_days} days")
    return camera


def do_set_camera_retention(actor: Actor, camera: Camera, retention_days: int) -> Camera:
    check_camera_retention(retention_days)
    with transaction.atomic():
        Camera.objects.filter(pk=camera.pk).update(retention_days=retention_days)
        camera.retention_days = retention_days
        append(actor, Event.CAMERA_REGISTER, categories=["camera"],
               basis=f"camera {camera.pk} footage now kept {retention_days} days")
    return camera


# --- reference follow-up notes ------------------------------------------


def do_write_note(actor: Actor, *, question: str, contact: str = "", days: int | None = None,
                  branch=None) -> ReferenceNote:
    limit = schedule.get().follow_up_note_days
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError(f"A follow-up note is kept 1 to {limit} days.")
    today = timezone.localdate()
    with transaction.atomic():
        note = ReferenceNote(branch=branch, created_on=today, expires_on=today + datetime.timedelta(days=days))
        sealer = vault.new_subject(NOTE_KIND, note.id)
        note.question_ct = sealer.seal("records.referencenote", "question", note.id, question)
        note.contact_ct = sealer.seal("records.referencenote", "contact", note.id, contact or None)
        note.save(force_insert=True)
        append(actor, Event.REFERENCE_NOTE, subject=vault.log_ref(note.id), categories=["reference"],
               basis=f"follow-up note, expires in {days} days")
    return note


def read_note(actor: Actor, note: ReferenceNote, *, purpose: str) -> dict[str, str]:
    return reader.read(actor, note, ("question", "contact"), category="reference", purpose=purpose)


def do_destroy_note(actor: Actor, note: ReferenceNote) -> None:
    with transaction.atomic():
        # Recorded under the note's own key before it is destroyed: unmatchable for good afterwards.
        append(actor, Event.SHRED, subject=vault.log_ref(note.id), categories=["reference"], basis="follow-up done")
        vault.shred(note.id)
        ReferenceNote.objects.filter(pk=note.pk).delete()
