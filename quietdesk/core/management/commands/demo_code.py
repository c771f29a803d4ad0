import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from quietdesk.staff.models import StaffUser


class Command(BaseCommand):
    help = "Demo only: print the current authenticator code of a demo login (no phone needed)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **opts):
        if settings.MODE != "demo":
            raise CommandError("demo_code works only in the demo (QUIETDESK_MODE=demo).")
        user = StaffUser.objects.filter(username=username).first()
        device = user and user.sealedtotpdevice_set.filter(confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator.")
        seed = device._seed()
        self.stdout.write(f"{totp(seed, t0=0, step=30, digits=6, drift=0):06d}  (valid for {30 - int(time.time()) % 30} s)")
