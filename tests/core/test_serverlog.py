"""gunicorn's logger without a record of who visited (quietdesk/core/serverlog.py), piece by piece.

tests/e2e/test_server_log.py checks the same against a real gunicorn.
"""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from quietdesk.core.serverlog import ROUTE_KEY, PrivateLogger, logged_path

pytestmark = pytest.mark.nodb

UUID = "6f1e0d2a-1111-4222-8333-444455556666"


@pytest.mark.parametrize("environ, status, expected", [
    ({ROUTE_KEY: "/patrons/<uuid:patron_id>/", "PATH_INFO": f"/patrons/{UUID}/"}, 200, "/patrons/<uuid:patron_id>/"),
    ({"PATH_INFO": f"/patrons/{UUID}/"}, 302, "/patrons/<unmatched>"),
    ({"PATH_INFO": "/patrons/Jane-Doe/"}, 404, "/patrons/<unmatched>"),
    ({"PATH_INFO": "/Jane-Doe"}, 404, "/<unmatched>"),
    ({"PATH_INFO": "/es/Juana/"}, 404, "/es/<unmatched>"),
    ({"PATH_INFO": "/static/quietdesk/site.css"}, 200, "/static/quietdesk/site.css"),
    ({"PATH_INFO": "/static/Jane-Doe.css"}, 404, "/static/<unmatched>"),
    ({"PATH_INFO": "/"}, 302, "/"),
])
def test_logged_path(environ, status, expected):
    assert logged_path(environ, status) == expected


def _logger():
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s %(u)s "%(r)s" %(q)s %(f)s %(a)s %({cookie}i)s %({x-forwarded-for}i)s '
                                 '%({REMOTE_ADDR}e)s %({location}o)s %(t)s %(U)s')
    return PrivateLogger(cfg)


def test_no_atom_names_anyone_whatever_the_format_asks():
    logger = _logger()
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/circulation/account/{UUID}/", "QUERY_STRING": "card=2026000",
               "RAW_URI": f"/circulation/account/{UUID}/?card=2026000", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "192.0.2.7", "HTTP_REFERER": f"https://lib.example.org/patrons/{UUID}/",
               "HTTP_USER_AGENT": "Firefox", ROUTE_KEY: "/circulation/account/<uuid:patron_id>/"}
    req = SimpleNamespace(headers=[("COOKIE", "sessionid=abc"), ("X-FORWARDED-FOR", "198.51.100.9")])
    resp = SimpleNamespace(status="200 OK", sent=123, headers=[("Location", f"/patrons/{UUID}/")])
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.addHandler(handler)
    logger.access(resp, req, environ, datetime.timedelta(milliseconds=12))
    (line,) = records
    for secret in (UUID, "2026000", "192.0.2.7", "198.51.100.9", "sessionid", "Firefox", "lib.example.org"):
        assert secret not in line, (secret, line)
    assert '"GET /circulation/account/<uuid:patron_id>/ HTTP/1.1"' in line
    # The time to the minute: [07/Dec/2026:15:20 +0000]
    assert logger.now().count(":") == 2


def test_error_lines_about_a_request_are_cut_too():
    logger = _logger()
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.error_log.addHandler(handler)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("Error handling request %s %s", "GET", f"/patrons/{UUID}/?name=Jane")
    logger.warning("Invalid request from ip=192.0.2.7: Invalid HTTP request line: 'GET /patrons/Jane Doe'")
    assert records[0] == "Error handling request GET /patrons/<unmatched>"
    assert records[1] == "Invalid request: Invalid HTTP request line: '...'"
    assert not any(s in r for r in records for s in (UUID, "Jane", "192.0.2.7"))
