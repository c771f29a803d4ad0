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
        self.assertEqual({"category", "records", "count", "oldest", "rule", "past_rule", "kept_for_legal_holds"},
                         set(rows[0]))
