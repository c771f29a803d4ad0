"""quietdesk inventory: counts, oldest, rule, and past-the-rule per category."""

import io
import json

from django.core.management import call_command

from quietdesk.retention import purge
from tests.personas import PersonaTestCase
from tests.retention import dataset
from tests.retention.dataset import AS_OF


class Inventory(PersonaTestCase):
    def test_past_the_rule_is_zero_after_a_purge(self):
        dataset.build(returned=30, footage=False)
        from quietdesk.retention.inventory import inventory

        before = {line.what: line for line in inventory(AS_OF)}
        self.assertEqual(before["anonymous returned loans"].past, 30)
        self.assertEqual(before["loans out"].count, 2)
        self.assertEqual(before["fines owed"].count, 1)
        purge.Purger(as_of=AS_OF).run()
        after = {line.what: line for line in inventory(AS_OF)}
        self.assertTrue(all(not line.past for line in after.values()))
        self.assertEqual(after["loans out"].count, 2)
        self.assertEqual(after["anonymous returned loans"].count, 1)  # returned today: due tomorrow

    def test_command(self):
        out = io.StringIO()
        call_command("inventory", stdout=out)
        self.assertIn("anonymous returned loans", out.getvalue())
        self.assertIn("never stored", out.getvalue())
        out = io.StringIO()
        call_command("inventory", "--json", stdout=out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual({"category", "records", "count", "oldest", "rule", "past_rule", "kept_for_legal_holds",
                          "dated_after_today"},
                         set(rows[0]))


class OldestIsNeverInTheFuture(PersonaTestCase):
    """Issue 14 §5: the inventory once showed a live note's expiry and an upcoming
    program's end as the "oldest" record, dates in the future."""

    def test_oldest_is_when_the_record_began_never_a_date_ahead(self):
        import datetime

        from quietdesk.circulation.models import Loan
        from quietdesk.retention.inventory import inventory

        dataset.build(returned=3, footage=False)
        # A returned loan dated ahead of the library's clock (a wrong clock on an import).
        item_loan = Loan.objects.filter(patron__isnull=True, returned_on__isnull=False).first()
        Loan.objects.filter(pk=item_loan.pk).update(returned_on=dataset.TODAY + datetime.timedelta(days=9))
        lines = inventory(AS_OF)
        for line in lines:
            if line.oldest is not None:
                self.assertLessEqual(line.oldest, dataset.TODAY, f"{line.what}: oldest {line.oldest}")
        by_what = {line.what: line for line in lines}
        notes = by_what["reference follow-up notes"]
        self.assertEqual(notes.oldest, dataset.days(5))  # written five days ago, not its expiry
        self.assertEqual(by_what["anonymous returned loans"].future, 1)
        self.assertEqual(by_what["program rosters (registrations and code word)"].future, 0)  # upcoming: normal

    def test_the_command_says_when_a_row_is_dated_after_today(self):
        import datetime

        from django.utils import timezone

        from quietdesk.records.models import ReferenceNote

        today = timezone.localdate()
        note = ReferenceNote.objects.create(created_on=today + datetime.timedelta(days=30),
                                            expires_on=today + datetime.timedelta(days=40), question_ct=b"x")
        out = io.StringIO()
        call_command("inventory", stdout=out)
        line = next(row for row in out.getvalue().splitlines() if "reference follow-up notes" in row)
        self.assertIn("1 dated after today: check the clock", line)
        self.assertNotIn(str(note.created_on), out.getvalue())


class InventoryPage(PersonaTestCase):
    def test_the_page_names_categories_and_flags_a_row_dated_after_today(self):
        import datetime

        from django.utils import timezone

        from quietdesk.records.models import ReferenceNote

        today = timezone.localdate()
        ReferenceNote.objects.create(created_on=today + datetime.timedelta(days=3),
                                     expires_on=today + datetime.timedelta(days=10), question_ct=b"x")
        self.login(self.director)
        page = self.client.get("/retention/").content.decode()
        self.assertIn("<td>Computer use</td>", page)
        self.assertNotIn("<td>computer_use</td>", page)
        self.assertIn("1 dated after today: check the clock", page)
        self.assertNotIn((today + datetime.timedelta(days=3)).strftime("%-d %b %Y"), page)
