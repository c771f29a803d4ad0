"""Every drill played through in Debian's Chromium by the desk login of a real demo server; the
person in charge then sees the completions."""

import re

import pytest

from quietdesk.guide import drills
from tests.e2e.browser import nav_click

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def sign_in(context, server, username: str):
    login = server.logins[username]
    assert not login.totp_key, f"{username} would need a second factor"
    page = context.new_page()
    page.goto("/staff/sign-in/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_role("button", name=re.compile("Sign out")).is_visible()
    return page


def click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def play(page, drill: drills.Drill, *, wrong_first_step: bool = False) -> None:
    nav_click(page, "Drills")
    page.get_by_role("link", name=drill.title, exact=True).click()
    assert page.locator("h1").inner_text() == drill.title
    click(page, "link", "Start")
    for number, step in enumerate(drill.steps, 1):
        assert page.locator(".progress").inner_text() == f"Step {number} of {drill.out_of}"
        assert page.get_by_role("group", name=step.question).is_visible()
        wrong = wrong_first_step and number == 1
        choice = next(c for c in step.choices if c.best != wrong)
        page.get_by_label(choice.display, exact=True).check()
        click(page, "button", "Answer")
        feedback = page.locator("section.feedback")
        if wrong:
            assert feedback.locator("h2").inner_text() == "There is a better answer"
            assert step.best.display in feedback.inner_text()
        else:
            assert feedback.locator("h2").inner_text() == "That is the better answer"
        assert "; ".join(step.best.cite) in feedback.inner_text()
        click(page, "button" if number == drill.out_of else "link",
              "Finish the drill" if number == drill.out_of else "Next step")
    assert page.locator("h1").inner_text() == "Drill completed"


def test_desk_plays_every_drill_and_the_person_in_charge_sees_it(guide_server, chromium_browser):
    loaded = drills.load_all(None)
    assert loaded.errors == [] and len(loaded.drills) == 10
    desk = chromium_browser.new_context(base_url=guide_server.base_url, locale="en-US")
    desk.set_default_timeout(15_000)
    try:
        page = sign_in(desk, guide_server, "desk")
        first = True
        for drill in loaded.ordered():
            play(page, drill, wrong_first_step=first)
            expected = drill.out_of - 1 if first else drill.out_of
            assert page.locator(".score").inner_text() == f"Score: {expected}/{drill.out_of}"
            first = False
        nav_click(page, "Drills")
        assert page.locator(".tag.done").count() == 10
        # The desk may not see others' records.
        response = page.goto("/guide/training/")
        assert response.status == 403
    finally:
        desk.close()

    manager = chromium_browser.new_context(base_url=guide_server.base_url, locale="en-US")
    manager.set_default_timeout(15_000)
    try:
        page = sign_in(manager, guide_server, "manager")
        nav_click(page, "Training records")
        assert page.locator("h1").inner_text() == "Training records"
        rows = page.locator("table tbody tr")
        assert rows.count() == 10
        body = page.locator("main").inner_text()
        assert "desk: 10 of 10" in body
        for drill in loaded.drills.values():
            assert drill.title in body
        first = loaded.ordered()[0]
        row = rows.filter(has_text=first.title)
        assert row.locator("td").nth(0).inner_text() == "desk"
        assert row.locator("td").nth(4).inner_text() == f"{first.out_of - 1}/{first.out_of}"
    finally:
        manager.close()
