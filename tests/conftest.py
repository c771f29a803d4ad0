import os

os.environ.setdefault("QUIETDESK_MODE", "test")


def pytest_configure(config):
    config.addinivalue_line("markers", "nodb: touches no database (runs once, in the SQLite leg)")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolate_shred_list():
    """The shred list lives outside the database, so test rollbacks do not undo it."""
    from django.conf import settings

    path = settings.KEY_DIR / "shredded.list"
    before = path.read_bytes() if path.exists() else None
    yield
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)
    from quietdesk.vault import datakeys, keys

    keys._shred_cache.clear()
    datakeys.cache.clear()
