"""End to end in Debian's Chromium against real gunicorn, a real worker, aiosmtpd and the Signal stand-in.

Desk staff file a SALUTE report on a phone-sized screen; the verifier tier gets it
UNCONFIRMED; the person in charge confirms it; every member of the demo network
gets the CONFIRMED message (Signal in plain words, email as a code word); members
tap their one-time links; the status page, left open, shows the acknowledgements
without being reloaded.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import nav_click
from tests.e2e.conftest import BIN, ROOT

from .signal_server import SignalServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# quietdesk/alerts/demo_network.py: tier 1 = +15550100101 (Signal) and steward@ (email); six members in all,
# the hotline and the community center in Spanish.
SIGNAL_MEMBERS = {"+15550100101", "+15550100102", "+15550100103"}
EMAIL_MEMBERS = {"steward@example.org", "lawyer@example.org", "mutualaid@example.org"}
ACK_PATH = re.compile(r"https?://[^/\s]+(/alerts/ack/[A-Za-z0-9]+/)")


def wait(predicate, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def sign_in(context, server, username):
    page = context.new_page()
    login = server.logins[username]
    page.goto("/staff/sign-in/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert urlsplit(page.url).path == "/", page.url
    return page


def test_file_verify_broadcast_acknowledge(quietdesk_servers, smtp_server, chromium_browser, tmp_path):
    from playwright.sync_api import expect

    signal_server = SignalServer().start()
    smtp_server.clear()
    worker = None
    try:
        server = quietdesk_servers.start("alerts", patrons=1, extra_env={
            "QUIETDESK_EMAIL_HOST": smtp_server.host, "QUIETDESK_EMAIL_PORT": str(smtp_server.port),
            "QUIETDESK_SIGNAL_RPC_URL": signal_server.url, "QUIETDESK_SIGNAL_ACCOUNT": signal_server.accounts[0],
        })
        log = open(server.log_dir / "worker.log", "ab")  # noqa: SIM115
        worker = subprocess.Popen([str(BIN / "quietdesk"), "alerts_worker", "--interval", "0.2"], env=server.env,
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

        # Desk staff, on a phone: everything optional, big targets, time already filled in.
        phone = chromium_browser.new_context(base_url=server.base_url, viewport={"width": 390, "height": 844},
                                             is_mobile=True, has_touch=True)
        phone.set_default_timeout(15_000)
        page = sign_in(phone, server, "desk")
        nav_click(page, "Report ICE activity")
        expect(page.get_by_role("heading", name="Report what you see")).to_be_visible()
        assert page.input_value("#id_seen_at"), "time should default to now"
        box = page.get_by_role("button", name="Send report now").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300
        page.fill("#id_size", "Two agents")
        page.fill("#id_activity", "Asking patrons for papers at the door")
        page.select_option("#id_zone", "Main entrance")
        page.check("input[name=certainty][value=observed]")
        with page.expect_navigation():
            page.get_by_role("button", name="Send report", exact=True).click()
        expect(page.locator("p.stage")).to_contain_text("Unconfirmed")
        ref = page.locator("h1").inner_text().split()[-1]

        # The verifier tier hears first, labelled UNCONFIRMED.
        wait(lambda: len(signal_server.sent) >= 1 and len(smtp_server.messages) >= 1, what="the verifier tier")
        assert [m.recipient for m in signal_server.sent] == ["+15550100101"]
        assert signal_server.sent[0].message.startswith("UNCONFIRMED") and "Two agents" in signal_server.sent[0].message
        assert smtp_server.messages[0].rcpt_tos == ["steward@example.org"]

        # The person in charge confirms; the page stays open as the live status page.
        office = chromium_browser.new_context(base_url=server.base_url)
        office.set_default_timeout(15_000)
        status = sign_in(office, server, "manager")
        status.goto("/alerts/")
        status.get_by_role("link", name=ref).click()
        status.get_by_role("link", name="Confirm: send to everyone…").click()
        expect(status.locator("#audience")).to_contain_text("6 members")  # who it reaches, before it is sent
        status.get_by_label(re.compile("Send it to everyone listed above")).check()
        with status.expect_navigation():
            status.get_by_role("button", name="Confirm: send to everyone").click()
        expect(status.locator("p.stage")).to_contain_text("Confirmed")

        wait(lambda: len(signal_server.sent) >= 4 and len(smtp_server.messages) >= 4, what="the confirmed broadcast")
        time.sleep(0.5)
        confirmed_signal = [m for m in signal_server.sent if m.message.startswith(("CONFIRMED", "CONFIRMADO"))]
        assert {m.recipient for m in confirmed_signal} == SIGNAL_MEMBERS and len(confirmed_signal) == 3
        confirmed_mail = [m for m in smtp_server.messages if "RED OAK" in m.message["Subject"]]
        assert {r for m in confirmed_mail for r in m.rcpt_tos} == EMAIL_MEMBERS and len(confirmed_mail) == 3
        assert all("Two agents" not in m.message.get_content() for m in confirmed_mail)  # code words only
        assert len(signal_server.sent) == 4 and len(smtp_server.messages) == 4  # no one twice
        spanish = {m.recipient: m.message for m in confirmed_signal}["+15550100102"]
        assert spanish.startswith("CONFIRMADO") and "Actividad: Asking patrons" in spanish

        section = status.locator("section.broadcast").filter(has_text="CONFIRMED, to everyone")
        expect(section.locator("[data-state=sent] strong")).to_have_text("6", timeout=20_000)

        # Two members acknowledge with their one-time links (one Signal, one email).
        links = [ACK_PATH.search(confirmed_signal[0].message).group(1),
                 ACK_PATH.search(confirmed_mail[0].message.get_content()).group(1)]
        outside = chromium_browser.new_context(base_url=server.base_url)
        for link in links:
            ack = outside.new_page()
            ack.goto(link)
            with ack.expect_navigation():
                ack.get_by_role("button", name=re.compile("Yes, I got it")).click()
            expect(ack.get_by_role("heading", name="Thank you.")).to_be_visible()
        # A used link looks exactly the same.
        again = outside.new_page()
        again.goto(links[0])
        with again.expect_navigation():
            again.get_by_role("button", name=re.compile("Yes, I got it")).click()
        expect(again.get_by_role("heading", name="Thank you.")).to_be_visible()

        # The open status page updates itself.
        expect(section.locator("[data-state=acknowledged] strong")).to_have_text("2", timeout=20_000)
        expect(section.locator("tr.state-acknowledged")).to_have_count(2)
        for context in (phone, office, outside):
            context.close()
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(5)
        signal_server.stop()
