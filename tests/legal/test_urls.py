"""Every URL of the legal app, as every persona: the project's URL walk, for /requests/ only.

(The same rules as tests/test_every_url.py, kept here so this app's pages are checked
on their own.)
"""

import uuid

from quietdesk.staff.roles import CAPABILITIES, Role
from tests.personas import ROLES, PersonaTestCase
from tests.test_every_url import concrete, walk


def legal_routes():
    return [(name, route, view) for name, route, view in walk() if route.startswith("requests/")]


class LegalUrlTests(PersonaTestCase):
    def test_every_legal_view_declares_access(self):
        routes = legal_routes()
        self.assertGreater(len(routes), 20)
        for _name, route, view in routes:
            self.assertTrue(getattr(view, "is_public", False) or getattr(view, "required_capability", None), route)

    def test_anonymous(self):
        public = set()
        for _name, route, view in legal_routes():
            r = self.client.get(concrete(route, self.patron.id))
            if getattr(view, "is_public", False):
                public.add(route)
                self.assertIn(r.status_code, (200, 405), route)
            else:
                self.assertEqual(r.status_code, 302, route)
                self.assertTrue(r["Location"].startswith("/staff/sign-in/"), route)
        self.assertEqual(public, {"requests/my-records/", "requests/my-records/download/",
                                  "requests/my-records/sign-out/", "requests/transparency/"})

    def test_each_role(self):
        for attr, role in ROLES.items():
            self.client.logout()
            self.login(getattr(self, attr))
            caps = CAPABILITIES[Role(role)]
            for _name, route, view in legal_routes():
                if getattr(view, "is_public", False):
                    continue
                for patron_id in (self.patron.id, uuid.uuid4()):
                    url = concrete(route, patron_id)
                    r = self.client.get(url)
                    label = f"{attr} GET {url}"
                    if view.required_capability not in caps:
                        self.assertIn(r.status_code, (403, 404), label)
                        if "<uuid" in route:
                            self.assertEqual(r.status_code, 404, label)
                    elif "<" in route and not ("<uuid:patron_id>" in route and patron_id == self.patron.id):
                        self.assertIn(r.status_code, (404, 405), label)
                    else:
                        self.assertIn(r.status_code, (200, 302, 405), label)
                    self.assertEqual(r.get("Cache-Control"), "no-store", label)
                    if "<uuid:patron_id>" not in route:
                        break

    def test_someone_is_asking_is_one_tap_from_every_staff_page(self):
        for attr in ROLES:
            self.client.logout()
            self.login(getattr(self, attr))
            page = self.client.get("/").content.decode()
            self.assertIn('href="/requests/"', page, attr)
            self.assertIn("Someone is asking", page, attr)
        self.client.logout()
        self.assertNotIn("Someone is asking", self.client.get("/requests/transparency/").content.decode())
