"""The vendor register: companies that hold patron data, what they hold, the
contract's privacy clauses, and when the contract is next reviewed.

The clause checklist follows ALA Q&A 22 and the ALA Vendor Privacy Checklist:
use limited to the library's purposes; no sale, sharing or aggregation; minors'
data; security; breach notice; return or destruction at the end; law-enforcement
requests sent to the library; a public privacy policy that follows the NISO
Consensus Principles. An entry missing any field or clause is saved as it is and
flagged until someone completes it.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from .models import Vendor

CLAUSES = (
    ("purpose", "Uses patron data only to provide the library's service"),
    ("no_sale", "Does not sell, share or rent patron data"),
    ("no_aggregation", "Does not aggregate or profile patrons, or use their data for advertising"),
    ("minors", "Protects minors' data at least as well as adults'"),
    ("security", "Encrypts patron data in transit and at rest"),
    ("breach", "Tells the library promptly of any breach"),
    ("deletion", "Returns or destroys the data when the contract ends, and keeps it no longer than needed"),
    ("legal_requests", "Sends law-enforcement and other requests for patron data to the library"),
    ("subcontractors", "Binds its subcontractors to the same terms"),
    ("public_policy", "Publishes a privacy policy that follows the NISO Consensus Principles"),
)
REQUIRED = (("name", "name"), ("service", "service"), ("holds", "what they hold"), ("categories", "categories"),
            ("next_review_on", "next review date"), ("contact", "vendor contact"))


def missing(vendor: Vendor) -> list[str]:
    out = [label for field, label in REQUIRED if not getattr(vendor, field)]
    clauses = vendor.clauses or {}
    out += [f"clause: {label}" for key, label in CLAUSES if not clauses.get(key)]
    return out


def review_due(vendor: Vendor, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return vendor.next_review_on is not None and vendor.next_review_on <= today


def summary(vendor: Vendor) -> dict:
    return {
        "id": str(vendor.id), "name": vendor.name, "service": vendor.get_service_display() if vendor.service else "",
        "holds": vendor.holds, "categories": vendor.category_list,
        "clauses": {key: bool((vendor.clauses or {}).get(key)) for key, _ in CLAUSES},
        "next_review_on": vendor.next_review_on.isoformat() if vendor.next_review_on else None,
        "contract_ends_on": vendor.contract_ends_on.isoformat() if vendor.contract_ends_on else None,
        "confirmed": sum(1 for key, _ in CLAUSES if (vendor.clauses or {}).get(key)),
        "missing": missing(vendor), "review_due": review_due(vendor),
    }


def register() -> list[dict]:
    return [summary(v) for v in Vendor.objects.all()]


def do_save_vendor(actor: Actor, vendor: Vendor | None, data: dict) -> Vendor:
    """Create or update a vendor with whatever was given (an incomplete entry is kept, and flagged)."""
    with transaction.atomic():
        vendor = vendor or Vendor()
        for field in ("name", "service", "holds", "contract_ends_on", "next_review_on", "privacy_policy_url",
                      "contact", "notes"):
            if field in data:
                setattr(vendor, field, data[field] if data[field] is not None else
                        (None if field.endswith("_on") else ""))
        if "categories" in data:
            vendor.categories = ",".join(data["categories"] or [])
        if "clauses" in data:
            vendor.clauses = {key: key in set(data["clauses"] or []) for key, _ in CLAUSES}
        vendor.updated_by = actor.name
        vendor.save()
        gaps = missing(vendor)
        append(actor, Event.VENDOR_REGISTER, basis=(
            f"vendor V-{vendor.id.hex[:8].upper()} saved" + (f"; incomplete ({len(gaps)} missing)" if gaps else "")))
    return vendor


def do_delete_vendor(actor: Actor, vendor: Vendor) -> None:
    with transaction.atomic():
        label = f"V-{vendor.id.hex[:8].upper()}"
        vendor.delete()
        append(actor, Event.VENDOR_REGISTER, basis=f"vendor {label} removed")
