"""Test personas, one per role, healthchecks style: ``self.desk``, ``self.director``...

Second-factor roles get a confirmed authenticator; ``login()`` signs a persona in
and, for those roles, marks the session as having passed the second step.
"""

from __future__ import annotations

import secrets

from django.test import TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from quietdesk.audit.service import Actor
from quietdesk.core.models import Branch
from quietdesk.patrons.services import do_register_patron
from quietdesk.staff.models import SealedTOTPDevice, StaffUser

PASSWORD = "correct horse battery staple"
ROLES = {
    "desk": "circulation",
    "manager": "person_in_charge",
    "director": "director",
    "privacy": "privacy_officer",
    "admin": "sysadmin",
}


def make_staff(username: str, role: str, branch=None) -> StaffUser:
    user = StaffUser.objects.create_user(username=username, password=PASSWORD, role=role, branch=branch)
    if user.needs_second_factor:
        seed = secrets.token_bytes(20)
        device = SealedTOTPDevice(user=user, name="test", confirmed=True)
        device.set_seed(seed, new=True)
        device.save()
        user.totp_seed = seed
    return user


def current_code(seed: bytes) -> str:
    return f"{totp(seed):06d}"


def patron_data(n: int = 0, **overrides) -> dict:
    data = {
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "card_number": f"21000{n:09d}",
        "contact": "email",
        "email": f"patron{n}@example.org",
        "phone": "",
        "age_band": "adult",
        "age_band_changes_on": None,
        "notes": "",
    }
    data.update(overrides)
    return data


class PersonaTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.branch = Branch.objects.create(code="central", name="Central")
        cls.other_branch = Branch.objects.create(code="east", name="East")
        for attr, role in ROLES.items():
            setattr(cls, attr, make_staff(attr, role, branch=cls.branch))
        cls.patron = do_register_patron(Actor.system("test"), patron_data(1), branch=cls.branch)

    def login(self, user) -> None:
        self.client.force_login(user)
        if user.needs_second_factor:
            session = self.client.session
            session[DEVICE_ID_SESSION_KEY] = user.sealedtotpdevice_set.get().persistent_id
            session.save()
