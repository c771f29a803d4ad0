"""quietdesk bench purge --rows N --json

rows          expired loan-history rows (anonymous returned loans past the
              schedule) created in circulation_loan, all due
purge_s       wall time of a real `quietdesk purge --no-progress` process (every
              rule, batched set-based deletes, each batch its own transaction
              with its PurgeRun bookkeeping), start-up included
raw_sql_s     one plain DELETE of the same rows from a copy of the table (same
              columns and indexes), same run: the floor for deleting them
ratio         purge_s / raw_sql_s (goal: at most 2)
peak_rss_mb   peak resident memory of the purge process (goal: < 300)
setup_rss_mb  peak resident memory of this process (generating the rows, the
              copy and the raw DELETE), for comparison

Rows are generated in SQL (a recursive CTE, or generate_series on PostgreSQL),
so Python never holds them. The purge runs first; the raw delete second.
"""

import resource
import subprocess
import sys
import time

from django.db import connection, connections, transaction
from django.utils import timezone

NEEDS_DATABASE = True


def add_arguments(parser):
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=50_000)


def _generate(table: str, rows: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            series = f"SELECT g AS x FROM generate_series(1, {int(rows)}) g"  # noqa: S608 (an int)
            day = "DATE '2025-01-01' + (x % 300)"
        else:
            series = (f"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {int(rows)}) "  # noqa: S608
                      "SELECT x FROM s")
            day = "date('2025-01-01', '+' || (x % 300) || ' days')"
        cursor.execute(
            f"INSERT INTO {table} (item_id, patron_id, out_on, due_on, returned_on, renewals, fine_cents) "  # noqa: S608
            f"SELECT 1 + (x % 1000), NULL, NULL, NULL, {day}, 0, 0 FROM ({series}) q", None)  # None: no placeholders


def _copy(table: str, copy: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)", [])
        else:
            cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                           "ORDER BY type DESC", [table])
            statements = cursor.fetchall()
            for kind, statement in statements:  # the table first, then its indexes
                statement = statement.replace(f'"{table}"', f'"{copy}"')
                if kind == "index":
                    statement = statement.replace('INDEX "', f'INDEX "{copy}_', 1)
                cursor.execute(statement, [])
        cursor.execute(f"INSERT INTO {copy} SELECT * FROM {table}", [])  # noqa: S608


def run(rows: int, batch_size: int) -> dict:
    from quietdesk.circulation.models import Item, Loan
    from quietdesk.retention.models import PurgeRun

    Item.objects.bulk_create([Item(barcode=f"P{i:07d}", title=f"Title {i}") for i in range(1000)], batch_size=1000)
    first = Item.objects.order_by("pk").values_list("pk", flat=True).first()
    assert first == 1, "items must start at id 1 on a fresh database"
    table, copy = Loan._meta.db_table, "bench_loan_copy"
    t0 = time.perf_counter()
    _generate(table, rows)
    _copy(table, copy)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them on a live database: without them the
        # planner guesses a freshly loaded table is tiny and picks poor plans for both deletes.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}", None)
            cursor.execute(f"ANALYZE {copy}", None)
    setup_s = time.perf_counter() - t0

    connections.close_all()
    cmd = [sys.executable, "-m", "quietdesk", "purge", "--no-progress", "--batch-size", str(batch_size)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    purge_s = time.perf_counter() - t0
    purge_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = PurgeRun.objects.get()
    left = Loan.objects.count()

    cutoff = connection.ops.adapt_datefield_value(timezone.localdate())
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {copy} WHERE returned_on IS NOT NULL AND patron_id IS NULL "  # noqa: S608
                       "AND returned_on < %s", [cutoff])
        raw_deleted = cursor.rowcount
    raw_s = time.perf_counter() - t0
    assert left == 0 and raw_deleted == rows == result.counts["circulation.returned_loans"], (left, raw_deleted)
    return {
        "rows": rows,
        "purge_s": round(purge_s, 2),
        "raw_sql_s": round(raw_s, 2),
        "ratio": round(purge_s / raw_s, 2),
        "peak_rss_mb": round(purge_rss, 1),
        "setup_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "batches": result.batches,
        "batch_size": batch_size,
        "setup_s": round(setup_s, 1),
        "database": connection.vendor,
    }
