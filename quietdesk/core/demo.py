"""The demo library: branches, one member of staff per role, synthetic patrons.

Patrons come from Faker in several locales (never real people). Logins get a
new random password each time the demo starts; second-factor roles get a
confirmed authenticator whose key is printed with them.
"""

from __future__ import annotations

import random
import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.staff.models import SealedTOTPDevice, StaffUser
from quietdesk.staff.roles import Role
from quietdesk.vault import api as vault

from .models import Branch

BRANCHES = [("central", "Central Library"), ("eastside", "Eastside Branch"), ("riverbend", "Riverbend Branch")]
STAFF = [
    ("desk", Role.CIRCULATION, "central"),
    ("manager", Role.PERSON_IN_CHARGE, "central"),
    ("director", Role.DIRECTOR, None),
    ("privacy", Role.PRIVACY_OFFICER, None),
    ("admin", Role.SYSADMIN, None),
]
LOCALES = ["en_US", "es_MX", "vi_VN", "zh_CN", "ar_AA", "tl_PH", "ru_RU", "ko_KR"]


@dataclass
class Login:
    username: str
    role: str
    password: str
    totp_secret: str | None


def _totp(user: StaffUser) -> str:
    for old in user.sealedtotpdevice_set.all():
        vault.shred(old.subject_id)
        old.delete()
    seed = secrets.token_bytes(20)
    device = SealedTOTPDevice(user=user, name="demo authenticator", confirmed=True)
    device.set_seed(seed, new=True)
    device.save()
    return b32encode(seed).decode().rstrip("=")


def ensure_staff() -> list[Login]:
    logins = []
    with transaction.atomic():
        branches = {code: Branch.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in BRANCHES}
        for username, role, branch in STAFF:
            user, _ = StaffUser.objects.get_or_create(username=username, defaults={"role": role})
            user.role, user.branch = role, branches.get(branch) if branch else None
            password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
            user.set_password(password)
            user.save()
            secret = _totp(user) if role.value in {"director", "privacy_officer", "sysadmin"} else None
            logins.append(Login(username, role.value, password, secret))
    return logins


def seed_patrons(count: int, *, seed: int = 2026) -> int:
    """Register synthetic patrons through the real service (sealed, logged)."""
    existing = Patron.objects.count()
    if existing >= count:
        return 0
    fakers = [Faker(loc) for loc in LOCALES]
    rng = random.Random(seed + existing)  # noqa: S311 (synthetic data, not security)
    actor = Actor.system("demo-seed")
    branches = list(Branch.objects.all())
    made = 0
    for i in range(existing, count):
        fake = fakers[i % len(fakers)]
        fake.seed_instance(seed + i)
        band = rng.choices(["adult", "teen", "child"], weights=[80, 12, 8])[0]
        contact = rng.choice(["email", "phone", "email", "none"])
        data = {
            "given_name": fake.first_name(),
            "family_name": fake.last_name(),
            "card_number": f"2{seed % 1000:03d}{i:010d}",
            "email": f"patron{i}@example.org" if contact == "email" else "",
            "phone": f"707-555-{i % 10000:04d}" if contact == "phone" else "",
            "age_band": band,
            "age_band_changes_on": None if band == "adult" else fake.future_date("+1800d").replace(day=1),
            "notes": "",
        }
        do_register_patron(actor, data, branch=rng.choice(branches) if branches else None)
        made += 1
    return made
