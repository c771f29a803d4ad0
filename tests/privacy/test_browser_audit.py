"""In Debian's Chromium against a real gunicorn: the privacy officer's audit report (queued by the page,
built by the worker) and its PDF,
and the public privacy notice generated from a changed retention setting, in English and Spanish,
with zero axe violations and no request leaving the library's server."""

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import pytest

from tests.guide.test_browser_public import AXE, AXE_SHA256, OLD_PHONE, format_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def server(quietdesk_servers, tmp_path_factory):
    schedule = tmp_path_factory.mktemp("schedule") / "schedule.toml"
    schedule.write_text("[programs]\nregistration_days_after_program = 4\n", encoding="utf-8")
    return quietdesk_servers.start("stats", patrons=3, extra_env={"QUIETDESK_RETENTION_SCHEDULE": str(schedule)})


@pytest.fixture(scope="module")
def axe_source() -> Path:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    return AXE


def check_axe(page, axe_source) -> None:
    page.add_script_tag(path=str(axe_source))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert results["violations"] == [], format_violations(results["violations"])
    assert len(results["passes"]) > 10


@pytest.mark.parametrize(("language", "changed"), [("en", "Sign-up lists are deleted 4 days after the program"),
                                                   ("es", "Las inscripciones se borran 4 días después del programa")])
def test_the_notice_follows_the_configuration_accessibly(server, chromium_browser, axe_source, language, changed):
    context = chromium_browser.new_context(base_url=server.base_url, bypass_csp=True, viewport=OLD_PHONE)
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        response = page.goto(f"/{language}/privacy/", wait_until="networkidle")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        assert changed in page.locator("main").inner_text()
        assert {urlsplit(u).netloc for u in requests} == {urlsplit(server.base_url).netloc}, requests
        assert context.cookies() == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
        check_axe(page, axe_source)
    finally:
        context.close()


def test_the_privacy_officer_reads_the_report_and_its_pdf(server, chromium_browser, axe_source, tmp_path):
    client = server.client("privacy")
    done = client.post("/stats/audit/", {})
    assert re.fullmatch(r"/stats/audit/\d+/", done.path), done.url
    assert "Waiting for the worker" in done.text  # the request only queued the audit
    server.manage("outbound_worker", "--batch")  # the worker builds it
    context = chromium_browser.new_context(base_url=server.base_url, bypass_csp=True,
                                           viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.base_url} for c in client.cookies])
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        assert page.goto(done.path, wait_until="networkidle").status == 200
        for heading in ("1. Data inventory and retention compliance", "2. Staff access review",
                        "3. High-risk data scan", "4. Checklist", "5. Vendor register", "6. Data flow map"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        for name in ("Records held, by category", "Records held, by category and age", "Data flow map"):
            box = page.get_by_role("img", name=name, exact=True).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 50, name
        assert page.locator("td.st-pass").count() >= 5
        assert {urlsplit(u).netloc for u in requests} == {urlsplit(server.base_url).netloc}, requests
        check_axe(page, axe_source)
        page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)

        pdf_link = page.get_by_role("link", name="Download the PDF")
        got = context.request.get(pdf_link.get_attribute("href"))
        assert got.status == 200 and got.headers["content-type"] == "application/pdf"
        doc = pypdfium2.PdfDocument(got.body())
        assert len(doc) >= 3
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        for heading in ("Data inventory", "Staff access review", "High-risk data scan", "Checklist",
                        "Vendor register", "Data flow map"):
            assert heading in text, heading
        for i in range(len(doc)):
            image = doc[i].render(scale=0.5).to_pil().convert("L")
            low, high = image.getextrema()
            assert low < 100 and high > 200, f"page {i + 1} looks blank"
        # The demo's patrons appear only by pseudonym: no name the demo printed is in the report.
        assert "Given" not in text
    finally:
        context.close()
