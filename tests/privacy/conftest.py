"""The privacy browser tests reuse the end-to-end fixtures (real gunicorn, Debian's Chromium)."""

from tests.e2e.conftest import (  # noqa: F401 (fixtures, used by name)
    chromium_browser,
    chromium_executable,
    quietdesk_servers,
)
