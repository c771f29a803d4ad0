"""quietdesk bench sip2 --json [--pairs N] [--machines M] [--lookups N] [--rounds R]

transactions_per_s          SIP2 checkouts (11) and checkins (09) per second through a real
                            `quietdesk sip2 serve` process over loopback TCP, from M machines
                            (connections) at once, each sending checkout+checkin pairs
pairs_per_s                 the same, counted in checkout+checkin pairs
service_transactions_per_s  baseline, same run: the same service calls in this process
                            (patron_by_card + do_checkout, item_by_barcode + do_return), no SIP2
ratio                       transactions_per_s / service_transactions_per_s
checkout_p99_ms             99th percentile of one checkout's round trip over SIP2
direct_p99_ms               99th percentile of a patron information (63/64) round trip
                            straight to the serve process (direct_median_ms: its median)
filtered_p99_ms             the same through a `quietdesk sip2 filter` process in front of it
                            (default policy: AE masked, so every answer is rewritten)
filter_added_p99_ms         filtered_p99_ms - direct_p99_ms (and the medians likewise)
filter_cpu_ms_per_request   CPU time the filter process spent per filtered request (from /proc):
                            its own work, apart from waiting for a core on a busy machine

SIP2 rounds alternate with baseline rounds, and direct and filtered requests one by
one, so that load from other processes on the machine falls on both alike.
"""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import transaction

NEEDS_DATABASE = True
REPO = Path(__file__).resolve().parents[1]


def add_arguments(parser):
    parser.add_argument("--pairs", type=int, default=3000, help="checkout+checkin pairs in all")
    parser.add_argument("--machines", type=int, default=2, help="connections sending pairs at once")
    parser.add_argument("--lookups", type=int, default=2000, help="patron information requests each way")
    parser.add_argument("--rounds", type=int, default=5, help="rounds alternating SIP2 and the baseline")


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


class Machine:
    """A minimal SIP2 client: frames with sequence numbers and checksums."""

    def __init__(self, port: int):
        from quietdesk.sip2 import wire

        self.wire = wire
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.seq = 0
        self.buffer = b""

    def ask(self, body: str) -> bytes:
        self.seq = (self.seq + 1) % 10
        self.sock.sendall(self.wire.with_trailer(body.encode(), str(self.seq), True))
        while b"\r" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise RuntimeError("the server closed the connection")
            self.buffer += data
        frame, _, self.buffer = self.buffer.partition(b"\r")
        return frame


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(args: list[str]) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "quietdesk", "sip2", *args, "--listen", "127.0.0.1:0"],
                            cwd=REPO, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on [^:]+:(\d+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"quietdesk sip2 {args[0]} did not start")
    return proc, int(match.group(1))


def run(pairs: int, machines: int, lookups: int, rounds: int) -> dict:
    from django.utils import timezone

    from quietdesk.audit.service import Actor
    from quietdesk.circulation import services
    from quietdesk.circulation.json_api import new_token
    from quietdesk.circulation.models import Item, SelfCheckMachine
    from quietdesk.patrons.services import bulk_register_patrons, seal_patrons

    today = timezone.localdate()
    n = 200
    records = [{"given_name": f"Given{i}", "family_name": f"Family{i}", "card_number": f"27{i:012d}",
                "email": f"p{i}@example.org", "phone": "", "address": "", "age_band": "adult",
                "age_band_changes_on": None, "home_branch_id": None} for i in range(n)]
    with transaction.atomic():
        bulk_register_patrons(*seal_patrons(records, registered_on=today))
        Item.objects.bulk_create([Item(barcode=f"S{i:08d}", title=f"Title {i}") for i in range(2 * n)])
        token, digest = new_token()
        SelfCheckMachine.objects.create(label="bench", token_digest=digest)
    login = f"9300CNbench|CO{token}|CPbench|"
    stamp = "20261201    120000"

    def checkout(i: int) -> str:
        return f"11NN{stamp}{' ' * 18}AOLIB|AA27{i % n:012d}|ABS{i % n:08d}|AC|"

    def checkin(i: int) -> str:
        return f"09N{stamp}{stamp}APbench|AOLIB|ABS{i % n:08d}|AC|"

    # Baseline: the same service calls in this process, no SIP2, no socket, on items of its own.
    actor = Actor(name="selfcheck:bench", role="selfcheck")
    base_items = list(Item.objects.filter(barcode__startswith="S").order_by("barcode"))[n:]

    def service(start: int, count: int) -> float:
        t0 = time.perf_counter()
        for i in range(start, start + count):
            item = services.item_by_barcode(base_items[i % n].barcode)
            patron = services.patron_by_card(actor, f"27{i % n:012d}", purpose="checkout at a self-check machine")
            services.do_checkout(actor, patron, item)
            services.do_return(actor, services.item_by_barcode(item.barcode))
        return time.perf_counter() - t0

    serve, port = _start(["serve"])
    filt = None
    try:
        clients = [Machine(port) for _ in range(machines)]
        for c in clients:
            assert c.ask(login).startswith(b"941")
        checkout_times: list[list[float]] = [[] for _ in clients]
        failures = [0]

        def work(k: int, start: int, count: int, record: bool):
            c, times = clients[k], checkout_times[k]
            for j in range(start, start + count):
                i = j * machines + k  # each machine its own items and patrons
                a = time.perf_counter()
                ok = c.ask(checkout(i)).startswith(b"121")
                if record:
                    times.append(time.perf_counter() - a)
                ok = c.ask(checkin(i)).startswith(b"101") and ok
                failures[0] += not ok

        def sip2_round(start: int, count: int, record: bool = True) -> float:
            threads = [threading.Thread(target=work, args=(k, start, count, record)) for k in range(machines)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - t0

        service(0, 100)  # warm up both paths
        sip2_round(0, 50, record=False)
        per_round = max(1, pairs // machines // rounds)
        sip2_s = service_s = 0.0
        for r in range(rounds):  # alternate, so that others' load falls on both alike
            service_s += service(r * per_round * machines, per_round * machines)
            sip2_s += sip2_round(r * per_round, per_round)
        done = per_round * machines * rounds

        filt, filter_port = _start(["filter", "--upstream", f"127.0.0.1:{port}"])
        direct, filtered = Machine(port), Machine(filter_port)
        for c in (direct, filtered):
            assert c.ask(login).startswith(b"941")
        direct_t, filtered_t = [], []
        filter_cpu = 0.0
        for i in range(lookups + 100):
            if i == 100:
                filter_cpu = -_cpu_seconds(filt.pid)
            info = f"63001{stamp}  Y       AOLIB|AA27{i % n:012d}|"
            for c, times in ((direct, direct_t), (filtered, filtered_t)):
                a = time.perf_counter()
                answer = c.ask(info)
                if i >= 100:  # warm-up excluded
                    times.append(time.perf_counter() - a)
                assert answer.startswith(b"64")
        filter_cpu += _cpu_seconds(filt.pid)
    finally:
        for proc in (serve, filt):
            if proc is not None:
                proc.terminate()
                proc.wait(10)
    all_checkouts = [t for times in checkout_times for t in times]
    return {
        "pairs": done,
        "machines": machines,
        "failed_pairs": failures[0],
        "transactions_per_s": round(2 * done / sip2_s, 1),
        "pairs_per_s": round(done / sip2_s, 1),
        "service_transactions_per_s": round(2 * done / service_s, 1),
        "ratio": round(service_s / sip2_s, 3),
        "checkout_p99_ms": round(_pct(all_checkouts, 0.99), 3),
        "checkout_median_ms": round(_pct(all_checkouts, 0.5), 3),
        "lookups": lookups,
        "direct_median_ms": round(_pct(direct_t, 0.5), 3),
        "direct_p99_ms": round(_pct(direct_t, 0.99), 3),
        "filtered_p99_ms": round(_pct(filtered_t, 0.99), 3),
        "filter_added_p99_ms": round(_pct(filtered_t, 0.99) - _pct(direct_t, 0.99), 3),
        "filter_added_median_ms": round(_pct(filtered_t, 0.5) - _pct(direct_t, 0.5), 3),
        "filter_cpu_ms_per_request": round(filter_cpu / lookups * 1000, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
