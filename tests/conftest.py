import os

os.environ.setdefault("QUIETDESK_MODE", "test")


def pytest_configure(config):
    config.addinivalue_line("markers", "nodb: touches no database (runs once, in the SQLite leg)")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolate_shred_list():
    """The shred list and the signed checkpoints live outside the database, so test
    rollbacks do not undo them."""
    from django.conf import settings

    path = settings.KEY_DIR / "shredded.list"
    before = path.read_bytes() if path.exists() else None
    checkpoints_dir = settings.CHECKPOINT_DIR
    kept = set(checkpoints_dir.glob("*")) if checkpoints_dir.is_dir() else set()
    yield
    if checkpoints_dir.is_dir():
        for made in set(checkpoints_dir.glob("*")) - kept:
            made.unlink()
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)
    from quietdesk.vault import datakeys, keys

    keys._shred_cache.clear()
    datakeys.cache.clear()
