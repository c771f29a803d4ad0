from pathlib import Path

from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import public_view, require
from quietdesk.staff.roles import Cap

from . import waiting

FAVICON = Path(__file__).resolve().parent / "static" / "quietdesk" / "favicon.ico"


@require_GET
@require(Cap.USE_DESK)
def home(request):
    """What this person needs now: the work waiting on them (director, person in charge,
    privacy officer), or the desk's few daily actions and "Someone is asking"."""
    sections = waiting.for_request(request)
    return render(request, "core/home.html", {
        "sections": sections,
        "waiting_total": sum(len(s.items) for s in sections),
    })


@public_view
@require_GET
def healthz(request):
    from django.http import HttpResponse

    return HttpResponse("ok\n", content_type="text/plain")


@public_view
@require_GET
def favicon(request):
    """Browsers and tools that ask for /favicon.ico without reading the page's links."""
    from django.http import HttpResponse

    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
