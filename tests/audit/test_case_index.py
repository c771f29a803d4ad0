"""The case index holds only entries that belong to a case (most do not: each one left out is a
page fewer per append), and the access log's "by case" query still uses it."""

from django.db import connection
from django.test import TestCase

from quietdesk.audit.models import AccessEntry


class CaseIndexTests(TestCase):
    def test_the_log_view_query_by_case_uses_the_partial_index(self):
        entries = AccessEntry.objects.order_by("-seq").filter(case_ref="C-ABCD-1234", case_ref__gt="")
        sql, params = entries.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in cursor.fetchall())
        self.assertIn("audit_entry_case", plan)

    def test_only_entries_of_a_case_are_indexed(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_entry_case'")
            else:
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_entry_case'")
            definition = cursor.fetchone()[0]
        self.assertIn("WHERE", definition.upper())
        self.assertIn("case_ref", definition)
