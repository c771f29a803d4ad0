"""Each role's main journeys in Debian's Chromium, on a 360x740 phone and a 1280x800 desk,
against a real gunicorn server: the home page shows the work waiting, the guidance page
has call buttons, the script and the document summary on the first screen, the scanner
loop needs no mouse, production and broadcasts ask for confirmation. axe-core (the
pinned copy in tests/guide/vendor, checked by its SHA-256) runs on every page visited and
must find no serious or critical violation. Screenshots go to var/screenshots/ (or
QUIETDESK_SCREENSHOTS): docs/tour.md shows a few.

One browser for the module, one signed-in context per role (resized between the two
sizes), so a role signs in once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

import pytest

from tests.e2e.browser import nav_click
from tests.e2e.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = ROOT / "tests" / "guide" / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
SIZES = (("phone", PHONE), ("desk", DESK))
SHOTS = Path(os.environ.get("QUIETDESK_SCREENSHOTS") or ROOT / "var" / "screenshots")
CARD = "UX0000000042"
ITEMS = ("UXITEM0001", "UXITEM0002")

SEED = f"""
from quietdesk.audit.service import Actor
from quietdesk.alerts import services as alerts
from quietdesk.circulation.models import Item
from quietdesk.legal import production, services
from quietdesk.legal.document_uploads import Upload
from quietdesk.patrons.services import do_register_patron
from PIL import Image
import io
director = Actor.system("ux-seed")
patron = do_register_patron(director, dict(given_name="Rosa", family_name="Quintanilla Ux", card_number="{CARD}",
                                           email="rosa.ux@example.org", phone="", age_band="adult",
                                           age_band_changes_on=None, notes=""))
for n, code in enumerate({ITEMS!r}):
    Item.objects.create(barcode=code, title=f"Desk test book {{n + 1}}")
case = services.do_open_case(director, dict(requester="law_enforcement", category="registration",
                                            document="court_order", return_date=None))
buf = io.BytesIO(); Image.new("RGB", (40, 30), "white").save(buf, format="PNG")
item = production.do_set_scope(director, case, document="court_order", patron=patron, categories=["registration"],
                               order_uploads=[Upload(buf.getvalue(), "png", "order.png")])
services.do_decide(director, case, "disclose", "Judge-signed order, checked with counsel.")
report = alerts.do_file_report(Actor("desk", "circulation"), dict(activity="Two agents at the main door"))
print("SEEDED", case.id, item.id, report.id, case.pseudonym, report.ref)
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "the pinned axe.min.js changed"
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def ux(quietdesk_server):
    out = quietdesk_server.manage("shell", "-c", SEED).stdout
    line = next(x for x in out.splitlines() if x.startswith("SEEDED "))
    case_id, production_id, report_id, case_ref, report_ref = line.split()[1:]
    SHOTS.mkdir(parents=True, exist_ok=True)
    state = {"server": quietdesk_server, "case": case_id, "production": production_id, "report": report_id,
             "case_ref": case_ref, "report_ref": report_ref, "axe": []}
    yield state
    (SHOTS / "axe-results.json").write_text(json.dumps(state["axe"], indent=1), encoding="utf-8")
    serious = sum(r["serious_or_critical"] for r in state["axe"])
    print(f"\nscreenshots and axe results: {SHOTS} ({len(state['axe'])} pages checked, "
          f"{serious} serious or critical violations)")


class Role:
    def __init__(self, browser, ux, username: str):
        server = ux["server"]
        self.ux = ux
        self.context = browser.new_context(base_url=server.base_url, locale="en-US", viewport=DESK,
                                           bypass_csp=True)  # the page's CSP would refuse the injected checker
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.name = username
        login = server.logins[username]
        page = self.page
        page.goto("/staff/sign-in/")
        page.fill("#id_username", login.username)
        page.fill("#id_password", login.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if login.totp_key:
            page.fill("#id_code", server.totp_code(username))
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
        assert page.url.rstrip("/") == server.base_url, page.url

    def size(self, viewport) -> None:
        self.page.set_viewport_size(viewport)

    def check(self, label: str, axe_source: str) -> None:
        """axe-core on the page as shown (no serious or critical violation), then a screenshot."""
        page = self.page
        width = page.viewport_size["width"]
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        self.ux["axe"].append({"page": label, "width": width, "url": page.url.split("/", 3)[-1],
                               "serious_or_critical": len(bad),
                               "other": sorted({f"{v['id']} ({v['impact']})" for v in results["violations"]} - {
                                   f"{v['id']} ({v['impact']})" for v in bad})})
        assert not bad, json.dumps([{"id": v["id"], "impact": v["impact"], "help": v["help"],
                                     "nodes": [n["target"] for n in v["nodes"]][:5]} for v in bad], indent=1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{label} scrolls sideways"
        page.screenshot(path=str(SHOTS / f"{label}-{width}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def desk(chromium_browser, ux):
    role = Role(chromium_browser, ux, "desk")
    yield role
    role.close()


def _active_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def _photo() -> bytes:
    """An immigration officer's warrant (Form I-200) as printed, photographed flat."""
    from tests.documents.render import render_page

    text = (ROOT / "tests" / "documents" / "corpus" / "ice_i200.txt").read_text(encoding="utf-8")
    buffer = io.BytesIO()
    render_page(text).convert("L").save(buffer, format="PNG")
    return buffer.getvalue()


def _blank() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def _ask(page, photo: bytes) -> None:
    page.get_by_role("link", name="Someone is asking", exact=True).click()
    page.get_by_label("An immigration officer (ICE, CBP, HSI, DHS)").check()
    page.select_option("#id_document", "read")
    page.set_input_files("#id_files", files=[{"name": "document.png", "mimeType": "image/png", "buffer": photo}])
    with page.expect_navigation():
        page.get_by_role("button", name="Tell me what to do").first.click()


def test_desk_home_guidance_and_scanner(desk, ux, axe_source):
    from playwright.sync_api import expect

    page = desk.page
    photo = _photo()
    for _name, viewport in SIZES:
        desk.size(viewport)
        # Home: the few daily actions, and "Someone is asking" larger than everything else.
        page.goto("/")
        expect(page.locator(".daily")).to_contain_text("Check out")
        expect(page.locator(".daily")).to_contain_text("Holds shelf")
        ask = page.locator(".big-ask").bounding_box()
        for other in page.locator(".daily a").all():
            box = other.bounding_box()
            assert ask["width"] * ask["height"] > box["width"] * box["height"]
        expect(page.locator("#waiting-badge")).to_have_count(0)  # nothing waits on the desk
        desk.check("desk-home", axe_source)

        # The guidance page: verdict, who to call and what to say on the first screen.
        _ask(page, photo)
        expect(page.locator("#verdict")).to_have_text("No. Give no information.")
        calls = page.locator("#calls a[href^='tel:']")
        expect(calls.first).to_contain_text("Call the director")
        expect(page.locator("#calls")).to_contain_text("Call counsel")
        if viewport is PHONE:
            for selector in ("#verdict", "#calls", "#say"):
                box = page.locator(selector).bounding_box()
                assert box["y"] + box["height"] <= PHONE["height"], f"{selector} is below the first screen"
        # What the document is and what it names, from the reader, in plain words.
        summary = page.locator("#document-summary")
        expect(summary).to_contain_text("ICE warrant signed by an immigration officer")
        expect(summary).to_contain_text("not a judge")
        expect(summary).to_contain_text("People named")
        expect(page.locator("#notice")).to_contain_text(re.compile("emailed|emailing|not told"))
        desk.check("desk-guidance", axe_source)

    # A photo that cannot be read says so and offers a retake, with framing tips.
    desk.size(PHONE)
    _ask(page, _blank())
    expect(page.locator("#unreadable")).to_contain_text("could not be read")
    expect(page.locator(".retake")).to_contain_text("Lay the page flat")
    expect(page.get_by_role("button", name="Read the new photo")).to_be_visible()
    desk.check("desk-unreadable", axe_source)

    # The scanner loop, keyboard only: card, Enter, item, Enter, item, Enter; then check in.
    for _name, viewport in SIZES:
        desk.size(viewport)
        page.goto("/circulation/checkout/")
        assert _active_id(page) == "id_card_number"
        page.keyboard.type(CARD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("#holder")).to_contain_text("Card accepted")
        assert _active_id(page) == "id_barcode"
        for code in ITEMS:
            page.keyboard.type(code)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            expect(page.locator("#scan-result")).to_contain_text(f"({code}) is checked out")
            assert _active_id(page) == "id_barcode", "the focus did not come back to the barcode"
        page.keyboard.type("NOSUCHITEM")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("#scan-result.bad")).to_be_visible()
        assert _active_id(page) == "id_barcode"
        desk.check("desk-checkout", axe_source)
        page.goto("/circulation/checkin/")
        for code in ITEMS:
            assert _active_id(page) == "id_barcode"
            page.keyboard.type(code)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            expect(page.locator("#scan-result")).to_contain_text(f"({code}) is checked in")
        desk.check("desk-checkin", axe_source)

    # Finding a patron by one word of the name, then the record: check out, loans, holds, PIN.
    desk.size(DESK)
    nav_click(page, "Find patron")
    page.get_by_label("Name: any whole word of it").check()
    page.fill("#id_query", "quintanilla")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#patron-name")).to_have_text("Rosa Quintanilla Ux")
    expect(page.locator("#check-out-to")).to_be_visible()
    expect(page.locator("#loans")).to_contain_text("Nothing checked out")
    expect(page.get_by_role("link", name="Set or reset the PIN")).to_be_visible()
    desk.check("desk-patron", axe_source)


def test_the_menu_collapses_on_a_phone_and_works_without_javascript(chromium_browser, ux, desk, axe_source):
    from playwright.sync_api import expect

    desk.size(PHONE)
    page = desk.page
    page.goto("/circulation/checkin/")
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 70, f"the header takes {header['height']}px of a phone's screen: one line"
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.locator("#menu summary").click()
    current = page.get_by_role("navigation", name="Main").locator("a[aria-current=page]")
    expect(current).to_have_text("Check in")
    desk.check("desk-menu", axe_source)
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    # Without JavaScript the menu is a plain <details>: it still opens, and links work.
    server = ux["server"]
    context = chromium_browser.new_context(base_url=server.base_url, viewport=PHONE, java_script_enabled=False)
    try:
        plain = context.new_page()
        login = server.logins["desk"]
        plain.goto("/staff/sign-in/")
        plain.fill("#id_username", login.username)
        plain.fill("#id_password", login.password)
        with plain.expect_navigation():
            plain.get_by_role("button", name="Sign in").click()
        plain.locator("#menu summary").click()
        with plain.expect_navigation():
            plain.get_by_role("navigation", name="Main").get_by_role("link", name="Holds shelf").click()
        expect(plain.get_by_role("heading", name="Holds shelf")).to_be_visible()
    finally:
        context.close()


def test_director_home_and_production_confirmation(chromium_browser, ux, axe_source):
    from playwright.sync_api import expect

    director = Role(chromium_browser, ux, "director")
    page = director.page
    try:
        for _name, viewport in SIZES:
            director.size(viewport)
            page.goto("/")
            expect(page.locator("#waiting-badge .badge")).to_have_text(re.compile(r"^[1-9]\d*$"))
            cases = page.locator("#waiting-cases")
            expect(cases).to_contain_text(f"Case {ux['case_ref']}")
            expect(page.locator("#waiting-approvals")).to_contain_text(f"case {ux['case_ref']} is ready to produce")
            expect(page.locator("#waiting-failures")).to_be_visible()
            director.check("director-home", axe_source)
            # Production: first exactly which records and fields leave, then a deliberate confirmation.
            page.goto(f"/requests/cases/{ux['case']}/productions/{ux['production']}/produce/")
            expect(page.locator("#preview-records")).to_contain_text("First name, Last name, Card number")
            expect(page.locator("#confirm-production")).to_contain_text("This cannot be undone")
            director.check("director-produce", axe_source)
        with page.expect_navigation():
            page.get_by_role("button", name="Produce these records").click()
        expect(page.get_by_role("heading", name="Check what will leave the library")).to_be_visible()  # refused
        page.get_by_label(re.compile("I checked this against the order")).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Produce these records").click()
        expect(page.locator("#produced")).to_contain_text("Registration")
        expect(page.locator("#decide")).to_have_count(0)  # the decision forms close
        director.check("director-case-produced", axe_source)
    finally:
        director.close()


def test_person_in_charge_verifies_and_confirms_a_broadcast(chromium_browser, ux, axe_source):
    from playwright.sync_api import expect

    manager = Role(chromium_browser, ux, "manager")
    page = manager.page
    try:
        for _name, viewport in SIZES:
            manager.size(viewport)
            page.goto("/")
            expect(page.locator("#waiting-alerts")).to_contain_text(f"Report {ux['report_ref']} to verify")
            manager.check("manager-home", axe_source)
            page.goto(f"/alerts/r/{ux['report']}/")
            # Confirming is a link to a preview; the unverified path is a quiet second step.
            expect(page.get_by_role("link", name="Confirm: send to everyone…")).to_be_visible()
            expect(page.get_by_role("button", name=re.compile("without verification"))).to_have_count(0)
            expect(page.locator(".urgent-path")).to_contain_text("without verification")
            manager.check("manager-report", axe_source)
            page.get_by_role("link", name="Confirm: send to everyone…").click()
            expect(page.locator("#audience")).to_contain_text(re.compile(r"\d+ members? of the network"))
            expect(page.locator("#audience")).to_contain_text("Signal")
            manager.check("manager-broadcast-confirm", axe_source)
        page.get_by_label(re.compile("Send it to everyone listed above")).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm: send to everyone").click()
        expect(page.locator("p.stage")).to_contain_text("Confirmed")
    finally:
        manager.close()


def test_privacy_officer_home(chromium_browser, ux, axe_source):
    from playwright.sync_api import expect

    officer = Role(chromium_browser, ux, "privacy")
    try:
        for _name, viewport in SIZES:
            officer.size(viewport)
            officer.page.goto("/")
            expect(officer.page.locator("#waiting-cases")).to_contain_text("Case ")
            expect(officer.page.locator("#waiting-failures")).to_be_visible()
            officer.check("privacy-home", axe_source)
    finally:
        officer.close()
