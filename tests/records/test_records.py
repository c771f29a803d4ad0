"""Programs, computer sessions, the camera register and reference notes."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.records import services
from quietdesk.records.models import (
    Camera,
    ComputerSession,
    ComputerUseDay,
    Program,
    ProgramRegistration,
    ReferenceNote,
)
from quietdesk.vault.models import DataKey
from tests.personas import PersonaTestCase

DESK = Actor("desk", "circulation")
CARD = "21000000000001"


def program(registration="first_name", code_word="", hours_ago=-24):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return services.do_create_program(DESK, title="Info session", starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=1), registration=registration,
                                      code_word=code_word)


class Programs(PersonaTestCase):
    def test_first_name_only_sealed_under_the_programs_own_key(self):
        prog = program(code_word="mariposa")
        reg = services.do_register(DESK, prog, "Ana")
        services.do_register(DESK, prog, "")  # a seat, no name
        self.assertNotIn(b"Ana", bytes(reg.first_name_ct))
        self.assertNotIn(b"mariposa", bytes(prog.code_word_ct))
        self.assertEqual(reg.roster_subject, prog.roster_subject)
        self.assertTrue(DataKey.objects.filter(subject_id=prog.roster_subject, kind="program_roster").exists())
        names = [n for _, n in services.roster(DESK, prog, purpose="door")]
        self.assertEqual(names, ["Ana", ""])
        self.assertEqual(services.code_word(DESK, prog, purpose="door"), "mariposa")
        self.assertEqual(AccessEntry.objects.filter(action="view", categories="programs").count(), 3)

    def test_no_registration_program_refuses_names(self):
        prog = program(registration="none")
        self.assertIsNone(prog.roster_subject)
        with self.assertRaises(ValidationError):
            services.do_register(DESK, prog, "Ana")

    def test_attendance_is_a_count(self):
        prog = program()
        services.do_record_attendance(DESK, prog, 17)
        self.assertEqual(Program.objects.get().attendance, 17)

    def test_pages(self):
        self.login(self.desk)
        r = self.client.post(reverse("records:programs"), {
            "title": "Info session", "starts_at": "2030-01-05T18:00", "ends_at": "2030-01-05T19:00",
            "registration": "first_name", "code_word": "luz"})
        prog = Program.objects.get()
        self.assertRedirects(r, reverse("records:program", args=[prog.pk]), fetch_redirect_response=False)
        self.client.post(reverse("records:program_register", args=[prog.pk]), {"first_name": "Ana"})
        self.client.post(reverse("records:program_register", args=[prog.pk]), {"first_name": "123456789"})
        self.assertEqual(ProgramRegistration.objects.count(), 1)
        page = self.client.get(reverse("records:program", args=[prog.pk]))
        self.assertNotContains(page, "Ana")  # names only on demand, and each look is logged
        self.assertContains(self.client.get(reverse("records:program", args=[prog.pk]) + "?show=names"), "Ana")
        self.assertContains(self.client.get(reverse("records:program", args=[prog.pk]) + "?show=code"), "luz")
        r = self.client.post(reverse("records:programs"), {"title": "x", "starts_at": "2030-01-05T18:00",
                                                           "ends_at": "2030-01-05T17:00", "registration": "none"})
        self.assertContains(r, "must end after it starts")


class Computers(PersonaTestCase):
    def test_session_deleted_at_end_only_counts_kept(self):
        session = services.do_start_session(DESK, station="pc-3", minutes=45, patron=self.patron, branch=self.branch)
        self.assertEqual(session.station, "PC-3")
        with self.assertRaises(ValidationError):
            services.do_start_session(DESK, station="PC-3", minutes=30, branch=self.branch)
        services.do_end_session(DESK, session, now=session.starts_at + datetime.timedelta(minutes=20))
        self.assertFalse(ComputerSession.objects.exists())
        day = ComputerUseDay.objects.get()
        self.assertEqual((day.branch_code, day.sessions, day.minutes), ("central", 1, 20))

    def test_guest_pass(self):
        session = services.do_start_session(DESK, station="PC-1", minutes=30, branch=self.branch)
        self.assertRegex(session.guest_pass, r"^[2-9A-HJ-NP-Z]{8}$")
        self.assertIsNone(session.patron_id)

    def test_pages(self):
        self.login(self.desk)
        r = self.client.post(reverse("records:computers"), {"station": "PC-9", "minutes": "30", "card_number": ""})
        self.assertContains(r, "Guest pass")
        r = self.client.post(reverse("records:computers"), {"station": "PC-8", "minutes": "30", "card_number": CARD})
        self.assertContains(r, "PC-8 is booked")
        r = self.client.post(reverse("records:computers"), {"station": "PC-7", "minutes": "30", "card_number": "77777777"})
        self.assertContains(r, "No patron has that card number")
        r = self.client.post(reverse("records:computers"), {"station": "PC-9", "minutes": "30", "card_number": ""})
        self.assertContains(r, "already booked")
        for session in ComputerSession.objects.all():
            self.client.post(reverse("records:computer_end", args=[session.pk]))
        self.assertFalse(ComputerSession.objects.exists())
        self.assertEqual(ComputerUseDay.objects.get().sessions, 2)


class CamerasAndNotes(PersonaTestCase):
    def test_camera_retention_respects_the_legal_minimum(self):
        cam = services.do_add_camera(DESK, name="Door", location="Front door", footage_subdir="door", retention_days=14)
        with self.assertRaises(ValidationError):
            services.do_set_camera_retention(DESK, cam, 0)
        self.login(self.desk)
        r = self.client.post(reverse("records:cameras"), {"name": "Lot", "location": "Parking", "footage_subdir": "lot",
                                                          "retention_days": "7"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Camera.objects.count(), 2)
        self.assertContains(self.client.get(reverse("records:cameras")), "Parking")

    def test_note_expires_and_is_destroyed(self):
        note = services.do_write_note(DESK, question="Call back about citizenship class times", contact="phone",
                                      days=3)
        self.assertEqual(note.expires_on, timezone.localdate() + datetime.timedelta(days=3))
        self.assertNotIn(b"citizenship", bytes(note.question_ct))
        with self.assertRaises(ValidationError):
            services.do_write_note(DESK, question="x", days=999)
        self.login(self.desk)
        r = self.client.get(reverse("records:note", args=[note.pk]))
        self.assertContains(r, "citizenship class times")
        self.assertTrue(AccessEntry.objects.filter(action="view", categories="reference").exists())
        self.client.post(reverse("records:note", args=[note.pk]))
        self.assertFalse(ReferenceNote.objects.exists())
        self.assertFalse(DataKey.objects.filter(subject_id=note.pk).exists())
        r = self.client.post(reverse("records:notes"), {"question": "SSN 123-45-6789", "days": "3"})
        self.assertContains(r, "Social Security")
