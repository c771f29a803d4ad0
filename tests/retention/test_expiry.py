"""Registration expiry (issue 12, section 4): an account unused for the schedule's period is
crypto-shredded by the purge, after one notice by email where there is an address; nothing
in use or under a legal hold goes; the inventory shows what is due."""

from __future__ import annotations

import datetime
import io
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.circulation import holds as circ_holds
from quietdesk.circulation import services as circ
from quietdesk.circulation.models import (
    CirculationPreference,
    Hold,
    Item,
    Loan,
    ReadingHistoryEntry,
)
from quietdesk.patrons.expiry import add_months
from quietdesk.patrons.models import Patron, month_of
from quietdesk.patrons.services import do_register_patron
from quietdesk.retention import legal_holds, purge
from quietdesk.retention.inventory import inventory
from quietdesk.vault import api as vault
from quietdesk.vault.models import DataKey
from tests.audit.helpers import about
from tests.personas import PersonaTestCase, patron_data

DESK = Actor("desk", "circulation")
DIRECTOR = Actor("director", "director")
EXPIRED = "accounts unused for the whole period"
NOTICES = "expiry notices due (accounts with an email)"


def today() -> datetime.date:
    return timezone.localdate()


def register(n: int, *, email: bool = True) -> Patron:
    return do_register_patron(DESK, patron_data(n, email=f"patron{n}@example.org" if email else ""))


def last_active(patron: Patron, months_ago: int, *, on: datetime.date | None = None) -> None:
    month = add_months(month_of(on or today()), -months_ago)
    Patron.objects.filter(pk=patron.pk).update(active_month=month)


def run(days: int = 0):
    return purge.Purger(as_of=timezone.now() + datetime.timedelta(days=days)).run()


def gone(patron: Patron) -> bool:
    """Destroyed as a crypto-shred: row gone, key gone, listed for every restore."""
    return (not Patron.objects.filter(pk=patron.pk).exists() and not DataKey.objects.filter(subject_id=patron.pk)
            .exists() and vault.is_shredded(patron.pk))


class Expiry(PersonaTestCase):
    def test_three_years_unused_is_shredded_last_month_is_kept(self):
        old, recent, edge = register(31, email=False), register(32, email=False), register(33, email=False)
        last_active(old, 37)  # 36 whole months have passed since its month ended
        last_active(recent, 1)
        last_active(edge, 36)  # its 36 months end with this month: not yet
        item = Item.objects.create(barcode="EXP0001", title="Waiting for", status="out")
        Hold.objects.create(item=item, patron=old, placed_on=today(), status="waiting")
        CirculationPreference.objects.create(patron=old, keep_reading_history=True)
        ReadingHistoryEntry.objects.create(patron=old, title_ct=b"x", returned_on=today())
        result = run()
        self.assertTrue(gone(old))
        self.assertTrue(Patron.objects.filter(pk__in=[recent.pk, edge.pk]).count() == 2)
        self.assertEqual(result.counts["registration.expired"], 1)
        # What was tied to the account went with it: no anonymous row left behind.
        self.assertFalse(Hold.objects.filter(item=item).exists())
        self.assertFalse(CirculationPreference.objects.filter(patron_id=old.pk).exists())
        self.assertFalse(ReadingHistoryEntry.objects.filter(patron_id=old.pk).exists())
        entry = AccessEntry.objects.get(action="registration_expiry")
        self.assertEqual((entry.subject, entry.actor), ("", "system:purge"))
        self.assertIn("1 account(s) unused for 36 months destroyed", entry.basis)
        self.assertEqual(run().counts["registration.expired"], 0)  # idempotent

    def test_the_notice_goes_once_and_the_account_closes_no_sooner_than_its_days(self):
        patron = register(4)
        last_active(patron, 37)
        first = run()
        self.assertEqual(first.counts["registration.notices"], 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["patron4@example.org"])
        closes = today() + datetime.timedelta(days=30)
        self.assertIn("will be closed", message.subject)
        for words in ("closed for good", "To keep your account", "/requests/my-records/", "su cuenta se cerrará",
                      "visit any branch", str(closes.year)):
            self.assertIn(words, message.body)
        self.assertNotIn("Given4", message.body)  # nothing about the patron but that the account exists
        patron.refresh_from_db()
        self.assertEqual(patron.expiry_notice_on, today())  # the day, nothing finer
        read = about(patron.pk, action="expiry_notice")
        self.assertEqual(len(read), 1)  # the address was read through the reader, and logged
        self.assertEqual(read[0].actor, "system:purge")

        self.assertEqual(run().counts["registration.notices"], 0)  # sent once
        self.assertEqual(run(days=29).counts["registration.expired"], 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(Patron.objects.filter(pk=patron.pk).exists())
        self.assertEqual(run(days=30).counts["registration.expired"], 1)
        self.assertTrue(gone(patron))

    def test_using_the_card_after_the_notice_keeps_the_account_and_the_next_expiry_is_told_again(self):
        patron = register(5)
        last_active(patron, 37)
        run()
        item = Item.objects.create(barcode="EXP0005", title="Back again")
        circ.do_checkout(DESK, Patron.objects.get(pk=patron.pk), item)
        patron.refresh_from_db()
        self.assertEqual((patron.active_month, patron.expiry_notice_on), (month_of(today()), None))
        circ.do_return(DESK, item)
        self.assertEqual(run(days=30).counts["registration.expired"], 0)
        self.assertTrue(Patron.objects.filter(pk=patron.pk).exists())
        # Three years later it is unused again: a new notice before it closes.
        later = today() + datetime.timedelta(days=60)
        last_active(patron, 37, on=later)
        self.assertEqual(run(days=60).counts["registration.notices"], 1)
        self.assertEqual(len(mail.outbox), 2)

    def test_items_out_fines_shelf_holds_and_legal_holds_keep_the_account(self):
        out, owed, shelf = register(6, email=False), register(7, email=False), register(8)
        held_told, held_untold = register(9), register(10, email=False)
        for patron in (out, owed, shelf, held_told, held_untold):
            last_active(patron, 40)
        items = [Item.objects.create(barcode=f"EXPH{i}", title=f"Held {i}") for i in range(3)]
        Loan.objects.create(item=items[0], patron=out, out_on=today(), due_on=today())
        Loan.objects.create(item=items[1], patron=owed, returned_on=today(), fine_cents=300)
        Hold.objects.create(item=items[2], patron=shelf, placed_on=today(), status="ready", shelf_code="QWER",
                            ready_on=today())
        for patron in (held_told, held_untold):  # any hold naming the patron keeps the record, whatever it covers
            legal_holds.do_place_legal_hold(DIRECTOR, reference="CV-9", served_on=today(), patron=patron,
                                      categories=["circulation"], date_from=today(), date_to=today())
        lines = {line.what: line for line in inventory()}
        self.assertEqual((lines[EXPIRED].past, lines[EXPIRED].held), (0, 1))
        self.assertEqual((lines[NOTICES].past, lines[NOTICES].held), (0, 1))
        result = run()
        self.assertEqual(Patron.objects.filter(pk__in=[out.pk, owed.pk, shelf.pk, held_told.pk,
                                                       held_untold.pk]).count(), 5)
        self.assertEqual(mail.outbox, [])  # no one is told their account will close when it will not
        self.assertEqual((result.held["registration.expired"], result.held["registration.notices"]), (1, 1))
        # Released: the account is due again (the one without an email at once).
        for hold in legal_holds.active_holds():
            legal_holds.do_release_legal_hold(DIRECTOR, legal_holds.LegalHold.objects.get(pk=hold.id), reason="closed")
        run()
        self.assertTrue(gone(held_untold))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_hold_over_every_patron_keeps_every_account(self):
        patron = register(11, email=False)
        last_active(patron, 40)
        legal_holds.do_place_legal_hold(DIRECTOR, reference="GJ-1", served_on=today(), all_patrons=True,
                                  categories=["camera"], date_from=today(), date_to=today())
        self.assertEqual(run().counts["registration.expired"], 0)
        self.assertTrue(Patron.objects.filter(pk=patron.pk).exists())

    def test_inventory_and_dry_run_show_what_is_due(self):
        register(12, email=False)  # active this month
        quiet, told = register(13, email=False), register(14)
        last_active(quiet, 37)
        last_active(told, 37)
        lines = {line.what: line for line in inventory()}
        self.assertEqual(lines[EXPIRED].past, 1)
        self.assertEqual(lines[NOTICES].past, 1)
        self.assertIn("destroyed after 3 years unused", lines[EXPIRED].limit)
        out = io.StringIO()
        call_command("purge", "--dry-run", stdout=out)
        self.assertIn(f"1  {EXPIRED}", out.getvalue())
        self.assertEqual(mail.outbox, [])
        self.assertTrue(Patron.objects.filter(pk=quiet.pk).exists())
        run()
        lines = {line.what: line for line in inventory()}
        self.assertEqual((lines[EXPIRED].past, lines[NOTICES].past), (0, 0))
        self.assertEqual(lines[EXPIRED].count, 1)  # told today, closes in 30 days
        out = io.StringIO()
        call_command("inventory", stdout=out)
        self.assertIn(EXPIRED, out.getvalue())

    def test_a_mail_server_that_does_not_answer_leaves_the_account_alone(self):
        with socket.socket() as s:  # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        patron = register(15)
        last_active(patron, 40)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                               EMAIL_PORT=port, EMAIL_TIMEOUT=2):
            result = run()
            self.assertEqual((result.counts["registration.notices"], result.counts["registration.notices_unsent"]),
                             (0, 1))
            self.assertEqual(result.status, "done")
            self.assertEqual(run(days=60).counts["registration.expired"], 0)
        patron.refresh_from_db()
        self.assertIsNone(patron.expiry_notice_on)  # never told: never closed

    def test_a_desk_edit_or_a_self_service_sign_in_keeps_the_account(self):
        from quietdesk.legal import selfaccess, signin
        from quietdesk.patrons.services import do_update_patron

        edited, signed_in = register(16, email=False), register(17, email=False)
        for patron in (edited, signed_in):
            last_active(patron, 40)
        do_update_patron(DESK, Patron.objects.get(pk=edited.pk), patron_data(16, email=""))
        selfaccess.do_set_pin(DESK, signed_in, "482915")
        self.assertIsNotNone(signin.sign_in("21000000000017", "482915", client="test").patron)
        self.assertEqual(run().counts["registration.expired"], 0)
        self.assertEqual(set(Patron.objects.filter(pk__in=[edited.pk, signed_in.pk])
                             .values_list("active_month", flat=True)), {month_of(today())})

    def test_a_hold_placed_keeps_the_account(self):
        patron = register(18, email=False)
        last_active(patron, 40)
        circ_holds.do_place_hold(DESK, Patron.objects.get(pk=patron.pk), Item.objects.create(barcode="EXP18", title="t"))
        circ_holds.do_cancel_hold(DESK, Hold.objects.get(patron=patron))
        self.assertEqual(run().counts["registration.expired"], 0)


# --- over real SMTP servers (aiosmtpd) -------------------------------------------------------


@pytest.fixture
def refusing_smtp():
    """A real SMTP server (aiosmtpd) that refuses every recipient, as for an address gone stale."""
    from aiosmtpd.controller import Controller

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            return "550 5.1.1 No such mailbox"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Refuse(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False


@pytest.mark.slow
@pytest.mark.django_db
def test_the_notice_reaches_a_real_mail_server(smtp_server, settings):
    """The notice as the patron's mail server receives it (aiosmtpd, tests/e2e/conftest.py)."""
    _smtp(settings, smtp_server.port)
    smtp_server.clear()
    patron = register(20)
    last_active(patron, 37)
    assert run().counts["registration.notices"] == 1
    [got] = smtp_server.wait_for(1)
    assert got.rcpt_tos == ["patron20@example.org"]
    assert got.message["Auto-Submitted"] == "auto-generated"
    assert "will be closed" in got.message["Subject"] and "se cerrará" in got.message["Subject"]
    body = got.message.get_content()
    assert "To keep your account" in body and "Para conservar su cuenta" in body
    assert "Given20" not in body and "Family20" not in body


@pytest.mark.slow
@pytest.mark.django_db
def test_a_refused_address_counts_as_no_address(refusing_smtp, settings):
    _smtp(settings, refusing_smtp)
    patron = register(21)
    last_active(patron, 37)
    result = run()
    assert (result.counts["registration.notices"], result.counts["registration.notices_refused"]) == (0, 1)
    patron.refresh_from_db()
    assert patron.expiry_notice_on == today()  # the attempt is recorded, once
    assert run(days=30).counts["registration.expired"] == 1
    assert gone(patron)

