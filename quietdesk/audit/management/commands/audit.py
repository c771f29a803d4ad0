"""quietdesk audit checkpoint | verify | verifier-key | report"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quietdesk.audit import checkpoint, service
from quietdesk.vault import api as vault


class Command(BaseCommand):
    help = "Sign checkpoints of the access log and verify that no entry was altered."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cp = sub.add_parser("checkpoint", help="Write a signed checkpoint (send it off this machine).")
        cp.add_argument("--dir", type=Path, default=None, help="Where to write (default CHECKPOINT_DIR).")
        vf = sub.add_parser("verify", help="Check the whole chain, and every checkpoint given or on file.")
        vf.add_argument("checkpoints", nargs="*", type=Path, help="Checkpoint files to check against.")
        vf.add_argument("--no-saved", action="store_true", help="Ignore checkpoints in CHECKPOINT_DIR.")
        sub.add_parser("verifier-key", help="Print the public key others use to check checkpoints.")
        rp = sub.add_parser("report", help="Run the privacy audit; write its HTML and PDF (see quietdesk.stats).")
        rp.add_argument("--out", type=Path, default=None, help="Where to write (default QUIETDESK_AUDIT_DIR).")

    def handle(self, *args, action, **opts):
        return getattr(self, "do_" + action.replace("-", "_"))(**opts)

    def do_report(self, out=None, **opts):
        from quietdesk.stats.audit_report.command import run_report

        run_report(self, out)

    def do_verifier_key(self, **opts):
        self.stdout.write(checkpoint.verifier_key(settings.AUDIT_LOG_ORIGIN, vault.signing_public_key()))

    def do_checkpoint(self, dir=None, **opts):
        result = service.verify()
        if not result.ok:
            raise CommandError(f"Refusing to sign a broken log: {result.problem}")
        text = checkpoint.body(settings.AUDIT_LOG_ORIGIN, result.entries, result.head)
        note = checkpoint.sign_note(
            text, settings.AUDIT_LOG_ORIGIN, vault.signing_public_key(), vault.sign(text.encode())
        )
        out_dir = Path(dir or settings.CHECKPOINT_DIR)
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = out_dir / f"checkpoint-{result.entries:012d}-{stamp}.txt"
        path.write_text(note, encoding="utf-8")
        self.stdout.write(note)
        self.stderr.write(f"Wrote {path}. Copy it off this machine (see the operator's guide).")

    def do_verify(self, checkpoints=(), no_saved=False, **opts):
        files = list(checkpoints)
        if not no_saved and Path(settings.CHECKPOINT_DIR).is_dir():
            files += sorted(Path(settings.CHECKPOINT_DIR).glob("checkpoint-*.txt"))
        pub = vault.signing_public_key()
        parsed = []
        for path in files:
            try:
                cp = checkpoint.parse_and_verify(path.read_text(encoding="utf-8"), settings.AUDIT_LOG_ORIGIN, pub)
            except (OSError, UnicodeDecodeError, checkpoint.CheckpointError) as exc:
                raise CommandError(f"Checkpoint {path} is not valid: {exc}") from None
            parsed.append((path, cp))
        result = service.verify(frozenset(cp.size for _, cp in parsed))
        if not result.ok:
            raise CommandError(f"Access log is NOT intact: {result.problem}.")
        for path, cp in parsed:
            if cp.size == 0:
                continue
            if cp.size > result.entries:
                raise CommandError(
                    f"Access log is NOT intact: checkpoint {path.name} vouches for {cp.size} entries "
                    f"but the log has {result.entries} (entries #{result.entries + 1} on were deleted)."
                )
            if result.hashes_at.get(cp.size) != cp.head_hex:
                raise CommandError(
                    f"Access log is NOT intact: entries up to #{cp.size} differ from checkpoint {path.name}."
                )
        self.stdout.write(
            f"Access log intact: {result.entries} entries, {len(parsed)} checkpoint(s) consistent."
        )
