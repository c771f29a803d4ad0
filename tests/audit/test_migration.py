"""Format 1 of the access log migrates to format 2: the old chain is verified first, free-text
actions become events, "nd-" becomes the mark, patron pseudonyms are dropped, and the new
chain verifies (issue: the log's redesign must not lose the proof)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

SEP = "\x1f"
OLD = [
    ("2026-11-20T10:00:00.123456Z", "desk", "circulation", "P-AAAA-BBBB", "circulation", "checkout", "checkout at the desk"),
    ("2026-11-20T10:01:00.000001Z", "director", "director", "C-CASE-0001", "registration", "nd-case-view", "review"),
    ("2026-11-20T10:02:00.000002Z", "director", "director", "P-AAAA-BBBB", "registration", "nd-produce",
     "production under a court order [face_of_document]"),
    ("2026-11-20T10:03:00.000003Z", "admin", "sysadmin", "-", "", "staff-create", "account x created"),
    ("2026-11-20T10:04:00.000004Z", "x", "y", "-", "", "something-unknown", "kept as it was"),
]


def _old_rows():
    prev, rows = "0" * 64, []
    for seq, cols in enumerate(OLD, start=1):
        line = SEP.join((str(seq), *cols))
        prev = hashlib.sha256(f"{prev}{SEP}{line}".encode()).hexdigest()
        rows.append((seq, *cols, prev))
    return rows


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_format_1_entries_migrate_and_verify():
    from quietdesk.audit.verify import verify

    _migrate(("audit", "0002_seq_is_the_key"))
    try:
        with connection.cursor() as cursor:
            for row in _old_rows():
                cursor.execute("INSERT INTO audit_accessentry (seq, at, actor, role, subject, categories, action, "
                               "basis, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", row)
        _migrate(("audit", "0003_log_format_2"))
        from quietdesk.audit.models import AccessEntry

        rows = list(AccessEntry.objects.order_by("seq"))
        assert [e.action for e in rows] == ["checkout", "case_view", "produce", "staff_account", "log_format"]
        assert [e.restricted for e in rows] == ["", "nd", "nd", "", ""]
        assert rows[1].case_ref == "C-CASE-0001"
        assert all("P-AAAA-BBBB" not in f"{e.subject}{e.basis}" for e in rows)  # the pseudonym is gone
        assert rows[0].at == "2026-11-20T10:00:00Z"
        assert verify().ok
    finally:
        _migrate(("audit", "0003_log_format_2"))
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_broken_format_1_log_stops_the_migration():
    _migrate(("audit", "0002_seq_is_the_key"))
    try:
        rows = _old_rows()
        rows[2] = (*rows[2][:7], "tampered", rows[2][8])
        with connection.cursor() as cursor:
            for row in rows:
                cursor.execute("INSERT INTO audit_accessentry (seq, at, actor, role, subject, categories, action, "
                               "basis, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", row)
        with pytest.raises(RuntimeError, match="not intact at entry #3"):
            _migrate(("audit", "0003_log_format_2"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accessentry")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
