"""The guide's browser tests reuse the end-to-end fixtures (real gunicorn, Debian's Chromium)."""

import pytest

from tests.e2e.conftest import (  # noqa: F401 (fixtures, used by name)
    chromium_browser,
    chromium_executable,
    quietdesk_servers,
)


@pytest.fixture(scope="session")
def guide_server(quietdesk_servers):  # noqa: F811 (the imported fixture)
    """A real gunicorn server with the demo library (whose guide has contacts, areas, resources)."""
    return quietdesk_servers.start("guide", patrons=2)
