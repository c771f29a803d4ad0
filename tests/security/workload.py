"""A realistic week at a small library, run through quietdesk's own services, for the
adversary test: registrations, checkouts and returns on several days, holds, computer
sessions, an interlibrary loan, a program, staff views and searches, a production under a
judge's order, a shred, backups and the purge. Writes the ground truth (who did what on
which day) as JSON for the test to compare with what a thief could learn.

Run in a child process on a real database file (or a real PostgreSQL database):
``quietdesk shell -c "from tests.security.workload import run; run('truth.json')"``.
"""

from __future__ import annotations

import datetime
import json
import uuid

from django.conf import settings
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.circulation import holds, ill
from quietdesk.circulation import services as circ
from quietdesk.circulation.models import Item
from quietdesk.core.models import Branch
from quietdesk.legal import production
from quietdesk.legal import services as legal
from quietdesk.legal.document_uploads import Upload
from quietdesk.patrons import services as patrons
from quietdesk.records import services as records
from quietdesk.records.models import Program
from quietdesk.retention import log_retention, purge
from quietdesk.staff.models import StaffUser
from quietdesk.vault import api as vault
from quietdesk.vault.backup import make_backup

PEOPLE = [
    ("Amaru", "Quispe", "ana.q@example.org"),
    ("Bich", "Nguyen", "bich@example.org"),
    ("Carmen", "Lopez", "carmen.l@example.org"),
    ("Dawit", "Bekele", "dawit@example.org"),
    ("Esperanza", "Ruiz", "esperanza@example.org"),
    ("Farid", "Haddad", "farid.h@example.org"),
]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def run(truth_path: str) -> None:
    branch = Branch.objects.create(code="main", name="Main")
    desk_user = StaffUser.objects.create_user(username="desk-ana", password="x" * 16, role="circulation",
                                              branch=branch)
    director_user = StaffUser.objects.create_user(username="director-lee", password="x" * 16, role="director",
                                                  branch=branch)
    desk, director = Actor.for_user(desk_user), Actor.for_user(director_user)
    kiosk = Actor("selfcheck:lobby", "selfcheck")
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (6, 5, 4, 3, 2, 1)]

    items = [Item.objects.create(barcode=f"B{n:05d}", title=f"Book number {n}", branch=branch) for n in range(24)]
    people = []
    for n, (given, family, email) in enumerate(PEOPLE):
        card = f"2100077{n:07d}"
        p = patrons.do_register_patron(desk, {"given_name": given, "family_name": family, "card_number": card,
                                              "contact": "email", "email": email, "phone": "", "age_band": "adult",
                                              "age_band_changes_on": None, "notes": ""}, branch=branch)
        people.append({"id": str(p.id), "pseudonym": p.pseudonym, "card": card, "given": given, "family": family,
                       "email": email, "visits": [], "current": []})

    def patron(i):
        return patrons.Patron.objects.get(pk=people[i]["id"])

    # Each patron visits on several days: borrows, returns, holds.
    k = 0
    for d, day in enumerate(days):
        for i in range(len(people)):
            if (i + d) % 2:
                continue
            actor = kiosk if d % 3 == 0 else desk
            p = circ.patron_by_card(actor, people[i]["card"], purpose="checkout")
            item = items[k % len(items)]
            k += 1
            if Item.objects.get(pk=item.pk).status != "available":
                continue
            circ.do_checkout(actor, p, item, today=day)
            people[i]["visits"].append(day.isoformat())
            if d < 4:  # returned a day later: a past visit, never to be relinked
                circ.do_return(actor, Item.objects.get(pk=item.pk), today=days[d + 1])
                people[i]["visits"].append(days[d + 1].isoformat())
            else:
                people[i]["current"].append(day.isoformat())
    # Holds: placed and filled, placed and cancelled, one still waiting.
    waiting_item = items[-1]
    circ.do_checkout(desk, patron(5), waiting_item, today=days[0])
    people[5]["current"].append(days[0].isoformat())
    h = holds.do_place_hold(desk, patron(0), waiting_item, today=days[1])
    people[0]["current"].append(days[1].isoformat())
    cancelled = holds.do_place_hold(desk, patron(1), items[-2], today=days[2])
    holds.do_cancel_hold(desk, cancelled, today=days[3])
    people[1]["visits"] += [days[2].isoformat(), days[3].isoformat()]
    assert h.pk
    # A computer session and an interlibrary loan, both finished.
    session = records.do_start_session(desk, station="pc-1", minutes=30, patron=patron(2), branch=branch)
    records.do_end_session(desk, session)
    loan = ill.do_request_ill(desk, patron(3), title="A rare atlas", lender="State Library")
    ill.do_close_ill(desk, loan)
    # A program with first-name registration.
    start = timezone.now() - datetime.timedelta(days=3)
    program = records.do_create_program(desk, title="Citizenship class", starts_at=start,
                                        ends_at=start + datetime.timedelta(hours=2),
                                        registration=Program.Registration.FIRST_NAME)
    records.do_register(desk, program, people[4]["given"])
    # Staff look people up and open their records (views: logged, sealed).
    for i in (0, 2, 4):
        patrons.view_patron(desk, patron(i), purpose="desk view")
    from quietdesk.vault import reader

    reader.find(desk, patrons.Patron.objects.all(), "full_name", f"{PEOPLE[3][0]} {PEOPLE[3][1]}",
                purpose="find a patron")

    backups = [str(make_backup())]
    # A judge's order for patron 0's loans and registration: produced, with its legal hold.
    copy = Upload(_png(), "png", "order.png")
    copy.reading = {"kind": "judicial_search_warrant", "signed_by_judge": True}
    case = legal.do_open_case(desk, {"requester": "law_enforcement", "category": "circulation",
                                     "document": "judicial_search_warrant", "officer_name": "Det. Example"},
                              uploads=[copy], document_source="reader", user=desk_user)
    order = Upload(_png(), "png", "order-copy.png")
    order.reading = {"kind": "judicial_search_warrant", "signed_by_judge": True}
    item = production.do_set_scope(director, case, document="judicial_search_warrant", patron=patron(0),
                                   categories=["registration", "circulation"], date_from=days[0], date_to=today,
                                   order_uploads=[order])
    legal.do_decide(director, case, "disclose", "Judge-signed warrant, checked with counsel.")
    production.do_produce(director, item)
    # Patron 5 asks to be forgotten: their items come back first.
    from quietdesk.circulation.models import Loan

    for out in Loan.objects.filter(patron_id=people[5]["id"]).select_related("item"):
        circ.do_return(desk, out.item, today=today)
    people[5]["visits"].append(today.isoformat())
    people[5]["current"] = []
    people[0]["current"].append(today.isoformat())  # the hold is now ready on the shelf
    patrons.do_shred_patron(desk, patron(5), reason="patron asked")
    people[5]["shredded"] = True
    # The nightly jobs.
    purge.Purger(triggered_by="workload").run()
    log_retention.prune_access_log()
    backups.append(str(make_backup()))

    truth = {
        "people": people,
        "items": [i.barcode for i in items],
        "titles": [i.title for i in items],
        "case": case.pseudonym,
        "today": today.isoformat(),
        "backups": backups,
        "database": str(settings.DATABASES["default"]["NAME"]),
        "pseudonym_of": {p["id"]: vault.pseudonym(uuid.UUID(p["id"]), "P") for p in people},
    }
    with open(truth_path, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1)
