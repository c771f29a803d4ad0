"""Small helpers for driving quietdesk's pages in the browser tests."""

from __future__ import annotations


def nav_click(page, label: str) -> None:
    """Follow a link of the grouped menu: open "Menu" first (it is closed on every page)."""
    menu = page.locator("#menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
