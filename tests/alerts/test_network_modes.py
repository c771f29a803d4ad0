"""Where the network lives: local (here), remote (the organizing group's own instance), hub.

In remote mode the library holds no member list (ICE protocol, Organizing your colleagues:
the group stays "independent of library committees"): its pages and services refuse
members, nothing is broadcast from here, and only confirmed or urgent reports (with their
updates and all clears) are queued for the network.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from quietdesk.alerts import apps, conf, forward, network, services, signing
from quietdesk.alerts.models import Broadcast, Forward, NetworkMember
from quietdesk.audit.service import Actor
from tests.personas import PersonaTestCase

from .helpers import member

STAFF = Actor("desk", "circulation")
VERIFIER = Actor("manager", "person_in_charge")
SALUTE = {"activity": "Two agents at the side door", "zone": "Main entrance", "certainty": "observed"}


@pytest.fixture
def remote(settings):
    settings.QUIETDESK_NETWORK_MODE = "remote"
    settings.QUIETDESK_NETWORK_HUB_URL = "https://network.example.org/alerts/inbound/"
    settings.QUIETDESK_NETWORK_SECRET = "s" * 40
    return settings


@pytest.mark.nodb
class TestSettings:
    def test_remote_needs_tls_and_a_real_key(self, settings):
        settings.QUIETDESK_NETWORK_MODE = "remote"
        settings.QUIETDESK_NETWORK_SECRET = "s" * 40
        for url in ("", "http://network.example.org/alerts/inbound/", "https:///alerts/inbound/"):
            settings.QUIETDESK_NETWORK_HUB_URL = url
            with pytest.raises(ImproperlyConfigured, match="https://"):
                conf.check_network_settings()
        settings.QUIETDESK_NETWORK_HUB_URL = "https://network.example.org/alerts/inbound/"
        conf.check_network_settings()
        settings.QUIETDESK_NETWORK_SECRET = "short"
        with pytest.raises(ImproperlyConfigured, match="at least 32 bytes"):
            conf.check_network_settings()
        settings.QUIETDESK_NETWORK_SECRET = "s" * 40
        settings.QUIETDESK_NETWORK_CA_FILE = "/nonexistent/ca.pem"
        with pytest.raises(ImproperlyConfigured, match="is not a file"):
            conf.check_network_settings()

    def test_hub_needs_its_libraries_keys(self, settings):
        settings.QUIETDESK_NETWORK_MODE = "hub"
        for raw, message in (("", "needs QUIETDESK_NETWORK_SENDERS"), ("{nope", "must be JSON"),
                             ('["a"]', "must map sender names"), ('{"a": "short"}', "shorter than 32 bytes")):
            settings.QUIETDESK_NETWORK_SENDERS = raw
            with pytest.raises(ImproperlyConfigured, match=message):
                conf.check_network_settings()
        settings.QUIETDESK_NETWORK_SENDERS = json.dumps({"riverside": "k" * 32})
        conf.check_network_settings()
        assert conf.senders() == {"riverside": b"k" * 32}

    def test_the_signature_covers_every_header_the_hub_acts_on(self):
        key, body = b"k" * 32, b'{"a": 1}'
        mid = "2b0c5f8e-3f4b-4d7e-9a51-1c2d3e4f5a6b"
        good = signing.signature(key, "riverside", "1700000000", mid, body)
        assert signing.check(key, "riverside", "1700000000", mid, body, good)
        for sender, stamp, message_id, payload in (("other", "1700000000", mid, body),
                                                   ("riverside", "1700000001", mid, body),
                                                   ("riverside", "1700000000", mid.replace("2b", "3b"), body),
                                                   ("riverside", "1700000000", mid, b'{"a": 2}')):
            assert not signing.check(key, sender, stamp, message_id, payload, good)
        assert not signing.check(b"x" * 32, "riverside", "1700000000", mid, body, good)
        assert not signing.check(key, "riverside", "1700000000", mid, body, "sha256=\u00e9")
        assert signing.parse_message_id(mid.upper()) is None and signing.parse_message_id(mid)


@pytest.mark.django_db
def test_remote_keeps_unconfirmed_reports_and_forwards_verified_ones(remote):
    report = services.do_file_report(STAFF, SALUTE)
    assert not Broadcast.objects.exists() and not Forward.objects.exists()  # the library's verifiers check it
    services.do_confirm_report(VERIFIER, report)
    assert list(Forward.objects.values_list("kind", "state")) == [("confirmed", "pending")]
    services.do_follow_up(VERIFIER, report, "update", "Still there at 15:10.")
    services.do_follow_up(VERIFIER, report, "cancel", "Gone.")
    assert list(Forward.objects.values_list("kind", flat=True)) == ["confirmed", "update", "cancel"]
    urgent = services.do_file_report(VERIFIER, SALUTE, urgent=True)
    assert Forward.objects.filter(report=urgent, kind="urgent").exists()
    # A report marked false never left the library: nothing to retract anywhere.
    false = services.do_file_report(STAFF, SALUTE)
    services.do_mark_false(VERIFIER, false)
    services_follow = services.do_file_report(STAFF, SALUTE)
    services.do_follow_up(VERIFIER, services_follow, "update", "More news")
    assert not Forward.objects.filter(report__in=[false, services_follow]).exists()
    assert not Forward.objects.filter(report__follows=services_follow).exists()
    assert not Broadcast.objects.exists()
    body = forward.payload(Forward.objects.get(kind="confirmed"))
    assert body["activity"] == "Two agents at the side door" and body["origin_ref"] == report.ref
    assert "reporter" not in json.dumps(body) and "desk" not in json.dumps(body)


@pytest.mark.django_db
def test_remote_refuses_members(remote):
    with pytest.raises(network.NetworkElsewhere):
        member()
    result = network.do_import_members(Actor.system("test"), "name,channel,address,consent_date\nA,email,a@x.org,2026-01-01\n")
    assert result.added == 0 and "run by the organizing group" in result.errors[0]
    assert not NetworkMember.objects.exists()
    from quietdesk.alerts.demo_network import seed_network

    assert seed_network() == 0 and not NetworkMember.objects.exists()


@pytest.mark.django_db
def test_members_left_behind_are_an_error_until_forgotten(settings):
    kept = [member("Left behind", "email", "left@example.org"), member("Also", "email", "also@example.org")]
    assert apps.members_left_behind(None) == []  # local mode: they belong here
    settings.QUIETDESK_NETWORK_MODE = "remote"
    errors = apps.members_left_behind(None)
    assert [e.id for e in errors] == ["quietdesk.alerts.E001"] and "2 network member(s)" in errors[0].msg
    with pytest.raises(Exception, match="add --yes"):
        call_command("alerts", "forget-network")
    out = io.StringIO()
    call_command("alerts", "forget-network", "--yes", stdout=out)
    assert "2 network member(s) destroyed" in out.getvalue()
    assert not NetworkMember.objects.exists() and apps.members_left_behind(None) == []
    from quietdesk.vault.models import DataKey

    assert not DataKey.objects.filter(subject_id__in=[m.id for m in kept]).exists()


class RemotePagesTests(PersonaTestCase):
    def setUp(self):
        from django.test import override_settings

        self.override = override_settings(QUIETDESK_NETWORK_MODE="remote",
                                          QUIETDESK_NETWORK_HUB_URL="https://network.example.org/alerts/inbound/")
        self.override.enable()
        self.addCleanup(self.override.disable)

    def test_the_network_pages_say_where_it_lives(self):
        self.login(self.director)
        for name in ("alerts:network", "alerts:add_member", "alerts:import", "alerts:export"):
            r = self.client.get(reverse(name))
            self.assertEqual(r.status_code, 404, name)
            self.assertContains(r, "This library keeps no member list", status_code=404)
            self.assertContains(r, "independent of library committees", status_code=404)
        r = self.client.post(reverse("alerts:add_member"), {"name": "X", "channel": "email", "address": "x@x.org",
                                                            "consent_date": "2026-01-01"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(NetworkMember.objects.exists())
        self.client.logout()
        self.login(self.desk)  # without the capability: the same refusal as before
        self.assertIn(self.client.get(reverse("alerts:network")).status_code, (403, 404))

    def test_filing_and_confirming_say_where_it_goes(self):
        self.login(self.manager)
        r = self.client.post(reverse("alerts:file"), {"activity": "Agents at the door"}, follow=True)
        self.assertContains(r, "once confirmed it goes to the network")
        self.assertContains(r, "run by the organizing group on its own server")
        report = services.Report.objects.get()
        page = self.client.get(reverse("alerts:confirm", args=[report.id]))
        self.assertContains(page, "keeps no member list")  # the preview cannot count members it does not hold
        r = self.client.post(reverse("alerts:confirm", args=[report.id]), {"confirm": "on"}, follow=True)
        self.assertContains(r, "Sent to the network")
        self.assertContains(r, "Waiting to be sent")

    def test_the_inbound_endpoint_is_only_on_a_hub(self):
        for mode in ("local", "remote"):
            with self.settings(QUIETDESK_NETWORK_MODE=mode):
                r = self.client.post(reverse("alerts:inbound"), data=b"{}", content_type="application/json")
                self.assertEqual(r.status_code, 404, mode)
