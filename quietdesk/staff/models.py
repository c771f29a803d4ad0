import time
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from quietdesk.vault import staff_secrets

from .roles import ROLE_LABELS, Role


class StaffUser(AbstractUser):  # type: ignore[django-manager-missing]  # its reverse manager comes from django-otp's Device.user, which ships no types
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

    def provisioning_seed(self) -> bytes:
        """The seed of an authenticator still being enrolled, to show it again to the person
        enrolling it. A confirmed authenticator's seed is never shown again."""
        if self.confirmed:
            raise PermissionError("A confirmed authenticator's seed is never shown.")
        return self._seed()

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


class StaffChange(models.Model):
    """One change to a staff account, from the request to its outcome (``approval.py`` has the rules).

    A change that waits for a second person is stored here with what it names, and
    nothing else happens until a director approves it (``changes.do_approve``). Staff
    data only: usernames, roles and branches, never a patron.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the director's approval"
        APPLIED = "applied", "Done"
        REFUSED = "refused", "Refused"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # What the change names: the approval is bound to exactly these (changes.binding).
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32, blank=True)  # the role the account ends with
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField(blank=True)  # a new account's address, for its own notices
    account = models.ForeignKey(StaffUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    role_before = models.CharField(max_length=32, blank=True)
    requested_by = models.ForeignKey(StaffUser, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(StaffUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # How the director's emails went: sent | failed | no_address ("" while not yet sent).
    asked_notice = models.CharField(max_length=12, blank=True)
    done_notice = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.username} ({self.state})"


class EnrollmentCode(models.Model):
    """The one-time code with which a member of staff sets their own password (and enrols their
    authenticator). Only its SHA-256 is stored: the code is random (about 118 bits), so a
    hash cannot be reversed, and a copy of the database gives nobody a way in. One live code
    per account; using it deletes it."""

    account = models.OneToOneField(StaffUser, on_delete=models.CASCADE, primary_key=True, related_name="enrollment")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return "enrollment code"  # never the code or its hash


class SignInFailure(models.Model):
    """Failed staff sign-ins, as much as lockout needs and no more (``lockout.py``): a keyed hash
    of the typed username and the client's network, the count, and the minute of the last
    failure. No username, address, user agent or request data; rows go once cooled off."""

    key = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()
    logged = models.BooleanField(default=False)  # the lockout was written to the access log

    def __str__(self) -> str:
        return f"{self.failures} failed sign-ins"
