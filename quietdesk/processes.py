"""Whether a process on this machine still runs.

Jobs that claim work (the purge run, alert deliveries) record their host and
process id; when the claimant has died, the work is taken back at once rather
than after its lease runs out. One helper, so every claim is judged the same way.
"""

from __future__ import annotations

import os


def is_running(pid: int) -> bool:
    """True if a process with this id exists on this machine (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        # It exists, under another user.
        return True
    return True
