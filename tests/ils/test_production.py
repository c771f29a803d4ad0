"""Scoped production from Koha: exactly what the order names, read-only, in the case's package."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.ils import koha_production
from quietdesk.legal import production, registry, services
from quietdesk.legal.models import Production
from quietdesk.patrons.services import do_register_patron
from tests.audit.helpers import about
from tests.ils import kohadata
from tests.ils.conftest import AS_OF
from tests.legal.helpers import open_case, upload
from tests.personas import make_staff, patron_data

pytestmark = pytest.mark.django_db
START, END = datetime.date(2023, 1, 1), datetime.date(2025, 6, 30)


@pytest.fixture
def case(koha):
    koha_production.register()
    desk, director = make_staff("desk", "circulation"), make_staff("director", "director")
    number = next(n for n in koha.facts.patrons if n % 6 not in (0, 1))
    patron = do_register_patron(Actor.system("test"), patron_data(1, card_number=koha.facts.cards[number]))
    other = do_register_patron(Actor.system("test"), patron_data(2, card_number=koha.facts.cards[number + 1]))
    case = open_case(desk, requester="law_enforcement", document="judicial_search_warrant", category="circulation",
                     officer_name="Det. Rook")
    yield case, Actor.for_user(director), patron, number, other
    registry.unregister_source("koha")


def produce(case, actor, patron, categories):
    item = production.do_set_scope(actor, case, document="court_order", patron=patron, categories=categories,
                                   date_from=START, date_to=END, order_uploads=[upload()])
    services.do_decide(actor, case, "disclose", "Order checked with counsel.")
    return production.do_produce(actor, item)


def test_the_package_holds_exactly_the_named_koha_records(koha, case):
    case, actor, patron, number, other = case
    before = kohadata.snapshot(koha.conn())
    item = produce(case, actor, patron, ["registration", "circulation"])
    assert kohadata.snapshot(koha.conn()) == before  # read-only
    package = production.read_package(actor, item)
    assert hashlib.sha256(package).hexdigest() == item.package_sha256
    zf = zipfile.ZipFile(io.BytesIO(package))
    names = set(zf.namelist())
    assert {"records/koha/registration.csv", "records/koha/circulation.csv", "records/registration.csv",
            "records/circulation.csv", "records/records.pdf", "production.json", "inventory.csv"} <= names
    inventory = list(csv.DictReader(io.StringIO(zf.read("inventory.csv").decode())))
    assert {row["path"] for row in inventory} == names - {"inventory.csv"}
    for row in inventory:
        assert hashlib.sha256(zf.read(row["path"])).hexdigest() == row["sha256"]
    loans = list(csv.DictReader(io.StringIO(zf.read("records/koha/circulation.csv").decode())))
    expected = koha.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND issuedate >= %s "
                        "AND issuedate < %s", (number, START, END + datetime.timedelta(days=1)))[0][0]
    expected += koha.sql("SELECT COUNT(*) FROM issues WHERE borrowernumber = %s AND issuedate >= %s "
                         "AND issuedate < %s", (number, START, END + datetime.timedelta(days=1)))[0][0]
    assert len(loans) == expected > 0
    assert all(START.isoformat() <= loan["date"] <= END.isoformat() for loan in loans)
    assert all(loan["title"].startswith("Book number") for loan in loans)
    registration = list(csv.DictReader(io.StringIO(zf.read("records/koha/registration.csv").decode())))
    assert [r["cardnumber"] for r in registration] == [koha.facts.cards[number]]
    everything = b"".join(zf.read(n) for n in names if n.endswith(".csv") or n.endswith(".json"))
    assert koha.facts.cards[number + 1].encode() not in everything  # nobody else's records
    manifest = json.loads(zf.read("production.json"))
    assert manifest["counts"]["koha:circulation"] == expected and manifest["counts"]["koha:registration"] == 1
    # The Koha read is logged against the case; the card read and the category decisions against the patron.
    entry = AccessEntry.objects.get(action="koha_production_read")
    assert entry.case_ref == case.pseudonym and f"circulation {expected}" in entry.basis
    assert len(about(patron.id, action="produce", basis__contains="find the patron in Koha")) == 1
    assert all(koha.facts.cards[number] not in e.basis for e in AccessEntry.objects.all())


def test_the_legal_hold_keeps_the_produced_records_in_koha(koha, case):
    from django.core.management import call_command

    case, actor, patron, number, _ = case
    produce(case, actor, patron, ["circulation"])
    held = koha.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND issuedate < %s AND "
                    "returndate >= %s", (number, END + datetime.timedelta(days=1), START))[0][0]
    assert held > 0
    call_command("koha", "enforce", "--apply", "--as-of", AS_OF.isoformat(), "--no-progress", stdout=io.StringIO())
    assert koha.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND issuedate < %s AND "
                    "returndate >= %s", (number, END + datetime.timedelta(days=1), START))[0][0] == held
    assert koha.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND returndate < %s",
                    (number, START))[0][0] == 0


def test_koha_unreachable_means_nothing_is_produced(koha, case, settings):
    case, actor, patron, _, _ = case
    item = production.do_set_scope(actor, case, document="court_order", patron=patron, categories=["circulation"],
                                   date_from=START, date_to=END, order_uploads=[upload()])
    services.do_decide(actor, case, "disclose", "Order checked with counsel.")
    settings.QUIETDESK_KOHA_DATABASE_URL = koha.server.url("koha_test", "root", "not-the-password")
    with pytest.raises(production.ProductionError, match="Koha could not be read.*Nothing was produced"):
        production.do_produce(actor, item)
    assert Production.objects.get(pk=item.pk).produced_at is None
    assert not AccessEntry.objects.filter(action="koha_production_read").exists()
