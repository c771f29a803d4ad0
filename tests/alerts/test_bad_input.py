"""Bad input to the alert forms and the network pages: an answer, never a 500, and nothing
personal on disk or in a spreadsheet formula (security review findings 10 to 13)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from quietdesk.alerts import csv_uploads
from quietdesk.alerts.models import NetworkMember, Report
from quietdesk.alerts.validators import normalize_webhook
from tests.personas import PersonaTestCase

from .helpers import member

CSV_HEADER = "name,channel,address,fallback_email,language,tier,consent_date\n"


class SeenAtTests(PersonaTestCase):
    """Finding 10: a far-future (or far-past) time is a typo; the report is still saved."""

    def test_far_future_and_far_past_times_are_unreadable_not_a_crash(self):
        self.login(self.desk)
        for raw in ("9999-12-31T23:59", "0001-01-01T00:00", "2101-01-01T00:00", "1999-12-31 23:59"):
            Report.objects.all().delete()
            r = self.client.post(reverse("alerts:file"), {"activity": "Agents in the lobby", "seen_at": raw},
                                 follow=True)
            self.assertEqual(r.status_code, 200, raw)
            self.assertContains(r, "The time could not be read, so the report was saved without it.")
            report = Report.objects.get()
            self.assertEqual((report.activity, report.seen_at), ("Agents in the lobby", None), raw)

    def test_times_within_the_years_are_kept(self):
        self.login(self.desk)
        for raw, year in (("2000-01-01T00:00", 2000), ("2100-12-31T12:00", 2100)):
            Report.objects.all().delete()
            r = self.client.post(reverse("alerts:file"), {"activity": "Agents", "seen_at": raw}, follow=True)
            self.assertNotContains(r, "could not be read")
            self.assertEqual(Report.objects.get().seen_at.year, year)


BROKEN_WEBHOOKS = ("https://[abc/x", "https://[::1/hook", "https://example.org:99999/hook",
                   "https://example.org:port/hook", "https://]x[/")


class WebhookAddressTests(SimpleTestCase):
    """Finding 11: urlsplit and .port raise ValueError on these; the validator answers."""

    def test_broken_urls_are_a_validation_error(self):
        for url in BROKEN_WEBHOOKS:
            with self.assertRaises(ValidationError, msg=url) as caught:
                normalize_webhook(url)
            self.assertIn("must be an https:// address", caught.exception.messages[0])
            self.assertNotIn(url, caught.exception.messages[0])  # messages never repeat the value

    def test_good_urls_still_pass(self):
        for url in ("https://hooks.example.org/x", "https://example.org:8443/x", "http://127.0.0.1:9000/hook",
                    "https://[2001:db8::1]/hook"):
            self.assertEqual(normalize_webhook(url), url)


class NetworkBadInputTests(PersonaTestCase):
    def setUp(self):
        self.login(self.director)

    def _import(self, body: bytes):
        return self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", body)})

    def test_adding_a_broken_webhook_is_a_form_error(self):
        """Finding 11: add."""
        form = {"name": "Mutual Aid", "channel": "webhook", "language": "en", "tier": "2",
                "consent_date": "2026-01-02", "consented": "on"}
        for url in BROKEN_WEBHOOKS:
            r = self.client.post(reverse("alerts:add_member"), {**form, "address": url})
            self.assertContains(r, "A webhook must be an https:// address", msg_prefix=url)
        self.assertFalse(NetworkMember.objects.exists())

    def test_importing_a_broken_webhook_is_a_line_error(self):
        """Finding 11: CSV import."""
        body = CSV_HEADER + "Ana,signal,+15550100001,,en,1,2026-01-02\nHook,webhook,https://[abc/x,,en,2,2026-01-02\n"
        r = self._import(body.encode())
        self.assertContains(r, "Nothing was imported")
        self.assertContains(r, "Line 3, address: A webhook must be an https:// address")
        self.assertFalse(NetworkMember.objects.exists())

    def test_a_field_over_128_kb_is_a_line_error_and_nothing_is_imported(self):
        """Finding 11: csv.Error (field larger than field limit) becomes a line error."""
        body = (CSV_HEADER + "Ana,signal,+15550100001,,en,1,2026-01-02\n"
                + "Bob," + "x" * 140_000 + ",+15550100002,,en,1,2026-01-02\n"
                + "Cid,signal,+15550100003,,en,1,2026-01-02\n")
        r = self._import(body.encode())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Nothing was imported")
        self.assertContains(r, "Line 3: this line could not be read as CSV")
        self.assertFalse(NetworkMember.objects.exists())
        header = "name," + "x" * 140_000 + "\n"  # in the header line too
        self.assertContains(self._import(header.encode()), "Line 1: this line could not be read as CSV")

    def test_a_large_csv_never_goes_to_a_temporary_file(self):
        """Finding 12: over 2.5 MB Django spooled the upload to disk before the 2 MB check."""
        rows = [f"Member {i:06d} Example,signal,+1555{i:07d},m{i}@example.org,en,3,2026-01-02" for i in range(40_000)]
        body = (CSV_HEADER + "\n".join(rows) + "\n").encode()
        self.assertGreater(len(body), 2_700_000)
        with (tempfile.TemporaryDirectory() as spool, override_settings(FILE_UPLOAD_TEMP_DIR=spool),
              mock.patch.object(TemporaryUploadedFile, "__init__", side_effect=AssertionError("spooled")) as spooled,
              mock.patch("tempfile.NamedTemporaryFile", wraps=tempfile.NamedTemporaryFile) as named,
              mock.patch("tempfile.mkstemp", wraps=tempfile.mkstemp) as mkstemp):
            r = self._import(body)
            self.assertEqual(r.status_code, 200)
            self.assertContains(r, "The file is larger than 2 MB.")
            self.assertEqual((spooled.call_count, named.call_count, mkstemp.call_count), (0, 0, 0))
            self.assertEqual(list(os.scandir(spool)), [])
        self.assertFalse(NetworkMember.objects.exists())

    def test_just_over_the_limit_is_refused_and_just_under_is_read(self):
        """2 MB to 2.5 MB used to be held in memory by Django and refused by size; still refused."""
        row = "Member Example Name,signal,+15550100001,,en,3,2026-01-02\n"
        over = (CSV_HEADER + "# padding " + "x" * (csv_uploads.MAX_IMPORT_BYTES + 10) + "\n" + row).encode()
        self.assertContains(self._import(over), "The file is larger than 2 MB.")
        under = (CSV_HEADER + row).encode()
        self.assertRedirects(self._import(under), reverse("alerts:network"), fetch_redirect_response=False)
        self.assertEqual(NetworkMember.objects.count(), 1)

    def test_the_import_still_checks_csrf(self):
        """The handler is swapped in before the CSRF check (the view is csrf_exempt, then
        csrf_protect inside): the check must still run."""
        self.client = self.client_class(enforce_csrf_checks=True)
        self.login(self.director)
        body = (CSV_HEADER + "Ana,signal,+15550100001,,en,1,2026-01-02\n").encode()
        r = self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", body)})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(NetworkMember.objects.exists())

    def test_export_escapes_every_text_cell(self):
        """Finding 13: the fallback email was exported as-is."""
        evil = "=1+cmd|'/Ccalc'!A0@example.org"
        member("@SUM(1+1)", "signal", "+15550109999", fallback=evil)
        member("-2+3", "email", "=HYPERLINK(\"x\")@example.org")
        r = self.client.post(reverse("alerts:export"))
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        self.assertEqual(len(rows), 3)
        cells = [cell for row in rows[1:] for cell in row]
        self.assertIn("'" + evil, cells)
        self.assertIn("'@SUM(1+1)", cells)
        self.assertIn("'-2+3", cells)
        self.assertIn("'=HYPERLINK(\"x\")@example.org", cells)
        self.assertIn("+15550109999", cells)  # phone numbers are numbers, left alone
        for cell in cells:
            self.assertFalse(cell[:1] in ("=", "-", "@", "\t", "\r"), cell)
            self.assertFalse(cell.startswith("+") and not cell[1:].isdigit(), cell)


class MemoryOnlyHandlerTests(SimpleTestCase):
    """Finding 12: the limit is checked from Content-Length before the body is read."""

    def _handler(self, content_length: int):
        handler = csv_uploads.MemoryOnlyUploadHandler(None)
        self.assertIsNone(handler.handle_raw_input(None, {}, content_length, b"x"))
        handler.new_file("file", "n.csv", "text/csv", 0)
        return handler

    def test_a_request_too_large_keeps_nothing_from_the_first_byte(self):
        handler = self._handler(csv_uploads.MAX_IMPORT_BYTES + csv_uploads.MULTIPART_OVERHEAD + 1)
        self.assertIsNone(handler.receive_data_chunk(b"Ana,signal,+15550100001\n", 0))
        upload = handler.file_complete(24)
        self.assertTrue(upload.too_large)
        self.assertEqual(upload.read(), b"")

    def test_a_file_past_the_limit_is_dropped_even_if_content_length_was_small(self):
        handler = self._handler(1000)
        chunk = b"x" * 65536
        for start in range(0, csv_uploads.MAX_IMPORT_BYTES + 65536, 65536):
            handler.receive_data_chunk(chunk, start)
        upload = handler.file_complete(csv_uploads.MAX_IMPORT_BYTES + 65536)
        self.assertTrue(upload.too_large)
        self.assertEqual(upload.read(), b"")

    def test_a_small_file_is_kept_in_memory(self):
        handler = self._handler(2000)
        handler.receive_data_chunk(b"name,channel\n", 0)
        upload = handler.file_complete(13)
        self.assertFalse(upload.too_large)
        self.assertEqual(upload.read(), b"name,channel\n")
