"""quietdesk keys status | rotate | retire N | replay-shreds"""

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quietdesk.vault import rotation
from quietdesk.vault.keys import KeyringError


class Command(BaseCommand):
    help = "Manage the keyring: rotate the key-encryption key, retire old versions, replay shreds."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Key versions in use.")
        rot = sub.add_parser("rotate", help="New key-encryption key; re-wrap every data key (resumable).")
        rot.add_argument("--resume", action="store_true", help="Only finish an interrupted rotation.")
        ret = sub.add_parser("retire", help="Destroy an old key version (old backups become unreadable).")
        ret.add_argument("version", type=int)
        sub.add_parser("replay-shreds", help="Remove shredded subjects again (after a restore).")

    def handle(self, *args, action, **opts):
        try:
            if action == "status":
                self.stdout.write(json.dumps(rotation.status(), indent=2, default=str))
            elif action == "rotate":
                if not opts["resume"]:
                    version = rotation.start_rotation()
                    self.stdout.write(f"New key-encryption key version {version} is now current.")
                with tqdm(desc="re-wrapping data keys", unit="key", disable=None) as bar:
                    done = rotation.rewrap_pending(progress=bar.update)
                self.stdout.write(f"Re-wrapped {done} data keys. Retire the old version once "
                                  "backups made before today may be destroyed.")
            elif action == "retire":
                rotation.retire(opts["version"])
                self.stdout.write(f"Key version {opts['version']} destroyed.")
            else:  # replay-shreds (argparse allows no other action)
                self.stdout.write(json.dumps(rotation.replay_shreds()))
        except (ValueError, KeyringError) as exc:
            raise CommandError(str(exc)) from None
