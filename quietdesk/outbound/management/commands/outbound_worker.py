"""quietdesk outbound_worker: the one background worker for every message quietdesk sends.

Director notices, alerts and the network's forwards. Before it takes jobs it repairs what
a killed worker left behind (each app's recovery, registered with ``worker.on_start``):
rows a dead process had claimed go back to pending, jobs it was running are closed, and
everything with something left to send gets a fresh job. Then it runs django-tasks'
``db_worker`` (every queue) with a worker id naming this host and process, so the next
start can tell whether it is still alive.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from quietdesk.outbound import worker
from quietdesk.outbound.claims import worker_id


class Command(BaseCommand):
    help = "Run the worker that sends every outbound message (recover after a crash, then db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, **opts):
        summary = worker.recover_all()
        if opts["verbosity"]:
            self.stdout.write(f"outbound worker {worker_id()}: {summary}")
        worker_args = ["--worker-id", worker_id(), "--interval", str(opts["interval"]), "--no-startup-delay",
                       "--no-reload", "--queue-name", "*"]
        if opts["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args, verbosity=opts["verbosity"])
