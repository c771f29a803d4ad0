"""The real SMTP server fixture of tests/e2e (aiosmtpd), reused by the registration expiry tests."""

from tests.e2e.conftest import smtp_server  # noqa: F401 (fixture reused here)
