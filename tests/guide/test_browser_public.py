"""Patron pages in Debian's Chromium, served by a real gunicorn: every request stays on the
same origin, no cookie is set, and axe-core finds no accessibility violation. Every language."""

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
PAGES = ("", "privacy/", "what-we-keep/", "your-records/", "resources/", "know-your-rights/")
LANGUAGES = ("en", "es", "zh-hans", "vi", "ht", "ar")  # settings.LANGUAGES; Arabic is right to left
URLS = [f"/{language}/{page}" for language in LANGUAGES for page in PAGES]
OLD_PHONE = {"width": 320, "height": 568}


@pytest.fixture(scope="module")
def axe_source() -> Path:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256, "vendored axe.min.js changed"
    return AXE


@pytest.fixture(scope="module")
def browser_context(guide_server, chromium_browser):
    # bypass_csp: the page's own CSP would refuse the injected checker (the pages have none of their own).
    context = chromium_browser.new_context(base_url=guide_server.base_url, bypass_csp=True, viewport=OLD_PHONE,
                                           locale="en-US")
    context.set_default_timeout(20_000)
    yield context
    context.close()


def format_violations(violations) -> str:
    return json.dumps([{"id": v["id"], "impact": v["impact"], "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations], indent=1)


@pytest.mark.parametrize("path", URLS)
def test_patron_page_same_origin_no_cookies_no_axe_violations(guide_server, browser_context, axe_source, path):
    origin = guide_server.base_url
    page = browser_context.new_page()
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    try:
        response = page.goto(path, wait_until="networkidle")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == path.split("/")[1]
        assert page.locator("html").get_attribute("dir") == ("rtl" if path.startswith("/ar/") else "ltr")
        # Every request the page made went to the library's own server.
        assert requests, "no request recorded"
        foreign = [u for u in requests if not u.startswith(origin + "/")]
        assert foreign == [], f"{path} made requests elsewhere: {foreign}"
        assert {urlsplit(u).netloc for u in requests} == {urlsplit(origin).netloc}
        # No cookie, from any response.
        for r in responses:
            assert "set-cookie" not in r.all_headers(), f"{r.url} sets a cookie"
        assert browser_context.cookies() == []
        # Small and without scripts: fine on an old phone.
        assert page.locator("script").count() == 0
        weight = sum(len(r.body()) for r in responses if r.status == 200)
        assert weight < 40_000, f"{path} weighs {weight} bytes"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
        # Accessibility: axe-core, every rule it has (WCAG 2.1 A/AA and best practices).
        page.add_script_tag(path=str(axe_source))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert results["testEngine"]["version"] == "4.14.1"
        assert results["violations"] == [], format_violations(results["violations"])
        assert len(results["passes"]) > 10  # the checker did look
    finally:
        page.close()


def test_patron_pages_work_without_javascript(guide_server, chromium_browser):
    context = chromium_browser.new_context(base_url=guide_server.base_url, java_script_enabled=False,
                                           viewport=OLD_PHONE)
    try:
        page = context.new_page()
        page.goto("/es/")
        assert page.locator("h1").inner_text() == "Su privacidad en la biblioteca"
        page.get_by_role("link", name="Conozca sus derechos").first.click()
        assert page.locator("h1").inner_text() == "Conozca sus derechos"
        page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
        assert page.url.endswith("/en/know-your-rights/")
        assert page.locator("h1").inner_text() == "Know your rights"
        assert context.cookies() == []
    finally:
        context.close()


def test_the_harness_catches_what_it_looks_for(browser_context, axe_source):
    """The checks above can fail: a foreign request is recorded and axe reports a broken page."""
    page = browser_context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("http://192.0.2.1/**", lambda route: route.abort())  # nothing leaves the machine
    try:
        page.set_content('<html><head><link rel="stylesheet" href="http://192.0.2.1/font.css"></head>'
                         '<body><input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>')
        assert any(u.startswith("http://192.0.2.1/") for u in requests)
        page.add_script_tag(path=str(axe_source))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        found = {v["id"] for v in results["violations"]}
        assert {"html-has-lang", "label", "image-alt"} <= found, found
    finally:
        page.close()
