"""Synthetic Koha exports (borrowers.csv, issues.csv) with Koha's own column names."""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

from django.utils import timezone
from faker import Faker

BORROWER_COLUMNS = [
    "borrowernumber", "cardnumber", "surname", "firstname", "middle_name", "title", "othernames", "initials",
    "pronouns", "streetnumber", "streettype", "address", "address2", "city", "state", "zipcode", "country",
    "email", "phone", "mobile", "fax", "emailpro", "phonepro", "B_streetnumber", "B_address", "B_city",
    "B_zipcode", "B_email", "B_phone", "dateofbirth", "branchcode", "categorycode", "dateenrolled", "dateexpiry",
    "gonenoaddress", "lost", "debarred", "debarredcomment", "contactname", "contactfirstname", "borrowernotes",
    "relationship", "sex", "password", "flags", "userid", "opacnote", "contactnote", "sort1", "sort2",
    "altcontactfirstname", "altcontactsurname", "altcontactphone", "smsalertnumber", "privacy",
    "privacy_guarantor_checkouts", "checkprevcheckout", "updated_on", "lastseen", "lang", "login_attempts",
    "anonymized", "autorenew_checkouts", "primary_contact_method",
]
ISSUE_COLUMNS = [
    "issue_id", "borrowernumber", "issuer_id", "itemnumber", "date_due", "branchcode", "returndate",
    "lastreneweddate", "renewals_count", "auto_renew", "timestamp", "issuedate", "onsite_checkout", "note",
]


def borrower(fake: Faker, rng: random.Random, n: int, today: datetime.date) -> dict:
    dob = today - datetime.timedelta(days=rng.randint(5 * 365, 90 * 365))
    return {
        "borrowernumber": n, "cardnumber": f"2300{n:09d}", "surname": fake.last_name(), "firstname": fake.first_name(),
        "middle_name": "", "title": rng.choice(["", "Mr", "Ms", "Dr"]), "othernames": "", "initials": "",
        "pronouns": "", "streetnumber": str(rng.randint(1, 999)), "streettype": "St",
        "address": fake.street_name(), "address2": "", "city": fake.city(), "state": "CA",
        "zipcode": fake.postcode(), "country": "USA", "email": f"b{n}@example.org" if rng.random() < 0.7 else "",
        "phone": f"707-555-{n % 10000:04d}" if rng.random() < 0.5 else "", "mobile": "", "fax": "",
        "emailpro": "", "phonepro": "", "B_streetnumber": "", "B_address": "", "B_city": "", "B_zipcode": "",
        "B_email": "", "B_phone": "", "dateofbirth": dob.isoformat() if rng.random() < 0.9 else "",
        "branchcode": rng.choice(["CENTRAL", "EAST", "ZZZ"]), "categorycode": rng.choice(["PT", "J", "ST"]),
        "dateenrolled": "2020-01-02", "dateexpiry": "2030-01-02", "gonenoaddress": "0", "lost": "0",
        "debarred": "", "debarredcomment": "", "contactname": "", "contactfirstname": "",
        "borrowernotes": "Prefers large print" if rng.random() < 0.1 else "", "relationship": "",
        "sex": rng.choice(["F", "M", ""]), "password": "!", "flags": "0", "userid": f"user{n}", "opacnote": "",
        "contactnote": "", "sort1": "", "sort2": "", "altcontactfirstname": "", "altcontactsurname": "",
        "altcontactphone": "", "smsalertnumber": "", "privacy": "1", "privacy_guarantor_checkouts": "0",
        "checkprevcheckout": "inherit", "updated_on": "2026-01-01 10:00:00", "lastseen": "2026-10-01 10:00:00",
        "lang": "default", "login_attempts": "0", "anonymized": "0", "autorenew_checkouts": "1",
        "primary_contact_method": "email",
    }


def write_export(directory: Path, patrons: int = 50, loans: int = 40, returned: int = 10, seed: int = 7,
                 locale: str = "en_US") -> tuple[Path, Path, list[dict], list[dict]]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    rng = random.Random(seed)
    today = timezone.localdate()
    people = [borrower(fake, rng, n, today) for n in range(1, patrons + 1)]
    issues = []
    for i in range(loans + returned):
        out = today - datetime.timedelta(days=rng.randint(1, 40))
        issues.append({
            "issue_id": i + 1, "borrowernumber": rng.randint(1, patrons), "issuer_id": "1",
            "itemnumber": 1000 + i, "date_due": f"{out + datetime.timedelta(days=21)} 23:59:00",
            "branchcode": "CENTRAL", "returndate": f"{today} 10:00:00" if i >= loans else "",
            "lastreneweddate": "", "renewals_count": "0", "auto_renew": "0", "timestamp": f"{out} 12:00:00",
            "issuedate": f"{out} 12:00:00", "onsite_checkout": "0", "note": "",
        })
    b_path, i_path = directory / "borrowers.csv", directory / "issues.csv"
    for path, columns, rows in ((b_path, BORROWER_COLUMNS, people), (i_path, ISSUE_COLUMNS, issues)):
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            w.writerows(rows)
    return b_path, i_path, people, issues
