"""Signed checkpoints of the access log, with the keyring's Ed25519 key.

The audit app knows the format (``audit.checkpoint``) and the chain; the key is the
vault's. A checkpoint is written:

* by ``quietdesk audit checkpoint`` (after a full verification), on a schedule
  (docs/operators-guide.md has the systemd timer and cron line);
* after every disclosure (a production), without re-verifying: it vouches that the
  log then ended in this entry, so a later restore or truncation that would hide the
  disclosure is caught (``latest``, used by ``quietdesk restore``);
* when pruning drops the oldest entries: the anchor verification starts from.

Files go to ``CHECKPOINT_DIR`` (outside the database and its backups), mode 0600.
Copy them off the machine: only a copy elsewhere protects against this machine's
administrator.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from quietdesk import private_files
from quietdesk.audit import checkpoint
from quietdesk.audit.models import AccessEntry

from . import api


def _name() -> str:
    return str(settings.AUDIT_LOG_ORIGIN)


def sign(size: int, head: str) -> str:
    """The signed note vouching that the log's entry #``size`` has hash ``head``."""
    text = checkpoint.body(_name(), size, head)
    return checkpoint.sign_note(text, _name(), api.signing_public_key(), api.sign(text.encode()))


def parse(note: str) -> checkpoint.Checkpoint:
    return checkpoint.parse_and_verify(note, _name(), api.signing_public_key())


def anchor_problem(anchor) -> str | None:
    """Why the anchor left by pruning cannot be trusted, or None."""
    try:
        cp = parse(anchor.note)
    except checkpoint.CheckpointError as exc:
        return f"the anchor's checkpoint is not valid: {exc}"
    if cp.size != anchor.first_kept - 1 or cp.head_hex != anchor.head_hash:
        return "the anchor does not match its signed checkpoint"
    return None


def write(note: str, size: int, directory: Path | None = None) -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    path = Path(directory or settings.CHECKPOINT_DIR) / f"checkpoint-{size:012d}-{stamp}.txt"
    return private_files.write_private(path, note)  # 0600 in a 0700 directory


def checkpoint_now() -> Path | None:
    """Sign where the log ends now (no full verification: see the module notes)."""
    last = AccessEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    if last is None:
        return None
    return write(sign(*last), last[0])


def saved(directory: Path | None = None) -> list[tuple[Path, checkpoint.Checkpoint | None, str]]:
    """Every checkpoint file on record: (path, its checkpoint or None, why not)."""
    folder = Path(directory or settings.CHECKPOINT_DIR)
    out: list[tuple[Path, checkpoint.Checkpoint | None, str]] = []
    for path in sorted(folder.glob("checkpoint-*.txt")) if folder.is_dir() else []:
        try:
            out.append((path, parse(path.read_text(encoding="utf-8")), ""))
        except (OSError, UnicodeDecodeError, checkpoint.CheckpointError) as exc:
            out.append((path, None, str(exc)))
    return out


def latest(directory: Path | None = None) -> tuple[Path, checkpoint.Checkpoint] | None:
    """The valid saved checkpoint that vouches for the most entries."""
    valid = [(p, cp) for p, cp, _ in saved(directory) if cp is not None]
    return max(valid, key=lambda item: item[1].size) if valid else None
