"""quietdesk bench circulation --json [--cycles N]

cycles              checkout-then-return cycles measured through each path
cycles_per_s        through the service layer (do_checkout, do_return): each its
                    own transaction, policy-free writes plus the access-log entry,
                    the link cut at return, the item's count
plain_cycles_per_s  the same two writes per step through plain Django models
                    (Loan.objects.create + Item update; Loan update + Item update),
                    no log, each its own transaction, same run
ratio               cycles_per_s / plain_cycles_per_s
checkout_p99_ms     99th percentile of one do_checkout call
return_p99_ms       99th percentile of one do_return call

The two paths alternate in rounds so that load from other processes on the
machine falls on both alike.
"""

import datetime
import time

from django.db import transaction

NEEDS_DATABASE = True


def add_arguments(parser):
    parser.add_argument("--cycles", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def run(cycles: int, rounds: int) -> dict:
    from django.utils import timezone

    from quietdesk.audit.service import Actor
    from quietdesk.circulation.models import Item, Loan
    from quietdesk.circulation.services import do_checkout, do_return
    from quietdesk.patrons.models import Patron
    from quietdesk.patrons.services import bulk_register_patrons, seal_patrons

    today = timezone.localdate()
    n = 200
    records = [{"given_name": f"Given{i}", "family_name": f"Family{i}", "card_number": f"27{i:012d}",
                "email": f"p{i}@example.org", "phone": "", "address": "", "age_band": "adult",
                "age_band_changes_on": None, "home_branch_id": None} for i in range(n)]
    with transaction.atomic():
        bulk_register_patrons(*seal_patrons(records, registered_on=today))
        Item.objects.bulk_create([Item(barcode=f"B{i:08d}", title=f"Title {i}") for i in range(2 * n)])
    patrons = list(Patron.objects.order_by("pk"))
    items = list(Item.objects.order_by("pk"))
    service_items, plain_items = items[:n], items[n:]
    actor = Actor("bench", "circulation")

    def service(count: int, checkout_times: list, return_times: list) -> float:
        t0 = time.perf_counter()
        for i in range(count):
            item, patron = service_items[i % n], patrons[i % n]
            a = time.perf_counter()
            do_checkout(actor, patron, item, today=today)
            b = time.perf_counter()
            do_return(actor, item, today=today)
            checkout_times.append(b - a)
            return_times.append(time.perf_counter() - b)
        return time.perf_counter() - t0

    def plain(count: int) -> float:
        t0 = time.perf_counter()
        for i in range(count):
            item, patron = plain_items[i % n], patrons[i % n]
            with transaction.atomic():
                loan = Loan.objects.create(item=item, patron=patron, out_on=today,
                                           due_on=today + datetime.timedelta(days=21))
                Item.objects.filter(pk=item.pk).update(status="out")
            with transaction.atomic():
                Loan.objects.filter(pk=loan.pk).update(returned_on=today, patron=None, out_on=None, due_on=None)
                Item.objects.filter(pk=item.pk).update(status="available")
        return time.perf_counter() - t0

    service(200, [], [])  # warm up both paths
    plain(200)
    per_round = max(1, cycles // rounds)
    checkout_times, return_times = [], []
    service_s = plain_s = 0.0
    for _ in range(rounds):
        plain_s += plain(per_round)
        service_s += service(per_round, checkout_times, return_times)
    done = per_round * rounds
    return {
        "cycles": done,
        "cycles_per_s": round(done / service_s, 1),
        "plain_cycles_per_s": round(done / plain_s, 1),
        "ratio": round(plain_s / service_s, 3),
        "checkout_p99_ms": round(_p99(checkout_times), 3),
        "return_p99_ms": round(_p99(return_times), 3),
        "checkout_median_ms": round(sorted(checkout_times)[len(checkout_times) // 2] * 1000, 3),
    }
