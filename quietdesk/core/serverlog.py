"""gunicorn's logs without a record of who visited (``logger_class`` in deploy/gunicorn.conf.py).

Paths carry identifiers: patrons' and cases' UUIDs, loan numbers, one-time tokens. A
line with the path and the time would tell anyone who reads the log which record was
opened when. So a request is logged by the *route* it matched, as Django's URL
resolver names it (``/patrons/<uuid:patron_id>/``): ``RouteForServerLogMiddleware``
puts it in the WSGI environ. A path that matched no route keeps only a first segment
that some route starts with (``/patrons/<unmatched>``), since the rest may be anything
someone typed; a static file that was served keeps its path.

Whatever the format asks for, the log has no query string, client address, user,
referrer, user agent, request or response header, or environ value: those atoms are
not given to it (gunicorn prints "-"). Times are to the minute. Error-log lines about
a request are cut the same way.
"""

from __future__ import annotations

import functools
import os
import re

from gunicorn.glogging import Logger

ROUTE_KEY = "quietdesk.route"
UNMATCHED = "<unmatched>"
_SEGMENT = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@functools.cache
def _known_prefixes() -> tuple[frozenset[str], str]:
    """First segments of the site's routes, and the static URL prefix."""
    from django.conf import settings
    from django.urls import get_resolver

    prefixes = {code for code, _name in settings.LANGUAGES} | {settings.STATIC_URL.strip("/").split("/")[0]}
    for pattern in get_resolver().url_patterns:
        first = str(pattern.pattern).lstrip("^/").split("/", 1)[0]
        if _SEGMENT.fullmatch(first):
            prefixes.add(first)
    return frozenset(prefixes), settings.STATIC_URL


def logged_path(environ: dict, status: int) -> str:
    """What the access log may say about the path of this request."""
    route = environ.get(ROUTE_KEY)
    if route is not None:
        return route
    path = environ.get("PATH_INFO") or "/"
    try:
        prefixes, static_url = _known_prefixes()
    except Exception:  # Django not ready (a request before the app loaded): say nothing
        return f"/{UNMATCHED}"
    if path.startswith(static_url) and 200 <= status < 400 and path.isascii() and "//" not in path:
        return path
    first = path.lstrip("/").split("/", 1)[0]
    if first in prefixes:
        return f"/{first}/{UNMATCHED}"
    return "/" if path == "/" else f"/{UNMATCHED}"


def _method(environ: dict) -> str:
    method = environ.get("REQUEST_METHOD") or "-"
    return method if re.fullmatch(r"[A-Z]{1,12}", method) else "OTHER"


class PrivateLogger(Logger):
    """gunicorn's Logger with the atoms cut down to what says nothing about anyone."""

    def now(self) -> str:
        import time

        return time.strftime("[%d/%b/%Y:%H:%M %z]")

    def atoms(self, resp, req, environ, request_time):
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        try:
            code = int(status)
        except (TypeError, ValueError):
            code = 0
        method = _method(environ)
        path = logged_path(environ, code)
        protocol = environ.get("SERVER_PROTOCOL") or "-"
        sent = getattr(resp, "sent", None)
        millis = request_time.seconds * 1000 + request_time.microseconds // 1000
        return {
            "h": "-", "l": "-", "u": "-", "q": "-", "f": "-", "a": "-",
            "t": self.now(),
            "r": f"{method} {path} {protocol}",
            "m": method,
            "U": path,
            "H": protocol,
            "s": status,
            "b": str(sent) if sent is not None else "-",
            "B": sent,
            "T": request_time.seconds,
            "D": request_time.seconds * 1_000_000 + request_time.microseconds,
            "M": millis,
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
            "p": f"<{os.getpid()}>",
        }

    # gunicorn's own error lines quote the request: "Error handling request GET /path?query"
    # and "Invalid request from ip=ADDRESS: <what the client sent>".
    def exception(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith("Error handling request") and args:
            *method, uri = args
            msg, args = "Error handling request %s", (" ".join([*map(str, method), _uri_path(uri)]),)
        super().exception(msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith("Invalid request from ip="):
            _, _, detail = msg.partition(": ")
            msg, args = "Invalid request: %s", (_QUOTED.sub("'...'", detail),)
        super().warning(msg, *args, **kwargs)


def _uri_path(uri) -> str:
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    path = str(uri).split("?", 1)[0].split("#", 1)[0]
    if "://" in path:  # an absolute URI
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    return logged_path({"PATH_INFO": path}, 0)
