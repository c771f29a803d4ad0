"""One Playwright test in Debian's Chromium: sign in with a second factor, register a
patron, find them, view them, and check the access log gained an entry."""

import re

import pytest

from tests.e2e.browser import nav_click

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PATRON = {
    "given_name": "Marisol",
    "family_name": "Quintero-Browser",
    "card_number": "E2EBROWSER0001",
    "email": "marisol.browser@example.org",
    "notes": "Prefers the large-print shelf.",
}


def nav(page, name: str) -> None:
    nav_click(page, name)


def submit(page, button: str) -> None:
    """Click a form's button; a 403 (a CSRF refusal, say) fails with the page's own words."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    heading = page.locator("h1").first.inner_text()
    assert "403" not in heading and "Forbidden" not in heading, (
        f"{button!r} was refused: {page.locator('main, body').first.inner_text()[:300]}"
    )


def log_rows(page) -> list[dict[str, str]]:
    """The access-log table as dicts (most recent first)."""
    rows = []
    for row in page.locator("table tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        if len(cells) == 7:
            rows.append(dict(zip(("seq", "at", "who", "did", "patron", "records", "why"), cells, strict=True)))
    return rows


def test_director_signs_in_with_code_registers_finds_views_and_is_logged(
    quietdesk_server, chromium_browser, tmp_path
):
    from playwright.sync_api import expect

    server = quietdesk_server
    director = server.logins["director"]
    context = chromium_browser.new_context(base_url=server.base_url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # Password, then the second factor.
        page.goto("/staff/sign-in/")
        page.fill("#id_username", director.username)
        page.fill("#id_password", director.password)
        submit(page, "Sign in")
        expect(page).to_have_url(re.compile(r"/staff/sign-in/code/$"))
        # Nothing is reachable before the second step.
        page.goto("/audit/log/")
        expect(page).to_have_url(re.compile(r"/staff/sign-in/code/$"))
        page.fill("#id_code", server.totp_code(director.username))
        submit(page, "Continue")
        expect(page).to_have_url(f"{server.base_url}/")
        expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()

        # The log before: its newest entry, and the count in the database.
        nav(page, "Access log")
        expect(page.get_by_role("heading", name="Access log")).to_be_visible()
        before_rows = log_rows(page)
        last_seq = int(before_rows[0]["seq"]) if before_rows else 0
        count_before = server.access_entry_count()

        # Register.
        nav(page, "Register")
        page.fill("#id_given_name", PATRON["given_name"])
        page.fill("#id_family_name", PATRON["family_name"])
        page.fill("#id_card_number", PATRON["card_number"])
        page.check("input[name=contact][value=email]")
        page.fill("#id_email", PATRON["email"])
        page.select_option("#id_age_band", "adult")
        page.fill("#id_notes", PATRON["notes"])
        submit(page, "Save")
        expect(page).to_have_url(re.compile(r"/patrons/[0-9a-f-]{36}/$"))
        expect(page.get_by_text("Patron registered.")).to_be_visible()
        detail_url = page.url
        pseudonym = page.locator("dl.record code").inner_text().strip()
        assert re.fullmatch(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}", pseudonym), pseudonym

        # Find by card number (typed in lower case with a dash: normalized): one match opens the record.
        nav(page, "Find patron")
        page.get_by_label("Card number", exact=True).check()
        page.fill("#id_query", "e2ebrowser-0001")
        submit(page, "Find")
        expect(page).to_have_url(detail_url)

        # View: the decrypted record, and its reference.
        expect(page.locator("#patron-name")).to_have_text(f"{PATRON['given_name']} {PATRON['family_name']}")
        expect(page.get_by_text(PATRON["email"])).to_be_visible()
        expect(page.locator("dl.record code")).to_have_text(pseudonym)
        page.screenshot(path=str(tmp_path / "patron-detail.png"), full_page=True)

        # The access log gained entries about "a person", never their reference or a name.
        nav(page, "Access log")
        expect(page.get_by_role("heading", name="Access log")).to_be_visible()
        page.screenshot(path=str(tmp_path / "access-log.png"), full_page=True)
        new_rows = [r for r in log_rows(page) if int(r["seq"]) > last_seq]
        ours = [r for r in new_rows if r["patron"] == "a person"]
        # register (then its record opens), search by card, view.
        assert [r["did"] for r in reversed(ours)] == ["register", "view", "search", "view"], new_rows
        assert pseudonym not in page.content()  # the log cannot be joined to the patron's row
        assert all(r["who"].startswith(f"{director.username} (director)") for r in ours), ours
        assert "lookup by card_number" in ours[1]["why"]
        # The log names the patron by reference only.
        body = page.content()
        for value in PATRON.values():
            assert value not in body

        count_after = server.access_entry_count()
        assert count_after - count_before == len(new_rows) >= 4
        assert (tmp_path / "access-log.png").stat().st_size > 0
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        context.close()
