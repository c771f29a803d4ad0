"""Small fixes seen from a phone, in Debian's Chromium on a real server: the holds shelf,
an alert's deliveries and the resources directory fit a 360 px screen (tables become
one card per row) and stay tables on a desktop; the favicon is there; the Spanish
privacy notice leads to the transparency report in Spanish."""

from __future__ import annotations

import urllib.request

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# Widths of the page and of every table, against the viewport's.
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('main table')].map(t => ({
    right: Math.round(t.getBoundingClientRect().right), display: getComputedStyle(t).display}));
  return {vw, scroll: document.documentElement.scrollWidth, tables};
}"""


def browser_session(browser, server, client, viewport):
    """A Chromium context carrying the HTTP client's signed-in session."""
    context = browser.new_context(base_url=server.base_url, viewport=viewport, locale="en-US")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.base_url} for c in client.cookies])
    return context


def test_wide_tables_fit_a_phone_and_stay_tables_on_a_desktop(quietdesk_server, chromium_browser):
    server = quietdesk_server
    desk, director = server.client("desk"), server.client("director")
    director.get("/alerts/report/")
    report = director.post("/alerts/report/", {"activity": "Two agents at the main entrance", "urgent": "on",
                                               "status": "actual"})
    assert report.path.startswith("/alerts/r/") and report.path.endswith("/urgent/"), report.url
    sent = director.post(report.path, {"confirm": "on"})  # the urgent send is a deliberate second step
    assert sent.path == report.path.removesuffix("urgent/"), sent.url
    pages = {desk: ["/circulation/holds/", "/guide/resources/"], director: [sent.path]}
    for viewport in (PHONE, DESKTOP):
        for client, paths in pages.items():
            context = browser_session(chromium_browser, server, client, viewport)
            page = context.new_page()
            try:
                for path in paths:
                    page.goto(path)
                    assert page.url.endswith(path), f"{path}: ended at {page.url}"
                    m = page.evaluate(MEASURE)
                    assert m["scroll"] <= m["vw"], f"{path} is {m['scroll']} px wide on a {m['vw']} px screen"
                    if path != "/guide/resources/":
                        assert m["tables"], f"{path}: no table to check"
                    for table in m["tables"]:
                        assert table["right"] <= m["vw"], f"{path}: a table reaches {table['right']} px of {m['vw']}"
                        assert table["display"] == ("block" if viewport is PHONE else "table"), (path, table)
            finally:
                context.close()


def test_favicon_and_the_spanish_privacy_notice_leads_to_the_spanish_report(quietdesk_server, chromium_browser):
    server = quietdesk_server
    context = chromium_browser.new_context(base_url=server.base_url, viewport=PHONE, locale="es-MX")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/es/privacy/")
        icons = page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)")
        assert len(icons) == 2
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for href in [*icons, f"{server.base_url}/favicon.ico"]:
            with opener.open(href, timeout=10) as resp:
                assert resp.status == 200 and resp.headers["Content-Type"].startswith("image/"), href
        with page.expect_navigation():
            page.get_by_role("link", name="Cuántas solicitudes ha recibido la biblioteca").click()
        assert page.url == f"{server.base_url}/es/transparency/"
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("h1").inner_text() == "Solicitudes de información sobre los usuarios"
        body = page.locator("main").inner_text()
        assert "Solicitudes de seguridad nacional" in body
        assert "De enero a junio de" in body or "De julio a diciembre de" in body
        m = page.evaluate(MEASURE)
        assert m["scroll"] <= m["vw"]
    finally:
        context.close()
