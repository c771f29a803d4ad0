"""A library's worth of records in every state the purge must handle, relative
to a fixed ``AS_OF``. Used in-process by the purge tests and, through
``quietdesk shell``, by the test that kills a real purge process."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.db import transaction

from quietdesk.audit.service import Actor
from quietdesk.circulation.models import Hold, InterlibraryLoan, Item, Loan, ReadingHistoryEntry
from quietdesk.core.models import Branch
from quietdesk.patrons.services import do_register_patron
from quietdesk.records import services as records
from quietdesk.records.models import Camera, ComputerSession
from quietdesk.retention import schedule

AS_OF = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)  # noon in the library (Pacific)
TODAY = datetime.date(2026, 6, 15)
ACTOR = Actor.system("dataset")


def days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _patron(n: int, *, email: bool = True):
    return do_register_patron(ACTOR, {
        "given_name": f"Given{n}", "family_name": f"Family{n}", "card_number": f"2500{n:09d}",
        "email": f"d{n}@example.org" if email else "", "phone": "", "age_band": "adult",
        "age_band_changes_on": None, "notes": "",
    })


LONG_AGO = datetime.date(2022, 1, 1)  # last active: more than 36 months before AS_OF


def build(returned: int = 200, footage: bool = True) -> dict:
    """Create the records; returns the ids the tests look at."""
    branch, _ = Branch.objects.get_or_create(code="dataset", defaults={"name": "Dataset branch"})
    p1, p2, gone = _patron(1), _patron(2), _patron(3)
    ids = {"p1": p1.pk, "p2": p2.pk}
    with transaction.atomic():
        items = Item.objects.bulk_create(
            [Item(barcode=f"DS{i:06d}", title=f"Dataset title {i}", branch=branch) for i in range(returned + 20)])
        loans = [
            ("out_old", dict(item=items[0], patron=p1, out_on=days(400), due_on=days(379))),  # long overdue, still out
            ("fine_owed", dict(item=items[1], patron=p1, returned_on=days(300), fine_cents=500)),
            ("linked_returned", dict(item=items[2], patron=p2, out_on=days(40), due_on=days(19), returned_on=days(20))),
            ("anon_today", dict(item=items[3], returned_on=TODAY)),
            ("orphan_out", dict(item=items[4], out_on=days(10), due_on=days(11 - 21))),  # borrower deleted, still out
        ]
        made = {}
        for key, fields in loans:
            made[key] = Loan.objects.create(**fields).pk
        ids.update(made)
        Item.objects.filter(pk__in=[items[0].pk, items[4].pk]).update(status="out")
        Loan.objects.bulk_create([Loan(item=items[20 + i], returned_on=days(1 + i % 30)) for i in range(returned)])
        ids["history_kept"] = ReadingHistoryEntry.objects.create(patron=p1, title_ct=b"x", returned_on=days(5)).pk
        ids["history_erased"] = ReadingHistoryEntry.objects.create(patron=p1, title_ct=b"x", returned_on=days(5),
                                                                   erased_on=days(1)).pk
        holds = {
            "hold_waiting_old": dict(item=items[5], patron=p1, status="waiting", placed_on=days(200)),
            "hold_waiting_new": dict(item=items[5], patron=p2, status="waiting", placed_on=days(10)),
            "hold_ready": dict(item=items[6], patron=p2, status="ready", shelf_code="ABCD", placed_on=days(3),
                               ready_on=days(2)),
            "hold_closed_anon": dict(item=items[7], status="filled", placed_on=days(30), closed_on=days(5)),
            "hold_closed_linked": dict(item=items[8], patron=p1, status="cancelled", placed_on=days(30),
                                       closed_on=days(9)),
        }
        for key, fields in holds.items():
            ids[key] = Hold.objects.create(**fields).pk
        Item.objects.filter(pk=items[6].pk).update(status="held")
        ills = {
            "ill_open": dict(patron=p1, title_ct=b"x", lender="L", status="requested", requested_on=days(4)),
            "ill_closed_anon": dict(lender="L", status="completed", requested_on=days(40), closed_on=days(3)),
            "ill_closed_linked": dict(patron=p2, title_ct=b"x", lender="L", status="cancelled",
                                      requested_on=days(40), closed_on=days(8)),
        }
        for key, fields in ills.items():
            ids[key] = InterlibraryLoan.objects.create(**fields).pk
    # Programs: registrations sealed under each program's roster key.
    for key, ended in (("program_old", 10), ("program_yesterday", 1), ("program_future", -5)):
        start = AS_OF - datetime.timedelta(days=ended, hours=2)
        prog = records.do_create_program(ACTOR, title=key, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                                         registration="first_name", code_word="milagro", branch=branch)
        for name in ("Ana", "", "Bo"):
            records.do_register(ACTOR, prog, name)
        ids[key] = prog.pk
    # Computer sessions: one nobody ended (booked yesterday), one running now.
    ids["session_stale"] = records.do_start_session(
        ACTOR, station="PC-1", minutes=60, patron=p1, branch=branch, starts_at=AS_OF - datetime.timedelta(days=1)).pk
    ids["session_now"] = records.do_start_session(
        ACTOR, station="PC-2", minutes=60, branch=branch, starts_at=AS_OF - datetime.timedelta(minutes=10)).pk
    # Notes: one expired, one live.
    old = records.do_write_note(ACTOR, question="Call back about tax forms", days=3, branch=branch)
    type(old).objects.filter(pk=old.pk).update(created_on=days(5), expires_on=days(2))
    ids["note_expired"] = old.pk
    ids["note_live"] = records.do_write_note(ACTOR, question="Find the 1910 map", days=5).pk
    if footage:
        root = schedule.get().footage_path
        cam = Camera.objects.create(name="Door", location="Front door", footage_subdir="door", retention_days=14,
                                    branch=branch)
        ids["camera"] = cam.pk
        folder = root / "door"
        folder.mkdir(parents=True, exist_ok=True)
        for age in (1, 5, 13, 15, 20, 40):
            path = folder / f"clip-{age:03d}d.mp4"
            path.write_bytes(b"\0" * 16)
            stamp = (AS_OF - datetime.timedelta(days=age, hours=1)).timestamp()
            os.utime(path, (stamp, stamp))
        outside = root.parent / "not-footage.txt"
        outside.write_text("keep me")
        (folder / "link-out").symlink_to(outside)
    # Registration expiry: unused since LONG_AGO. Without an email (destroyed), told 40 days
    # ago (destroyed), not told yet (told now), and p1, unused too but with items out (kept).
    from quietdesk.patrons.models import Patron

    quiet = {"expire_no_email": _patron(4, email=False), "expire_told": _patron(5), "expire_untold": _patron(6)}
    for key, patron in quiet.items():
        ids[key] = patron.pk
    Patron.objects.filter(pk__in=[*ids_of(quiet), p1.pk]).update(active_month=LONG_AGO)
    Patron.objects.filter(pk=ids["expire_told"]).update(expiry_notice_on=days(40))
    gone_id = gone.pk
    from quietdesk.patrons.services import do_shred_patron

    do_shred_patron(ACTOR, gone, reason="test")
    ids["gone"] = gone_id
    return ids


def ids_of(patrons: dict) -> list:
    return [p.pk for p in patrons.values()]


def snapshot() -> dict:
    """The state the purge leaves: every row of every table it touches (no run records)."""
    from quietdesk.circulation.models import Loan as L
    from quietdesk.patrons.models import Patron
    from quietdesk.records.models import ComputerUseDay, Program, ProgramRegistration, ReferenceNote
    from quietdesk.vault.models import DataKey

    root = schedule.get().footage_path
    return {
        "loans": sorted(L.objects.values_list("id", "patron_id", "returned_on", "fine_cents", "out_on")),
        "history": sorted(str(i) for i in ReadingHistoryEntry.objects.values_list("id", flat=True)),
        "holds": sorted((str(h[0]), h[1:]) for h in Hold.objects.values_list("id", "patron_id", "status",
                                                                            "shelf_code", "closed_on")),
        "ills": sorted((str(i[0]), i[1:]) for i in InterlibraryLoan.objects.values_list("id", "patron_id", "status")),
        "programs": sorted((str(p[0]), p[1:]) for p in Program.objects.values_list(
            "id", "roster_subject", "registrations_destroyed_on")),
        "registrations": sorted(str(i) for i in ProgramRegistration.objects.values_list("id", flat=True)),
        "sessions": sorted(str(i) for i in ComputerSession.objects.values_list("id", flat=True)),
        "use_days": sorted(ComputerUseDay.objects.values_list("branch_code", "day", "sessions", "minutes")),
        "notes": sorted(str(i) for i in ReferenceNote.objects.values_list("id", flat=True)),
        "keys": sorted(str(i) for i in DataKey.objects.values_list("subject_id", flat=True)),
        "patrons": sorted((str(p[0]), p[1:]) for p in Patron.objects.values_list("id", "active_month",
                                                                                "expiry_notice_on")),
        "footage": sorted(str(p.relative_to(root)) for p in Path(root).rglob("*")) if Path(root).exists() else [],
    }
