"""A faithful local stand-in for the parts of Koha's REST API (/api/v1) that quietdesk uses.

A hosted Koha's API cannot exist here, so this implements, over a real Koha
database (the test MariaDB with Koha's schema), the documented behaviour of:

* POST /api/v1/oauth/token: client credentials (form-encoded); 400 "Unimplemented
  grant type" for another grant (or RESTOAuth2ClientCredentials off), 403 for an
  unknown client, else {"access_token", "token_type": "Bearer", "expires_in": 3600}
  (Koha::REST::V1::OAuth);
* GET /api/v1/patrons, /checkouts (``patron_id``, ``checked_in``), /holds
  (``patron_id``), /items/{item_id}: Koha's API field names mapped from its
  columns, ``q`` JSON queries (equality, <, <=, >, >=, != with null), ``_page``,
  ``_per_page`` (default 20), ``_order_by`` (+field/-field), the ``X-Total-Count``
  header; 401 without a valid bearer token, 403 for a client without the route's
  permission, 400 ``invalid_query`` for a query it cannot apply (api/v1/swagger).

Only the endpoints and parameters quietdesk's REST client sends are implemented.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pymysql

PATRON = {"patron_id": "borrowernumber", "cardnumber": "cardnumber", "surname": "surname",
          "firstname": "firstname", "middle_name": "middle_name", "other_name": "othernames", "title": "title",
          "address": "address", "address2": "address2", "city": "city", "state": "state",
          "postal_code": "zipcode", "country": "country", "email": "email", "phone": "phone", "mobile": "mobile",
          "date_of_birth": "dateofbirth", "gender": "sex", "category_id": "categorycode",
          "library_id": "branchcode", "date_enrolled": "dateenrolled", "expiry_date": "dateexpiry",
          "staff_notes": "borrowernotes", "opac_notes": "opacnote", "privacy": "privacy"}
CHECKOUT = {"checkout_id": "issue_id", "patron_id": "borrowernumber", "item_id": "itemnumber",
            "due_date": "date_due", "library_id": "branchcode", "checkin_date": "returndate",
            "checkout_date": "issuedate", "renewals_count": "renewals_count", "note": "note"}
HOLD = {"hold_id": "reserve_id", "patron_id": "borrowernumber", "hold_date": "reservedate",
        "biblio_id": "biblionumber", "pickup_library_id": "branchcode", "cancellation_date": "cancellationdate",
        "notes": "reservenotes", "priority": "priority", "status": "found", "item_id": "itemnumber",
        "expiration_date": "expirationdate"}
ITEM = {"item_id": "itemnumber", "biblio_id": "biblionumber", "external_id": "barcode"}
OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}


class BadQuery(ValueError):
    pass


def _where(query, fields: dict) -> tuple[str, list]:
    if not isinstance(query, dict):
        raise BadQuery("q must be an object")
    parts, params = [], []
    for field, condition in query.items():
        if field not in fields:
            raise BadQuery(f"unknown field {field}")
        column = f"`{fields[field]}`"
        conditions = condition.items() if isinstance(condition, dict) else [("=", condition)]
        for op, value in conditions:
            if op not in OPS:
                raise BadQuery(f"unsupported operator {op}")
            if value is None:
                if op not in ("=", "!="):
                    raise BadQuery("null compares only with = or !=")
                parts.append(f"{column} IS {'NOT ' if op == '!=' else ''}NULL")
            else:
                parts.append(f"{column} {OPS[op]} %s")
                params.append(value)
    return " AND ".join(parts), params


def _api(value):
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text + "+00:00" if "T" in text else text
    if isinstance(value, bytes):
        return value.decode()
    return value


class KohaAPI:
    """Start with ``KohaAPI(db_args, clients={"id": ("secret", {"borrowers", "circulate", ...})})``.

    Permissions as the routes' x-koha-authorization: borrowers (list_borrowers) for /patrons,
    circulate (circulate_remaining_permissions) for /checkouts, reserveforothers (place_holds)
    for /holds, catalogue for /items."""

    def __init__(self, db: dict, clients: dict[str, tuple[str, set[str]]], *, client_credentials: bool = True):
        self.db, self.clients, self.client_credentials = db, clients, client_credentials
        self.tokens: dict[str, str] = {}  # token -> client id
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def query(self, sql: str, params=()) -> list[dict]:
        conn = pymysql.connect(**self.db, cursorclass=pymysql.cursors.DictCursor, autocommit=True)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        finally:
            conn.close()

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet tests
                pass

            def _send(self, status: int, body, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                api.requests.append(f"POST {self.path}")
                if self.path != "/api/v1/oauth/token":
                    return self._send(404, {"error": "Endpoint not found."})
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                grant = (form.get("grant_type") or [""])[0]
                if grant != "client_credentials" or not api.client_credentials:
                    return self._send(400, {"error": "Unimplemented grant type"})
                client = (form.get("client_id") or [""])[0]
                secret = (form.get("client_secret") or [""])[0]
                if client not in api.clients or not secrets.compare_digest(api.clients[client][0], secret):
                    return self._send(403, {"error": "unauthorized_client"})
                token = secrets.token_hex(16)
                api.tokens[token] = client
                return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                api.requests.append(f"GET {parts.path}")
                auth = self.headers.get("Authorization") or ""
                client = api.tokens.get(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None
                if client is None:
                    return self._send(401, {"error": "Authentication failure."})
                params = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
                route = parts.path.removeprefix("/api/v1")
                permissions = api.clients[client][1]
                try:
                    if route == "/patrons":
                        return self._list("borrowers", permissions, "borrowers", PATRON, params,
                                          {"cardnumber": "cardnumber"})
                    if route == "/checkouts":
                        table = "old_issues" if params.get("checked_in") == "true" else "issues"
                        return self._list("circulate", permissions, table, CHECKOUT, params,
                                          {"patron_id": "borrowernumber"})
                    if route == "/holds":
                        return self._list("reserveforothers", permissions, "reserves", HOLD, params,
                                          {"patron_id": "borrowernumber"})
                    if route.startswith("/items/") and route[7:].isdigit():
                        if "catalogue" not in permissions:
                            return self._send(403, {"error": "Authorization failure. Missing required permission(s)."})
                        rows = api.query("SELECT * FROM items WHERE itemnumber = %s", (int(route[7:]),))
                        if not rows:
                            return self._send(404, {"error": "Item not found"})
                        return self._send(200, {k: _api(rows[0][c]) for k, c in ITEM.items()})
                except BadQuery as exc:
                    return self._send(400, {"error": str(exc), "error_code": "invalid_query"})
                return self._send(404, {"error": "Endpoint not found."})

            def _list(self, permission, permissions, table, fields, params, filters):
                if permission not in permissions:
                    return self._send(403, {"error": "Authorization failure. Missing required permission(s)."})
                where, args = [], []
                for name, column in filters.items():
                    if name in params:
                        where.append(f"`{column}` = %s")
                        args.append(params[name])
                if "q" in params:
                    try:
                        clause, extra = _where(json.loads(params["q"]), fields)
                    except ValueError as exc:
                        raise BadQuery(str(exc)) from None
                    if clause:
                        where.append(clause)
                        args += extra
                sql_where = (" WHERE " + " AND ".join(where)) if where else ""
                total = api.query(f"SELECT COUNT(*) AS n FROM `{table}`{sql_where}", args)[0]["n"]  # noqa: S608
                order = ""
                if params.get("_order_by"):
                    key = params["_order_by"]
                    direction = "DESC" if key.startswith("-") else "ASC"
                    key = key.lstrip("+-")
                    if key not in fields:
                        raise BadQuery(f"cannot order by {key}")
                    order = f" ORDER BY `{fields[key]}` {direction}"
                try:
                    per_page = int(params.get("_per_page", 20))
                    page = int(params.get("_page", 1))
                except ValueError:
                    raise BadQuery("_page and _per_page are numbers") from None
                rows = api.query(f"SELECT * FROM `{table}`{sql_where}{order} LIMIT %s OFFSET %s",  # noqa: S608
                                 [*args, per_page, (page - 1) * per_page])
                body = [{k: _api(row.get(c)) for k, c in fields.items()} for row in rows]
                return self._send(200, body, {"X-Total-Count": str(total), "X-Base-Total-Count": str(total)})

        return Handler
