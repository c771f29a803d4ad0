"""Koha's REST API (/api/v1), read-only: for a hosted Koha that allows no database access.

OAuth2 client credentials (POST /api/v1/oauth/token, grant_type=client_credentials:
Koha's RESTOAuth2ClientCredentials preference on, an API key made for a staff user
with only the permissions below). Endpoints used, as Koha documents them
(api/v1/swagger/paths in Koha's source):

* GET /patrons (permission borrowers: list_borrowers; ``cardnumber`` filter; ``q`` JSON queries);
* GET /checkouts, with ``checked_in=true`` for past loans (circulate_remaining_permissions);
* GET /holds (reserveforothers: place_holds);
* GET /items/{item_id} (catalogue), for a produced loan's barcode.

Counts come from the ``X-Total-Count`` header of a one-row page (``_per_page=1``),
so the exposure report costs a handful of requests; free text is scanned a page
of 100 patrons at a time. The API has no anonymise or purge endpoint, and shows
neither system preferences nor past holds: this connector cannot enforce, and its
report says what it could not see. Counts past retention are not reduced for legal
holds or patrons' choices (the API cannot filter by them): they are upper bounds.
Set QUIETDESK_KOHA_ANONYMOUS_PATRON to Koha's AnonymousPatron value so loans
already anonymised are not counted as naming a patron.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from quietdesk.privacy.audit_report import scanner

from .connector import Connector, ConnectorError, Finding, Retention

PER_PAGE = 100
REGISTRATION_FIELDS = {  # Koha's API name -> the database column name (same CSV as the database connector)
    "cardnumber": "cardnumber", "surname": "surname", "firstname": "firstname", "middle_name": "middle_name",
    "other_name": "othernames", "title": "title", "address": "address", "address2": "address2", "city": "city",
    "state": "state", "postal_code": "zipcode", "country": "country", "email": "email", "phone": "phone",
    "mobile": "mobile", "date_of_birth": "dateofbirth", "gender": "sex", "category_id": "categorycode",
    "library_id": "branchcode", "date_enrolled": "dateenrolled", "expiry_date": "dateexpiry",
}


class TokenRefused(ConnectorError):
    """A resource answered 401: the token expired or was revoked."""


class KohaRest(Connector):
    name = "koha"
    label = "Koha"
    can_enforce = False

    def __init__(self, base_url: str, client_id: str, client_secret: str, *, anonymous: int | None = None,
                 timeout: float = 20):
        parts = urllib.parse.urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConnectorError("QUIETDESK_KOHA_API_URL must be Koha's staff address, e.g. "
                                 "https://staff.library.example.org.")
        if not client_id or not client_secret:
            raise ConnectorError("Koha's REST API needs QUIETDESK_KOHA_API_CLIENT_ID and "
                                 "QUIETDESK_KOHA_API_CLIENT_SECRET (or _FILE): an API key made in Koha.")
        root = base_url.rstrip("/")
        self.api = root if root.endswith("/api/v1") else root + "/api/v1"
        self.client_id, self.client_secret = client_id, client_secret
        self.anonymous = anonymous if anonymous is not None else _setting_anonymous()
        self.timeout = timeout
        self._token: tuple[str, float] | None = None

    # --- HTTP ---------------------------------------------------------------------

    def _open(self, request: urllib.request.Request, what: str):
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310 (http(s) checked above)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, what) from None
        except (urllib.error.URLError, OSError, TimeoutError):
            raise ConnectorError(f"Cannot reach Koha's REST API at {self.api}: check the address and that the "
                                 "server is up.") from None

    def _http_error(self, exc: urllib.error.HTTPError, what: str) -> ConnectorError:
        if what == "the token request" and exc.code == 403:
            return ConnectorError("Koha's REST API refused the client id or secret: check the API key in Koha "
                                  "(the staff user's API keys) and QUIETDESK_KOHA_API_CLIENT_ID/SECRET.")
        if what == "the token request" and exc.code == 400:
            return ConnectorError("Koha's REST API does not accept client credentials: turn on the "
                                  "RESTOAuth2ClientCredentials system preference in Koha.")
        if exc.code == 401:
            return TokenRefused(f"Koha's REST API did not accept quietdesk's token for {what} (401).")
        if exc.code == 403:
            return ConnectorError(f"Koha's REST API refused {what} (403): the API key's staff user lacks a "
                                  "permission (see the operator's guide for the list).")
        if exc.code == 404 and what == "the token request":
            return ConnectorError(f"{self.api} has no OAuth2 token endpoint: is this Koha's staff address, and "
                                  "is RESTOAuth2ClientCredentials on?")
        if exc.code == 404:
            return ConnectorError(f"Koha's REST API has no {what} (404): an older Koha, or a wrong address.")
        return ConnectorError(f"Koha's REST API answered {exc.code} to {what}.")

    def token(self) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.client_id,
                                       "client_secret": self.client_secret}).encode()
        request = urllib.request.Request(f"{self.api}/oauth/token", data=body, method="POST",  # noqa: S310 (http(s))
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/json"})
        with self._open(request, "the token request") as response:
            data = _json(response.read(), "the token request")
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token or str(data.get("token_type", "Bearer")).lower() != "bearer":
            raise ConnectorError("Koha's REST API gave no bearer token: is OAuth2 (client credentials) enabled?")
        self._token = (str(token), time.monotonic() + float(data.get("expires_in") or 3600))
        return self._token[0]

    def get(self, path: str, params: dict | None = None) -> tuple[object, dict]:
        """(JSON body, headers) of a GET; ``q`` dicts are sent as Koha's JSON query."""
        query = {}
        for key, value in (params or {}).items():
            query[key] = json.dumps(value, default=str) if key == "q" else value
        url = f"{self.api}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        what = f"GET {path.split('?')[0]}"
        for attempt in (1, 2):
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token()}",  # noqa: S310
                                                           "Accept": "application/json"})
            try:
                with self._open(request, what) as response:
                    return _json(response.read(), what), {k.lower(): v for k, v in response.headers.items()}
            except TokenRefused:
                if attempt == 2:
                    raise
                self._token = None  # an expired or revoked token: ask for a new one, once
        raise AssertionError("unreachable")

    def count(self, path: str, params: dict | None = None) -> int:
        _, headers = self.get(path, {**(params or {}), "_per_page": 1, "_page": 1})
        try:
            return int(headers["x-total-count"])
        except (KeyError, ValueError):
            raise ConnectorError(f"Koha's REST API gave no X-Total-Count for {path}.") from None

    def first(self, path: str, params: dict, order: str) -> dict | None:
        body, _ = self.get(path, {**params, "_per_page": 1, "_page": 1, "_order_by": order})
        return body[0] if isinstance(body, list) and body else None

    def pages(self, path: str, params: dict | None = None):
        page = 1
        while True:
            body, _ = self.get(path, {**(params or {}), "_per_page": PER_PAGE, "_page": page})
            if not isinstance(body, list) or not body:
                return
            yield from body
            if len(body) < PER_PAGE:
                return
            page += 1

    # --- the connector --------------------------------------------------------------

    def check(self) -> None:
        self.count("/patrons")

    def _linked(self) -> dict:
        return {"patron_id": {"!=": self.anonymous}} if self.anonymous is not None else {"patron_id": {"!=": None}}

    def exposure(self, retention: Retention) -> list[Finding]:
        self.check()
        cutoff = retention.as_of - datetime.timedelta(days=retention.days["past_loan_days"])
        unknown = "" if self.anonymous is not None else (
            " Set QUIETDESK_KOHA_ANONYMOUS_PATRON to Koha's AnonymousPatron so anonymised loans are not counted.")
        past = {"checked_in": "true"}
        linked = self.count("/checkouts", {**past, "q": self._linked()})
        oldest = self.first("/checkouts", {**past, "q": self._linked()}, "+checkin_date")
        due = self.count("/checkouts", {**past, "q": {**self._linked(), "checkin_date": {"<": cutoff.isoformat()}}})
        out = [Finding(kind="table", table="old_issues", column="patron_id", label="Past loans (REST API)",
                       rows=self.count("/checkouts", past), linked=linked, past_retention=due,
                       oldest=(oldest or {}).get("checkin_date", "")[:10] or None,
                       retention_days=retention.days["past_loan_days"], severity="high" if due else "ok",
                       recommendation=(f"{due} past loan(s) still name a patron past the rule (an upper bound: the "
                                       "API cannot exclude legal holds or patrons' choices). The REST API cannot "
                                       "anonymise: ask the host to run batch_anonymise.pl." + unknown)
                       if due else "Nothing past the rule." + unknown,
                       checklist="ALA LMS guidelines: keep checkout history only by the patron's choice"),
               Finding(kind="table", table="issues", column="patron_id", label="Current loans (REST API)",
                       rows=self.count("/checkouts"), severity="info", recommendation="Needed while the item is out."),
               Finding(kind="table", table="reserves", column="patron_id", label="Current holds (REST API)",
                       rows=self.count("/holds"), severity="info", recommendation="Needed while the hold waits.")]
        patrons = self.count("/patrons")
        for api_field, label, severity, query in (
                ("date_of_birth", "Date of birth", "high", {"date_of_birth": {"!=": None}}),
                ("gender", "Sex", "medium", {"gender": {"!=": ""}})):
            filled = self.count("/patrons", {"q": query})
            out.append(Finding(kind="field", table="borrowers", column=api_field, label=label, rows=filled,
                               linked=filled, severity=severity if filled else "ok",
                               recommendation=f"{filled} of {patrons} patron record(s) have it: add it to "
                                              "BorrowerUnwantedField and clear it." if filled else "",
                               checklist="ALA Q&A 11 (avoid high-risk data)"))
        out += self._scan_notes()
        forever = self.count("/patrons", {"q": {"privacy": 0}})
        out.append(Finding(kind="patrons", table="borrowers", column="privacy", label="Patrons and their history "
                           "choice", rows=patrons, linked=forever, value=f"{forever} keep history forever",
                           severity="info"))
        out.append(Finding(kind="preference", table="systempreferences", preference="(not visible)",
                           label="System preferences", severity="medium",
                           recommendation="Koha's REST API does not show system preferences or past holds: ask the "
                                          "host for read-only database access, or for the values of the preferences "
                                          "listed in the operator's guide.", checklist="ALA Q&A 22 (vendors)"))
        return out

    def _scan_notes(self) -> list[Finding]:
        out = []
        counts: dict[str, tuple[dict, list[int]]] = {field: ({}, [0, 0]) for field in ("staff_notes", "opac_notes")}
        for patron in self.pages("/patrons"):
            for field, (kinds, tally) in counts.items():
                text = patron.get(field) if isinstance(patron, dict) else None
                if not text:
                    continue
                tally[0] += 1
                found = scanner.kinds_in(str(text))
                if found:
                    tally[1] += 1
                    for kind in found:
                        kinds[kind] = kinds.get(kind, 0) + 1
        for field, (kinds, (scanned, flagged)) in counts.items():
            severe = {"ssn", "itin", "a_number", "passport", "immigration"} & kinds.keys()
            out.append(Finding(kind="free_text", table="borrowers", column=field, label=f"patrons.{field}",
                               rows=flagged, linked=scanned, kinds=kinds,
                               severity="high" if severe else ("medium" if kinds else "ok"),
                               recommendation=f"{flagged} of {scanned} note(s) hold high-risk data: remove it."
                               if kinds else "", checklist="ALA Q&A 11 (avoid high-risk data)"))
        return out

    def producible(self) -> tuple[str, ...]:
        return ("registration", "circulation", "holds")

    def patron_records(self, card_number: str, category: str, date_from, date_to):
        from .koha_records import COLUMNS

        columns = COLUMNS.get(category, ())
        body, _ = self.get("/patrons", {"cardnumber": card_number})
        patrons = [p for p in body if isinstance(p, dict) and p.get("cardnumber") == card_number] \
            if isinstance(body, list) else []
        if category not in self.producible() or not patrons:
            return columns, []
        rows = []
        for patron in patrons:
            if category == "registration":
                rows.append({"record": "patron", **{db: _day(patron.get(api)) for api, db in
                                                    REGISTRATION_FIELDS.items()}})
            elif category == "circulation":
                rows += self._loans(patron["patron_id"], date_from, date_to)
            elif category == "holds":
                for hold in self.pages("/holds", {"patron_id": patron["patron_id"]}):
                    rows.append({"date": _day(hold.get("hold_date")), "record": "hold (open)", "title": "",
                                 "status": hold.get("status") or "placed",
                                 "pickup_branch": hold.get("pickup_library_id") or "",
                                 "closed_on": _day(hold.get("cancellation_date")),
                                 "expires_on": _day(hold.get("expiration_date"))})
        return columns, rows

    def _loans(self, patron_id: int, date_from, date_to) -> list[dict]:
        query: dict[str, dict[str, str]] = {}
        if date_from:
            query.setdefault("checkout_date", {})[">="] = date_from.isoformat()
        if date_to:
            query.setdefault("checkout_date", {})["<"] = (date_to + datetime.timedelta(days=1)).isoformat()
        rows, barcodes = [], {}
        for checked_in, record in (("false", "loan (out now)"), ("true", "past loan")):
            params = {"patron_id": patron_id, "checked_in": checked_in, **({"q": query} if query else {})}
            for loan in self.pages("/checkouts", params):
                item = loan.get("item_id")
                if item is not None and item not in barcodes:
                    body, _ = self.get(f"/items/{int(item)}")
                    barcodes[item] = (body or {}).get("external_id") or "" if isinstance(body, dict) else ""
                rows.append({"date": _day(loan.get("checkout_date")), "record": record, "title": "",
                             "barcode": barcodes.get(item, ""), "due_on": _day(loan.get("due_date")),
                             "returned_on": _day(loan.get("checkin_date")), "branch": loan.get("library_id") or ""})
        return rows


def _day(value) -> str:
    """An API value as text; an RFC 3339 date-time becomes its day."""
    if value is None:
        return ""
    text = str(value)
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}T", text) else text


def _json(raw: bytes, what: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ConnectorError(f"Koha's REST API answered {what} with something that is not JSON.") from None


def _setting_anonymous() -> int | None:
    from django.conf import settings

    raw = str(settings.QUIETDESK_KOHA_ANONYMOUS_PATRON or "").strip()
    return int(raw) if raw.isdigit() else None
