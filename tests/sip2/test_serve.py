"""`quietdesk sip2 serve` driven by a SIP2 client no one here wrote: the `sip2`
package from PyPI (1.1). The server runs in a thread on a random loopback port
with the test database; everything goes through a real socket."""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from pysip2 import decode_message

from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.circulation.models import Hold, Item, Loan, SelfCheckMachine
from quietdesk.sip2 import wire
from tests.circulation.helpers import SYSTEM, item, patron

pytestmark = pytest.mark.slow

CARD = "21000000000001"  # patron_data(1)
PERSONAL = ("BD", "BE", "BF", "PB")


def answer_ok(client) -> bytes:
    """The client's last answer, its checksum checked here (sip2 1.1's own check always passes)."""
    raw = client.last_response.rstrip("\r").encode()
    trailer = wire.split_trailer(raw)
    assert trailer.checksum is not None and len(trailer.checksum) == 4
    assert wire.checksum_ok(raw, trailer), raw
    assert client.last_request.rstrip("\r").encode().find(b"AY" + trailer.sequence.encode()) > 0
    decode_message(raw + b"\r", encoding="utf-8")  # a well-formed answer to another codec (pysip2's) too
    return raw


def logged_in(sip2_client, server, machine):
    client = sip2_client(server.port)
    client.patron = CARD
    answer = client.sip_login_response(client.get_response(client.sip_login_request(*machine)))
    assert answer["fixed"]["Ok"] == "1"
    answer_ok(client)
    return client


def test_a_machine_session_from_login_to_end(serve, machine, sip2_client):
    server = serve()
    holder = patron(1)
    book = item(1, title="Cien años de soledad")
    client = logged_in(sip2_client, server, machine)

    status = client.sip_sc_status_response(client.get_response(client.sip_sc_status_request()))
    assert status["fixed"]["OnlineStatus"] == "Y" and status["fixed"]["CheckoutOk"] == "Y"
    assert status["fixed"]["ProtocolVersion"] == "2.00"
    assert status["variable"]["BX"] == ["YYYNYYYYYNYNNNYN"]
    answer_ok(client)

    out = client.sip_checkout_response(client.get_response(client.sip_checkout_request(book.barcode)))
    answer_ok(client)
    assert out["fixed"]["Ok"] == "1"
    assert out["variable"]["AJ"] == ["Cien años de soledad"]
    loan = Loan.objects.get(item=book, returned_on__isnull=True)
    assert loan.patron_id == holder.pk
    assert out["variable"]["AH"] == [loan.due_on.strftime("%Y%m%d    235900")]

    info = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("charged")))
    raw = answer_ok(client)
    assert info["fixed"]["ChargedItemsCount"] == "0001"
    assert info["variable"]["AU"] == [book.barcode]
    assert info["variable"]["AE"] == ["Given1"]  # the first name only: the default form
    assert info["variable"]["BL"] == ["Y"]
    for field in PERSONAL:
        assert field not in info["variable"]
    assert b"Family1" not in raw and b"patron1@example.org" not in raw

    renewed = client.sip_renew_response(client.get_response(client.sip_renew_request(book.barcode)))
    answer_ok(client)
    assert renewed["fixed"]["Ok"] == "1"
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert renewed["variable"]["AH"] == [loan.due_on.strftime("%Y%m%d    235900")]

    back = client.sip_checkin_response(client.get_response(client.sip_checkin_request(book.barcode)))
    answer_ok(client)
    assert back["fixed"]["Ok"] == "1" and back["fixed"]["Alert"] == "N"
    assert not Loan.objects.filter(pk=loan.pk).exists()  # the loan is gone at return
    assert Item.objects.get(pk=book.pk).status == Item.Status.AVAILABLE

    ended = client.sip_end_patron_session_response(client.get_response(client.sip_end_patron_session_request()))
    answer_ok(client)
    assert ended["fixed"]["EndSession"] == "Y"
    assert server.tally.total["message 11"] == 1 and server.tally.total["message 09"] == 1
    # Routine steps at the machine: counted for it, never logged per patron.
    counts = dict(RoutineTally.objects.filter(role="selfcheck").values_list("action", "count"))
    assert counts["checkout"] == 1 and counts["return"] == 1 and counts["renew"] == 1
    assert not AccessEntry.objects.filter(role="selfcheck").exists()


def test_item_lists_only_when_the_patron_asked(serve, machine, sip2_client):
    server = serve()
    patron(1)
    book = item(1)
    client = logged_in(sip2_client, server, machine)
    client.get_response(client.sip_checkout_request(book.barcode))
    info = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("none")))
    answer_ok(client)
    assert info["fixed"]["ChargedItemsCount"] == "0001"  # counts, always
    for field in ("AS", "AT", "AU", "AV", "BU", "CD"):
        assert field not in info["variable"]
    holds = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("hold")))
    assert "AU" not in holds["variable"] and "AS" not in holds["variable"]  # no hold: an empty list


def test_hold_shelf_and_overdue_lists(serve, machine, sip2_client):
    from quietdesk.circulation import holds, services

    server = serve()
    holder, waiting = patron(1), patron(2)
    book, other = item(1), item(2)
    services.do_checkout(SYSTEM, holder, other, today=timezone.localdate() - datetime.timedelta(days=40))
    services.do_checkout(SYSTEM, holder, book)
    holds.do_place_hold(SYSTEM, waiting, book)
    client = logged_in(sip2_client, server, machine)
    overdue = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("overdue")))
    assert overdue["variable"]["AT"] == [other.barcode]
    assert overdue["fixed"]["OverdueItemsCount"] == "0001"

    back = client.sip_checkin_response(client.get_response(client.sip_checkin_request(book.barcode)))
    assert back["fixed"]["Alert"] == "Y"
    code = Hold.objects.get(item=book).shelf_code
    assert back["variable"]["CV"] == ["01"] and back["variable"]["AF"] == [f"Hold shelf: {code}"]
    client.patron = "21000000000002"
    ready = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("hold")))
    assert ready["variable"]["AS"] == [book.barcode] and ready["fixed"]["HoldItemsCount"] == "0001"
    assert ready["variable"]["AE"] == ["Given2"]


@pytest.mark.parametrize(("form", "shown"), [("initials", "G. F."), ("none", "")])
def test_the_name_in_the_form_the_library_configured(serve, machine, sip2_client, form, shown):
    server = serve(name_form=form)
    patron(1)
    client = logged_in(sip2_client, server, machine)
    status = client.sip_patron_status_response(client.get_response(client.sip_patron_status_request()))
    answer_ok(client)
    assert status["variable"]["AE"] == [shown]
    assert status["variable"]["BL"] == ["Y"]
    info = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("none")))
    assert info["variable"]["AE"] == [shown]
    assert b"Given1" not in client.last_response.encode()


def test_refusals_carry_the_circulation_rule(serve, machine, sip2_client):
    server = serve()
    patron(1), patron(2)
    book = item(1)
    client = logged_in(sip2_client, server, machine)
    unknown = client.sip_checkout_response(client.get_response(client.sip_checkout_request("NO-SUCH")))
    answer_ok(client)
    assert unknown["fixed"]["Ok"] == "0"
    assert unknown["variable"]["AF"] == ["No item has that barcode. Check the barcode, or add the item to the catalogue."]
    client.get_response(client.sip_checkout_request(book.barcode))
    client.patron = "21000000000002"
    taken = client.sip_checkout_response(client.get_response(client.sip_checkout_request(book.barcode)))
    assert taken["fixed"]["Ok"] == "0" and "already checked out" in taken["variable"]["AF"][0]
    not_theirs = client.sip_renew_response(client.get_response(client.sip_renew_request(book.barcode)))
    assert not_theirs["fixed"]["Ok"] == "0" and "another card" in not_theirs["variable"]["AF"][0]
    client.patron = "21999999999999"
    nobody = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("none")))
    assert nobody["variable"]["BL"] == ["N"] and nobody["variable"]["AE"] == [""]
    unsupported = client.sip_hold_response(client.get_response(client.sip_hold_request("+", itemIdentifier=book.barcode)))
    answer_ok(client)
    assert unsupported["fixed"]["Ok"] == "0"
    assert Loan.objects.filter(returned_on__isnull=True).count() == 1


def test_wrong_or_revoked_credentials_cannot_log_in(serve, machine, sip2_client):
    server = serve()
    label, token = machine
    client = sip2_client(server.port)
    for creds in ((label, token[:-1] + "x"), ("another-machine", token), (label, "")):
        answer = client.sip_login_response(client.get_response(client.sip_login_request(*creds)))
        assert answer["fixed"]["Ok"] == "0"
    SelfCheckMachine.objects.update(revoked_at=timezone.now())
    again = sip2_client(server.port)
    assert again.sip_login_response(again.get_response(again.sip_login_request(label, token)))["fixed"]["Ok"] == "0"


def test_a_revoked_machine_is_cut_off_mid_session(serve, machine, sip2_client, monkeypatch):
    from quietdesk.sip2 import session

    monkeypatch.setattr(session, "REVOCATION_CHECK_SECONDS", 0.2)
    server = serve()
    client = logged_in(sip2_client, server, machine)
    SelfCheckMachine.objects.update(revoked_at=timezone.now())
    time.sleep(0.3)
    client._socket.sendall(client.sip_sc_status_request().encode())
    assert client._socket.recv(100) == b""
    assert server.tally.total["closed: machine revoked"] == 1


@pytest.mark.nodb
def test_the_serve_command(tmp_path, sip2_client):
    """`quietdesk sip2 serve` as operators run it: its own process, its own (file)
    database, a machine added with `quietdesk selfcheck add`, stopped by SIGTERM."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(tmp_path / "data"), QUIETDESK_SIP2_NAME_FORM="initials")
    quietdesk = [sys.executable, "-m", "quietdesk"]
    root = Path(__file__).resolve().parents[2]

    def run(*args):
        return subprocess.run([*quietdesk, *args], env=env, cwd=root, capture_output=True, text=True, check=True)

    run("migrate", "-v0")
    token = run("selfcheck", "add", "lobby").stdout.strip()
    run("shell", "-c", "from tests.circulation.helpers import item, patron; patron(1); item(1)")
    proc = subprocess.Popen([*quietdesk, "sip2", "serve", "--listen", "127.0.0.1:0"], env=env, cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))
        client = sip2_client(port)
        client.patron = CARD
        assert client.sip_login_response(client.get_response(client.sip_login_request("lobby", token)))["fixed"]["Ok"] == "1"
        out = client.sip_checkout_response(client.get_response(client.sip_checkout_request("ITEM00001")))
        assert out["fixed"]["Ok"] == "1"
        info = client.sip_patron_information_response(client.get_response(client.sip_patron_information_request("charged")))
        assert info["variable"]["AE"] == ["G. F."] and info["variable"]["AU"] == ["ITEM00001"]
        back = client.sip_checkin_response(client.get_response(client.sip_checkin_request("ITEM00001")))
        assert back["fixed"]["Ok"] == "1"
        client.disconnect()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "sip2 serve counts:" in err and "message 11: 1" in err
    for secret in (CARD, "ITEM00001", "Given1", "Family1", "lobby"):
        assert secret not in err
    taken = subprocess.run([*quietdesk, "sip2", "serve", "--listen", "256.0.0.1:1"], env=env, cwd=root,
                           capture_output=True, text=True, check=False)
    assert taken.returncode == 1 and "Cannot listen" in taken.stderr and "Traceback" not in taken.stderr
