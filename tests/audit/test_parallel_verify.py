from django.db import connection
from django.test import TestCase

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, record
from quietdesk.audit.verify import verify


class ParallelVerifyTests(TestCase):
    def test_any_number_of_workers_finds_the_same_first_problem(self):
        for i in range(41):
            record(Actor("a", "circulation"), Event.VIEW, basis=f"read {i}")
        for workers in (1, 2, 3, 4):
            result = verify(workers=workers)
            self.assertTrue(result.ok, workers)
            self.assertEqual(result.entries, 41)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accessentry SET basis = 'X' WHERE seq IN (30, 35)")
        for workers in (1, 2, 3, 4):
            self.assertEqual(verify(workers=workers).problem.seq, 30, workers)
