"""Counts, the only thing the SIP2 server and filter log.

No line ever carries a card number, a barcode, a name, an address of a machine
or a time finer than the logging period: a log of self-check traffic must not
become a record of who borrowed what, or when.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

logger = logging.getLogger("quietdesk.sip2")


class Tally:
    """Thread-safe counters, logged as one summary line per period and at exit."""

    def __init__(self, who: str, period_minutes: float):
        self.who = who
        self.period = max(1.0, period_minutes * 60)
        self._counts: Counter = Counter()
        self._lock = threading.Lock()
        self._since = time.monotonic()
        self.total: Counter = Counter()  # since start, for tests and the benchmark

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._counts[key] += n
            self.total[key] += n
        if time.monotonic() - self._since >= self.period:
            self.flush()

    def merge(self, counts: Counter) -> None:
        with self._lock:
            self._counts.update(counts)
            self.total.update(counts)

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._since = time.monotonic()
        if counts:
            summary = ", ".join(f"{key}: {n}" for key, n in sorted(counts.items()))
            logger.info("%s counts: %s", self.who, summary)
