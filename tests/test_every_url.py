"""Walk every URL the project serves, as every persona and as an anonymous visitor.

Fails when a view declares neither a capability nor ``public_view``: deny by default.
"""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver

from quietdesk.staff.roles import CAPABILITIES, Role
from tests.personas import ROLES, PersonaTestCase


def walk(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            for name, route, view in walk(p.url_patterns, prefix + str(p.pattern)):
                yield (ns + name if name else None), route, view
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern), p.callback


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_MISSING = {"uuid": lambda: str(uuid.uuid4()), "int": lambda: "999999", "slug": lambda: "no-such-thing",
            "str": lambda: "no-such-thing", "path": lambda: "no/such/thing", None: lambda: "no-such-thing"}


def concrete(route: str, patron_id) -> str:
    """A real path for ``route``: the persona patron's id, or values that match nothing."""
    route = route.replace("<uuid:patron_id>", str(patron_id)).lstrip("^").rstrip("$")
    return "/" + _CONVERTER.sub(lambda m: _MISSING[m.group(1)](), route)


class EveryUrlTests(PersonaTestCase):
    def test_every_view_declares_access(self):
        undeclared = [
            route for _, route, view in walk()
            if not getattr(view, "is_public", False) and not getattr(view, "required_capability", None)
        ]
        self.assertEqual(undeclared, [], "views with no capability and not public")
        self.assertGreater(len(list(walk())), 8)

    def test_anonymous_gets_login_page_or_public_view(self):
        for _name, route, view in walk():
            url = concrete(route, self.patron.id)
            r = self.client.get(url)
            if getattr(view, "is_public", False):
                self.assertIn(r.status_code, (200, 405), url)
            else:
                self.assertEqual(r.status_code, 302, url)
                self.assertTrue(r["Location"].startswith("/staff/sign-in/"), url)

    def test_each_role_gets_only_what_it_may(self):
        for attr, role in ROLES.items():
            user = getattr(self, attr)
            self.client.logout()
            self.login(user)
            caps = CAPABILITIES[Role(role)]
            for _name, route, view in walk():
                if getattr(view, "is_public", False):
                    continue
                for patron_id in (self.patron.id, uuid.uuid4()):
                    url = concrete(route, patron_id)
                    r = self.client.get(url)
                    cap = view.required_capability
                    label = f"{attr} GET {url}"
                    if cap not in caps:
                        self.assertIn(r.status_code, (403, 404), label)
                        if "<uuid:patron_id>" in route:
                            self.assertEqual(r.status_code, 404, label)  # learns nothing about existence
                    elif "<" in route and not ("<uuid:patron_id>" in route and patron_id == self.patron.id):
                        self.assertIn(r.status_code, (404, 405), label)  # nothing there
                    else:
                        self.assertIn(r.status_code, (200, 302, 405), label)
                        self.assertNotEqual(r.status_code, 500, label)
                    self.assertEqual(r.get("Cache-Control"), "no-store", label)
                    if "<uuid:patron_id>" not in route:
                        break
