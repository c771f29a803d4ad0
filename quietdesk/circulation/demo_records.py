"""Demo data for circulation and the other record categories: items, loans out,
a fine, holds on the shelf, programs, computers, cameras with footage files, a
reference note. Synthetic (Faker), created through the real services, and only
once: a demo restart keeps what is there."""

from __future__ import annotations

import datetime
import os
import random

from django.utils import timezone
from faker import Faker

from quietdesk import private_files
from quietdesk.audit.service import Actor
from quietdesk.core.models import Branch
from quietdesk.patrons.models import Patron
from quietdesk.records import services as records
from quietdesk.records.models import Camera
from quietdesk.retention import schedule

from . import history, holds, ill, services
from .models import Item


def seed_demo(seed: int = 2026) -> int:
    """Create the demo's circulation and records data; returns how many items were made (0: already there)."""
    if Item.objects.exists():
        return 0
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    desk = Actor.system("demo-seed")
    branches = list(Branch.objects.all())
    central = branches[0] if branches else None
    items = [Item.objects.create(barcode=f"3{seed % 1000:03d}{i:08d}", branch=rng.choice(branches) if branches else None,
                                 title=fake.sentence(nb_words=rng.randint(2, 5)).rstrip("."))
             for i in range(80)]
    patrons = list(Patron.objects.order_by("registered_on", "pk")[:30])
    today = timezone.localdate()
    if patrons:
        history.do_set_reading_history(desk, patrons[0], True)  # one patron asked to keep a history
        for i, item in enumerate(items[:25]):
            services.do_checkout(desk, patrons[i % len(patrons)], item, today=today - datetime.timedelta(days=rng.randint(0, 30)))
        # A late return with a fine still owed, and two returns the purge will tidy.
        services.do_return(desk, items[0], today=today)
        services.do_return(desk, items[1], today=today)
        late = services.do_checkout(desk, patrons[1 % len(patrons)], items[30], today=today - datetime.timedelta(days=30))
        services.do_return(desk, items[30], today=(late.due_on or today) + datetime.timedelta(days=6))
        holds.do_place_hold(desk, patrons[2 % len(patrons)], items[40])  # on the shelf: ready now
        holds.do_place_hold(desk, patrons[3 % len(patrons)], items[41])
        holds.do_place_hold(desk, patrons[4 % len(patrons)], items[5])  # out: waits for the return
        ill.do_request_ill(desk, patrons[5 % len(patrons)], title=fake.sentence(nb_words=4).rstrip("."),
                           lender="State Library")
    _seed_records(desk, fake, central)
    return len(items)


def _seed_records(desk: Actor, fake: Faker, branch) -> None:
    now = timezone.now()
    soon = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=3, hours=2)
    upcoming = records.do_create_program(desk, title="Info session", starts_at=soon,
                                         ends_at=soon + datetime.timedelta(hours=1), registration="first_name",
                                         code_word="mariposa", branch=branch)
    for name in ("Ana", "", "Luis"):
        records.do_register(desk, upcoming, name)
    past = now - datetime.timedelta(days=5)
    old = records.do_create_program(desk, title="Story time", starts_at=past, ends_at=past + datetime.timedelta(hours=1),
                                    registration="first_name", branch=branch)
    records.do_register(desk, old, "Mei")
    records.do_record_attendance(desk, old, 14)
    records.do_start_session(desk, station="PC-1", minutes=60, branch=branch)
    records.do_write_note(desk, question="Find the 1910 county map for a genealogy question", days=7, branch=branch)
    root = schedule.get().footage_path
    for name, where, sub in (("Entrance", "Front door, inside", "entrance"), ("Parking", "Parking lot", "parking")):
        Camera.objects.get_or_create(footage_subdir=sub, defaults={
            "name": name, "location": where, "branch": branch, "retention_days": schedule.get().default_footage_days})
        folder = root / sub
        for age in (1, 3, 10, 20, 35):  # some older than the retention: the purge removes them
            clip = private_files.write_private(folder / f"{sub}-{age:02d}-days-ago.mp4", b"\0" * 64)
            stamp = (now - datetime.timedelta(days=age)).timestamp()
            os.utime(clip, (stamp, stamp))
