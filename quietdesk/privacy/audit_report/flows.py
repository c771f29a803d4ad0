"""The data flow map: for each category of record, where it enters, where it is
stored, who can read it, and when it leaves or is destroyed.

Built from the configuration in force: the roles that hold each capability
(``staff.roles.CAPABILITIES``), the retention schedule and camera register (the
notice's periods, in English here), and the vendor register (who else holds it).
"""

from __future__ import annotations

from django.utils.translation import override

from quietdesk.staff.roles import CAPABILITIES, ROLE_LABELS, Cap

# category -> (label, where it enters, where it is stored, capability that reads it)
FLOWS = (
    ("registration", "Registration", "Desk registration form; Koha import (minimized on the way)",
     "patrons.Patron: name, card, one contact, notes sealed per patron; age band", Cap.VIEW_PATRON),
    ("circulation", "Circulation", "Desk checkout and return; self-check API (bearer token)",
     "circulation.Loan (borrower only while out or owed); opt-in reading history sealed per patron", Cap.CIRCULATE),
    ("holds", "Holds", "Desk or patron request", "circulation.Hold under a random shelf code", Cap.CIRCULATE),
    ("ill", "Interlibrary loan", "Desk request", "circulation.InterlibraryLoan, title sealed per patron", Cap.CIRCULATE),
    ("programs", "Programs", "Sign-up at the desk (first name or nothing)",
     "records.ProgramRegistration sealed under the program's own key; attendance as a count", Cap.MANAGE_RECORDS),
    ("computer_use", "Computer use", "Booking by card or guest pass",
     "records.ComputerSession until it ends; daily counts (records.ComputerUseDay)", Cap.MANAGE_RECORDS),
    ("camera", "Camera footage", "Cameras listed in the register",
     "Footage files in the footage directory (outside the database)", Cap.PLACE_LEGAL_HOLD),
    ("reference", "Reference", "A follow-up note, only when staff need one",
     "records.ReferenceNote, its own vault subject", Cap.MANAGE_RECORDS),
    ("database_search", "Database searches", "Not collected", "Not stored", None),
)


NOTE = ("Every category leaves the library only as the policy engine allows (for an officer, only what a "
        "judge's order names), and every read of it is written to the access log.")


def readers(cap) -> str:
    if cap is None:
        return "No one"
    roles = [ROLE_LABELS[role] for role, caps in CAPABILITIES.items() if cap in caps]
    return "; ".join(roles) + "; the patron (self-access)" if roles else "No staff role"


def rows(vendors: list[dict]) -> list[dict]:
    from quietdesk.privacy import public_notice as notice

    with override("en"):
        periods = notice.periods()
    out = []
    for category, label, enters, stored, cap in FLOWS:
        leaves = periods.get(category, "")
        shared = [v["name"] or "unnamed vendor" for v in vendors if category in v["categories"]]
        if shared:
            leaves += " Also held by: " + ", ".join(shared) + "."
        who = readers(cap)
        if category == "camera":
            who = "Director (reviews any request: footage shows other people)"
        out.append({"category": category, "label": label, "enters": enters, "stored": stored,
                    "read_by": who, "leaves": leaves.strip()})
    out.append({"category": "statistics", "label": "Statistics", "enters": "Counts from the records above (SQL)",
                "stored": "stats.Release: noisy counts only", "read_by": "Director; Privacy officer",
                "leaves": "Published as a page and CSV with differential privacy"})
    out.append({"category": "access_log", "label": "Access log", "enters": "Every read, search, export, disclosure",
                "stored": "audit.AccessEntry, hash-chained; signed checkpoints",
                "read_by": readers(Cap.VIEW_ACCESS_LOG), "leaves": "Kept; names patrons only by pseudonym"})
    for row in out[-2:]:
        row["read_by"] = row["read_by"].replace("; the patron (self-access)", "")
    return out
