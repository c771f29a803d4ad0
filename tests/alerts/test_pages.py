"""The alert pages as each persona: filing, verifying, the status page, the network, the ack link."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quietdesk.alerts import delivery, services
from quietdesk.alerts.models import Delivery, NetworkMember, Report
from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.audit.service import Actor
from quietdesk.staff.roles import CAPABILITIES, Role
from quietdesk.vault import api as vault
from quietdesk.vault.models import DataKey
from tests.audit.helpers import about
from tests.personas import ROLES, PersonaTestCase
from tests.test_every_url import concrete, walk

from .helpers import member, network

CSV_HEADER = "name,channel,address,fallback_email,language,tier,consent_date\n"


class AlertUrlsTests(PersonaTestCase):
    """tests/test_every_url.py's rules, for the alerts routes alone."""

    def test_each_role_gets_only_what_it_may(self):
        routes = [(route, view) for _, route, view in walk() if route.startswith("alerts/")]
        self.assertGreater(len(routes), 10)
        for attr, role in ROLES.items():
            self.client.logout()
            self.login(getattr(self, attr))
            caps = CAPABILITIES[Role(role)]
            for route, view in routes:
                url = concrete(route, self.patron.id)
                r = self.client.get(url)
                label = f"{attr} GET {url}"
                if getattr(view, "is_public", False):  # the ack page; the hub's inbound endpoint is POST only
                    self.assertIn(r.status_code, (200, 405), label)
                elif view.required_capability not in caps:
                    self.assertIn(r.status_code, (403, 404), label)
                elif "<" in route:
                    self.assertIn(r.status_code, (404, 405), label)
                else:
                    self.assertIn(r.status_code, (200, 405), label)
                self.assertEqual(r.get("Cache-Control"), "no-store", label)


class FilingTests(PersonaTestCase):
    def test_empty_report_saves_and_warns_without_the_reporter(self):
        self.login(self.desk)
        page = self.client.get(reverse("alerts:file"))
        self.assertContains(page, 'type="datetime-local"')
        self.assertNotContains(page, "Urgent")  # desk staff cannot skip verification
        r = self.client.post(reverse("alerts:file"), {}, follow=True)
        report = Report.objects.get()
        self.assertTrue(report.is_empty and report.stage == "unconfirmed" and report.status == "actual")
        self.assertContains(r, "nothing was filled in")
        self.assertContains(r, "Nothing was filled in")  # the warning for verifiers
        entry = AccessEntry.objects.get(action="alert_report")
        self.assertEqual((entry.actor, entry.role, entry.subject), ("staff (not recorded)", "circulation", ""))
        self.assertIn(report.ref, entry.basis)
        self.assertFalse(AccessEntry.objects.filter(actor="desk").exists())
        self.assertNotIn("desk", str(Report.objects.values().get()))

    def test_full_report_with_a_bad_time_still_saves(self):
        self.login(self.desk)
        r = self.client.post(reverse("alerts:file"), {
            "size": "Two agents", "activity": "x" * 5000, "zone": "Parking lot", "seen_at": "not a time",
            "certainty": "likely", "status": "exercise",
        }, follow=True)
        report = Report.objects.get()
        self.assertEqual((report.zone, report.certainty, report.status, report.seen_at), ("Parking lot", "likely",
                                                                                          "exercise", None))
        self.assertEqual(len(report.activity), 1000)
        self.assertContains(r, "could not be read")

    def test_ssn_shaped_numbers_are_refused(self):
        self.login(self.desk)
        r = self.client.post(reverse("alerts:file"), {"activity": "They asked for 123-45-6789"})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Report.objects.exists())

    def test_urgent_needs_the_capability(self):
        self.login(self.desk)
        self.client.post(reverse("alerts:file"), {"urgent": "on", "activity": "Agents in the lobby"})
        self.assertEqual(Report.objects.get().stage, "unconfirmed")
        report = Report.objects.get()
        self.assertEqual(self.client.post(reverse("alerts:urgent", args=[report.id])).status_code, 403)
        self.assertEqual(self.client.post(reverse("alerts:confirm", args=[report.id])).status_code, 403)
        self.client.logout()
        self.login(self.manager)
        self.assertContains(self.client.get(reverse("alerts:file")), "Urgent")
        # Urgent is a deliberate second step: the report goes to the verifiers, then a page
        # says who an unverified alert would reach, and only a confirmation sends it.
        r = self.client.post(reverse("alerts:file"), {"urgent": "on", "activity": "Agents in the stacks"})
        report = Report.objects.order_by("-reported_at").first()
        self.assertRedirects(r, reverse("alerts:urgent", args=[report.id]), fetch_redirect_response=False)
        self.assertEqual(report.stage, "unconfirmed")
        page = self.client.get(r["Location"])
        self.assertContains(page, "without verification")
        self.assertContains(page, 'id="audience"')
        self.assertEqual(self.client.post(r["Location"], {}).status_code, 400)
        self.assertEqual(Report.objects.get(pk=report.pk).stage, "unconfirmed")
        self.client.post(r["Location"], {"confirm": "on"})
        self.assertEqual(Report.objects.get(pk=report.pk).stage, "urgent")


class VerifyAndStatusTests(PersonaTestCase):
    def setUp(self):
        network(signal=1, email=1, tier=1)
        network(signal=1, email=1, tier=3, start=5)
        self.report = services.do_file_report(Actor("desk", "circulation"), {"activity": "Agents at the door"})

    def test_verifier_confirms_and_the_status_page_shows_everyone(self):
        self.login(self.manager)
        page = self.client.get(reverse("alerts:detail", args=[self.report.id]))
        self.assertContains(page, "Confirm: send to everyone")
        self.assertContains(page, "quietdesk/alerts.js")
        self.assertContains(page, "UNCONFIRMED, to verifiers")
        # First how many members on which channels, then a confirmation.
        preview = self.client.get(reverse("alerts:confirm", args=[self.report.id]))
        self.assertContains(preview, "<strong>4</strong> members")
        self.assertContains(preview, "Signal: 2 · Email: 2")
        self.assertEqual(self.client.post(reverse("alerts:confirm", args=[self.report.id]), {}).status_code, 400)
        r = self.client.post(reverse("alerts:confirm", args=[self.report.id]), {"confirm": "on"}, follow=True)
        self.assertContains(r, "CONFIRMED, to everyone")
        status = self.client.get(reverse("alerts:status", args=[self.report.id]))
        self.assertContains(status, "Pending: <strong>4</strong>")
        self.assertNotContains(status, "<html")
        again = self.client.post(reverse("alerts:confirm", args=[self.report.id]), {"confirm": "on"}, follow=True)
        self.assertContains(again, "already decided")

    def test_acknowledgement_shows_on_the_status_page(self):
        row = Delivery.objects.first()
        Delivery.objects.filter(pk=row.pk).update(state="sent")
        token = delivery.ack_token(row.pk)
        r = self.client.post(reverse("alerts:ack", args=[token]))
        self.assertContains(r, "Thank you.")
        self.login(self.desk)
        status = self.client.get(reverse("alerts:status", args=[self.report.id]))
        self.assertContains(status, "Acknowledged: <strong>1</strong>")

    def test_ack_link_reveals_nothing_for_wrong_or_used_tokens(self):
        row = Delivery.objects.first()
        Delivery.objects.filter(pk=row.pk).update(state="sent")
        token = delivery.ack_token(row.pk)
        pages = {}
        for name, t in [("wrong", "x" * 43), ("valid", token), ("used", token), ("short", "a")]:
            get = self.client.get(reverse("alerts:ack", args=[t]))
            post = self.client.post(reverse("alerts:ack", args=[t]))
            pages[name] = (get.status_code, _strip(get), post.status_code, _strip(post))
        self.assertEqual(len(set(pages.values())), 1, pages)
        self.assertNotIn(self.report.ref, str(pages))
        self.assertEqual(Delivery.objects.get(pk=row.pk).state, "acknowledged")
        self.assertEqual(RoutineTally.objects.get(action="alert_ack").count, 1)  # counted, not logged per member
        self.assertEqual(Delivery.objects.get(pk=row.pk).ack_token_hash, delivery.hash_token(token))
        self.assertNotIn(token, str(Delivery.objects.values().get(pk=row.pk)))

    def test_missing_report_is_404(self):
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("alerts:detail", args=[uuid.uuid4()])).status_code, 404)
        self.assertEqual(self.client.post(reverse("alerts:confirm", args=[uuid.uuid4()]), {"confirm": "on"}).status_code, 404)


def _strip(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


class NetworkPageTests(PersonaTestCase):
    def setUp(self):
        self.login(self.director)

    def test_add_member_is_sealed_and_duplicates_are_refused(self):
        form = {"name": "Legal Aid Hotline", "channel": "signal", "address": "+1 (555) 010-4242",
                "fallback_email": "hotline@example.org", "language": "es", "tier": "2",
                "consent_date": "2026-01-02", "consented": "on"}
        r = self.client.post(reverse("alerts:add_member"), form)
        self.assertRedirects(r, reverse("alerts:network"), fetch_redirect_response=False)
        m = NetworkMember.objects.get()
        self.assertNotIn(b"4242", bytes(m.address_ct))
        self.assertNotIn(b"Hotline", bytes(m.name_ct))
        page = self.client.get(reverse("alerts:network"))
        self.assertContains(page, "+15550104242")
        self.assertContains(page, "Legal Aid Hotline")
        self.assertTrue(about(m.id, action="view"))
        again = self.client.post(reverse("alerts:add_member"), {**form, "address": "+15550104242"})
        self.assertContains(again, "already in the network")
        bad = self.client.post(reverse("alerts:add_member"), {**form, "address": "12"})
        self.assertContains(bad, "not a valid phone number")
        self.assertEqual(NetworkMember.objects.count(), 1)

    def test_import_reports_every_bad_line_and_imports_nothing(self):
        member("Existing", "email", "taken@example.org")
        csv = CSV_HEADER + (
            "Ana,signal,+15550100001,,en,1,2026-01-02\n"
            "Bob,signal,555-12,,en,1,2026-01-02\n"
            "Cid,email,not-an-email,,en,3,2026-01-02\n"
            "Dee,email,taken@example.org,,en,3,2026-01-02\n"
            "Eve,pigeon,somewhere,,en,3,2026-01-02\n"
            "Fay,email,fay@example.org,,xx,9,someday\n"
        )
        r = self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", csv.encode())})
        self.assertContains(r, "Nothing was imported")
        for line in ("Line 3, address: This is not a valid phone number", "Line 4, address: This is not a valid email",
                     "Line 6, channel", "Line 7, language", "Line 7, tier", "Line 7, consent_date"):
            self.assertContains(r, line)
        self.assertEqual(NetworkMember.objects.count(), 1)
        # Fix the bad lines: the duplicate is then caught against the network.
        fixed = CSV_HEADER + "Ana,signal,+15550100001,,en,1,2026-01-02\nDee,email,taken@example.org,,en,3,2026-01-02\n"
        r = self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", fixed.encode())})
        self.assertContains(r, "Line 3, address: already in the network")
        good = CSV_HEADER + "Ana,signal,+15550100001,ana@example.org,es,1,2026-01-02\nGus,email,Gus@Example.ORG,,en,3,2026-01-03\n"
        r = self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", good.encode())})
        self.assertRedirects(r, reverse("alerts:network"), fetch_redirect_response=False)
        self.assertEqual(NetworkMember.objects.count(), 3)

    def test_export_round_trips_and_is_logged(self):
        network(signal=1, email=1, tier=1)
        self.assertContains(self.client.get(reverse("alerts:export")), "Download CSV")
        r = self.client.post(reverse("alerts:export"))
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        body = r.content.decode()
        self.assertTrue(body.startswith("name,channel,address"))
        self.assertIn("+15550100000", body)
        self.assertEqual(AccessEntry.objects.filter(action="export").count(), 2)
        NetworkMember.objects.all().delete()
        r = self.client.post(reverse("alerts:import"), {"file": SimpleUploadedFile("n.csv", r.content)})
        self.assertEqual(NetworkMember.objects.count(), 2)

    def test_removal_crypto_shreds(self):
        m = member("Leaving", "email", "leaving@example.org", tier=1)
        services.do_file_report(Actor("desk", "circulation"), {"activity": "x"})
        r = self.client.post(reverse("alerts:remove_member", args=[m.id]), {"confirm": "on"})
        self.assertRedirects(r, reverse("alerts:network"), fetch_redirect_response=False)
        self.assertFalse(NetworkMember.objects.exists())
        self.assertFalse(DataKey.objects.filter(subject_id=m.id).exists())
        self.assertTrue(vault.is_shredded(m.id))
        self.assertEqual(Delivery.objects.get().member_label, m.pseudonym)  # the status page keeps the label
        self.assertEqual([e.action for e in AccessEntry.objects.filter(action="shred")], ["shred"])
        self.assertFalse(about(m.id))  # shredded: no key can match its entries any more

    def test_desk_staff_cannot_see_the_network(self):
        self.client.logout()
        self.login(self.desk)
        self.assertEqual(self.client.get(reverse("alerts:network")).status_code, 403)
