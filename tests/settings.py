"""The test suite's settings: quietdesk's own, in test mode."""

import os

os.environ.setdefault("QUIETDESK_MODE", "test")

from quietdesk.settings import *  # noqa: E402, F403
