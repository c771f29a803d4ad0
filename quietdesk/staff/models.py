import time
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from quietdesk.vault import staff_secrets

from .roles import ROLE_LABELS, Role


class StaffUser(AbstractUser):
    """A member of staff. Staff are not patrons: no patron data lives here."""

    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL)

    REQUIRED_FIELDS = ["role"]

    @property
    def needs_second_factor(self) -> bool:
        return self.role in settings.OTP_REQUIRED_ROLES

    @property
    def role_label(self) -> str:
        try:
            return ROLE_LABELS[Role(self.role)]
        except ValueError:
            return self.role


class SealedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator whose seed is stored sealed by the vault, never in clear.

    (django-otp's own TOTPDevice keeps the seed as plain hex in the database.)
    """

    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seed_ct = models.BinaryField()
    step = 30
    digits = 6
    tolerance = 1
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    def set_seed(self, seed: bytes, *, new: bool) -> None:
        self.seed_ct = staff_secrets.seal_seed(self.subject_id, seed.hex(), new=new)

    def _seed(self) -> bytes:
        return bytes.fromhex(staff_secrets.open_seed(self.subject_id, self.seed_ct))

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(str(token).strip())
        except ValueError:
            self.throttle_increment(commit=True)
            return False
        totp = TOTP(self._seed(), self.step, 0, self.digits, self.drift)
        totp.time = time.time()
        # last_t + 1: a code already used can never be used again.
        if totp.verify(token, self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def get_throttle_factor(self) -> int:
        return 1
