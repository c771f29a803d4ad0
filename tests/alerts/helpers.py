"""Making members and reports for the alerts tests."""

from __future__ import annotations

import datetime as dt

from quietdesk.alerts.network import do_add_member
from quietdesk.audit.service import Actor

ACTOR = Actor.system("test")


def member(name="Member", channel="email", address="m@example.org", *, tier=3, language="en", fallback=""):
    return do_add_member(ACTOR, {"name": name, "channel": channel, "address": address, "fallback_email": fallback,
                                 "language": language, "tier": tier, "consent_on": dt.date(2026, 1, 5)})


def network(signal=2, email=2, tier=3, start=0):
    out = []
    for i in range(start, start + signal):
        out.append(member(f"Signal {i}", "signal", f"+1555010{i:04d}", tier=tier, fallback=f"s{i}@example.org"))
    for i in range(start, start + email):
        out.append(member(f"Email {i}", "email", f"e{i}@example.org", tier=tier))
    return out
