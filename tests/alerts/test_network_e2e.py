"""Two real quietdesk servers: the library (QUIETDESK_NETWORK_MODE=remote) and the
organizing group's network (hub), each a gunicorn with its own data and database, the hub
behind a real TLS terminator on loopback. The library's staff file and confirm a report
in the browser-facing pages; the library's worker forwards it, signed; the hub accepts
it and its worker emails its members (a real SMTP server, aiosmtpd). A captured message
replayed or altered gets nowhere. The library never holds a member list.
"""

from __future__ import annotations

import json
import re
import secrets

import pytest

from tests.e2e.conftest import smtp_server  # noqa: F401 (fixture)

from .test_network_hub import raw_post
from .tls import TlsProxy, make_certs

pytestmark = [pytest.mark.slow, pytest.mark.nodb]

COUNT_HUB = """
from quietdesk.alerts.models import Report, Delivery
from quietdesk.audit.models import AccessEntry
print(Report.objects.filter(source='riverside', follows__isnull=True).count(),
      Report.objects.filter(follows__source='riverside').count(),
      Delivery.objects.count(), AccessEntry.objects.filter(action='network_inbound').count())
"""
COUNT_LIBRARY = """
from quietdesk.alerts.models import Forward, NetworkMember
print(NetworkMember.objects.count(), ','.join(Forward.objects.order_by('created_at').values_list('state', flat=True)))
"""
HUB_MEMBER_ADDRESSES = (b"steward@example.org", b"lawyer@example.org", b"mutualaid@example.org")


def shell(server, code: str) -> list[str]:
    return server.manage("shell", "-c", code, log=False).stdout.strip().splitlines()[-1].split()


def test_the_library_forwards_to_the_network_it_does_not_hold(quietdesk_servers, smtp_server, tmp_path):  # noqa: F811
    certs = make_certs(tmp_path)
    key = secrets.token_hex(32)
    mail = {"QUIETDESK_EMAIL_HOST": smtp_server.host, "QUIETDESK_EMAIL_PORT": str(smtp_server.port)}
    hub = quietdesk_servers.start("hub", extra_env={
        "QUIETDESK_NETWORK_MODE": "hub", "QUIETDESK_NETWORK_SENDERS": json.dumps({"riverside": key}),
        "QUIETDESK_LIBRARY_NAME": "Riverside Rapid Response", **mail})
    proxy = TlsProxy(hub.port, certs).start()
    try:
        library = quietdesk_servers.start("library", extra_env={
            "QUIETDESK_NETWORK_MODE": "remote", "QUIETDESK_NETWORK_HUB_URL": proxy.url(),
            "QUIETDESK_NETWORK_SECRET": key, "QUIETDESK_NETWORK_SENDER": "riverside",
            "QUIETDESK_NETWORK_CA_FILE": str(certs.ca), **mail})
        _run(hub, library, proxy, certs, smtp_server)
    finally:
        proxy.stop()


def _run(hub, library, proxy, certs, smtp):
    # The library's demo seeded no member; its network pages say where the network lives.
    assert shell(library, COUNT_LIBRARY) == ["0"]
    director = library.client("director")
    page = director.get("/alerts/network/", expect=404)
    assert "This library keeps no member list" in page.text
    # A desk worker files a report; a person in charge confirms it.
    desk = library.client("desk")
    page = desk.post("/alerts/report/", {"size": "Two agents", "activity": "Stopping patrons at the side door",
                                         "zone": "Main entrance", "certainty": "observed", "status": "actual"})
    report_id = re.search(r"/alerts/r/([0-9a-f-]{36})/", page.url).group(1)
    assert "once confirmed it goes to the network" in page.text
    library.manage("alerts_worker", "--batch", "-v", "0")
    assert shell(hub, COUNT_HUB) == ["0", "0", "0", "0"]  # unconfirmed: it stays with the library
    manager = library.client("manager")
    manager.get(f"/alerts/r/{report_id}/")
    manager.post(f"/alerts/r/{report_id}/confirm/", {"confirm": "on"})
    library.manage("alerts_worker", "--batch", "-v", "0")
    assert shell(library, COUNT_LIBRARY) == ["0", "sent"]
    reports, followups, deliveries, logged = shell(hub, COUNT_HUB)
    assert (reports, followups, logged) == ("1", "0", "1") and int(deliveries) >= 3
    assert "Received by the network" in manager.get(f"/alerts/r/{report_id}/").text
    # The hub's worker alerts its members; email carries the code word only.
    smtp.clear()
    hub.manage("alerts_worker", "--batch", "-v", "0")
    messages = smtp.wait_for(3)
    recipients = {r for m in messages for r in m.rcpt_tos}
    assert {"steward@example.org", "lawyer@example.org", "mutualaid@example.org"} <= recipients
    assert all("RED OAK" in m.message.get_content() for m in messages)
    assert not any("side door" in m.message.get_content() for m in messages)
    # A captured message replayed, or altered, changes nothing at the hub.
    captured = proxy.last_request()
    status, body = raw_post(proxy, certs, captured)
    assert (status, json.loads(body)) == (200, {"status": "duplicate"})
    assert raw_post(proxy, certs, captured.replace(b"side door", b"back door"))[0] == 401
    assert shell(hub, COUNT_HUB)[:2] == ["1", "0"]
    # The all clear follows, and goes to those the hub told.
    manager.get(f"/alerts/r/{report_id}/follow-up/")
    manager.post(f"/alerts/r/{report_id}/follow-up/", {"msg_type": "cancel", "text": "They left at 15:40."})
    library.manage("alerts_worker", "--batch", "-v", "0")
    assert shell(library, COUNT_LIBRARY) == ["0", "sent,sent"]
    assert shell(hub, COUNT_HUB)[:2] == ["1", "1"]
    smtp.clear()
    hub.manage("alerts_worker", "--batch", "-v", "0")
    assert any("SUNRISE" in m.message.get_content() for m in smtp.wait_for(3))
    # Nothing the library keeps names the network's members: not its database, not its files.
    if library.database is not None:
        dump = library.database.dump(library.data_dir / "library.sql").read_bytes()
        assert not any(address in dump for address in HUB_MEMBER_ADDRESSES)
    for path in library.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(address in data for address in HUB_MEMBER_ADDRESSES), path
