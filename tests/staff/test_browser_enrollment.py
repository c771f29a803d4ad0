"""In Debian's Chromium against a real server: the administrator asks for a privacy officer's
account, the director (with a second factor) approves it and is shown the enrollment code, and
the new member of staff types it, chooses a password and enrols their authenticator in one step."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEW_PASSWORD = "lantern orchard pebble violet"


def sign_in(page, server, username):
    login = server.logins[username]
    page.goto("/staff/sign-in/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    page.get_by_role("button", name="Sign in").click()
    page.fill("#id_code", server.totp_code(username))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_new_privacy_officer_is_asked_for_approved_and_enrols(quietdesk_server, chromium_browser):
    from playwright.sync_api import expect

    server = quietdesk_server
    contexts = [chromium_browser.new_context(base_url=server.base_url, locale="en-US") for _ in range(3)]
    admin, director, newcomer = (c.new_page() for c in contexts)
    for page in (admin, director, newcomer):
        page.set_default_timeout(15_000)
    try:
        sign_in(admin, server, "admin")
        admin.goto("/staff/accounts/")
        admin.fill("#id_username", "browser-po")
        admin.select_option("#id_role", "privacy_officer")
        admin.get_by_role("button", name="Ask for this account").click()
        expect(admin.get_by_text("nothing changes until the director")).to_be_visible()
        expect(admin.locator("#enrollment-code")).to_have_count(0)

        sign_in(director, server, "director")
        director.goto("/staff/accounts/")
        director.get_by_role("link", name=re.compile("New account: browser-po")).click()
        director.get_by_role("button", name="Approve").click()
        code = director.locator("#enrollment-code").inner_text()
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){5}", code), code

        newcomer.goto("/staff/sign-in/")
        newcomer.get_by_role("link", name=re.compile("enrollment code")).click()
        newcomer.fill("#id_enrollment_code", code)
        newcomer.get_by_role("button", name="Continue").click()
        expect(newcomer.get_by_text("browser-po")).to_be_visible()
        assert code.replace("-", "") not in newcomer.url.upper().replace("-", "")
        secret = newcomer.locator("#totp-secret").inner_text()
        seed = b32decode(secret + "=" * (-len(secret) % 8))
        newcomer.fill("#id_new_password1", NEW_PASSWORD)
        newcomer.fill("#id_new_password2", NEW_PASSWORD)
        newcomer.fill("#id_code", f"{totp(seed):06d}")
        newcomer.get_by_role("button", name="Set up my account").click()
        newcomer.wait_for_url(re.compile(r"/$"))
        expect(newcomer.get_by_text("Your account is ready")).to_be_visible()

        # The code is spent: a second use is refused.
        again = chromium_browser.new_context(base_url=server.base_url).new_page()
        again.goto("/staff/enroll/")
        again.fill("#id_enrollment_code", code)
        again.get_by_role("button", name="Continue").click()
        expect(again.get_by_text("not valid")).to_be_visible()
        again.context.close()
    finally:
        for context in contexts:
            context.close()
