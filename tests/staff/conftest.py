from tests.e2e.conftest import (  # noqa: F401 (real servers reused here: gunicorn, aiosmtpd, Chromium)
    chromium_browser,
    chromium_executable,
    quietdesk_server,
    quietdesk_servers,
    smtp_server,
)
