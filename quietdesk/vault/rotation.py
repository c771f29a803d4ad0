"""Key-encryption-key rotation and retirement. Resumable: kill it, run it again.

Rotation adds a new KEK version to the keyring (durably, first), then re-wraps
data keys batch by batch, each batch its own transaction. A rerun skips what
is done. Retiring a version deletes it from the keyring; every backup taken
while it was current becomes unreadable, which is the point.
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.db import transaction
from django.db.models import Count

from . import crypto, datakeys, keys
from .models import DataKey

BATCH = 1000


def start_rotation() -> int:
    ring = keys.keyring()
    new_version = max([*ring.keks, *ring.retired]) + 1
    ring.keks[new_version] = secrets.token_bytes(keys.KEY_BYTES)
    ring.current_kek = new_version
    keys.save_keyring(ring)
    return new_version


def rewrap_pending(progress=None) -> int:
    """Re-wrap every data key not yet under the current KEK. Returns how many.

    Walks the keys in subject order, a batch per transaction, each batch starting
    after the last subject seen (no rescan of finished rows, and no index on the
    KEK version to keep up on every registration). Walks again until a walk finds
    nothing: a process that had not yet reread the keyring may have wrapped a new
    key under the old KEK behind the walk. Interrupted, it starts over and skips
    the keys already under the current KEK.
    """
    done = 0
    while walked := _rewrap_walk(keys.keyring().current_kek, progress):
        done += walked
    datakeys.cache.clear()
    return done


def _rewrap_walk(current: int, progress) -> int:
    ring = keys.keyring()
    done = 0
    after = None
    while True:
        with transaction.atomic():
            page = DataKey.objects.select_for_update().order_by("subject_id")
            if after is not None:
                page = page.filter(subject_id__gt=after)
            rows = list(page.values_list("subject_id", "dk_version", "kek_version", "wrapped")[:BATCH])
            if not rows:
                return done
            after = rows[-1][0]
            stale = [r for r in rows if r[2] != current]
            for subject_id, dk_version, kek_version, wrapped in stale:
                dk = crypto.unwrap(ring.kek(kek_version), subject_id, dk_version, bytes(wrapped))
                DataKey.objects.filter(subject_id=subject_id).update(
                    kek_version=current, wrapped=crypto.wrap(ring.kek(current), current, subject_id, dk_version, dk)
                )
        done += len(stale)
        if progress and stale:
            progress(len(stale))


def retire(version: int) -> None:
    ring = keys.keyring()
    if version == ring.current_kek:
        raise ValueError("The current key cannot be retired: rotate first.")
    if version not in ring.keks:
        raise ValueError(f"Key version {version} is not in the keyring.")
    still = DataKey.objects.filter(kek_version=version).count()
    if still:
        raise ValueError(f"{still} data keys are still wrapped by version {version}: run `quietdesk keys rotate` to finish.")
    del ring.keks[version]
    ring.retired.append(version)
    keys.save_keyring(ring)


def replay_shreds() -> dict[str, int]:
    """Remove every shredded subject's key and rows (after a restore). Idempotent.

    Each shred that found something to remove (a backup from before it) is written to the
    access log, without a subject (its key is gone), in the same transaction."""
    from quietdesk.audit.events import Event
    from quietdesk.audit.service import Actor, append

    from . import api

    shredded = keys.read_shred_list_dated()
    removed = {"keys": 0, "replayed": 0}
    actor = Actor.system("restore")
    for start in range(0, len(shredded), BATCH):
        chunk = dict(shredded[start : start + BATCH])
        with transaction.atomic():
            present = set(DataKey.objects.filter(subject_id__in=list(chunk)).values_list("subject_id", flat=True))
            removed["keys"] += DataKey.objects.filter(subject_id__in=list(chunk)).delete()[0]
            for kind, label in api.SUBJECT_MODELS.items():
                model = apps.get_model(label)
                gone = model.objects.filter(pk__in=list(chunk))
                present |= set(gone.values_list("pk", flat=True))
                removed[kind] = removed.get(kind, 0) + gone.delete()[0]
            for subject_id in sorted(present, key=str):
                append(actor, Event.SHRED_REPLAY, basis=f"shred of {chunk[subject_id] or 'an unknown date'} "
                                                        "replayed after a restore")
            removed["replayed"] += len(present)
    datakeys.cache.clear()
    return removed


def status() -> dict:
    ring = keys.keyring()
    counts = dict(DataKey.objects.values_list("kek_version").annotate(n=Count("subject_id")))
    return {
        "current_kek": ring.current_kek,
        "kek_versions": sorted(ring.keks),
        "retired": sorted(ring.retired),
        "data_keys_by_kek_version": counts,
        "shredded_subjects": len(keys.read_shred_list()),
    }
