"""The desk workflow in Debian's Chromium, against a real gunicorn server, a real outbound
worker and a real SMTP server: an immigration officer with an ICE administrative warrant
asks for a patron's address. The page says no at once, the director's mailbox receives
the notice (with no details) from the worker, and a case exists for the director."""

import io
import re
import subprocess

import pytest

from tests.alerts.test_kill_restart import stop
from tests.e2e.browser import nav_click
from tests.e2e.conftest import BIN, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DIRECTOR_MAIL = "director@riverside-library.test"
OFFICER = "Officer Zed Quillfeather"
BADGE = "ERO-88412"


@pytest.fixture(scope="module")
def legal_server(quietdesk_servers, smtp_server):
    server = quietdesk_servers.start("legal-desk", patrons=3, extra_env={
        "QUIETDESK_EMAIL_HOST": smtp_server.host, "QUIETDESK_EMAIL_PORT": str(smtp_server.port),
        "QUIETDESK_DIRECTOR_EMAIL": DIRECTOR_MAIL, "QUIETDESK_DIRECTOR_PHONE": "707-555-0100",
    })
    # The director's notice is sent by the outbound worker, as in production.
    with open(server.log_dir / "worker.log", "ab") as log:
        worker = subprocess.Popen([str(BIN / "quietdesk"), "outbound_worker", "--interval", "0.2"], env=server.env,
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield server
    finally:
        stop(worker)


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).text((20, 20), "WARRANT FOR ARREST OF ALIEN  Form I-200", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def test_officer_with_ice_warrant_asks_for_an_address(legal_server, smtp_server, chromium_browser, tmp_path):
    from playwright.sync_api import expect

    server = legal_server
    smtp_server.clear()
    desk = server.logins["desk"]
    context = chromium_browser.new_context(base_url=server.base_url, locale="en-US",
                                           viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto("/staff/sign-in/")
        page.fill("#id_username", desk.username)
        page.fill("#id_password", desk.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{server.base_url}/")

        # One tap from any staff page.
        page.get_by_role("link", name="Someone is asking", exact=True).click()
        expect(page.get_by_role("heading", name="Someone is asking")).to_be_visible()

        page.get_by_label("An immigration officer (ICE, CBP, HSI, DHS)").check()
        page.select_option("#id_document", "ice_administrative_warrant")
        page.set_input_files("#id_files", files=[{"name": "warrant.jpg", "mimeType": "image/jpeg",
                                                  "buffer": _photo()}])
        page.locator("summary", has_text="What do they want?").click()
        page.get_by_label("Who a patron is or how to reach them (name, address, phone, card)").check()
        page.locator("summary", has_text="Officer's name, badge").click()
        page.fill("#id_officer_name", OFFICER)
        page.fill("#id_badge", BADGE)
        page.fill("#id_purpose", "Wants the home address of a patron.")
        with page.expect_navigation():
            page.get_by_role("button", name="Tell me what to do").first.click()

        # At once: no.
        expect(page).to_have_url(re.compile(r"/requests/desk/[0-9a-f-]{36}/$"))
        expect(page.locator("#verdict")).to_have_text("No. Give no information.")
        expect(page.locator("#say")).to_contain_text("I am not able to give you any information or take part in this.")
        expect(page.locator("#dont")).to_contain_text("Do not help find, serve, hold or detain anyone")
        # Who to call, right under the verdict, as tap-to-call links.
        expect(page.locator("#calls a[href^='tel:']").first).to_contain_text("Call the director")
        # The timer runs (static JS, allowed by the CSP).
        expect(page.locator(".timer")).to_have_text(re.compile(r"^\d+:\d\d since arrival$"))
        # The notice is queued with the case; the worker sends it, and the page says which it is.
        expect(page.locator("#notice")).to_contain_text(re.compile("is emailing the director now|has been emailed"))
        reference = page.locator(".timer-box code").inner_text().strip()
        assert re.fullmatch(r"C-[0-9A-Z]{4}-[0-9A-Z]{4}", reference), reference
        page.screenshot(path=str(tmp_path / "desk-guidance.png"), full_page=True)
        assert not csp_errors, csp_errors

        # The director's mailbox on the local SMTP server.
        messages = [m for m in smtp_server.wait_for(1, timeout=20) if DIRECTOR_MAIL in m.rcpt_tos]
        assert len(messages) == 1, [m.rcpt_tos for m in smtp_server.messages]
        mail = messages[0].message
        text = mail["Subject"] + mail.get_content()
        assert "open quietdesk" in text.lower()
        assert reference in text
        for secret in ("Zed", "Quillfeather", BADGE, "ICE", "address", "immigration"):
            assert secret not in text, secret
        page.reload()
        expect(page.locator("#notice")).to_contain_text("has been emailed")

        # A case exists, and the director sees it (the desk does not).
        assert page.goto("/requests/cases/").status == 403
        director = server.client(sign_in_as="director")
        cases = director.get("/requests/cases/")
        assert reference in cases.text
        case_url = re.search(r'href="(/requests/cases/[0-9a-f-]{36}/)"', cases.text).group(1)
        detail = director.get(case_url)
        assert OFFICER in detail.text and BADGE in detail.text
        assert "ICE warrant signed by an immigration officer" in detail.text
        # The director's view in the browser: the case file, its timeline and the officer's details.
        director_page = context.browser.new_context(base_url=server.base_url, locale="en-US").new_page()
        try:
            login = server.logins["director"]
            director_page.goto("/staff/sign-in/")
            director_page.fill("#id_username", login.username)
            director_page.fill("#id_password", login.password)
            with director_page.expect_navigation():
                director_page.get_by_role("button", name="Sign in").click()
            director_page.fill("#id_code", server.totp_code(login.username))
            with director_page.expect_navigation():
                director_page.get_by_role("button", name="Continue").click()
            nav_click(director_page, "Cases")
            director_page.get_by_role("link", name=reference).click()
            expect(director_page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
            expect(director_page.locator("dl.record").first).to_contain_text(BADGE)
            expect(director_page.locator(".timeline")).to_contain_text("Director notified")
            expect(director_page.get_by_role("link", name="Incident report (PDF)")).to_be_visible()
            director_page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
        finally:
            director_page.context.close()
        assert not csp_errors, csp_errors

        count = server.manage("shell", "-c", "from quietdesk.legal.models import Case, CaseDocument; "
                              "print(Case.objects.count(), CaseDocument.objects.count())", log=False).stdout
        assert count.strip().splitlines()[-1] == "1 1"
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        context.close()
