"""The demo library's rapid response network: fictional members (555 numbers, example.org)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from quietdesk.audit.service import Actor

from .models import NetworkMember
from .network import do_add_member

DEMO_MEMBERS = [
    # name, channel, address, fallback email, language, tier
    ("Branch manager on duty (demo)", "signal", "+15550100101", "manager@example.org", "en", 1),
    ("Union steward (demo)", "email", "steward@example.org", "", "en", 1),
    ("Legal aid hotline (demo)", "signal", "+15550100102", "hotline@example.org", "es", 2),
    ("Volunteer lawyer (demo)", "email", "lawyer@example.org", "", "en", 2),
    ("Community center (demo)", "signal", "+15550100103", "centro@example.org", "es", 3),
    ("Mutual aid group (demo)", "email", "mutualaid@example.org", "", "es", 3),
]


def seed_network() -> int:
    """Add the demo members once (through the real service: sealed, logged). Returns how many were added.
    None where the network lives at the organizing group's own instance (remote mode)."""
    from . import conf

    if NetworkMember.objects.exists() or not conf.members_here():
        return 0
    actor = Actor.system("demo-seed")
    consented = timezone.localdate() - dt.timedelta(days=30)
    for name, channel, address, fallback, language, tier in DEMO_MEMBERS:
        do_add_member(actor, {"name": name, "channel": channel, "address": address, "fallback_email": fallback,
                              "language": language, "tier": tier, "consent_on": consented}, check_duplicate=False)
    return len(DEMO_MEMBERS)
