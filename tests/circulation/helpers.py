"""Small builders for circulation tests."""

from quietdesk.audit.service import Actor
from quietdesk.circulation.models import Item
from quietdesk.patrons.services import do_register_patron
from tests.personas import patron_data

SYSTEM = Actor.system("test")
DESK = Actor("desk", "circulation")


def item(n: int = 1, **extra) -> Item:
    extra.setdefault("title", f"Book number {n}")
    return Item.objects.create(barcode=f"ITEM{n:05d}", **extra)


def patron(n: int, branch=None):
    return do_register_patron(SYSTEM, patron_data(n), branch=branch)
