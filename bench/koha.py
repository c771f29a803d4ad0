"""quietdesk bench koha --rows N --json

rows          past loans (old_issues) in a real Koha 24.05 schema on a throwaway MariaDB
              (shared/koha, loaded in place), all returned more than 40 days ago; 5% of the
              100,000 patrons chose to keep their history (privacy 0, OPACPrivacy on)
enforce_s     wall time of a real `quietdesk koha enforce --apply --no-progress` process:
              preflight, batched anonymisation (one UPDATE per key range, each its own
              commit), and the read-back that proves nothing past retention remains
raw_sql_s     one plain UPDATE anonymising the same loans (same predicate) in a copy of the
              table with the same indexes and the same foreign key to borrowers, same run
ratio         enforce_s / raw_sql_s (goal: at most 1.5)
peak_rss_mb   the larger peak resident memory of the enforce and exposure processes (goal < 300)
exposure_s    wall time of a real `quietdesk koha exposure --json` process on the same data,
              before enforcement (goal < 30 s at 10,000,000 rows)
setup_s       generating the rows and the copy (server-side INSERT ... SELECT doubling)

The MariaDB server is scripts/mariadb-test-server's (or QD_MARIADB_URL's). Rows are made in
SQL by doubling, so Python never holds them. Enforcement runs first, the raw UPDATE second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

NEEDS_DATABASE = True
DB = "koha_bench"
PATRONS = 100_000


def add_arguments(parser):
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=50_000)


def _double(server, table: str, target: int, first: int, columns: str, select: str, key: str) -> None:
    """Grow ``table`` to ``target`` rows from key ``first`` on, copying its rows onto new keys (``{shift}``)."""
    while True:
        count = int(server.sql(f"SELECT COUNT(*) FROM {table} WHERE {key} >= {first}", database=DB)[0][0])  # noqa: S608
        if count >= target:
            return
        take = min(count, target - count)
        server.sql(f"INSERT INTO {table} ({columns}) SELECT {select.format(shift=count)} FROM {table} "  # noqa: S608
                   f"WHERE {key} >= {first} AND {key} < {first + take}", database=DB)


def _generate(server, rows: int) -> None:
    sql = lambda s: server.sql(s, database=DB)  # noqa: E731
    sql("SET GLOBAL foreign_key_checks = 0")
    sql("INSERT INTO branches (branchcode, branchname) VALUES ('CPL', 'Centerville')")
    sql("INSERT INTO categories (categorycode, description, category_type) VALUES ('PT', 'Patron', 'A')")
    sql("INSERT INTO borrowers (borrowernumber, cardnumber, surname, branchcode, categorycode) "
        "VALUES (1, 'ANONYMOUS', 'Anonymous', 'CPL', 'PT')")
    sql("INSERT INTO borrowers (borrowernumber, cardnumber, surname, firstname, branchcode, categorycode, privacy) "
        "VALUES (2, '21000000000002', 'Patron', 'Bench', 'CPL', 'PT', 1)")
    _double(server, "borrowers", PATRONS, 2,
            "borrowernumber, cardnumber, surname, firstname, branchcode, categorycode, privacy",
            "borrowernumber + {shift}, borrowernumber + {shift} + 21000000000000, surname, firstname, branchcode, "
            "categorycode, IF((borrowernumber + {shift}) % 20 = 0, 0, 1)", "borrowernumber")
    sql("INSERT INTO old_issues (issue_id, borrowernumber, itemnumber, issuedate, date_due, returndate, branchcode, "
        "`timestamp`) VALUES (1, 2, NULL, '2019-01-01 10:00:00', '2019-01-22 10:00:00', '2019-01-15 16:00:00', "
        "'CPL', '2019-01-15 16:00:00')")
    # Spread over ~7 years, all returned at least 40 days before today; patrons cycle through all 100,000.
    back = "CURRENT_DATE - INTERVAL (40 + (issue_id + {shift}) * 104729 % 2500) DAY"
    _double(server, "old_issues", rows, 1,
            "issue_id, borrowernumber, itemnumber, issuedate, date_due, returndate, branchcode, `timestamp`",
            "issue_id + {shift}, 2 + (issue_id + {shift}) * 7919 % " + str(PATRONS) + ", NULL, "
            f"{back} - INTERVAL 14 DAY, {back} + INTERVAL 7 DAY, {back}, 'CPL', {back}", "issue_id")
    sql("UPDATE systempreferences SET value = '1' WHERE variable IN ('AnonymousPatron', 'OPACPrivacy')")
    sql("CREATE TABLE old_issues_copy LIKE old_issues")
    sql("ALTER TABLE old_issues_copy ADD CONSTRAINT old_issues_copy_borrower FOREIGN KEY (borrowernumber) "
        "REFERENCES borrowers (borrowernumber) ON DELETE SET NULL ON UPDATE SET NULL")
    sql("INSERT INTO old_issues_copy SELECT * FROM old_issues")
    sql("SET GLOBAL foreign_key_checks = 1")
    sql("ANALYZE TABLE old_issues, old_issues_copy, borrowers")


def _settle(server, limit: float = 600) -> None:
    """Wait until the server has written its dirty pages and purged old row versions, so no
    timed phase pays for the work of the one before (generation, enforcement)."""
    server.sql("SET GLOBAL innodb_max_dirty_pages_pct = 0")
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            dirty = int(server.sql("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")[0][1])
            history = int(server.sql("SELECT COUNT FROM information_schema.INNODB_METRICS "
                                     "WHERE NAME = 'trx_rseg_history_len'")[0][0])
            if dirty < 200 and history < 1000:
                return
            time.sleep(1)
    finally:
        server.sql("SET GLOBAL innodb_max_dirty_pages_pct = 90")


def _timed(cmd: list[str], env: dict) -> tuple[float, str]:
    """Wall seconds and standard output of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[2:])} failed: {err.decode(errors='replace')[-2000:]}")
    return seconds, out.decode()


def run(rows: int, batch_size: int) -> dict:
    import resource

    from tests.ils.mariadb import Server

    server = Server.start()
    try:
        t0 = time.perf_counter()
        server.create_koha(DB)
        _generate(server, rows)
        setup_s = time.perf_counter() - t0
        env = dict(os.environ, QUIETDESK_KOHA_DATABASE_URL=server.url(DB))
        qd = [sys.executable, "-m", "quietdesk"]

        _settle(server)
        exposure_s, exposure_out = _timed([*qd, "koha", "exposure", "--json"], env)
        exposure_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        past = next(f for f in json.loads(exposure_out)["findings"] if f["table"] == "old_issues")["past_retention"]

        _settle(server)
        enforce_s, enforce_out = _timed([*qd, "koha", "enforce", "--apply", "--no-progress", "--batch-size",
                                         str(batch_size)], env)
        peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        assert "nothing past retention remains" in enforce_out, enforce_out

        _settle(server)
        t0 = time.perf_counter()
        conn = server.connect(DB)
        with conn.cursor() as cursor:
            raw = cursor.execute(
                "UPDATE old_issues_copy SET borrowernumber = 1, `timestamp` = `timestamp` WHERE borrowernumber "
                "IS NOT NULL AND borrowernumber <> 1 AND returndate < CURRENT_DATE - INTERVAL 30 DAY AND "
                "borrowernumber NOT IN (SELECT borrowernumber FROM borrowers WHERE privacy = 0)")
        conn.close()
        raw_s = time.perf_counter() - t0
        left = server.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = 1", database=DB)[0][0]
        assert raw == past == left, (raw, past, left)
        load = os.getloadavg()[0]
        return {
            "rows": rows,
            "anonymised": left,
            "enforce_s": round(enforce_s, 2),
            "raw_sql_s": round(raw_s, 2),
            "ratio": round(enforce_s / raw_s, 2),
            "peak_rss_mb": round(max(peak_rss, exposure_rss), 1),
            "exposure_s": round(exposure_s, 2),
            "batch_size": batch_size,
            "setup_s": round(setup_s, 1),
            "load_average": round(load, 2),
        }
    finally:
        try:
            server.drop(DB)
        finally:
            server.stop()
