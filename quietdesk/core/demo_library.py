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

BRANCHES = [  # fictional addresses
    ("central", "Central Library", "100 Example Avenue, Riverside, CA"),
    ("eastside", "Eastside Branch", "2400 Sample Road, Riverside, CA"),
    ("riverbend", "Riverbend Branch", "7 Placeholder Lane, Riverside, CA"),
]
STAFF = [
    ("desk", Role.CIRCULATION, "central"),
    ("manager", Role.PERSON_IN_CHARGE, "central"),
    ("director", Role.DIRECTOR, None),
    ("privacy", Role.PRIVACY_OFFICER, None),
    ("admin", Role.SYSADMIN, None),
]
LOCALES = ["en_US", "es_MX", "vi_VN", "zh_CN", "ar_AA", "tl_PH", "ru_RU", "ko_KR"]
SEED = 2026
# Demo passwords: letters and digits people can read aloud and type (no 0/O, 1/l/I), in
# dash-separated groups, so a password never starts with a dash that a shell or a form
# could take for something else. 15 characters from 56: about 87 bits.
LEGIBLE_CHARACTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Login:
    username: str
    role: str
    password: str
    totp_secret: str | None


def new_password() -> str:
    return "-".join("".join(secrets.choice(LEGIBLE_CHARACTERS) for _ in range(5)) for _ in range(3))


def card_number(index: int, seed: int = SEED) -> str:
    """The card number of the demo's patron number ``index`` (synthetic)."""
    return f"2{seed % 1000:03d}{index:010d}"


def sample_cards(count: int = 3) -> list[str]:
    """A few demo card numbers that are registered (checked by blind index: nothing decrypted)."""
    from quietdesk.patrons.services import TABLE

    cards = []
    for index in range(Patron.objects.count()):
        card = card_number(index)
        if Patron.objects.filter(card_bidx=vault.required_blind_index(TABLE, "card_number", card, "exact")).exists():
            cards.append(card)
            if len(cards) == count:
                break
    return cards


def sample_barcodes(count: int = 3) -> dict[str, list[str]]:
    """Barcodes of a few items on the shelf (to check out) and a few out (to check in)."""
    from quietdesk.circulation.models import Item

    def barcodes(status):
        return list(Item.objects.filter(status=status).order_by("barcode").values_list("barcode", flat=True)[:count])

    return {"on_shelf": barcodes(Item.Status.AVAILABLE), "out": barcodes(Item.Status.OUT)}


def give_authenticator(user: StaffUser) -> str:
    """A confirmed authenticator for ``user`` (any old one destroyed); returns its key in base32."""
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
        branches = {code: Branch.objects.get_or_create(code=code, defaults={"name": name, "address": address})[0]
                    for code, name, address in BRANCHES}
        for username, role, branch in STAFF:
            user, _ = StaffUser.objects.get_or_create(username=username, defaults={"role": role})
            user.role, user.branch = role, branches.get(branch) if branch else None
            password = new_password()
            user.set_password(password)
            user.save()
            secret = give_authenticator(user) if role.value in {"director", "privacy_officer", "sysadmin"} else None
            logins.append(Login(username, role.value, password, secret))
    return logins


def seed_patrons(count: int, *, seed: int = SEED) -> int:
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
            "card_number": card_number(i, seed),
            "email": f"patron{i}@example.org" if contact == "email" else "",
            "phone": f"707-555-{i % 10000:04d}" if contact == "phone" else "",
            "age_band": band,
            "age_band_changes_on": None if band == "adult" else fake.future_date("+1800d").replace(day=1),
            "notes": "",
        }
        do_register_patron(actor, data, branch=rng.choice(branches) if branches else None)
        made += 1
    return made
