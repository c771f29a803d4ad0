"""Koha-realistic test data, generated into a database that has Koha's real schema.

Two libraries (branches), four patron categories (one whose default privacy is
'forever', one 'never'), patrons with every privacy setting (0 keep forever, 1 the
library's default, 2 never), dates of birth, sex, statistics fields, alternate
addresses, notes, some holding high-risk text (an SSN, an A-number, immigration
words) and some that only look like it; years of past loans and holds, current
loans and holds, statistics rows for every checkout and return, action logs
(circulation, patrons and cataloguing), the message queue (sent and pending),
saved searches, an archive of deleted patrons, the last borrower of items, fines,
ILL requests, suggestions and a file attached to a patron. Borrowernumber 1 is the
patron AnonymousPatron names.

Deterministic for a seed and a day (``as_of``): two databases built alike hold the
same rows, which is how the kill-and-resume test compares end states.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

ANONYMOUS = 1
CARD = "21000000{:06d}"  # 14 digits, like most libraries' barcodes
SURNAMES = ("García", "Nguyen", "Smith", "Hernández", "Okafor", "Kowalski", "Rossi", "Müller", "Tanaka", "Silva")
FIRST = ("Ana", "Minh", "John", "Lucía", "Chidi", "Ewa", "Marco", "Jonas", "Yuki", "João")
RISKY_NOTES = (
    "Patron said she is undocumented; be discreet at the desk.",
    "SSN 219-09-9999 written on the registration form",
    "Letter from USCIS with A-number A123456789 left at desk",
    "Solicitante de asilo, cita el martes",
    "Asked about TPS renewal workshop",
)
PLAIN_NOTES = ("Prefers large print.", "Card replaced 2 times.", "Call number 972.81 GAR requested",
               "Likes the novel 'Refugee' by Alan Gratz", "ISBN 978-0-06-112008-4 on order")
# Every table this generator fills (tests reset them between tests).
TABLES = ("branches", "categories", "itemtypes", "biblio", "biblioitems", "items", "borrowers", "issues",
          "old_issues", "reserves", "old_reserves", "statistics", "action_logs", "message_queue",
          "message_transport_types", "search_history", "deletedborrowers", "items_last_borrower", "accountlines",
          "illrequests", "suggestions", "borrower_files", "deleteditems", "deletedbiblio")


@dataclass
class Facts:
    as_of: datetime.date
    patrons: list[int] = field(default_factory=list)
    cards: dict[int, str] = field(default_factory=dict)
    keep_forever: list[int] = field(default_factory=list)  # privacy 0
    loans: int = 0


def _dt(day: datetime.date, rnd: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rnd.randint(9, 19), rnd.randint(0, 59), rnd.randint(0, 59)))


def _insert(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    cols = ", ".join(f"`{c}`" for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    for start in range(0, len(rows), 2000):
        cursor.executemany(f"INSERT INTO `{table}` ({cols}) VALUES ({marks})", rows[start:start + 2000])  # noqa: S608


def reset(conn, prefs: list[tuple]) -> None:
    """Empty what the generator fills and put back Koha's default preferences."""
    with conn.cursor() as cursor:
        cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
        for table in TABLES:
            cursor.execute(f"DELETE FROM `{table}`")  # noqa: S608 (constants)
        cursor.execute("DELETE FROM systempreferences")
        _insert(cursor, "systempreferences", ("variable", "value", "options", "explanation", "type"), prefs)
        cursor.execute("SET FOREIGN_KEY_CHECKS = 1")


def set_pref(conn, name: str, value: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("UPDATE systempreferences SET value = %s WHERE variable = %s", (value, name))


def build(conn, *, as_of: datetime.date | None = None, patrons: int = 60, loans: int = 1500, seed: int = 7,
          years: int = 5) -> Facts:
    rnd = random.Random(seed)
    as_of = as_of or datetime.datetime.now().astimezone().date()
    facts = Facts(as_of=as_of, loans=loans)
    days = years * 365

    def past(lo: int = 1, hi: int = days) -> datetime.date:
        return as_of - datetime.timedelta(days=rnd.randint(lo, hi))

    with conn.cursor() as c:
        c.execute("SET FOREIGN_KEY_CHECKS = 0")
        _insert(c, "branches", ("branchcode", "branchname"), [("CPL", "Centerville"), ("MPL", "Midway")])
        _insert(c, "categories", ("categorycode", "description", "category_type", "default_privacy",
                                  "checkprevcheckout"),
                [("PT", "Patron", "A", "default", "inherit"), ("J", "Juvenile", "C", "never", "inherit"),
                 ("ST", "Staff", "S", "default", "inherit"), ("HB", "Homebound", "A", "forever", "softyes")])
        _insert(c, "itemtypes", ("itemtype", "description"), [("BK", "Books")])
        c.execute("INSERT IGNORE INTO message_transport_types (message_transport_type) VALUES ('email'), ('sms')")
        _insert(c, "biblio", ("biblionumber", "title", "author", "datecreated"),
                [(n, f"Book number {n}", "Author", as_of - datetime.timedelta(days=days)) for n in range(1, 201)])
        _insert(c, "biblioitems", ("biblioitemnumber", "biblionumber"), [(n, n) for n in range(1, 201)])
        _insert(c, "items", ("itemnumber", "biblionumber", "biblioitemnumber", "barcode", "homebranch",
                             "holdingbranch", "itype"),
                [(n, (n - 1) % 200 + 1, (n - 1) % 200 + 1, f"39000000{n:06d}", "CPL", "CPL", "BK")
                 for n in range(1, 401)])

        borrowers = [(ANONYMOUS, "ANONYMOUS", "Anonymous", "", "CPL", "ST", 1, None, None, None, None, None, None,
                      _dt(as_of - datetime.timedelta(days=days), rnd))]
        for n in range(2, patrons + 2):
            number = n
            card = CARD.format(n)
            privacy = 0 if n % 6 == 0 else (2 if n % 6 == 1 else 1)
            category = ("PT", "PT", "J", "HB", "PT")[n % 5]
            birth = as_of - datetime.timedelta(days=rnd.randint(7, 80) * 365) if n % 2 == 0 else None
            sex = rnd.choice(("F", "M")) if n % 3 == 0 else None
            note = RISKY_NOTES[n % len(RISKY_NOTES)] if n % 7 == 0 else (
                PLAIN_NOTES[n % len(PLAIN_NOTES)] if n % 4 == 0 else None)
            sort1 = "ESL" if n % 9 == 0 else None
            b_address = "12 Side St" if n % 8 == 0 else None
            borrowers.append((number, card, SURNAMES[n % 10], FIRST[n % 10], ("CPL", "MPL")[n % 2], category, privacy,
                              birth, sex, note, sort1, b_address, _dt(past(1, 60), rnd), _dt(past(1, 60), rnd)))
            facts.patrons.append(number)
            facts.cards[number] = card
            if privacy == 0:
                facts.keep_forever.append(number)
        _insert(c, "borrowers", ("borrowernumber", "cardnumber", "surname", "firstname", "branchcode",
                                 "categorycode", "privacy", "dateofbirth", "sex", "borrowernotes", "sort1",
                                 "B_address", "lastseen", "updated_on"), borrowers)

        old_issues, stats, logs = [], [], []
        for issue_id in range(1, loans + 1):
            who = rnd.choice(facts.patrons)
            out = past(2, days)
            back = min(out + datetime.timedelta(days=rnd.randint(1, 40)), as_of - datetime.timedelta(days=1))
            item = rnd.randint(1, 400)
            note = RISKY_NOTES[issue_id % 5] if issue_id % 250 == 0 else None
            out_dt, back_dt = _dt(out, rnd), _dt(back, rnd)
            old_issues.append((issue_id, who, item, out_dt, out_dt + datetime.timedelta(days=21), back_dt, "CPL",
                               back_dt, note))
            stats.append((out_dt, "CPL", "issue", item, "BK", who, "PT"))
            stats.append((back_dt, "CPL", "return", item, "BK", who, "PT"))
            if issue_id % 3 == 0:
                logs.append((out_dt, 0, "CIRCULATION", "ISSUE", who, str(item), "intranet"))
        _insert(c, "old_issues", ("issue_id", "borrowernumber", "itemnumber", "issuedate", "date_due", "returndate",
                                  "branchcode", "timestamp", "note"), old_issues)
        current = []
        for k in range(20):
            out_dt = _dt(past(1, 20), rnd)
            current.append((loans + 1 + k, facts.patrons[k % len(facts.patrons)], 381 + k, out_dt,
                            out_dt + datetime.timedelta(days=21), "CPL", out_dt))
        _insert(c, "issues", ("issue_id", "borrowernumber", "itemnumber", "issuedate", "date_due", "branchcode",
                              "timestamp"), current)

        old_reserves = []
        for reserve_id in range(1, loans // 3 + 1):
            placed = past(3, days)
            closed = min(placed + datetime.timedelta(days=rnd.randint(1, 30)), as_of - datetime.timedelta(days=1))
            cancelled = closed if reserve_id % 4 == 0 else None
            old_reserves.append((reserve_id, rnd.choice(facts.patrons), placed, rnd.randint(1, 200), "CPL",
                                 cancelled, None if cancelled else "F", _dt(closed, rnd)))
        _insert(c, "old_reserves", ("reserve_id", "borrowernumber", "reservedate", "biblionumber", "branchcode",
                                    "cancellationdate", "found", "timestamp"), old_reserves)
        opened = [past(1, 30) for _ in range(10)]
        _insert(c, "reserves", ("reserve_id", "borrowernumber", "reservedate", "biblionumber", "branchcode",
                                "priority", "timestamp"),
                [(loans // 3 + 1 + k, facts.patrons[k], opened[k], 1 + k, "MPL", 1, _dt(opened[k], rnd))
                 for k in range(10)])
        _insert(c, "statistics", ("datetime", "branch", "type", "itemnumber", "itemtype", "borrowernumber",
                                  "categorycode"), stats)
        for k in range(loans // 10):
            logs.append((_dt(past(), rnd), 0, "MEMBERS", "MODIFY", rnd.choice(facts.patrons), "changed address",
                         "intranet"))
            logs.append((_dt(past(), rnd), 0, "CATALOGUING", "MODIFY", 1 + k % 200, "biblio", "intranet"))
        _insert(c, "action_logs", ("timestamp", "user", "module", "action", "object", "info", "interface"), logs)

        messages = []
        for k in range(loans // 10):
            queued = _dt(past(), rnd)
            status = "pending" if k % 10 == 0 else "sent"
            who = rnd.choice(facts.patrons)
            messages.append((who, "Item due", "Dear patron, Book number 12 is due.", "email", status, queued,
                             queued, f"patron{who}@example.org"))
        _insert(c, "message_queue", ("borrowernumber", "subject", "content", "message_transport_type", "status",
                                     "time_queued", "updated_on", "to_address"), messages)
        _insert(c, "search_history", ("userid", "sessionid", "query_desc", "query_cgi", "total", "time"),
                [(rnd.choice(facts.patrons), f"s{k}", "kw,wrdl: citizenship test", "q=citizenship", 3,
                  _dt(past(1, 400), rnd)) for k in range(loans // 10)])
        deleted = []
        for k in range(12):
            number = patrons + 100 + k
            deleted.append((number, f"22000000{k:06d}", "Former", "Patron", "CPL", "PT", 1,
                            RISKY_NOTES[0] if k == 0 else None, _dt(past(1, 900), rnd)))
        _insert(c, "deletedborrowers", ("borrowernumber", "cardnumber", "surname", "firstname", "branchcode",
                                        "categorycode", "privacy", "borrowernotes", "updated_on"), deleted)
        _insert(c, "items_last_borrower", ("itemnumber", "borrowernumber", "created_on"),
                [(k, rnd.choice(facts.patrons), _dt(past(1, 300), rnd)) for k in range(1, 41)])
        _insert(c, "accountlines", ("borrowernumber", "itemnumber", "date", "amount", "amountoutstanding",
                                    "debit_type_code", "interface", "note"),
                [(facts.patrons[k], 1 + k, _dt(past(), rnd), 1.5, 0 if k % 2 else 1.5, "OVERDUE", "intranet",
                  None) for k in range(8)])
        _insert(c, "illrequests", ("borrowernumber", "branchcode", "status", "placed", "backend", "notesstaff"),
                [(facts.patrons[k], "CPL", "COMP", past(), "FreeForm", "Needs it for asylum hearing" if k == 0
                  else None) for k in range(3)])
        _insert(c, "suggestions", ("suggestedby", "suggesteddate", "title", "STATUS", "note"),
                [(facts.patrons[k], past(), f"Suggested {k}", "ASKED", None) for k in range(4)])
        _insert(c, "borrower_files", ("borrowernumber", "file_name", "file_type", "file_content"),
                [(facts.patrons[0], "id-scan.jpg", "image/jpeg", b"\xff\xd8 not really a photo")])
        c.execute("UPDATE systempreferences SET value = %s WHERE variable = 'AnonymousPatron'", (str(ANONYMOUS),))
        c.execute("UPDATE systempreferences SET value = '1' WHERE variable = 'OPACPrivacy'")
        c.execute("SET FOREIGN_KEY_CHECKS = 1")
    return facts


def snapshot(conn) -> dict[str, str]:
    """A digest of every table enforcement may change, row by row (for comparing end states)."""
    out = {}
    with conn.cursor() as c:
        for table in ("old_issues", "old_reserves", "items_last_borrower", "statistics", "action_logs",
                      "message_queue", "search_history", "deletedborrowers", "issues", "reserves", "borrowers"):
            c.execute(f"SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', {_all_columns(c, table)}))), 0) "  # noqa: S608
                      f"FROM `{table}`")
            count, digest = c.fetchone()
            out[table] = f"{count}:{digest}"
    return out


def _all_columns(cursor, table: str) -> str:
    cursor.execute("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                   "TABLE_NAME = %s ORDER BY ORDINAL_POSITION", (table,))
    return ", ".join(f"COALESCE(`{name}`, '~')" for (name,) in cursor.fetchall())
