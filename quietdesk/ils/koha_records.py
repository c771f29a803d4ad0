"""One patron's records in Koha's database, read-only, for a production under a judge's order.

Only what a category names, only for the borrowernumbers that carry the card number
the order names, only in the order's dates (checked again by the producer registry).
Rows already anonymised no longer name the patron and are not reached: that is what
anonymisation is for. Login data (password, two-factor secret, user id) is never
read; notes written by staff are not registration records (Sonoma policy I.A).
"""

from __future__ import annotations

import datetime

CATEGORIES = ("registration", "circulation", "holds", "ill")

REGISTRATION = ("cardnumber", "surname", "firstname", "middle_name", "othernames", "title", "address", "address2",
                "city", "state", "zipcode", "country", "email", "phone", "mobile", "dateofbirth", "sex",
                "categorycode", "branchcode", "dateenrolled", "dateexpiry")
COLUMNS = {
    "registration": ("record", *REGISTRATION),
    "circulation": ("date", "record", "title", "barcode", "due_on", "returned_on", "branch"),
    "holds": ("date", "record", "title", "status", "pickup_branch", "closed_on", "expires_on"),
    "ill": ("date", "record", "status", "medium", "backend", "branch", "completed_on"),
}


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _range(column: str, date_from, date_to) -> tuple[str, list]:
    sql, params = "", []
    if date_from is not None:
        sql += f" AND {column} >= %s"
        params.append(date_from)
    if date_to is not None:
        sql += f" AND {column} < %s"
        params.append(date_to + datetime.timedelta(days=1))
    return sql, params


def _title(alias: str) -> tuple[str, str]:
    """Joins from an item number to its title and barcode, deleted items and records included."""
    joins = (f" LEFT JOIN `items` it ON it.`itemnumber` = {alias}.`itemnumber`"
             f" LEFT JOIN `deleteditems` di ON di.`itemnumber` = {alias}.`itemnumber`"
             " LEFT JOIN `biblio` b ON b.`biblionumber` = COALESCE(it.`biblionumber`, di.`biblionumber`)"
             " LEFT JOIN `deletedbiblio` db ON db.`biblionumber` = COALESCE(it.`biblionumber`, di.`biblionumber`)")
    return joins, "COALESCE(b.`title`, db.`title`, ''), COALESCE(it.`barcode`, di.`barcode`, '')"


def database_records(db, card_number: str, category: str, date_from, date_to) -> tuple[tuple[str, ...], list[dict]]:
    if category not in COLUMNS:
        return (), []
    columns = COLUMNS[category]
    if category == "registration":
        fields = ", ".join(f"`{c}`" for c in REGISTRATION)
        rows = [dict(zip(columns, ("patron", *row), strict=True)) for row in
                db.rows(f"SELECT {fields} FROM `borrowers` WHERE `cardnumber` = %s", [card_number])]  # noqa: S608
        rows += [dict(zip(columns, ("deleted patron (Koha's archive)", *row), strict=True)) for row in
                 db.rows(f"SELECT {fields} FROM `deletedborrowers` WHERE `cardnumber` = %s",  # noqa: S608
                         [card_number])]
        return columns, [{k: _iso(v) for k, v in r.items()} for r in rows]
    numbers = [n for (n,) in db.rows("SELECT `borrowernumber` FROM `borrowers` WHERE `cardnumber` = %s",
                                     [card_number])]
    if not numbers:
        return columns, []
    marks = ", ".join(["%s"] * len(numbers))
    out: list[dict] = []
    if category == "circulation":
        joins, title = _title("x")
        for table, record, returned in (("issues", "loan (out now)", "NULL"), ("old_issues", "past loan",
                                                                               "x.`returndate`")):
            where, params = _range("x.`issuedate`", date_from, date_to)
            for row in db.rows(f"SELECT x.`issuedate`, {title}, x.`date_due`, {returned}, x.`branchcode` "  # noqa: S608
                               f"FROM `{table}` x{joins} WHERE x.`borrowernumber` IN ({marks}){where} "
                               "ORDER BY x.`issuedate`", [*numbers, *params]):
                out.append(dict(zip(columns, (row[0], record, *row[1:]), strict=True)))
    elif category == "holds":
        for table, record in (("reserves", "hold (open)"), ("old_reserves", "past hold")):
            where, params = _range("x.`reservedate`", date_from, date_to)
            for row in db.rows("SELECT x.`reservedate`, COALESCE(b.`title`, db.`title`, ''), "  # noqa: S608
                               "CASE WHEN x.`cancellationdate` IS NOT NULL THEN 'cancelled' WHEN x.`found` = 'F' "
                               "THEN 'filled' WHEN x.`found` = 'W' THEN 'waiting' WHEN x.`found` = 'T' THEN "
                               "'in transit' ELSE 'placed' END, x.`branchcode`, x.`cancellationdate`, "
                               f"x.`expirationdate` FROM `{table}` x "
                               "LEFT JOIN `biblio` b ON b.`biblionumber` = x.`biblionumber` "
                               "LEFT JOIN `deletedbiblio` db ON db.`biblionumber` = x.`deleted_biblionumber` "
                               f"WHERE x.`borrowernumber` IN ({marks}){where} ORDER BY x.`reservedate`",
                               [*numbers, *params]):
                out.append(dict(zip(columns, (row[0], record, *row[1:]), strict=True)))
    elif category == "ill":
        where, params = _range("x.`placed`", date_from, date_to)
        for row in db.rows("SELECT x.`placed`, x.`status`, x.`medium`, x.`backend`, x.`branchcode`, "  # noqa: S608
                           f"x.`completed` FROM `illrequests` x WHERE x.`borrowernumber` IN ({marks}){where} "
                           "ORDER BY x.`placed`", [*numbers, *params]):
            out.append(dict(zip(columns, (row[0], "interlibrary loan request", *row[1:]), strict=True)))
    return columns, [{k: _iso(v) for k, v in r.items()} for r in out]
