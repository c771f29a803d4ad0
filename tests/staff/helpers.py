"""Helpers for the staff tests: asking for and deciding changes through the real pages,
reading an enrollment code off the director's page, and scanning the whole database."""

from __future__ import annotations

import re

from django.db import connection
from django.urls import reverse

from quietdesk.staff import services
from quietdesk.staff.models import StaffChange


def ask_for_account(client, username: str, role: str, branch=None, email: str = ""):
    return client.post(reverse("staff:admin_list"), {
        "username": username, "role": role, "branch": branch.pk if branch else "", "email": email,
    })


def decide(client, change: StaffChange, decision: str = "approve", bound_to: str | None = None):
    return client.post(reverse("staff:change_decide", args=[change.id]), {
        "binding": services.binding(change) if bound_to is None else bound_to, "decision": decision,
    })


def code_on(response) -> str | None:
    """The enrollment code shown on a page, if any."""
    found = re.search(r'id="enrollment-code">([A-Z0-9-]+)<', response.content.decode())
    return found.group(1) if found else None


def every_value_in_the_database() -> str:
    """Every value of every row of every table, as one text (bytes decoded leniently)."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    out.append(str(value))
    return "\n".join(out)
