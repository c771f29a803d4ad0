"""The web server's access log is not a record of who visited (quietdesk/core/serverlog.py).

A real gunicorn (deploy/gunicorn.conf.py, as in production) is sent requests whose
paths carry a patron's UUID, a loan number, a one-time token, typed names and query
strings, and one request line gunicorn itself rejects. Its access and error logs
must name the routes and nothing that identifies anyone; every value sent is
looked for in them.
"""

from __future__ import annotations

import re
import socket
import time

import pytest

pytestmark = [pytest.mark.slow]

LOAN_ID = "5f0c1a9e-3b7d-4c2a-9e8f-0d6b2a4c7e11"
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
LINE_RE = re.compile(r'^\[\d{2}/\w{3}/\d{4}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ (/\S*)" \d{3} \S+ \d+ms$')


def test_the_access_log_names_routes_not_people(quietdesk_server):
    server = quietdesk_server
    patron_id = server.manage(
        "shell", "-c", "from quietdesk.patrons.models import Patron; print(Patron.objects.order_by('pk').first().pk)",
        log=False,
    ).stdout.strip().splitlines()[-1]
    assert UUID_RE.fullmatch(patron_id)
    desk = server.client("desk")
    desk.get(f"/patrons/{patron_id}/", expect=None)
    desk.get(f"/circulation/account/{patron_id}/?card=Zqxcard20260001", expect=200)
    desk.post(f"/circulation/loans/{LOAN_ID}/renew/", {}, expect=None)
    desk.get("/patrons/Zqxtyped-Name/", expect=404)
    desk.get("/Zqxtopname", expect=404)
    desk.get("/en/privacy/?ref=Zqxquery", expect=200)
    server.client().get("/alerts/ack/Zqxtoken0123456789abcdef/", expect=None)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /patrons/Zqxrawname Zqxmore HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.recv(4096)
    time.sleep(0.5)  # the worker writes the line after the response

    access = (server.log_dir / "gunicorn.stdout.log").read_text(encoding="utf-8")
    errors = (server.log_dir / "gunicorn.stderr.log").read_text(encoding="utf-8")
    lines = [line for line in access.splitlines() if line.strip()]
    assert lines, "no access log at all"
    for line in lines:
        assert LINE_RE.match(line), f"unexpected access-log line: {line!r}"
    for text, where in ((access, "access log"), (errors, "error log")):
        assert "Zqx" not in text, f"a typed value reached the {where}"
        assert patron_id not in text and not UUID_RE.search(text), f"a UUID reached the {where}"
        assert LOAN_ID not in text, f"a loan id reached the {where}"
        assert "?" not in text, f"a query string reached the {where}"
    for route in ("/patrons/<uuid:patron_id>/", "/circulation/account/<uuid:patron_id>/",
                  "/circulation/loans/<uuid:loan_id>/renew/", "/patrons/<unmatched>", "/<unmatched>",
                  "/en/privacy/", "/alerts/ack/<str:token>/"):
        assert f" {route}\"" in access, f"{route} is missing from the access log"
    # gunicorn's own line quotes what the client sent ("Invalid HTTP Version: 'Zqxmore HTTP/1.1'").
    assert "[WARNING] Invalid request: " in errors and "'...'" in errors
    assert "ip=" not in errors
