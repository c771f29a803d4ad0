"""Reading history: opt-in, its own table, sealed, the patron's alone."""

import datetime
import uuid

from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.circulation import history, services
from quietdesk.circulation.models import ReadingHistoryEntry
from quietdesk.retention.legal_holds import do_place_legal_hold
from tests.circulation.helpers import DESK, item
from tests.personas import PersonaTestCase
from tests.test_every_url import concrete, walk

TODAY = datetime.date(2026, 11, 2)
TITLE = "A Very Private Subject"


class ReadingHistory(PersonaTestCase):
    def lend(self, n=1):
        book = item(n, title=f"{TITLE} {n}")
        services.do_checkout(DESK, self.patron, book, today=TODAY)
        services.do_return(DESK, book, today=TODAY)
        return book

    def test_off_by_default(self):
        self.lend()
        self.assertFalse(ReadingHistoryEntry.objects.exists())
        self.assertEqual(history.history_for_patron(self.patron), [])

    def test_opt_in_keeps_sealed_titles_for_the_patron(self):
        history.do_set_reading_history(DESK, self.patron, True)
        self.lend(1)
        self.lend(2)
        row = ReadingHistoryEntry.objects.first()
        self.assertNotIn(TITLE.encode(), bytes(row.title_ct))
        titles = [h["title"] for h in history.history_for_patron(self.patron)]
        self.assertEqual(sorted(titles), [f"{TITLE} 1", f"{TITLE} 2"])
        # The patron's own reading is counted, never logged under their name or a pseudonym.
        self.assertFalse(AccessEntry.objects.filter(role="patron").exists())
        self.assertEqual(RoutineTally.objects.get(role="patron", action="self_access").count, 2)
        self.assertFalse(RoutineTally.objects.filter(actor__contains=self.patron.pseudonym).exists())

    def test_invisible_to_staff_everywhere(self):
        history.do_set_reading_history(DESK, self.patron, True)
        book = self.lend(1)
        for user in (self.desk, self.director, self.privacy):
            self.client.logout()
            self.login(user)
            for _name, route, view in walk():
                if getattr(view, "is_public", False):
                    continue
                for pid in (self.patron.id, uuid.uuid4()):
                    r = self.client.get(concrete(route, pid))
                    self.assertNotIn(TITLE.encode(), r.content, route)
                    if "<uuid:patron_id>" not in route:
                        break
        # The account page shows what is out, not what was read.
        self.login(self.desk)
        page = self.client.get(f"/circulation/account/{self.patron.id}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, book.title)
        self.assertFalse(AccessEntry.objects.filter(role="circulation", action="view",
                                                    basis__contains="reading history").exists())

    def test_erase_any_time_and_turning_off_erases(self):
        history.do_set_reading_history(DESK, self.patron, True)
        self.lend(1)
        self.assertEqual(history.do_erase_history(DESK, self.patron), 1)
        self.assertFalse(ReadingHistoryEntry.objects.exists())
        self.lend(2)
        history.do_set_reading_history(DESK, self.patron, False)
        self.assertFalse(ReadingHistoryEntry.objects.exists())
        self.lend(3)
        self.assertFalse(ReadingHistoryEntry.objects.exists())

    def test_erasure_under_legal_hold_hides_but_preserves(self):
        history.do_set_reading_history(DESK, self.patron, True)
        self.lend(1)
        director = type("A", (), {"name": "director", "role": "director"})()
        do_place_legal_hold(director, reference="2026-CV-9", served_on=TODAY, categories=["circulation"],
                            date_from=TODAY, date_to=TODAY, patron=self.patron)
        history.do_erase_history(DESK, self.patron)
        self.assertEqual(history.history_for_patron(self.patron), [])  # gone from the patron's view
        self.assertEqual(ReadingHistoryEntry.objects.filter(erased_on__isnull=False).count(), 1)  # preserved
