"""quietdesk alerts_worker: the background worker for alerts (django-tasks' db_worker, plus recovery).

Before it starts taking jobs it repairs what a killed worker left behind:
deliveries a dead process had claimed go back to pending, jobs it was running
are marked failed, and every broadcast with something left to send gets a fresh
job. Then it runs ``db_worker`` (same options) with a worker id naming this
host and process, so the next start can tell whether it is still alive.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from quietdesk.alerts import recovery
from quietdesk.alerts.delivery import worker_id


class Command(BaseCommand):
    help = "Run the alerts worker (recover after a crash, then django-tasks' db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, **opts):
        summary = recovery.recover_all()
        if opts["verbosity"]:
            self.stdout.write(f"alerts worker {worker_id()}: {summary}")
        worker_args = ["--worker-id", worker_id(), "--interval", str(opts["interval"]), "--no-startup-delay",
                       "--no-reload", "--queue-name", "*"]
        if opts["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args, verbosity=opts["verbosity"])
