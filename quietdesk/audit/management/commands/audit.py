"""quietdesk audit checkpoint | verify | verifier-key | report"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quietdesk.audit import checkpoint, service
from quietdesk.audit import verify as audit_verify
from quietdesk.vault import api as vault
from quietdesk.vault import checkpoints


class Command(BaseCommand):
    help = "Sign checkpoints of the access log and verify that no entry was altered."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cp = sub.add_parser("checkpoint", help="Write a signed checkpoint (send it off this machine).")
        cp.add_argument("--dir", type=Path, default=None, help="Where to write (default CHECKPOINT_DIR).")
        vf = sub.add_parser("verify", help="Check the whole chain, and every checkpoint given or on file.")
        vf.add_argument("files", nargs="*", type=Path, metavar="checkpoint", help="Checkpoint files to check against.")
        vf.add_argument("--no-saved", action="store_true", help="Ignore checkpoints in CHECKPOINT_DIR.")
        sub.add_parser("verifier-key", help="Print the public key others use to check checkpoints.")
        rp = sub.add_parser("report", help="The older name of `quietdesk privacy report`: run the privacy audit.")
        rp.add_argument("--out", type=Path, default=None, help="Where to write (default QUIETDESK_AUDIT_DIR).")

    def handle(self, *args, action, **opts):
        return getattr(self, "do_" + action.replace("-", "_"))(**opts)

    def do_report(self, out=None, **opts):
        from quietdesk.privacy.audit_report.report_command import run_report

        run_report(self, out)

    def do_verifier_key(self, **opts):
        self.stdout.write(checkpoint.verifier_key(settings.AUDIT_LOG_ORIGIN, vault.signing_public_key()))

    def do_checkpoint(self, dir=None, **opts):
        service.roll_up_routine()
        result = audit_verify.verify(anchor_check=checkpoints.anchor_problem)
        if not result.ok:
            raise CommandError(f"Refusing to sign a broken log: {result.problem}")
        if not result.entries:
            raise CommandError("The access log is empty: nothing to vouch for yet.")
        note = checkpoints.sign(result.last, result.head)
        path = checkpoints.write(note, result.last, dir)
        self.stdout.write(note)
        self.stderr.write(f"Wrote {path}. Copy it off this machine (see the operator's guide).")

    def do_verify(self, files=(), no_saved=False, **opts):
        parsed = []
        for path in files:
            try:
                parsed.append((path, checkpoints.parse(path.read_text(encoding="utf-8"))))
            except (OSError, UnicodeDecodeError, checkpoint.CheckpointError) as exc:
                raise CommandError(f"Checkpoint {path} is not valid: {exc}") from None
        if not no_saved:
            for path, cp, why in checkpoints.saved():
                if cp is None:
                    raise CommandError(f"Checkpoint {path} is not valid: {why}")
                parsed.append((path, cp))
        result = audit_verify.verify(frozenset(cp.size for _, cp in parsed), anchor_check=checkpoints.anchor_problem)
        if not result.ok:
            raise CommandError(f"Access log is NOT intact: {result.problem}.")
        older = 0
        for path, cp in parsed:
            if cp.size == 0:
                continue
            if cp.size > result.last:
                raise CommandError(
                    f"Access log is NOT intact: checkpoint {path.name} vouches for {cp.size} entries "
                    f"but the log ends at #{result.last} (entries #{result.last + 1} on were deleted)."
                )
            if cp.size < result.first - 1:
                older += 1  # vouches for entries pruned since: the anchor's checkpoint speaks for them
                continue
            if result.hashes_at.get(cp.size) != cp.head_hex:
                raise CommandError(
                    f"Access log is NOT intact: entries up to #{cp.size} differ from checkpoint {path.name}."
                )
        span = f"entries #{result.first} to #{result.last}" if result.entries else "no entries"
        self.stdout.write(
            f"Access log intact: {span} ({result.entries} checked), {len(parsed) - older} checkpoint(s) consistent"
            + (f", {older} older than the entries kept" if older else "") + "."
        )
        for line in result.pruned:
            self.stdout.write(f"  pruned: {line}")
